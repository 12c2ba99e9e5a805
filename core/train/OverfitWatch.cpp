#include "OverfitWatch.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace ael {

void OverfitWatch::reset() { *this = OverfitWatch(); }

OverfitWatch::Lowest OverfitWatch::current() const { return {lowStep_, lowTest_, lowTrain_, testNow_, trainNow_}; }

void OverfitWatch::add(int64_t step, double testMse, double trainLoss)
{
    if (!std::isfinite(testMse) || !std::isfinite(trainLoss)) return;
    recent_.push_back({step, testMse, trainLoss});
    if (int(recent_.size()) > kSmooth) recent_.pop_front();
    ++count_;
    if (int(recent_.size()) < kSmooth) return;

    // The medians of the window (kSmooth is odd).
    const auto byTestMse = [](const Eval &a, const Eval &b) { return a.test < b.test; };
    std::array<Eval, kSmooth> byTest;
    std::copy(recent_.begin(), recent_.end(), byTest.begin());
    std::nth_element(byTest.begin(), byTest.begin() + kSmooth / 2, byTest.end(), byTestMse);
    std::array<double, kSmooth> train;
    std::transform(recent_.begin(), recent_.end(), train.begin(), [](const Eval &e) { return e.train; });
    std::nth_element(train.begin(), train.begin() + kSmooth / 2, train.end());
    const Eval &median = byTest[kSmooth / 2];
    testNow_ = median.test;
    trainNow_ = train[kSmooth / 2];

    if (lowAt_ < 0 || testNow_ < lowTest_) {
        lowAt_ = count_;
        // Where to mark it: the window's lowest evaluation (a median of a V-shaped stretch lies on its
        // shallower side, a few evaluations past the bottom).
        lowStep_ = std::min_element(recent_.begin(), recent_.end(), byTestMse)->step;
        lowTest_ = testNow_;
        lowTrain_ = trainNow_;
        flagged_ = false;
        return;
    }
    // Held at half the thresholds once reported, so that a run at the threshold does not flicker.
    const double share = flagged_ ? 0.5 : 1.0;
    // (A test MSE of exactly 0, an input copied to the bit, has no rise to speak of.)
    flagged_ = (flagged_ || count_ - lowAt_ >= kAfter) && trainNow_ <= lowTrain_ * (1 - share * kTrainFall) &&
               testNow_ >= lowTest_ * (1 + share * kRise) && testNow_ > lowTest_;
}

}  // namespace ael
