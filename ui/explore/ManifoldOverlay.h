#pragma once
// Drawing a ManifoldGrid over a latent scatter plot (e.g. ScatterCanvas, whose dataToWidget() maps
// code coordinates to pixels), and finding the tile under a code point. Digits are white on black;
// on the plot's white background they are drawn inverted (dark strokes on white) by default.
#include <QImage>
#include <QPointF>

#include <functional>
#include <utility>

class QPainter;

namespace ael::ui {

class ManifoldGrid;

/// The tile image as drawn: Grayscale8, 255 − v when inverted.
QImage overlayTile(const QImage &tile, bool invert);

/// Paints every tile of `grid` into its tileRect() mapped through dataToWidget (y up is handled by
/// the mapping), nearest-neighbour, at the given opacity. The painter's state is restored.
void paintManifold(QPainter &p, const ManifoldGrid &grid, const std::function<QPointF(QPointF)> &dataToWidget,
                   double opacity = 0.85, bool invert = true);

/// The (row, col) of the tile whose tileRect() contains the code point (x = dimX, y = dimY), or
/// (−1, −1) outside the grid: a click on the overlay → grid.tileCode(row, col).
std::pair<int, int> tileAt(const ManifoldGrid &grid, QPointF codePoint);

}  // namespace ael::ui
