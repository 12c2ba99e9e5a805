#include "Trainer.h"

#include "../losses/BCE.h"
#include "../losses/MSE.h"
#include "../regularizers/Contractive.h"
#include "../regularizers/VariationalKL.h"
#include "CorruptedPass.h"
#include "Memory.h"
#include "TermTable.h"
#include "../parallel/ThreadPool.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace ael {

namespace {
// A per-pixel reconstruction loss of data in [0, 1] is at most ~1 for MSE and ~14 for clamped BCE:
// anything above this has diverged even while it is still finite.
constexpr double kExplodedLoss = 1e6;

std::string shortNumber(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

/// Empty, or why training `a` with `s` would need more memory than there is (with the figure).
std::string memoryCheck(const Architecture &a, const TrainSettings &s)
{
    const std::string why = whyTooLarge(trainingBytes(a, s.batchSize, s.optimizer),
                                        "training " + a.spec() + " at batch size " + std::to_string(s.batchSize));
    return why.empty() ? why : why + "; use a smaller batch or narrower layers";
}

Architecture withVariant(Architecture a, Variant v)
{
    a.variational = (v == Variant::Variational);
    return a;
}
}  // namespace

Trainer::Trainer(const Architecture &arch, const TrainSettings &settings, const Dataset &train, uint64_t seed)
    : train_(&train), settings_(settings), base_(arch), rng_(seed), seed_(seed)
{
    keepFreedMemoryForReuse();
    if (train.empty()) throw std::invalid_argument("the training set is empty");
    if (train.dim() != arch.input)
        throw std::invalid_argument("the architecture expects " + std::to_string(arch.input) + " inputs but the images have " +
                                    std::to_string(train.dim()) + " pixels");
    base_.variational = false;
    const Architecture a = withVariant(base_, settings.variant);
    if (std::string why = settings.validate(a); !why.empty()) throw std::invalid_argument(why);
    if (std::string why = memoryCheck(a, settings); !why.empty()) throw std::invalid_argument(why);
    model_ = std::make_unique<Model<float>>(a);  // throws on a bad architecture
    Rng init(seed);
    model_->initialize(init);
    optimizer_ = makeOptimizer(settings.optimizer);
    loss_ = makeLoss<float>(settings.loss);
    for (const TermRow &row : termTable()) terms_.push_back(row.make(seed));
    order_.resize(size_t(train.size()));
    std::iota(order_.begin(), order_.end(), 0);
    baselineMse_ = predictMeanBaseline(train, LossKind::MSE);
    baselineBce_ = predictMeanBaseline(train, LossKind::BCE);
    watch_.reset(baseline());
    checkpoint();
}

Trainer::~Trainer() = default;

std::string Trainer::setSettings(const TrainSettings &s)
{
    const Architecture target = withVariant(base_, s.variant);
    if (std::string why = s.validate(target); !why.empty()) return why;
    if (s.batchSize != settings_.batchSize || s.optimizer != settings_.optimizer)
        if (std::string why = memoryCheck(target, s); !why.empty()) return why;
    if (s.optimizer != settings_.optimizer) optimizer_ = makeOptimizer(s.optimizer);
    if (s.loss != settings_.loss) {
        loss_ = makeLoss<float>(s.loss);
        savedLoss_ = -1;  // the checkpoint's loss is on another scale
    }
    const bool rebuild = target.variational != model_->arch().variational;
    if (s.batchSize != settings_.batchSize || s.variant != settings_.variant) tuner_.restart();  // another step cost
    settings_ = s;
    halted_ = false;  // new settings: the user may try again after a divergence
    watch_.reset(baseline());
    if (rebuild) rebuildFor(s.variant);
    else switchReport_.clear();  // the report speaks only of the latest settings change
    return {};
}

void Trainer::rebuildFor(Variant v)
{
    auto next = std::make_unique<Model<float>>(withVariant(base_, v));
    Rng init(seed_ + uint64_t(steps_) + 1);
    next->initialize(init);
    const std::vector<std::string> fresh = next->adoptWeights(*model_);
    for (const Param<float> *p : next->params())
        if (std::find(fresh.begin(), fresh.end(), p->name) != fresh.end()) optimizer_->resetSlot(p->slot);
    model_ = std::move(next);
    switchReport_ = std::string("switched to ") + toString(v) + ": kept every layer but the code layer; re-initialised";
    for (const auto &n : fresh) switchReport_ += " " + n;
    switchReport_ += v == Variant::Variational ? " (it now gives μ and log σ², 2k outputs)" : " (it now gives the code h)";
    checkpoint();
}

std::vector<Regularizer<float> *> Trainer::activeTerms()
{
    std::vector<Regularizer<float> *> active;
    const std::vector<TermRow> &rows = termTable();
    for (size_t i = 0; i < rows.size(); ++i)
        if (rows[i].acts(settings_, *model_)) {
            rows[i].configure(*terms_[i], settings_);
            active.push_back(terms_[i].get());
        }
    return active;
}

void Trainer::checkpoint(double windowMean)
{
    if (!model_->allFinite()) return;  // keep the last finite state
    savedLoss_ = windowMean;
    auto ps = model_->params();
    saved_.resize(ps.size());
    for (size_t i = 0; i < ps.size(); ++i) saved_[i] = ps[i]->value;
    savedOpt_ = optimizer_->clone();
    savedStep_ = steps_;
    savedEpoch_ = epoch_;
}

void Trainer::restore()
{
    auto ps = model_->params();
    for (size_t i = 0; i < ps.size() && i < saved_.size(); ++i)
        if (saved_[i].rows() == ps[i]->value.rows() && saved_[i].cols() == ps[i]->value.cols()) ps[i]->value = saved_[i];
    if (savedOpt_ && savedOpt_->kind() == optimizer_->kind()) optimizer_ = savedOpt_->clone();
    else optimizer_ = makeOptimizer(settings_.optimizer);
}

std::string Trainer::firstNonFinite(const StepResult &r) const
{
    if (!std::isfinite(r.reconstruction)) return "the reconstruction loss became non-finite";
    if (r.reconstruction > kExplodedLoss) return "the reconstruction loss exploded (> 1e6)";
    for (const auto &t : r.terms) {
        if (!std::isfinite(t.value)) return "the " + t.name + " term became non-finite";
        if (t.value > kExplodedLoss) return "the " + t.name + " term exploded (> 1e6)";
    }
    return {};
}

std::string Trainer::nonFiniteGradientOrWeight() const
{
    // Only after a failed step: name the first culprit.
    for (const Param<float> *p : model_->params())
        if (!p->grad.allFinite()) return "the gradient of " + p->name + " became non-finite";
    for (const Param<float> *p : model_->params())
        if (!p->value.allFinite()) return "the weight " + p->name + " became non-finite after the update";
    return "the weights overflowed after the update";
}

StepResult Trainer::step()
{
    const int threads = ThreadPool::instance().threads();
    if (threads == 1) return runStep();
    if (threads != tunedThreads_) {
        tuner_.restart();
        tunedThreads_ = threads;
    }
    struct Alone {  // reset even when the step throws, so that evaluations on this thread use the workers
        explicit Alone(bool on) { ThreadPool::setAloneOnThisThread(on); }
        ~Alone() { ThreadPool::setAloneOnThisThread(false); }
    } alone(tuner_.alone());
    const auto start = std::chrono::steady_clock::now();
    StepResult r = runStep();
    if (!r.diverged) tuner_.record(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), r.batchSize);
    return r;
}

StepResult Trainer::runStep()
{
    using Clock = std::chrono::steady_clock;
    const Clock::time_point t0 = Clock::now();
    const auto since = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
    flushDenormalsOnThisThread();  // a few cycles; the caller's thread may change between steps
    StepResult r;
    r.epoch = epoch_;
    r.step = steps_;
    if (halted_) {
        r.diverged = true;
        r.message = "training is halted after a divergence; change a setting to continue";
        return r;
    }
    const int n = train_->size();
    if (pos_ == 0 && settings_.shuffle) {
        // Fisher–Yates with our own RNG: the same seed gives the same order everywhere.
        for (int i = n - 1; i > 0; --i) std::swap(order_[size_t(i)], order_[size_t(rng_.below(uint64_t(i) + 1))]);
    } else if (pos_ == 0) {
        std::iota(order_.begin(), order_.end(), 0);
    }
    const int B = std::min(settings_.batchSize, n - pos_);
    train_->batch(order_.data() + pos_, B, X_);
    r.batchSize = B;
    const Clock::time_point tBatch = Clock::now();

    // x̃ ~ C(x̃|x) for the denoising variant; the target stays the clean x.
    const Matrix *input = &X_;
    if (settings_.corruptsInputs()) {
        corrupt(X_, Xt_, settings_.corruption, rng_);
        input = &Xt_;
    }

    const Clock::time_point tCorrupt = Clock::now();
    model_->markGradsStale();  // the first write of each gradient overwrites it (no memset)
    model_->forward(*input, pass_, model_->arch().variational ? &rng_ : nullptr);
    const Clock::time_point tForward = Clock::now();
    // BCE after a sigmoid from the logits: exact, and a saturated wrong output keeps its gradient.
    // MSE after a sigmoid: ∂L/∂z in the loss's own pass (the same bits as through ∂L/∂x̂).
    const bool sigmoid = model_->arch().output == ActivationKind::Sigmoid;
    const bool logits = sigmoid && (settings_.loss == LossKind::BCE || settings_.loss == LossKind::MSE);
    r.reconstruction = !logits ? loss_->valueAndGradient(pass_.output(), X_, dXhat_)
                       : settings_.loss == LossKind::BCE ? BCE<float>().valueAndLogitGradient(pass_.dec.back().z, X_, dXhat_)
                                                         : MSE<float>().valueAndSigmoidLogitGradient(pass_.output(), X_, dXhat_);
    r.total = r.reconstruction;
    const Clock::time_point tLoss = Clock::now();
    for (Regularizer<float> *t : activeTerms()) {
        const double v = t->evaluate(*model_, pass_);
        r.terms.push_back({t->name(), v});
        r.total += v;
        t->gradient(*model_, pass_);
    }
    const Clock::time_point tTerms = Clock::now();
    model_->backward(pass_, dXhat_, logits);
    model_->zeroStaleGrads();
    const Clock::time_point tBackward = Clock::now();

    // A non-finite gradient makes the updated weights non-finite; the optimizer's own pass tells
    // whether each parameter's new weights are all finite, with no extra pass over them.
    std::string bad = firstNonFinite(r);
    if (bad.empty()) {
        bool finite = true;
        for (Param<float> *p : model_->params()) finite &= optimizer_->update(*p, settings_.opt);
        if (!finite) bad = nonFiniteGradientOrWeight();
    }
    if (!bad.empty()) return diverge(r, steps_ + 1, bad);
    const Clock::time_point tOptimizer = Clock::now();
    ++phases_.steps;
    phases_.batch += since(t0, tBatch);
    phases_.corruption += since(tBatch, tCorrupt);
    phases_.forward += since(tCorrupt, tForward);
    phases_.loss += since(tForward, tLoss);
    phases_.terms += since(tLoss, tTerms);
    phases_.backward += since(tTerms, tBackward);
    phases_.optimizer += since(tBackward, tOptimizer);

    ++steps_;
    pos_ += B;
    if (pos_ >= n) {
        pos_ = 0;
        ++epoch_;
        r.epochEnded = true;
    }
    r.step = steps_;
    r.epoch = epoch_;
    watch_.addLoss(r.reconstruction);
    // A checkpoint ends a whole judged window: not the steps right after a settings change (the learning
    // rate's slider to its end, 37 steps before a checkpoint step, had the blown-up weights kept).
    if (steps_ % kCheckpointEvery == 0 && watch_.windowComplete()) {
        const SaturationWatch::Verdict v = watch_.closeWindow(model_->arch().output, pass_.dec.back().z, pass_.h);
        if (v.diverged) return diverge(r, steps_, v.why);
        if (healthy(v, r.reconstruction)) checkpoint(v.mean);
    }
    return r;
}

// A state to go back to: not saturated (SaturationWatch), and its loss not blown up since the last checkpoint —
// the window's mean and its last batch's (the weights kept are the last batch's: a blow-up in a window's last
// steps hardly moves its mean) at most kBlowUp × that checkpoint's window; or, where a change made the task
// harder (more corruption, a larger penalty), improving again over a whole window after it and no worse than
// predicting the mean image by far. A run whose loss jumps from 0.043 to 0.13 is diverging before it saturates.
// (A run whose loss keeps rising takes no checkpoint meanwhile: a divergence then goes back to before it.)
bool Trainer::healthy(const SaturationWatch::Verdict &v, double lastLoss) const
{
    constexpr double kBlowUp = 1.5;
    if (v.suspect || !std::isfinite(v.mean) || !std::isfinite(lastLoss)) return false;
    if (savedLoss_ < 0) return true;
    if (v.mean <= kBlowUp * savedLoss_ && lastLoss <= kBlowUp * savedLoss_) return true;
    const double bound = SaturationWatch::kBaselineFactor * baseline();
    return v.improved && v.mean <= bound && lastLoss <= bound;
}

StepResult Trainer::diverge(StepResult r, long long at, const std::string &why)
{
    restore();
    watch_.reset(baseline());
    halted_ = true;
    r.diverged = true;
    r.message = "training diverged at step " + std::to_string(at) + ": " + why +
                "; restored the weights of step " + std::to_string(savedStep_) + ". Lower the learning rate (now " +
                shortNumber(settings_.opt.learningRate) + ") or a term's weight.";
    return r;
}

std::string Trainer::haltIfDead()
{
    if (halted_) return {};
    const std::string why = watch_.deadNow(model_->arch().output, pass_.dec.empty() ? Matrix() : pass_.dec.back().z, pass_.h);
    if (why.empty()) return {};
    return diverge(StepResult{}, steps_, why).message;
}

std::vector<std::string> Trainer::loadWeights(const Model<float> &m)
{
    auto missed = model_->adoptWeights(m);
    optimizer_ = makeOptimizer(settings_.optimizer);
    checkpoint();
    return missed;
}

void Trainer::resume(const Model<float> &m, long long steps, int epoch)
{
    if (steps < 0 || epoch < 0) throw std::invalid_argument("negative step or epoch count");
    auto ours = model_->params();
    auto theirs = m.params();
    if (ours.size() != theirs.size())
        throw std::invalid_argument("the model has " + std::to_string(theirs.size()) + " parameter tensors, expected " +
                                    std::to_string(ours.size()) + " for " + model_->arch().spec());
    for (size_t i = 0; i < ours.size(); ++i)
        if (ours[i]->name != theirs[i]->name || ours[i]->value.rows() != theirs[i]->value.rows() ||
            ours[i]->value.cols() != theirs[i]->value.cols())
            throw std::invalid_argument("parameter '" + theirs[i]->name + "' does not match " + model_->arch().spec());
    for (size_t i = 0; i < ours.size(); ++i) ours[i]->value = theirs[i]->value;
    optimizer_ = makeOptimizer(settings_.optimizer);
    steps_ = steps;
    epoch_ = epoch;
    pos_ = 0;
    halted_ = false;
    watch_.reset(baseline());
    checkpoint();
}

TrainerState Trainer::state() const
{
    TrainerState st;
    st.optimizer = optimizer_->kind();
    for (const Param<float> *p : model_->params())  // every one is trained (a tied decoder has no weight of its own)
        st.perParam.emplace_back(p->name, optimizer_->exportSlot(p->slot));
    st.rng = rng_.state();
    st.order = order_;
    st.position = pos_;
    return st;
}

std::string Trainer::restoreState(const TrainerState &st)
{
    if (st.optimizer != settings_.optimizer)
        return std::string("the optimizer state is ") + toString(st.optimizer) + "'s, the settings use " + toString(settings_.optimizer);
    const int n = train_->size();
    if (int(st.order.size()) != n) return "the data order has " + std::to_string(st.order.size()) + " entries for " + std::to_string(n) + " images";
    std::vector<char> seen(size_t(n), 0);
    for (int i : st.order) {
        if (i < 0 || i >= n || seen[size_t(i)]) return "the data order is not a permutation of the training set";
        seen[size_t(i)] = 1;
    }
    if (st.position < 0 || st.position >= n) return "the position in the epoch is outside the training set";
    // Into a fresh optimizer first: the current one stays as it is unless everything fits.
    std::unique_ptr<Optimizer> opt = makeOptimizer(settings_.optimizer);
    std::vector<char> done(st.perParam.size(), 0);
    for (const Param<float> *p : model_->params()) {
        size_t k = 0;
        while (k < st.perParam.size() && st.perParam[k].first != p->name) ++k;
        if (k == st.perParam.size()) return "no optimizer state for parameter '" + p->name + "'";
        if (std::string why = opt->importSlot(p->slot, st.perParam[k].second, p->value.rows(), p->value.cols()); !why.empty())
            return "optimizer state of '" + p->name + "': " + why;
        done[k] = 1;
    }
    for (size_t k = 0; k < st.perParam.size(); ++k)
        if (!done[k]) return "optimizer state for '" + st.perParam[k].first + "', which is not a parameter of " + model_->arch().spec();
    optimizer_ = std::move(opt);
    rng_.setState(st.rng);
    order_ = st.order;
    pos_ = st.position;
    checkpoint();
    return {};
}

Metrics Trainer::evaluate(const Dataset &d, int maxSamples) const
{
    Metrics m;
    const int n = maxSamples < 0 ? d.size() : std::min(maxSamples, d.size());
    if (n == 0) return m;
    const auto mse = makeLoss<float>(LossKind::MSE);
    const auto bce = makeLoss<float>(LossKind::BCE);
    ForwardPass<float> p;
    Matrix X;
    double sumMse = 0, sumBce = 0, sumCode = 0, active = 0, kl = 0;
    constexpr int chunk = 1000;
    for (int first = 0; first < n; first += chunk) {
        const int c = std::min(chunk, n - first);
        d.range(first, c, X);
        model_->forward(X, p, nullptr);
        m.finite = m.finite && p.h.allFinite() && p.dec.back().z.allFinite() && p.output().allFinite();
        sumMse += double(mse->value(p.output(), X)) * c;
        sumBce += double(bce->value(p.output(), X)) * c;
        sumCode += double(p.h.array().abs().sum());
        active += double((p.h.array().abs() > 0.1f).count());
        if (model_->arch().variational) kl += double(VariationalKL<float>::klPerSample(p)) * c;
        if (first == 0) m.jacobianFro = jacobianFrobeniusSq(*model_, Matrix(X.leftCols(std::min(c, 256))));
    }
    m.samples = n;
    m.mse = sumMse / n;
    m.bce = sumBce / n;
    const double units = double(n) * model_->arch().code;
    m.meanCode = sumCode / units;
    m.activeFraction = active / units;
    m.kl = kl / n;
    if (!settings_.corruptsInputs()) return m;
    // The window's x̃ (CorruptedPass.h).
    Matrix Xt;
    double sum = 0;
    forEachCorruptedChunk(d, n, settings_.corruption, X, Xt, [&](const Matrix &Xc, const Matrix &Xtc) {
        model_->forward(Xtc, p, nullptr);
        m.finite = m.finite && p.h.allFinite() && p.dec.back().z.allFinite() && p.output().allFinite();
        sum += double((p.output() - Xc).squaredNorm());
        return true;
    });
    m.mseFromCorrupted = sum / (double(n) * double(d.dim()));
    return m;
}

}  // namespace ael
