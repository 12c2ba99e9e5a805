#pragma once
// Divergence that stays finite: with a far too large learning rate (Adam at 10, SGD at 1e3) the
// weights jump until every output unit is saturated (a sigmoid at exactly 0 or 1) or the codes reach
// 1e7; the gradients then vanish and the loss sits, finite and flat, above what predicting the mean
// image would give. The watch judges windows of kWindow steps: a window is "dead" when its mean loss
// is above kBaselineFactor × the predict-the-mean baseline, did not improve on the previous window,
// and the last batch was saturated. kDeadWindows dead windows in a row are a divergence.
// A slow but healthy run (SGD at 1e-5: flat and above the baseline, not saturated) and a trained
// model (saturated background pixels, below the baseline) are not.
#include "../Tensor.h"
#include "../activations/Activation.h"
#include "../data/Dataset.h"
#include "../losses/Loss.h"

#include <string>

namespace ael {

/// The per-pixel loss of predicting every image as the mean image of `d` (MSE: the mean pixel
/// variance; BCE: the mean binary entropy of the pixel means).
double predictMeanBaseline(const Dataset &d, LossKind loss);

class SaturationWatch {
public:
    static constexpr int kWindow = 50;
    static constexpr int kDeadWindows = 2;
    static constexpr double kBaselineFactor = 1.25;
    static constexpr double kMaxMeanCode = 1e5;       ///< mean |h| beyond this is saturated
    static constexpr double kSaturatedZ = 15;         ///< sigmoid'(15) = 3e-7
    static constexpr double kSaturatedFraction = 0.5;

    /// Starts afresh (new settings, a restore) with the given baseline.
    void reset(double baseline);
    /// One step's reconstruction loss.
    void addLoss(double loss) { sum_ += loss; ++steps_; }
    bool windowComplete() const { return steps_ >= kWindow; }

    struct Verdict {
        bool suspect = false;   ///< above the baseline and saturated: not a state to checkpoint
        double mean = 0;        ///< the window's mean loss
        bool improved = false;  ///< no worse than the previous window's (false for the first window after a reset)
        bool diverged = false;  ///< kDeadWindows dead windows in a row
        std::string why;        ///< for the message, e.g. "the loss 0.1145 has not improved for 100 steps ..."
    };
    /// Closes the window, judging the last batch's output pre-activations and codes.
    Verdict closeWindow(ActivationKind output, const Matrix &outputZ, const Matrix &codes);
    /// At the end of a run too short for kDeadWindows windows: why the model as it stands is dead (the
    /// steps since the last window above kBaselineFactor × the baseline and the last batch saturated),
    /// or "" when it is not (or no step has been taken since the window closed).
    std::string deadNow(ActivationKind output, const Matrix &outputZ, const Matrix &codes) const;

private:
    double baseline_ = 0;
    double sum_ = 0;
    int steps_ = 0;
    double previous_ = -1;  // the previous window's mean (< 0: none yet)
    int dead_ = 0;
};

}  // namespace ael
