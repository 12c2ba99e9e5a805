#pragma once
// Axis arithmetic shared by the plots: tick steps of 1, 2 or 5 times a power of ten, tick labels
// with just enough decimals, and a data range that follows the bulk of the points.
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QVector>

#include <functional>

namespace axis_ticks {

/// 1, 2 or 5 times a power of ten, about span / targetTicks.
double niceStep(double span, double targetTicks);
/// A niceStep for `span` drawn over `pixels`: about one tick per `pixelsPerTick` pixels (at least three),
/// and coarser while neighbouring ticks would be closer than room(step) pixels (their labels would touch).
double roomyStep(double span, double pixels, double pixelsPerTick, const std::function<double(double step)> &room);
/// v with as many decimals as the step needs (scientific for tiny steps), with a real minus sign.
QString tickLabel(double v, double step);
/// A printf format for an axis whose ticks are `step` apart: just enough fixed decimals that
/// neighbouring ticks never print alike ("%.4f" for a step of 0.0002; "%.0f" for 5).
QString labelFormat(double step);
/// The box from the lo-th to the hi-th quantile on each axis, extended to the farthest points within a
/// quarter of that span beyond them (a cluster at the edge is not cut; a far outlier does not squash the
/// bulk), then widened by margin × span on each side
/// (a collapsed code keeps its tiny spread visible; all-equal points get minSpan); non-finite points
/// ignored; invalid if there are none.
QRectF robustRange(const QVector<QPointF> &pts, double lo = 0.01, double hi = 0.99, double margin = 0.08,
                   double minSpan = 1e-3);

}  // namespace axis_ticks
