#pragma once
// What a layer's weights look like as images: a row of the first encoder layer W₁ (the weights one
// hidden unit puts on the 784 pixels) or a column of the last decoder layer (what one unit adds to the
// reconstruction), reshaped to rows × cols and coloured with a diverging map centred at 0:
// negative blue, 0 near-white, positive red (ColorBrewer RdBu), symmetric in ±scale.
#include <QImage>
#include <QRgb>
#include <QString>
#include <QVector>

namespace ael {
template <class S> class Model;
}

namespace ael::ui {

/// The colour of weight w on the symmetric scale [−scale, scale]: t = clamp(w/scale, −1, 1) linearly
/// interpolated between the five RdBu stops at t = −1, −½, 0, ½, 1 (#2166ac, #92c5de, #f7f7f7, #f4a582,
/// #b2182b), each channel rounded. scale ≤ 0 or non-finite w gives the centre colour (#f7f7f7).
QRgb divergingColor(float w, float scale);

/// A rows × cols ARGB32 image of w[(y·cols + x)·stride] (stride 1: a contiguous vector; stride = the
/// matrix's row count: a row of a column-major matrix), pixel = divergingColor(w, scale).
QImage filterTile(const float *w, int rows, int cols, float scale, int stride = 1);

/// max |w| over the n values w[i·stride] (0 if none is finite).
float maxAbs(const float *w, int n, int stride = 1);

/// One panel of tiles.
struct FilterSet {
    QVector<QImage> tiles;  ///< tile i: unit i (encoder row i or decoder column i)
    QVector<float> scales;  ///< the ±scale each tile was coloured with
    int units = 0;          ///< units in the layer (tiles shows the first min(units, maxCount))
    QString title;          ///< e.g. "Encoder layer 1: rows of W₁ (784 → 256)"
    QString shortTitle;     ///< for a narrow panel, e.g. "Encoder: rows of W₁"
    QString tinyTitle;      ///< for a narrower one still (presentation mode in a 1024-pixel dock), e.g. "Rows of W₁"
    bool valid() const { return !tiles.isEmpty(); }
};

/// Rows of encoder(0).weight (units × d, d = rows·cols) as tiles, at most maxCount. sharedScale: one
/// scale for all shown tiles (their largest |w|); otherwise each tile's own max |w|.
FilterSet encoderFilters(const ael::Model<float> &m, int rows, int cols, int maxCount, bool sharedScale);
/// Columns of the last decoder layer's W (d × units). With tied weights (one-layer decoder, W = W₁ᵀ)
/// these are the encoder's rows, taken from W₁.
FilterSet decoderFilters(const ael::Model<float> &m, int rows, int cols, int maxCount, bool sharedScale);

}  // namespace ael::ui
