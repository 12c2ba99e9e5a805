// "Draw a digit", the input side: the MNIST recipe (ui/explore/DigitRecipe) on known strokes and a
// synthetic photo, and the drawing pad driven by QTest mouse, key, touch, tablet and drop events.
#include "DrawingTestKit.h"

#include "ui/explore/DigitRecipe.h"
#include "ui/explore/DrawingPad.h"

#include <QElapsedTimer>
#include <QFile>
#include <QMimeData>
#include <QTemporaryDir>

#include <memory>

using namespace drawtest;

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

    // A digit drawn in black on a transparent PNG is dark ink on (white) paper, too.
    QImage clear(400, 300, QImage::Format_ARGB32);
    clear.fill(Qt::transparent);
    {
        QPainter p(&clear);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(Qt::black, 16, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPolyline(QPolygonF({QPointF(150, 70), QPointF(270, 70), QPointF(200, 240)}));
    }
    const DigitInput t = digitFromPhoto(clear);
    se = 0;
    for (size_t i = 0; i < t.pixels.size(); ++i) se += double(t.pixels[i] - b.pixels[i]) * (t.pixels[i] - b.pixels[i]);
    qInfo("transparent PNG vs drawn: MSE %.4f", se / 784);
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
    // Qt registers the device but never deletes it; its destructor unregisters it.
    const std::unique_ptr<QPointingDevice> touch(QTest::createTouchDevice());
    QTest::touchEvent(&pad, touch.get()).press(0, at(0.3, 0.3));
    QTest::touchEvent(&pad, touch.get()).move(0, at(0.5, 0.5));
    QTest::touchEvent(&pad, touch.get()).move(0, at(0.7, 0.7));
    QTest::touchEvent(&pad, touch.get()).release(0, at(0.7, 0.7));
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
    const QString big = dir.filePath("big.jpg");  // a phone-sized photo: decoded scaled
    QVERIFY(photoOfSeven().scaled(4000, 3000).save(big, nullptr, 80));
    QElapsedTimer timer;
    timer.start();
    QVERIFY(pad.loadImage(big, &error));
    qInfo("4000×3000 JPEG opened and converted in %lld ms", timer.elapsed());
    QVERIFY(!pad.input().empty);
    QVERIFY(pad.loadImage(jpg, &error));
    QVERIFY(pad.hasPhoto());
    QVERIFY(!pad.input().empty);
    // A photo of blank paper (white, or an even grey): no ink found, said so, and the 7 stays (it used to
    // empty the pad without a word).
    const std::vector<float> seven = pad.input().pixels;
    for (const QColor paper : {QColor(Qt::white), QColor(128, 128, 128)}) {
        QImage blank(400, 300, QImage::Format_RGB32);
        blank.fill(paper);
        const QString path = dir.filePath("blank.png");
        QVERIFY(blank.save(path));
        error.clear();
        QVERIFY(!pad.loadImage(path, &error));
        QVERIFY2(error.startsWith("blank.png: no ink found"), qPrintable(error));
        QVERIFY(pad.input().pixels == seven);
    }
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

QTEST_MAIN(TestDrawing)
#include "tst_ui_drawing.moc"
