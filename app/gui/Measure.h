#pragma once
// aelab's measuring modes (unattended; they print their figures on stdout and return the exit status):
//   --measure-latency SECONDS   event-loop lateness while training, window vs headless samples/s
//   --measure-quality           seconds from Play to the test MSE below PCA-2's and to a target MSE
// Both end with the process's resident memory (now and peak).
#include <QElapsedTimer>

#include <functional>
#include <map>
#include <string>

class MainWindow;

/// Runs the event loop for `ms` milliseconds, or until `done` returns true (checked every 10 ms).
void spinEvents(int ms, const std::function<bool()> &done = {});

/// CPU seconds (user + system) of this process's threads by thread name ("GUI" for the main thread; Linux).
std::map<std::string, double> threadCpuSeconds();

/// "resident memory: 123 MB now (VmRSS), peak 150 MB (VmHWM)" from /proc/self/status, or why not.
std::string memoryReport();

int measureLatency(MainWindow &w, double seconds);

struct QualityOptions {
    int runs = 3;             ///< fresh runs, each from Play to the target
    double target = 0.047;    ///< the test MSE to reach
    double limitSeconds = 120;  ///< a run that has not reached the target by then stops
};
/// Waits for the window's data and PCA, then `runs` times: fresh weights (same seed), Play, and the
/// seconds until the window shows a test MSE below PCA-2's and one ≤ the target. `sinceStart` runs
/// since main() began (the window-up time).
int measureQuality(MainWindow &w, const QualityOptions &o, const QElapsedTimer &sinceStart);
