#pragma once
// The arithmetic of aelab's measuring modes (--measure-quality, --measure-latency), kept free of Qt
// and of the window so that a test can check it with hand-made tables: when a series of test-MSE
// readings first crosses a threshold, the training time at a given step, medians and percentiles,
// and the memory figures of a /proc/<pid>/status text.
#include <cstdint>
#include <string>
#include <vector>

namespace quality {

/// One reading of the test MSE as the window showed it.
struct Reading {
    double seconds = 0;  ///< since Play (wall clock)
    std::int64_t step = 0;  ///< the training step whose weights were evaluated
    double mse = 0;
};

/// How a threshold counts as crossed.
enum class Crossing {
    Below,   ///< mse < threshold ("drops below PCA-2's test MSE")
    Reaches  ///< mse ≤ threshold ("reaches 0.047")
};

/// The index of the first reading that crosses `threshold`, or -1 when none does. Readings are taken
/// in the given order (the order the window showed them); a NaN never crosses.
int firstCrossing(const std::vector<Reading> &readings, double threshold, Crossing how);

/// One (step, training seconds) pair as the window's snapshots report them.
struct StepTime {
    std::int64_t step = 0;
    double seconds = 0;
};

/// The training seconds at `step`, linear between the two pairs around it (steps ascending). Before the
/// first pair: from (0, 0) to it; after the last: the last pair's rate since (0, 0). -1 when `points` is empty
/// or its steps do not grow.
double secondsAtStep(const std::vector<StepTime> &points, std::int64_t step);

/// The p-th percentile (0..100) by the nearest rank of the sorted values: v[round(p/100 · (n − 1))]; 0 if empty.
double percentile(std::vector<double> v, double p);
/// percentile(v, 50); for an even count the upper of the two middle values.
double median(std::vector<double> v);

/// The value in kB of `key` ("VmHWM", "VmRSS") in a /proc/<pid>/status text ("VmHWM:\t  123456 kB"),
/// or -1 when the key is missing or its value is not "<digits> kB".
long long statusKiB(const std::string &statusText, const std::string &key);

}  // namespace quality
