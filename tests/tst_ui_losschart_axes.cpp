// The loss chart's axes (ui/views/LossChartAxes.cpp), offscreen: the log axis and its checkbox; the tick
// labels of a loss that hardly moves; a spike of a step or two that runs off the top of the linear axis;
// x ticks that keep apart, with the PCA floor's label inside the plot. (Curves, markers and refresh:
// tst_ui_losschart; the legend and the titles: tst_ui_losschart_labels.)
#include "PresentationTestKit.h"
#include "ViewsTestKit.h"

#include <QAbstractAxis>
#include <QChart>
#include <QCheckBox>
#include <QLogValueAxis>
#include <QSet>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <random>

using namespace viewtest;

class TestUiLossChartAxes : public QObject {
    Q_OBJECT

private slots:
    void lossChartLogToggle();
    void lossChartNarrowRangeLabels_data();
    void lossChartNarrowRangeLabels();
    void lossChartSpikeRunsOffTheTop_data();
    void lossChartSpikeRunsOffTheTop();
    void lossChartXTicksDoNotTouch_data();
    void lossChartXTicksDoNotTouch();
};

void TestUiLossChartAxes::lossChartLogToggle()
{
    LossChartView v;
    v.setRefreshInterval(0);
    feedRealistic(v);
    QCOMPARE(v.yAxis()->type(), QAbstractAxis::AxisTypeValue);
    QSignalSpy spy(&v, &LossChartView::logYChanged);
    v.setLogY(true);
    QVERIFY(v.logY());
    QCOMPARE(v.yAxis()->type(), QAbstractAxis::AxisTypeLogValue);
    QCOMPARE(spy.count(), 1);
    for (QAbstractSeries *s : v.chart()->series()) QVERIFY(s->attachedAxes().contains(v.yAxis()));
    auto *log = qobject_cast<QLogValueAxis *>(v.yAxis());
    QVERIFY(log->min() > 0);
    QVERIFY(log->min() <= 0.003);
    QVERIFY(log->max() >= 0.1);
    // The checkbox inside the view toggles it too.
    QCheckBox *box = v.findChild<QCheckBox *>();
    QVERIFY(box);
    QVERIFY(box->isChecked());
    box->click();
    QVERIFY(!v.logY());
    QCOMPARE(v.yAxis()->type(), QAbstractAxis::AxisTypeValue);
    QCOMPARE(spy.count(), 2);
}

void TestUiLossChartAxes::lossChartNarrowRangeLabels_data()
{
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    QTest::newRow("plateau at 0.123") << 0.1236 << 0.1230;
    QTest::newRow("plateau at 0.0462") << 0.04625 << 0.04621;
    QTest::newRow("first steps") << 0.9 << 0.05;
    QTest::newRow("large losses") << 1250.0 << 1190.0;
}

// A loss that hardly moves (a plateau) gives a narrow linear axis: its tick labels must still differ
// from one another (with three significant digits 0.1231 and 0.1232 both printed "0.123").
void TestUiLossChartAxes::lossChartNarrowRangeLabels()
{
    QFETCH(double, from);
    QFETCH(double, to);
    LossChartView v;
    v.resize(640, 420);
    v.setRefreshInterval(0);
    v.setLogY(false);
    Snapshot s;
    for (int i = 0; i <= 200; ++i) s.losses << LossPoint{10 * i, 0, from + (to - from) * i / 200.0, {}};
    v.applySnapshot(s);
    auto *ay = qobject_cast<QValueAxis *>(v.yAxis());
    QVERIFY(ay);
    QVERIFY(ay->min() <= std::min(from, to) && ay->max() >= std::max(from, to));
    const double step = ay->tickInterval();
    QVERIFY(step > 0);
    QStringList labels;
    for (double t = std::ceil(ay->min() / step - 1e-9) * step; t <= ay->max() + 1e-12; t += step)
        labels << QString::asprintf(ay->labelFormat().toLatin1().constData(), t);
    QVERIFY2(labels.size() >= 3, qPrintable(labels.join(' ')));
    QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size());
    // ...and no more decimals than the step needs: the last one is not always zero.
    QVERIFY2(!std::all_of(labels.begin(), labels.end(), [](const QString &l) { return l.contains('.') && l.endsWith('0'); }),
             qPrintable(labels.join(' ')));
}

void TestUiLossChartAxes::lossChartSpikeRunsOffTheTop_data()
{
    QTest::addColumn<int>("spikeSteps");   // steps at 14 (0: none)
    QTest::addColumn<bool>("rises");       // the loss rises over the last third and stays up
    QTest::addColumn<bool>("log");
    QTest::addColumn<double>("topAtLeast");
    QTest::addColumn<double>("topAtMost");
    // The loss falls from 0.05 to 0.0005 over 7,000 steps. The first 3 % never count toward the top (0.05 → ~0.043).
    QTest::newRow("no spike") << 0 << false << false << 0.03 << 0.06;
    // Lesson 3's linear copy under Adam: 14 for a step or two around step 2,300. The axis kept 0..15 and the
    // run lay on its bottom pixel rows.
    QTest::newRow("a spike of one step") << 1 << false << false << 0.03 << 0.06;
    QTest::newRow("a spike of three steps") << 3 << false << false << 0.03 << 0.06;
    QTest::newRow("a spike on the log axis: shown") << 3 << false << true << 14.0 << 1e3;
    QTest::newRow("a rise that lasts: shown") << 0 << true << false << 0.5 << 1.0;
}

void TestUiLossChartAxes::lossChartSpikeRunsOffTheTop()
{
    QFETCH(int, spikeSteps);
    QFETCH(bool, rises);
    QFETCH(bool, log);
    QFETCH(double, topAtLeast);
    QFETCH(double, topAtMost);
    LossChartView v;
    v.resize(640, 420);
    v.setRefreshInterval(0);
    v.setLogY(log);
    Snapshot s;
    for (int i = 0; i <= 700; ++i) {
        const int step = 10 * i;
        double loss = 0.0005 + 0.05 * std::exp(-step / 800.0);
        if (step >= 2300 && step < 2300 + 10 * spikeSteps) loss = 14;
        if (rises && i > 466) loss += 0.5 * (i - 466) / 234.0;
        s.losses << LossPoint{step, 0, loss, {}};
    }
    v.applySnapshot(s);
    double top = 0;
    if (log) top = qobject_cast<QLogValueAxis *>(v.yAxis())->max();
    else top = qobject_cast<QValueAxis *>(v.yAxis())->max();
    QVERIFY2(top >= topAtLeast && top <= topAtMost, qPrintable(QString::number(top)));
}

void TestUiLossChartAxes::lossChartXTicksDoNotTouch_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("pcaK");  // 784: the overcomplete model's exact PCA (lesson 3)
    for (int k : {2, 784}) {
        const QByteArray pca = k == 2 ? QByteArray() : QByteArrayLiteral(", PCA-784 exact");
        QTest::newRow("presentation, beside a lesson at 1024x768" + pca) << true << 300 << 430 << k;
        QTest::newRow("presentation, 100k steps" + pca) << true << 300 << 100000 << k;
        // Lesson 7 at 1024 × 768 after a minute: one tick's room, and its one tick (50,000) beyond the range:
        // an x axis with no number at all.
        QTest::newRow("presentation, 43,259 steps, lesson 7 at 1024x768" + pca) << true << 290 << 43259 << k;
        QTest::newRow("normal, narrowest" + pca) << false << 280 << 2000 << k;
        QTest::newRow("normal, wide" + pca) << false << 900 << 2000 << k;
    }
}

// In presentation mode at 1024×768 the chart beside the lesson column labelled its x axis
// "100200300400": four ticks for ~170 pixels of plot. Neighbouring labels now keep apart, and the PCA
// floor's label, wider than the plot, no longer lies over the y axis's tick labels.
void TestUiLossChartAxes::lossChartXTicksDoNotTouch()
{
    QFETCH(bool, presentation);
    QFETCH(int, width);
    QFETCH(int, steps);
    QFETCH(int, pcaK);
    const ScopedPresentation presenting(presentation);
    LossChartView v;
    v.setRefreshInterval(0);
    v.resize(width, 330);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    std::mt19937 rng(3);
    Snapshot s;
    s.losses = lossRun(1, steps, std::max(1, steps / 400), 0, rng);
    s.testStep = steps;
    s.testMse = 0.05;
    s.pcaTestMse = pcaK == 2 ? 0.056 : 0;
    s.pcaK = pcaK;
    s.pcaExact = pcaK == 784;
    s.codeSize = pcaK == 2 ? 2 : 1024;
    v.applySnapshot(s);
    QApplication::processEvents();
    auto *ax = qobject_cast<QValueAxis *>(v.xAxis());
    QVERIFY(ax);
    const double plotW = v.chart()->plotArea().width(), range = ax->max() - ax->min();
    // The PCA floor's label stays inside the plot (over the tick labels it hid them), "PCA-2" if need be.
    QTRY_VERIFY(!v.floorLabelRect().isEmpty());
    const QRectF floor = v.floorLabelRect();
    QVERIFY2(v.chart()->plotArea().adjusted(-1, -1, 1, 1).contains(floor),
             qPrintable(QString("label %1..%2, plot %3..%4").arg(floor.left()).arg(floor.right()).arg(v.chart()->plotArea().left()).arg(v.chart()->plotArea().right())));
    // One of its forms, whole: an elided "PCA-784 …" reads as another name.
    const QStringList forms = pcaK == 2 ? QStringList{"PCA-2 test MSE", "PCA-2", "PCA"} : QStringList{"PCA-784: exact", "PCA-784 = 0", "PCA-784", "PCA"};
    QVERIFY2(forms.contains(v.shownFloorLabel()), qPrintable(v.shownFloorLabel()));
    if (width >= 900) QCOMPARE(v.shownFloorLabel(), forms.first());
    QVERIFY(plotW > 50);
    const QFontMetricsF fm(ax->labelsFont());
    const double label = fm.horizontalAdvance(QString::number(ax->max(), 'f', 0));
    const double apart = ax->tickInterval() / range * plotW;
    QVERIFY2(apart >= label + 4, qPrintable(QStringLiteral("ticks %1 px apart for %2-px labels").arg(apart).arg(label)));
    // At least one tick in view (anchored at 0), and in a wide chart several.
    const double ticks = std::floor(ax->max() / ax->tickInterval()) - std::ceil(ax->min() / ax->tickInterval()) + 1;
    QVERIFY(ticks >= 1);
    if (width >= 900) QVERIFY(ticks >= 4);
}

QTEST_MAIN(TestUiLossChartAxes)
#include "tst_ui_losschart_axes.moc"
