// DecimatedSeries (ui/widgets/DecimatedSeries.h), the loss chart's bounded curve: a small capacity
// followed step by step by hand, and 100,000 points kept under 2,000 with every point accounted for.
#include "ui/widgets/DecimatedSeries.h"

#include <QtTest>

#include <cmath>

class TestDecimatedSeries : public QObject {
    Q_OBJECT

private slots:
    void smallCapacityByHand();
    void decimatedSeriesBounded();
};

// Capacity 8: the first point, at most 8 − 2 − 2 = 4 full bins, an open bin, the newest 8/4 = 2 points.
// Appending x = 0…7 (y = 10 x): 0 is the first point; 1…5 fill five bins of one point, one too many, so
// neighbours merge (1+2, 3+4; the odd 5 joins the open bin) and the bin weight becomes 2; 6, 7 are the tail.
void TestDecimatedSeries::smallCapacityByHand()
{
    DecimatedSeries d(8);
    for (int x = 0; x <= 7; ++x) d.append(QPointF(x, 10 * x));
    QCOMPARE(d.binWeight(), 2.0);
    QCOMPARE(d.points(), (QList<QPointF>{{0, 0}, {1.5, 15}, {3.5, 35}, {5, 50}, {6, 60}, {7, 70}}));
    QCOMPARE(d.weights(), (QList<double>{1, 2, 2, 1, 1, 1}));
    // x = 8 pushes 6 into the open bin, which is now full (5, 6): a third bin of weight 2.
    d.append(QPointF(8, 80));
    QCOMPARE(d.points(), (QList<QPointF>{{0, 0}, {1.5, 15}, {3.5, 35}, {5.5, 55}, {7, 70}, {8, 80}}));
    QCOMPARE(d.weights(), (QList<double>{1, 2, 2, 2, 1, 1}));
    QCOMPARE(d.size(), 6);
    // A capacity below 8 is raised to 8.
    QCOMPARE(DecimatedSeries(3).capacity(), 8);
}

void TestDecimatedSeries::decimatedSeriesBounded()
{
    DecimatedSeries d(2000);
    double sumY = 0;
    for (int i = 0; i < 100000; ++i) {
        const double y = std::sin(i * 0.001);
        d.append(QPointF(i, y));
        sumY += y;
        QVERIFY(d.size() <= 2000);
    }
    QCOMPARE(d.points().front().x(), 0.0);
    QCOMPARE(d.points().back().x(), 99999.0);
    QVERIFY(d.size() > 1000);
    double w = 0, wy = 0;
    for (int i = 0; i < d.size(); ++i) {
        w += d.weights()[i];
        wy += d.weights()[i] * d.points()[i].y();
        if (i > 0) QVERIFY(d.points()[i].x() > d.points()[i - 1].x());  // still sorted
    }
    QCOMPARE(w, 100000.0);                       // every point is accounted for
    QVERIFY(std::abs(wy - sumY) < 1e-6 * 100000);  // means, not samples
    // Recent points stay at full resolution.
    QCOMPARE(d.points()[d.size() - 2].x(), 99998.0);
    QCOMPARE(d.weights()[d.size() - 2], 1.0);
    // Old points are in bins of even weight, so the x resolution is even along the run: no long
    // straight segments where history was squashed.
    double maxW = 0, minW = 1e300, maxGap = 0;
    for (int i = 1; i < d.size(); ++i) {
        maxGap = std::max(maxGap, d.points()[i].x() - d.points()[i - 1].x());
        if (d.weights()[i] > 1) {
            maxW = std::max(maxW, d.weights()[i]);
            minW = std::min(minW, d.weights()[i]);
        }
    }
    QCOMPARE(maxW, d.binWeight());
    QVERIFY2(maxGap <= 2.0 * d.binWeight(), qPrintable(QString::number(maxGap)));
    QVERIFY(100000 / d.binWeight() > 600);
    // Small runs are not decimated at all.
    DecimatedSeries small(2000);
    for (int i = 0; i < 1500; ++i) small.append(QPointF(i, i));
    QCOMPARE(small.size(), 1500);
    QCOMPARE(small.points()[777], QPointF(777, 777));
    small.clear();
    QVERIFY(small.isEmpty());
    QCOMPARE(small.points().size(), 0);
}

QTEST_APPLESS_MAIN(TestDecimatedSeries)
#include "tst_ui_decimatedseries.moc"
