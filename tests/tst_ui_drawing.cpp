// "Draw a digit": the MNIST recipe (ui/explore/DigitRecipe) on known strokes and a synthetic photo,
// the drawing pad driven by QTest mouse and key events, DrawingAnalysis against the engine's own
// forward pass and PCA, the nearest neighbours, and the panel's latency while a model trains in a
// background thread (logged, not asserted). Saves a PNG of the panel with a drawn 3 to
// $AELAB_SCREENSHOT_DIR when that is set.
#include "core/data/Dataset.h"
#if __has_include("core/data/Embedded.h")
#include "core/data/Embedded.h"
#define AELAB_HAVE_EMBEDDED 1
#endif
#include "core/nn/Model.h"
#include "core/train/Trainer.h"
#include "ui/DataBundle.h"
#include "ui/explore/DigitRecipe.h"
#include "ui/explore/DigitTiles.h"
#include "ui/explore/DrawPanel.h"
#include "ui/explore/DrawingAnalysis.h"
#include "ui/explore/DrawingPad.h"

#include <QDir>
#include <QMimeData>
#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QPainter>
#include <QPainterPath>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <mutex>
#include <numbers>
#include <thread>

namespace {

using Clock = std::chrono::steady_clock;

QImage blackPad(int side = 280)
{
    QImage img(side, side, QImage::Format_RGB32);
    img.fill(Qt::black);
    return img;
}

QImage withLines(QImage img, const QList<QLineF> &lines, double width)
{
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(Qt::white, width, Qt::SolidLine, Qt::RoundCap));
    for (const QLineF &l : lines) {
        if (l.length() > 0) {
            p.drawLine(l);
        } else {  // a dot: a zero-length line draws nothing
            p.setPen(Qt::NoPen);
            p.setBrush(Qt::white);
            p.drawEllipse(l.p1(), width / 2, width / 2);
        }
    }
    return img;
}

/// A phone photo of a 7: dark ink on light grey paper lit from one side (a gradient), with noise.
QImage photoOfSeven()
{
    QImage img(400, 300, QImage::Format_RGB32);
    ael::Rng rng(11);
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) {
            const int g = int(130 + 80.0 * x / img.width() + 20.0 * y / img.height() + 12 * (rng.uniform() - 0.5));
            img.setPixel(x, y, qRgb(g, g, g - 8));
        }
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(35, 35, 45), 16, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.drawPolyline(QPolygonF({QPointF(150, 70), QPointF(270, 70), QPointF(200, 240)}));
    return img;
}

double percentileOf(std::vector<double> v, double q)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5))];
}

/// A stroke through pad coordinates (0..1) with QTest mouse events.
void drawStroke(DrawingPad *pad, const QList<QPointF> &pts, Qt::MouseButton button = Qt::LeftButton)
{
    const QRectF c = pad->canvasRect();
    auto at = [&](QPointF p) { return QPoint(int(c.left() + p.x() * c.width()), int(c.top() + p.y() * c.height())); };
    QTest::mousePress(pad, button, {}, at(pts.front()));
    for (qsizetype i = 1; i < pts.size(); ++i) QTest::mouseMove(pad, at(pts[i]));
    QTest::mouseRelease(pad, button, {}, at(pts.back()));
}

QList<QPointF> arc(QPointF c, double r, double fromDeg, double toDeg, int n = 24)
{
    QList<QPointF> out;
    for (int i = 0; i <= n; ++i) {
        const double t = (fromDeg + (toDeg - fromDeg) * i / n) * std::numbers::pi / 180;
        out << c + r * QPointF(std::cos(t), std::sin(t));
    }
    return out;
}

void drawThree(DrawingPad *pad)
{
    drawStroke(pad, arc({0.5, 0.33}, 0.17, -160, 90) + arc({0.5, 0.67}, 0.19, -90, 160));
}

std::shared_ptr<const ael::Dataset> trainSet()
{
    static std::shared_ptr<const ael::Dataset> s;
    if (!s) {
        auto d = std::make_shared<ael::Dataset>();
#ifdef AELAB_HAVE_EMBEDDED
        *d = ael::embeddedMnist();
#endif
        if (d->empty()) {  // fallback: discs of 10 sizes
            d->rows = d->cols = 28;
            for (int c = 0; c < 10; ++c) d->classNames.push_back(std::to_string(c));
            for (int i = 0; i < 2000; ++i) {
                d->labels.push_back(uint8_t(i % 10));
                for (int y = 0; y < 28; ++y)
                    for (int x = 0; x < 28; ++x)
                        d->pixels.push_back(uint8_t(std::hypot(x - 13.5, y - 13.5) < 3 + i % 10 ? 255 : 0));
            }
        }
        // Every 5th image is a test image in the app; here the other 4 of 5 (8,000 images).
        std::vector<int> idx;
        for (int i = 0; i < d->size(); ++i)
            if (i % 5) idx.push_back(i);
        s = std::make_shared<ael::Dataset>(d->subset(idx, "train"));
    }
    return s;
}

std::shared_ptr<const PcaSummary> pcaOf(const ael::Dataset &train)
{
    auto s = std::make_shared<PcaSummary>();
    std::vector<int> idx;
    for (int i = 0; i < train.size(); i += 4) idx.push_back(i);
    s->pca.fit(train.subset(idx, "fit"));
    s->fitSamples = int(idx.size());
    return s;
}

std::shared_ptr<const ael::Model<float>> randomModel(const char *spec, bool variational = false)
{
    ael::Architecture a;
    std::string err;
    if (!ael::Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    a.variational = variational;
    auto m = std::make_shared<ael::Model<float>>(a);
    ael::Rng rng(3);
    m->initialize(rng);
    return m;
}

ael::Matrix column(const DigitInput &x)
{
    return Eigen::Map<const ael::Matrix>(x.pixels.data(), Eigen::Index(x.pixels.size()), 1);
}

float maxAbsDiff(const std::vector<float> &a, const ael::Matrix &b)
{
    if (a.size() != size_t(b.size())) return INFINITY;
    float m = 0;
    for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b.data()[i]));
    return m;
}

}  // namespace

class TestDrawing : public QObject {
    Q_OBJECT
private slots:
    void recipe_data();
    void recipe();
    void emptyNeverNaN();
    void photoIsLevelled();
    void padStrokesUndoClear();
    void padEraser();
    void touchAndTablet();
    void openAndDropImage();
    void analysisEqualsEngine_data();
    void analysisEqualsEngine();
    void corruptFirst();
    void nearestIsItself();
    void sizeMismatchIsExplained();
    void timings();
    void latencyWhileTrainingAndScreenshot();
};

void TestDrawing::recipe_data()
{
    QTest::addColumn<QImage>("ink");
    QTest::addColumn<bool>("photo");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<bool>("expectEmpty");
    QTest::addColumn<bool>("tall");  // the ink is taller than wide: its height must fill the box

    const QImage offCentre = withLines(blackPad(), {QLineF(20, 30, 120, 70)}, 12);
    const QImage dot = withLines(blackPad(), {QLineF(250, 40, 250, 40)}, 8);
    const QImage border = withLines(blackPad(), {QLineF(0, 0, 0, 279), QLineF(0, 279, 150, 279)}, 10);
    const QImage one = withLines(blackPad(), {QLineF(140, 20, 148, 260)}, 14);
    QTest::newRow("off-centre line") << offCentre << false << 28 << 28 << false << false;
    QTest::newRow("small dot") << dot << false << 28 << 28 << false << false;
    QTest::newRow("empty pad") << blackPad() << false << 28 << 28 << true << false;
    QTest::newRow("stroke touching the border") << border << false << 28 << 28 << false << false;
    QTest::newRow("tall thin 1") << one << false << 28 << 28 << false << true;
    QTest::newRow("photo: dark ink, grey paper, gradient") << photoOfSeven() << true << 28 << 28 << false << true;
    QTest::newRow("1 at 16x16 (other image size)") << one << false << 16 << 16 << false << true;
    QTest::newRow("off-centre at 40x32") << offCentre << false << 40 << 32 << false << false;
    QTest::newRow("non-square pad") << withLines(QImage(QSize(500, 200), QImage::Format_RGB32), {}, 1) << false << 28 << 28
                                    << true << false;
}

void TestDrawing::recipe()
{
    QFETCH(QImage, ink);
    QFETCH(bool, photo);
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(bool, expectEmpty);
    QFETCH(bool, tall);
    if (ink.size() == QSize(500, 200)) ink.fill(Qt::black);
    const DigitInput d = photo ? digitFromPhoto(ink, rows, cols) : digitFromInk(ink, rows, cols);
    QCOMPARE(d.rows, rows);
    QCOMPARE(d.cols, cols);
    QCOMPARE(d.pixels.size(), size_t(rows * cols));
    QCOMPARE(d.empty, expectEmpty);
    for (float v : d.pixels) {
        QVERIFY(std::isfinite(v));
        QVERIFY(v >= 0 && v <= 1);
        QCOMPARE(std::round(v * 255) / 255, v);  // k/255, like the 8-bit data
    }
    const DigitMoments m = digitMoments(d.pixels.data(), rows, cols);
    if (expectEmpty) {
        QCOMPARE(m.mass, 0.0);
        return;
    }
    // The ink fits the 20×20 box (20/28 of the size), the centre of mass is on the centre.
    const int bw = int(std::lround(cols * 20.0 / 28)), bh = int(std::lround(rows * 20.0 / 28));
    const int w = m.right - m.left + 1, h = m.bottom - m.top + 1;
    qInfo("%s: ink %d×%d of %d×%d, CoM (%.3f, %.3f), centre (%.1f, %.1f)", QTest::currentDataTag(), w, h, bw, bh,
          m.cx, m.cy, (cols - 1) / 2.0, (rows - 1) / 2.0);
    QVERIFY(w <= bw && h <= bh);
    QVERIFY2(std::max(double(w) / bw, double(h) / bh) >= 0.9, "the ink is scaled up to the box");
    if (tall) QVERIFY2(h >= bh - 1 && w < h, "a tall digit fills the box's height");
    // MNIST's integer shift reaches the centre within half a pixel (exactly 0.5 when the ink's CoM sits
    // on a pixel centre and the image has an even size); 1e-6 is round-off of the float sums.
    QVERIFY(std::abs(m.cx - (cols - 1) / 2.0) <= 0.5 + 1e-6);
    QVERIFY(std::abs(m.cy - (rows - 1) / 2.0) <= 0.5 + 1e-6);
    // Anti-aliased: a soft stroke gives intermediate grey levels (nearest-neighbour would give few).
    int grey = 0;
    for (float v : d.pixels) grey += v > 0.05f && v < 0.95f;
    QVERIFY(grey > 0);
}

void TestDrawing::emptyNeverNaN()
{
    for (const QImage &img : {QImage(), blackPad(1), blackPad(300)}) {
        const DigitInput d = digitFromInk(img);
        QVERIFY(d.empty);
        QCOMPARE(d.pixels.size(), size_t(784));
        for (float v : d.pixels) QCOMPARE(v, 0.0f);
        const QImage shown = digitImage(d);
        QCOMPARE(shown.size(), QSize(28, 28));
    }
    // Blank paper (a photo with no ink) is empty too.
    QImage paper(300, 200, QImage::Format_RGB32);
    paper.fill(QColor(200, 200, 190));
    QVERIFY(digitFromPhoto(paper).empty);
    QVERIFY(digitFromPhoto(QImage()).empty);
}

void TestDrawing::photoIsLevelled()
{
    const QImage photo = photoOfSeven();
    const QImage ink = inkFromPhoto(photo);
    QCOMPARE(ink.size(), photo.size());
    // Paper (its gradient included) becomes 0 everywhere, the ink bright.
    int inked = 0;
    for (int y = 0; y < ink.height(); ++y)
        for (int x = 0; x < ink.width(); ++x) inked += qGray(ink.pixel(x, y)) > 0;
    qInfo("inked fraction %.3f", double(inked) / (ink.width() * ink.height()));
    QVERIFY(double(inked) / (ink.width() * ink.height()) < 0.15);
    QCOMPARE(qGray(ink.pixel(5, 5)), 0);
    QCOMPARE(qGray(ink.pixel(395, 295)), 0);
    QVERIFY(qGray(ink.pixel(210, 70)) > 200);  // on the 7's bar
    // The same digit as white ink drawn on black gives nearly the same input.
    QImage drawn(400, 300, QImage::Format_RGB32);
    drawn.fill(Qt::black);
    {
        QPainter p(&drawn);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(Qt::white, 16, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPolyline(QPolygonF({QPointF(150, 70), QPointF(270, 70), QPointF(200, 240)}));
    }
    const DigitInput a = digitFromPhoto(photo), b = digitFromInk(drawn);
    double se = 0;
    for (size_t i = 0; i < a.pixels.size(); ++i) se += double(a.pixels[i] - b.pixels[i]) * (a.pixels[i] - b.pixels[i]);
    qInfo("photo vs drawn: MSE %.4f", se / 784);
    QVERIFY(se / 784 < 0.02);
}

void TestDrawing::padStrokesUndoClear()
{
    DrawingPad pad;
    pad.resize(400, 400);
    pad.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pad));
    QVERIFY(pad.input().empty);
    QSignalSpy changed(&pad, &DrawingPad::inputChanged);
    drawStroke(&pad, {{0.3, 0.2}, {0.35, 0.5}, {0.4, 0.8}});
    QVERIFY(changed.count() >= 3);  // press and every move that adds ink
    QCOMPARE(pad.strokeCount(), 1);
    QVERIFY(!pad.input().empty);
    const std::vector<float> one = pad.input().pixels;
    QCOMPARE(pad.input().pixels, digitFromInk(pad.inkImage()).pixels);

    drawStroke(&pad, {{0.2, 0.5}, {0.8, 0.5}});
    QCOMPARE(pad.strokeCount(), 2);
    QVERIFY(pad.input().pixels != one);
    QTest::keyClick(&pad, Qt::Key_Z, Qt::ControlModifier);  // undo the last stroke
    QCOMPARE(pad.strokeCount(), 1);
    QCOMPARE(pad.input().pixels, one);

    QTest::keyClick(&pad, Qt::Key_Escape);
    QCOMPARE(pad.strokeCount(), 0);
    QVERIFY(pad.input().empty);
    drawStroke(&pad, {{0.5, 0.5}, {0.6, 0.6}});
    pad.undo();
    QVERIFY(pad.input().empty);
    pad.undo();  // nothing left: harmless
    QVERIFY(pad.input().empty);

    // Rescaling keeps the drawing (vector strokes): the same input at another widget size, nearly.
    drawStroke(&pad, {{0.3, 0.2}, {0.35, 0.5}, {0.4, 0.8}});
    const std::vector<float> before = pad.input().pixels;
    pad.resize(600, 600);
    QCoreApplication::processEvents();
    QCOMPARE(pad.inkImage().width(), int(pad.canvasRect().width() * pad.devicePixelRatioF()));
    double se = 0;
    for (size_t i = 0; i < before.size(); ++i) se += double(before[i] - pad.input().pixels[i]) * (before[i] - pad.input().pixels[i]);
    QVERIFY(se / 784 < 0.01);
}

void TestDrawing::padEraser()
{
    DrawingPad pad;
    pad.resize(300, 300);
    pad.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pad));
    drawStroke(&pad, {{0.2, 0.5}, {0.8, 0.5}});
    drawStroke(&pad, {{0.5, 0.3}, {0.5, 0.7}}, Qt::RightButton);  // erase across the middle
    QCOMPARE(pad.strokeCount(), 2);
    // Two halves remain: less ink in the pad, and a gap in the middle.
    const QImage ink = pad.inkImage();
    QCOMPARE(qGray(ink.pixel(ink.width() / 2, ink.height() / 2)), 0);
    QVERIFY(qGray(ink.pixel(ink.width() / 4, ink.height() / 2)) > 200);
    QVERIFY(!pad.input().empty);
    pad.setEraser(true);  // the toggle: the left button erases
    drawStroke(&pad, {{0.15, 0.5}, {0.85, 0.5}});
    QVERIFY(pad.input().empty);
}

void TestDrawing::touchAndTablet()
{
    DrawingPad pad;
    pad.resize(300, 300);
    pad.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pad));
    const QRectF c = pad.canvasRect();
    auto at = [&](double x, double y) { return QPoint(int(c.left() + x * c.width()), int(c.top() + y * c.height())); };

    // A finger: the same stroke code as the mouse.
    QPointingDevice *touch = QTest::createTouchDevice();
    QTest::touchEvent(&pad, touch).press(0, at(0.3, 0.3));
    QTest::touchEvent(&pad, touch).move(0, at(0.5, 0.5));
    QTest::touchEvent(&pad, touch).move(0, at(0.7, 0.7));
    QTest::touchEvent(&pad, touch).release(0, at(0.7, 0.7));
    QCOMPARE(pad.strokeCount(), 1);
    QVERIFY(!pad.input().empty);
    pad.clear();

    // A pen tablet: the tip draws, the eraser end erases.
    auto tablet = [&](const QPointingDevice *dev, QEvent::Type t, QPoint pos) {
        QTabletEvent e(t, dev, pos, pad.mapToGlobal(pos), 0.8, 0, 0, 0, 0, 0, Qt::NoModifier,
                       t == QEvent::TabletMove ? Qt::NoButton : Qt::LeftButton,
                       t == QEvent::TabletRelease ? Qt::NoButton : Qt::LeftButton);
        QCoreApplication::sendEvent(&pad, &e);
        QVERIFY(e.isAccepted());
    };
    const QPointingDevice pen(QStringLiteral("test pen"), 1001, QInputDevice::DeviceType::Stylus,
                              QPointingDevice::PointerType::Pen,
                              QInputDevice::Capability::Position | QInputDevice::Capability::Pressure, 1, 3);
    const QPointingDevice eraser(QStringLiteral("test eraser"), 1002, QInputDevice::DeviceType::Stylus,
                                 QPointingDevice::PointerType::Eraser,
                                 QInputDevice::Capability::Position | QInputDevice::Capability::Pressure, 1, 3);
    tablet(&pen, QEvent::TabletPress, at(0.2, 0.5));
    tablet(&pen, QEvent::TabletMove, at(0.5, 0.5));
    tablet(&pen, QEvent::TabletMove, at(0.8, 0.5));
    tablet(&pen, QEvent::TabletRelease, at(0.8, 0.5));
    QCOMPARE(pad.strokeCount(), 1);
    QVERIFY(!pad.input().empty);
    tablet(&eraser, QEvent::TabletPress, at(0.15, 0.5));
    tablet(&eraser, QEvent::TabletMove, at(0.5, 0.5));
    tablet(&eraser, QEvent::TabletMove, at(0.85, 0.5));
    tablet(&eraser, QEvent::TabletRelease, at(0.85, 0.5));
    QCOMPARE(pad.strokeCount(), 2);
    QVERIFY(pad.input().empty);
}

void TestDrawing::openAndDropImage()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString png = dir.filePath("seven.png"), jpg = dir.filePath("seven.jpg"), bad = dir.filePath("bad.png");
    QVERIFY(photoOfSeven().save(png));
    QVERIFY(photoOfSeven().save(jpg, nullptr, 85));
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not an image");
    }
    DrawingPad pad;
    pad.resize(300, 300);
    pad.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pad));

    QString error;
    QVERIFY(!pad.loadImage(bad, &error));
    QVERIFY2(error.contains("bad.png"), qPrintable(error));
    QVERIFY(pad.input().empty);
    QVERIFY(pad.loadImage(jpg, &error));
    QVERIFY(pad.hasPhoto());
    QVERIFY(!pad.input().empty);
    const DigitMoments m = digitMoments(pad.input().pixels.data(), 28, 28);
    QVERIFY(m.bottom - m.top + 1 >= 19);  // the 7 is taller than wide: it fills the box's height
    pad.undo();                           // the photo was the only "stroke"
    QVERIFY(pad.input().empty);

    // Drag and drop of a file.
    QSignalSpy failed(&pad, &DrawingPad::loadFailed);
    auto drop = [&](const QString &path) {
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&pad, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent dropEv(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&pad, &dropEv);
    };
    drop(png);
    QVERIFY(!pad.input().empty);
    QCOMPARE(failed.count(), 0);
    // Drawing on top of a photo keeps it; a bad file keeps the pad as it was and says why.
    drawStroke(&pad, {{0.1, 0.9}, {0.2, 0.9}});
    QCOMPARE(pad.strokeCount(), 1);
    QVERIFY(pad.hasPhoto());
    const std::vector<float> before = pad.input().pixels;
    drop(bad);
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.first().first().toString().contains("bad.png"));
    QCOMPARE(pad.input().pixels, before);
}

void TestDrawing::analysisEqualsEngine_data()
{
    QTest::addColumn<bool>("variational");
    QTest::newRow("autoencoder") << false;
    QTest::newRow("variational (μ)") << true;
}

void TestDrawing::analysisEqualsEngine()
{
    QFETCH(bool, variational);
    const auto train = trainSet();
    const auto pca = pcaOf(*train);
    const auto model = randomModel("784-32-[2]-32-784", variational);
    DrawPanel panel;
    panel.resize(1000, 500);
    panel.setData(train);
    panel.setPca(pca);
    panel.setModel(model);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy code(&panel, &DrawPanel::codeChanged);
    drawThree(panel.pad());
    QVERIFY(code.count() > 0);
    QVERIFY(code.last().at(0).toBool());

    const DigitInput &x = panel.pad()->input();
    QVERIFY(!x.empty);
    const DrawingResult &r = panel.result();
    QVERIFY(r.valid);
    QVERIFY(!r.corrupted);
    const ael::Matrix X = column(x);
    // The AE: the engine's forward pass (no sampler: h = μ), encode and decode.
    ael::ForwardPass<float> pass;
    model->forward(X, pass, nullptr);
    QCOMPARE(maxAbsDiff(r.ae, pass.output()), 0.0f);
    ael::Matrix H, Xhat;
    model->encode(X, H);
    model->decode(H, Xhat);
    QVERIFY(maxAbsDiff(r.aeCode, H) <= 1e-6f);
    QVERIFY(maxAbsDiff(r.ae, Xhat) <= 1e-6f);
    QCOMPARE(r.aeCode2d, QPointF(H(0, 0), H(1, 0)));
    QCOMPARE(code.last().at(1).toPointF(), r.aeCode2d);
    const double aeMse = double((pass.output() - X).squaredNorm()) / 784;
    QVERIFY(std::abs(r.aeMse - aeMse) <= 1e-6);
    // PCA-k, k = min(code size, d, n − 1) = 2: reconstruct(project(x, 2)); PC1/PC2 = project(x, 2).
    QCOMPARE(r.pcaK, 2);
    const ael::Matrix Z = pca->pca.project(X, 2);
    QCOMPARE(maxAbsDiff(r.pca, pca->pca.reconstruct(Z)), 0.0f);
    QCOMPARE(r.pcaCode2d, QPointF(Z(0, 0), Z(1, 0)));
    QCOMPARE(code.last().at(2).toPointF(), r.pcaCode2d);
    QCOMPARE(r.nearest.size(), size_t(5));

    // The panel shows what was computed: the input, the AE and PCA tiles with their MSEs.
    const QVector<DigitTiles::Row> rows = panel.results()->rows();
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].tiles.size(), 3);
    QCOMPARE(rows[0].tiles[0].image, digitImage(x));
    QCOMPARE(rows[0].tiles[1].image, digitImage(r.ae.data(), 28, 28));
    QVERIFY(rows[0].tiles[1].caption.startsWith("MSE 0."));
    QCOMPARE(rows[0].tiles[2].title, QStringLiteral("PCA-2"));
    QCOMPARE(rows[1].tiles.size(), 5);
    QVERIFY(!rows[1].tiles[0].image.isNull());

    // A new model (the trainer publishes one ~15×/s) recomputes at once.
    const auto other = randomModel("784-16-[2]-16-784", variational);
    panel.setModel(other);
    other->forward(X, pass, nullptr);
    QCOMPARE(maxAbsDiff(panel.result().ae, pass.output()), 0.0f);

    // Clear: nothing drawn, the marker goes away, no NaN anywhere.
    QTest::keyClick(panel.pad(), Qt::Key_Escape);
    QVERIFY(panel.pad()->input().empty);
    QVERIFY(!panel.result().valid);
    QVERIFY(!code.last().at(0).toBool());
    QCOMPARE(panel.results()->rows()[0].tiles[0].caption, QStringLiteral("nothing drawn"));
}

void TestDrawing::corruptFirst()
{
    const auto train = trainSet();
    const auto model = randomModel("784-32-[2]-32-784");
    DrawPanel panel;
    panel.resize(1000, 500);
    panel.setData(train);
    panel.setModel(model);
    panel.setCorruption({ael::CorruptionKind::Masking, 0.5}, true);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    drawThree(panel.pad());
    QVERIFY(!panel.result().corrupted);
    panel.setCorruptFirst(true);
    const DrawingResult &r = panel.result();
    QVERIFY(r.corrupted);
    const ael::Matrix X = column(panel.pad()->input());
    ael::Matrix Xt;
    ael::Rng rng(DrawingAnalysis::kCorruptionSeed);
    ael::corrupt(X, Xt, {ael::CorruptionKind::Masking, 0.5}, rng);
    QCOMPARE(maxAbsDiff(r.xt, Xt), 0.0f);
    QVERIFY(Xt != X);  // half the pixels masked
    ael::ForwardPass<float> pass;
    model->forward(Xt, pass, nullptr);
    QCOMPARE(maxAbsDiff(r.ae, pass.output()), 0.0f);                                   // g(f(x̃))
    QVERIFY(std::abs(r.aeMse - double((pass.output() - X).squaredNorm()) / 784) < 1e-6);  // against the clean x
    QCOMPARE(panel.results()->rows()[0].tiles[1].title, QStringLiteral("Corrupted x̃"));
    // No corruption set: the toggle is off.
    panel.setCorruption({ael::CorruptionKind::None, 0}, false);
    QVERIFY(!panel.result().corrupted);
}

void TestDrawing::nearestIsItself()
{
    const auto train = trainSet();
    DrawingAnalysis a;
    a.setData(train);
    QCOMPARE(a.searched().size(), size_t(std::min(train->size(), DrawingAnalysis::kMaxSearched)));
    for (int i : {0, 17, 4321}) {
        if (i >= train->size()) continue;
        DigitInput x;
        x.empty = false;
        for (int p = 0; p < train->dim(); ++p) x.pixels.push_back(train->image(i)[p] / 255.0f);
        const DrawingResult r = a.analyze(x);
        QVERIFY(r.valid);
        QCOMPARE(r.nearest.size(), size_t(5));
        QCOMPARE(r.nearest.front(), i);
        QVERIFY(r.nearestDistance.front() < 1e-3);
        QVERIFY(std::is_sorted(r.nearestDistance.begin(), r.nearestDistance.end()));
        QVERIFY(r.ae.empty() && r.aeMse < 0);  // no model: no reconstruction, and no NaN
    }
}

void TestDrawing::sizeMismatchIsExplained()
{
    DrawingAnalysis a;
    a.setModel(randomModel("64-16-[2]-16-64"));
    const DigitInput x = digitFromInk(withLines(blackPad(), {QLineF(100, 50, 120, 230)}, 14));
    const DrawingResult r = a.analyze(x);
    QVERIFY(r.valid);
    QVERIFY(r.ae.empty());
    QVERIFY(r.why.contains("64"));
    const DrawingResult e = a.analyze(digitFromInk(blackPad()));
    QVERIFY(!e.valid);
    QCOMPARE(e.why, QStringLiteral("nothing drawn"));
}

void TestDrawing::timings()
{
    // Preprocessing: the ink of a 480-px pad (a 3) → 28×28.
    DrawingPad pad;
    pad.resize(488, 488);
    pad.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pad));
    drawThree(&pad);
    const QImage ink = pad.inkImage();
    std::vector<double> pre;
    for (int i = 0; i < 200; ++i) {
        const auto t0 = Clock::now();
        const DigitInput d = digitFromInk(ink);
        pre.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        QVERIFY(!d.empty);
    }
    // The analysis with the lecture's model and every training image searched: a new drawing each
    // time (neighbours recomputed) and a new model on the same drawing (neighbours cached).
    const auto train = trainSet();
    DrawingAnalysis a;
    a.setData(train);
    a.setPca(pcaOf(*train));
    const auto model = randomModel("784-256-[2]-256-784");
    a.setModel(model);
    DigitInput x = pad.input();
    std::vector<double> fresh, sameInput;
    for (int i = 0; i < 200; ++i) {
        x.pixels[size_t(100 + i % 500)] = float(i % 255) / 255;  // a different input every time
        const DrawingResult r = a.analyze(x);
        fresh.push_back(r.seconds * 1e3);
        a.setModel(model);
        sameInput.push_back(a.analyze(x).seconds * 1e3);
    }
    qInfo("preprocessing (480-px pad → 28×28): median %.3f ms, p95 %.3f ms", percentileOf(pre, 0.5), percentileOf(pre, 0.95));
    qInfo("analysis, 784-256-[2]-256-784, %d training digits searched: new drawing median %.3f ms (p95 %.3f), "
          "new model only median %.3f ms (p95 %.3f)",
          int(a.searched().size()), percentileOf(fresh, 0.5), percentileOf(fresh, 0.95), percentileOf(sameInput, 0.5),
          percentileOf(sameInput, 0.95));
}

void TestDrawing::latencyWhileTrainingAndScreenshot()
{
    // The lecture's model trains in a background thread and publishes a copy ~15×/s, as the window's
    // trainer does; meanwhile a 3 is drawn with mouse moves. Latency = from the mouse move until the
    // event loop has painted the new ink and the new results (the widgets' posted update requests).
    const auto train = trainSet();
    ael::Architecture arch;
    std::string err;
    QVERIFY(ael::Architecture::parseSpec("784-256-[2]-256-784", arch, &err));
    ael::Trainer trainer(arch, ael::TrainSettings{}, *train, 1);
    std::mutex mutex;
    auto latest = std::make_shared<const ael::Model<float>>(trainer.model());
    std::atomic<bool> stop{false};
    std::atomic<long long> steps{0};
    std::thread worker([&] {
        auto last = Clock::now();
        while (!stop) {
            trainer.step();
            ++steps;
            if (Clock::now() - last > std::chrono::milliseconds(66)) {
                auto m = std::make_shared<const ael::Model<float>>(trainer.model());
                std::lock_guard lock(mutex);
                latest = std::move(m);
                last = Clock::now();
            }
        }
    });
    DrawPanel panel;
    panel.resize(1280, 600);
    panel.setData(train);
    panel.setPca(pcaOf(*train));
    panel.setCorruption({ael::CorruptionKind::Masking, 0.3}, false);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    std::shared_ptr<const ael::Model<float>> shown;
    auto publish = [&] {
        std::shared_ptr<const ael::Model<float>> m;
        {
            std::lock_guard lock(mutex);
            m = latest;
        }
        if (m != shown) panel.setModel(shown = m);
    };
    QElapsedTimer warm;
    warm.start();
    while (warm.elapsed() < 4000) {  // some training first, so the picture shows a real model
        publish();
        QTest::qWait(30);
    }

    DrawingPad *pad = panel.pad();
    const QRectF c = pad->canvasRect();
    auto at = [&](QPointF p) { return QPoint(int(c.left() + p.x() * c.width()), int(c.top() + p.y() * c.height())); };
    const QList<QPointF> three = arc({0.5, 0.33}, 0.17, -160, 90, 60) + arc({0.5, 0.67}, 0.19, -90, 160, 60);
    // One measurement: the 3 drawn three times; per move the total, the event handling (ink, recipe,
    // analysis, tiles) and the analysis alone.
    auto measure = [&](const char *what) {
        std::vector<double> total, handle, analysis;
        int unpainted = 0;  // moves after which the results were not painted (should be none)
        const long long steps0 = steps;
        QElapsedTimer during;
        during.start();
        for (int round = 0; round < 3; ++round) {
            QTest::keyClick(pad, Qt::Key_Escape);
            QTest::mousePress(pad, Qt::LeftButton, {}, at(three.front()));
            for (qsizetype i = 1; i < three.size(); ++i) {
                publish();
                QCoreApplication::processEvents();
                const auto t0 = Clock::now();
                QTest::mouseMove(pad, at(three[i]));
                const auto t1 = Clock::now();
                // Paint what changed, as the app's event loop does: the new piece of ink and the results.
                const int paints = panel.results()->paintCount();
                QCoreApplication::processEvents();
                if (panel.results()->paintCount() == paints) ++unpainted;
                total.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                handle.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
                analysis.push_back(panel.result().seconds * 1e3);
            }
            QTest::mouseRelease(pad, Qt::LeftButton, {}, at(three.back()));
        }
        const double rate = double(steps - steps0) * 128 / (during.elapsed() / 1e3);
        qInfo("%s (%.0f samples/s): mouse move → ink and results painted, %zu moves: p50 %.2f ms, p95 %.2f ms, "
              "max %.2f ms; of which event handling p50 %.2f ms (p95 %.2f), analysis p50 %.3f ms (p95 %.3f)",
              what, rate, total.size(), percentileOf(total, 0.5), percentileOf(total, 0.95), percentileOf(total, 1.0),
              percentileOf(handle, 0.5), percentileOf(handle, 0.95), percentileOf(analysis, 0.5),
              percentileOf(analysis, 0.95));
        QCOMPARE(unpainted, 0);
    };
    measure("while training");
    stop = true;
    worker.join();
    measure("idle");
    QVERIFY(panel.result().valid);
    QVERIFY(!panel.result().ae.empty());

    const QString dir = qEnvironmentVariable("AELAB_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        panel.setCorruptFirst(true);
        const QString path = QDir(dir).filePath("draw-panel.png");
        QVERIFY(panel.grab().save(path));
        qInfo("saved %s", qPrintable(path));
    }
}

QTEST_MAIN(TestDrawing)
#include "tst_ui_drawing.moc"
