#pragma once
// Overfitting, as a class sees it on the loss chart: the training loss still falls while the test MSE,
// having reached its lowest point, rises again. (784-128-[16]-128-784 trained on 300 of the digits: the
// test MSE is lowest, 0.032, after ~40 epochs and 27 % above that by epoch 200, while the training loss
// keeps falling. The window's default 2-D model on all the digits: lowest near step 7,000, 8 % above that
// after 72,500 steps.)
//
// The watch is fed one test evaluation at a time with the mean training loss since the one before. Both
// are smoothed by the median of the last kSmooth evaluations, so one noisy evaluation neither makes a
// lowest point nor a rise. It reports overfitting when, at least kAfter evaluations after the smoothed
// test MSE's lowest point, it stands ≥ kRise above it while the smoothed training loss is ≥ kTrainFall
// below its value then. A diverging run (both rising) and a flat, noisy one are not overfitting. Once
// reported, it holds while both stay beyond half those thresholds and the test MSE makes no new low (no
// flicker at the threshold). A change of variant or setting moves both curves: the caller starts afresh.
#include <cstdint>
#include <deque>
#include <optional>

namespace ael {

class OverfitWatch {
public:
    static constexpr int kSmooth = 7;            ///< evaluations in the running median
    static constexpr int kAfter = 10;            ///< evaluations after the lowest point before a verdict
    static constexpr double kRise = 0.015;       ///< the test MSE's rise over its lowest point (relative)
    static constexpr double kTrainFall = 0.01;   ///< the training loss's fall since then (relative)

    struct Lowest {
        int64_t step = 0;       ///< the lowest evaluation of the window whose median was the lowest
        double testMse = 0;     ///< that median: the smoothed test MSE at its lowest
        double trainLoss = 0;   ///< the smoothed training loss then
        double testNow = 0;     ///< the smoothed test MSE now
        double trainNow = 0;    ///< the smoothed training loss now
        /// (testNow − testMse) / testMse: how far the test MSE has risen since its lowest point.
        double rise() const { return testMse > 0 ? testNow / testMse - 1 : 0; }
    };

    void reset();
    /// One test evaluation at `step`, with the mean training loss over the steps since the previous one
    /// (NaN or ∞ in either: the evaluation is skipped).
    void add(int64_t step, double testMse, double trainLoss);
    /// The lowest point while the run overfits (see above); nullopt otherwise.
    std::optional<Lowest> overfitting() const { return flagged_ ? std::optional<Lowest>(current()) : std::nullopt; }
    int evaluations() const { return count_; }

private:
    struct Eval {
        int64_t step;
        double test, train;
    };
    Lowest current() const;

    std::deque<Eval> recent_;  // the last kSmooth evaluations
    int count_ = 0;            // evaluations since reset()
    int lowAt_ = -1;           // the evaluation index of the lowest point (−1: none yet)
    int64_t lowStep_ = 0;
    double lowTest_ = 0, lowTrain_ = 0, testNow_ = 0, trainNow_ = 0;
    bool flagged_ = false;
};

}  // namespace ael
