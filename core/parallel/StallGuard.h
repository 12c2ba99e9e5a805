#pragma once
// When another process shares the cores (a lecturer's slides, a browser, a compile), the OS can take a
// pool worker off its core in the middle of its chunk, and the caller then waits for it for up to a
// scheduler time slice: milliseconds, against parallel regions of 20–500 µs. Measured on 2 cores with
// one `yes > /dev/null` beside aelab-cli bench: two threads ran 30 % slower than one at batch 32.
//
// StallGuard watches each parallel region. A region is a stall when the caller, having run out of chunks
// to claim, then waited for the others longer than it had computed itself and more than a millisecond
// (a descheduled worker costs 2–5 ms here; a worker that is merely slower, or late from its wake-up,
// costs tens of µs and is no stall). After a stall the next `period` regions run on the caller alone —
// the same chunks, so the same bits — and then one region tries the workers again. Each further stall
// doubles the period (up to kMaxPeriod); every kCleanToReset tries in which a worker helped without a
// stall halve it again (down to kFirstPeriod). On an idle machine stalls are rare and every region runs
// in parallel.
//
// Measured (2 cores, aelab-cli bench --models A B --batches 32 128, 3–4 alternating rounds, medians):
// idle, unchanged (±0.5 %); beside one `yes > /dev/null`, two threads went from 0.79–0.95 of one
// thread's speed to 0.82–1.03 (B at batch 32: 16.4k → 19.5k samples/s, one thread 19.6k).
#include <algorithm>

namespace ael {

class StallGuard {
public:
    static constexpr int kFirstPeriod = 16, kMaxPeriod = 4096, kCleanToReset = 64;
    static constexpr double kMinStallSeconds = 1e-3;  // a scheduler time slice is 1–4 ms

    /// Whether the next region is to run on the caller alone (and counts it if so).
    bool takeAlone()
    {
        if (alone_ == 0) return false;
        --alone_;
        return true;
    }
    /// After a region that was offered to the workers: the caller's seconds computing chunks, its
    /// seconds waiting for the rest, and whether another thread ran a chunk.
    void afterRegion(double own, double waited, bool helped)
    {
        if (waited > own && waited > kMinStallSeconds) {
            alone_ = period_;
            period_ = std::min(2 * period_, kMaxPeriod);
            clean_ = 0;
        } else if (helped && ++clean_ >= kCleanToReset) {
            period_ = std::max(period_ / 2, kFirstPeriod);
            clean_ = 0;
        }
    }
    /// Regions still to run alone; the length of the next alone stretch.
    int aloneLeft() const { return alone_; }
    int period() const { return period_; }

private:
    int alone_ = 0, period_ = kFirstPeriod, clean_ = 0;
};

}  // namespace ael
