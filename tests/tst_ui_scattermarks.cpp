// Where the code scatter's labels go (ui/widgets/ScatterMarks): a mark's label beside it, shortened in a narrow plot,
// and the prior rings' 1σ/2σ labels, always inside the plot.
#include "ui/widgets/Palette.h"
#include "ui/widgets/ScatterMarks.h"

#include <QtTest>

#include <cmath>

class TestUiScatterMarks : public QObject {
    Q_OBJECT

private slots:
    void markLabelStaysInPlot_data();
    void markLabelStaysInPlot();
    void markLabelShortensInANarrowPlot();
    void ringLabelStaysInPlot_data();
    void ringLabelStaysInPlot();
};

void TestUiScatterMarks::markLabelStaysInPlot_data()
{
    QTest::addColumn<QRectF>("plot");
    QTest::addColumn<QPointF>("mark");
    QTest::addColumn<QString>("side");
    const QRectF plot(10, 0, 290, 200), narrow(10, 0, 130, 200);
    QTest::newRow("middle") << plot << QPointF(100, 100) << "right";
    QTest::newRow("near the right edge") << plot << QPointF(280, 100) << "left";
    QTest::newRow("right corner, bottom") << plot << QPointF(295, 198) << "left";
    QTest::newRow("left edge, top") << plot << QPointF(12, 3) << "right";
    QTest::newRow("narrow plot") << narrow << QPointF(70, 150) << "above";
    QTest::newRow("narrow plot, top") << narrow << QPointF(70, 10) << "below";
}

// The drawn digit's star is labelled "your drawing"; near the plot's right edge the label was cut off
// by the plot's clip ("your draw"). It now goes to the star's left there.
void TestUiScatterMarks::markLabelStaysInPlot()
{
    QFETCH(QRectF, plot);
    QFETCH(QPointF, mark);
    QFETCH(QString, side);
    const double r = 9;
    const QRectF box = scatter_marks::labelBox(mark, r, QSizeF(90, 16), plot);
    QVERIFY2(plot.contains(box), qPrintable(QString("%1,%2 %3x%4").arg(box.x()).arg(box.y()).arg(box.width()).arg(box.height())));
    QCOMPARE(box.size(), QSizeF(98, 20));
    // Never over the mark itself.
    QVERIFY(!box.intersects(QRectF(mark - QPointF(r, r), QSizeF(2 * r, 2 * r))));
    if (side == "right") QCOMPARE(box.left(), mark.x() + r + 4);
    if (side == "left") QCOMPARE(box.right(), mark.x() - r - 4);
    if (side == "above") QVERIFY(box.bottom() < mark.y());
    if (side == "below") QVERIFY(box.top() > mark.y());
}

// Lesson 8 with the Draw dock at 1280 × 720: "your drawing" was wider than the code plot and was cut
// to "your drawin" by its edge. Too wide, a label takes its short form ("drawing"), elided at worst.
void TestUiScatterMarks::markLabelShortensInANarrowPlot()
{
    const QFontMetricsF fm(ael::ui::uiFont(14, true));
    ScatterMark m{{0, 0}, ScatterMark::Star, Qt::black, QStringLiteral("your drawing"), QStringLiteral("drawing")};
    const double full = fm.horizontalAdvance(m.label) + 12, shorter = fm.horizontalAdvance(m.shortLabel) + 12;
    QCOMPARE(scatter_marks::shownLabel(m, fm, full + 1), m.label);
    QCOMPARE(scatter_marks::shownLabel(m, fm, full - 1), m.shortLabel);
    QCOMPARE(scatter_marks::shownLabel(m, fm, shorter), m.shortLabel);
    const QString elided = scatter_marks::shownLabel(m, fm, shorter - 10);
    QVERIFY(elided.endsWith(QChar(0x2026)));
    QVERIFY(fm.horizontalAdvance(elided) <= shorter - 12);
    m.shortLabel.clear();  // none: the label itself, elided
    QVERIFY(scatter_marks::shownLabel(m, fm, full - 1).endsWith(QChar(0x2026)));
}

void TestUiScatterMarks::ringLabelStaysInPlot_data()
{
    QTest::addColumn<QRectF>("ring");
    QTest::addColumn<QString>("corner");
    // A plot 0..200 × 0..150 (its inner edge 2 px in); a label 20 × 14 (its box 28 × 14).
    QTest::newRow("room everywhere") << QRectF(60, 40, 60, 60) << "upper right";
    QTest::newRow("ring near the right edge") << QRectF(140, 40, 50, 50) << "upper left";
    QTest::newRow("ring at the top right") << QRectF(140, 2, 50, 50) << "lower left";
    QTest::newRow("ring at the top left") << QRectF(5, 2, 50, 50) << "lower right";
    // The narrow VAE scatter at 1280 × 720: the 2σ ring about as wide as the plot
    QTest::newRow("ring as wide as the plot") << QRectF(5, 60, 190, 80) << "above";
    QTest::newRow("ring as wide as the plot, at the top") << QRectF(5, 10, 190, 80) << "below";
    QTest::newRow("ring larger than the plot") << QRectF(-20, 10, 240, 130) << "moved inside";
}

// The prior's "2σ" was drawn at the ring's upper right whatever the plot's size; in a narrow scatter (the
// VAE's, beside the Inside dock at 1280 × 720) it ran past the plot's edge and read "2c".
void TestUiScatterMarks::ringLabelStaysInPlot()
{
    QFETCH(QRectF, ring);
    QFETCH(QString, corner);
    const QRectF plot(0, 0, 200, 150);
    const QSizeF text(20, 14);
    const QRectF box = scatter_marks::ringLabelBox(ring, text, plot);
    QVERIFY2(plot.adjusted(2, 2, -2, -2).contains(box), qPrintable(QString("%1,%2 %3x%4").arg(box.x()).arg(box.y()).arg(box.width()).arg(box.height())));
    QCOMPARE(box.size(), QSizeF(28, 14));
    const QPointF c = ring.center();
    const double ax = std::sqrt(0.5) * ring.width() / 2, ay = std::sqrt(0.5) * ring.height() / 2;
    if (corner == "upper right") QCOMPARE(box.bottomLeft(), QPointF(c.x() + ax + 4, c.y() - ay - 2));
    if (corner == "upper left") QCOMPARE(box.bottomRight(), QPointF(c.x() - ax - 4, c.y() - ay - 2));
    if (corner == "lower left") QCOMPARE(box.topRight(), QPointF(c.x() - ax - 4, c.y() + ay + 2));
    if (corner == "lower right") QCOMPARE(box.topLeft(), QPointF(c.x() + ax + 4, c.y() + ay + 2));
    if (corner == "above") QCOMPARE(box, QRectF(c.x() - 14, ring.top() - 16, 28, 14));
    if (corner == "below") QCOMPARE(box, QRectF(c.x() - 14, ring.bottom() + 2, 28, 14));
}

QTEST_MAIN(TestUiScatterMarks)
#include "tst_ui_scattermarks.moc"
