#pragma once
// Mini-batch training made for a live GUI: one step() call is one mini-batch. Settings may change
// between any two steps (setSettings) without a reset and without losing optimizer state; training
// stops cleanly between steps. Same seed + same settings + same thread count → bit-identical weights.
#include "../data/Dataset.h"
#include "../nn/Model.h"
#include "../parallel/ThreadTuner.h"
#include "../regularizers/Regularizer.h"
#include "Saturation.h"
#include "Settings.h"

#include <memory>
#include <string>
#include <vector>

namespace ael {

struct TermValue {
    std::string name;  ///< "reconstruction", "sparsity_l1", "sparsity_kl", "contractive", "contractive_est", "kl"
    double value = 0;
};

struct StepResult {
    long long step = 0;         ///< steps taken so far (this one included)
    int epoch = 0;              ///< completed epochs
    bool epochEnded = false;    ///< this step finished an epoch
    int batchSize = 0;
    double reconstruction = 0;  ///< L(x, x̂) on this batch
    std::vector<TermValue> terms;  ///< the regularizer terms on this batch (weighted, as optimized)
    double total = 0;           ///< reconstruction + Σ terms
    bool diverged = false;      ///< the step was rejected and the last finite weights restored
    std::string message;        ///< what overflowed, or a note (e.g. a variant switch)
};

struct Metrics {
    int samples = 0;
    double mse = 0;             ///< reconstruction MSE per pixel (clean input; μ for the variational model)
    double bce = 0;             ///< reconstruction BCE per pixel
    double meanCode = 0;        ///< mean |h_j| over units and samples
    double activeFraction = 0;  ///< fraction of (unit, sample) pairs with |h_j| > 0.1
    double jacobianFro = 0;     ///< ‖∂f(x)/∂x‖²_F, mean over (up to 256) samples
    double kl = 0;              ///< KL(q(h|x) ‖ N(0, I)) in nats per sample (variational only)
    /// Denoising: the MSE per pixel of g(f(x̃)) against the clean x, x̃ drawn from the settings' corruption
    /// as the window's curve does (kTestCorruptionSeed); −1 for a model that does not corrupt.
    double mseFromCorrupted = -1;
    /// Every code and output-layer pre-activation was finite. When they overflow, a sigmoid output still
    /// saturates to 0 or 1, and the MSE and BCE look like those of a bad model instead of none.
    bool finite = true;
};

/// What a saved run needs besides its weights and counters to continue exactly as if it had not been
/// interrupted: the optimizer's state per parameter, and where the data stream stands (the random
/// generator that shuffles, corrupts and samples, this epoch's order and the position in it). The
/// contractive estimate's own random directions are not part of it.
struct TrainerState {
    OptimizerKind optimizer = OptimizerKind::Adam;
    std::vector<std::pair<std::string, SlotState>> perParam;  ///< by Param::name, in the model's order
    Rng::State rng;
    std::vector<int> order;  ///< a permutation of the training set's indices
    int position = 0;        ///< the next batch starts at order[position]
};

/// Where the steps' time went, summed over the steps since Trainer::resetPhases() (aelab-cli bench --phases).
struct StepPhases {
    long long steps = 0;     ///< steps that completed (a diverged step is not counted)
    double batch = 0;        ///< the batch's bytes to floats (and the epoch's shuffle)
    double corruption = 0;   ///< x̃ ~ C(x̃|x), denoising only
    double forward = 0;      ///< every layer's products and activations
    double loss = 0;         ///< L(x, x̂) and its gradient
    double terms = 0;        ///< the regularizer terms' values and gradients
    double backward = 0;     ///< every layer's gradients
    double optimizer = 0;    ///< the update of every parameter
};

class Trainer {
public:
    /// The data set must outlive the trainer. Throws std::invalid_argument on a bad architecture or settings.
    Trainer(const Architecture &arch, const TrainSettings &settings, const Dataset &train, uint64_t seed);
    Trainer(const Trainer &) = delete;
    Trainer &operator=(const Trainer &) = delete;
    ~Trainer();

    /// Applies new settings before the next step. Returns an empty string, or why they were rejected
    /// (the previous settings then stay). A switch to or from the variational variant rebuilds the code
    /// layer; what was re-initialised is in lastSwitchReport().
    std::string setSettings(const TrainSettings &s);
    const TrainSettings &settings() const { return settings_; }
    const std::string &lastSwitchReport() const { return switchReport_; }

    /// One mini-batch step. With more than one engine thread, a ThreadTuner decides whether the step's
    /// regions use the workers or run on the calling thread alone (the same chunks, so the same bits).
    StepResult step();
    /// Seconds per phase since the last resetPhases() (or the start).
    const StepPhases &phases() const { return phases_; }
    void resetPhases() { phases_ = StepPhases(); }
    const ThreadTuner &threadTuner() const { return tuner_; }
    ThreadTuner &threadTuner() { return tuner_; }

    /// Replaces the weights with those of `m` where names and shapes agree (e.g. --init); returns the
    /// names that did not match. Optimizer state restarts.
    std::vector<std::string> loadWeights(const Model<float> &m);
    /// Continues a saved run (a model or session file): every parameter of `m` must match this
    /// trainer's model by name and shape (else std::invalid_argument and nothing changes); takes the
    /// weights and the step and epoch counters (the next step is steps + 1, at the start of an epoch's
    /// pass). Optimizer state restarts.
    void resume(const Model<float> &m, long long steps, int epoch);

    /// The optimizer's state and the data stream's position (see TrainerState).
    TrainerState state() const;
    /// Takes a saved state, normally right after resume(): the optimizer kind must be the current
    /// settings', every slot must name a parameter of this model and fit its shape, the order must be a
    /// permutation of this training set and the position inside it. Returns "" or why not; then
    /// nothing changes.
    std::string restoreState(const TrainerState &st);

    const Model<float> &model() const { return *model_; }
    const Architecture &architecture() const { return model_->arch(); }
    const Dataset &data() const { return *train_; }
    long long steps() const { return steps_; }
    int epoch() const { return epoch_; }
    int positionInEpoch() const { return pos_; }
    bool halted() const { return halted_; }
    /// The step whose weights a divergence restored (the last healthy checkpoint; before the first one, the
    /// initial, loaded or resumed weights: 0, or the step resume() was given).
    long long restoredStep() const { return savedStep_; }
    int restoredEpoch() const { return savedEpoch_; }  ///< the epoch that step was in
    /// At the end of a run: a model that did not diverge within a step but is dead as it stands (a run
    /// too short for the saturation watch's windows) is treated as diverged: the last healthy weights are
    /// restored and training halts. Returns the message (as StepResult::message), or "" when it is alive.
    std::string haltIfDead();

    /// Metrics of the current model on a data set (the first maxSamples images; -1: all).
    Metrics evaluate(const Dataset &d, int maxSamples = -1) const;

private:
    StepResult runStep();
    void rebuildFor(Variant v);
    /// Keeps the weights and the optimizer's state as the state a divergence goes back to; `windowMean`: the
    /// loss of the judged window it ends (< 0: not judged, e.g. the initial weights or a rebuilt model).
    void checkpoint(double windowMean = -1);
    /// Whether a judged window's end is a state to go back to (see Trainer.cpp).
    bool healthy(const SaturationWatch::Verdict &v, double lastLoss) const;
    void restore();
    /// The terms whose row of termTable() acts under the current settings, their weights set.
    std::vector<Regularizer<float> *> activeTerms();
    std::string firstNonFinite(const StepResult &r) const;
    std::string nonFiniteGradientOrWeight() const;
    StepResult diverge(StepResult r, long long at, const std::string &why);

    const Dataset *train_;
    TrainSettings settings_;
    Architecture base_;  ///< the user's architecture; the variational flag follows the variant
    std::unique_ptr<Model<float>> model_;
    std::unique_ptr<Optimizer> optimizer_;
    std::unique_ptr<Loss<float>> loss_;
    Rng rng_;
    uint64_t seed_;

    std::vector<std::unique_ptr<Regularizer<float>>> terms_;  ///< one per row of termTable(), same order

    std::vector<int> order_;
    int pos_ = 0;
    int epoch_ = 0;
    long long steps_ = 0;
    bool halted_ = false;
    std::string switchReport_;
    ThreadTuner tuner_;
    int tunedThreads_ = 0;  ///< the pool's thread count the tuner measured
    StepPhases phases_;

    Matrix X_, Xt_, dXhat_;
    ForwardPass<float> pass_;

    // Finite but dead (saturated) training; baselines of predicting the mean image, per loss
    SaturationWatch watch_;
    double baselineMse_ = 0, baselineBce_ = 0;
    double baseline() const { return settings_.loss == LossKind::BCE ? baselineBce_ : baselineMse_; }

    // The last finite, healthy state, taken every kCheckpointEvery steps
    static constexpr int kCheckpointEvery = SaturationWatch::kWindow;
    std::vector<Matrix> saved_;
    std::unique_ptr<Optimizer> savedOpt_;
    long long savedStep_ = 0;
    double savedLoss_ = -1;  ///< the loss of the window the checkpoint ended (< 0: not judged)
    int savedEpoch_ = 0;
};

}  // namespace ael
