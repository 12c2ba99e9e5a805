// The loss chart's overfitting marker (ui/views/LossChartView, core/train/OverfitWatch.h), offscreen: a run
// whose test MSE rises from its lowest point while the training loss falls gets a dotted line at that point
// and a label inside the plot, clear of the change markers' labels; a run that only improves, a change of
// setting and a new run take it away; in a narrow plot the label takes a short form, whole.
#include "PresentationTestKit.h"
#include "ViewsTestKit.h"
#include "ui/training/LossHistory.h"

#include <QChart>
#include <QGraphicsLineItem>
#include <QLineSeries>

#include <cmath>

using namespace viewtest;

namespace {

/// Evaluation i (0-based) at step 100 (i + 1): a training loss falling throughout, and a test MSE that is
/// lowest at evaluation `lowest` and rises `rise` (relative) over the 60 evaluations after it. Ten training
/// steps a snapshot, one test evaluation a snapshot, as the window sends them.
void feed(LossChartView &v, int evaluations, int lowest, double rise, int from = 0, LossHistory *history = nullptr)
{
    for (int i = from; i < evaluations; ++i) {
        Snapshot s;
        for (int k = 1; k <= 10; ++k) {
            const qint64 step = 100LL * i + 10 * k;
            s.losses << LossPoint{step, 0, 0.02 + 0.03 * std::exp(-step / 8000.0), {}};
        }
        s.testStep = 100LL * (i + 1);
        s.testMse = i > lowest ? 0.035 * (1 + rise * (i - lowest) / 60.0) : 0.035 * (1 + 0.004 * (lowest - i));
        s.pcaTestMse = 0.056;
        s.pcaK = 2;
        v.applySnapshot(s);
        if (history) history->add(s);
    }
}

bool show(LossChartView &v, QSize size)
{
    v.setRefreshInterval(0);
    v.resize(size);
    v.show();
    return QTest::qWaitForWindowExposed(&v) && QTest::qWaitFor([&] { return v.chart()->plotArea().width() > 50; });
}

/// The x of the vertical line drawn at `step` in the test MSE's colour (NaN: none).
double overfitLineX(const LossChartView &v)
{
    for (QGraphicsItem *it : v.chart()->childItems())
        if (auto *l = dynamic_cast<QGraphicsLineItem *>(it); l && l->isVisible() && l->pen().color() == ael::ui::kTestColor)
            return l->line().x1();
    return std::nan("");
}

}  // namespace

class TestUiOverfitMarker : public QObject {
    Q_OBJECT
private slots:
    void markedWhereTheTestMseWasLowest();
    void noMarkerWhileTheTestMseFalls();
    void clearedByAChangeAndANewRun();
    void sameAfterASessionIsOpened();
    void denoisingCurveSameAfterASessionIsOpened();
    void shortFormWhenNarrow_data();
    void shortFormWhenNarrow();
};

void TestUiOverfitMarker::markedWhereTheTestMseWasLowest()
{
    LossChartView v;
    QVERIFY(show(v, QSize(900, 500)));
    feed(v, 100, 40, 0.05);
    // Lowest at evaluation 40 (step 4,100); by evaluation 99 the test MSE is ~5 % above it.
    QVERIFY(v.overfitWatch().overfitting().has_value());
    QCOMPARE(v.overfitStep(), qint64(4100));
    QVERIFY2(v.overfitLabel().contains(QStringLiteral("overfitting")), qPrintable(v.overfitLabel()));
    QVERIFY2(v.overfitLabel().contains(QStringLiteral("+4.")) || v.overfitLabel().contains(QStringLiteral("+5.")),
             qPrintable(v.overfitLabel()));
    // Its line at that step, as the chart maps it; its label inside the plot.
    const QPointF at = v.chart()->mapToPosition(QPointF(4100, 0.035), v.series("test"));
    QVERIFY2(std::abs(overfitLineX(v) - at.x()) < 1.0, qPrintable(QStringLiteral("%1 vs %2").arg(overfitLineX(v)).arg(at.x())));
    const QRectF label = v.overfitLabelRect();
    QVERIFY(v.chart()->plotArea().adjusted(-1, -1, 1, 1).contains(label));
}

void TestUiOverfitMarker::noMarkerWhileTheTestMseFalls()
{
    LossChartView v;
    QVERIFY(show(v, QSize(900, 500)));
    feed(v, 100, 99, 0);  // falls until the last evaluation
    QVERIFY(!v.overfitWatch().overfitting());
    QCOMPARE(v.overfitStep(), -1);
    QVERIFY(v.overfitLabel().isEmpty());
    QVERIFY(std::isnan(overfitLineX(v)));
}

void TestUiOverfitMarker::clearedByAChangeAndANewRun()
{
    LossChartView v;
    QVERIFY(show(v, QSize(900, 500)));
    feed(v, 100, 40, 0.05);
    QVERIFY(!v.overfitLabel().isEmpty());
    // A change of setting: both curves move, the verdict starts afresh; its label and the marker's do not meet.
    Snapshot change;
    change.markers << ChangeMarker{10000, "learning rate 1e-2"};
    v.applySnapshot(change);
    v.refresh();
    QVERIFY(v.overfitLabel().isEmpty());
    QVERIFY(std::isnan(overfitLineX(v)));
    // Overfitting again after it: both labels shown, apart.
    feed(v, 200, 140, 0.05, 100);
    v.refresh();
    QCOMPARE(v.overfitStep(), qint64(14100));
    QVERIFY(!v.overfitLabel().isEmpty());
    QVERIFY(v.markerLabelRect(0).isValid());
    QVERIFY(!v.markerLabelRect(0).intersects(v.overfitLabelRect()));
    // A new run (the step goes back) takes it away.
    feed(v, 5, 40, 0.05);
    v.refresh();
    QVERIFY(v.overfitLabel().isEmpty());
    QCOMPARE(v.overfitWatch().evaluations(), 5);
}

// An opened session's chart is its saved history replayed (LossHistory::replay): the change markers came
// after every measurement there, and the one at step 10,000 then took the verdict away for good.
void TestUiOverfitMarker::sameAfterASessionIsOpened()
{
    LossChartView live;
    QVERIFY(show(live, QSize(900, 500)));
    LossHistory history;
    feed(live, 100, 40, 0.05, 0, &history);
    Snapshot change;
    change.markers << ChangeMarker{10050, "learning rate 1e-2"};
    live.applySnapshot(change);
    history.add(change);
    feed(live, 200, 140, 0.05, 100, &history);
    live.refresh();
    QVERIFY(live.overfitWatch().overfitting().has_value());

    LossChartView opened;
    QVERIFY(show(opened, QSize(900, 500)));
    for (const Snapshot &s : history.replay()) opened.applySnapshot(s);
    opened.refresh();
    QCOMPARE(opened.markerCount(), 1);
    QVERIFY(opened.overfitWatch().overfitting().has_value());
    QCOMPARE(opened.overfitWatch().evaluations(), live.overfitWatch().evaluations());  // both judged since the change
    QCOMPARE(opened.overfitStep(), live.overfitStep());
    QCOMPARE(opened.overfitWatch().overfitting()->rise(), live.overfitWatch().overfitting()->rise());
    QCOMPARE(opened.overfitLabel(), live.overfitLabel());
}

// A denoising run's chart draws the test MSE from x̃ (0.009 on Fashion-MNIST); the session kept only the clean
// test MSE (0.022), and the reopened chart drew that, solid, as "test MSE": another curve, another verdict.
void TestUiOverfitMarker::denoisingCurveSameAfterASessionIsOpened()
{
    LossChartView live;
    QVERIFY(show(live, QSize(900, 500)));
    LossHistory history;
    for (int i = 1; i <= 30; ++i) {
        Snapshot s;
        s.losses << LossPoint{i * 100, i * 0.1, 0.02 + 0.05 / i, {}};
        s.testStep = i * 100;
        s.testMse = 0.022 + 0.03 / i;        // clean x in
        s.testMseNoisy = 0.0087 + 0.03 / i;  // x̃ in, scored against x: what the chart draws
        s.pcaK = 512;
        s.pcaTestMse = 0.00066;
        s.pcaTestMseNoisy = 0.053;
        s.codeSize = 512;
        live.applySnapshot(s);
        history.add(s);
    }
    live.refresh();
    QCOMPARE(live.series("testNoisy")->count(), 30);
    QCOMPARE(live.series("test")->count(), 0);

    ael::SessionHistory saved = history.data();
    LossHistory reopened;
    reopened.set(saved);
    LossChartView opened;
    QVERIFY(show(opened, QSize(900, 500)));
    for (const Snapshot &s : reopened.replay()) opened.applySnapshot(s);
    opened.refresh();
    QCOMPARE(opened.series("test")->count(), 0);
    QCOMPARE(opened.series("testNoisy")->points(), live.series("testNoisy")->points());
    // The CSV has both test MSEs, the curve drawn among them (it had only the clean one); a run that never
    // corrupted has no such column (tst_ui_files csvHasTheHeaderAndOneRowPerPoint).
    const QStringList lines = QString::fromUtf8(reopened.toCsv()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.front(), QStringLiteral("step,epoch,reconstruction,objective,test_mse,test_mse_from_corrupted,marker"));
    QCOMPARE(lines.size(), 31);
    QCOMPARE(lines.back().split(QLatin1Char(','))[4].toDouble(), 0.022 + 0.03 / 30);
    QCOMPARE(lines.back().split(QLatin1Char(','))[5].toDouble(), 0.0087 + 0.03 / 30);
}

void TestUiOverfitMarker::shortFormWhenNarrow_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<QSize>("size");
    QTest::newRow("wide") << false << QSize(1100, 500);
    QTest::newRow("the default window's chart at 1366x768") << false << QSize(500, 330);
    QTest::newRow("presentation, 1280x720") << true << QSize(630, 300);
    QTest::newRow("presentation, narrow") << true << QSize(440, 320);
    QTest::newRow("narrow") << false << QSize(300, 240);
}

void TestUiOverfitMarker::shortFormWhenNarrow()
{
    QFETCH(bool, presentation);
    QFETCH(QSize, size);
    const ScopedPresentation presenting(presentation);
    LossChartView v;
    QVERIFY(show(v, size));
    feed(v, 100, 40, 0.05);
    v.refresh();
    const QString shown = v.overfitLabel();
    QVERIFY2(!shown.isEmpty(), "no label");
    QVERIFY2(shown.contains(QStringLiteral("overfitting")), qPrintable(shown));  // the word, in every form (1280x720 lost it)
    QVERIFY2(v.overfitLabelRect().width() <= v.chart()->plotArea().width() + 1,
             qPrintable(QStringLiteral("%1 px in %2").arg(v.overfitLabelRect().width()).arg(v.chart()->plotArea().width())));
    if (size.width() >= 1000) QVERIFY(shown.startsWith(QStringLiteral("lowest test MSE, +")) && shown.endsWith(QStringLiteral("overfitting")));
}

QTEST_MAIN(TestUiOverfitMarker)
#include "tst_ui_overfitmarker.moc"
