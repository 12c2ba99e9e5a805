// aelab --measure-latency SECONDS: the event loop's lateness while training, and the window's
// samples/s beside a headless loop's at the window's thread count and at aelab-cli's default (see Measure.h).
#include "Measure.h"
#include "QualityClock.h"

#include "core/parallel/ThreadPool.h"
#include "core/train/Trainer.h"
#include "ui/training/TrainingWorker.h"
#include "ui/window/MainWindow.h"

#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <set>
#include <thread>
#include <vector>

namespace {

constexpr int kCliDefaultThreads = 2;  // aelab-cli's default --threads

/// Waits until the trainer thread has stopped stepping (after pause()).
void waitIdle(TrainingWorker &worker)
{
    qint64 step = -1;
    spinEvents(3000, [&] {
        const qint64 now = worker.engineStep();
        const bool same = now == step;
        step = now;
        return same;
    });
}

struct HeadlessSlice {
    double rate = 0;        // samples/s
    double cpuSeconds = 0;  // of the stepping thread
    qint64 samples = 0;
};

/// Trainer::step() on its own thread for `slice` seconds with the engine's pool at `threads`; the event
/// loop keeps running meanwhile (the window is idle: its trainer is paused).
HeadlessSlice headlessSlice(ael::Trainer &t, double slice, int threads)
{
    ael::ThreadPool &pool = ael::ThreadPool::instance();
    const int before = pool.threads();
    pool.setThreads(threads);
    HeadlessSlice out;
    std::atomic<bool> done{false};
    std::thread th([&] {
        using Clock = std::chrono::steady_clock;
        const auto a = Clock::now();
        double dt = 0;
        while ((dt = std::chrono::duration<double>(Clock::now() - a).count()) < slice) out.samples += t.step().batchSize;
        out.rate = double(out.samples) / dt;
        timespec cpu{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
        out.cpuSeconds = double(cpu.tv_sec) + 1e-9 * double(cpu.tv_nsec);
        done = true;
    });
    spinEvents(int(slice * 1000) + 5000, [&] { return done.load(); });
    th.join();
    pool.setThreads(before);
    return out;
}

/// The event loop's lateness: a 10 ms precise timer's delay beyond 10 ms, recorded while `measuring`.
struct LatenessProbe {
    std::vector<double> late;
    bool measuring = false;
    QElapsedTimer clock;
    qint64 last = -1;
    QTimer timer;

    LatenessProbe()
    {
        clock.start();
        timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            const qint64 now = clock.nsecsElapsed();
            if (measuring && last >= 0) late.push_back(std::max(0.0, double(now - last) / 1e6 - 10.0));
            last = measuring ? now : -1;
        });
        timer.start(10);
    }
};

double ratioOfMedians(const std::vector<double> &a, const std::vector<double> &b)
{
    return quality::median(a) / std::max(1e-9, quality::median(b));
}

}  // namespace

/// Alternates slices of training in the window with slices of a headless Trainer::step() loop (same
/// model, settings and seed; window idle) at the window's thread count and, when it differs, at
/// aelab-cli's default, so that the ratios are not skewed by whatever else the machine does meanwhile;
/// the event loop's lateness is recorded during the window's slices.
int measureLatency(MainWindow &w, double seconds)
{
    w.show();
    spinEvents(5000, [&] { return w.snapshotsApplied() > 0; });
    TrainingWorker &worker = *w.worker();
    const int threads = worker.options().trainThreads;
    const std::set<int> headThreads{threads, kCliDefaultThreads};
    // The same seed: the same trajectory (the speed of a step depends a little on the weights).
    ael::Trainer headless(worker.engineArchitecture(), worker.engineSettings(), *w.data()->train, worker.engineSeed());
    for (int i = 0; i < 10; ++i) headless.step();  // warm-up

    LatenessProbe probe;
    const int rounds = std::max(3, int(seconds / 1.5 + 0.5));  // short slices: all sides see the same machine
    const double slice = seconds / rounds;
    std::vector<double> gui;
    std::map<int, std::vector<double>> head;  // by thread count
    qint64 snaps = 0, guiSamples = 0;
    std::map<std::string, double> cpu;  // CPU seconds during the window's slices
    HeadlessSlice same;                 // the headless loop at the window's thread count, summed
    for (int r = 0; r < rounds; ++r) {
        const qint64 s0 = worker.trainedSamples(), n0 = w.snapshotsApplied();
        const double t0 = worker.trainingSeconds();
        const auto cpu0 = threadCpuSeconds();
        probe.measuring = true;
        worker.play();
        spinEvents(int(slice * 1000));
        probe.measuring = false;
        for (const auto &[name, sec] : threadCpuSeconds()) {
            const auto it = cpu0.find(name);
            cpu[name] += sec - (it == cpu0.end() ? 0.0 : it->second);
        }
        worker.pause();
        snaps += w.snapshotsApplied() - n0;
        waitIdle(worker);
        gui.push_back(double(worker.trainedSamples() - s0) / std::max(1e-9, worker.trainingSeconds() - t0));
        guiSamples += worker.trainedSamples() - s0;
        for (int n : headThreads) {
            const HeadlessSlice h = headlessSlice(headless, slice, n);
            head[n].push_back(h.rate);
            if (n == threads) same.cpuSeconds += h.cpuSeconds, same.samples += h.samples;
        }
    }
    probe.timer.stop();
    worker.stop();

    const ael::TrainSettings st = worker.engineSettings();
    std::printf("model %s, %s, batch %d, engine threads %d, analysis nice %d\n", worker.engineArchitecture().spec().c_str(),
                ael::toString(st.variant), st.batchSize, threads, worker.options().analysisNice);
    std::printf("%d rounds of %.1f s in the window, then %.1f s headless at each thread count:\n", rounds, slice, slice);
    for (int r = 0; r < rounds; ++r) {
        std::printf("  round %d: window %6.0f samples/s", r + 1, gui[size_t(r)]);
        for (int n : headThreads) std::printf(", headless %d thr %6.0f", n, head[n][size_t(r)]);
        std::printf("\n");
    }
    std::printf("in the window: median %.0f samples/s, %.1f snapshots/s\n", quality::median(gui), double(snaps) / seconds);
    for (int n : headThreads)
        std::printf("headless, %d thread%s: median %.0f samples/s; window / headless %.3f%s\n", n, n == 1 ? "" : "s",
                    quality::median(head[n]), ratioOfMedians(gui, head[n]),
                    n == threads && n == kCliDefaultThreads ? " (same thread count; aelab-cli's default)"
                    : n == threads                          ? " (same thread count)"
                                                            : " (aelab-cli's default thread count)");
    std::printf("CPU use while training in the window (share of one core):");
    for (const auto &[name, sec] : cpu)
        if (sec > 0.005 * seconds) std::printf("  %s %.0f %%", name.c_str(), 100.0 * sec / seconds);
    std::printf("\n");
    // Samples per CPU-second of the training thread: the per-sample cost without the machine's other
    // load (which takes a share of the cores from the window's threads and the headless loop alike).
    const double trainCpu = cpu.count("aelab-train") ? cpu["aelab-train"] : 0.0;
    if (threads == 1 && trainCpu > 0 && same.cpuSeconds > 0)
        std::printf("per CPU-second of the training thread: window %.0f, headless %.0f samples (ratio %.3f)\n",
                    double(guiSamples) / trainCpu, double(same.samples) / same.cpuSeconds,
                    (double(guiSamples) / trainCpu) / (double(same.samples) / same.cpuSeconds));
    std::printf("event-loop lateness of a 10 ms timer while training (%zu ticks): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                probe.late.size(), quality::percentile(probe.late, 50), quality::percentile(probe.late, 99),
                quality::percentile(probe.late, 100));
    std::printf("%s\n", memoryReport().c_str());
    std::fflush(stdout);
    return 0;
}
