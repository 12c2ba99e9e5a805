#pragma once
// What the scatter draws over its points: marked codes (a drawn digit's code, the explorer's probe,
// interpolation endpoints, a line between two of them) and the hover card of a test image.
#include <QColor>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QVector>

#include <functional>

class QPainter;

struct ScatterMark {
    enum Shape { Ring, Star, Cross, LineTo };  ///< LineTo: a line from the previous mark to this point
    QPointF at;    ///< data coordinates
    Shape shape = Ring;
    QColor color{0x1a, 0x1a, 0x1a};
    QString label;  ///< drawn beside the mark (empty: none)
    bool operator==(const ScatterMark &) const = default;
};

namespace scatter_marks {

/// Draws the marks; `toWidget` maps data to widget coordinates; px is the view's base text size; the
/// labels stay inside `bounds` (the plot).
void draw(QPainter &p, const QVector<ScatterMark> &marks, const std::function<QPointF(QPointF)> &toWidget, double px,
          const QRectF &bounds);

/// Where a label of size `text` goes beside a mark reaching r from its centre c, inside `bounds`: on its right; on its
/// left when the right would leave them (a code near the plot's right edge); above it (or below) when
/// neither side has room (a narrow plot).
QRectF labelBox(QPointF c, double r, QSizeF text, const QRectF &bounds);

/// A card beside the mouse with a test image, its class name and its index, bordered in the class
/// colour; kept inside `bounds`.
void drawHoverCard(QPainter &p, QPointF mouse, const QRectF &bounds, const QImage &img, const QString &name,
                   const QString &detail, const QColor &color, double px);

}  // namespace scatter_marks
