// PointGrid (ui/widgets/PointGrid.h), the scatter's nearest-point index: hand-placed points under an
// axis-scaled metric, and 2,000 random queries against a brute-force search.
#include "ui/widgets/PointGrid.h"

#include <QtTest>

#include <cmath>
#include <random>

class TestPointGrid : public QObject {
    Q_OBJECT

private slots:
    void byHand();
    void pointGridMatchesBruteForce();
};

// Points (0, 0), (1, 0), (0, 1) and a NaN one; d² = (sx·Δx)² + (sy·Δy)².
void TestPointGrid::byHand()
{
    PointGrid g;
    QVERIFY(g.isEmpty());
    QCOMPARE(g.nearest(QPointF(0, 0), 1, 1, 10), -1);
    g.build({{0, 0}, {1, 0}, {0, 1}, {qQNaN(), 0.5}});
    QVERIFY(!g.isEmpty());
    QCOMPARE(g.nearest(QPointF(0.4, 0), 1, 1, 1), 0);      // 0.4 vs 0.6
    QCOMPARE(g.nearest(QPointF(0.6, 0), 1, 1, 1), 1);      // 0.6 vs 0.4
    QCOMPARE(g.nearest(QPointF(0.5, 0.5), 1, 1, 0.7), -1);  // every point √0.5 ≈ 0.707 away
    QVERIFY(g.nearest(QPointF(0.5, 0.5), 1, 1, 0.71) >= 0);  // a three-way tie: one of them
    // A tall y scale: (0.1, 0.6) is 0.1·1 from x = 0 but 0.4·10 = 4 from y = 1, and 0.6·10 = 6 from y = 0.
    QCOMPARE(g.nearest(QPointF(0.1, 0.6), 1, 10, 5), 2);
    QCOMPARE(g.nearest(QPointF(0.1, 0.6), 1, 10, 3.9), -1);
    // Only points inside `within` (x ≥ 0.5) count: (1, 0), although (0, 0) is nearer.
    QCOMPARE(g.nearest(QPointF(0.4, 0), 1, 1, 1, QRectF(0.5, -1, 2, 3)), 1);
    // Degenerate scales find nothing; clear() empties it.
    QCOMPARE(g.nearest(QPointF(0, 0), 0, 1, 1), -1);
    g.clear();
    QVERIFY(g.isEmpty());
    QCOMPARE(g.nearest(QPointF(0, 0), 1, 1, 10), -1);
}

void TestPointGrid::pointGridMatchesBruteForce()
{
    std::mt19937 rng(5);
    std::normal_distribution<double> N(0, 1);
    QVector<QPointF> pts;
    for (int i = 0; i < 5000; ++i) pts << QPointF(N(rng) * 3, N(rng) * 0.5);
    pts << QPointF(qQNaN(), 0);  // ignored
    PointGrid g;
    g.build(pts);
    const double sx = 80, sy = 300, maxD = 15;
    std::uniform_real_distribution<double> U(-8, 8);
    int hits = 0;
    for (int q = 0; q < 2000; ++q) {
        const QPointF p(U(rng), U(rng) * 0.2);
        int best = -1;
        double bd = maxD * maxD;
        for (int i = 0; i < pts.size(); ++i) {
            const double dx = (pts[i].x() - p.x()) * sx, dy = (pts[i].y() - p.y()) * sy;
            if (!std::isfinite(dx) || !std::isfinite(dy)) continue;
            if (dx * dx + dy * dy < bd) {
                bd = dx * dx + dy * dy;
                best = i;
            }
        }
        const int got = g.nearest(p, sx, sy, maxD);
        if (best < 0) {
            QCOMPARE(got, -1);
        } else {
            ++hits;
            QVERIFY(got >= 0);
            const double gx = (pts[got].x() - p.x()) * sx, gy = (pts[got].y() - p.y()) * sy;
            QCOMPARE(gx * gx + gy * gy, bd);
        }
    }
    QVERIFY(hits > 200);
}

QTEST_APPLESS_MAIN(TestPointGrid)
#include "tst_ui_pointgrid.moc"
