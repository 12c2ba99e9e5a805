// The latent explorer as the user drives it: a click at z shows exactly the model's decoding of z
// (k = 2: z itself; k > 2: the plane through the mean code, or through the drawing's code); the
// manifold laid behind the points has g² tiles over the visible rectangle; the interpolation's ends
// are the ends' decodings; prior samples come from the newest model.
#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/nn/Model.h"
#include "ui/widgets/ScatterCanvas.h"
#include "ui/explore/LatentDecode.h"
#include "PresentationTestKit.h"
#include "ui/explore/InterpolationStrip.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/explore/ManifoldGrid.h"
#include "ui/widgets/Palette.h"

#include <QCheckBox>
#include <QFontMetricsF>
#include <QtTest>

#include <memory>

using namespace ael::ui;

namespace {

std::shared_ptr<const ael::Model<float>> model(const char *spec, bool variational = false)
{
    ael::Architecture a;
    std::string err;
    if (!ael::Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    a.variational = variational;
    auto m = std::make_shared<ael::Model<float>>(a);
    ael::Rng rng(5);
    m->initialize(rng);
    return m;
}

std::shared_ptr<const ael::Dataset> testSet(int n)
{
    auto d = std::make_shared<ael::Dataset>();
    d->rows = d->cols = 28;
    ael::Rng rng(3);
    for (int i = 0; i < n; ++i) {
        d->labels.push_back(uint8_t(i % 10));
        for (int p = 0; p < 784; ++p) d->pixels.push_back(uint8_t(rng.uniformf() < 0.2 ? 255 : 0));
    }
    for (int c = 0; c < 10; ++c) d->classNames.push_back(std::to_string(c));
    return d;
}

/// A Snapshot as the worker sends it: the model, the test codes' points and the plane's frame.
Snapshot snapshotFor(std::shared_ptr<const ael::Model<float>> m, std::shared_ptr<const ael::Dataset> test,
                     bool useUnits = true)
{
    const int k = m->arch().code, n = test->size();
    ael::Matrix X, H;
    test->range(0, n, X);
    m->encode(X, H);
    Snapshot s;
    s.model = m;
    s.testSet = test;
    s.codeSize = k;
    s.variational = m->arch().variational;
    const ael::Vector mean = H.rowwise().mean();
    s.latentMean = QVector<float>(mean.data(), mean.data() + k);
    s.latentOrigin = QVector<float>(k, 0.0f);
    s.latentBasis = QVector<float>(2 * k, 0.0f);
    const int a = useUnits ? 0 : 1, b = useUnits ? 1 : 2;  // units h1, h2 (or h2, h3)
    s.latentBasis[a] = 1;
    s.latentBasis[k + b] = 1;
    for (int j = 0; j < n; ++j) {
        s.latent << QPointF(H(a, j), H(b, j));
        s.labels << test->labels[size_t(j)];
    }
    s.latentAxes = QStringLiteral("h%1 vs h%2").arg(a + 1).arg(b + 1);
    return s;
}

int maxDiff(const QImage &a, const QImage &b)
{
    if (a.size() != b.size()) return 999;
    int d = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            d = std::max(d, std::abs(qGray(a.pixel(x, y)) - qGray(b.pixel(x, y))));
    return d;
}

}  // namespace

class TestExplorer : public QObject {
    Q_OBJECT
private slots:
    void clickDecodesThatPoint()
    {
        const auto m = model("784-32-[2]-32-784");
        LatentExplorer e;
        e.resize(700, 450);
        e.show();
        QVERIFY(QTest::qWaitForWindowExposed(&e));
        e.applySnapshot(snapshotFor(m, testSet(200)));
        const QRectF range = e.canvas()->drawnRange();
        const QPointF z = range.center() + QPointF(0.2 * range.width(), -0.1 * range.height());
        // A real click at the widget position of z.
        const QPoint at = e.canvas()->dataToWidget(z).toPoint();
        QTest::mouseClick(e.canvas(), Qt::LeftButton, {}, at);
        const QPointF hit = e.canvas()->widgetToData(at);  // z up to the pixel grid
        const std::vector<float> code = e.probeCode();
        QCOMPARE(int(code.size()), 2);
        QCOMPARE(code[0], float(hit.x()));
        QCOMPARE(code[1], float(hit.y()));
        QCOMPARE(maxDiff(e.probeImage(), decodeAt(*m, code, 28, 28)), 0);
        // probeAt(z) decodes z itself.
        e.probeAt(z);
        QCOMPARE(e.probeCode(), (std::vector<float>{float(z.x()), float(z.y())}));
        QCOMPARE(maxDiff(e.probeImage(), decodeAt(*m, {float(z.x()), float(z.y())}, 28, 28)), 0);
    }

    void higherCodesMoveTwoDirections()
    {
        const auto m = model("784-[6]-784");
        const auto test = testSet(100);
        LatentExplorer e;
        Snapshot s = snapshotFor(m, test, false);  // h2 vs h3
        e.applySnapshot(s);
        const std::vector<float> h = e.codeAt(QPointF(1.5, -2));
        QCOMPARE(h[1], 1.5f);
        QCOMPARE(h[2], -2.0f);
        for (int d : {0, 3, 4, 5}) QCOMPARE(h[size_t(d)], s.latentMean[d]);  // the others at the mean code
        // With a drawing, the others follow the drawing's code.
        const std::vector<float> drawn{9, 8, 7, 6, 5, 4};
        e.setDrawing(drawn, std::vector<float>(784, 0.5f));
        const std::vector<float> g = e.codeAt(QPointF(1.5, -2));
        QCOMPARE(g, (std::vector<float>{9, 1.5f, -2, 6, 5, 4}));
        QCOMPARE(e.pointOf(drawn), QPointF(8, 7));
    }

    void manifoldCoversTheView()
    {
        const auto m = model("784-32-[2]-32-784");
        LatentExplorer e;
        e.resize(800, 500);
        e.show();
        QVERIFY(QTest::qWaitForWindowExposed(&e));
        e.applySnapshot(snapshotFor(m, testSet(300)));
        e.setManifold(true);
        QTRY_VERIFY_WITH_TIMEOUT(e.manifold() != nullptr, 10000);
        e.finishManifold();
        const ManifoldGrid &g = *e.manifold();
        QVERIFY(g.size() >= 12 && g.size() <= 20);
        QCOMPARE(g.tiles().size(), g.size() * g.size());
        const QRectF view = e.canvas()->drawnRange();
        QCOMPARE(g.tileCenter(0, 0), QPointF(view.left(), view.bottom()));  // top-left: (minX, maxY)
        QVERIFY(std::abs(g.tileCenter(g.size() - 1, g.size() - 1).x() - view.right()) < 1e-9);
        QCOMPARE(maxDiff(g.tile(3, 5), decodeAt(*m, g.tileCode(3, 5), 28, 28)), 0);
        QCOMPARE(e.canvas()->backdropRect(), g.extent());
        qInfo("manifold %d×%d rendered in %.1f ms", g.size(), g.size(), g.renderMs());
        e.setManifold(false);
        QVERIFY(e.canvas()->backdropRect().isNull());
    }

    // The drawing as endpoint B: its star hid the "B" ring and letter. The star now goes under the rings,
    // and the letter says it is the drawing (one label there, not two on top of each other).
    void drawingAsEndpointKeepsItsLetter()
    {
        const auto m = model("784-32-[2]-32-784");
        LatentExplorer e;
        e.applySnapshot(snapshotFor(m, testSet(50)));
        e.setDrawing({0.5f, -0.25f}, std::vector<float>(784, 0.5f));
        const auto labels = [&] {
            QStringList out;
            for (const ScatterMark &k : e.canvas()->marks()) out << QString::number(int(k.shape)) + ":" + k.label;
            return out;
        };
        QCOMPARE(labels().front(), QString::number(int(ScatterMark::Star)) + ":your drawing");
        e.setEndpoints(3, -1);
        const QVector<ScatterMark> &marks = e.canvas()->marks();
        QCOMPARE(marks.front().shape, ScatterMark::Star);  // drawn first: under the rings
        QVERIFY(marks.front().label.isEmpty());
        const auto b = std::find_if(marks.begin(), marks.end(), [](const ScatterMark &k) { return k.shortLabel == QLatin1String("B"); });
        QVERIFY(b != marks.end());
        QCOMPARE(b->shape, ScatterMark::Ring);
        QCOMPARE(b->label, QStringLiteral("B: your drawing"));
        QCOMPARE(b->at, marks.front().at);
    }

    void interpolationEndsAreTheEndsDecoded()
    {
        const auto m = model("784-32-[2]-32-784");
        const auto test = testSet(50);
        LatentExplorer e;
        e.applySnapshot(snapshotFor(m, test));
        e.setEndpoints(3, 17);
        const QVector<QImage> path = e.codePath(), blend = e.pixelPath();
        QVERIFY(path.size() >= 5);
        QCOMPARE(blend.size(), path.size());
        std::vector<float> xa(784), xb(784);
        for (int p = 0; p < 784; ++p) xa[size_t(p)] = test->image(3)[p] / 255.0f, xb[size_t(p)] = test->image(17)[p] / 255.0f;
        QCOMPARE(maxDiff(path.front(), decodeAt(*m, encodeImage(*m, xa.data(), 784), 28, 28)), 0);
        QCOMPARE(maxDiff(path.back(), decodeAt(*m, encodeImage(*m, xb.data(), 784), 28, 28)), 0);
        QCOMPARE(maxDiff(blend.front(), grayImage(xa.data(), 28, 28)), 0);  // the blend's ends are the images
        QCOMPARE(maxDiff(blend.back(), grayImage(xb.data(), 28, 28)), 0);
    }

    // Shift+click on two digits in a 1280 × 720 window (the explorer's cell ~470 × 310): the strip under the plot
    // left the decoder column beside it too little height, and its heading, tile, caption and check box were
    // drawn over each other; the strip's title was cut at both ends and its t labels ran into each other.
    void interpolationLeavesTheColumnReadable_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("presentation");
        QTest::newRow("1280x720 window") << QSize(470, 310) << false;
        QTest::newRow("1920x1080 window") << QSize(760, 470) << false;
        QTest::newRow("short") << QSize(420, 260) << false;
        QTest::newRow("presentation, 1280x720") << QSize(1270, 300) << true;
        QTest::newRow("presentation, 1024x768") << QSize(1014, 330) << true;
    }
    void interpolationLeavesTheColumnReadable()
    {
        QFETCH(QSize, size);
        QFETCH(bool, presentation);
        const ScopedPresentation presenting(presentation);
        const auto m = model("784-32-[2]-32-784");
        LatentExplorer e;
        e.resize(size);
        e.show();
        QVERIFY(QTest::qWaitForWindowExposed(&e));
        e.applySnapshot(snapshotFor(m, testSet(50)));
        e.setEndpoints(3, 17);
        auto *strip = e.findChild<InterpolationStrip *>();
        auto *column = e.findChild<QWidget *>(QStringLiteral("decoderColumn"));
        QVERIFY(strip && column);
        QTRY_VERIFY(strip->isVisible());
        QTest::qWait(50);  // the layout settles
        QVector<QRect> shown;
        for (QWidget *w : column->findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly))
            if (w->isVisible()) shown << QRect(w->mapTo(&e, QPoint(0, 0)), w->size());
        QVERIFY(shown.size() >= 3);  // at least the heading, the tile, the Manifold box
        for (int i = 0; i < shown.size(); ++i) {
            QVERIFY2(shown[i].bottom() < strip->geometry().top(), qPrintable(QStringLiteral("item %1 reaches into the strip").arg(i)));
            for (int j = i + 1; j < shown.size(); ++j)
                QVERIFY2(!shown[i].intersects(shown[j]), qPrintable(QStringLiteral("items %1 and %2 overlap").arg(i).arg(j)));
        }
        // The rows' names are no taller than the rows (presentation mode's text in a short strip ran them into
        // each other); the strip's title, when there is one, fits whole; its t labels, centred on their
        // columns, do not touch.
        QVERIFY(!strip->rowLabelRect(0).isEmpty());
        QVERIFY2(!strip->rowLabelRect(0).intersects(strip->rowLabelRect(1)), qPrintable(QStringLiteral("names %1 px high, rows %2 px apart")
                                                                                          .arg(strip->rowLabelRect(0).height())
                                                                                          .arg(strip->cellRect(1, 0).top() - strip->cellRect(0, 0).top())));
        QVERIFY(strip->cellRect(0, 0).width() >= 20);
        const QFontMetricsF title(ael::ui::titleFont(strip->textPixelSize()));
        QVERIFY2(title.horizontalAdvance(strip->shownTitle()) <= strip->width() - 20 && !strip->shownTitle().endsWith(QChar(0x2026)) &&
                     strip->titleShown() == !strip->shownTitle().isEmpty(),
                 qPrintable(strip->shownTitle()));
        const QFontMetricsF header(ael::ui::uiFont(strip->textPixelSize() * 0.8));
        const QStringList labels = strip->stepLabels();
        QCOMPARE(labels.size(), int(strip->codeLine().size()));
        QCOMPARE(labels.front(), QStringLiteral("t=0"));
        QCOMPARE(labels.back(), QStringLiteral("1"));
        double lastRight = -1e9;
        for (int c = 0; c < labels.size(); ++c) {
            if (labels[c].isEmpty()) continue;
            const double w = header.horizontalAdvance(labels[c]), centre = strip->cellRect(0, c).center().x();
            QVERIFY2(centre - w / 2 > lastRight, qPrintable(labels.join(QLatin1Char('|'))));
            lastRight = centre + w / 2;
        }
    }

    // "Prior quantiles" laid its grid over the points' range: the ±2σ cells took 40 % of the plot, 14 tiles of
    // 5–7 px each at 1280 × 720. The axes now show the grid's cells, fewer and larger tiles in a small plot,
    // and the points' range comes back with the box unticked.
    void priorGridFillsThePlot()
    {
        const auto m = model("784-32-[2]-32-784", true);
        LatentExplorer e;
        e.resize(560, 330);  // the presenting lower row's scatter at 1280 × 720
        e.show();
        QVERIFY(QTest::qWaitForWindowExposed(&e));
        Snapshot s = snapshotFor(m, testSet(300));
        for (QPointF &p : s.latent) p *= 6;  // codes spread past the prior's 2σ, as a trained VAE's are (±5)
        e.applySnapshot(s);
        const QRectF points = e.canvas()->targetRange();
        e.setPriorGrid(true);
        QTRY_VERIFY_WITH_TIMEOUT(e.manifold() != nullptr, 10000);
        e.finishManifold();
        const ManifoldGrid g = *e.manifold();  // a copy: the next render (10 Hz) replaces the explorer's
        QCOMPARE(e.canvas()->focusRange(), g.extent());
        // The axes on the grid (with the prior's circles, which it nearly spans), no longer on the points.
        const QRectF target = e.canvas()->targetRange();
        QVERIFY(target.contains(g.extent()) && target.width() <= 1.3 * g.extent().width() && target.width() < 0.7 * points.width());
        QTRY_COMPARE(e.canvas()->viewRange(), target);
        // Tiles of 20 px and more on average (the equal-probability cells are narrowest at the centre).
        const QRectF grid(e.canvas()->dataToWidget(g.extent().topLeft()), e.canvas()->dataToWidget(g.extent().bottomRight()));
        const double tile = std::min(std::abs(grid.width()), std::abs(grid.height())) / g.size();
        QVERIFY2(tile >= 20, qPrintable(QStringLiteral("%1 tiles of %2 px on average").arg(g.size()).arg(tile)));
        e.setPriorGrid(false);
        QVERIFY(!e.canvas()->focusRange().isValid());
        QCOMPARE(e.canvas()->targetRange(), points);
        // Ticked, then a model that is not variational: no prior grid, nor its zoom or faint points, left behind.
        e.setPriorGrid(true);
        QTRY_VERIFY_WITH_TIMEOUT(e.canvas()->focusRange().isValid(), 10000);
        e.finishManifold();
        e.applySnapshot(snapshotFor(model("784-32-[2]-32-784"), testSet(300)));
        QVERIFY(!e.manifoldOn());
        QVERIFY(!e.canvas()->focusRange().isValid());
        QVERIFY(e.canvas()->backdropRect().isNull());
    }

    // The caption under the decoder's tile took one line for "(0, 0)" and two for "(-0.678, -0.943)": the tile
    // and the check boxes below it moved as the cursor did, and a click aimed at "Prior quantiles" missed.
    void decoderColumnStaysPutAsTheCaptionChanges()
    {
        const auto m = model("784-32-[2]-32-784", true);
        LatentExplorer e;
        e.resize(560, 330);  // the lower row's scatter at 1280 × 720
        e.show();
        QVERIFY(QTest::qWaitForWindowExposed(&e));
        e.applySnapshot(snapshotFor(m, testSet(100)));
        QCheckBox *manifold = nullptr;
        for (QCheckBox *c : e.findChildren<QCheckBox *>())
            if (c->text() == QLatin1String("Manifold")) manifold = c;
        QVERIFY(manifold);
        const auto where = [&] {
            QApplication::processEvents();
            return manifold->mapTo(&e, QPoint(0, 0));
        };
        e.probeAt(QPointF(0, 0));
        const QPoint short_ = where();
        e.probeAt(QPointF(-0.678, -0.943));
        QCOMPARE(where(), short_);
        e.probeAt(QPointF(1, 2));
        QCOMPARE(where(), short_);
    }

    void priorSamplesFromTheNewestModel()
    {
        const auto m = model("784-32-[2]-32-784", true);
        LatentExplorer e;
        e.applySnapshot(snapshotFor(m, testSet(20)));
        const QVector<QImage> a = e.samplePrior(16, 7), b = e.samplePrior(16, 7), c = e.samplePrior(16, 8);
        QCOMPARE(a.size(), 16);
        QCOMPARE(maxDiff(a[0], b[0]), 0);
        QVERIFY(maxDiff(a[0], c[0]) > 0);
    }
};

QTEST_MAIN(TestExplorer)
#include "tst_ui_explorer.moc"
