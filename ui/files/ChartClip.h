#pragma once
// Qt Charts clips its curves to the plot area when it paints, but Qt SVG's generator ignores clipping:
// an SVG export would draw a steep first part of a loss curve over the chart's title. For the SVG
// export, the line series of every chart in a widget are hidden while the widget is rendered and then
// drawn on top, clipped by hand to their chart's plot area (Liang–Barsky), in the widget's coordinates.
#include <QPolygonF>
#include <QRectF>
#include <QVector>

class QLineSeries;
class QPainter;
class QWidget;

namespace figure {

/// The parts of the polyline `pts` that lie in `r` (closed), each a polyline of at least two points.
/// A run of the curve outside r ends one part; non-finite points split the curve too.
QVector<QPolygonF> clipPolyline(const QPolygonF &pts, const QRectF &r);

/// While alive, the visible QLineSeries of every QChartView under `root` are hidden (restored on
/// destruction); drawCurves paints them clipped to their plot areas, in root's coordinates.
class ClippedChartCurves {
public:
    explicit ClippedChartCurves(QWidget *root);
    ~ClippedChartCurves();
    ClippedChartCurves(const ClippedChartCurves &) = delete;
    ClippedChartCurves &operator=(const ClippedChartCurves &) = delete;

    void drawCurves(QPainter &p) const;
    /// A chart's plot area in root's coordinates (for tests): the rectangle the curves are clipped to.
    static QRectF plotAreaIn(QWidget *root, QLineSeries *series);

private:
    struct Curve {
        QLineSeries *series;
        QVector<QPolygonF> parts;  ///< in root's coordinates, already clipped
    };
    QVector<Curve> m_curves;
};

}  // namespace figure
