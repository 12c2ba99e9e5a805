#include "ui/files/ChartClip.h"

#include "ui/views/LabelPlacement.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsScene>
#include <QLineSeries>
#include <QPainter>
#include <QWidget>

#include <cmath>

namespace figure {

namespace {

bool finite(QPointF p) { return std::isfinite(p.x()) && std::isfinite(p.y()); }

/// Chart coordinates of `chart` → root's coordinates (through the scene and the view's transform).
QPointF toRoot(QChartView *view, QChart *chart, QWidget *root, QPointF c)
{
    const QPointF inViewport = view->viewportTransform().map(chart->mapToScene(c));
    return inViewport + QPointF(view->viewport()->mapTo(root, QPoint(0, 0)));
}

}  // namespace

QVector<QPolygonF> clipPolyline(const QPolygonF &pts, const QRectF &r)
{
    QVector<QPolygonF> parts;
    bool open = false;  // the last segment ended inside r: the next one continues its part
    for (int i = 1; i < pts.size(); ++i) {
        const QPointF a = pts[i - 1], b = pts[i];
        double t0 = 0, t1 = 1;
        if (!finite(a) || !finite(b) || !label_placement::clipSegment(a, b, r, t0, t1)) {
            open = false;
            continue;
        }
        const QPointF from = a + t0 * (b - a), to = a + t1 * (b - a);
        if (!open || t0 > 0) parts.push_back(QPolygonF{from});
        parts.back() << to;
        open = t1 >= 1;
    }
    return parts;
}

ClippedChartCurves::ClippedChartCurves(QWidget *root)
{
    for (QChartView *view : root->findChildren<QChartView *>()) {
        QChart *chart = view->chart();
        if (!chart || !view->isVisibleTo(root)) continue;
        const QRectF area = chart->plotArea();
        const QRectF plot(toRoot(view, chart, root, area.topLeft()), toRoot(view, chart, root, area.bottomRight()));
        for (QAbstractSeries *s : chart->series()) {
            auto *line = qobject_cast<QLineSeries *>(s);
            if (!line || !line->isVisible()) continue;
            QPolygonF mapped;
            for (const QPointF &v : line->points()) mapped << toRoot(view, chart, root, chart->mapToPosition(v, line));
            m_curves.push_back({line, clipPolyline(mapped, plot)});
            line->setVisible(false);
        }
    }
}

ClippedChartCurves::~ClippedChartCurves()
{
    for (const Curve &c : std::as_const(m_curves)) c.series->setVisible(true);
}

void ClippedChartCurves::drawCurves(QPainter &p) const
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    for (const Curve &c : m_curves) {
        p.setPen(c.series->pen());
        for (const QPolygonF &part : c.parts) p.drawPolyline(part);
    }
    p.restore();
}

QRectF ClippedChartCurves::plotAreaIn(QWidget *root, QLineSeries *series)
{
    auto *chart = series ? series->chart() : nullptr;
    if (!chart) return {};
    for (QChartView *view : root->findChildren<QChartView *>())
        if (view->chart() == chart) {
            const QRectF a = chart->plotArea();
            return {toRoot(view, chart, root, a.topLeft()), toRoot(view, chart, root, a.bottomRight())};
        }
    return {};
}

}  // namespace figure
