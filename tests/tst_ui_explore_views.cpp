// The "inside the network" widgets of ui/explore/ (FiltersView, CodeHistogramView) and a manifold
// mosaic, on models trained briefly on the embedded digits. Writes PNGs to $AELAB_SCREENSHOT_DIR
// (default: <tmp>/aelab-views) for a human to look at.
#include "PresentationTestKit.h"
#include "core/Rng.h"
#include "core/data/Embedded.h"
#include "core/data/Split.h"
#include "core/nn/Model.h"
#include "core/train/Trainer.h"
#include "ui/widgets/Palette.h"
#include "ui/explore/CodeHistogramView.h"
#include "ui/explore/FiltersView.h"
#include <QComboBox>
#include <QSpinBox>
#include <QCheckBox>
#include "ui/explore/InterpolationStrip.h"
#include "ui/explore/LatentDecode.h"
#include "ui/explore/ManifoldGrid.h"
#include "ui/explore/ManifoldOverlay.h"

#include <QDir>
#include <QElapsedTimer>
#include <QPainter>
#include <QSignalSpy>
#include <QScopeGuard>
#include <QtTest>

#include <memory>
#include <numeric>

using ael::Architecture;
using ael::Matrix;
using ael::Model;

namespace {

QString screenshotDir()
{
    QString dir = qEnvironmentVariable("AELAB_SCREENSHOT_DIR");
    if (dir.isEmpty()) dir = QDir::temp().filePath("aelab-views");
    QDir().mkpath(dir);
    return dir;
}

QImage shoot(QWidget &w, QSize sz)
{
    w.resize(sz);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) return {};
    QTest::qWait(30);
    return w.grab().toImage();
}

Architecture arch(const char *spec, ael::ActivationKind code = ael::ActivationKind::Linear, bool tied = false)
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    a.codeActivation = code;
    a.tied = tied;
    return a;
}

const ael::Split &digits()
{
    static const ael::Split s = ael::stratifiedSplit(ael::embeddedMnist());
    return s;
}

/// A copy of the model after `steps` mini-batches of training on the embedded digits.
std::shared_ptr<const Model<float>> trained(const Architecture &a, const ael::TrainSettings &s, int steps)
{
    ael::Trainer t(a, s, digits().train, 1);
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < steps; ++i) t.step();
    qInfo("trained %s (%s) for %d steps in %.2f s", a.spec().c_str(), ael::toString(s.variant), steps,
          double(clock.nsecsElapsed()) / 1e9);
    return std::make_shared<Model<float>>(t.model());
}

std::shared_ptr<const Model<float>> fresh(const Architecture &a, uint64_t seed)
{
    auto m = std::make_shared<Model<float>>(a);
    ael::Rng rng(seed);
    m->initialize(rng);
    return m;
}

}  // namespace

class TestExploreViews : public QObject {
    Q_OBJECT
private slots:
    void filtersViewShowsTheWeightRows();
    void filtersViewThrottles();
    void filtersViewBarFits_data();
    void filtersViewBarFits();
    void filtersViewSaysTied();
    void filtersViewTextFits_data();
    void filtersViewTextFits();
    void filtersGridHasNoStrayRow_data();
    void filtersGridHasNoStrayRow();
    void histogramViewCountsEveryPair();
    void histogramViewTermClick();
    void histogramTextsWhole_data();
    void histogramTextsWhole();
    void histogramCountLabelsWhole_data();
    void histogramCountLabelsWhole();
    void histogramLegendLeavesTheBars_data();
    void histogramLegendLeavesTheBars();
    void manifoldOverlay();
    void interpolationStrip();
    void screenshots();
};

void TestExploreViews::filtersViewShowsTheWeightRows()
{
    const auto m = fresh(arch("784-[20]-784"), 1);
    FiltersView v;
    v.setModel(m, 28, 28);  // hidden: deferred until shown (or flushed)
    QCOMPARE(v.tileCount(false), 0);
    v.flush();
    QCOMPARE(v.tileCount(false), 20);
    QCOMPARE(v.tileCount(true), 20);
    const Matrix &W = m->encoder(0).weight().value;
    for (int u : {0, 7, 19}) {
        const QImage t = v.tile(u, false);
        const float s = W.row(u).cwiseAbs().maxCoeff();
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x) QCOMPARE(t.pixel(x, y), ael::ui::divergingColor(W(u, y * 28 + x), s));
    }
    v.setMaxFilters(8);
    QCOMPARE(v.tileCount(false), 8);
    v.setSharedScale(true);
    QCOMPARE(v.filters(false).scales[0], v.filters(false).scales[7]);
    v.resize(900, 500);
    v.setPanels(FiltersView::Panels::Encoder);
    QVERIFY(!v.tileRect(0, false).isEmpty());
    QVERIFY(v.tileRect(0, true).isEmpty());  // the decoder panel is hidden
    v.setPanels(FiltersView::Panels::Both);
    QVERIFY(v.tileRect(0, false).right() < v.tileRect(0, true).left());  // side by side
}

void TestExploreViews::filtersViewBarFits_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("oneRow");
    QTest::newRow("a wide dock") << 1000 << true;
    QTest::newRow("the side column of a 1500-pixel window") << 560 << false;
    QTest::newRow("narrow") << 380 << false;
}

// In a 565-pixel dock the tile count covered the end of the check box's text ("One colour scale for all
// tile"); the two now go to a second row when the four controls do not fit in one.
void TestExploreViews::filtersViewBarFits()
{
    QFETCH(int, width);
    QFETCH(bool, oneRow);
    FiltersView v;
    v.resize(width, 600);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    auto *box = v.findChild<QCheckBox *>(QStringLiteral("sharedScale"));
    auto *count = v.findChild<QSpinBox *>(QStringLiteral("tileCount"));
    QVERIFY(box && count);
    const QRect b(box->mapTo(&v, QPoint(0, 0)), box->size()), c(count->mapTo(&v, QPoint(0, 0)), count->size());
    QVERIFY2(box->width() >= box->sizeHint().width(), qPrintable(QString("%1 < %2").arg(box->width()).arg(box->sizeHint().width())));
    QVERIFY(!b.intersects(c));
    QVERIFY(v.rect().contains(b) && v.rect().contains(c));
    auto *combo = v.findChild<QComboBox *>();
    const int firstRowBottom = combo->mapTo(&v, QPoint(0, combo->height())).y();
    QCOMPARE(b.center().y() < firstRowBottom && c.center().y() < firstRowBottom, oneRow);
    QVERIFY(c.center().y() > firstRowBottom || oneRow);
}

void TestExploreViews::filtersGridHasNoStrayRow_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<int>("tiles");
    QTest::newRow("the Inside dock at 1366 x 768, 64 tiles") << QSize(700, 600) << 64;
    QTest::newRow("a wide dock, 64 tiles") << QSize(900, 500) << 64;
    QTest::newRow("a narrow dock, 64 tiles") << QSize(560, 600) << 64;
    QTest::newRow("100 tiles") << QSize(1000, 700) << 100;
    QTest::newRow("20 tiles") << QSize(700, 600) << 20;
    QTest::newRow("36 tiles") << QSize(700, 600) << 36;
}

// 64 tiles laid out as 7 columns, nine full rows and a tenth with one tile looked like a mistake; the
// grid keeps its last row at least half full when that costs its tiles at most 15 % of their size
// (against 63 tiles, one fewer, in the same place).
void TestExploreViews::filtersGridHasNoStrayRow()
{
    QFETCH(QSize, size);
    QFETCH(int, tiles);
    const auto m = fresh(arch("784-[128]-784"), 1);
    FiltersView v;
    v.setModel(m, 28, 28);
    v.resize(size);
    v.setPanels(FiltersView::Panels::Both);
    const auto layout = [&](int n, int &cols, int &rows, double &side) {
        v.setMaxFilters(n);
        v.flush();
        QCOMPARE(v.tileCount(false), n);
        QSet<int> lefts, tops;
        for (int i = 0; i < n; ++i) {
            const QRectF r = v.tileRect(i, false);
            QVERIFY(v.rect().contains(r.toAlignedRect()));
            QVERIFY(r.right() < v.tileRect(0, true).left());
            lefts.insert(qRound(r.left()));
            tops.insert(qRound(r.top()));
        }
        cols = int(lefts.size()), rows = int(tops.size()), side = v.tileRect(0, false).width();
    };
    int cols = 0, rows = 0, fewerCols = 0, fewerRows = 0;
    double side = 0, fewerSide = 0;
    layout(tiles, cols, rows, side);
    layout(tiles - 1, fewerCols, fewerRows, fewerSide);
    if (QTest::currentTestFailed()) return;
    const int last = tiles - (rows - 1) * cols;
    QVERIFY2(2 * last >= cols, qPrintable(QString("%1 columns, %2 rows, %3 in the last").arg(cols).arg(rows).arg(last)));
    QVERIFY2(side >= 0.85 * fewerSide - 1, qPrintable(QString("%1 px against %2 for one tile fewer").arg(side).arg(fewerSide)));
}

void TestExploreViews::filtersViewThrottles()
{
    const auto a = fresh(arch("784-[4]-784"), 2), b = fresh(arch("784-[4]-784"), 3);
    FiltersView v;
    v.resize(600, 400);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    v.setModel(a, 28, 28);  // visible and not throttled: shown at once
    const QImage first = v.tile(0, false);
    QCOMPARE(first, ael::ui::encoderFilters(*a, 28, 28, 64, false).tiles[0]);
    v.setModel(b, 28, 28);  // within 200 ms of the first: held back
    QCOMPARE(v.tile(0, false), first);
    const QImage want = ael::ui::encoderFilters(*b, 28, 28, 64, false).tiles[0];
    QVERIFY(want != first);
    QTRY_COMPARE_WITH_TIMEOUT(v.tile(0, false), want, 5000);  // the last model always arrives
    v.setModel(a, 28, 28);
    v.flush();
    QCOMPARE(v.tile(0, false), first);
}

void TestExploreViews::filtersViewSaysTied()
{
    FiltersView v;
    v.setModel(fresh(arch("784-[9]-784", ael::ActivationKind::Sigmoid, true), 4), 28, 28);
    v.flush();
    QVERIFY(v.caption().contains("Tied"));
    for (int u = 0; u < 9; ++u) QCOMPARE(v.tile(u, true), v.tile(u, false));
    v.setModel(fresh(arch("784-[9]-784"), 5), 28, 28);
    v.flush();
    QVERIFY(!v.caption().contains("Tied"));
    v.setModel(fresh(arch("784-[9]-784"), 5), 27, 28);
    v.flush();
    QCOMPARE(v.tileCount(false), 0);  // not 27 × 28 images: a message, no tiles
}

void TestExploreViews::filtersViewTextFits_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("tied");
    QTest::newRow("beside the views, 1920x1080") << false << QSize(960, 560) << false;
    QTest::newRow("presentation, dock at 1024x768") << true << QSize(430, 640) << false;
    QTest::newRow("presentation, dock at 1024x768, tied") << true << QSize(430, 640) << true;
}

// The title on one line and the caption in its two, each in the longest form that fits: in presentation mode
// at 1024 × 768 the title was cut mid-word ("Inside the network: first-la") and the caption's third line
// ("adds.") fell off.
void TestExploreViews::filtersViewTextFits()
{
    QFETCH(bool, presentation);
    QFETCH(QSize, size);
    QFETCH(bool, tied);
    const ScopedPresentation presenting(presentation);
    FiltersView v;
    v.resize(size);
    v.setModel(fresh(tied ? arch("784-[9]-784", ael::ActivationKind::Sigmoid, true) : arch("784-[9]-784"), 4), 28, 28);
    v.flush();
    const double px = ael::ui::basePixelSize(v.size());
    const QFontMetricsF title(ael::ui::titleFont(px)), caption(ael::ui::uiFont(px * 0.85));
    const QString longTitle = QStringLiteral("Inside the network: first-layer filters and last-layer columns");
    if (presentation) QVERIFY(title.horizontalAdvance(longTitle) > v.width() - 20);  // the case this row is for
    else QCOMPARE(v.shownTitle(), longTitle);
    QVERIFY2(title.horizontalAdvance(v.shownTitle()) <= v.width() - 20 && !v.shownTitle().endsWith(QChar(0x2026)), qPrintable(v.shownTitle()));
    const QRectF wrapped = caption.boundingRect(QRectF(0, 0, v.width() - 20, 1e6), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, v.shownCaption());
    QVERIFY2(wrapped.height() <= caption.height() * 2 + 4, qPrintable(v.shownCaption()));
    QCOMPARE(v.shownCaption().contains(QStringLiteral("Tied")), tied);
    for (const bool decoder : {false, true}) {  // a form that fits whole (firstFitting elides only when none does)
        const QString t = v.shownPanelTitle(decoder);
        QVERIFY2(!t.isEmpty() && !t.endsWith(QChar(0x2026)), qPrintable(t));
    }
    if (!presentation) QCOMPARE(v.shownCaption(), v.caption());
}

void TestExploreViews::histogramViewCountsEveryPair()
{
    const int k = 7, n = 30;
    std::vector<float> codes(size_t(k * n));
    ael::Rng rng(6);
    for (float &c : codes) c = float(rng.normal());
    CodeHistogramView v;
    v.setCodes(codes, k, n);
    const auto &h = v.histogram();
    QCOMPARE(std::accumulate(h.counts.begin(), h.counts.end(), 0), k * n);
    QCOMPARE(v.unitMeans().size(), size_t(k));
    QVERIFY(v.statsText().contains("%"));
    v.setFixedRange(0, 1);
    QCOMPARE(v.histogram().lo, 0.0);
    QCOMPARE(std::accumulate(v.histogram().counts.begin(), v.histogram().counts.end(), 0), k * n);
    v.setCodes({}, 0, 0);
    QCOMPARE(v.statsText(), QString("no codes yet"));
}

void TestExploreViews::histogramViewTermClick()
{
    CodeHistogramView v;
    v.setCodes({0.1f, 0.2f, 0.9f, 0.4f}, 2, 2);
    v.setExtraTerms({{"contractive", QString::fromUtf8("contractive \u2016\u2202f/\u2202x\u2016\u00b2_F"), 0.031,
                      QColor(0x56, 0xb4, 0xe9)}});
    v.resize(700, 450);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    QSignalSpy spy(&v, &CodeHistogramView::termActivated);
    QTest::mouseClick(&v, Qt::LeftButton, {}, v.termRect(0).center().toPoint());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QString("contractive"));
}

void TestExploreViews::histogramTextsWhole_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<QSize>("size");
    QTest::newRow("normal, lesson 4's column at 1280x720") << false << QSize(322, 320);
    QTest::newRow("presentation, lesson column at 1024x768") << true << QSize(405, 320);
    QTest::newRow("presentation, lesson 4's column at 1280x720") << true << QSize(381, 260);
    QTest::newRow("presentation, Inside dock at 1920x1080") << true << QSize(336, 640);
    QTest::newRow("wide") << false << QSize(900, 460);
}

// Lesson 4 at 1280×720: "Code activations h = f(x): 1024 …" and "mean h = 0.0607 · active (|h| > …". The
// title and the statistics line take the longest of their forms that fits, whole; wide, the long forms.
void TestExploreViews::histogramTextsWhole()
{
    QFETCH(bool, presentation);
    QFETCH(QSize, size);
    const ScopedPresentation presenting(presentation);
    const int k = 1024, n = 200;
    std::vector<float> codes(size_t(k * n));
    ael::Rng rng(4);
    for (float &c : codes) c = float(std::abs(rng.normal()) * 0.05);
    CodeHistogramView v;
    v.setCodes(codes, k, n);
    v.resize(size);
    for (const auto &[shown, forms] : {std::pair{v.shownTitle(), v.titleForms()}, std::pair{v.shownStats(), v.statsForms()}}) {
        QVERIFY2(forms.contains(shown), qPrintable(shown));  // whole, not elided
        if (size.width() >= 900) QCOMPARE(shown, forms.first());
    }
    // The axis title: whole, in a box that holds it, inside the view. Presenting in the Inside dock at
    // 1920 × 1080 it was drawn in a box as wide as the plot, which cut it at both ends (":tivation h (bar
    // height: cour").
    QVERIFY2(v.axisTitleForms().contains(v.shownAxisTitle()), qPrintable(v.shownAxisTitle()));
    const QRectF axis = v.axisTitleRect();
    const double advance = QFontMetricsF(ael::ui::uiFont(ael::ui::basePixelSize(v.size()) * 0.8)).horizontalAdvance(v.shownAxisTitle());
    QVERIFY2(axis.left() >= 0 && axis.right() <= v.width() && advance <= axis.width(),
             qPrintable(QStringLiteral("'%1' at %2 … %3 in %4 px").arg(v.shownAxisTitle()).arg(axis.left()).arg(axis.right()).arg(v.width())));
    if (size.width() >= 900) QCOMPARE(v.shownAxisTitle(), v.axisTitleForms().first());
    if (presentation && size.width() <= 336) QVERIFY2(advance > v.plotRect().width(), "the title fits the plot's width: nothing checked");
    QVERIFY(v.titleForms().first().contains(QStringLiteral("1024 units")));
    QVERIFY(v.shownStats().startsWith(QStringLiteral("mean h = ")));
    // The share of active units, what lesson 4 asks the class to watch, stays on the line: presenting at
    // 1280 × 720 only "mean h = 0.0611" was left. Smaller where it must be, but still projector-sized.
    QVERIFY2(v.shownStats().contains(QStringLiteral("active")) && v.shownStats().contains(QStringLiteral(" %")),
             qPrintable(v.shownStats()));
    const double full = ael::ui::basePixelSize(v.size());
    QVERIFY2(v.shownStatsPixelSize() >= 0.75 * full && v.shownStatsPixelSize() <= full,
             qPrintable(QStringLiteral("%1 px of %2").arg(v.shownStatsPixelSize()).arg(full)));
    if (size.width() >= 900) QCOMPARE(v.shownStatsPixelSize(), full);
}

void TestExploreViews::histogramCountLabelsWhole_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<bool>("logCounts");
    QTest::addColumn<QSize>("size");
    QTest::newRow("lesson 4's Inside dock at 1366x768") << false << false << QSize(322, 350);
    QTest::newRow("log counts") << false << true << QSize(322, 350);
    QTest::newRow("presentation, lesson column at 1024x768") << true << false << QSize(405, 320);
    QTest::newRow("wide") << false << false << QSize(900, 460);
}

// Lesson 4 (1024 units × 1000 test digits: a million activations, most of them in the bar at 0) drew its
// count axis as ",000,000", "800,000", …: the margin held five digits. The labels are compact ("1M",
// "800k") and the margin is measured from the widest, so each stands whole inside the view.
void TestExploreViews::histogramCountLabelsWhole()
{
    QFETCH(bool, presentation);
    QFETCH(bool, logCounts);
    QFETCH(QSize, size);
    const ScopedPresentation presenting(presentation);
    const int k = 1024, n = 1000;
    std::vector<float> codes(size_t(k) * n, 0.0f);
    ael::Rng rng(5);
    for (size_t i = 0; i < codes.size(); i += 9) codes[i] = float(std::abs(rng.normal()) * 0.3);
    CodeHistogramView v;
    v.setCodes(codes, k, n);
    v.setLogCounts(logCounts);
    v.resize(size);
    const CodeHistogramView::CountTicks t = v.countTicks();
    QVERIFY(t.counts.size() >= 3);
    QCOMPARE(t.labels.size(), t.counts.size());
    QCOMPARE(t.labels.last(), logCounts ? QStringLiteral("100k") : QStringLiteral("800k"));
    for (int i = 0; i < t.counts.size(); ++i) {
        QVERIFY2(t.rects[i].left() >= 0 && t.rects[i].right() < v.plotRect().left(),
                 qPrintable(QString("'%1' at %2..%3, plot from %4").arg(t.labels[i]).arg(t.rects[i].left()).arg(t.rects[i].right()).arg(v.plotRect().left())));
    }
    // As painted: nothing but background in the view's first two pixel columns (a label cut at the
    // edge leaves its glyphs there).
    const QImage shot = v.grab().toImage();
    const QRgb bg = shot.pixel(0, 0);
    for (int x = 0; x < 2; ++x)
        for (int y = 0; y < shot.height(); ++y) QVERIFY2(shot.pixel(x, y) == bg, qPrintable(QString("ink at (%1, %2)").arg(x).arg(y)));
}

void TestExploreViews::histogramLegendLeavesTheBars_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<QSize>("size");
    QTest::newRow("presentation, lesson column at 1024x768") << true << QSize(405, 320);
    QTest::newRow("normal, lesson column at 1920x1080") << false << QSize(325, 420);
    QTest::newRow("wide") << false << QSize(720, 460);
    QTest::newRow("presentation, Inside dock at 1280x720") << true << QSize(383, 262);
}

// In presentation mode at 1024×768 lesson 4's histogram had its legend box over most of the plot,
// where a sparse code's tall bars are, with "each unit's mean ρ̂ⱼ (under the…" cut. The box keeps to
// half the plot's width (the texts take short forms), whole and inside the view; wide, the long forms. Where
// the shortest forms need more than half ("ρ = 0.05" in the Inside dock at 1280×720, presenting), up to 70 %.
void TestExploreViews::histogramLegendLeavesTheBars()
{
    QFETCH(bool, presentation);
    QFETCH(QSize, size);
    const ScopedPresentation presenting(presentation);
    const int k = 64, n = 200;
    std::vector<float> codes(size_t(k * n));
    ael::Rng rng(9);
    for (float &c : codes) c = float(std::abs(rng.normal()) * 0.05);  // sparse: most activations near 0
    CodeHistogramView v;
    v.setCodes(codes, k, n);
    v.setSparseTarget(0.05);
    v.resize(size);
    const CodeHistogramView::Legend lg = v.legend();
    const QRectF plot = v.plotRect();
    QCOMPARE(lg.texts.size(), 3);
    QVERIFY(QRectF(QPointF(0, 0), QSizeF(size)).contains(lg.box));
    // The long forms where they fit that half (a wide view), whole texts never elided.
    const QFontMetricsF fm(ael::ui::uiFont(ael::ui::basePixelSize(size) * 0.85, true));
    const double shortest = std::max({fm.horizontalAdvance(QStringLiteral("mean h")), fm.horizontalAdvance(QStringLiteral("ρ = 0.05")),
                                      fm.horizontalAdvance(QString::fromUtf8("ρ̂ⱼ"))});
    const double share = shortest + 30 + 24 <= plot.width() * 0.5 ? 0.5 : 0.7;
    QVERIFY2(lg.box.width() <= plot.width() * share + 1, qPrintable(QString("box %1 of plot %2").arg(lg.box.width()).arg(plot.width())));
    const QString longest = QString::fromUtf8("each unit's mean ρ̂ⱼ (under the axis)");
    if (fm.horizontalAdvance(longest) + 30 + 24 <= plot.width() * 0.5) QCOMPARE(lg.texts.last(), longest);
    if (size.width() >= 700) QVERIFY(lg.texts.last().size() > 3);  // not the shortest form
    for (const QString &t : lg.texts) {
        QVERIFY2(!t.endsWith(QChar(0x2026)), qPrintable(t));
        QVERIFY(fm.horizontalAdvance(t) <= lg.textWidth + 0.5);
    }
}

void TestExploreViews::manifoldOverlay()
{
    using namespace ael::ui;
    const auto m = fresh(arch("784-16-[2]-16-784"), 7);
    // g = 5 over [0, 4]²: centers at 0, 1, …, 4; tile (i, j) covers x in [j − ½, j + ½], y in [4 − i ± ½].
    const ManifoldGrid grid = ManifoldGrid::overRect(*m, QRectF(0, 0, 4, 4), 5, {});
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 5; ++j) {
            QCOMPARE(tileAt(grid, grid.tileCenter(i, j)), std::make_pair(i, j));
            QCOMPARE(grid.tileRect(i, j), QRectF(QPointF(j - 0.5, 4 - i - 0.5), QPointF(j + 0.5, 4 - i + 0.5)));
        }
    QCOMPARE(tileAt(grid, QPointF(0.49, 3.6)), std::make_pair(0, 0));
    QCOMPARE(tileAt(grid, QPointF(4.5, -0.5)), std::make_pair(4, 4));  // the outer edges belong to the grid
    QCOMPARE(tileAt(grid, QPointF(-0.6, 2)), std::make_pair(-1, -1));
    QCOMPARE(tileAt(grid, QPointF(2, 4.6)), std::make_pair(-1, -1));

    const QImage t = grid.tile(1, 2), inv = overlayTile(t, true);
    for (int y = 0; y < 28; y += 9)
        for (int x = 0; x < 28; x += 9) QCOMPARE(int(inv.constScanLine(y)[x]), 255 - int(t.constScanLine(y)[x]));

    // Drawn into a 100 × 100 plot, 20 px a code unit, y up: tile (i, j) lands on [20j, 20j + 20) × [20i, 20i + 20).
    QImage canvas(100, 100, QImage::Format_RGB32);
    canvas.fill(Qt::white);
    {
        QPainter p(&canvas);
        paintManifold(p, grid, [](QPointF q) { return QPointF((q.x() + 0.5) * 20, (4.5 - q.y()) * 20); }, 1.0, false);
    }
    for (auto [i, j] : {std::pair{0, 0}, std::pair{4, 4}, std::pair{2, 3}}) {
        const int got = qGray(canvas.pixel(20 * j + 10, 20 * i + 10));  // the middle of the tile: source ≈ (14, 14)
        bool near = false;
        for (int y = 12; y <= 16; ++y)
            for (int x = 12; x <= 16; ++x) near |= std::abs(int(grid.tile(i, j).constScanLine(y)[x]) - got) <= 1;
        QVERIFY2(near, qPrintable(QString("tile (%1, %2): %3").arg(i).arg(j).arg(got)));
    }
}

void TestExploreViews::interpolationStrip()
{
    using namespace ael::ui;
    const auto m = fresh(arch("784-32-[2]-32-784"), 8);
    ael::Rng rng(9);
    std::vector<float> a(784), b(784);
    for (size_t i = 0; i < 784; ++i) {
        a[i] = rng.uniformf();
        b[i] = rng.uniformf();
    }
    InterpolationStrip s;
    s.setEndpoints(*m, a.data(), b.data(), 28, 28, 7);
    QCOMPARE(int(s.codeLine().size()), 7);
    QCOMPARE(int(s.pixelBlend().size()), 7);
    QCOMPARE(s.pixelBlend().front(), grayImage(a.data(), 28, 28));
    QCOMPARE(s.pixelBlend().back(), grayImage(b.data(), 28, 28));
    // The code line starts at g(f(a)) and ends at g(f(b)).
    const QImage ga = decodeAt(*m, encodeImage(*m, a.data(), 784), 28, 28);
    const QImage gb = decodeAt(*m, encodeImage(*m, b.data(), 784), 28, 28);
    for (auto [got, want] : {std::pair{s.codeLine().front(), ga}, std::pair{s.codeLine().back(), gb}})
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x) QVERIFY(std::abs(got.constScanLine(y)[x] - want.constScanLine(y)[x]) <= 1);
    s.resize(900, 300);
    QVERIFY(s.cellRect(0, 6).right() <= 900 && s.cellRect(1, 0).top() > s.cellRect(0, 0).bottom());
    QVERIFY(s.cellRect(0, 7).isEmpty());
}

void TestExploreViews::screenshots()
{
    const QString dir = screenshotDir();
    const ael::Split &d = digits();
    ael::TrainSettings s;
    s.batchSize = 64;

    // Filters of a one-layer sigmoid code, untied and tied.
    const auto filt = trained(arch("784-[64]-784", ael::ActivationKind::Sigmoid), s, 1500);
    FiltersView fv;
    fv.setModel(filt, 28, 28);
    QVERIFY(shoot(fv, {1280, 720}).save(QDir(dir).filePath("explore-filters-1280x720.png")));
    QCOMPARE(fv.tileCount(false), 64);  // set while hidden, built when shown
    const auto tied = trained(arch("784-[36]-784", ael::ActivationKind::Sigmoid, true), s, 1500);
    fv.setModel(tied, 28, 28);
    fv.flush();
    fv.setSharedScale(true);
    QVERIFY(shoot(fv, {800, 480}).save(QDir(dir).filePath("explore-filters-tied-800x480.png")));

    // Code histogram of a sparse (KL) autoencoder on the test digits, ρ drawn.
    ael::TrainSettings sp = s;
    sp.variant = ael::Variant::Sparse;
    sp.sparsity = ael::SparsityKind::KL;
    sp.sparsityWeight = 0.05;
    sp.sparsityTarget = 0.05;
    const auto sparse = trained(arch("784-[64]-784", ael::ActivationKind::Sigmoid), sp, 500);
    const int n = d.test.size();  // all 1,996 (the test set is in class order)
    Matrix X, H;
    d.test.range(0, n, X);
    sparse->encode(X, H);
    CodeHistogramView hv;
    hv.setCodes(std::vector<float>(H.data(), H.data() + H.size()), int(H.rows()), n);
    hv.setFixedRange(0, 1);
    hv.setSparseTarget(sp.sparsityTarget);
    hv.setExtraTerms({{"contractive", QString::fromUtf8("contractive \u03bb\u2016\u2202f/\u2202x\u2016\u00b2_F"),
                       0.0123, QColor::fromRgb(ael::ui::kPlainAeRgb)}});
    QCOMPARE(std::accumulate(hv.histogram().counts.begin(), hv.histogram().counts.end(), 0), 64 * n);
    qInfo("sparse KL code: mean %.4f, active %.1f %%", hv.histogram().mean, 100 * hv.histogram().activeFraction);
    QVERIFY(shoot(hv, {800, 480}).save(QDir(dir).filePath("explore-histogram-800x480.png")));
    hv.setLogCounts(true);
    QVERIFY(shoot(hv, {500, 310}).save(QDir(dir).filePath("explore-histogram-log-500x310.png")));

    // The learned manifold of the lecture's 2-D model over its test codes' range.
    ael::TrainSettings s2;
    const auto ae2 = trained(arch("784-256-[2]-256-784"), s2, 600);
    ae2->encode(X, H);
    const QRectF box(QPointF(H.row(0).minCoeff(), H.row(1).minCoeff()), QPointF(H.row(0).maxCoeff(), H.row(1).maxCoeff()));
    const ael::ui::ManifoldGrid grid = ael::ui::ManifoldGrid::overRect(*ae2, box, 20, {});
    qInfo("manifold g = 20 of the trained 2-D model over [%.2f, %.2f] x [%.2f, %.2f]: %.2f ms", box.left(), box.right(),
          box.top(), box.bottom(), grid.renderMs());
    QVERIFY(grid.mosaic(2).scaled(20 * 30 * 2, 20 * 30 * 2).save(QDir(dir).filePath("explore-manifold-2d.png")));
    // The same grid as an overlay under the test digits' codes, as the latent plot would show it.
    {
        QImage plot(900, 900, QImage::Format_RGB32);
        plot.fill(Qt::white);
        const QRectF e = grid.extent();
        auto toPx = [&](QPointF q) {
            return QPointF(20 + (q.x() - e.left()) / e.width() * 860, 20 + (e.bottom() - q.y()) / e.height() * 860);
        };
        QPainter p(&plot);
        ael::ui::paintManifold(p, grid, toPx, 0.55);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        for (int i = 0; i < n; ++i) {
            p.setBrush(ael::ui::classColor(d.test.labels[size_t(i)]));
            p.drawEllipse(toPx(QPointF(H(0, i), H(1, i))), 3.5, 3.5);
        }
        p.end();
        QVERIFY(plot.save(QDir(dir).filePath("explore-manifold-overlay.png")));
    }
    // From a test "1" to a test "0": through the 2-D code and as a pixel blend.
    {
        int one = 0, zero = 0;
        while (d.test.labels[size_t(one)] != 1) ++one;
        while (d.test.labels[size_t(zero)] != 0) ++zero;
        InterpolationStrip strip;
        strip.setEndpoints(*ae2, X.col(one).data(), X.col(zero).data(), 28, 28, 10);
        QVERIFY(shoot(strip, {900, 300}).save(QDir(dir).filePath("explore-interpolation-900x300.png")));
    }
    // A variational model's grid over the prior's quantiles.
    ael::TrainSettings sv = s2;
    sv.variant = ael::Variant::Variational;
    sv.loss = ael::LossKind::BCE;
    const auto vae = trained(arch("784-256-[2]-256-784"), sv, 600);
    const ael::ui::ManifoldGrid prior = ael::ui::ManifoldGrid::overPrior(*vae, 16, {});
    QVERIFY(prior.mosaic(2).scaled(16 * 30 * 2, 16 * 30 * 2).save(QDir(dir).filePath("explore-manifold-prior.png")));
    qInfo("screenshots in %s", qPrintable(dir));
}

QTEST_MAIN(TestExploreViews)
#include "tst_ui_explore_views.moc"
