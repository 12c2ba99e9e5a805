#include "ManifoldOverlay.h"

#include "ManifoldGrid.h"

#include <QPainter>

#include <algorithm>

namespace ael::ui {

QImage overlayTile(const QImage &tile, bool invert)
{
    if (!invert || tile.isNull()) return tile;
    QImage out = tile.convertToFormat(QImage::Format_Grayscale8);
    for (int y = 0; y < out.height(); ++y) {
        uchar *line = out.scanLine(y);
        for (int x = 0; x < out.width(); ++x) line[x] = uchar(255 - line[x]);  // v' = 255 − v
    }
    return out;
}

void paintManifold(QPainter &p, const ManifoldGrid &grid, const std::function<QPointF(QPointF)> &dataToWidget,
                   double opacity, bool invert)
{
    if (grid.isEmpty() || !dataToWidget) return;
    p.save();
    p.setOpacity(std::clamp(opacity, 0.0, 1.0));
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    const int g = grid.size();
    for (int i = 0; i < g; ++i)
        for (int j = 0; j < g; ++j) {
            const QRectF r = grid.tileRect(i, j);
            // Map two opposite corners; normalized() handles the y flip of a plot.
            const QRectF w = QRectF(dataToWidget(r.topLeft()), dataToWidget(r.bottomRight())).normalized();
            p.drawImage(w, overlayTile(grid.tile(i, j), invert));
        }
    p.restore();
}

std::pair<int, int> tileAt(const ManifoldGrid &grid, QPointF q)
{
    const int g = grid.size();
    int col = -1, row = -1;
    for (int j = 0; j < g && col < 0; ++j) {
        const QRectF r = grid.tileRect(0, j);
        if (q.x() >= r.left() && (q.x() < r.right() || (j == g - 1 && q.x() <= r.right()))) col = j;
    }
    for (int i = 0; i < g && row < 0; ++i) {
        const QRectF r = grid.tileRect(i, 0);  // row i spans y in [r.top(), r.bottom()], top row = highest y
        if (q.y() <= r.bottom() && (q.y() > r.top() || (i == g - 1 && q.y() >= r.top()))) row = i;
    }
    if (row < 0 || col < 0) return {-1, -1};
    return {row, col};
}

}  // namespace ael::ui
