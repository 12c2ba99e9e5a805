// A control storm: while a real MainWindow trains, random controls change through the panel's
// widgets at ~100 Hz (variant, corruption kind and rate, sparsity kind and weight, λ, β, learning
// rate, optimizer, batch, code size + reset, data set, play/pause, step, strokes on the drawing pad),
// with random answers to every question the window asks. Then: the controls and the engine agree on
// every setting, the architecture and the data; the last Snapshot's weights are finite; the run went
// on. The storm is a count of changes (100 per second asked for, one per 10 ms tick); the event loop's
// lateness (a 10 ms timer) is logged, never asserted: wall clocks on shared machines are noisy.
// AELAB_STORM_SECONDS (default 8) sets the length, AELAB_STORM_SEED the seed (printed on failure).
#include "ui/explore/DrawPanel.h"
#include "ui/training/DataBundle.h"
#include "ui/widgets/Ask.h"
#include "ui/widgets/LogSlider.h"
#include "ui/window/ControlPanel.h"
#include "ui/window/MainWindow.h"
#include "core/nn/Model.h"
#include "core/Rng.h"
#include "DrawingTestKit.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>

namespace {

ael::Rng *g_rng = nullptr;
int g_asked = 0;

template <class W> W *control(MainWindow &w, const char *name)
{
    W *c = w.controls()->findChild<W *>(QLatin1String(name));
    if (!c) qFatal("no control %s", name);
    return c;
}

void choose(QComboBox *c, int index)
{
    c->setCurrentIndex(index);
    emit c->activated(index);
}

double percentile(std::vector<double> v, double q)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5))];
}

/// The settings that differ, by name ("" when all agree).
QString differences(const ael::TrainSettings &a, const ael::TrainSettings &b)
{
    QStringList d;
    auto check = [&](bool same, const char *name) {
        if (!same) d << QString::fromLatin1(name);
    };
    check(a.variant == b.variant, "variant");
    check(a.loss == b.loss, "loss");
    check(a.optimizer == b.optimizer, "optimizer");
    check(a.opt.learningRate == b.opt.learningRate, "learning rate");
    check(a.batchSize == b.batchSize, "batch");
    check(a.corruption.kind == b.corruption.kind, "corruption kind");
    check(a.corruption.rate == b.corruption.rate, "corruption rate");
    check(a.sparsity == b.sparsity, "sparsity kind");
    check(a.sparsityWeight == b.sparsityWeight, "sparsity weight");
    check(a.sparsityTarget == b.sparsityTarget, "sparsity target");
    check(a.contractiveLambda == b.contractiveLambda, "contractive lambda");
    check(a.beta == b.beta, "beta");
    return d.join(QStringLiteral(", "));
}

}  // namespace

class TestUiStorm : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("AutoencoderLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_ui_storm"));
        ask::setHandler([](const QString &, const QString &, const QStringList &buttons) {
            ++g_asked;
            return buttons.isEmpty() ? 0 : int(g_rng->below(uint32_t(buttons.size())));
        });
    }
    void storm();
};

void TestUiStorm::storm()
{
    const double seconds = qEnvironmentVariableIsSet("AELAB_STORM_SECONDS")
                               ? std::clamp(qEnvironmentVariable("AELAB_STORM_SECONDS").toDouble(), 1.0, 3600.0)
                               : 8.0;
    const quint64 seed = qEnvironmentVariableIsSet("AELAB_STORM_SEED") ? qEnvironmentVariable("AELAB_STORM_SEED").toULongLong()
                                                                       : 20261202;
    const QByteArray tag = "storm seed " + QByteArray::number(seed) + " (AELAB_STORM_SEED)";
    ael::Rng rng(seed);
    g_rng = &rng;

    MainWindow::Options o;
    o.restoreSettings = false;
    MainWindow w(o);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_VERIFY_WITH_TIMEOUT(w.snapshotsApplied() > 0, 60000);
    w.drawDock()->show();
    DrawingPad *pad = w.drawPanel()->pad();

    auto *variant = control<QComboBox>(w, "variant");
    auto *optimizer = control<QComboBox>(w, "optimizer");
    auto *batch = control<QComboBox>(w, "batchSize");
    auto *corruption = control<QComboBox>(w, "corruptionKind");
    auto *sparsity = control<QComboBox>(w, "sparsityKind");
    auto *data = control<QComboBox>(w, "dataSource");
    auto *rate = control<QSlider>(w, "corruptionRate");
    auto *lr = control<LogSlider>(w, "learningRate");
    auto *weight = control<LogSlider>(w, "sparsityWeight");
    auto *lambda = control<LogSlider>(w, "contractiveLambda");
    auto *beta = control<LogSlider>(w, "beta");
    auto *code = control<QSpinBox>(w, "codeSize");
    auto *hidden = control<QLineEdit>(w, "hiddenWidths");
    auto *apply = control<QPushButton>(w, "applyArchitecture");
    QStringList dataIds;  // the data sets offered (MNIST, and Fashion-MNIST if installed)
    for (int i = 0; i < data->count(); ++i) dataIds << data->itemData(i).toString();
    qInfo("%s; %.0f s; data sets: %s", tag.constData(), seconds, qPrintable(dataIds.join(QStringLiteral(", "))));

    // The event loop's lateness: gaps of a 10 ms timer beyond 10 ms.
    std::vector<double> late;
    QElapsedTimer clock;
    clock.start();
    qint64 last = -1;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    connect(&probe, &QTimer::timeout, this, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last >= 0) late.push_back(std::max(0.0, double(now - last) / 1e6 - 10.0));
        last = now;
    });

    int changes = 0, resets = 0, dataSwitches = 0, strokes = 0;
    auto slide = [&](QSlider *s) { s->setValue(s->minimum() + int(rng.below(uint32_t(s->maximum() - s->minimum() + 1)))); };
    auto pick = [&](QComboBox *c) { choose(c, int(rng.below(uint32_t(c->count())))); };
    const int target = int(seconds * 100);
    QTimer storm;
    connect(&storm, &QTimer::timeout, this, [&] {
        if (changes == target) return storm.stop();
        ++changes;
        switch (rng.below(20)) {
        case 0: pick(variant); break;
        case 1: pick(corruption); break;
        case 2: case 3: slide(rate); break;
        case 4: pick(sparsity); break;
        case 5: case 6: slide(weight->slider()); break;
        case 7: slide(lambda->slider()); break;
        case 8: slide(beta->slider()); break;
        case 9: case 10: slide(lr->slider()); break;
        case 11: pick(optimizer); break;
        case 12: pick(batch); break;
        case 13:
            if (rng.below(4) == 0) {  // code size + reset (a quarter of the time: a new model is costly)
                hidden->setText(rng.below(2) ? QStringLiteral("64") : QString());
                code->setValue(1 + int(rng.below(32)));
                apply->click();
                ++resets;
            }
            break;
        case 14:
            if (rng.below(3) == 0 && data->isEnabled()) {
                pick(data);
                ++dataSwitches;
            }
            break;
        case 15: case 16: w.playAction()->trigger(); break;
        case 17: w.stepAction()->trigger(); break;
        default: {  // a short stroke on the drawing pad
            const QPointF a(0.2 + 0.6 * rng.uniform(), 0.2 + 0.6 * rng.uniform());
            drawtest::drawStroke(pad, {a, a + QPointF(0.1, 0.05), a + QPointF(0.05, 0.15)});
            ++strokes;
        }
        }
    });
    // Steps over all runs: the last step each run reached.
    std::map<quint64, qint64> stepsOfRun;
    connect(&w, &MainWindow::snapshotApplied, this, [&](const Snapshot &s) { stepsOfRun[s.runId] = s.step; });
    w.playAction()->trigger();
    probe.start(10);
    storm.start(10);
    QTRY_VERIFY2_WITH_TIMEOUT(changes == target, tag.constData(), int(seconds * 1000) * 30);  // all of the storm ran
    storm.stop();
    probe.stop();
    const double stormSeconds = double(clock.nsecsElapsed()) / 1e9;

    // Settle: no load in flight, the engine has what was asked last, and it trains on.
    QTRY_VERIFY2_WITH_TIMEOUT(data->isEnabled(), tag.constData(), 120000);
    if (!w.worker()->isPlaying()) w.playAction()->trigger();
    QTRY_VERIFY2_WITH_TIMEOUT(w.worker()->engineRunId() == w.runId() &&
                                  w.worker()->engineSettingsGeneration() >= w.worker()->requestedSettingsGeneration(),
                              tag.constData(), 120000);
    const qint64 settled = w.worker()->engineStep();
    QTRY_VERIFY2_WITH_TIMEOUT(w.worker()->engineStep() > settled + 3, tag.constData(), 120000);
    const quint64 run = w.runId();
    QTRY_VERIFY2_WITH_TIMEOUT(w.lastSnapshot().runId == run && w.lastSnapshot().step > settled, tag.constData(), 120000);

    const ael::TrainSettings shown = w.controls()->settings(), engine = w.worker()->engineSettings();
    const QString diff = differences(shown, engine);
    QVERIFY2(diff.isEmpty(), qPrintable(tag + ": the panel and the engine differ in " + diff));
    QCOMPARE(shown.corruption.rate, rate->value() / 100.0);  // the widgets themselves
    QCOMPARE(shown.opt.learningRate, lr->value());
    QCOMPARE(shown.sparsityWeight, weight->value());
    QCOMPARE(shown.batchSize, batch->currentData().toInt());
    const QString state = QStringLiteral("%1: panel %2 on %3, window %4 run %5, engine %6 on %7 run %8")
                              .arg(QString::fromUtf8(tag), QString::fromStdString(w.controls()->architecture().spec()),
                                   w.controls()->currentDataId(), w.data()->id, QString::number(w.runId()),
                                   QString::fromStdString(w.worker()->engineArchitecture().spec()),
                                   w.worker()->engineDataId(), QString::number(w.worker()->engineRunId()));
    QVERIFY2(w.controls()->architecture().spec() == w.worker()->engineArchitecture().spec(), qPrintable(state));
    QVERIFY2(w.worker()->engineDataId() == w.controls()->currentDataId() && w.data()->id == w.controls()->currentDataId(),
             qPrintable(state));

    const auto model = w.lastSnapshot().model;
    QVERIFY(model);
    qint64 values = 0;
    for (const ael::Param<float> *p : model->params()) {
        QVERIFY2(p->value.allFinite(), tag.constData());
        values += p->value.size();
    }
    QVERIFY(values > 0);

    qint64 steps = 0;
    for (const auto &[id, n] : stepsOfRun) steps += n;
    const double p99 = percentile(late, 0.99), worst = percentile(late, 1.0);
    qInfo("storm: %.1f s, %d changes (%.0f/s), %d resets, %d data switches, %d strokes, %d questions answered; "
          "%lld steps (%d runs); event-loop lateness over %zu ticks: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
          stormSeconds, changes, changes / stormSeconds, resets, dataSwitches, strokes, g_asked,
          (long long)steps, int(stepsOfRun.size()), late.size(), percentile(late, 0.5), p99, worst);
}

QTEST_MAIN(TestUiStorm)
#include "tst_ui_storm.moc"
