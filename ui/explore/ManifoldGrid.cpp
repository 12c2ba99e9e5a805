#include "ManifoldGrid.h"

#include "LatentDecode.h"
#include "NormalQuantile.h"
#include "core/nn/Model.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>

namespace ael::ui {

namespace {

/// Edges half-way between neighbouring centers, the outer ones half a step (or the given cap) out.
std::vector<double> midEdges(const std::vector<double> &c, double outerLo, double outerHi)
{
    std::vector<double> e(c.size() + 1);
    e.front() = outerLo;
    e.back() = outerHi;
    for (size_t i = 1; i < c.size(); ++i) e[i] = 0.5 * (c[i - 1] + c[i]);
    return e;
}

}  // namespace

ManifoldGrid::Plane ManifoldGrid::Plane::ofDims(int k, const std::vector<float> &base, int dimX, int dimY)
{
    Plane p;
    p.base = base.empty() ? std::vector<float>(size_t(std::max(k, 0)), 0.0f) : base;
    p.b1.assign(size_t(std::max(k, 0)), 0.0f);
    p.b2 = p.b1;
    if (dimX >= 0 && dimX < k && dimY >= 0 && dimY < k && dimX != dimY && int(p.base.size()) == k) {
        p.base[size_t(dimX)] = p.base[size_t(dimY)] = 0.0f;
        p.b1[size_t(dimX)] = 1.0f;
        p.b2[size_t(dimY)] = 1.0f;
    } else {
        p.b1.clear();  // invalid: build() returns an empty grid
    }
    return p;
}

void ManifoldGrid::rectAxes(const QRectF &rect, int g, std::vector<double> &xs, std::vector<double> &ys,
                            std::vector<double> &xe, std::vector<double> &ye)
{
    const QRectF r = rect.normalized();
    xs.clear();
    ys.clear();
    xe.clear();
    ye.clear();
    if (!std::isfinite(r.left()) || !std::isfinite(r.right()) || !std::isfinite(r.top()) || !std::isfinite(r.bottom()))
        return;  // no axes: build() returns an empty grid
    const double minX = r.left(), maxX = r.right(), minY = r.top(), maxY = r.bottom();
    xs.assign(size_t(g), 0.0);
    ys.assign(size_t(g), 0.0);
    for (int t = 0; t < g; ++t) {
        const double f = g > 1 ? double(t) / (g - 1) : 0.5;
        xs[size_t(t)] = minX + f * (maxX - minX);  // x_j = minX + j·(maxX − minX)/(g − 1)
        ys[size_t(t)] = maxY - f * (maxY - minY);  // y_i = maxY − i·(maxY − minY)/(g − 1)
    }
    const double hx = g > 1 ? (maxX - minX) / (g - 1) / 2 : r.width() / 2;
    const double hy = g > 1 ? (maxY - minY) / (g - 1) / 2 : r.height() / 2;
    xe = midEdges(xs, xs.front() - hx, xs.back() + hx);
    ye = midEdges(ys, ys.front() + hy, ys.back() - hy);
}

void ManifoldGrid::priorAxes(int g, std::vector<double> &xs, std::vector<double> &ys, std::vector<double> &xe,
                             std::vector<double> &ye)
{
    xs.assign(size_t(g), 0.0);
    ys.assign(size_t(g), 0.0);
    for (int t = 0; t < g; ++t) {
        xs[size_t(t)] = normalQuantile((t + 0.5) / g);      // z_x = Φ⁻¹((j + ½)/g)
        ys[size_t(t)] = normalQuantile(1 - (t + 0.5) / g);  // z_y = Φ⁻¹(1 − (i + ½)/g)
    }
    // Cell edges at the quantiles j/g (each cell holds 1/g of the prior's mass on its axis); the
    // infinite outer edges are cut at the 1/(4g) quantile.
    const double outer = normalQuantile(1 - 0.25 / g);
    xe.assign(size_t(g) + 1, 0.0);
    ye.assign(size_t(g) + 1, 0.0);
    for (int t = 0; t <= g; ++t) {
        xe[size_t(t)] = std::clamp(normalQuantile(double(t) / g), -outer, outer);
        ye[size_t(t)] = std::clamp(normalQuantile(1 - double(t) / g), -outer, outer);
    }
}

ManifoldGrid ManifoldGrid::overRect(const ael::Model<float> &model, const QRectF &rect, int g,
                                    const std::vector<float> &base, int dimX, int dimY, int rows, int cols)
{
    return overRectOnPlane(model, rect, g, Plane::ofDims(model.arch().code, base, dimX, dimY), rows, cols);
}

ManifoldGrid ManifoldGrid::overRectOnPlane(const ael::Model<float> &model, const QRectF &rect, int g, const Plane &plane,
                                    int rows, int cols)
{
    std::vector<double> xs, ys, xe, ye;
    rectAxes(rect, std::clamp(g, 1, 64), xs, ys, xe, ye);
    return build(model, xs, ys, xe, ye, plane, rows, cols);
}

ManifoldGrid ManifoldGrid::overPrior(const ael::Model<float> &model, int g, const std::vector<float> &base,
                                     int dimX, int dimY, int rows, int cols)
{
    return overPriorOnPlane(model, g, Plane::ofDims(model.arch().code, base, dimX, dimY), rows, cols);
}

ManifoldGrid ManifoldGrid::overPriorOnPlane(const ael::Model<float> &model, int g, const Plane &plane, int rows, int cols)
{
    std::vector<double> xs, ys, xe, ye;
    priorAxes(std::clamp(g, 1, 64), xs, ys, xe, ye);
    return build(model, xs, ys, xe, ye, plane, rows, cols);
}

ManifoldGrid ManifoldGrid::build(const ael::Model<float> &model, const std::vector<double> &xs,
                                 const std::vector<double> &ys, const std::vector<double> &xEdges,
                                 const std::vector<double> &yEdges, const Plane &plane, int rows, int cols)
{
    ManifoldGrid out;
    const size_t k = size_t(model.arch().code);
    if (xs.empty() || ys.empty()) return out;
    if (rows <= 0 || cols <= 0 || rows * cols != model.arch().input) return out;
    if (plane.base.size() != k || plane.b1.size() != k || plane.b2.size() != k) return out;
    QElapsedTimer clock;
    clock.start();
    const int g = int(xs.size());
    out.m_g = g;
    out.m_dimX = int(std::max_element(plane.b1.begin(), plane.b1.end()) - plane.b1.begin());
    out.m_dimY = int(std::max_element(plane.b2.begin(), plane.b2.end()) - plane.b2.begin());
    out.m_rows = rows;
    out.m_cols = cols;
    out.m_xs = xs;
    out.m_ys = ys;
    out.m_xEdges = xEdges;
    out.m_yEdges = yEdges;
    out.m_plane = plane;

    // One k × g² batch: column row·g + col is h = base + x_col·b1 + y_row·b2.
    ael::Matrix H(Eigen::Index(k), g * g);
    for (int i = 0; i < g; ++i)
        for (int j = 0; j < g; ++j) {
            const std::vector<float> h = out.tileCode(i, j);
            std::copy(h.begin(), h.end(), H.col(i * g + j).data());
        }
    ael::Matrix X;
    model.decode(H, X);
    out.m_tiles.reserve(g * g);
    for (int t = 0; t < g * g; ++t) out.m_tiles.append(grayImage(X.col(t).data(), rows, cols));
    out.m_ms = double(clock.nsecsElapsed()) / 1e6;
    return out;
}

QImage ManifoldGrid::tile(int row, int col) const
{
    if (row < 0 || col < 0 || row >= m_g || col >= m_g) return {};
    return m_tiles.value(row * m_g + col);
}

QPointF ManifoldGrid::tileCenter(int row, int col) const
{
    if (row < 0 || col < 0 || row >= m_g || col >= m_g) return {};
    return {m_xs[size_t(col)], m_ys[size_t(row)]};
}

std::vector<float> ManifoldGrid::tileCode(int row, int col) const
{
    if (row < 0 || col < 0 || row >= m_g || col >= m_g) return {};
    const double x = m_xs[size_t(col)], y = m_ys[size_t(row)];
    std::vector<float> h = m_plane.base;
    for (size_t d = 0; d < h.size(); ++d) h[d] = float(h[d] + x * m_plane.b1[d] + y * m_plane.b2[d]);
    return h;
}

QRectF ManifoldGrid::tileRect(int row, int col) const
{
    if (row < 0 || col < 0 || row >= m_g || col >= m_g) return {};
    const double x0 = m_xEdges[size_t(col)], x1 = m_xEdges[size_t(col) + 1];
    const double yTop = m_yEdges[size_t(row)], yBottom = m_yEdges[size_t(row) + 1];  // yTop > yBottom
    return QRectF(QPointF(x0, yBottom), QPointF(x1, yTop));
}

QRectF ManifoldGrid::extent() const
{
    if (m_g == 0) return {};
    return QRectF(QPointF(m_xEdges.front(), m_yEdges.back()), QPointF(m_xEdges.back(), m_yEdges.front()));
}

QImage ManifoldGrid::mosaic(int gap, int gapGray) const
{
    if (m_g == 0) return {};
    gap = std::max(0, gap);
    const int w = m_g * m_cols + (m_g - 1) * gap, h = m_g * m_rows + (m_g - 1) * gap;
    QImage img(w, h, QImage::Format_Grayscale8);
    img.fill(QColor(gapGray, gapGray, gapGray));
    for (int i = 0; i < m_g; ++i)
        for (int j = 0; j < m_g; ++j) {
            const QImage &t = m_tiles[i * m_g + j];
            for (int y = 0; y < m_rows; ++y)
                std::copy_n(t.constScanLine(y), m_cols, img.scanLine(i * (m_rows + gap) + y) + j * (m_cols + gap));
        }
    return img;
}

}  // namespace ael::ui
