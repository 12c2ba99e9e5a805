// The code scatter (ui/widgets/ScatterCanvas) and the latent explorer around it, offscreen: hit tests,
// robust axis ranges that ease toward the data, the VAE's prior circles, and a 10,000-point repaint.
#include "PresentationTestKit.h"
#include "ViewsTestKit.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/files/FigureExport.h"
#include "ui/widgets/AxisTicks.h"
#include "ui/widgets/ScatterCanvas.h"
#include "ui/widgets/Palette.h"

#include <QAbstractButton>
#include <QPushButton>
#include <QScopeGuard>

using namespace viewtest;

class TestUiScatter : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void scatterHitTest();
    void scatterRobustRange_data();
    void scatterRobustRange();
    void scatterRangeMarginAndDegenerate();
    void scatterAxesEaseTowardData();
    void scatterTimerConverges();
    void latentVariational();
    void latentKeepsCodesOnEmptySnapshot();
    void scatterRepaint10k();
    void longClassNamesLeaveThePlotRoom();
    void narrowLegendShortensClassNames();
    void legendShrinksBeforeElidingNames();
    void yTickLabelsNeverTouch();
    void latentSideControlsWhole();
    void legendBesideUnderOrNone_data();
    void legendBesideUnderOrNone();
    void axisTitlesStayInside();
    void hoverCardStaysOnTheScreen();
};

void TestUiScatter::initTestCase()
{
    qRegisterMetaType<Snapshot>();
}

void TestUiScatter::scatterHitTest()
{
    ScatterCanvas c;
    c.resize(800, 600);
    QVector<QPointF> pts{{0, 0}, {1, 1}, {1, 1.05}, {-1, 0.5}, {3, -2}};
    QVector<quint8> labels{0, 1, 2, 3, 4};
    c.setData(pts, labels);
    for (int i : {0, 1, 3, 4}) QCOMPARE(c.hitTest(c.dataToWidget(pts[i])), i);
    // Between the two close points: the nearer one.
    const QPointF a = c.dataToWidget(pts[1]), b = c.dataToWidget(pts[2]);
    QCOMPARE(c.hitTest(a + (b - a) * 0.3), 1);
    QCOMPARE(c.hitTest(a + (b - a) * 0.7), 2);
    // A few pixels off still hits; far away does not.
    QCOMPARE(c.hitTest(c.dataToWidget(pts[0]) + QPointF(5, -4)), 0);
    QCOMPARE(c.hitTest(c.dataToWidget(QPointF(-0.5, -1.5))), -1);
    // Hovering shows it.
    c.hoverAt(c.dataToWidget(pts[3]) + QPointF(2, 2));
    QCOMPARE(c.hoveredIndex(), 3);
    c.hoverAt(QPointF(1, 1));  // outside the plot
    QCOMPARE(c.hoveredIndex(), -1);
    // dataToWidget and widgetToData are inverses.
    const QPointF w = c.dataToWidget(QPointF(0.3, -0.7));
    const QPointF d = c.widgetToData(w);
    QVERIFY(std::abs(d.x() - 0.3) < 1e-9 && std::abs(d.y() + 0.7) < 1e-9);
    QVERIFY(c.plotRect().contains(c.dataToWidget(QPointF(0, 0))));
}

void TestUiScatter::scatterRobustRange_data()
{
    QTest::addColumn<QVector<QPointF>>("pts");
    QTest::addColumn<QRectF>("expected");  // with no margin: left, top (the lowest y), width, height
    // 1,000 points on the diagonal from (0, 0) to (1, −1).
    QVector<QPointF> line;
    for (int i = 0; i < 1000; ++i) line << QPointF(i / 999.0, -i / 999.0);
    {
        QVector<QPointF> pts = line;
        pts[10] = QPointF(1e6, -1e6);  // an outlier (1 of 1000) must not blow up the range
        pts[20] = QPointF(qInf(), qQNaN());
        QTest::newRow("outlier and non-finite left out") << pts << QRectF(0, -1, 1, 1);
    }
    {
        // 0.8 % of the points in a cluster just beyond the bulk (one digit class at the edge): beyond the
        // 99th percentile, yet drawn whole, up to its farthest point.
        QVector<QPointF> pts = line;
        for (int i = 0; i < 8; ++i) pts << QPointF(1.1 + 0.1 * i / 7.0, -0.5);
        QTest::newRow("a cluster at the edge kept whole") << pts << QRectF(0, -1, 1.2, 1);
    }
    {
        // The same cluster far away (3 spans beyond): outliers, the bulk keeps the plot.
        QVector<QPointF> pts = line;
        for (int i = 0; i < 8; ++i) pts << QPointF(4.0 + 0.1 * i / 7.0, -0.5);
        QTest::newRow("a far cluster left out") << pts << QRectF(0, -1, 1, 1);
    }
    {
        // A long tail: followed for a quarter of the bulk's span, to the farthest point within it.
        QVector<QPointF> pts = line;
        for (int i = 0; i < 8; ++i) pts << QPointF(1.0 + 0.05 * (i + 1), -0.5);  // 1.05, 1.10, …, 1.40
        QTest::newRow("a long tail followed a quarter span") << pts << QRectF(0, -1, 1.2, 1);
    }
}

void TestUiScatter::scatterRobustRange()
{
    QFETCH(QVector<QPointF>, pts);
    QFETCH(QRectF, expected);
    const QRectF r = axis_ticks::robustRange(pts, 0.01, 0.99, 0.0);
    QVERIFY(r.isValid());
    const auto near = [](double a, double b) { return std::abs(a - b) < 1e-9; };
    QVERIFY2(near(r.left(), expected.left()) && near(r.right(), expected.right()) && near(r.top(), expected.top()) &&
                 near(r.bottom(), expected.bottom()),
             qPrintable(QString("got x %1…%2, y %3…%4").arg(r.left()).arg(r.right()).arg(r.top()).arg(r.bottom())));
}

void TestUiScatter::scatterRangeMarginAndDegenerate()
{
    QVector<QPointF> pts;
    for (int i = 0; i < 1000; ++i) pts << QPointF(i / 999.0, -i / 999.0);
    // A margin widens the box; a single point gets a non-degenerate box; no points, no box.
    const QRectF r = axis_ticks::robustRange(pts, 0.01, 0.99, 0.0);
    const QRectF m = axis_ticks::robustRange(pts, 0.01, 0.99, 0.1);
    QVERIFY(m.width() > r.width() * 1.15);
    const QRectF one = axis_ticks::robustRange({QPointF(2, 3)});
    QVERIFY(one.isValid() && one.contains(QPointF(2, 3)));
    QVERIFY(!axis_ticks::robustRange({}).isValid());
}

void TestUiScatter::scatterAxesEaseTowardData()
{
    ScatterCanvas c;
    c.resize(700, 500);
    const auto ds = testSet(2000);
    QVector<quint8> labels;
    for (uint8_t l : ds->labels) labels << l;
    c.setData(blobs(*ds, 3, 0.7, 0, 1), labels);
    QCOMPARE(c.viewRange(), c.targetRange());  // the first data: no animation from nowhere
    const QRectF first = c.viewRange();

    c.setData(blobs(*ds, 4.5, 1.0, 2, 1), labels);  // codes move and spread a little: eased
    const QRectF target = c.targetRange();
    QVERIFY(target.center().x() > first.center().x() + 1.5);
    QCOMPARE(c.viewRange(), first);  // no jump
    QVERIFY(c.isAnimating());
    auto dist = [&] {
        const QRectF v = c.viewRange();
        return std::abs(v.left() - target.left()) + std::abs(v.right() - target.right()) +
               std::abs(v.top() - target.top()) + std::abs(v.bottom() - target.bottom());
    };
    double prev = dist();
    const double start = prev;
    c.advanceView(1.0 / 30);
    QVERIFY(dist() < prev);
    QVERIFY(dist() > 0.5 * start);  // one frame moves a bit, not all the way
    for (int frame = 0; frame < 60; ++frame) {
        prev = dist();
        c.advanceView(1.0 / 30);
        QVERIFY(dist() <= prev);
    }
    QVERIFY(dist() < 1e-3 * start + 1e-12);  // two seconds later: there
    QVERIFY(!c.isAnimating());
    // The robust range holds most points.
    int inside = 0;
    for (const QPointF &p : c.points()) inside += c.viewRange().contains(p);
    QVERIFY(inside >= 0.97 * c.points().size());
    // A jump far away (a code exploding or collapsing) is followed at once: easing would lose the points.
    c.setData(blobs(*ds, 60, 14, 100, 1), labels);
    QCOMPARE(c.viewRange(), c.targetRange());
    QVERIFY(!c.isAnimating());
}

void TestUiScatter::scatterTimerConverges()
{
    ScatterCanvas c;
    c.resize(600, 400);
    c.setData({{0, 0}, {1, 1}}, {0, 1});
    c.setData({{0.2, 0.1}, {1.3, 1.4}}, {0, 1});
    QVERIFY(c.isAnimating());
    QTRY_VERIFY_WITH_TIMEOUT(!c.isAnimating(), 5000);
    QCOMPARE(c.viewRange(), c.targetRange());
}

void TestUiScatter::latentVariational()
{
    LatentExplorer v;
    v.resize(700, 600);
    v.applySnapshot(makeSnapshot({.variational = true}));
    QVERIFY(v.canvas()->priorCircles());
    QVERIFY(v.canvas()->targetRange().contains(QRectF(-2, -2, 4, 4)));
    // Equal aspect: a data unit is as long on x as on y.
    const QPointF o = v.canvas()->dataToWidget({0, 0}), ex = v.canvas()->dataToWidget({1, 0}),
                  ey = v.canvas()->dataToWidget({0, 1});
    QVERIFY(std::abs((ex - o).x() + (ey - o).y()) < 1e-6);
    QVERIFY(v.canvas()->title().contains("prior"));
    // In a narrow view (the window's lower row at 1280×720) the title keeps what the circles are instead
    // of trailing off ("Code of the test digits · prior N(0,…").
    v.resize(1400, 600);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    QTRY_COMPARE(v.canvas()->shownTitle(), v.canvas()->title());
    v.resize(420, 300);
    QTRY_VERIFY(v.canvas()->width() < 400);
    QVERIFY2(v.canvas()->shownTitle().contains(QString::fromUtf8("prior N(0, I): 1σ, 2σ")), qPrintable(v.canvas()->shownTitle()));
    // Narrower still (the Inside dock open at 1366×768): the prior's name alone, whole; the circles carry
    // their own labels "1σ", "2σ".
    for (int w = 400; w >= 240; w -= 20) {
        v.resize(w, 300);
        QTRY_COMPARE(v.canvas()->width() < w, true);
        const QString shown = v.canvas()->shownTitle();
        QVERIFY2(!shown.contains(QChar(0x2026)) && shown.contains(QString::fromUtf8("prior N(0, I)")),
                 qPrintable(QString("%1 px: %2").arg(v.canvas()->width()).arg(shown)));
    }
    v.resize(700, 600);
    v.applySnapshot(makeSnapshot());
    QVERIFY(!v.canvas()->priorCircles());
    // A plain model's title in a narrow view (the Inside dock open at 1920 × 1080): a short form, whole
    // ("Code of the test …" before).
    for (int w = 400; w >= 240; w -= 20) {
        v.resize(w, 300);
        QTRY_COMPARE(v.canvas()->width() < w, true);
        const QString shown = v.canvas()->shownTitle();
        QVERIFY2(!shown.contains(QChar(0x2026)), qPrintable(QString("%1 px: %2").arg(v.canvas()->width()).arg(shown)));
    }
}

void TestUiScatter::latentKeepsCodesOnEmptySnapshot()
{
    LatentExplorer v;
    const Snapshot s = makeSnapshot();
    v.applySnapshot(s);
    QCOMPARE(v.canvas()->points().size(), s.latent.size());
    Snapshot empty;
    empty.latentAxes = s.latentAxes;
    v.applySnapshot(empty);
    QCOMPARE(v.canvas()->points().size(), s.latent.size());
    v.reset();
    QVERIFY(v.canvas()->points().isEmpty());
}

void TestUiScatter::scatterRepaint10k()
{
    LatentExplorer v;
    v.resize(950, 700);
    v.applySnapshot(makeSnapshot({.points = 10000}));
    QCOMPARE(v.canvas()->points().size(), 10000);
    QImage img(v.size(), QImage::Format_ARGB32_Premultiplied);
    QBENCHMARK {
        v.canvas()->render(&img);
    }
}

// Presentation mode at 1024×768, lesson 7: the decoder column beside the scatter was 147 pixels for a
// "Sample the prior…" button of 186 ("ample the prior."), and "Prior quantile" lost its s. The column
// is as wide as its controls need, also when the variational model's two appear after the layout.
void TestUiScatter::latentSideControlsWhole()
{
    const ScopedPresentation presenting;
    LatentExplorer v;
    v.resize(590, 330);
    v.applySnapshot(makeSnapshot());  // not variational: no prior controls yet
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    v.applySnapshot(makeSnapshot({.variational = true}));
    QApplication::processEvents();
    for (QAbstractButton *b : v.findChildren<QAbstractButton *>()) {
        if (!b->isVisible()) continue;
        QVERIFY2(b->width() >= b->sizeHint().width(), qPrintable(QString("%1: %2 of %3 px").arg(b->text()).arg(b->width()).arg(b->sizeHint().width())));
    }
    QVERIFY(v.findChild<QPushButton *>() && v.findChild<QPushButton *>()->isVisible());
}

void TestUiScatter::legendBesideUnderOrNone_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<int>("place");  // ScatterLegend::Place
    QTest::newRow("wide") << QSize(600, 400) << int(ScatterLegend::Place::Side);
    QTest::newRow("the window's at 1280x720") << QSize(330, 260) << int(ScatterLegend::Place::Side);
    QTest::newRow("at 1024x768: 170 wide") << QSize(170, 330) << int(ScatterLegend::Place::Below);
    QTest::newRow("narrow and short") << QSize(170, 170) << int(ScatterLegend::Place::None);
}

// At 1024×768 a 170-pixel scatter kept its legend beside the plot and left the plot a 10-pixel sliver
// (the legend's second column even ran off the view). Beside the plot while the plot keeps 40 % of
// the width; else in rows under it; else, with no height for those either, not at all.
void TestUiScatter::legendBesideUnderOrNone()
{
    QFETCH(QSize, size);
    QFETCH(int, place);
    ScatterCanvas c;
    c.setData({{0, 0}, {1, 1}}, {0, 9});
    c.resize(size);
    const ScatterLegend lg = c.legend();
    QCOMPARE(int(lg.place), place);
    const QRectF plot = c.plotRect(), canvas(QPointF(0, 0), QSizeF(size));
    QVERIFY2(plot.width() >= 0.4 * (size.width() - plot.left() - 14), qPrintable(QString("plot %1 px wide").arg(plot.width())));
    if (lg.place == ScatterLegend::Place::None) return;
    for (int k = 0; k < 10; ++k) {
        const QRectF e = lg.entryRect(k, plot, QSizeF(size));
        QVERIFY2(canvas.contains(e), qPrintable(QString("entry %1 at %2,%3 %4x%5").arg(k).arg(e.x()).arg(e.y()).arg(e.width()).arg(e.height())));
        QVERIFY(!e.intersects(plot));
        for (int j = 0; j < k; ++j) QVERIFY(!e.adjusted(0.5, 0.5, -0.5, -0.5).intersects(lg.entryRect(j, plot, QSizeF(size))));
    }
    // Under the plot: below the x axis's tick labels, and the whole width to the plot.
    if (lg.place == ScatterLegend::Place::Below) QVERIFY(lg.entryRect(0, plot, QSizeF(size)).top() > plot.bottom() + 10);
    // Painted: every class's colour is on screen.
    const QImage shot = c.grab().toImage();
    for (int k = 0; k < 10; ++k) {
        const QRectF e = lg.entryRect(k, plot, QSizeF(size));
        QCOMPARE(shot.pixelColor(QPointF(e.left() + lg.swatch / 2, e.center().y()).toPoint()), ael::ui::classColor(k));
    }
}

// "PC1 of the code" under a 100-pixel plot was centred on it and cut by the view's left edge ("C1 of
// the code"). Axis titles stay inside the canvas, whole where the canvas is wide enough.
void TestUiScatter::axisTitlesStayInside()
{
    ScatterCanvas c;
    c.setAxisTitles(QStringLiteral("PC1 of the code"), QStringLiteral("PC2 of the code"));
    c.setData({{0, 0}, {1, 1}}, {0, 9});
    for (const QSize size : {QSize(170, 330), QSize(170, 170), QSize(240, 200), QSize(600, 400)}) {  // 170: its minimum
        c.resize(size);
        const QRectF canvas(QPointF(0, 0), QSizeF(size));
        for (const Qt::Orientation o : {Qt::Horizontal, Qt::Vertical}) {
            QString shown;
            const QRectF r = c.axisTitleRect(o, &shown);
            QVERIFY2(canvas.contains(r), qPrintable(QString("%1x%2: %3,%4 %5x%6").arg(size.width()).arg(size.height()).arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height())));
            const bool room = QFontMetricsF(ael::ui::uiFont(ael::ui::basePixelSize(size) * 0.85)).horizontalAdvance(
                                  o == Qt::Horizontal ? c.xTitle() : c.yTitle()) <= (o == Qt::Horizontal ? size.width() : size.height()) - 16;
            if (room) QCOMPARE(shown, o == Qt::Horizontal ? c.xTitle() : c.yTitle());
        }
        // Centred under the plot when that fits.
        const QRectF x = c.axisTitleRect(Qt::Horizontal), plot = c.plotRect();
        if (x.width() <= plot.width()) QVERIFY(std::abs(x.center().x() - plot.center().x()) < 1);
    }
}

// Fashion-MNIST's class names ("T-shirt/top", "Ankle boot") in a two-column legend left the PCA scatter
// of a 1280×720 window a plot ten pixels wide. The names are elided instead: the plot keeps half the width.
void TestUiScatter::longClassNamesLeaveThePlotRoom()
{
    ScatterCanvas c;
    c.setClassNames({"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"});
    c.setData({{0, 0}, {1, 1}}, {0, 9});
    for (const QSize size : {QSize(240, 230), QSize(330, 230), QSize(330, 600), QSize(900, 600)}) {
        c.resize(size);
        const QRectF plot = c.plotRect();
        QVERIFY2(plot.width() >= 0.45 * (size.width() - plot.left()),
                 qPrintable(QString("%1 px of %2").arg(plot.width()).arg(size.width())));
    }
    // Its x ticks stay a label's width apart in the narrow plot (PC1 from −7 to 12 at 1280×720 ran
    // "−5", "0", "5", "10" together); wide, one every ~100 px.
    for (const double right : {9.0, 12.0, 14.0}) {
        c.setData({{-7, 0}, {right, 1}, {0, 0.5}}, {0, 9, 3});
        for (const int w : {240, 900}) {
            c.resize(w, 230);
            const QRectF v = c.drawnRange(), plot = c.plotRect();
            const double step = c.xTickStep(), gap = step * plot.width() / v.width();
            const QFontMetricsF tick(ael::ui::uiFont(ael::ui::basePixelSize(c.size()) * 0.88));
            double widest = 0;
            for (double t = std::ceil(v.left() / step) * step; t <= v.right() + 1e-9 * step; t += step)
                widest = std::max(widest, tick.horizontalAdvance(axis_ticks::tickLabel(t, step)));
            QVERIFY2(gap >= widest + 8, qPrintable(QString("%1 px between ticks, labels %2 px, at width %3, PC1 to %4").arg(gap).arg(widest).arg(w).arg(right)));
            QVERIFY(gap <= 250);
        }
    }
    // Wide enough: the names are not shortened (the legend takes what they need).
    c.setClassNames({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
    c.resize(330, 600);
    const double shortNames = c.plotRect().width();
    c.setClassNames({"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"});
    QVERIFY(c.plotRect().width() < shortNames);
}

// Fashion-MNIST in a legend too narrow for "T-shirt/top" and "Ankle boot" (a code scatter beside the
// drawing dock at 1920 × 1080 showed "T-shir…" and "Ankle …"): a shorter name of the same class,
// "T-shirt" and "Boot", before any elision; a name that fits stays whole.
void TestUiScatter::narrowLegendShortensClassNames()
{
    ScatterCanvas c;
    c.setClassNames({"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"});
    c.setData({{0, 0}, {1, 1}}, {0, 9});
    int shortened = 0;
    for (const QSize size : {QSize(170, 460), QSize(200, 420), QSize(240, 230), QSize(280, 520), QSize(330, 230), QSize(330, 600), QSize(900, 600)}) {
        c.resize(size);
        const QStringList shown = c.shownClassNames();
        if (shown.isEmpty()) continue;  // no room for a legend at all
        const QString where = QStringLiteral(" at %1 × %2: ").arg(size.width()).arg(size.height()) + shown.join(QStringLiteral(", "));
        QVERIFY2(shown[0] == QLatin1String("T-shirt/top") || shown[0] == QLatin1String("T-shirt"), qPrintable(where));
        QVERIFY2(shown[9] == QLatin1String("Ankle boot") || shown[9] == QLatin1String("Boot"), qPrintable(where));
        for (int i : {1, 2, 7}) QVERIFY2(!shown[i].contains(QChar(0x2026)) || shown[i].size() < 3, qPrintable(where));
        shortened += shown[0] == QLatin1String("T-shirt");
    }
    QVERIFY(shortened > 0);  // 170 × 460 (the dock beside the drawing) needs it
    // However short an entry, its tooltip gives the whole name; outside the entries, none.
    c.resize(170, 460);
    const ScatterLegend lg = c.legend();
    QCOMPARE(c.legendNameAt(lg.entryRect(9, c.plotRect(), QSizeF(c.size())).center()), QStringLiteral("Ankle boot"));
    QCOMPARE(c.legendNameAt(lg.entryRect(0, c.plotRect(), QSizeF(c.size())).center()), QStringLiteral("T-shirt/top"));
    QVERIFY(c.legendNameAt(c.plotRect().center()).isEmpty());
    c.resize(900, 600);
    QCOMPARE(c.shownClassNames().value(9), QStringLiteral("Ankle boot"));
}

// Fashion-MNIST in presentation mode at 1024 × 768 with the PCA panel open: the code scatter (~450 × 300)
// showed "T-…", "Tr…", "Pu…", "Dr…": two columns of names elided to a letter or two, which tell a class
// nothing on a projector. The legend's font shrinks first (to 0.7 × at the least) until every name shows
// whole or in its shorter form; where even that does not do, it stays as it was.
void TestUiScatter::legendShrinksBeforeElidingNames()
{
    const bool before = ael::ui::presentationMode();
    const auto restore = qScopeGuard([&] { ael::ui::presentationMode() = before; });
    ScatterCanvas c;
    c.setClassNames({"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"});
    c.setData({{0, 0}, {1, 1}}, {0, 9});
    int shrunk = 0;
    for (const bool presentation : {true, false})
        for (const QSize size : {QSize(450, 300), QSize(400, 280), QSize(330, 230), QSize(900, 600)}) {
            ael::ui::presentationMode() = presentation;
            c.resize(size);
            const QStringList shown = c.shownClassNames();
            const QString where = QStringLiteral("%1 × %2%3: ").arg(size.width()).arg(size.height()).arg(presentation ? ", presentation" : "") +
                                  shown.join(QStringLiteral(", "));
            QVERIFY2(c.legendScale() >= 0.7 && c.legendScale() <= 1.0, qPrintable(where));
            if (c.legendScale() < 1.0) {
                ++shrunk;
                for (const QString &n : shown) QVERIFY2(!n.contains(QChar(0x2026)), qPrintable(where));
            }
            if (size == QSize(450, 300) && presentation) {
                QVERIFY2(!shown.isEmpty(), qPrintable(where));
                for (const QString &n : shown) QVERIFY2(!n.contains(QChar(0x2026)), qPrintable(where));
            }
            if (size == QSize(900, 600)) QCOMPARE(c.legendScale(), 1.0);  // room enough: the legend's usual size
        }
    QVERIFY(shrunk > 0);
}

// Shift+click two codes in presentation mode at 1280 × 720: the interpolation strip leaves the scatter a
// plot ~55 pixels tall, and its y ticks ("0", "−5", "−10", "−15") ran into each other. Fewer ticks there;
// a tall plot keeps about one every 70 pixels.
void TestUiScatter::yTickLabelsNeverTouch()
{
    const bool before = ael::ui::presentationMode();
    const auto restore = qScopeGuard([&] { ael::ui::presentationMode() = before; });
    ScatterCanvas c;
    c.setTitle(QStringLiteral("Code of the test digits"));
    c.setAxisTitles(QStringLiteral("h1"), QStringLiteral("h2"));
    c.setData({{-21, -15}, {3, 1}, {0, -5}}, {1, 0, 4});
    int checked = 0;
    for (const bool presentation : {true, false})
        for (const QSize size : {QSize(900, 170), QSize(900, 200), QSize(600, 230), QSize(600, 600)}) {
            ael::ui::presentationMode() = presentation;
            c.resize(size);
            const QRectF v = c.drawnRange(), plot = c.plotRect();
            if (plot.height() < 10) continue;
            const double step = c.yTickStep(), gap = step * plot.height() / v.height();
            const QFontMetricsF tick(ael::ui::uiFont(ael::ui::basePixelSize(c.size()) * 0.88));
            int ticks = 0;
            for (double t = std::ceil(v.top() / step) * step; t <= v.bottom() + 1e-9 * step; t += step) ++ticks;
            const QString where = QStringLiteral("%1 × %2%3: plot %4 px tall, %5 ticks %6 px apart, labels %7 px")
                                      .arg(size.width()).arg(size.height()).arg(presentation ? ", presentation" : "")
                                      .arg(plot.height()).arg(ticks).arg(gap).arg(tick.height());
            QVERIFY2(gap >= tick.height() + 4 || ticks <= 1, qPrintable(where));
            QVERIFY2(ticks >= 1, qPrintable(where));
            if (plot.height() > 300) QVERIFY2(ticks >= 4, qPrintable(where));
            ++checked;
        }
    QVERIFY(checked >= 6);
}

// The digit card under the mouse is for the screen. A figure exported with the mouse over the scatter (its
// context menu is opened there) had the card over the title and half the plot; after the scatter shrank
// (the Inside dock opened, the interpolation strip appeared) the card stayed over whatever was there now.
void TestUiScatter::hoverCardStaysOnTheScreen()
{
    ScatterCanvas c;
    c.resize(500, 380);
    const QVector<QPointF> pts{{0, 0}, {1, 1}, {-1, 0.5}, {0.5, -1}};
    c.setData(pts, {0, 1, 2, 3});
    QTRY_VERIFY_WITH_TIMEOUT(!c.isAnimating(), 5000);
    const auto hover = [&] {
        c.hoverAt(c.dataToWidget(pts[1]));
        return c.hoveredIndex() == 1;
    };
    QVERIFY(hover());
    const QImage figureWithMouse = figure::render(&c, 1.0);
    const QImage onScreen = c.grab().toImage().convertToFormat(figureWithMouse.format());
    c.hoverAt(QPointF(1, 1));  // outside the plot: no card
    QCOMPARE(c.hoveredIndex(), -1);
    const QImage figure = figure::render(&c, 1.0);
    QVERIFY2(onScreen != figure, "the card is not painted on screen either: nothing checked");
    QVERIFY2(figureWithMouse == figure, "the hover card is in the exported figure");
    // Resized or hidden, the plot has moved from under the mouse: no card until the mouse moves again.
    c.show();
    QVERIFY(QTest::qWaitForWindowExposed(&c));
    QVERIFY(hover());
    c.resize(300, 200);
    QTRY_COMPARE(c.size(), QSize(300, 200));
    QCOMPARE(c.hoveredIndex(), -1);
    QVERIFY(hover());
    c.hide();
    QCOMPARE(c.hoveredIndex(), -1);
}

QTEST_MAIN(TestUiScatter)

#include "tst_ui_scatter.moc"
