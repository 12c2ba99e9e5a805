// The code-space helpers of ui/explore/: decoding a code (a click in the latent plot), encoding an
// image, interpolation and the pixel blend, prior samples, the manifold grid over a rectangle and
// over the prior's quantiles (with the inverse normal CDF), the filter tiles and the code histogram.
// Small real models (ael::Architecture + ael::Rng + Model::initialize); hand-computed cases.
#include "core/Rng.h"
#include "core/nn/Model.h"
#include "ui/explore/CodeHistogram.h"
#include "ui/explore/FilterTiles.h"
#include "ui/explore/LatentDecode.h"
#include "ui/explore/ManifoldGrid.h"
#include "ui/explore/NormalQuantile.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <numeric>
#include <vector>

using ael::Architecture;
using ael::Matrix;
using ael::Model;
using namespace ael::ui;

namespace {

std::unique_ptr<Model<float>> makeModel(const char *spec, uint64_t seed = 1, bool tied = false,
                                        bool variational = false,
                                        ael::ActivationKind code = ael::ActivationKind::Linear)
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    a.tied = tied;
    a.variational = variational;
    a.codeActivation = code;
    auto m = std::make_unique<Model<float>>(a);
    ael::Rng rng(seed);
    m->initialize(rng);
    // Random biases too, so a decode is not symmetric around 0.
    for (ael::Param<float> *p : m->params())
        if (p->name.rfind("decoder.", 0) == 0 && p->name.ends_with(".bias"))
            for (Eigen::Index r = 0; r < p->value.rows(); ++r) p->value(r, 0) = float(rng.normal() * 0.3);
    return m;
}

QImage decodeBatchColumn(const Model<float> &m, const std::vector<float> &code)
{
    const Matrix H = Eigen::Map<const Matrix>(code.data(), Eigen::Index(code.size()), 1);
    Matrix X;
    m.decode(H, X);
    return grayImage(X.data(), 28, 28);
}

/// The largest per-pixel difference of two Grayscale8 images (−1 if their sizes differ).
int maxDiff(const QImage &a, const QImage &b)
{
    if (a.size() != b.size() || a.format() != QImage::Format_Grayscale8 || b.format() != a.format()) return -1;
    int d = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) d = std::max(d, std::abs(a.constScanLine(y)[x] - b.constScanLine(y)[x]));
    return d;
}

std::vector<float> digitLike(uint64_t seed)
{
    ael::Rng rng(seed);
    std::vector<float> x(784);
    for (float &v : x) v = rng.uniformf();
    return x;
}

}  // namespace

class TestExplore : public QObject {
    Q_OBJECT
private slots:
    void normalQuantile_data();
    void normalQuantile();
    void normalQuantileSymmetryAndRoundTrip();
    void decodeAtEqualsModelDecode();
    void encodeImageIsTheCodeOrMu();
    void interpolationEndpoints();
    void pixelBlend();
    void samplePriorSeeds();
    void manifoldGridOrderAndExtent();
    void manifoldGridOverPrior();
    void manifoldGridRejectsBadInput();
    void manifoldGridTiming();
    void divergingColor_data();
    void divergingColor();
    void filterTilesEqualWeightRows();
    void decoderTilesEqualLastLayerColumns();
    void tiedDecoderTilesAreEncoderRows();
    void histogram_data();
    void histogram();
    void histogramCountsSumOverRealCodes();
    void unitMeans();
};

void TestExplore::normalQuantile_data()
{
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("z");
    // Reference values: scipy.stats.norm.ppf (also in any table of the normal distribution).
    QTest::newRow("0.975") << 0.975 << 1.959963984540054;
    QTest::newRow("0.5") << 0.5 << 0.0;
    QTest::newRow("0.025") << 0.025 << -1.959963984540054;
    QTest::newRow("Phi(1)") << 0.8413447460685429 << 1.0;
    QTest::newRow("0.999 (upper tail)") << 0.999 << 3.090232306167813;
    QTest::newRow("0.001 (lower tail)") << 0.001 << -3.090232306167813;
    QTest::newRow("1e-10") << 1e-10 << -6.361340902404056;
    QTest::newRow("0.9 (central)") << 0.9 << 1.2815515655446004;
    QTest::newRow("1/40 = (0 + .5)/20") << 0.025 << -1.959963984540054;
}

void TestExplore::normalQuantile()
{
    QFETCH(double, p);
    QFETCH(double, z);
    const double got = ael::ui::normalQuantile(p);
    QVERIFY2(std::abs(got - z) <= 1e-12 * std::max(1.0, std::abs(z)),
             qPrintable(QString("Phi^-1(%1) = %2, want %3").arg(p, 0, 'g', 17).arg(got, 0, 'g', 17).arg(z, 0, 'g', 17)));
}

void TestExplore::normalQuantileSymmetryAndRoundTrip()
{
    for (double p = 0.0005; p < 1; p += 0.0371) {
        QVERIFY(std::abs(ael::ui::normalQuantile(p) + ael::ui::normalQuantile(1 - p)) < 1e-12);
        QVERIFY(std::abs(normalCdf(ael::ui::normalQuantile(p)) - p) < 1e-14);
    }
    QCOMPARE(ael::ui::normalQuantile(0.0), -std::numeric_limits<double>::infinity());
    QCOMPARE(ael::ui::normalQuantile(1.0), std::numeric_limits<double>::infinity());
    QVERIFY(std::isnan(ael::ui::normalQuantile(std::nan(""))));
}

void TestExplore::decodeAtEqualsModelDecode()
{
    const auto m = makeModel("784-64-[2]-64-784", 3);
    const std::vector<float> z{0.3f, -1.2f};
    Matrix H(2, 1), X;
    H << 0.3f, -1.2f;
    m->decode(H, X);
    const std::vector<float> got = decodeCode(*m, z);
    QCOMPARE(int(got.size()), 784);
    QVERIFY(std::memcmp(got.data(), X.data(), sizeof(float) * 784) == 0);  // bit for bit
    const QImage img = decodeAt(*m, z, 28, 28);
    QCOMPARE(img, grayImage(X.data(), 28, 28));
    QCOMPARE(img.format(), QImage::Format_Grayscale8);
    // Pixel (x, y) is round(255 · clamp(x̂[y·28 + x], 0, 1)).
    QCOMPARE(int(img.pixelColor(5, 7).red()), int(std::lround(std::clamp(X(7 * 28 + 5, 0), 0.f, 1.f) * 255)));
    QVERIFY(decodeAt(*m, {1.f, 2.f, 3.f}, 28, 28).isNull());  // wrong code size
    QVERIFY(decodeAt(*m, z, 27, 28).isNull());                // wrong image shape
}

void TestExplore::encodeImageIsTheCodeOrMu()
{
    const std::vector<float> x = digitLike(9);
    const Matrix X = Eigen::Map<const Matrix>(x.data(), 784, 1);
    for (bool variational : {false, true}) {
        const auto m = makeModel("784-32-[3]-32-784", 4, false, variational);
        Matrix H;
        m->encode(X, H);
        const std::vector<float> h = encodeImage(*m, x.data(), 784);
        QCOMPARE(int(h.size()), 3);
        for (int i = 0; i < 3; ++i) QCOMPARE(h[size_t(i)], H(i, 0));
        if (variational) {  // μ: the top k rows of the last encoder layer's output
            ael::ForwardPass<float> pass;
            m->forward(X, pass);  // no sampler: h = μ
            for (int i = 0; i < 3; ++i) QCOMPARE(h[size_t(i)], pass.mu(i, 0));
        }
        QVERIFY(encodeImage(*m, x.data(), 100).empty());
    }
}

void TestExplore::interpolationEndpoints()
{
    const auto m = makeModel("784-64-[2]-64-784", 5);
    const std::vector<float> a{-1.5f, 0.25f}, b{2.0f, -0.75f};
    const std::vector<QImage> strip = interpolate(*m, a, b, 9, 28, 28);
    QCOMPARE(int(strip.size()), 9);
    // The ends are g(a) and g(b). The strip is one 2 × 9 batch and decodeAt a 2 × 1 product, which
    // Eigen may sum in another order: allow one grey level where a value sits on a rounding edge.
    QVERIFY(maxDiff(strip.front(), decodeAt(*m, a, 28, 28)) <= 1);
    QVERIFY(maxDiff(strip.back(), decodeAt(*m, b, 28, 28)) <= 1);
    qInfo("endpoint max grey-level differences vs one-code decodes: %d, %d",
          maxDiff(strip.front(), decodeAt(*m, a, 28, 28)), maxDiff(strip.back(), decodeAt(*m, b, 28, 28)));
    // The middle image decodes the midpoint.
    QVERIFY(maxDiff(strip[4], decodeAt(*m, {0.25f, -0.25f}, 28, 28)) <= 1);
    QVERIFY(interpolate(*m, a, b, 1, 28, 28).empty());
    QVERIFY(interpolate(*m, a, {1.f}, 5, 28, 28).empty());
}

void TestExplore::pixelBlend()
{
    const std::vector<float> xa(4, 0.0f), xb{1.0f, 0.5f, 0.2f, 1.0f};
    const std::vector<QImage> s = ael::ui::pixelBlend(xa.data(), xb.data(), 2, 2, 3);
    QCOMPARE(int(s.size()), 3);
    QCOMPARE(s[0], grayImage(xa.data(), 2, 2));
    QCOMPARE(s[2], grayImage(xb.data(), 2, 2));
    // t = ½: (0 + 1)/2 · 255 = 127.5 → 128; 0.25 · 255 = 63.75 → 64; 0.1 · 255 = 25.5 → 26
    QCOMPARE(int(s[1].constScanLine(0)[0]), 128);
    QCOMPARE(int(s[1].constScanLine(0)[1]), 64);
    QCOMPARE(int(s[1].constScanLine(1)[0]), 26);
}

void TestExplore::samplePriorSeeds()
{
    const auto m = makeModel("784-64-[2]-64-784", 6);
    const std::vector<QImage> a = samplePrior(*m, 8, 42, 28, 28), b = samplePrior(*m, 8, 42, 28, 28),
                              c = samplePrior(*m, 8, 43, 28, 28);
    QCOMPARE(int(a.size()), 8);
    for (int i = 0; i < 8; ++i) QCOMPARE(a[size_t(i)], b[size_t(i)]);  // one seed, the same images
    int differ = 0;
    for (int i = 0; i < 8; ++i) differ += a[size_t(i)] != c[size_t(i)];
    QCOMPARE(differ, 8);  // another seed, other codes
    // Sample j decodes column j of the codes drawn from Rng(seed): h_ij = normal() in column order.
    ael::Rng rng(42);
    std::vector<float> h0{float(rng.normal()), float(rng.normal())};
    QVERIFY(maxDiff(a[0], decodeAt(*m, h0, 28, 28)) <= 1);
}

void TestExplore::manifoldGridOrderAndExtent()
{
    const auto m = makeModel("784-48-[3]-48-784", 7);
    const QRectF rect(QPointF(-2, -1), QPointF(3, 4));  // x in [−2, 3], y in [−1, 4]
    const std::vector<float> base{0.5f, -0.25f, 0.75f};
    const int g = 12;
    const ManifoldGrid grid = ManifoldGrid::overRect(*m, rect, g, base, /*dimX*/ 2, /*dimY*/ 0);
    QVERIFY(!grid.isEmpty());
    QCOMPARE(grid.size(), g);
    QCOMPARE(int(grid.tiles().size()), g * g);
    QCOMPARE(grid.tileCenter(0, 0), QPointF(-2, 4));        // top-left = (minX, maxY)
    QCOMPARE(grid.tileCenter(0, g - 1), QPointF(3, 4));     // top-right
    QCOMPARE(grid.tileCenter(g - 1, 0), QPointF(-2, -1));   // bottom-left
    QCOMPARE(grid.tileCenter(g - 1, g - 1), QPointF(3, -1));
    for (int i = 0; i < g; ++i)
        for (int j = 0; j < g; ++j) {
            const QPointF c = grid.tileCenter(i, j);
            QVERIFY(std::abs(c.x() - (-2 + j * 5.0 / (g - 1))) < 1e-12);
            QVERIFY(std::abs(c.y() - (4 - i * 5.0 / (g - 1))) < 1e-12);
            const std::vector<float> h = grid.tileCode(i, j);
            QCOMPARE(h[1], -0.25f);  // the other dimension stays at the base code
            QCOMPARE(h[2], float(c.x()));
            QCOMPARE(h[0], float(c.y()));
            QCOMPARE(grid.tile(i, j), grid.tiles()[i * g + j]);  // row-major
            QVERIFY(grid.tileRect(i, j).contains(c));
        }
    // Each tile is the decoding of its code (one batch vs one column: ≤ 1 grey level, see interpolation).
    for (auto [i, j] : {std::pair{0, 0}, std::pair{3, 7}, std::pair{g - 1, g - 1}})
        QVERIFY(maxDiff(grid.tile(i, j), decodeBatchColumn(*m, grid.tileCode(i, j))) <= 1);
    // The drawn extent is the rectangle widened by half a step on each side.
    const double hx = 5.0 / (g - 1) / 2;
    const QRectF e = grid.extent();
    QVERIFY(std::abs(e.left() - (-2 - hx)) < 1e-12 && std::abs(e.right() - (3 + hx)) < 1e-12);
    QVERIFY(std::abs(e.top() - (-1 - hx)) < 1e-12 && std::abs(e.bottom() - (4 + hx)) < 1e-12);
    // The mosaic puts tile (i, j) at (j·(28 + gap), i·(28 + gap)).
    const QImage mos = grid.mosaic(2);
    QCOMPARE(mos.size(), QSize(g * 28 + (g - 1) * 2, g * 28 + (g - 1) * 2));
    QCOMPARE(mos.copy(3 * 30, 5 * 30, 28, 28), grid.tile(5, 3));
    QCOMPARE(grid.mosaic(0).copy(0, 0, 28, 28), grid.tile(0, 0));
}

void TestExplore::manifoldGridOverPrior()
{
    const auto m = makeModel("784-32-[2]-32-784", 8, false, true);
    const int g = 20;
    const ManifoldGrid grid = ManifoldGrid::overPrior(*m, g, {});
    QCOMPARE(int(grid.tiles().size()), g * g);
    for (int i = 0; i < g; ++i)
        for (int j = 0; j < g; ++j) {
            const QPointF c = grid.tileCenter(i, j);
            QCOMPARE(c.x(), ael::ui::normalQuantile((j + 0.5) / g));
            QCOMPARE(c.y(), ael::ui::normalQuantile(1 - (i + 0.5) / g));
        }
    // Tile (0, 0): z = (Φ⁻¹(1/40), Φ⁻¹(39/40)) = (−1.95996…, +1.95996…), the top-left.
    QVERIFY(std::abs(grid.tileCenter(0, 0).x() + 1.959963984540054) < 1e-12);
    QVERIFY(std::abs(grid.tileCenter(0, 0).y() - 1.959963984540054) < 1e-12);
    QVERIFY(std::abs(grid.tileCenter(g - 1, g - 1).x() - 1.959963984540054) < 1e-12);
    // Cells are the quantile intervals: the middle edge is at 0.
    QVERIFY(std::abs(grid.tileRect(0, g / 2).left()) < 1e-12);
}

void TestExplore::manifoldGridRejectsBadInput()
{
    const auto m = makeModel("784-16-[2]-16-784", 9);
    QVERIFY(ManifoldGrid::overRect(*m, QRectF(0, 0, 1, 1), 12, {}, 0, 0).isEmpty());   // dimX = dimY
    QVERIFY(ManifoldGrid::overRect(*m, QRectF(0, 0, 1, 1), 12, {}, 0, 2).isEmpty());   // no dimension 2
    QVERIFY(ManifoldGrid::overRect(*m, QRectF(0, 0, 1, 1), 12, {1.f}, 0, 1).isEmpty());  // base of size 1
    QVERIFY(ManifoldGrid::overRect(*m, QRectF(0, 0, 1, 1), 12, {}, 0, 1, 20, 20).isEmpty());
    QVERIFY(ManifoldGrid::overRect(*m, QRectF(0, 0, std::nan(""), 1), 12, {}, 0, 1).isEmpty());
    const float odd[3] = {std::nanf(""), -0.5f, 2.0f};  // NaN and out-of-range pixels: 0, 0, 255
    const QImage img = grayImage(odd, 1, 3);
    QCOMPARE(int(img.constScanLine(0)[0]), 0);
    QCOMPARE(int(img.constScanLine(0)[1]), 0);
    QCOMPARE(int(img.constScanLine(0)[2]), 255);
    const ManifoldGrid one = ManifoldGrid::overRect(*m, QRectF(0, 0, 2, 4), 1, {}, 0, 1);
    QCOMPARE(one.tileCenter(0, 0), QPointF(1, 2));  // g = 1: the rectangle's center
}

void TestExplore::manifoldGridTiming()
{
    // The lecture's model, g = 20: 400 codes decoded as one batch.
    const auto m = makeModel("784-256-[2]-256-784", 10);
    std::vector<double> ms;
    for (int r = 0; r < 7; ++r)
        ms.push_back(ManifoldGrid::overRect(*m, QRectF(-3, -3, 6, 6), 20, {}).renderMs());
    std::sort(ms.begin(), ms.end());
    // The decode alone (the 2 × 400 → 256 → 784 products), best of 7: the rest is the 400 images.
    // Measured: ~1.3 ms when malloc reuses its memory, 30–40 ms when the 1.3 MB output and 0.4 MB hidden
    // buffers are fresh mmap()s (page faults are slow on a virtual machine); glibc's adaptive mmap
    // threshold usually reaches the reuse regime after the first few calls.
    const Matrix H = Matrix::Random(2, 400);
    Matrix X;
    double best = 1e9;
    for (int r = 0; r < 7; ++r) {
        QElapsedTimer c;
        c.start();
        m->decode(H, X);
        best = std::min(best, double(c.nsecsElapsed()) / 1e6);
    }
    qInfo("decode alone, g = 20: best of 7 %.2f ms (timings vary with the machine's load)", best);
    QElapsedTimer t;
    t.start();
    const QImage mosaic = ManifoldGrid::overPrior(*m, 20, {}).mosaic(1);
    qInfo("manifold grid g = 20, 784-256-[2]-256-784: decode + images median %.2f ms (min %.2f, max %.2f); "
          "with the mosaic %.2f ms",
          ms[ms.size() / 2], ms.front(), ms.back(), double(t.nsecsElapsed()) / 1e6);
    QVERIFY(!mosaic.isNull());
}

void TestExplore::divergingColor_data()
{
    QTest::addColumn<float>("w");
    QTest::addColumn<float>("scale");
    QTest::addColumn<uint>("rgb");
    QTest::newRow("0: centre") << 0.0f << 2.0f << uint(0xfff7f7f7);
    QTest::newRow("+scale: red") << 2.0f << 2.0f << uint(0xffb2182b);
    QTest::newRow("-scale: blue") << -2.0f << 2.0f << uint(0xff2166ac);
    QTest::newRow("beyond: clamped") << 5.0f << 2.0f << uint(0xffb2182b);
    QTest::newRow("+scale/2") << 1.0f << 2.0f << uint(0xfff4a582);
    QTest::newRow("-scale/2") << -1.0f << 2.0f << uint(0xff92c5de);
    // t = ¼: half-way from #f7f7f7 to #f4a582: (247+244)/2 = 245.5 → 246, (247+165)/2 = 206, (247+130)/2 = 188.5 → 189
    QTest::newRow("+scale/4") << 0.5f << 2.0f << uint(qRgb(246, 206, 189));
    QTest::newRow("scale 0") << 1.0f << 0.0f << uint(0xfff7f7f7);
    QTest::newRow("NaN") << std::nanf("") << 1.0f << uint(0xfff7f7f7);
}

void TestExplore::divergingColor()
{
    QFETCH(float, w);
    QFETCH(float, scale);
    QFETCH(uint, rgb);
    QCOMPARE(uint(ael::ui::divergingColor(w, scale)), rgb);
}

void TestExplore::filterTilesEqualWeightRows()
{
    const auto m = makeModel("784-100-[2]-100-784", 11);
    const Matrix &W = m->encoder(0).weight().value;  // 100 × 784
    for (bool shared : {false, true}) {
        const FilterSet f = encoderFilters(*m, 28, 28, 64, shared);
        QCOMPARE(int(f.tiles.size()), 64);  // at most maxCount of the 100 units
        QCOMPARE(f.units, 100);
        float common = 0;
        for (int u = 0; u < 64; ++u) common = std::max(common, W.row(u).cwiseAbs().maxCoeff());
        for (int u = 0; u < 64; ++u) {
            const float scale = shared ? common : W.row(u).cwiseAbs().maxCoeff();
            QCOMPARE(f.scales[u], scale);
            const QImage &t = f.tiles[u];
            QCOMPARE(t.size(), QSize(28, 28));
            for (int y = 0; y < 28; ++y)
                for (int x = 0; x < 28; ++x)
                    if (t.pixel(x, y) != ael::ui::divergingColor(W(u, y * 28 + x), scale))
                        QFAIL(qPrintable(QString("unit %1 pixel (%2, %3)").arg(u).arg(x).arg(y)));
        }
    }
}

void TestExplore::decoderTilesEqualLastLayerColumns()
{
    const auto m = makeModel("784-40-[2]-40-784", 12);
    const Matrix &W = m->denseDecoder(m->decoderDepth() - 1)->weight().value;  // 784 × 40
    const FilterSet f = decoderFilters(*m, 28, 28, 64, false);
    QCOMPARE(int(f.tiles.size()), 40);
    for (int u = 0; u < 40; ++u)
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x)
                if (f.tiles[u].pixel(x, y) != ael::ui::divergingColor(W(y * 28 + x, u), W.col(u).cwiseAbs().maxCoeff()))
                    QFAIL(qPrintable(QString("unit %1 pixel (%2, %3)").arg(u).arg(x).arg(y)));
    QVERIFY(f.title.contains("last"));
    // Named by its place in the network, as the encoder's W₁ is: the fourth matrix of 784-40-[2]-40-784.
    QCOMPARE(f.shortTitle, QStringLiteral("Decoder: columns of W\u2084"));
    QCOMPARE(f.title, QStringLiteral("Decoder's last layer: columns of W\u2084 (40 \u2192 784)"));  // not "Decoder layer 2 … W₄"
    const FilterSet deep = decoderFilters(*makeModel("784-64-32-[8]-32-64-784", 12), 28, 28, 64, false);
    QCOMPARE(deep.shortTitle, QStringLiteral("Decoder: columns of W\u2086"));
}

void TestExplore::tiedDecoderTilesAreEncoderRows()
{
    const auto m = makeModel("784-[16]-784", 13, /*tied*/ true);
    const FilterSet enc = encoderFilters(*m, 28, 28, 64, false), dec = decoderFilters(*m, 28, 28, 64, false);
    QCOMPARE(int(dec.tiles.size()), 16);
    for (int u = 0; u < 16; ++u) QCOMPARE(dec.tiles[u], enc.tiles[u]);
    QVERIFY(dec.title.contains("tied"));
}

void TestExplore::histogram_data()
{
    QTest::addColumn<std::vector<float>>("codes");
    QTest::addColumn<int>("bins");
    QTest::addColumn<double>("threshold");
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<std::vector<int>>("counts");
    QTest::addColumn<double>("mean");
    QTest::addColumn<double>("active");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // [0, 1] in 4 bins: 0 → 0, .25 → 1, .5 → 2, .75 → 3, 1 → ⌊4⌋ = 4 → the last bin
    QTest::newRow("data range") << std::vector<float>{0, 0.25f, 0.5f, 0.75f, 1} << 4 << 0.1 << 0.0 << 0.0
                                << std::vector<int>{1, 1, 1, 2} << 0.5 << 0.8;
    // fixed [0, 1] in 2 bins: −1 → bin 0, .5 → ⌊1⌋ = 1, 2 → the last bin; mean (−1 + .5 + 2)/3 = .5
    QTest::newRow("fixed range clamps") << std::vector<float>{-1, 0.5f, 2} << 2 << 0.1 << 0.0 << 1.0
                                        << std::vector<int>{1, 2} << 0.5 << 1.0;
    QTest::newRow("one value: [v − ½, v + ½]") << std::vector<float>{3, 3, 3} << 2 << 0.1 << 0.0 << 0.0
                                               << std::vector<int>{0, 3} << 3.0 << 1.0;
    // |h| > t is strict: .5 is not active at t = .5
    QTest::newRow("strict threshold") << std::vector<float>{0.5f, -0.75f, 0.25f} << 1 << 0.5 << 0.0 << 0.0
                                      << std::vector<int>{3} << 0.0 << 1.0 / 3;
    QTest::newRow("NaN left out") << std::vector<float>{float(nan), 1, -1} << 2 << 0.1 << 0.0 << 0.0
                                  << std::vector<int>{1, 1} << 0.0 << 1.0;
    QTest::newRow("empty") << std::vector<float>{} << 3 << 0.1 << 0.0 << 0.0 << std::vector<int>{0, 0, 0} << 0.0
                           << 0.0;
}

void TestExplore::histogram()
{
    QFETCH(std::vector<float>, codes);
    QFETCH(int, bins);
    QFETCH(double, threshold);
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(std::vector<int>, counts);
    QFETCH(double, mean);
    QFETCH(double, active);
    const Histogram h = codeHistogram(codes.data(), codes.size(), bins, threshold, lo, hi);
    QCOMPARE(h.counts, counts);
    QCOMPARE(std::accumulate(h.counts.begin(), h.counts.end(), size_t(0)), h.finite);
    QCOMPARE(h.finite + h.nonFinite, codes.size());
    QVERIFY(std::abs(h.mean - mean) < 1e-12);
    QVERIFY(std::abs(h.activeFraction - active) < 1e-12);
    QVERIFY(std::isfinite(h.lo) && std::isfinite(h.hi) && h.lo < h.hi && std::isfinite(h.meanAbs));
}

void TestExplore::histogramCountsSumOverRealCodes()
{
    const auto m = makeModel("784-[32]-784", 14, false, false, ael::ActivationKind::Sigmoid);
    const int n = 200;
    Matrix X(784, n), H;
    ael::Rng rng(15);
    for (Eigen::Index i = 0; i < X.size(); ++i) X.data()[i] = rng.uniformf();
    m->encode(X, H);
    QCOMPARE(int(H.rows()), 32);
    const Histogram h = codeHistogram(H.data(), size_t(H.size()), 40, 0.1, 0, 1);
    QCOMPARE(std::accumulate(h.counts.begin(), h.counts.end(), 0), 32 * n);  // every (unit, sample) pair once
    QCOMPARE(h.activeFraction, double((H.array().abs() > 0.1f).count()) / (32.0 * n));
    QVERIFY(std::abs(h.mean - double(H.cast<double>().mean())) < 1e-9);
}

void TestExplore::unitMeans()
{
    // k = 2, n = 3, column-major: samples (1, 2), (3, 4), (5, 6) → ρ̂ = (3, 4)
    const std::vector<float> codes{1, 2, 3, 4, 5, 6};
    QCOMPARE(ael::ui::unitMeans(codes.data(), 2, 3), (std::vector<double>{3.0, 4.0}));
    QCOMPARE(ael::ui::unitMeans(nullptr, 2, 0), (std::vector<double>{0.0, 0.0}));
}

QTEST_MAIN(TestExplore)
#include "tst_ui_explore.moc"
