#pragma once
// Two digits, two ways between them: decodings along the straight line between their codes,
// g((1 − t)·f(a) + t·f(b)), above the pixel-space cross-fade (1 − t)·a + t·b. The first stays on
// the learned manifold (every step looks like a digit), the second is a double exposure.
#include <QImage>
#include <QStringList>
#include <QWidget>

#include <vector>

namespace ael {
template <class S> class Model;
}

class InterpolationStrip : public QWidget {
    Q_OBJECT
public:
    explicit InterpolationStrip(QWidget *parent = nullptr);

    /// Encodes a and b (rows·cols floats in [0, 1]; μ for the variational model), decodes `steps` (2..24)
    /// points on the line between the codes as one batch, and blends a and b in pixel space.
    void setEndpoints(const ael::Model<float> &model, const float *a, const float *b, int rows, int cols,
                      int steps = 10);
    /// Or the two rows directly (e.g. computed off the GUI thread with ael::ui::interpolate / pixelBlend).
    void setRows(const std::vector<QImage> &codeLine, const std::vector<QImage> &pixelBlend);
    void clear();

    const std::vector<QImage> &codeLine() const { return m_code; }
    const std::vector<QImage> &pixelBlend() const { return m_blend; }
    /// Where image `col` of row `row` (0: code line, 1: pixel blend) is drawn; empty if none.
    QRectF cellRect(int row, int col) const;
    /// The title as shown: the longest of its forms that fits the width (then elided), never cut at both ends.
    QString shownTitle() const;  ///< empty when the strip is too short for a title
    bool titleShown() const;
    /// The text's base pixel size: the view's, or smaller where the images leave no room for it.
    double textPixelSize() const { return placement().px; }
    /// Where row `row`'s name ("through the code", "pixel blend") is drawn, as high as its font; empty if none.
    QRectF rowLabelRect(int row) const;
    /// The t above each column, as shown: every column's where they fit side by side, else every second's
    /// (third's, …) and the last one's, the others empty.
    QStringList stepLabels() const;

    QSize sizeHint() const override { return {900, 300}; }

protected:
    void paintEvent(QPaintEvent *) override;

private:
    struct Geometry {
        double px = 14, labelW = 0, cell = 0, gap = 0, headerH = 0, titleH = 0, top = 10;
        QPointF origin;
    };
    Geometry placement() const;  ///< where the title, labels and cells go at this size
    Geometry placementAt(double px, bool withTitle) const;
    /// How many columns one t label spans without touching its neighbours (1: every column has its own).
    int labelStride(const Geometry &g) const;
    int columns() const;

    std::vector<QImage> m_code, m_blend;
};
