#include "Optimizer.h"

#include "Adam.h"
#include "SGD.h"
#include "../parallel/ThreadPool.h"

#include <algorithm>
#include <cmath>

namespace ael {

namespace {
/// Runs tile(t, len) over [0, n) in tiles of 2048 elements (g, m, v and θ of a tile stay in L1/L2
/// across the vectorised statements, so memory is streamed once), split among the pool's threads
/// above ~64k elements. Each tile returns finiteProbe() of its new weights; returns whether all are finite.
template <class F> bool forTiles(Eigen::Index n, F &&tile)
{
    const double sum = parallelSum(long(n), 1024, double(n), [&](long b, long e) {
        double s = 0;
        for (long t = b; t < e; t += 2048) s += tile(t, std::min<long>(2048, e - t));
        return s;
    }, 65536);
    return std::isfinite(sum);
}

/// Σ 0·θ: 0 when every θ is finite, NaN when one is not (0·∞ = NaN). Σ θ itself could overflow in float
/// for large but finite weights and report a divergence that is not one.
template <class A> double finiteProbe(const A &W) { return double((W * 0.0f).sum()); }

/// The state of a slot, created on first use.
template <class T> T &slotState(std::vector<T> &slots, int slot)
{
    if (size_t(slot) >= slots.size()) slots.resize(size_t(slot) + 1);
    return slots[size_t(slot)];
}
}  // namespace

const char *toString(OptimizerKind k) { return k == OptimizerKind::SGD ? "sgd" : "adam"; }

bool parseOptimizer(const std::string &s, OptimizerKind &out)
{
    if (s == "sgd") out = OptimizerKind::SGD;
    else if (s == "adam") out = OptimizerKind::Adam;
    else return false;
    return true;
}

std::unique_ptr<Optimizer> makeOptimizer(OptimizerKind k)
{
    if (k == OptimizerKind::SGD) return std::make_unique<SGD>();
    return std::make_unique<Adam>();
}

bool SGD::update(Param<float> &p, const OptimizerSettings &s)
{
    Matrix &v = slotState(velocity_, p.slot);
    if (v.rows() != p.value.rows() || v.cols() != p.value.cols()) v.setZero(p.value.rows(), p.value.cols());
    const float mu = float(s.momentum), lr = float(s.learningRate);
    float *w = p.value.data(), *vel = v.data();
    const float *g = p.grad.data();
    const Eigen::Index n = p.value.size();
    return forTiles(n, [&](long t, long len) {
        Eigen::Map<const Eigen::ArrayXf> G(g + t, len);
        Eigen::Map<Eigen::ArrayXf> Vel(vel + t, len), W(w + t, len);
        Vel = mu * Vel - lr * G;
        W += Vel;
        return finiteProbe(W);
    });
}

void SGD::resetSlot(int slot)
{
    if (size_t(slot) < velocity_.size()) velocity_[size_t(slot)].resize(0, 0);
}

bool Adam::update(Param<float> &p, const OptimizerSettings &s)
{
    Slot &st = slotState(slots_, p.slot);
    if (st.m.rows() != p.value.rows() || st.m.cols() != p.value.cols()) {
        st.m.setZero(p.value.rows(), p.value.cols());
        st.v.setZero(p.value.rows(), p.value.cols());
        st.t = 0;
    }
    ++st.t;
    const float b1 = float(s.beta1), b2 = float(s.beta2);
    // Fold the bias corrections into the step: η_t = η √(1−β2ᵗ)/(1−β1ᵗ), ε_t = ε √(1−β2ᵗ)
    const double c1 = 1.0 - std::pow(s.beta1, double(st.t));
    const double c2 = std::sqrt(1.0 - std::pow(s.beta2, double(st.t)));
    const float lrT = float(s.learningRate * c2 / c1);
    const float epsT = float(s.epsilon * c2);
    float *w = p.value.data(), *m = st.m.data(), *v = st.v.data();
    const float *g = p.grad.data();
    const Eigen::Index n = p.value.size();
    return forTiles(n, [&](long t, long len) {
        Eigen::Map<const Eigen::ArrayXf> G(g + t, len);
        Eigen::Map<Eigen::ArrayXf> M(m + t, len), V(v + t, len), W(w + t, len);
        M = b1 * M + (1.0f - b1) * G;
        V = b2 * V + (1.0f - b2) * G.square();
        W -= lrT * M / (V.sqrt() + epsT);
        return finiteProbe(W);
    });
}

std::string Optimizer::importSlot(int slot, const SlotState &s, Eigen::Index rows, Eigen::Index cols)
{
    if (slot < 0) return "no optimizer slot";
    if (s.t < 0) return "a negative step count";
    if (s.moments.empty()) return s.t == 0 ? std::string() : "a step count without moments";
    const std::vector<std::string> names = momentNames();
    if (s.moments.size() != names.size()) return "expected the moments " + std::to_string(names.size()) + ", got " + std::to_string(s.moments.size());
    for (size_t i = 0; i < names.size(); ++i) {
        const auto &[name, M] = s.moments[i];
        if (name != names[i]) return "expected the moment '" + names[i] + "', got '" + name + "'";
        if (M.rows() != rows || M.cols() != cols)
            return "moment '" + name + "' is " + std::to_string(M.rows()) + " x " + std::to_string(M.cols()) + ", expected " +
                   std::to_string(rows) + " x " + std::to_string(cols);
        if (!M.allFinite()) return "moment '" + name + "' holds a non-finite value";
    }
    if (std::string why = checkSlot(s); !why.empty()) return why;
    setSlot(slot, s);
    return {};
}

SlotState SGD::exportSlot(int slot) const
{
    SlotState s;
    if (size_t(slot) < velocity_.size() && velocity_[size_t(slot)].size() > 0) s.moments = {{"velocity", velocity_[size_t(slot)]}};
    return s;
}

void SGD::setSlot(int slot, const SlotState &s)
{
    Matrix &v = slotState(velocity_, slot);
    if (s.moments.empty()) v.resize(0, 0);
    else v = s.moments[0].second;
}

SlotState Adam::exportSlot(int slot) const
{
    SlotState s;
    if (size_t(slot) >= slots_.size() || slots_[size_t(slot)].m.size() == 0) return s;
    const Slot &st = slots_[size_t(slot)];
    s.t = st.t;
    s.moments = {{"m", st.m}, {"v", st.v}};
    return s;
}

std::string Adam::checkSlot(const SlotState &s) const
{
    return s.moments[1].second.minCoeff() < 0 ? "moment 'v' holds a negative value" : std::string();
}

void Adam::setSlot(int slot, const SlotState &s)
{
    Slot &st = slotState(slots_, slot);
    if (s.moments.empty()) {
        st = Slot{};
        return;
    }
    st.m = s.moments[0].second;
    st.v = s.moments[1].second;
    st.t = s.t;
}

void Adam::resetSlot(int slot)
{
    if (size_t(slot) < slots_.size()) slots_[size_t(slot)] = Slot{};
}

}  // namespace ael
