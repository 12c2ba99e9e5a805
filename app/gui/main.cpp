// aelab: the live window. Besides the normal start it has three unattended modes:
//   aelab --screenshot FILE.png --train-seconds N [--size 1920x1080]   train N s, save a grab, exit
//   aelab --measure-latency SECONDS [--threads N]   event-loop lateness and in-GUI vs headless samples/s
//   aelab --startup-time                            time to a window that is ready to train, exit
// All work under xvfb-run and QT_QPA_PLATFORM=offscreen. --fresh ignores the stored settings.
#include "core/data/Dataset.h"
#include "core/train/Trainer.h"
#include "core/train/VariantPresets.h"
#include "ui/widgets/Ask.h"
#include "ui/window/ControlPanel.h"
#include "ui/window/MainWindow.h"
#include "DrawLatency.h"
#include "Flags.h"
#include "StartFlags.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/lessons/Lessons.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QFile>
#include <QFont>
#include <QPixmap>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <thread>
#include <chrono>
#include <map>
#include <string>
#include <cstdio>
#include <vector>

#include <ctime>
#include <unistd.h>


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

/// CPU seconds (user + system) of this process's threads, by thread name (Linux /proc).
std::map<std::string, double> threadCpuSeconds()
{
    std::map<std::string, double> out;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    const double tick = double(sysconf(_SC_CLK_TCK));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm"))), stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!comm.open(QIODevice::ReadOnly) || !stat.open(QIODevice::ReadOnly)) continue;
        std::string name = comm.readAll().trimmed().toStdString();
        if (tid.toLongLong() == getpid()) name = "GUI";
        const QByteArray st = stat.readAll();
        const QList<QByteArray> f = st.mid(st.lastIndexOf(')') + 2).split(' ');  // fields from 3 on
        if (f.size() > 12) out[name] += (f[11].toDouble() + f[12].toDouble()) / tick;
    }
    return out;
}

/// The median of v (0 if empty).
double median(std::vector<double> v) { return percentile(std::move(v), 50); }

/// Alternates slices of training in the window with slices of a headless Trainer::step() loop (same
/// model and settings, same thread count, window idle), so that the ratio is not skewed by whatever
/// else the machine does meanwhile; the event loop's lateness is recorded during the window's slices.
int measureLatency(MainWindow &w, double seconds)
{
    w.show();
    spin(5000, [&] { return w.snapshotsApplied() > 0; });
    TrainingWorker &worker = *w.worker();
    // The same seed: the same trajectory (the speed of a step depends a little on the weights).
    ael::Trainer headless(worker.engineArchitecture(), worker.engineSettings(), *w.data()->train, worker.engineSeed());
    for (int i = 0; i < 10; ++i) headless.step();  // warm-up

    std::vector<double> late;
    bool measuring = false;
    QElapsedTimer clock;
    clock.start();
    qint64 last = -1;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&timer, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (measuring && last >= 0) late.push_back(std::max(0.0, double(now - last) / 1e6 - 10.0));
        last = measuring ? now : -1;
    });
    timer.start(10);

    const int rounds = std::max(3, int(seconds / 1.5 + 0.5));  // short slices: both sides see the same machine
    const double slice = seconds / rounds;
    std::vector<double> gui, head;
    qint64 snaps = 0;
    std::map<std::string, double> cpu;  // CPU seconds during the window's slices
    double headCpu = 0;                  // CPU seconds of the headless loop
    qint64 headSamples = 0, guiSamples = 0;
    for (int r = 0; r < rounds; ++r) {
        const qint64 s0 = worker.trainedSamples(), n0 = w.snapshotsApplied();
        const double t0 = worker.trainingSeconds();
        const auto cpu0 = threadCpuSeconds();
        measuring = true;
        worker.play();
        spin(int(slice * 1000));
        measuring = false;
        for (const auto &[name, sec] : threadCpuSeconds()) {
            const auto it = cpu0.find(name);
            cpu[name] += sec - (it == cpu0.end() ? 0.0 : it->second);
        }
        worker.pause();
        snaps += w.snapshotsApplied() - n0;
        qint64 step = -1;
        spin(3000, [&] {  // wait until the trainer thread is idle
            const qint64 now = worker.engineStep();
            const bool same = now == step;
            step = now;
            return same;
        });
        gui.push_back(double(worker.trainedSamples() - s0) / std::max(1e-9, worker.trainingSeconds() - t0));
        guiSamples += worker.trainedSamples() - s0;

        std::atomic<bool> done{false};
        double rate = 0;
        std::thread th([&] {
            using Clock = std::chrono::steady_clock;
            const auto a = Clock::now();
            qint64 n = 0;
            double dt = 0;
            while ((dt = std::chrono::duration<double>(Clock::now() - a).count()) < slice) n += headless.step().batchSize;
            rate = double(n) / dt;
            timespec cpuTime{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuTime);
            headCpu += double(cpuTime.tv_sec) + 1e-9 * double(cpuTime.tv_nsec);
            headSamples += n;
            done = true;
        });
        spin(int(slice * 1000) + 5000, [&] { return done.load(); });
        th.join();
        head.push_back(rate);
    }
    timer.stop();
    worker.stop();
    const ael::TrainSettings st = worker.engineSettings();
    std::printf("model %s, %s, batch %d, engine threads %d, analysis nice %d\n", worker.engineArchitecture().spec().c_str(),
                ael::toString(st.variant), st.batchSize, worker.options().trainThreads, worker.options().analysisNice);
    std::printf("%d rounds of %.1f s in the window + %.1f s headless:\n", rounds, slice, slice);
    for (int r = 0; r < rounds; ++r)
        std::printf("  round %d: window %6.0f samples/s, headless %6.0f samples/s, ratio %.3f\n", r + 1, gui[size_t(r)],
                    head[size_t(r)], gui[size_t(r)] / head[size_t(r)]);
    std::printf("in the window: median %.0f samples/s, %.1f snapshots/s\n", median(gui), double(snaps) / seconds);
    std::printf("headless:      median %.0f samples/s\n", median(head));
    std::printf("ratio window / headless: %.3f (median of the medians), %.3f (median of the rounds)\n",
                median(gui) / median(head), [&] {
                    std::vector<double> q;
                    for (size_t i = 0; i < gui.size(); ++i) q.push_back(gui[i] / head[i]);
                    return median(q);
                }());
    std::printf("CPU use while training in the window (share of one core):");
    for (const auto &[name, sec] : cpu)
        if (sec > 0.005 * seconds) std::printf("  %s %.0f %%", name.c_str(), 100.0 * sec / seconds);
    std::printf("\n");
    // Samples per CPU-second of the training thread: the per-sample cost without the machine's other
    // load (which takes a share of the cores from the window's threads and the headless loop alike).
    const double trainCpu = cpu.count("aelab-train") ? cpu["aelab-train"] : 0.0;
    if (trainCpu > 0 && headCpu > 0)
        std::printf("per CPU-second of the training thread: window %.0f, headless %.0f samples (ratio %.3f)\n",
                    double(guiSamples) / trainCpu, double(headSamples) / headCpu,
                    (double(guiSamples) / trainCpu) / (double(headSamples) / headCpu));
    std::printf("event-loop lateness of a 10 ms timer while training (%zu ticks): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                late.size(), percentile(late, 50), percentile(late, 99), percentile(late, 100));
    std::fflush(stdout);
    return 0;
}

int screenshot(MainWindow &w, const QString &file, double trainSeconds, QSize size)
{
    w.resize(size);
    w.show();
    // The engine runs the window's model (a large one takes a while to build, longer when sanitized).
    spin(120000, [&] { return w.snapshotsApplied() > 0 && w.lastSnapshot().runId == w.runId(); });
    w.worker()->play();
    spin(int(trainSeconds * 1000));
    w.worker()->pause();
    const qint64 n = w.snapshotsApplied();
    spin(1500, [&] { return w.snapshotsApplied() > n + 1; });  // the paused state, fresh pictures
    spin(400);                                                   // let the scatters' axes settle
    // What was trained on, and the PCA's outcome (a data set too large for it is reported, never fatal).
    const std::shared_ptr<const DataBundle> d = w.data();
    spin(120000, [&] { return !d || d->pca() || !d->pcaError().isEmpty(); });
    std::printf("data %s, %dx%d pixels, model %s\n", qPrintable(d->label), d->train->rows, d->train->cols,
                w.worker()->engineArchitecture().spec().c_str());
    if (const auto pca = d->pca()) std::printf("PCA: fitted on %d images in %.1f s\n", pca->fitSamples, pca->fitSeconds);
    else std::printf("PCA: %s\n", d->pcaError().isEmpty() ? "fitting" : qPrintable("failed: " + d->pcaError()));
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
    const QCommandLineOption threadsOpt(QStringLiteral("threads"), QStringLiteral("Threads of the engine's pool (default 1: the other core is the GUI's)."),
                                        QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption variantOpt(QStringLiteral("variant"), QStringLiteral("Start with this variant (e.g. denoising)."),
                                        QStringLiteral("NAME"));
    const QCommandLineOption niceOpt(QStringLiteral("analysis-nice"),
                                     QStringLiteral("Linux nice of the analysis thread (pictures, codes, test MSE)."),
                                     QStringLiteral("N"), QString::number(TrainingWorker::Options{}.analysisNice));
    const QCommandLineOption archOpt(QStringLiteral("arch"), QStringLiteral("Start with this architecture, e.g. 784-[1024]-784."),
                                     QStringLiteral("SPEC"));
    const QCommandLineOption batchOpt(QStringLiteral("batch"), QStringLiteral("Start with this batch size."), QStringLiteral("N"));
    const QCommandLineOption drawOpt(QStringLiteral("draw"),
                                     QStringLiteral("Open the drawing pad with this image (PNG/JPEG, e.g. a photo of a digit on paper)."),
                                     QStringLiteral("IMAGE"));
    const QCommandLineOption drawLatencyOpt(QStringLiteral("measure-draw-latency"),
                                            QStringLiteral("Train for SECONDS while a digit is drawn with 60 Hz mouse moves; "
                                                           "report mouse move → repainted reconstruction."),
                                            QStringLiteral("SECONDS"));
    const QCommandLineOption manifoldOpt(QStringLiteral("manifold"),
                                         QStringLiteral("Start with the manifold of decoded images behind the code scatter."));
    const QCommandLineOption lessonOpt(QStringLiteral("lesson"), QStringLiteral("Open at lesson N of the Lessons menu (1..8) and train."),
                                       QStringLiteral("N"));
    const QCommandLineOption freshOpt(QStringLiteral("fresh"), QStringLiteral("Ignore (and do not save) the stored settings."));
    const QCommandLineOption presentationOpt(QStringLiteral("presentation"),
                                             QStringLiteral("Start in presentation mode (large text, thick lines; F5 leaves it)."));
    const QCommandLineOption showOpt(QStringLiteral("show"), QStringLiteral("Open these docks (comma-separated): draw, inside, pca."),
                                     QStringLiteral("DOCKS"));
    p.addOption(showOpt);
    p.addOption(presentationOpt);
    p.addOptions({shotOpt, secondsOpt, sizeOpt, latencyOpt, startupOpt, threadsOpt, niceOpt, variantOpt, archOpt, batchOpt, freshOpt, drawOpt, manifoldOpt, drawLatencyOpt, lessonOpt});
    StartFlags start(p);  // --images/--labels; every value checked (Flags.h): a bad one exits 2 naming the flag
    if (const int rc = start.parse(QApplication::arguments()); rc >= 0) return rc;

    const bool unattended = p.isSet(shotOpt) || p.isSet(latencyOpt) || p.isSet(startupOpt) || p.isSet(drawLatencyOpt);
    // Projector-readable text: at least 11 pt everywhere (the views size their own text).
    QFont f = QApplication::font();
    if (f.pointSizeF() < 11) {
        f.setPointSizeF(11);
        QApplication::setFont(f);
    }

    int lesson = 0;  // 1-based; 0: none
    if (p.isSet(lessonOpt)) {
        const int count = int(builtinLessons().size());
        bool ok = false;
        lesson = p.value(lessonOpt).toInt(&ok);
        if (count == 0) {
            std::fprintf(stderr, "aelab: --lesson: no lessons in this build (%s)\n", qPrintable(builtinLessonsError()));
            return 2;
        }
        if (!ok || lesson < 1 || lesson > count) {
            std::fprintf(stderr, "aelab: --lesson: '%s' is not a lesson number (1..%d)\n", qPrintable(p.value(lessonOpt)), count);
            return 2;
        }
    }

    MainWindow::Options o;
    o.restoreSettings = !p.isSet(freshOpt) && !unattended;
    if (const int rc = start.checkValues(); rc >= 0) return rc;
    o.worker.trainThreads = start.threads;
    o.worker.analysisNice = start.analysisNice;
    if (unattended) ask::setHandler([](const QString &, const QString &, const QStringList &) { return 0; });
    MainWindow w(o);
    if (const int rc = start.openData(w, unattended); rc >= 0) return rc;
    if (p.isSet(variantOpt) || p.isSet(batchOpt)) {
        ael::TrainSettings s = w.controls()->settings();
        ael::Variant v = s.variant;
        if (p.isSet(variantOpt) && !ael::parseVariant(p.value(variantOpt).toStdString(), v)) {
            std::fprintf(stderr, "aelab: --variant: unknown variant '%s'\n", qPrintable(p.value(variantOpt)));
            return 2;
        }
        if (p.isSet(variantOpt) && !p.isSet(archOpt)) {
            // The variant's own default model and settings (core/train/VariantPresets.h).
            const ael::VariantPreset preset = ael::variantPreset(v, w.controls()->architecture().input);
            ael::applyVariantFields(preset.settings, s);
            w.controls()->setArchitecture(preset.arch);
        }
        s.variant = v;
        if (p.isSet(batchOpt)) s.batchSize = start.batch;
        w.controls()->setSettings(s);
        if (p.isSet(variantOpt) && !p.isSet(archOpt)) w.resetRun();
        else w.worker()->setSettings(s);
    }
    if (p.isSet(archOpt)) {
        ael::Architecture a = w.controls()->architecture();
        std::string why;
        if (!ael::Architecture::parseSpec(p.value(archOpt).toStdString(), a, &why)) {
            std::fprintf(stderr, "aelab: --arch: %s\n", why.c_str());
            return 2;
        }
        if (a.encoderHidden.empty() && a.code > a.input) a.codeActivation = ael::ActivationKind::Sigmoid;
        if (const int rc = start.checkArchitecture(w, a); rc >= 0) return rc;
        w.controls()->setArchitecture(a);
        w.resetRun();
    }

    if (lesson > 0) w.applyLesson(lesson - 1);
    if (p.isSet(manifoldOpt)) w.latentView()->setManifold(true);
    if (p.isSet(presentationOpt)) w.setPresentation(true);
    for (const QString &name : p.value(showOpt).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        auto *dock = w.findChild<QDockWidget *>(name.trimmed() + QStringLiteral("Dock"));
        if (!dock) {
            std::fprintf(stderr, "aelab: --show: no dock '%s' (draw, inside, pca)\n", qPrintable(name));
            return 2;
        }
        dock->show();
        dock->raise();  // the front tab when it shares a column
    }
    if (p.isSet(drawOpt)) {
        QString why;
        if (!w.openDrawing(p.value(drawOpt), &why)) {
            std::fprintf(stderr, "aelab: --draw: %s\n", qPrintable(why));
            return 2;
        }
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
    if (p.isSet(latencyOpt)) return measureLatency(w, start.latencySeconds);
    if (p.isSet(drawLatencyOpt)) return measureDrawLatency(w, start.drawLatencySeconds);
    if (p.isSet(shotOpt)) return screenshot(w, p.value(shotOpt), start.trainSeconds, start.size);
    w.show();
    return app.exec();
}
