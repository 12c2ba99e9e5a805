#pragma once
// The learned manifold: a g × g grid of decoded images laid over two code dimensions, for the
// latent scatter plot ("what does the decoder draw here?"). Two layouts:
//
//   overRect   tile (i, j) decodes the point x_j = minX + j·(maxX − minX)/(g − 1),
//                                            y_i = maxY − i·(maxY − minY)/(g − 1)
//              (tile centers span the visible rectangle; tile (0, 0) is the top-left (minX, maxY))
//   overPrior  tile (i, j) decodes z = (Φ⁻¹((j + ½)/g), Φ⁻¹(1 − (i + ½)/g)): equal probability mass
//              of the N(0, I) prior per tile, the variational autoencoder's classic figure
//
// Row-major, row 0 at the top = highest y, so the mosaic matches a plot whose y axis points up. The
// other k − 2 code dimensions stay at a base code (the mean code, or the code of a drawn digit).
// All g² codes are decoded as ONE batch (a k × g² matrix through Model::decode).
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QVector>

#include <vector>

namespace ael {
template <class S> class Model;
}

namespace ael::ui {

class ManifoldGrid {
public:
    /// A plane through code space: the tile at plot point (x, y) decodes h = base + x·b1 + y·b2.
    /// The dimension layouts below are the plane base (with dimX, dimY zeroed), e_dimX, e_dimY;
    /// a k > 2 code drawn on its two principal directions uses those directions as b1, b2.
    struct Plane {
        std::vector<float> base, b1, b2;  ///< k entries each
        static Plane ofDims(int k, const std::vector<float> &base, int dimX, int dimY);
    };

    /// The grid over `rect` on a plane (same conventions as the dimension layout below).
    static ManifoldGrid overRectOnPlane(const ael::Model<float> &model, const QRectF &rect, int g, const Plane &plane,
                                 int rows = 28, int cols = 28);
    /// The grid over the prior's quantiles on a plane.
    static ManifoldGrid overPriorOnPlane(const ael::Model<float> &model, int g, const Plane &plane, int rows = 28,
                                  int cols = 28);

    /// The grid over `rect` in code coordinates (x = dimension dimX, y = dimension dimY; rect.top() is the
    /// smallest y). `base` has the model's k entries (empty: zeros). g is clamped to [1, 64]. Returns an
    /// empty grid (isEmpty()) when rows·cols is not the model's input size, the dimensions are out of
    /// range or the rectangle is not finite.
    static ManifoldGrid overRect(const ael::Model<float> &model, const QRectF &rect, int g,
                                 const std::vector<float> &base, int dimX = 0, int dimY = 1, int rows = 28,
                                 int cols = 28);
    /// The grid over the prior's quantiles (see above); same conventions.
    static ManifoldGrid overPrior(const ael::Model<float> &model, int g, const std::vector<float> &base,
                                  int dimX = 0, int dimY = 1, int rows = 28, int cols = 28);

    bool isEmpty() const { return m_tiles.isEmpty(); }
    int size() const { return m_g; }  ///< g (tiles per side)
    int dimX() const { return m_dimX; }
    int dimY() const { return m_dimY; }
    /// The g² decoded images (Grayscale8, rows × cols), row-major: index row·g + col.
    const QVector<QImage> &tiles() const { return m_tiles; }
    QImage tile(int row, int col) const;
    /// The exact latent point (dimX, dimY) decoded in tile (row, col).
    QPointF tileCenter(int row, int col) const;
    /// The full k-dimensional code decoded in tile (row, col).
    std::vector<float> tileCode(int row, int col) const;
    /// Where to draw tile (row, col) on the plot, in code coordinates: half-way to the neighbouring
    /// centers on each side (the outer tiles extend half a step past the rectangle). For the prior
    /// layout the cells are the quantile intervals, the outer ones cut at ±Φ⁻¹(1 − ¼/g).
    QRectF tileRect(int row, int col) const;
    /// The union of all tileRect()s.
    QRectF extent() const;
    /// All tiles in one Grayscale8 image (g·cols + (g − 1)·gap wide), the gaps filled with `gapGray`.
    QImage mosaic(int gap = 0, int gapGray = 255) const;
    /// Milliseconds the decode took (batch + conversion), for the report and the status bar.
    double renderMs() const { return m_ms; }

private:
    static ManifoldGrid build(const ael::Model<float> &model, const std::vector<double> &xs,
                              const std::vector<double> &ys, const std::vector<double> &xEdges,
                              const std::vector<double> &yEdges, const Plane &plane, int rows, int cols);
    static void rectAxes(const QRectF &rect, int g, std::vector<double> &xs, std::vector<double> &ys,
                         std::vector<double> &xe, std::vector<double> &ye);
    static void priorAxes(int g, std::vector<double> &xs, std::vector<double> &ys, std::vector<double> &xe,
                          std::vector<double> &ye);

    int m_g = 0, m_dimX = 0, m_dimY = 1, m_rows = 0, m_cols = 0;
    std::vector<double> m_xs, m_ys;          ///< tile centers: x by column, y by row (descending)
    std::vector<double> m_xEdges, m_yEdges;  ///< g + 1 cell edges each (y descending)
    Plane m_plane;
    QVector<QImage> m_tiles;
    double m_ms = 0;
};

}  // namespace ael::ui
