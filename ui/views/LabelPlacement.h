#pragma once
// Where the loss chart puts the labels of its change markers: each label beside its own vertical
// line, never over another label or an obstacle (the PCA floor's label).
#include <QPolygonF>
#include <QRectF>
#include <QSizeF>
#include <QVector>

namespace label_placement {

struct Request {
    double x = 0;  ///< the marker line's x, in the same coordinates as the plot rectangle
    QSizeF size;   ///< the label's box
};

/// One rectangle per request, in order. A label sits to the right of its line with its left edge on
/// the line; where that would leave the plot it sits to the left with its right edge on the line, so
/// every label touches its own line and no other. Rows are tried from the top of the plot; a label
/// takes the first row where it overlaps (with `gap` of air) neither an earlier label nor an
/// obstacle. A label that fits in no row gets an empty rectangle (not drawn).
QVector<QRectF> place(const QVector<Request> &labels, const QRectF &plot, const QVector<QRectF> &obstacles,
                      double gap = 3);

/// Liang–Barsky: the parameter range [t0, t1] of a + t (b − a) inside r; false if none.
bool clipSegment(QPointF a, QPointF b, const QRectF &r, double &t0, double &t1);

/// How many segments of the polyline `line` pass through r (touching it counts; a line of one point
/// counts 1 when r holds it).
int segmentsThrough(const QRectF &r, const QPolygonF &line);
/// The same summed over several polylines.
int segmentsThrough(const QRectF &r, const QVector<QPolygonF> &lines);

/// The index of the candidate box with the least Σ weight × segments of each line passing through it; of
/// equals the first, so candidates come in order of preference (e.g. the PCA floor's label: above its line
/// at the right end, then below it, then in the middle and at the left end). A line without a weight weighs 1.
/// −1 if there is no candidate.
int leastCovered(const QVector<QRectF> &candidates, const QVector<QPolygonF> &lines, const QVector<double> &weights = {});
/// Σ weight × segments of each line through r (what leastCovered minimises).
double coverage(const QRectF &r, const QVector<QPolygonF> &lines, const QVector<double> &weights = {});
/// leastCovered over `preferred`; but where even that box costs `avoid` or more (a line that must not be
/// covered passes through every preferred box), the least covered of `fallback` if it costs less: then the
/// index is preferred.size() + its index in `fallback`. −1 if there is no candidate.
int leastCoveredOr(const QVector<QRectF> &preferred, const QVector<QRectF> &fallback, const QVector<QPolygonF> &lines,
                   const QVector<double> &weights, double avoid);

}  // namespace label_placement
