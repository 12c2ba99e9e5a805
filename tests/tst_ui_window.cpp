// The live window end to end, offscreen: the window builds and Play trains (Snapshots arrive, the
// loss falls); every control reaches the ENGINE's settings while training runs (read back from the
// trainer thread); a variant switch mid-training keeps training and adds a marker; a rejected
// setting keeps the previous one; architecture changes ask before resetting; closing during
// training returns within a second.
#include "core/data/Catalog.h"
#include "core/data/Dataset.h"
#include "ui/widgets/Ask.h"
#include "ui/window/ControlPanel.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/widgets/LogSlider.h"
#include "ui/views/LossChartView.h"
#include "ui/window/MainWindow.h"
#include "ui/views/StatusPanel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QScopeGuard>
#include <QtTest>

#include <memory>

namespace {

struct Asked {
    QString title, text;
    QStringList buttons;
};
QList<Asked> g_asked;
int g_answer = 0;  // the button the "user" presses

MainWindow::Options testOptions()
{
    MainWindow::Options o;
    o.restoreSettings = false;
    return o;
}

template <class W> W *control(MainWindow &w, const char *name)
{
    W *c = w.controls()->findChild<W *>(QLatin1String(name));
    if (!c) qFatal("no control %s", name);
    return c;
}

/// What the views were last given: pictures and codes come only in some Snapshots (when fresh).
struct Seen : QObject {
    explicit Seen(MainWindow &w)
    {
        connect(&w, &MainWindow::snapshotApplied, this, [this](const Snapshot &s) {
            if (!s.latent.isEmpty()) latentAxes = s.latentAxes;
            if (!s.originals.isEmpty()) corrupted = int(s.corrupted.size());
            if (!s.message.isEmpty()) messages << s.message;
        });
    }
    QString latentAxes;
    int corrupted = -1;
    QStringList messages;
};

/// Picks a combo item as the user would (activated is what a click emits).
void choose(QComboBox *c, int index)
{
    c->setCurrentIndex(index);
    emit c->activated(index);
}

/// Waits until the engine has trained `more` further steps.
bool trainsOn(MainWindow &w, qint64 more = 20, int timeoutMs = 120000)
{
    const qint64 s0 = w.worker()->engineStep();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        QTest::qWait(20);
        if (w.worker()->engineStep() >= s0 + more) return true;
    }
    return false;
}

}  // namespace

class TestUiWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("AutoencoderLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_ui_window"));
        QSettings().clear();
        ask::setHandler([](const QString &title, const QString &text, const QStringList &buttons) {
            g_asked.push_back({title, text, buttons});
            return g_answer;
        });
    }
    void init()
    {
        g_asked.clear();
        g_answer = 0;
    }

    void windowBuildsAndPlayTrains()
    {
        MainWindow w(testOptions());
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy spy(&w, &MainWindow::snapshotApplied);  // emitted in this (the GUI) thread
        QTRY_VERIFY_WITH_TIMEOUT(spy.count() > 0, 60000);      // the idle model is shown at once
        QCOMPARE(w.worker()->engineArchitecture().spec(), std::string("784-256-[2]-256-784"));
        QCOMPARE(w.worker()->engineSettings().opt.learningRate, 1e-3);
        QCOMPARE(w.data()->id, QStringLiteral("mnist"));

        QList<double> losses;
        bool images = false, latent = false, pca = false;
        connect(&w, &MainWindow::snapshotApplied, this, [&](const Snapshot &l) {
            for (const LossPoint &p : l.losses) losses.push_back(p.reconstruction);
            images |= l.originals.size() == 10 && l.reconstructions.size() == 10 && l.pcaReconstructions.size() == 10;
            latent |= l.latent.size() == w.data()->test->size() && l.labels.size() == l.latent.size();
            pca |= l.pcaLatent.size() == w.data()->test->size() && l.pcaTestMse > 0 && l.pcaExplained2 > 0;
        });
        w.playAction()->trigger();
        QVERIFY(w.worker()->isPlaying());
        QVERIFY(trainsOn(w, 250));
        QTRY_VERIFY_WITH_TIMEOUT(losses.size() >= 5, 60000);
        const double first = losses.front(), last = losses.back();
        QVERIFY2(last < 0.8 * first, qPrintable(QStringLiteral("loss %1 → %2").arg(first).arg(last)));

        // Snapshots are time-based: far fewer than batches.
        const Snapshot &s = w.lastSnapshot();
        QVERIFY(spy.count() < s.step);
        QVERIFY(s.running);
        QVERIFY(s.samplesPerSecond > 0);
        QCOMPARE(s.codeSize, 2);
        QCOMPARE(s.architecture, QStringLiteral("784-256-[2]-256-784"));
        // Pictures, codes, test MSE and PCA all arrive (PCA is fitted once in the background).
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().testStep > 0, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(images && latent && pca, 10000);
        QVERIFY(w.lastSnapshot().testMse > 0 && w.lastSnapshot().testMse < 0.2);
        QVERIFY(w.statusPanel()->stepText().startsWith(QStringLiteral("Step ")));

        // Pause stops the engine; → steps one batch; Shift+→ trains to the end of the epoch.
        w.playAction()->trigger();
        QVERIFY(!w.worker()->isPlaying());
        QTest::qWait(200);
        const qint64 paused = w.worker()->engineStep();
        QTest::qWait(200);
        QCOMPARE(w.worker()->engineStep(), paused);
        w.stepAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineStep(), paused + 1, 30000);
        const int perEpoch = (w.data()->train->size() + 127) / 128;
        w.epochAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(w.worker()->engineStep() % perEpoch == 0 && w.worker()->engineStep() > paused + 1, 10000);
        QTest::qWait(150);
        QVERIFY(w.worker()->engineStep() % perEpoch == 0);
        QTRY_VERIFY_WITH_TIMEOUT(!w.lastSnapshot().running && w.lastSnapshot().step == w.worker()->engineStep(), 30000);
        QCOMPARE(w.lastSnapshot().epochProgress, 0.0);

        // Ctrl+R: a new run from step 0, the views start over, old Snapshots are dropped.
        const quint64 run = w.runId();
        w.resetAction()->trigger();
        QVERIFY(w.runId() > run);
        QTRY_COMPARE_WITH_TIMEOUT(w.lastSnapshot().runId, w.runId(), 30000);
        QCOMPARE(w.worker()->engineStep(), qint64(0));
    }

    void keyboardShortcutsWorkWithTheFocusOnAControl()
    {
        // Space, → and Shift+→ act on training unless the focused control uses the key itself (a slider
        // takes →, a combo box Space: tst_ui_faults); Ctrl shortcuts work from any control.
        MainWindow w(testOptions());
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTRY_VERIFY_WITH_TIMEOUT(w.snapshotsApplied() > 0, 60000);
        QWidget *focus = w.lossView();
        focus->setFocus();
        QTest::keyClick(focus, Qt::Key_Space);
        QVERIFY(w.worker()->isPlaying());
        QVERIFY(w.playAction()->isChecked());
        QVERIFY(trainsOn(w, 5));
        QTest::keyClick(focus, Qt::Key_Space);
        QVERIFY(!w.worker()->isPlaying());
        QTest::qWait(100);
        const qint64 s0 = w.worker()->engineStep();
        QTest::keyClick(focus, Qt::Key_Right);
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineStep(), s0 + 1, 30000);
        QTest::keyClick(focus, Qt::Key_Right, Qt::ShiftModifier);
        const int perEpoch = (w.data()->train->size() + 127) / 128;
        QTRY_VERIFY_WITH_TIMEOUT(w.worker()->engineStep() == perEpoch, 120000);
        const quint64 run = w.runId();
        QWidget *slider = control<LogSlider>(w, "learningRate")->slider();
        slider->setFocus();
        QTest::keyClick(slider, Qt::Key_R, Qt::ControlModifier);
        QVERIFY(w.runId() > run);
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineStep(), qint64(0), 30000);
    }

    void everyControlReachesTheEngineWhileTraining()
    {
        MainWindow w(testOptions());
        w.show();
        w.playAction()->trigger();
        QVERIFY(trainsOn(w, 10));
        auto engine = [&] { return w.worker()->engineSettings(); };

        choose(control<QComboBox>(w, "loss"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(engine().loss, ael::LossKind::BCE, 30000);
        QVERIFY(trainsOn(w));
        choose(control<QComboBox>(w, "optimizer"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(engine().optimizer, ael::OptimizerKind::SGD, 30000);
        QVERIFY(trainsOn(w));
        choose(control<QComboBox>(w, "optimizer"), 0);
        QTRY_COMPARE_WITH_TIMEOUT(engine().optimizer, ael::OptimizerKind::Adam, 30000);

        auto *lr = control<LogSlider>(w, "learningRate");
        lr->slider()->setValue(lr->slider()->maximum());  // a drag to the right end
        QCOMPARE(lr->value(), 0.1);
        QCOMPARE(lr->valueLabel()->text(), QStringLiteral("0.1"));
        QTRY_COMPARE_WITH_TIMEOUT(engine().opt.learningRate, 0.1, 30000);
        lr->slider()->setValue(20);  // two decades up from 1e-5
        QTRY_COMPARE_WITH_TIMEOUT(engine().opt.learningRate, 1e-3, 30000);
        QVERIFY(trainsOn(w));

        auto *batch = control<QComboBox>(w, "batchSize");
        choose(batch, batch->findData(64));
        QTRY_COMPARE_WITH_TIMEOUT(engine().batchSize, 64, 30000);
        QVERIFY(trainsOn(w));
        QTRY_COMPARE_WITH_TIMEOUT(w.lastSnapshot().stepsPerEpoch, qint64((w.data()->train->size() + 63) / 64), 30000);

        choose(control<QComboBox>(w, "corruptionKind"), 2);
        QTRY_COMPARE_WITH_TIMEOUT(engine().corruption.kind, ael::CorruptionKind::Gaussian, 30000);
        control<QSlider>(w, "corruptionRate")->setValue(50);
        QTRY_COMPARE_WITH_TIMEOUT(engine().corruption.rate, 0.5, 30000);
        choose(control<QComboBox>(w, "corruptionKind"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(engine().corruption.kind, ael::CorruptionKind::Masking, 30000);
        control<QSlider>(w, "corruptionRate")->setValue(90);
        QTRY_COMPARE_WITH_TIMEOUT(engine().corruption.rate, 0.9, 30000);

        choose(control<QComboBox>(w, "sparsityKind"), 1);  // accepted: the variant is not sparse
        QTRY_COMPARE_WITH_TIMEOUT(engine().sparsity, ael::SparsityKind::KL, 30000);
        choose(control<QComboBox>(w, "sparsityKind"), 0);
        QTRY_COMPARE_WITH_TIMEOUT(engine().sparsity, ael::SparsityKind::L1, 30000);
        auto *sw = control<LogSlider>(w, "sparsityWeight");
        sw->slider()->setValue(40);  // 1e-5 · 10^4
        QTRY_COMPARE_WITH_TIMEOUT(engine().sparsityWeight, 0.1, 30000);
        control<QSlider>(w, "sparsityTarget")->setValue(20);
        QTRY_COMPARE_WITH_TIMEOUT(engine().sparsityTarget, 0.2, 30000);
        auto *lambda = control<LogSlider>(w, "contractiveLambda");
        lambda->slider()->setValue(30);
        QTRY_COMPARE_WITH_TIMEOUT(engine().contractiveLambda, 0.01, 30000);
        auto *beta = control<LogSlider>(w, "beta");
        beta->slider()->setValue(beta->slider()->maximum());
        QTRY_COMPARE_WITH_TIMEOUT(engine().beta, 10.0, 30000);
        QVERIFY(trainsOn(w));
        QVERIFY(w.worker()->isPlaying());

        // Each change became a marker on the chart (changes that rest 0.3 s; a drag is one marker).
        QTRY_VERIFY_WITH_TIMEOUT(w.lossView()->markerLabels().contains(QStringLiteral("β 10")), 60000);
        QVERIFY(w.lossView()->markerCount() >= 10);
        QVERIFY(w.lossView()->markerLabels().contains(QStringLiteral("loss BCE")));
        QVERIFY(w.lossView()->markerLabels().contains(QStringLiteral("corruption 90 %")));

        // The scatter's projection of a k > 2 code is a worker setting too.
        auto *mode = control<QComboBox>(w, "latentMode");
        QVERIFY(!mode->isEnabled());  // k = 2
    }

    void variantSwitchMidTrainingKeepsTrainingAndAddsMarker()
    {
        g_answer = 1;  // "Keep this model" when a variant's default model is offered: a live switch
        const auto restore = qScopeGuard([] { g_answer = 0; });
        MainWindow w(testOptions());
        w.show();
        w.playAction()->trigger();
        QVERIFY(trainsOn(w, 30));
        const int markers = w.lossView()->markerCount();
        const quint64 run = w.runId();
        auto *variant = control<QComboBox>(w, "variant");
        Seen seen(w);

        choose(variant, 3);  // denoising
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineSettings().variant, ael::Variant::Denoising, 30000);
        QVERIFY(trainsOn(w, 30));
        QTRY_VERIFY_WITH_TIMEOUT(w.lossView()->markerCount() > markers, 30000);
        QVERIFY(w.lossView()->markerLabels().contains(QStringLiteral("→ denoising")));
        QTRY_COMPARE_WITH_TIMEOUT(seen.corrupted, 10, 30000);
        QVERIFY(control<QLabel>(w, "variantFormula")->text().contains(QStringLiteral("x̃")));

        choose(variant, 5);  // variational: the code layer is rebuilt
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineSettings().variant, ael::Variant::Variational, 30000);
        QVERIFY(trainsOn(w, 30));
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().variational, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(seen.messages.join(QLatin1Char(' ')).contains(QStringLiteral("switched to variational")), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().termNames.contains(QStringLiteral("kl")), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(w.lossView()->markerLabels().contains(QStringLiteral("→ variational")), 30000);
        QVERIFY(w.worker()->isPlaying());
        QCOMPARE(w.runId(), run);  // "keep this model": no reset, the switch was live

        choose(variant, 4);  // contractive (two-layer encoder: the estimate)
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineSettings().variant, ael::Variant::Contractive, 30000);
        QVERIFY(trainsOn(w, 20));
        QTRY_VERIFY_WITH_TIMEOUT(!w.lastSnapshot().variational, 30000);
    }

    void rapidChangesNeverStopTraining()
    {
        MainWindow w(testOptions());
        w.show();
        w.playAction()->trigger();
        QVERIFY(trainsOn(w, 10));
        g_answer = 1;  // "Keep this architecture" when the overcomplete variant asks
        auto *variant = control<QComboBox>(w, "variant");
        auto *rate = control<QSlider>(w, "corruptionRate");
        auto *lr = control<LogSlider>(w, "learningRate");
        for (int i = 0; i < 60; ++i) {
            choose(variant, i % 6);
            rate->setValue((i * 7) % 91);
            lr->slider()->setValue(10 + i % 20);
            if (i % 10 == 0) w.stepAction()->trigger();
            QTest::qWait(i % 3 == 0 ? 15 : 1);
        }
        choose(variant, 3);
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineSettings().variant, ael::Variant::Denoising, 30000);
        QVERIFY(trainsOn(w, 30));
        QVERIFY(w.worker()->isPlaying());
        QCOMPARE(w.worker()->engineArchitecture().code, 2);
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
        QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains(QStringLiteral("sigmoid")), 30000);
        QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("rejected")));
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
        QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains(QStringLiteral("tied")), 30000);
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
        QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains(QStringLiteral("diverged")), 30000);
        QVERIFY(w.lastSnapshot().step > 0);
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

QTEST_MAIN(TestUiWindow)
#include "tst_ui_window.moc"
