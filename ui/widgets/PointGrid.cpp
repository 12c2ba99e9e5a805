// A uniform grid over a point set for nearest-point queries (the scatter's hover).
#include "ui/widgets/PointGrid.h"

#include <algorithm>
#include <cmath>
#include <limits>

void PointGrid::clear()
{
    m_points.clear();
    m_cellStart.clear();
    m_index.clear();
    m_nx = m_ny = m_count = 0;
    m_bounds = {};
}

void PointGrid::build(const QVector<QPointF> &points)
{
    clear();
    m_points = points;
    double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
    int n = 0;
    for (const QPointF &p : points) {
        if (!std::isfinite(p.x()) || !std::isfinite(p.y())) continue;
        x0 = std::min(x0, p.x());
        x1 = std::max(x1, p.x());
        y0 = std::min(y0, p.y());
        y1 = std::max(y1, p.y());
        ++n;
    }
    if (n == 0) return;
    const double w = std::max(x1 - x0, 1e-9), h = std::max(y1 - y0, 1e-9);
    m_bounds = QRectF(x0, y0, w, h);
    const int side = std::clamp(int(std::sqrt(n / 2.0)), 1, 256);  // ~2 points a cell
    m_nx = m_ny = side;
    m_count = n;

    auto cellOf = [&](const QPointF &p) {
        const int ix = std::clamp(int((p.x() - x0) / w * m_nx), 0, m_nx - 1);
        const int iy = std::clamp(int((p.y() - y0) / h * m_ny), 0, m_ny - 1);
        return iy * m_nx + ix;
    };
    m_cellStart.fill(0, m_nx * m_ny + 1);
    for (const QPointF &p : points)
        if (std::isfinite(p.x()) && std::isfinite(p.y())) ++m_cellStart[cellOf(p) + 1];
    for (int c = 0; c < m_nx * m_ny; ++c) m_cellStart[c + 1] += m_cellStart[c];
    m_index.resize(n);
    QVector<int> fill(m_cellStart.begin(), m_cellStart.end() - 1);
    for (int i = 0; i < points.size(); ++i) {
        const QPointF &p = points[i];
        if (std::isfinite(p.x()) && std::isfinite(p.y())) m_index[fill[cellOf(p)]++] = i;
    }
}

int PointGrid::nearest(QPointF q, double sx, double sy, double maxDist, const QRectF &within) const
{
    if (m_count == 0 || !(sx > 0) || !(sy > 0) || !(maxDist > 0)) return -1;
    const double rx = maxDist / sx, ry = maxDist / sy;
    const double cw = m_bounds.width() / m_nx, ch = m_bounds.height() / m_ny;
    const double fx0 = (q.x() - rx - m_bounds.left()) / cw, fx1 = (q.x() + rx - m_bounds.left()) / cw;
    const double fy0 = (q.y() - ry - m_bounds.top()) / ch, fy1 = (q.y() + ry - m_bounds.top()) / ch;
    if (fx1 < 0 || fy1 < 0 || fx0 >= m_nx || fy0 >= m_ny) return -1;
    const int ix0 = std::max(0, int(std::floor(fx0))), ix1 = std::min(m_nx - 1, int(std::floor(fx1)));
    const int iy0 = std::max(0, int(std::floor(fy0))), iy1 = std::min(m_ny - 1, int(std::floor(fy1)));
    const bool clip = within.isValid();
    double best = maxDist * maxDist;
    int bestIndex = -1;
    for (int iy = iy0; iy <= iy1; ++iy)
        for (int ix = ix0; ix <= ix1; ++ix) {
            const int c = iy * m_nx + ix;
            for (int k = m_cellStart[c]; k < m_cellStart[c + 1]; ++k) {
                const int i = m_index[k];
                const QPointF &p = m_points[i];
                if (clip && !within.contains(p)) continue;
                const double dx = (p.x() - q.x()) * sx, dy = (p.y() - q.y()) * sy;
                const double d2 = dx * dx + dy * dy;
                if (d2 < best || (d2 == best && bestIndex < 0)) {
                    best = d2;
                    bestIndex = i;
                }
            }
        }
    return bestIndex;
}

