#include "DrawingPad.h"

#include "ui/widgets/Palette.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QImageReader>
#include <QKeyEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QRadialGradient>
#include <QTabletEvent>
#include <QTouchEvent>

#include <algorithm>
#include <utility>
#include <cmath>

using namespace ael::ui;

namespace {

constexpr double kBrushRadius = 1.0 / 24.0;  // of the pad's side: a stroke 1/12 of the pad wide
constexpr double kEraserScale = 1.5;         // the eraser is wider, and solid to 2/3 of its radius,
                                             // so one pass over a pen stroke leaves nothing behind

bool isImageFile(const QString &path)
{
    const QByteArray suffix = QFileInfo(path).suffix().toLower().toLatin1();
    return QImageReader::supportedImageFormats().contains(suffix);
}

}  // namespace

DrawingPad::DrawingPad(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAttribute(Qt::WA_AcceptTouchEvents);
    setAcceptDrops(true);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::CrossCursor);
    setToolTip(tr("Draw a digit: left button, pen or finger draws; right button erases.\n"
                  "Esc clears, Ctrl+Z undoes the last stroke. Drop a photo of a digit here."));
    m_input = digitFromInk({}, m_rows, m_cols);
}

QRectF DrawingPad::canvasRect() const
{
    // Whole pixels, so the raster is drawn 1:1 (no resampling on every repaint).
    const int side = std::max(1, std::min(width(), height()) - 8);
    return QRectF((width() - side) / 2, (height() - side) / 2, side, side);
}

QPointF DrawingPad::toPad(QPointF p) const
{
    const QRectF c = canvasRect();
    return {(p.x() - c.left()) / c.width(), (p.y() - c.top()) / c.height()};
}

void DrawingPad::setTargetSize(int rows, int cols)
{
    if (rows == m_rows && cols == m_cols) return;
    m_rows = std::max(1, rows);
    m_cols = std::max(1, cols);
    recompute();
}

void DrawingPad::setEraser(bool on)
{
    if (on == m_eraser) return;
    m_eraser = on;
    emit eraserChanged(on);
    update();
}

void DrawingPad::clear()
{
    m_strokes.clear();
    m_photoInk = QImage();
    m_drawing = false;
    rerender();
}

void DrawingPad::undo()
{
    if (m_drawing) return;
    if (!m_strokes.empty()) m_strokes.pop_back();
    else if (!m_photoInk.isNull()) m_photoInk = QImage();  // the photo is the oldest "stroke"
    else return;
    rerender();
}

bool DrawingPad::loadImage(const QString &path, QString *error)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);  // phone photos: EXIF orientation
    // A 12-megapixel photo is decoded at ≤ 1024 px (JPEG decodes scaled, much faster); the recipe
    // works at ≤ 512 px anyway.
    if (const QSize full = reader.size(); full.isValid() && std::max(full.width(), full.height()) > 1024)
        reader.setScaledSize(full.scaled(1024, 1024, Qt::KeepAspectRatio));
    const QImage img = reader.read();
    if (img.isNull()) {
        if (error) *error = tr("%1: %2").arg(QFileInfo(path).fileName(), reader.errorString());
        return false;
    }
    // Blank paper, or ink too faint to tell from it: said, and the pad kept (it used to empty silently).
    QImage ink = inkFromPhoto(img);
    if (digitFromInk(ink, m_rows, m_cols).empty) {
        if (error)
            *error = tr("%1: no ink found in it — a photo of a dark digit on light paper (or a light one on dark), "
                        "large and in focus")
                         .arg(QFileInfo(path).fileName());
        return false;
    }
    showInk(std::move(ink));
    return true;
}

void DrawingPad::setImage(const QImage &photo) { showInk(inkFromPhoto(photo)); }

void DrawingPad::showInk(QImage ink)
{
    m_strokes.clear();
    m_drawing = false;
    m_photoInk = std::move(ink);
    rerender();
}

// --- strokes ------------------------------------------------------------------------------------

void DrawingPad::beginStroke(QPointF pos, bool erase)
{
    m_drawing = true;
    m_strokes.push_back({{toPad(pos)}, erase});
    stamp(m_strokes.back().points.back(), m_strokes.back().points.back(), erase);
    update();
    recompute();
}

void DrawingPad::extendStroke(QPointF pos)
{
    if (!m_drawing || m_strokes.empty()) return;
    Stroke &s = m_strokes.back();
    const QPointF p = toPad(pos);
    if (p == s.points.back()) return;
    s.points.push_back(p);
    stamp(s.points[s.points.size() - 2], p, s.erase);
    update(dirtyRect(s.points[s.points.size() - 2], p));  // only the new piece of ink is repainted
    recompute();
}

void DrawingPad::endStroke() { m_drawing = false; }

QRect DrawingPad::dirtyRect(QPointF a, QPointF b) const
{
    const QRectF c = canvasRect();
    const double r = kBrushRadius * kEraserScale * c.width() + 3;  // the widest brush, and the outline
    const QPointF A = c.topLeft() + a * c.width(), B = c.topLeft() + b * c.width();
    return QRectF(A, B).normalized().adjusted(-r, -r, r, r).toAlignedRect();
}

void DrawingPad::moveHover(QPointF pos)
{
    const QRectF c = canvasRect();
    const auto toPadPoint = [&](QPointF w) { return (w - c.topLeft()) / c.width(); };
    if (c.contains(m_hover)) update(dirtyRect(toPadPoint(m_hover), toPadPoint(m_hover)));
    m_hover = pos;
    if (c.contains(m_hover)) update(dirtyRect(toPadPoint(m_hover), toPadPoint(m_hover)));
}

void DrawingPad::stamp(QPointF a, QPointF b, bool erase)
{
    if (m_raster.isNull()) return;
    const double side = m_raster.width();
    const double r = std::max(1.5, kBrushRadius * side) * (erase ? kEraserScale : 1.0);
    QPainter p(&m_raster);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    // Soft round dab: full ink to 0.7 of the radius (eraser: 2/3 of its 1.5× radius, i.e. the whole pen
    // radius), then a linear fall-off to 0 at the rim; the solid core makes strokes as bold as MNIST's
    // (~2 px at 28×28 for a digit filling the pad). The
    // pen keeps max(ink, dab) in the raster (Lighten); the eraser min(ink, 1 − dab) (Darken).
    // Overlapping dabs of a stroke therefore never add up; spacing r/4 keeps the edge smooth.
    p.setCompositionMode(erase ? QPainter::CompositionMode_Darken : QPainter::CompositionMode_Lighten);
    const QColor inkC = erase ? Qt::black : Qt::white, paperC = erase ? Qt::white : Qt::black;
    const double solid = erase ? 2.0 / 3.0 : 0.7;
    const QPointF A = a * side, B = b * side;
    const double len = std::hypot(B.x() - A.x(), B.y() - A.y());
    const int n = std::max(1, int(std::ceil(len / (r * 0.25))));
    for (int i = (a == b ? 0 : 1); i <= n; ++i) {
        const QPointF c = A + (B - A) * (double(i) / n);
        QRadialGradient g(c, r);
        g.setColorAt(0.0, inkC);
        g.setColorAt(solid, inkC);
        g.setColorAt(1.0, paperC);
        p.setBrush(g);
        p.drawEllipse(c, r, r);
        if (a == b) break;
    }
}

void DrawingPad::rerender()
{
    // Physical pixels (HiDPI screens stay crisp); stamp() works in raster pixels.
    const int side = std::max(1, int(canvasRect().width() * devicePixelRatioF()));
    if (m_raster.width() != side) m_raster = QImage(side, side, QImage::Format_RGB32);
    m_raster.fill(Qt::black);
    if (!m_photoInk.isNull()) {
        QPainter p(&m_raster);
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        const QSize s = m_photoInk.size().scaled(side, side, Qt::KeepAspectRatio);
        p.drawImage(QRect((side - s.width()) / 2, (side - s.height()) / 2, s.width(), s.height()), m_photoInk);
    }
    for (const Stroke &s : m_strokes) {
        stamp(s.points.front(), s.points.front(), s.erase);
        for (size_t i = 1; i < s.points.size(); ++i) stamp(s.points[i - 1], s.points[i], s.erase);
    }
    update();
    recompute();
}

void DrawingPad::recompute()
{
    m_input = digitFromInk(m_raster, m_rows, m_cols);
    emit inputChanged();
}

// --- events -------------------------------------------------------------------------------------

void DrawingPad::resizeEvent(QResizeEvent *) { rerender(); }

void DrawingPad::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    const QRectF c = canvasRect();
    if (!m_raster.isNull()) p.drawImage(c, m_raster);
    p.setRenderHint(QPainter::Antialiasing);
    if (m_input.empty && !m_drawing) {
        p.setPen(QColor(0x99, 0x99, 0x99));
        p.setFont(uiFont(basePixelSize(size()) * 1.1));
        p.drawText(c, Qt::AlignCenter | Qt::TextWordWrap,
                   m_digits ? tr("Draw a digit here\n(or drop a photo of one)") : tr("Draw here\n(or drop a photo)"));
    }
    // The brush outline where the pointer is: white for the pen, dashed for the eraser.
    if (c.contains(m_hover)) {
        const double r = std::max(1.5, kBrushRadius * c.width()) * (m_eraser ? kEraserScale : 1.0);
        QPen pen(m_eraser ? QColor(0xff, 0x80, 0x80) : QColor(0xaa, 0xaa, 0xaa), 1.5,
                 m_eraser ? Qt::DashLine : Qt::SolidLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(m_hover, r, r);
    }
    p.setPen(QPen(kAxis, 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(c.adjusted(-1, -1, 1, 1));
}

void DrawingPad::mousePressEvent(QMouseEvent *e)
{
    if (e->button() == Qt::LeftButton) beginStroke(e->position(), m_eraser);
    else if (e->button() == Qt::RightButton) beginStroke(e->position(), true);
    else return QWidget::mousePressEvent(e);
    e->accept();
}

void DrawingPad::mouseMoveEvent(QMouseEvent *e)
{
    moveHover(e->position());
    if (m_drawing) extendStroke(e->position());
}

void DrawingPad::mouseReleaseEvent(QMouseEvent *e)
{
    if (m_drawing) {
        extendStroke(e->position());
        endStroke();
    }
    e->accept();
}

void DrawingPad::leaveEvent(QEvent *)
{
    moveHover({-1, -1});
}

void DrawingPad::tabletEvent(QTabletEvent *e)
{
    // The pen's eraser end erases; otherwise the same stroke code as the mouse.
    const bool erase = m_eraser || e->pointerType() == QPointingDevice::PointerType::Eraser;
    switch (e->type()) {
    case QEvent::TabletPress: beginStroke(e->position(), erase); break;
    case QEvent::TabletMove:
        moveHover(e->position());
        if (m_drawing) extendStroke(e->position());
        break;
    case QEvent::TabletRelease:
        if (m_drawing) endStroke();
        break;
    default: return QWidget::tabletEvent(e);
    }
    e->accept();  // no synthesized mouse events
}

bool DrawingPad::event(QEvent *e)
{
    switch (e->type()) {
    case QEvent::TouchBegin:
    case QEvent::TouchUpdate:
    case QEvent::TouchEnd: {
        auto *t = static_cast<QTouchEvent *>(e);
        if (t->points().isEmpty()) return true;
        const QPointF pos = t->points().first().position();  // one finger writes
        if (e->type() == QEvent::TouchBegin) beginStroke(pos, m_eraser);
        else extendStroke(pos);
        if (e->type() == QEvent::TouchEnd) endStroke();
        e->accept();
        return true;
    }
    case QEvent::TouchCancel:
        if (m_drawing) endStroke();
        return true;
    default: return QWidget::event(e);
    }
}

void DrawingPad::keyPressEvent(QKeyEvent *e)
{
    if (e->key() == Qt::Key_Escape) clear();
    else if (e->matches(QKeySequence::Undo)) undo();
    else return QWidget::keyPressEvent(e);
    e->accept();
}

void DrawingPad::dragEnterEvent(QDragEnterEvent *e)
{
    const QMimeData *m = e->mimeData();
    if (m->hasImage() || (m->hasUrls() && !m->urls().isEmpty() && m->urls().first().isLocalFile() &&
                          isImageFile(m->urls().first().toLocalFile())))
        e->acceptProposedAction();
}

void DrawingPad::dropEvent(QDropEvent *e)
{
    const QMimeData *m = e->mimeData();
    if (m->hasUrls() && !m->urls().isEmpty() && m->urls().first().isLocalFile()) {
        QString error;
        if (!loadImage(m->urls().first().toLocalFile(), &error)) emit loadFailed(error);
    } else if (m->hasImage()) {
        setImage(qvariant_cast<QImage>(m->imageData()));
    }
    e->acceptProposedAction();
}

void DrawingPad::setAsksForDigits(bool digits)
{
    m_digits = digits;
    update();
}
