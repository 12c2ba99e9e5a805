#pragma once
// Whether two threads pay for a training step is a matter of the model, the batch and the machine: on
// 2 cores with oneDNN's kernels, the 2-D model at batch 32 trains faster on one thread than on two
// (its regions are ~30 µs, the fork–join costs several), at batch 128 two are 20–30 % faster; beside a
// busy process two threads can lose to one at any batch. So the trainer measures instead of guessing:
//
//   warm up kWarmupSteps steps and kWarmupSeconds, unmeasured (allocation, kernel generation, cold cores);
//   probe   kProbeSteps steps (and at least kProbeSeconds) with the workers, then as many on the caller alone;
//   hold    the faster of the two, by the mean seconds per sample of the probe's steps without its slowest
//           one, for kFirstHoldSeconds; then probe again. Each probe that confirms the way doubles the hold (up
//           to kMaxHoldSeconds); a change of way starts again from kFirstHoldSeconds. Once a way is held, the
//           other must be kSwitchMargin faster to take over: beside a busy process the two are often within a
//           few per cent, and a way flipped by the noise kept the holds at kFirstHoldSeconds.
//
// Without the slowest step: now and then one step pays for something else (an epoch's last, smaller batch
// and its new product shapes, a page fault), and one such step in a 20 ms probe decided wrongly by the plain
// mean. But not the median either: beside a busy process, most steps with the workers are fast and a few
// wait milliseconds for a descheduled worker, and the median ignores those waits (tst_threadtuner). Measured
// side by side beside one busy process (Intel, 7 rounds), the two estimators gave the same speed within the
// noise (A/32: 0.976 and 0.972 of one thread; A/128: 0.980 and 0.985).
// The short first hold: in 3 of 6 runs of the 2-D model at batch 128 the very first probe, right after the
// start, found the workers 40 % slower than they are a second later, and a 2 s hold kept that mistake.
//
// "On the caller alone" runs the same chunks as the workers would (ThreadPool::setAloneOnThisThread), so
// the weights do not depend on which way a step ran: the same seed gives the same bits, whatever the
// timings.
#include <algorithm>
#include <vector>

namespace ael {

class ThreadTuner {
public:
    static constexpr int kWarmupSteps = 4, kProbeSteps = 8;
    static constexpr double kWarmupSeconds = 0.04, kProbeSeconds = 0.02;
    static constexpr double kFirstHoldSeconds = 0.25, kMaxHoldSeconds = 2.0;
    static constexpr double kSwitchMargin = 0.05;

    /// Measure (the default), or always one way (benchmarks compare them; the bits are the same).
    enum class Policy { Measure, Workers, Alone };
    void setPolicy(Policy p)
    {
        if (p == Policy::Measure && policy_ != Policy::Measure) restart();
        policy_ = p;
    }
    Policy policy() const { return policy_; }

    /// Whether the next step is to run on the caller alone.
    bool alone() const
    {
        if (policy_ != Policy::Measure) return policy_ == Policy::Alone;
        return phase_ == Phase::ProbeAlone || (phase_ == Phase::Hold && holdAlone_);
    }

    /// After a step that ran as alone() said: its wall-clock seconds and its samples.
    void record(double seconds, int samples)
    {
        if (policy_ != Policy::Measure) return;
        ++steps_;
        seconds_ += seconds;
        if (samples > 0 && perSample_.size() < kMaxProbe) perSample_.push_back(seconds / samples);
        switch (phase_) {
        case Phase::Warmup:
            if (steps_ >= kWarmupSteps && seconds_ >= kWarmupSeconds) next(Phase::ProbeWorkers);
            break;
        case Phase::ProbeWorkers:
            if (probeDone()) {
                workersPerSample_ = meanWithoutSlowest();
                next(Phase::ProbeAlone);
            }
            break;
        case Phase::ProbeAlone:
            if (probeDone()) {
                alonePerSample_ = meanWithoutSlowest();
                const bool alone = aloneWins(alonePerSample_, workersPerSample_);
                hold_ = decided_ && alone == holdAlone_ ? std::min(2 * hold_, kMaxHoldSeconds) : kFirstHoldSeconds;
                holdAlone_ = alone;
                decided_ = true;
                next(Phase::Hold);
            }
            break;
        case Phase::Hold:
            if (seconds_ >= hold_) next(Phase::ProbeWorkers);
            break;
        }
    }

    /// Forget the measurements (the model, the batch size or the thread count changed): warm up and probe again.
    void restart()
    {
        holdAlone_ = false;
        decided_ = false;
        next(Phase::Warmup);
    }

    /// The last probe's seconds per sample each way (0 before the first probe ends); for tests.
    double workersPerSample() const { return workersPerSample_; }
    double alonePerSample() const { return alonePerSample_; }
    /// How long the way now held is kept before the next probe.
    double holdSeconds() const { return hold_; }

private:
    enum class Phase { Warmup, ProbeWorkers, ProbeAlone, Hold };
    static constexpr size_t kMaxProbe = 512;
    /// Whether alone is the way to hold: the faster of the two, but a way already held is left only for one
    /// kSwitchMargin faster (a near tie, as beside a busy process, kept flipping the way and each flip cut the
    /// hold back to kFirstHoldSeconds: probes every ~0.3 s).
    bool aloneWins(double alone, double workers) const
    {
        if (!decided_) return alone < workers;
        return holdAlone_ ? alone < workers / (1 - kSwitchMargin) : alone < workers * (1 - kSwitchMargin);
    }
    bool probeDone() const { return steps_ >= kProbeSteps && seconds_ >= kProbeSeconds && !perSample_.empty(); }
    double meanWithoutSlowest() const
    {
        if (perSample_.size() == 1) return perSample_[0];
        double sum = 0;
        for (double v : perSample_) sum += v;
        return (sum - *std::max_element(perSample_.begin(), perSample_.end())) / double(perSample_.size() - 1);
    }
    void next(Phase p)
    {
        phase_ = p;
        steps_ = 0;
        seconds_ = 0;
        perSample_.clear();
    }

    Policy policy_ = Policy::Measure;
    Phase phase_ = Phase::Warmup;
    bool holdAlone_ = false, decided_ = false;
    double hold_ = kFirstHoldSeconds;
    int steps_ = 0;
    double seconds_ = 0;
    std::vector<double> perSample_;  ///< of the current phase's steps
    double workersPerSample_ = 0, alonePerSample_ = 0;
};

}  // namespace ael
