// The PCA floor's label on the loss chart: it names the dashed line, and it must not hide the curves
// the lesson asks the class to watch. In lesson 2 the test MSE settles on the PCA-6 line at the right
// end, and in lesson 3 every curve ends on the exact PCA's 0, just where the label used to sit.
#include "ui/views/LabelPlacement.h"
#include "ui/views/LossChartView.h"
#include "PresentationTestKit.h"

#include <QApplication>
#include <QChart>
#include <QLineSeries>
#include <QtTest>

#include <cmath>
#include <random>

class TestUiFloorLabel : public QObject {
    Q_OBJECT
private slots:
    void segmentsThroughCounts_data();
    void segmentsThroughCounts();
    void leastCoveredPrefersTheFirstClearBox();
    void floorLabelClearOfTheCurves_data();
    void floorLabelClearOfTheCurves();
    void floorLabelStaysAtTheRightEndWhenClear();
    void floorLabelGoesToACornerWhenTheLineIsCovered();
    void floorLabelAtTheTopCarriesItsDashes_data();
    void floorLabelAtTheTopCarriesItsDashes();
};

void TestUiFloorLabel::segmentsThroughCounts_data()
{
    QTest::addColumn<QPolygonF>("line");
    QTest::addColumn<int>("expected");
    // The box is (10, 10)–(30, 20).
    QTest::newRow("far away") << QPolygonF({{0, 0}, {100, 0}}) << 0;
    QTest::newRow("crosses, no point inside") << QPolygonF({{0, 15}, {100, 15}}) << 1;
    QTest::newRow("diagonal through a corner's side") << QPolygonF({{5, 5}, {40, 40}}) << 1;
    QTest::newRow("diagonal passing the corner") << QPolygonF({{0, 19}, {19, 0}}) << 0;
    QTest::newRow("both ends inside") << QPolygonF({{12, 12}, {28, 18}}) << 1;
    QTest::newRow("zigzag: three segments in, one out") << QPolygonF({{0, 12}, {20, 18}, {25, 11}, {40, 19}, {60, 50}}) << 3;
    QTest::newRow("vertical beside it") << QPolygonF({{31, 0}, {31, 40}}) << 0;
    QTest::newRow("vertical through it") << QPolygonF({{29, 0}, {29, 40}}) << 1;
    QTest::newRow("one point inside") << QPolygonF({{15, 15}}) << 1;
    QTest::newRow("one point outside") << QPolygonF({{15, 25}}) << 0;
}

void TestUiFloorLabel::segmentsThroughCounts()
{
    QFETCH(QPolygonF, line);
    QFETCH(int, expected);
    QCOMPARE(label_placement::segmentsThrough(QRectF(10, 10, 20, 10), line), expected);
}

void TestUiFloorLabel::leastCoveredPrefersTheFirstClearBox()
{
    using label_placement::leastCovered;
    const QPolygonF flat({{0, 15}, {100, 15}});   // through y = 15
    const QPolygonF rising({{0, 100}, {100, 0}});  // the diagonal x + y = 100
    const QRectF onFlat(70, 10, 20, 10), below(70, 30, 20, 10), left(0, 30, 20, 10), farBelow(40, 80, 10, 10);
    QCOMPARE(leastCovered({}, {flat}), -1);
    QCOMPARE(leastCovered({onFlat, below, left}, {}), 0);              // nothing drawn: the first
    QCOMPARE(leastCovered({onFlat, below, left}, {flat}), 1);          // the first clear one
    QCOMPARE(leastCovered({onFlat, below, left}, {flat, rising}), 2);  // below is on the diagonal
    // None clear: the one with the fewest segments through it (flat 1 + rising 1, zigzag 2 + rising 1).
    const QPolygonF zigzag({{0, 35}, {80, 32}, {95, 38}, {100, 31}});
    QCOMPARE(leastCovered({below, onFlat}, {flat, zigzag, rising}), 1);
    QCOMPARE(leastCovered({onFlat, below, farBelow}, {flat, zigzag, rising}), 2);
    // Of equals the first.
    QCOMPARE(leastCovered({onFlat, onFlat.translated(-20, 0)}, {flat}), 0);
    // Weights: one segment of a line that weighs 1000 costs more than three of one that weighs 1.
    QCOMPARE(leastCovered({below, onFlat}, {zigzag, flat}, {1, 1000}), 0);
    QCOMPARE(leastCovered({below, onFlat}, {zigzag, flat}), 1);
}

namespace {
/// The chart's curves other than the floor, as drawn (chart coordinates).
QVector<QPolygonF> drawnCurves(const LossChartView &v)
{
    QVector<QPolygonF> out;
    for (const char *key : {"train", "test", "objective", "testNoisy"}) {
        QLineSeries *s = v.series(key);
        if (!s || s->count() == 0) continue;
        QPolygonF line;
        for (const QPointF &p : s->points()) line << v.chart()->mapToPosition(p, s);
        out << line;
    }
    return out;
}

/// The test MSE's points as drawn, with the radius of their dots.
QPolygonF testPoints(const LossChartView &v)
{
    QPolygonF out;
    QLineSeries *s = v.series("test");
    for (const QPointF &p : s->points()) out << v.chart()->mapToPosition(p, s);
    return out;
}

int pointsIn(const QRectF &r, const QPolygonF &pts, double radius)
{
    int n = 0;
    for (const QPointF &p : pts) n += r.adjusted(-radius, -radius, radius, radius).contains(p) ? 1 : 0;
    return n;
}

/// A long run (40,000 steps) like lesson 2's: the test MSE comes down onto the floor `floor` and hovers
/// just above it, the training loss is noisy around and below it (a linear AE against PCA-6); or like
/// lesson 3's: every curve ends just above 0, where PCA-784 is exact.
void feedSettlingRun(LossChartView &v, double floor, bool exact)
{
    std::mt19937 rng(7);
    std::normal_distribution<double> N(0, 1);
    for (int snap = 0; snap < 100; ++snap) {
        Snapshot s;
        for (int k = 1; k <= 40; ++k) {
            LossPoint lp;
            lp.step = snap * 400 + k * 10;
            const double settle = std::exp(-lp.step / 1500.0);
            lp.reconstruction = exact ? 0.06 * settle + 0.0003 + 0.0001 * N(rng) : floor - 0.00004 + 0.0015 * settle + 0.00004 * N(rng);
            s.losses << lp;
        }
        s.testStep = snap * 400 + 400;
        const double settle = std::exp(-s.testStep / 1500.0);
        s.testMse = exact ? 0.06 * settle + 0.0005 + 0.00003 * N(rng) : floor + 0.00004 + 0.0015 * settle + 0.00001 * N(rng);
        s.pcaK = exact ? 784 : 6;
        s.pcaTestMse = exact ? 0 : floor;
        s.pcaExact = exact;
        s.codeSize = exact ? 1024 : 6;
        v.applySnapshot(s);
    }
    v.refresh();
}
}  // namespace

void TestUiFloorLabel::floorLabelClearOfTheCurves_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("exact");
    for (bool exact : {false, true}) {
        const QByteArray which = exact ? "lesson 3 (PCA exact), " : "lesson 2 (PCA-6), ";
        QTest::newRow(which + "1366x768") << false << QSize(480, 330) << exact;
        QTest::newRow(which + "presentation") << true << QSize(460, 330) << exact;
        QTest::newRow(which + "wide") << false << QSize(900, 420) << exact;
    }
}

// Lesson 2 at 1366 × 768: the label "PCA-6 test MSE" sat above the floor at the right end, over the
// test MSE's last points, the very thing the lesson says to watch; lesson 3's "PCA-784: exact" did the
// same to the curves ending on 0. The label now goes where the test MSE does not pass (here: lifted just
// over the curves' ends).
void TestUiFloorLabel::floorLabelClearOfTheCurves()
{
    QFETCH(bool, presentation);
    QFETCH(QSize, size);
    QFETCH(bool, exact);
    const ScopedPresentation presenting(presentation);
    LossChartView v;
    v.setRefreshInterval(0);
    v.resize(size);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    feedSettlingRun(v, 0.0417, exact);
    QApplication::processEvents();
    QTRY_VERIFY(!v.floorLabelRect().isEmpty());
    const QRectF label = v.floorLabelRect();
    const QRectF plot = v.chart()->plotArea();
    QVERIFY(plot.adjusted(-1, -1, 1, 1).contains(label));
    // The case is the one seen: the label's old place, above the line at the right end, hid test points.
    const double y = v.chart()->mapToPosition(v.series("pca")->at(1), v.series("pca")).y();
    const QRectF oldPlace(plot.right() - label.width() - 6, y - label.height() - 2, label.width(), label.height());
    const QPolygonF tests = testPoints(v);
    const double dot = 4 * (presentation ? 1.8 : 1.0);
    QVERIFY2(pointsIn(oldPlace, tests, dot) >= 3, qPrintable(QString::number(pointsIn(oldPlace, tests, dot))));
    QCOMPARE(pointsIn(label, tests, dot), 0);
    QCOMPARE(label_placement::segmentsThrough(label, tests), 0);
    // And of the training loss no more than the old place had.
    const QVector<QPolygonF> curves = drawnCurves(v);
    QVERIFY(label_placement::segmentsThrough(label, curves) <= label_placement::segmentsThrough(oldPlace, curves));
    // Still the floor's own label: at the line's right end, above it or below it, at most one and a half
    // of its heights away (lifted just over the curves' ends).
    const double gap = label.bottom() <= y ? y - label.bottom() : label.top() - y;
    QVERIFY2(gap >= 0 && gap <= 1.5 * label.height() + 3,
             qPrintable(QStringLiteral("label %1..%2, line at %3").arg(label.top()).arg(label.bottom()).arg(y)));
    QVERIFY2(std::abs(label.right() - (plot.right() - 6)) < 1, qPrintable(QString::number(label.right() - plot.right())));
    // Off its line, a thin line in its colour leads from the label to the floor (before: none, and a label
    // lifted over a sparse run's spikes read as a floor at 0.4).
    const QLineF leader = v.floorLeader();
    if (gap <= 4) {
        QVERIFY(leader.isNull());
        return;
    }
    QVERIFY(!leader.isNull());
    QCOMPARE(leader.x1(), label.center().x());
    QCOMPARE(leader.x2(), label.center().x());
    QVERIFY(std::abs(leader.y1() - (label.bottom() <= y ? label.bottom() : label.top())) < 0.5);
    QVERIFY(std::abs(leader.y2() - y) < 0.5);
}

// Where nothing runs through it, the label keeps its place: above the line at the right end.
void TestUiFloorLabel::floorLabelStaysAtTheRightEndWhenClear()
{
    LossChartView v;
    v.setRefreshInterval(0);
    v.resize(700, 400);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    // A run that stays well above its floor (the default 2-D model against PCA-2 early on).
    Snapshot s;
    for (int st = 10; st <= 3000; st += 10) {
        LossPoint lp;
        lp.step = st;
        lp.reconstruction = 0.075 + 0.05 * std::exp(-st / 500.0);
        s.losses << lp;
    }
    s.testStep = 3000;
    s.testMse = 0.076;
    s.pcaK = 2;
    s.pcaTestMse = 0.0559;
    s.codeSize = 2;
    v.applySnapshot(s);
    v.refresh();
    QApplication::processEvents();
    QTRY_VERIFY(!v.floorLabelRect().isEmpty());
    const QRectF label = v.floorLabelRect(), plot = v.chart()->plotArea();
    const double y = v.chart()->mapToPosition(v.series("pca")->at(1), v.series("pca")).y();
    QVERIFY2(std::abs(label.right() - (plot.right() - 6)) < 1, qPrintable(QString::number(label.right() - plot.right())));
    QVERIFY2(label.bottom() <= y && label.bottom() >= y - 3, qPrintable(QStringLiteral("%1 vs %2").arg(label.bottom()).arg(y)));
    QCOMPARE(v.shownFloorLabel(), QStringLiteral("PCA-2 test MSE"));
    QVERIFY(v.floorLeader().isNull());  // on its line: nothing to lead to
}

// Lesson 4 in presentation mode at 1024 × 768: a short chart whose curves came down onto an exact floor (PCA-784
// = 0) all along its line, so every place beside the line covered the test MSE's dots, and the label sat on them.
// Then, and only then, the label goes to the top of the plot, which the falling curves have left.
void TestUiFloorLabel::floorLabelGoesToACornerWhenTheLineIsCovered()
{
    using label_placement::leastCoveredOr;
    const QRectF aboveRight(70, 80, 25, 10), aboveLeft(5, 80, 25, 10);  // by the floor line at y = 92
    const QRectF topRight(70, 5, 25, 10), topMiddle(40, 5, 25, 10);
    const QPolygonF test({{0, 0}, {8, 84}, {100, 86}});     // steep from the top left, then along the floor
    const QPolygonF train({{0, 0}, {6, 88}, {100, 89}});
    const QPolygonF testHigh({{0, 0}, {8, 60}, {100, 62}}); // settles well above the floor
    // The test MSE runs through both places by the line: the top right, clear, is taken.
    QCOMPARE(leastCoveredOr({aboveRight, aboveLeft}, {topRight, topMiddle}, {train, test}, {1, 1000}, 1000), 2);
    // A place by the line that only the training loss crosses is kept: the label stays by its line.
    QCOMPARE(leastCoveredOr({aboveRight, aboveLeft}, {topRight, topMiddle}, {train, testHigh}, {1, 1000}, 1000), 0);
    // The top is no better (the test MSE crosses it too): the line's least covered place stays.
    const QPolygonF wavy({{0, 0}, {8, 84}, {50, 84}, {80, 8}, {100, 84}});
    QCOMPARE(leastCoveredOr({aboveRight, aboveLeft}, {topRight}, {wavy, wavy}, {1000, 1000}, 1000), 0);
    QCOMPARE(leastCoveredOr({}, {}, {test}, {}, 1000), -1);
}

QTEST_MAIN(TestUiFloorLabel)

// Lesson 4 presenting at 1920 × 1080: the label "PCA-784: exact" went to the top of the plot, and a solid orange
// line ran from it down to the floor at 0 through the whole plot, where it read as one of the change markers.
// At the top the label carries a sample of the floor's dashes instead (as a legend entry), and no leader.
// In a narrow chart (lesson 6 presenting at 1280 × 720) the dashes and "PCA-128 test MSE" were wider than the plot
// and ran over the y axis's tick labels: the text after the dashes takes a shorter form there, inside the plot.
void TestUiFloorLabel::floorLabelAtTheTopCarriesItsDashes_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("whole");  // the label's longest form fits beside its dashes
    QTest::newRow("430 px") << 430 << true;
    QTest::newRow("300 px, beside a lesson") << 300 << false;
}

void TestUiFloorLabel::floorLabelAtTheTopCarriesItsDashes()
{
    QFETCH(int, width);
    QFETCH(bool, whole);
    const ScopedPresentation presenting(true);
    LossChartView v;
    v.setRefreshInterval(0);
    v.resize(width, 330);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    // A sparse run on its exact floor: from 0.09 down within a few hundred steps, then the training loss
    // noisy in a band over the floor and the test MSE just above it, all along the line.
    std::mt19937 rng(3);
    std::normal_distribution<double> N(0, 1);
    for (int snap = 0; snap < 60; ++snap) {
        Snapshot s;
        for (int k = 1; k <= 40; ++k) {
            LossPoint lp;
            lp.step = snap * 400 + k * 10;
            lp.reconstruction = 0.09 * std::exp(-lp.step / 150.0) + 0.004 + 0.003 * std::abs(N(rng));
            s.losses << lp;
        }
        s.testStep = snap * 400 + 400;
        s.testMse = 0.09 * std::exp(-s.testStep / 150.0) + 0.003 + 0.0003 * N(rng);
        s.pcaK = 784;
        s.pcaTestMse = 0;
        s.pcaExact = true;
        s.codeSize = 1024;
        v.applySnapshot(s);
    }
    v.refresh();
    QApplication::processEvents();
    QTRY_VERIFY(!v.floorLabelRect().isEmpty());
    const QRectF label = v.floorLabelRect(), plot = v.chart()->plotArea();
    const double y = v.chart()->mapToPosition(v.series("pca")->at(1), v.series("pca")).y();
    QVERIFY2(label.top() < plot.top() + 10 && label.bottom() < y - plot.height() / 2,
             qPrintable(QStringLiteral("label at %1 … %2, plot from %3, floor at %4: not at the top, nothing checked")
                            .arg(label.top()).arg(label.bottom()).arg(plot.top()).arg(y)));
    QVERIFY(v.floorLeader().isNull());
    const QLineF dashes = v.floorSwatch();
    QVERIFY(!dashes.isNull());
    QVERIFY(label.contains(dashes.p1()) && label.contains(dashes.p2()));
    QCOMPARE(dashes.y1(), dashes.y2());  // level, as its line
    QVERIFY2(dashes.length() >= 2 * QFontMetricsF(QApplication::font()).height() * 0.5, qPrintable(QString::number(dashes.length())));
    QVERIFY2(label.left() >= plot.left() && label.right() <= plot.right(),
             qPrintable(QStringLiteral("label %1 … %2, plot %3 … %4").arg(label.left()).arg(label.right()).arg(plot.left()).arg(plot.right())));
    // The text after the dashes: whole where it fits, else a shorter form.
    if (whole) QCOMPARE(v.shownFloorLabel(), v.floorLabel());
    else QVERIFY2(v.shownFloorLabel() != v.floorLabel() && !v.shownFloorLabel().isEmpty(), qPrintable(v.shownFloorLabel()));
}

#include "tst_ui_floorlabel.moc"
