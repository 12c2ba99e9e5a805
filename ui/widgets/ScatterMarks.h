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

class QFontMetricsF;
class QPainter;

struct ScatterMark {
    enum Shape { Ring, Star, Cross, LineTo };  ///< LineTo: a line from the previous mark to this point
    QPointF at;    ///< data coordinates
    Shape shape = Ring;
    QColor color{0x1a, 0x1a, 0x1a};
    QString label;  ///< drawn beside the mark (empty: none)
    QString shortLabel;  ///< drawn instead where the label is wider than the plot (empty: the label, elided)
    bool operator==(const ScatterMark &) const = default;
};

namespace scatter_marks {

/// Draws the marks; `toWidget` maps data to widget coordinates; px is the view's base text size; the
/// labels stay inside `bounds` (the plot): a label wider than it is drawn in its short form, elided if
/// need be, never cut by the plot's edge.
void draw(QPainter &p, const QVector<ScatterMark> &marks, const std::function<QPointF(QPointF)> &toWidget, double px,
          const QRectF &bounds);

/// The text of mark m's label as drawn in a plot `width` pixels wide, with font metrics fm.
QString shownLabel(const ScatterMark &m, const QFontMetricsF &fm, double width);

/// Where a label of size `text` goes beside a mark reaching r from its centre c, inside `bounds`: on its right; on its
/// left when the right would leave them (a code near the plot's right edge); above it (or below) when
/// neither side has room (a narrow plot).
QRectF labelBox(QPointF c, double r, QSizeF text, const QRectF &bounds);

/// Where the label of a ring (the prior's 1σ, 2σ: an ellipse `ring`) goes inside `bounds`: just outside the ring at its
/// upper right, else its upper left, lower right or lower left, whichever first fits; then (a ring about as wide as
/// a narrow plot) centred above it or below it; when none fits, the upper-right box moved inside. `text` is the label's size; the box adds a margin.
QRectF ringLabelBox(const QRectF &ring, QSizeF text, const QRectF &bounds);

/// A card beside the mouse with a test image, its class name and its index, bordered in the class
/// colour; kept inside `bounds`.
void drawHoverCard(QPainter &p, QPointF mouse, const QRectF &bounds, const QImage &img, const QString &name,
                   const QString &detail, const QColor &color, double px);

}  // namespace scatter_marks
