// aelab: the live window. Besides the normal start it has three unattended modes:
//   aelab --screenshot FILE.png --train-seconds N [--size 1920x1080]   train N s, save a grab, exit
//   aelab --measure-latency SECONDS [--threads N]   event-loop lateness and in-GUI vs headless samples/s
//   aelab --startup-time                            time to a window that is ready to train, exit
// All work under xvfb-run and QT_QPA_PLATFORM=offscreen. --fresh ignores the stored settings.
#include "core/train/Trainer.h"
#include "ui/Ask.h"
#include "ui/ControlPanel.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFont>
#include <QPixmap>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace {

QElapsedTimer g_sinceStart;

/// Runs the event loop for `ms` milliseconds (or until `done` is true, checked every 10 ms).
void spin(int ms, const std::function<bool()> &done = {})
{
    QEventLoop loop;
    QTimer stop;
    stop.setSingleShot(true);
    QObject::connect(&stop, &QTimer::timeout, &loop, &QEventLoop::quit);
    stop.start(ms);
    QTimer poll;
    if (done) {
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (done()) loop.quit();
        });
        poll.start(10);
    }
    loop.exec();
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, size_t(p / 100.0 * double(v.size() - 1) + 0.5));
    return v[i];
}

/// Trainer::step() back to back on this thread, as the command line would: samples/s.
double headlessRate(const MainWindow &w, double seconds, int threads)
{
#ifdef _OPENMP
    omp_set_num_threads(threads);
#else
    (void)threads;
#endif
    const auto data = w.data();
    ael::Trainer t(w.worker()->engineArchitecture(), w.worker()->engineSettings(), *data->train, 1);
    for (int i = 0; i < 10; ++i) t.step();  // warm-up
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    qint64 n = 0;
    double dt = 0;
    while ((dt = std::chrono::duration<double>(Clock::now() - t0).count()) < seconds) n += t.step().batchSize;
#ifdef _OPENMP
    omp_set_num_threads(1);
#endif
    return double(n) / dt;
}

int measureLatency(MainWindow &w, double seconds)
{
    w.show();
    spin(5000, [&] { return w.snapshotsApplied() > 0; });
    std::vector<double> late;
    QElapsedTimer clock;
    qint64 last = -1;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&timer, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last >= 0) late.push_back(std::max(0.0, double(now - last) / 1e6 - 10.0));
        last = now;
    });
    const qint64 snaps0 = w.snapshotsApplied();
    w.worker()->play();
    clock.start();
    timer.start(10);
    spin(int(seconds * 1000));
    timer.stop();
    const qint64 snaps = w.snapshotsApplied() - snaps0;
    const double guiRate = w.worker()->trainingSeconds() > 0
                               ? double(w.worker()->trainedSamples()) / w.worker()->trainingSeconds()
                               : 0.0;
    const qint64 steps = w.worker()->engineStep();
    w.worker()->pause();
    w.worker()->stop();
    std::printf("model %s, %s, batch %d, trainer threads %d, analysis nice %d\n",
                w.worker()->engineArchitecture().spec().c_str(), ael::toString(w.worker()->engineSettings().variant),
                w.worker()->engineSettings().batchSize, w.worker()->options().trainThreads,
                w.worker()->options().analysisNice);
    std::printf("in GUI: %.1f s, %lld steps, %.0f samples/s, %lld snapshots (%.1f/s)\n", seconds, (long long)steps,
                guiRate, (long long)snaps, double(snaps) / seconds);
    std::printf("event-loop lateness of a 10 ms timer (%zu ticks): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                late.size(), percentile(late, 50), percentile(late, 99), percentile(late, 100));
    const double h1 = headlessRate(w, std::min(seconds, 10.0), 1);
    std::printf("headless Trainer::step, 1 thread:  %.0f samples/s  (GUI / headless = %.2f)\n", h1, guiRate / h1);
    const double h2 = headlessRate(w, std::min(seconds, 10.0), 2);
    std::printf("headless Trainer::step, 2 threads: %.0f samples/s  (GUI / headless = %.2f)\n", h2, guiRate / h2);
    std::fflush(stdout);
    return 0;
}

int screenshot(MainWindow &w, const QString &file, double trainSeconds, QSize size)
{
    w.resize(size);
    w.show();
    spin(5000, [&] { return w.snapshotsApplied() > 0; });
    w.worker()->play();
    spin(int(trainSeconds * 1000));
    w.worker()->pause();
    const qint64 n = w.snapshotsApplied();
    spin(1500, [&] { return w.snapshotsApplied() > n + 1; });  // the paused state, fresh pictures
    spin(400);                                                   // let the scatters' axes settle
    const bool ok = w.grab().save(file);
    std::printf("%s %s (%dx%d) after %.1f s of training, step %lld\n", ok ? "saved" : "could not save",
                qPrintable(file), size.width(), size.height(), w.worker()->trainingSeconds(),
                (long long)w.worker()->engineStep());
    return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv)
{
    g_sinceStart.start();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("AutoencoderLab"));
    QApplication::setApplicationName(QStringLiteral("aelab"));
    QApplication::setApplicationDisplayName(QStringLiteral("Autoencoder Lab"));
    QApplication::setDesktopFileName(QStringLiteral("aelab"));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Autoencoder Lab: train autoencoders live and compare them with PCA"));
    p.addHelpOption();
    const QCommandLineOption shotOpt(QStringLiteral("screenshot"), QStringLiteral("Save a grab of the window to FILE and exit."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption secondsOpt(QStringLiteral("train-seconds"), QStringLiteral("Training time before the screenshot."),
                                        QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption sizeOpt(QStringLiteral("size"), QStringLiteral("Window size for the screenshot."),
                                     QStringLiteral("WxH"), QStringLiteral("1920x1080"));
    const QCommandLineOption latencyOpt(QStringLiteral("measure-latency"),
                                        QStringLiteral("Train for SECONDS while a 10 ms timer measures the event loop's lateness; "
                                                       "then compare samples/s with a headless loop."),
                                        QStringLiteral("SECONDS"));
    const QCommandLineOption startupOpt(QStringLiteral("startup-time"), QStringLiteral("Print the time to a ready window and exit."));
    const QCommandLineOption threadsOpt(QStringLiteral("threads"), QStringLiteral("OpenMP threads of the trainer (default 1)."),
                                        QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption variantOpt(QStringLiteral("variant"), QStringLiteral("Start with this variant (e.g. denoising)."),
                                        QStringLiteral("NAME"));
    const QCommandLineOption niceOpt(QStringLiteral("analysis-nice"),
                                     QStringLiteral("Linux nice of the analysis thread (pictures, codes, test MSE)."),
                                     QStringLiteral("N"), QString::number(TrainingWorker::Options{}.analysisNice));
    const QCommandLineOption freshOpt(QStringLiteral("fresh"), QStringLiteral("Ignore (and do not save) the stored settings."));
    p.addOptions({shotOpt, secondsOpt, sizeOpt, latencyOpt, startupOpt, threadsOpt, niceOpt, variantOpt, freshOpt});
    p.process(app);

    const bool unattended = p.isSet(shotOpt) || p.isSet(latencyOpt) || p.isSet(startupOpt);
    // Projector-readable text: at least 11 pt everywhere (the views size their own text).
    QFont f = QApplication::font();
    if (f.pointSizeF() < 11) {
        f.setPointSizeF(11);
        QApplication::setFont(f);
    }

    MainWindow::Options o;
    o.restoreSettings = !p.isSet(freshOpt) && !unattended;
    o.worker.trainThreads = std::max(1, p.value(threadsOpt).toInt());
    o.worker.analysisNice = std::clamp(p.value(niceOpt).toInt(), 0, 19);
    if (unattended) ask::setHandler([](const QString &, const QString &, const QStringList &) { return 0; });
    MainWindow w(o);
    if (p.isSet(variantOpt)) {
        ael::TrainSettings s = w.controls()->settings();
        if (!ael::parseVariant(p.value(variantOpt).toStdString(), s.variant)) {
            std::fprintf(stderr, "unknown variant '%s'\n", qPrintable(p.value(variantOpt)));
            return 2;
        }
        w.controls()->setSettings(s);
        w.worker()->setSettings(s);
    }

    if (p.isSet(startupOpt)) {
        w.show();
        const double shown = double(g_sinceStart.nsecsElapsed()) / 1e6;
        spin(5000, [&] { return w.snapshotsApplied() > 0; });
        const double ready = double(g_sinceStart.nsecsElapsed()) / 1e6;
        std::printf("window shown %.0f ms after main(), model built and first snapshot shown %.0f ms after main()\n",
                    shown, ready);
        return 0;
    }
    if (p.isSet(latencyOpt)) return measureLatency(w, std::max(1.0, p.value(latencyOpt).toDouble()));
    if (p.isSet(shotOpt)) {
        const QStringList wh = p.value(sizeOpt).split(QLatin1Char('x'));
        QSize size(1920, 1080);
        if (wh.size() == 2) size = QSize(std::max(640, wh[0].toInt()), std::max(480, wh[1].toInt()));
        return screenshot(w, p.value(shotOpt), std::max(0.0, p.value(secondsOpt).toDouble()), size);
    }
    w.show();
    return app.exec();
}
