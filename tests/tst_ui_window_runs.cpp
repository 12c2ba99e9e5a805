// The live window end to end, offscreen, around runs: a rejected setting keeps the previous one;
// architecture changes ask before resetting; a bad data file is reported and the data kept;
// a model too large to build keeps the running one; divergence pauses and reports; a data-set switch starts a new run;
// the windows of a process share the embedded digits and their PCA; a pause sends no point of a few batches;
// the settings are remembered;
// stop() ends training, and closing during training returns (the times are logged, not asserted).
// (Training and controls: tst_ui_window.)
#include "WindowTestKit.h"
#include "core/data/Catalog.h"
#include "core/data/Dataset.h"
#include "core/data/Idx.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/widgets/LogSlider.h"
#include "ui/views/LossChartView.h"
#include "ui/views/StatusPanel.h"

#include <QAction>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QScopeGuard>

#include <memory>

using namespace windowtest;

class TestUiWindowRuns : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { setUp("tst_ui_window_runs"); }
    void init()
    {
        g_asked.clear();
        g_answer = 0;
    }

    void rejectedSettingKeepsThePreviousOne()
    {
        g_answer = 1;  // keep the 2-D linear code (its KL sparsity is what gets rejected)
        const auto restore = qScopeGuard([] { g_answer = 0; });
        MainWindow w(testOptions());
        w.show();
        w.playAction()->trigger();
        auto *variant = control<QComboBox>(w, "variant");
        auto *kind = control<QComboBox>(w, "sparsityKind");
        choose(variant, 2);  // sparse, L1
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineSettings().variant, ael::Variant::Sparse, 30000);
        QVERIFY(trainsOn(w, 10));

        choose(kind, 1);  // KL needs a sigmoid code; this one is linear
        QTRY_VERIFY_WITH_TIMEOUT(statusText(w).contains(QStringLiteral("sigmoid")), 30000);
        QVERIFY(statusText(w).contains(QStringLiteral("rejected")));
        QTRY_COMPARE_WITH_TIMEOUT(kind->currentIndex(), 0, 30000);  // the control shows L1 again
        QCOMPARE(w.worker()->engineSettings().sparsity, ael::SparsityKind::L1);
        QCOMPARE(w.controls()->settings().sparsity, ael::SparsityKind::L1);
        QVERIFY(trainsOn(w, 10));  // and training goes on

        // Variational with tied weights is rejected the same way (after an architecture reset).
        w.controls()->findChild<QLineEdit *>(QStringLiteral("hiddenWidths"))->setText(QString());
        control<QSpinBox>(w, "codeSize")->setValue(32);
        control<QCheckBox>(w, "tied")->setChecked(true);
        g_answer = 0;
        g_asked.clear();
        control<QPushButton>(w, "applyArchitecture")->click();
        QCOMPARE(g_asked.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineArchitecture().spec(), std::string("784-[32]-784"), 30000);
        QVERIFY(w.worker()->engineArchitecture().tied);
        g_answer = 1;  // keep the tied model when the variational default is offered
        choose(variant, 5);
        QTRY_VERIFY_WITH_TIMEOUT(statusText(w).contains(QStringLiteral("tied")), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(variant->currentIndex(), 2, 30000);
        QCOMPARE(w.worker()->engineSettings().variant, ael::Variant::Sparse);
    }

    void architectureChangesAskBeforeResetting()
    {
        MainWindow w(testOptions());
        w.show();
        w.playAction()->trigger();
        QVERIFY(trainsOn(w, 20));
        const quint64 run = w.runId();
        Seen seen(w);
        control<QSpinBox>(w, "codeSize")->setValue(8);
        QVERIFY(control<QLabel>(w, "architectureNote")->text().contains(QStringLiteral("reset")));
        QCOMPARE(w.worker()->engineArchitecture().code, 2);  // not yet

        g_answer = 1;  // Cancel
        control<QPushButton>(w, "applyArchitecture")->click();
        QCOMPARE(g_asked.size(), 1);
        QCOMPARE(w.runId(), run);
        QTest::qWait(100);
        QCOMPARE(w.worker()->engineArchitecture().code, 2);

        g_answer = 0;  // Reset
        control<QSpinBox>(w, "seed")->setValue(7);
        control<QPushButton>(w, "applyArchitecture")->click();
        QCOMPARE(g_asked.size(), 2);
        QVERIFY(w.runId() > run);
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineArchitecture().spec(), std::string("784-256-[8]-256-784"), 30000);
        QCOMPARE(w.worker()->engineSeed(), quint64(7));
        QVERIFY(trainsOn(w, 20));  // a reset keeps playing
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().codeSize == 8 && w.lastSnapshot().runId == w.runId(), 30000);

        // k > 2: the scatter shows the PCA of the code, or two chosen units.
        auto *mode = control<QComboBox>(w, "latentMode");
        QVERIFY(mode->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(seen.latentAxes.startsWith(QStringLiteral("PC1 of the code")), 30000);
        mode->setCurrentIndex(1);
        control<QSpinBox>(w, "latentX")->setValue(3);
        control<QSpinBox>(w, "latentY")->setValue(5);
        QTRY_COMPARE_WITH_TIMEOUT(seen.latentAxes, QStringLiteral("h3 vs h5"), 30000);

        // The overcomplete variant with k < d offers the overcomplete model.
        g_asked.clear();
        choose(control<QComboBox>(w, "variant"), 1);
        QCOMPARE(g_asked.size(), 1);
        QVERIFY(g_asked.front().buttons.front().contains(QStringLiteral("784-[1024]-784")));
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineArchitecture().spec(), std::string("784-[1024]-784"), 30000);
        QCOMPARE(w.worker()->engineSettings().variant, ael::Variant::Overcomplete);
        QCOMPARE(w.worker()->engineArchitecture().codeActivation, ael::ActivationKind::Sigmoid);
        QVERIFY(trainsOn(w, 10));
    }

    // A model too large for the memory there is (AELAB_MEMORY_LIMIT emulates a small machine) cannot
    // be built: the message says so, and the controls show the model that goes on training.
    void modelTooLargeKeepsTheRunningOne()
    {
        qputenv("AELAB_MEMORY_LIMIT", "60M");  // the 2-D model needs ~2 MB, 784-[4096]-784 ~190 MB
        const auto unset = qScopeGuard([] { qunsetenv("AELAB_MEMORY_LIMIT"); });
        MainWindow w(testOptions());
        w.show();
        w.playAction()->trigger();
        QVERIFY(trainsOn(w, 10));
        const quint64 run = w.runId();
        w.controls()->findChild<QLineEdit *>(QStringLiteral("hiddenWidths"))->setText(QString());
        control<QSpinBox>(w, "codeSize")->setValue(4096);
        control<QSpinBox>(w, "seed")->setValue(9);
        g_answer = 0;  // Reset
        control<QPushButton>(w, "applyArchitecture")->click();
        QTRY_VERIFY_WITH_TIMEOUT(statusText(w).contains(QStringLiteral("Could not build")), 30000);
        QVERIFY2(statusText(w).contains(QStringLiteral("of memory available")),
                 qPrintable(statusText(w)));
        QCOMPARE(w.runId(), run);
        QCOMPARE(w.worker()->engineArchitecture().spec(), std::string("784-256-[2]-256-784"));
        QCOMPARE(control<QSpinBox>(w, "codeSize")->value(), 2);
        QCOMPARE(w.controls()->findChild<QLineEdit *>(QStringLiteral("hiddenWidths"))->text(), QStringLiteral("256"));
        QCOMPARE(control<QSpinBox>(w, "seed")->value(), int(w.worker()->engineSeed()));
        QVERIFY(!control<QLabel>(w, "architectureNote")->text().contains(QStringLiteral("reset")));
        QVERIFY(trainsOn(w, 10));  // the old run goes on, and its Snapshots are shown
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().runId == run && w.lastSnapshot().codeSize == 2, 30000);
    }

    void badDataFileIsReportedAndTheDataKept()
    {
        QTemporaryDir dir;
        QFile bad(dir.filePath(QStringLiteral("bad-images-idx3-ubyte")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not an idx file at all");
        bad.close();
        MainWindow w(testOptions());
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.snapshotsApplied() > 0, 60000);
        const quint64 run = w.runId();
        w.loadIdx(bad.fileName(), bad.fileName());
        QTRY_COMPARE_WITH_TIMEOUT(g_asked.size(), 1, 60000);  // the error box
        QVERIFY(g_asked.front().text.contains(QStringLiteral("bad-images-idx3-ubyte")));
        QCOMPARE(w.data()->id, QStringLiteral("mnist"));
        QCOMPARE(w.runId(), run);
        QCOMPARE(control<QComboBox>(w, "dataSource")->currentData().toString(), QStringLiteral("mnist"));

        // Too few images: the message gives the minimum (it said "too few images to train (5)").
        ael::Dataset five;
        five.rows = five.cols = 2;
        five.pixels.assign(5 * 4, 128);
        five.labels = {0, 1, 2, 3, 4};
        const std::string fiveImages = dir.filePath(QStringLiteral("five-images-idx3-ubyte")).toStdString();
        ael::writeIdx(five, fiveImages, dir.filePath(QStringLiteral("five-labels-idx1-ubyte")).toStdString(), false);
        w.loadIdx(QString::fromStdString(fiveImages), dir.filePath(QStringLiteral("five-labels-idx1-ubyte")));
        QTRY_COMPARE_WITH_TIMEOUT(g_asked.size(), 2, 60000);
        QVERIFY2(g_asked.back().text.contains(QStringLiteral("5 images, too few to train on: a data set needs at least 10")),
                 qPrintable(g_asked.back().text));
        QCOMPARE(w.data()->id, QStringLiteral("mnist"));
        QCOMPARE(w.runId(), run);

        // A good pair (the embedded digits' own files) loads, splits 4:1 and trains.
        const QString mnistDir = QStringLiteral(AELAB_SOURCE_DIR "/resources/mnist/");
        w.loadIdx(mnistDir + QStringLiteral("mnist10k-images-idx3-ubyte.gz"), mnistDir + QStringLiteral("mnist10k-labels-idx1-ubyte.gz"));
        QTRY_VERIFY_WITH_TIMEOUT(w.data()->id.startsWith(QStringLiteral("idx:")), 10000);
        QCOMPARE(w.data()->train->size() + w.data()->test->size(), 10000);
        QVERIFY(w.runId() > run);
        w.playAction()->trigger();
        QVERIFY(trainsOn(w, 10));
        QCOMPARE(w.worker()->engineDataId(), w.data()->id);
    }

    void divergencePausesAndReports()
    {
        MainWindow w(testOptions());
        w.show();
        ael::Architecture a = w.controls()->architecture();
        a.output = ael::ActivationKind::Linear;  // a sigmoid output keeps the MSE below 1 whatever happens
        w.controls()->setArchitecture(a);
        w.resetRun();
        w.playAction()->trigger();
        QVERIFY(trainsOn(w, 5));
        ael::TrainSettings s = w.controls()->settings();
        s.optimizer = ael::OptimizerKind::SGD;
        s.opt.learningRate = 5e3;  // beyond the slider: straight to the worker
        w.worker()->setSettings(s);
        QTRY_VERIFY_WITH_TIMEOUT(!w.worker()->isPlaying(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!w.playAction()->isChecked(), 30000);  // playingChanged arrives queued
        QTRY_VERIFY_WITH_TIMEOUT(statusText(w).contains(QStringLiteral("diverged")), 30000);
        QVERIFY(w.lastSnapshot().step > 0);
        // The explanation leaves the status bar after a few seconds; the chart keeps a marker where it happened
        // (before: nothing there, only "Paused").
        const auto divergedMarker = [&w] {
            for (const QString &l : w.lossView()->markerLabels())
                if (l.startsWith(QStringLiteral("diverged: back to step "))) return l;
            return QString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(!divergedMarker().isEmpty(), 10000);
        QVERIFY2(statusText(w).contains(divergedMarker().mid(QStringLiteral("diverged: back to ").size())), qPrintable(statusText(w)));
        // A saner setting lets it go on (the weights were restored to the last finite ones).
        w.worker()->setSettings(w.controls()->settings());
        w.playAction()->trigger();
        QVERIFY(trainsOn(w, 10));
        QVERIFY(w.worker()->isPlaying());
    }

    void dataSetSwitchStartsANewRun()
    {
        bool fashion = false;
        for (const ael::DataSource &src : ael::availableDataSources()) fashion |= src.id == "fashion";
        if (!fashion) QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
        MainWindow w(testOptions());
        w.show();
        w.playAction()->trigger();
        QVERIFY(trainsOn(w, 20));
        const quint64 run = w.runId();
        auto *combo = control<QComboBox>(w, "dataSource");
        g_answer = 1;  // Cancel: nothing changes
        choose(combo, combo->findData(QStringLiteral("fashion")));
        QCOMPARE(g_asked.size(), 1);
        // by the name the combo box shows, not the data set's id ("Training on fashion starts a new run")
        QVERIFY2(g_asked.front().text.contains(QStringLiteral("Training on Fashion-MNIST")), qPrintable(g_asked.front().text));
        QCOMPARE(combo->currentData().toString(), QStringLiteral("mnist"));
        g_answer = 0;
        choose(combo, combo->findData(QStringLiteral("fashion")));
        QTRY_COMPARE_WITH_TIMEOUT(w.data()->id, QStringLiteral("fashion"), 15000);  // loaded in the background
        QVERIFY(w.runId() > run);
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineDataId(), QStringLiteral("fashion"), 30000);
        QVERIFY(trainsOn(w, 20));  // still playing
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().dataName.contains(QStringLiteral("Fashion")), 30000);
        QCOMPARE(w.lastSnapshot().testSet->size(), 10000);
        // Back to the digits: cached, so at once; and closing while Fashion's PCA may still be
        // fitting does not wait for it.
        choose(combo, combo->findData(QStringLiteral("mnist")));
        QTRY_COMPARE_WITH_TIMEOUT(w.data()->id, QStringLiteral("mnist"), 30000);
        QVERIFY(trainsOn(w, 20));
        QElapsedTimer t;
        t.start();
        w.close();
        w.worker()->stop();
        qInfo("closed with the Fashion-MNIST PCA possibly still fitting in %lld ms", (long long)t.elapsed());
        const qint64 stopped = w.worker()->engineStep();  // stopped: the trainer takes no further step
        QTest::qWait(200);
        QCOMPARE(w.worker()->engineStep(), stopped);
        QCOMPARE(w.worker()->engineDataId(), QStringLiteral("mnist"));  // closing did not wait for, or take, Fashion
    }

    // The embedded digits cannot change: the windows of one process share one bundle of them, and its
    // PCA is fitted once (a window opened later shows it at once instead of fitting it again).
    void embeddedDigitsAreLoadedOncePerProcess()
    {
        std::shared_ptr<const DataBundle> first;
        {
            MainWindow w(testOptions());
            first = w.data();
            QVERIFY(first);
            QCOMPARE(first->id, QStringLiteral("mnist"));
            QTRY_VERIFY_WITH_TIMEOUT(first->pca() != nullptr, 120000);  // fitted in the background
        }
        const std::shared_ptr<const PcaSummary> pca = first->pca();
        MainWindow w(testOptions());
        QCOMPARE(w.data().get(), first.get());
        QCOMPARE(first->pca().get(), pca.get());  // not fitted again
        QVERIFY(!first->claimPcaFit());
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().pcaTestMse > 0, 30000);
        QCOMPARE(w.lastSnapshot().pcaTestMse, pca->testMse(2));
        // Loaded on its own, a bundle is still a fresh one, with no PCA yet.
        const std::shared_ptr<DataBundle> own = DataBundle::load(QStringLiteral("mnist"));
        QVERIFY(own.get() != first.get());
        QVERIFY(!own->pca());
    }

    // A pause between two points of the loss curve leaves a few batches: sent as a point of their own,
    // their mean (several times noisier than a point's) showed as a jump at the end of the curve at every
    // pause. They wait for the next point; a step ordered with → still shows at once, with them.
    void pausingSendsNoThinPoint()
    {
        MainWindow::Options o = testOptions();
        o.worker.snapshotIntervalMs = 300;  // many batches a point
        MainWindow w(o);
        QVector<LossPoint> points;
        QVector<bool> sentPaused;  // whether each point came in a Snapshot of a paused engine
        connect(&w, &MainWindow::snapshotApplied, this, [&](const Snapshot &s) {
            if (s.runId != w.runId()) return;
            for (const LossPoint &p : s.losses) {
                points << p;
                sentPaused << !s.running;
            }
        });
        w.show();
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineRunId(), w.runId(), 60000);
        for (int pause = 0; pause < 4; ++pause) {
            w.playAction()->trigger();
            const int before = int(points.size());
            QTRY_VERIFY_WITH_TIMEOUT(points.size() >= before + 2, 60000);
            const int last = int(points.size());
            QTRY_VERIFY_WITH_TIMEOUT(points.size() > last, 60000);
            w.playAction()->trigger();  // just after a point: few batches since
            QTRY_VERIFY_WITH_TIMEOUT(!w.lastSnapshot().running && w.lastSnapshot().step == w.worker()->engineStep(), 60000);
        }
        int checked = 0;
        for (qsizetype i = 2; i < points.size(); ++i) {
            if (!sentPaused[i]) continue;
            const qint64 batches = points[i].step - points[i - 1].step, before = points[i - 1].step - points[i - 2].step;
            QVERIFY2(2 * batches >= before, qPrintable(QStringLiteral("a point of %1 batches after one of %2, at step %3")
                                                           .arg(batches).arg(before).arg(points[i].step)));
            ++checked;
        }
        qInfo("%d points, %d of them sent while paused", int(points.size()), checked);
        // An ordered step is shown at once, with whatever the pause held back.
        const qint64 at = w.worker()->engineStep();
        QVERIFY(points.back().step <= at);
        w.stepAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!points.isEmpty() && points.back().step == at + 1, 60000);
    }

    // A run that starts while training plays (a session opened, Reset): its first point held a single
    // batch, a spike at the start of a reopened session's curve. The window had been busy (the file dialog,
    // the loading) past a Snapshot interval, so the first batch of the new run was sent at once.
    void aRunsFirstPointIsNotThin()
    {
        MainWindow::Options o = testOptions();
        o.worker.snapshotIntervalMs = 300;  // many batches a point
        MainWindow w(o);
        QMap<quint64, QVector<LossPoint>> points;  // by run
        connect(&w, &MainWindow::snapshotApplied, this, [&](const Snapshot &s) {
            if (s.runId == w.runId()) points[s.runId] << s.losses;
        });
        w.show();
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineRunId(), w.runId(), 60000);
        w.playAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(points[w.runId()].size() >= 2, 60000);
        for (int reset = 0; reset < 3; ++reset) {
            QThread::msleep(700);  // the window busy for longer than a Snapshot interval
            w.resetAction()->trigger();
            const quint64 run = w.runId();
            QTRY_VERIFY_WITH_TIMEOUT(points[run].size() >= 2, 60000);
            const QVector<LossPoint> &p = points[run];
            const qint64 first = p[0].step, second = p[1].step - p[0].step;  // batches: a run starts at step 0
            QVERIFY2(2 * first >= second, qPrintable(QStringLiteral("the run's first point of %1 batches, its second of %2").arg(first).arg(second)));
        }
        w.playAction()->trigger();
    }

    void settingsAreRemembered()
    {
        QSettings().clear();
        MainWindow::Options o;
        o.restoreSettings = true;
        {
            MainWindow w(o);
            w.show();
            control<LogSlider>(w, "learningRate")->slider()->setValue(30);  // 1e-2
            choose(control<QComboBox>(w, "variant"), 3);
            w.close();
        }
        MainWindow w(o);
        QCOMPARE(w.controls()->settings().opt.learningRate, 1e-2);
        QCOMPARE(w.controls()->settings().variant, ael::Variant::Denoising);
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineSettings().variant, ael::Variant::Denoising, 30000);
        QSettings().clear();
    }

    void stopEndsTrainingAtOnce()
    {
        MainWindow w(testOptions());
        w.show();
        w.playAction()->trigger();
        QVERIFY(trainsOn(w, 20));
        choose(control<QComboBox>(w, "variant"), 4);  // contractive: slower batches
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineSettings().variant, ael::Variant::Contractive, 30000);
        QVERIFY(trainsOn(w, 5));
        QElapsedTimer t;
        t.start();
        w.worker()->stop();  // abort, wake, join: within one mini-batch and one analysis chunk
        qInfo("stop() while training (contractive) returned in %.1f ms", double(t.nsecsElapsed()) / 1e6);
        const qint64 stopped = w.worker()->engineStep();  // published on the way out
        QTest::qWait(200);
        QCOMPARE(w.worker()->engineStep(), stopped);
        QVERIFY(stopped > 0);
    }

    void closingDuringTrainingIsQuick()
    {
        auto *w = new MainWindow(testOptions());
        w->setAttribute(Qt::WA_DeleteOnClose, false);
        w->show();
        w->playAction()->trigger();
        QVERIFY(trainsOn(*w, 50));
        choose(control<QComboBox>(*w, "variant"), 4);  // contractive: slower batches
        QTest::qWait(300);
        QElapsedTimer t;
        t.start();
        QVERIFY(w->close());
        delete w;
        qInfo("closed while training (contractive) in %lld ms", (long long)t.elapsed());

        // Also at once after start, while everything is still being set up.
        w = new MainWindow(testOptions());
        w->show();
        w->playAction()->trigger();
        QTest::qWait(50);
        t.restart();
        delete w;
        qInfo("closed 50 ms after start in %lld ms", (long long)t.elapsed());
    }
};

QTEST_MAIN(TestUiWindowRuns)
#include "tst_ui_window_runs.moc"
