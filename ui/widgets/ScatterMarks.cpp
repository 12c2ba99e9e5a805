#include "ui/widgets/ScatterMarks.h"

#include "ui/widgets/Palette.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

namespace scatter_marks {

QString shownLabel(const ScatterMark &m, const QFontMetricsF &fm, double width)
{
    const double room = width - 4 - 8;  // labelBox's inset and padding
    if (fm.horizontalAdvance(m.label) <= room) return m.label;
    const QString s = m.shortLabel.isEmpty() ? m.label : m.shortLabel;
    return fm.elidedText(s, Qt::ElideRight, std::max(0.0, room));
}

QRectF labelBox(QPointF c, double r, QSizeF text, const QRectF &bounds)
{
    const QSizeF s(text.width() + 8, text.height() + 4);
    const QRectF inner = bounds.adjusted(2, 2, -2, -2);
    QRectF box(QPointF(c.x() + r + 4, c.y() - s.height() / 2), s);
    if (box.right() > inner.right()) box.moveRight(c.x() - r - 4);
    if (box.left() < inner.left()) {
        // Neither side has room (a narrow plot): above the mark, or below it.
        box.moveLeft(std::max(inner.left(), std::min(c.x() - s.width() / 2, inner.right() - s.width())));
        box.moveBottom(c.y() - r - 2);
        if (box.top() < inner.top()) box.moveTop(c.y() + r + 2);
    }
    box.moveTop(std::max(inner.top(), std::min(box.top(), inner.bottom() - s.height())));
    return box;
}

QRectF ringLabelBox(const QRectF &ring, QSizeF text, const QRectF &bounds)
{
    const QSizeF s(text.width() + 8, text.height());
    const QRectF inner = bounds.adjusted(2, 2, -2, -2);
    const QPointF c = ring.center();
    const double k = std::sqrt(0.5), ax = k * ring.width() / 2, ay = k * ring.height() / 2;  // the ring at 45°
    QRectF first;
    for (const auto &[sx, sy] : {std::pair{1, -1}, {-1, -1}, {1, 1}, {-1, 1}}) {
        const QPointF at(c.x() + sx * ax, c.y() + sy * ay);
        // Outside the ring: to the side it faces, 4 px off it
        QRectF box(QPointF(sx > 0 ? at.x() + 4 : at.x() - 4 - s.width(), sy < 0 ? at.y() - s.height() - 2 : at.y() + 2), s);
        if (inner.contains(box)) return box;
        if (first.isNull()) first = box;
    }
    // A ring about as wide as the plot: centred above it, or below it
    for (const QRectF &box : {QRectF(QPointF(c.x() - s.width() / 2, ring.top() - 2 - s.height()), s),
                              QRectF(QPointF(c.x() - s.width() / 2, ring.bottom() + 2), s)})
        if (inner.contains(box)) return box;
    first.moveLeft(std::max(inner.left(), std::min(first.left(), inner.right() - s.width())));
    first.moveTop(std::max(inner.top(), std::min(first.top(), inner.bottom() - s.height())));
    return first;
}

void draw(QPainter &p, const QVector<ScatterMark> &marks, const std::function<QPointF(QPointF)> &toWidget, double px,
          const QRectF &bounds)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    const double r = std::max(9.0, px * 0.7);
    QPointF prev;
    for (const ScatterMark &m : marks) {
        const QPointF c = toWidget(m.at);
        if (!std::isfinite(c.x()) || !std::isfinite(c.y())) continue;
        switch (m.shape) {
        case ScatterMark::LineTo:
            p.setPen(QPen(m.color, 3 * lineScale(), Qt::DashLine, Qt::RoundCap));
            p.drawLine(prev, c);
            break;
        case ScatterMark::Ring:
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(Qt::white, 6 * lineScale()));
            p.drawEllipse(c, r, r);
            p.setPen(QPen(m.color, 3 * lineScale()));
            p.drawEllipse(c, r, r);
            break;
        case ScatterMark::Cross:
            p.setPen(QPen(Qt::white, 6 * lineScale(), Qt::SolidLine, Qt::RoundCap));
            p.drawLine(c - QPointF(r, 0), c + QPointF(r, 0));
            p.drawLine(c - QPointF(0, r), c + QPointF(0, r));
            p.setPen(QPen(m.color, 2.5 * lineScale(), Qt::SolidLine, Qt::RoundCap));
            p.drawLine(c - QPointF(r, 0), c + QPointF(r, 0));
            p.drawLine(c - QPointF(0, r), c + QPointF(0, r));
            break;
        case ScatterMark::Star: {  // a five-pointed star: the drawn digit's code
            QPainterPath star;
            for (int i = 0; i < 10; ++i) {
                const double a = -M_PI / 2 + i * M_PI / 5, rr = (i % 2 ? 0.45 : 1.0) * r * 1.5;  // reaches 1.5 r
                const QPointF q = c + QPointF(std::cos(a) * rr, std::sin(a) * rr);
                i == 0 ? star.moveTo(q) : star.lineTo(q);
            }
            star.closeSubpath();
            p.setPen(QPen(Qt::white, 3 * lineScale()));
            p.setBrush(m.color);
            p.drawPath(star);
            break;
        }
        }
        if (!m.label.isEmpty() && m.shape != ScatterMark::LineTo) {
            const QFont f = uiFont(px * 0.85, true);
            const QFontMetricsF fm(f);
            const double reach = m.shape == ScatterMark::Star ? 1.5 * r : r;
            const QString text = shownLabel(m, fm, bounds.width());
            const QRectF box = labelBox(c, reach, QSizeF(fm.horizontalAdvance(text), fm.height()), bounds);
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(255, 255, 255, 220));
            p.drawRoundedRect(box, 3, 3);
            p.setFont(f);
            p.setPen(m.color);
            p.drawText(box, Qt::AlignCenter, text);
        }
        prev = c;
    }
    p.restore();
}

void drawHoverCard(QPainter &p, QPointF mouse, const QRectF &bounds, const QImage &img, const QString &name,
                   const QString &detail, const QColor &color, double px)
{
    const QFont f = uiFont(px * 0.9, true), small = uiFont(px * 0.75);
    const QFontMetricsF fm(f);
    const double imgSide = img.isNull() ? 0 : std::round(px * 5.6 / img.height()) * img.height();
    const double pad = 8;
    const double tw = std::max(fm.horizontalAdvance(name), QFontMetricsF(small).horizontalAdvance(detail));
    const double w = std::max(imgSide, tw) + 2 * pad;
    const double hgt = imgSide + (img.isNull() ? 0 : pad) + fm.height() * 2 + 2 * pad;
    QPointF at = mouse + QPointF(18, 18);
    if (at.x() + w > bounds.right() - 2) at.setX(mouse.x() - 18 - w);
    if (at.y() + hgt > bounds.bottom() - 2) at.setY(mouse.y() - 18 - hgt);
    at.setX(std::max(bounds.left() + 2, at.x()));
    at.setY(std::max(bounds.top() + 2, at.y()));
    const QRectF box(at, QSizeF(w, hgt));
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(color, 3 * lineScale()));
    p.setBrush(QColor(255, 255, 255, 245));
    p.drawRoundedRect(box, 6, 6);
    double y = box.top() + pad;
    if (!img.isNull()) {
        p.setRenderHint(QPainter::SmoothPixmapTransform, false);
        p.drawImage(QRectF(box.left() + (w - imgSide) / 2, y, imgSide, imgSide), img);
        y += imgSide + pad;
    }
    p.setFont(f);
    p.setPen(kText);
    p.drawText(QRectF(box.left(), y, w, fm.height()), Qt::AlignHCenter | Qt::AlignVCenter, name);
    p.setFont(small);
    p.setPen(kSubtleText);
    p.drawText(QRectF(box.left(), y + fm.height(), w, fm.height()), Qt::AlignHCenter | Qt::AlignVCenter, detail);
    p.restore();
}

}  // namespace scatter_marks
