// aelab: the live window. Besides the normal start it has these unattended modes:
//   aelab --screenshot FILE.png --train-seconds N [--size 1920x1080]   train N s, save a grab, exit
//   aelab --measure-latency SECONDS [--threads N]   event-loop lateness and in-GUI vs headless samples/s
//   aelab --measure-quality [--runs N] [--target MSE]   seconds from Play to PCA-2's and to a target test MSE
//   aelab --measure-draw-latency SECONDS            mouse move → repainted reconstruction
//   aelab --startup-time                            time to a window that is ready to train, exit
// All work under xvfb-run and QT_QPA_PLATFORM=offscreen. --fresh ignores the stored settings.
#include "core/data/Dataset.h"
#include "core/train/Trainer.h"
#include "core/train/VariantPresets.h"
#include "ui/files/ThrowawaySettings.h"
#include "ui/widgets/Ask.h"
#include "ui/window/ControlPanel.h"
#include "ui/window/MainWindow.h"
#include "ui/window/DockTabs.h"
#include "DrawLatency.h"
#include "Flags.h"
#include "Measure.h"
#include "StartFlags.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/lessons/Lessons.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QDockWidget>
#include <QPixmap>
#include <QTabBar>
#include <QTemporaryDir>

#include <cstdio>
#include <memory>
#include <string_view>

namespace {

QElapsedTimer g_sinceStart;

int screenshot(MainWindow &w, const QString &file, double trainSeconds, QSize size)
{
    w.resize(size);
    w.show();
    // The engine runs the window's model (a large one takes a while to build, longer when sanitized).
    spinEvents(120000, [&] { return w.snapshotsApplied() > 0 && w.lastSnapshot().runId == w.runId(); });
    w.worker()->play();
    spinEvents(int(trainSeconds * 1000));
    w.worker()->pause();
    const qint64 n = w.snapshotsApplied();
    spinEvents(1500, [&] { return w.snapshotsApplied() > n + 1; });  // the paused state, fresh pictures
    spinEvents(400);                                                   // let the scatters' axes settle
    // What was trained on, and the PCA's outcome (a data set too large for it is reported, never fatal).
    const std::shared_ptr<const DataBundle> d = w.data();
    spinEvents(120000, [&] { return !d || d->pca() || !d->pcaError().isEmpty(); });
    std::printf("data %s, %dx%d pixels, model %s\n", qPrintable(d->label), d->train->rows, d->train->cols,
                w.worker()->engineArchitecture().spec().c_str());
    if (const auto pca = d->pca()) std::printf("PCA: fitted on %d images in %.1f s\n", pca->fitSamples, pca->fitSeconds);
    else std::printf("PCA: %s\n", d->pcaError().isEmpty() ? "fitting" : qPrintable("failed: " + d->pcaError()));
    // The front tab of each column of tabbed docks (what --show and --lesson left in front; tests read it).
    QStringList front;
    for (QTabBar *bar : w.findChildren<QTabBar *>())
        if (bar->parentWidget() == &w && bar->isVisible() && bar->currentIndex() >= 0) front << bar->tabText(bar->currentIndex());
    std::printf("front tabs: %s\n", qPrintable(front.join(QStringLiteral(", "))));
    const bool ok = w.grab().save(file);
    std::printf("%s %s (%dx%d) after %.1f s of training, step %lld\n", ok ? "saved" : "could not save",
                qPrintable(file), size.width(), size.height(), w.worker()->trainingSeconds(),
                (long long)w.worker()->engineStep());
    return ok ? 0 : 1;
}

/// Whether the command line asks for the usage text (up to a "--", as the parser reads it). The text needs
/// no display, so it is given without opening one: `aelab --help` over ssh or on a build server.
bool asksForHelp(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view a(argv[i]);
        if (a == "--") return false;
        if (a == "-h" || a == "-?" || a == "--help" || a == "--help-all") return true;
    }
    return false;
}

}  // namespace

int main(int argc, char **argv)
{
    g_sinceStart.start();
    const bool helpOnly = asksForHelp(argc, argv);
    const std::unique_ptr<QCoreApplication> app =
        helpOnly ? std::make_unique<QCoreApplication>(argc, argv) : std::make_unique<QApplication>(argc, argv);
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
    const QCommandLineOption threadsOpt(QStringLiteral("threads"), QStringLiteral("Threads of the engine's pool."),
                                        QStringLiteral("N"), QString::number(StartFlags::kWindowThreads));
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
    const QCommandLineOption playOpt(QStringLiteral("play"), QStringLiteral("Start training at once (Space pauses)."));
    const QCommandLineOption presentationOpt(QStringLiteral("presentation"),
                                             QStringLiteral("Start in presentation mode (large text, thick lines; F5 leaves it)."));
    const QCommandLineOption showOpt(QStringLiteral("show"), QStringLiteral("Open these docks (comma-separated): draw, inside, pca."),
                                     QStringLiteral("DOCKS"));
    p.addOption(showOpt);
    p.addOption(presentationOpt);
    p.addOptions({shotOpt, secondsOpt, sizeOpt, latencyOpt, startupOpt, threadsOpt, niceOpt, variantOpt, archOpt, batchOpt, freshOpt, playOpt, drawOpt, manifoldOpt, drawLatencyOpt, lessonOpt});
    StartFlags start(p);  // --images/--labels; every value checked (Flags.h): a bad one exits 2 naming the flag
    if (const int rc = start.parse(QApplication::arguments()); rc >= 0) return rc;
    if (helpOnly) p.showHelp(0);  // parse() gave it already; never a window without a QApplication

    const bool unattended =
        p.isSet(shotOpt) || p.isSet(latencyOpt) || p.isSet(startupOpt) || p.isSet(drawLatencyOpt) || start.measureQuality();
    // --fresh, and the measuring and screenshot modes: this process's settings live and die with it (the
    // file dialogs' folders and "Don't ask again" included, which the window reads where they are used).
    QTemporaryDir throwawaySettings;
    if ((p.isSet(freshOpt) || unattended) && throwawaySettings.isValid()) ael::ui::useThrowawaySettings(throwawaySettings.path());
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
    o.playAtStart = p.isSet(playOpt);
    if (const int rc = start.checkValues(); rc >= 0) return rc;
    o.worker.trainThreads = start.threads;
    o.worker.analysisNice = start.analysisNice;
    if (unattended) ask::setHandler([](const QString &, const QString &, const QStringList &) { return 0; });
    MainWindow w(o);
    if (const int rc = start.openData(w, unattended); rc >= 0) return rc;
    if (p.isSet(variantOpt) || p.isSet(batchOpt) || start.lrGiven()) {
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
        if (start.lrGiven()) s.opt.learningRate = start.lr;
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
        ael::ui::raiseDockTab(dock);  // the front tab when it shares a column (a lesson's, shown last, is in front then)
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
        spinEvents(5000, [&] { return w.snapshotsApplied() > 0; });
        const double ready = double(g_sinceStart.nsecsElapsed()) / 1e6;
        std::printf("window shown %.0f ms after main(), model built and first snapshot shown %.0f ms after main()\n",
                    shown, ready);
        return 0;
    }
    if (p.isSet(latencyOpt)) return measureLatency(w, start.latencySeconds);
    if (start.measureQuality()) return measureQuality(w, start.quality, g_sinceStart);
    if (p.isSet(drawLatencyOpt)) return measureDrawLatency(w, start.drawLatencySeconds);
    if (p.isSet(shotOpt)) return screenshot(w, p.value(shotOpt), start.trainSeconds, start.size);
    w.show();
    return QApplication::exec();
}
