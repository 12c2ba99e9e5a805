#pragma once
#include <QPointF>
#include <QRectF>
#include <QVector>

/// Buckets points into a uniform grid over their bounding box for nearest-point queries under an
/// axis-scaled metric (data → pixel scale sx, sy), as the scatter's hover uses.
class PointGrid {
public:
    void build(const QVector<QPointF> &points);
    void clear();
    bool isEmpty() const { return m_count == 0; }
    /// The index of the point nearest to q in the metric d² = (sx·Δx)² + (sy·Δy)², among the points
    /// with d ≤ maxDist, or −1. Points outside `within` (if it is valid) are ignored.
    int nearest(QPointF q, double sx, double sy, double maxDist, const QRectF &within = {}) const;

private:
    QVector<QPointF> m_points;  // implicitly shared with the canvas's copy
    QRectF m_bounds;
    int m_nx = 0, m_ny = 0, m_count = 0;
    QVector<int> m_cellStart;  // m_nx·m_ny + 1 offsets into m_index
    QVector<int> m_index;
};
