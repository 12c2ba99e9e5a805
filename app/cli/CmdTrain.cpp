// aelab-cli train: the engine's Trainer driven from flags, one JSON line per epoch on stdout.
#include "Commands.h"
#include "Common.h"

#include "core/io/ModelFile.h"
#include "core/io/SafeFile.h"
#include "core/train/OverfitWatch.h"
#include "core/train/Saturation.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <unistd.h>

namespace cli {

using namespace ael;

namespace {

std::atomic<bool> gStop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

extern "C" void onSignal(int)
{
    if (gStop.exchange(true)) _exit(130);  // a second Ctrl-C: stop at once
}

using Clock = std::chrono::steady_clock;

/// Sums of one epoch's step results; the JSON line reports their means over the steps.
struct EpochSums {
    long long steps = 0, samples = 0;
    double seconds = 0, reconstruction = 0, total = 0;
    std::vector<std::pair<std::string, double>> terms;

    void add(const StepResult &r, double dt)
    {
        ++steps;
        samples += r.batchSize;
        seconds += dt;
        reconstruction += r.reconstruction;
        total += r.total;
        for (const TermValue &t : r.terms) {
            auto it = std::find_if(terms.begin(), terms.end(), [&](const auto &p) { return p.first == t.name; });
            if (it == terms.end()) terms.emplace_back(t.name, t.value);
            else it->second += t.value;
        }
    }
    double samplesPerSecond() const { return seconds > 0 ? double(samples) / seconds : 0; }
};

/// The \r progress bar on stderr, drawn at most ~10 times a second, only on a terminal.
class Progress {
public:
    explicit Progress(bool enabled) : enabled_(enabled) {}
    void draw(const std::string &label, double fraction, double samplesPerSecond, double loss)
    {
        if (!enabled_) return;
        const auto now = Clock::now();
        if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        drawn_ = true;
        constexpr int width = 24;
        const int filled = std::clamp(int(fraction * width + 0.5), 0, width);
        char line[200];
        std::snprintf(line, sizeof line, "\r%s [%s%s] %3d%%  %7.0f samples/s  loss %.5f ", label.c_str(),
                      std::string(size_t(filled), '#').c_str(), std::string(size_t(width - filled), '.').c_str(),
                      int(fraction * 100 + 0.5), samplesPerSecond, loss);
        std::cerr << line << std::flush;
    }
    void clear()
    {
        if (!enabled_ || !drawn_) return;
        std::cerr << '\r' << std::string(100, ' ') << '\r' << std::flush;
        drawn_ = false;
    }

private:
    bool enabled_;
    bool drawn_ = false;
    Clock::time_point last_;
};

int runTrain(const CLI::App &a)
{
    if (given(a, "epochs") && given(a, "steps")) fail("steps", "cannot be combined with --epochs");
    const long long epochs = get<long long>(a, "epochs", 5);
    const bool stepsMode = given(a, "steps");
    const long long maxSteps = get<long long>(a, "steps", 0);
    const bool quiet = on(a, "quiet");
    const std::string out = given(a, "out") ? outputPath(a, "out") : std::string();

    TrainConfig base;
    std::optional<LoadedModel> init;
    if (given(a, "init")) {
        init = loadModel(inputPath(a, "init"));
        base.arch = init->arch;
        base.settings = init->settings;
    }
    const TrainConfig cfg = trainConfigFrom(a, base);
    // Before the work: a model too large for a model file would be saved, then refused by every reader.
    if (std::string why = given(a, "out") ? whyModelFileTooLarge(cfg.arch) : std::string(); !why.empty())
        fail("arch", why + " (narrower layers, or no --out)");
    const int threads = applyThreads(a);
    // A model continues on the data it was trained on (as eval measures it) unless --data or --images says otherwise.
    const Data data = loadData(a, init ? modelDataId(*init) : std::string("mnist"));
    checkImageSize(a, data, cfg.arch.input, init && !given(a, "arch") ? text(a, "init") : std::string());

    // A saved model's step and epoch counts (0 where it has none).
    const auto counter = [&](const char *key) { return init ? std::max(0LL, metadataInteger(*init, key).value_or(0)) : 0LL; };
    // A continued run draws other batches than the run before it (train --init m --steps 100 --out m, repeated,
    // trained on the same first 100 batches each time): without --seed, the seed moves on with the steps.
    const uint64_t seed = init && !given(a, "seed") ? cfg.seed + uint64_t(counter("steps")) : cfg.seed;
    Trainer trainer(cfg.arch, cfg.settings, data.split.train, seed);
    auto note = [&](const std::string &s) {
        if (!quiet) std::cerr << "aelab-cli train: note: " << s << '\n';
    };
    for (const auto &n : cfg.notes) note(n);
    // The same architecture: the run continues, its step and epoch counts too (a model saved at step 740 and
    // trained 100 more steps is at step 840, not 100). Another one (--arch): the matching weights, counts from 0.
    bool continued = false;
    if (init && !given(a, "arch")) {
        try {
            trainer.resume(*init->model, counter("steps"), int(std::min(counter("epoch"), 1'000'000'000LL)));
            continued = true;
        } catch (const std::invalid_argument &) {
            // a parameter does not match: as with --arch below
        }
    }
    if (init && !continued) {
        const auto missed = trainer.loadWeights(*init->model);
        if (missed.size() == trainer.model().params().size())
            throw std::runtime_error(text(a, "init") + ": no parameter matches architecture " + cfg.arch.spec());
        if (!missed.empty()) {
            std::string names;
            for (const auto &m : missed) names += " " + m;
            note("--init: these parameters did not match and start fresh:" + names);
        }
    }
    const TrainSettings &s = trainer.settings();
    if (!quiet)
        std::cerr << "aelab-cli train: " << trainer.architecture().spec() << ' ' << toString(s.variant) << ", "
                  << toString(s.optimizer) << " lr " << s.opt.learningRate << ", batch " << s.batchSize << ", "
                  << data.split.train.size() << " train / " << data.split.test.size() << " test images (" << data.id
                  << "), " << (stepsMode ? std::to_string(maxSteps) + (maxSteps == 1 ? " step" : " steps")
                                                : std::to_string(epochs) + (epochs == 1 ? " epoch" : " epochs"))
                  << ", " << threads << " thread" << (threads == 1 ? "" : "s") << '\n';

    gStop = false;
    // On a stack of its own: a signal frame on the thread's stack in the middle of a oneDNN product corrupted
    // the heap (SafeFile.h).
    file::handleOnOwnStack({SIGINT, SIGTERM}, onSignal);

    Progress progress(!quiet && stderrIsTty());
    OverfitWatch overfit;  // fed once an epoch
    const bool variational = trainer.architecture().variational;
    const int n = data.split.train.size();
    auto emitEpoch = [&](int epoch, const EpochSums &e, bool partial) {
        progress.clear();
        Json j = Json::object();
        j.set("epoch", epoch);
        if (partial) j.set("partial", true);
        j.set("steps", e.steps);
        j.set("seconds", e.seconds);
        j.set("samples_per_s", e.samplesPerSecond());
        const double k = e.steps ? 1.0 / double(e.steps) : 0;
        j.set("reconstruction", jsonNumber(e.reconstruction * k));
        Json terms = Json::object();
        for (const auto &[name, sum] : e.terms) terms.set(name, jsonNumber(sum * k));
        j.set("terms", std::move(terms));
        j.set("total", jsonNumber(e.total * k));
        const Metrics m = trainer.evaluate(data.split.test);
        addMetrics(j, m, "test_", variational);
        // Overfitting: the test MSE has risen from its lowest point while the training loss still falls (a
        // denoising model's from x̃, the curve the window judges).
        if (!partial) overfit.add(trainer.steps(), m.mseFromCorrupted >= 0 ? m.mseFromCorrupted : m.mse, e.reconstruction * k);
        if (const auto low = overfit.overfitting()) {
            Json o = Json::object();
            o.set("lowest_step", low->step);
            o.set("lowest_test_mse", jsonNumber(low->testMse));
            o.set("rise", jsonNumber(low->rise()));
            j.set("overfitting", std::move(o));
        }
        printJsonLine(j);
    };

    EpochSums sums;
    long long done = 0;
    const int firstEpoch = trainer.epoch();  // --epochs N: N more (a continued model starts at its own count)
    const long long firstStep = trainer.steps();
    bool diverged = false;
    std::string message;
    const auto started = Clock::now();
    while (!gStop && std::cout) {  // a closed stdout (the pipe's reader ended) stops like Ctrl-C
        if (stepsMode ? done >= maxSteps : trainer.epoch() - firstEpoch >= epochs) break;
        const auto t0 = Clock::now();
        const StepResult r = trainer.step();
        const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
        if (r.diverged) {
            diverged = true;
            message = r.message;
            break;
        }
        ++done;
        sums.add(r, dt);
        if (r.epochEnded) {
            emitEpoch(r.epoch, sums, false);
            sums = EpochSums{};
        } else {
            const std::string label = stepsMode ? "step " + std::to_string(done) + "/" + std::to_string(maxSteps)
                                                : "epoch " + std::to_string(r.epoch + 1 - firstEpoch) + "/" + std::to_string(epochs);
            progress.draw(label, double(trainer.positionInEpoch()) / n, sums.samplesPerSecond(),
                          sums.total / double(sums.steps));
        }
    }
    const bool interrupted = gStop.load();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    // A run too short for the saturation watch can end with a dead model: the same verdict, now.
    if (!diverged && done > 0) {
        message = trainer.haltIfDead();
        diverged = !message.empty();
    }
    if (sums.steps > 0) emitEpoch(trainer.epoch() + 1, sums, true);
    progress.clear();
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();

    if (diverged) std::cerr << "aelab-cli train: error: " << message << '\n';
    if (const auto low = overfit.overfitting(); low && !diverged) {
        char says[320];
        std::snprintf(says, sizeof says,
                      "overfitting: the test MSE was lowest near step %lld (%.4g, the median of %d epochs) and is %.1f %% "
                      "above that now, while the training loss went from %.4g to %.4g",
                      (long long)low->step, low->testMse, OverfitWatch::kSmooth, 100 * low->rise(), low->trainLoss, low->trainNow);
        note(says);
    }
    if (interrupted && !quiet) std::cerr << "aelab-cli train: interrupted after " << done << " steps\n";
    if (!std::cout) std::cerr << "aelab-cli train: stdout was closed: stopped after " << done << " steps\n";
    // A diverged run keeps its last healthy weights; when those are the weights it started from, there is
    // nothing to keep, and --out (maybe a model of an earlier run) stays as it was.
    const bool nothingLearned = diverged && trainer.restoredStep() == firstStep;
    if (given(a, "out") && nothingLearned)
        std::cerr << "aelab-cli train: not saved: the run diverged before it reached a healthy checkpoint (every "
                  << SaturationWatch::kWindow << " steps); " << out << " was left as it was\n";
    if (given(a, "out") && !nothingLearned) {
        std::map<std::string, std::string> extra{{"steps", std::to_string(diverged ? trainer.restoredStep() : trainer.steps())},
                                                 {"epoch", std::to_string(diverged ? trainer.restoredEpoch() : trainer.epoch())},
                                                 {"seed", std::to_string(seed)},
                                                 {"data", data.id},
                                                 {"seconds", std::to_string(elapsed)},
                                                 {"created_by", "aelab-cli train"}};
        if (init) extra["init"] = text(a, "init");
        if (diverged) extra["diverged"] = message;
        if (!trainer.model().allFinite()) throw std::runtime_error(out + ": not saved: the weights are not finite");
        saveModel(out, trainer.model(), trainer.settings(), extra);
        if (!quiet || diverged)
            std::cerr << "aelab-cli train: saved " << (diverged ? "the restored model (step " + std::to_string(trainer.restoredStep()) + ")" : std::string("the model"))
                      << " to " << out << '\n';
    }
    if (diverged) return 1;
    if (interrupted) return 130;
    return 0;
}

}  // namespace

Run addTrain(CLI::App &app)
{
    CLI::App *c = addCommand(
        app, "train", "[options]", "train an autoencoder; one JSON line per epoch on stdout",
        "Trains an autoencoder with the engine of the desktop app. Prints one JSON object per epoch on stdout\n"
        "(train losses: means over the epoch's steps; test_*: Trainer::evaluate on the test split) and a\n"
        "progress bar on stderr when it is a terminal. Ctrl-C stops between two steps and still writes --out.\n"
        "With --init the architecture, settings and data set default to the saved model's, and with its\n"
        "architecture the step and epoch counts go on from the model's.");
    addTrainOptions(*c);
    value(*c, "epochs", "N", "epochs to train (default 5)")->check(wholeIn(1, 1000000));
    value(*c, "steps", "N", "mini-batch steps to train instead of --epochs")->check(wholeIn(1, 1'000'000'000'000LL));
    addDataOptions(*c);
    value(*c, "init", "MODEL", "start from the weights (and configuration) of a saved model");
    value(*c, "out", "MODEL", "save the trained model here (.safetensors)");
    addThreadsOption(*c);
    sw(*c, "quiet", "no progress bar and no notes on stderr");
    return [c] { return runTrain(*c); };
}

}  // namespace cli
