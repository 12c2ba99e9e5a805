// aelab --measure-quality: time to quality as the audience sees it (see Measure.h). The test MSE is
// the one the window shows (the analysis thread's pass over the test set, every 100 ms or less often
// when a pass is slow), so a crossing counts when the Snapshot carrying it reaches the window, not
// when the engine got there; the engine's own training time at that step is reported beside it.
#include "Measure.h"
#include "QualityClock.h"

#include "core/data/Dataset.h"
#include "core/train/Settings.h"
#include "ui/training/DataBundle.h"
#include "ui/training/TrainingWorker.h"
#include "ui/window/MainWindow.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

/// When one threshold was crossed in one run (-1: not within the run).
struct Crossed {
    double wall = -1;    ///< seconds from Play until the window showed it
    qint64 step = -1;    ///< the step whose weights were evaluated
    double train = -1;   ///< training seconds at that step (the engine's share of `wall`)
};

struct RunResult {
    Crossed below, reach;  ///< below PCA-2's test MSE; at or below the target
    double samplesPerSecond = 0;
    int readings = 0;
    double lastMse = 0;
};

Crossed crossing(const std::vector<quality::Reading> &readings, const std::vector<quality::StepTime> &times,
                 double threshold, quality::Crossing how)
{
    const int i = quality::firstCrossing(readings, threshold, how);
    if (i < 0) return {};
    const quality::Reading &r = readings[size_t(i)];
    return {r.seconds, r.step, quality::secondsAtStep(times, r.step)};
}

/// Play on the window's current (fresh) run until it shows a test MSE ≤ the target or the limit passes.
RunResult oneRun(MainWindow &w, double pca2, const QualityOptions &o)
{
    TrainingWorker &worker = *w.worker();
    std::vector<quality::Reading> readings;
    std::vector<quality::StepTime> times;
    qint64 lastTest = 0;
    QElapsedTimer clock;
    const quint64 run = w.runId();
    const QMetaObject::Connection c = QObject::connect(&w, &MainWindow::snapshotApplied, [&](const Snapshot &s) {
        if (s.runId != run) return;
        if (s.step > 0 && (times.empty() || s.step > times.back().step)) times.push_back({s.step, s.elapsedSeconds});
        if (s.testStep > lastTest) {
            lastTest = s.testStep;
            readings.push_back({double(clock.nsecsElapsed()) / 1e9, s.testStep, s.testMse});
        }
    });
    clock.start();
    worker.play();
    spinEvents(int(o.limitSeconds * 1000),
               [&] { return quality::firstCrossing(readings, o.target, quality::Crossing::Reaches) >= 0; });
    worker.pause();
    QObject::disconnect(c);
    spinEvents(200);  // the trainer thread finishes its batch
    RunResult r;
    r.below = crossing(readings, times, pca2, quality::Crossing::Below);
    r.reach = crossing(readings, times, o.target, quality::Crossing::Reaches);
    r.samplesPerSecond = double(worker.trainedSamples()) / std::max(1e-9, worker.trainingSeconds());
    r.readings = int(readings.size());
    r.lastMse = readings.empty() ? 0 : readings.back().mse;
    return r;
}

void printCrossed(const char *what, const Crossed &c)
{
    if (c.wall < 0) std::printf("  %s: not reached", what);
    else std::printf("  %s: %5.2f s (step %lld, %5.2f s of training)", what, c.wall, (long long)c.step, c.train);
}

/// "median 1.23 s (3 of 3 runs)" over the runs that crossed.
void printMedian(const char *what, const std::vector<RunResult> &runs, Crossed RunResult::*which)
{
    std::vector<double> wall, train;
    for (const RunResult &r : runs)
        if ((r.*which).wall >= 0) wall.push_back((r.*which).wall), train.push_back((r.*which).train);
    if (wall.empty()) return (void)std::printf("%s: not reached in any run\n", what);
    std::printf("%s: median %.2f s in the window (%.2f s of training), %zu of %zu runs\n", what, quality::median(wall),
                quality::median(train), wall.size(), runs.size());
}

}  // namespace

int measureQuality(MainWindow &w, const QualityOptions &o, const QElapsedTimer &sinceStart)
{
    w.show();
    spinEvents(120000, [&] { return w.snapshotsApplied() > 0 && w.lastSnapshot().runId == w.runId(); });
    const double upMs = double(sinceStart.nsecsElapsed()) / 1e6;
    const std::shared_ptr<const DataBundle> d = w.data();
    if (!d) return std::fprintf(stderr, "aelab: --measure-quality: no data\n"), 1;
    spinEvents(300000, [&] { return d->pca() || !d->pcaError().isEmpty(); });
    const double pcaMs = double(sinceStart.nsecsElapsed()) / 1e6;
    const std::shared_ptr<const PcaSummary> pca = d->pca();
    if (!pca) return std::fprintf(stderr, "aelab: --measure-quality: no PCA (%s)\n", qPrintable(d->pcaError())), 1;
    const double pca2 = pca->testMse(pca->cappedK(2));

    TrainingWorker &worker = *w.worker();
    const ael::TrainSettings s = worker.engineSettings();
    std::printf("data %s (%d train / %d test images), model %s, %s, batch %d, lr %g, engine threads %d, seed %llu\n",
                qPrintable(d->label), d->train->size(), d->test->size(), worker.engineArchitecture().spec().c_str(),
                ael::toString(s.optimizer), s.batchSize, s.opt.learningRate, worker.options().trainThreads,
                (unsigned long long)worker.engineSeed());
    std::printf("window up with data (first snapshot shown) %.0f ms after main(); PCA fitted %.0f ms after main()\n", upMs,
                pcaMs);
    std::printf("thresholds: test MSE < %.5f (PCA-2's) and <= %.5f; from Play, %d fresh runs of the same seed:\n", pca2,
                o.target, o.runs);
    std::vector<RunResult> runs;
    for (int i = 0; i < o.runs; ++i) {
        if (worker.engineStep() > 0) {
            w.resetRun();
            spinEvents(60000, [&] { return w.lastSnapshot().runId == w.runId() && worker.engineStep() == 0; });
        }
        runs.push_back(oneRun(w, pca2, o));
        const RunResult &r = runs.back();
        std::printf("  run %d:", i + 1);
        printCrossed("below PCA-2", r.below);
        printCrossed("target", r.reach);
        std::printf(";  %.0f samples/s, %d test readings, last test MSE %.5f\n", r.samplesPerSecond, r.readings, r.lastMse);
    }
    worker.stop();
    printMedian("below PCA-2", runs, &RunResult::below);
    printMedian("target", runs, &RunResult::reach);
    std::printf("%s\n", memoryReport().c_str());
    std::fflush(stdout);
    return 0;
}
