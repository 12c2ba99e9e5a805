#include "FilterTiles.h"

#include "core/nn/Model.h"
#include "ui/widgets/Palette.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace ael::ui {

namespace {
constexpr std::array<QRgb, 5> kStops = {0xff2166ac, 0xff92c5de, 0xfff7f7f7, 0xfff4a582, 0xffb2182b};

FilterSet tilesOf(const float *data, int units, int stepUnit, int stride, int rows, int cols, int maxCount,
                  bool shared)
{
    // Unit u's d values are data[u·stepUnit + p·stride], p = 0..d−1.
    FilterSet s;
    s.units = units;
    const int n = std::clamp(maxCount, 0, units), d = rows * cols;
    float common = 0;
    if (shared)
        for (int u = 0; u < n; ++u) common = std::max(common, maxAbs(data + size_t(u) * size_t(stepUnit), d, stride));
    for (int u = 0; u < n; ++u) {
        const float *w = data + size_t(u) * size_t(stepUnit);
        const float scale = shared ? common : maxAbs(w, d, stride);
        s.tiles.append(filterTile(w, rows, cols, scale, stride));
        s.scales.append(scale);
    }
    return s;
}

}  // namespace

QRgb divergingColor(float w, float scale)
{
    if (!(scale > 0) || !std::isfinite(w) || !std::isfinite(scale)) return kStops[2];
    const double t = std::clamp(double(w) / double(scale), -1.0, 1.0);
    // position on the 4 segments between the 5 stops: s = (t + 1)·2 in [0, 4]
    const double s = (t + 1) * 2;
    const int i = std::min(3, int(std::floor(s)));
    const double f = s - i;
    const QRgb a = kStops[size_t(i)], b = kStops[size_t(i) + 1];
    auto mix = [f](int ca, int cb) { return int(std::lround(ca + f * (cb - ca))); };  // c = a + f·(b − a)
    return qRgb(mix(qRed(a), qRed(b)), mix(qGreen(a), qGreen(b)), mix(qBlue(a), qBlue(b)));
}

float maxAbs(const float *w, int n, int stride)
{
    float m = 0;
    for (int i = 0; i < n; ++i) {
        const float v = std::abs(w[size_t(i) * size_t(stride)]);
        if (std::isfinite(v)) m = std::max(m, v);
    }
    return m;
}

QImage filterTile(const float *w, int rows, int cols, float scale, int stride)
{
    QImage img(cols, rows, QImage::Format_ARGB32);
    for (int y = 0; y < rows; ++y) {
        auto *line = reinterpret_cast<QRgb *>(img.scanLine(y));
        for (int x = 0; x < cols; ++x) line[x] = divergingColor(w[size_t(y * cols + x) * size_t(stride)], scale);
    }
    return img;
}

FilterSet encoderFilters(const ael::Model<float> &m, int rows, int cols, int maxCount, bool sharedScale)
{
    const ael::Matrix &W = m.encoder(0).weight().value;  // units × d, column-major: row u strided by W.rows()
    if (rows * cols != m.arch().input || W.cols() != m.arch().input) return {};
    FilterSet s = tilesOf(W.data(), int(W.rows()), 1, int(W.rows()), rows, cols, maxCount, sharedScale);
    s.title = QStringLiteral("Encoder layer 1: rows of W\u2081 (%1 \u2192 %2)").arg(W.cols()).arg(W.rows());
    s.shortTitle = QStringLiteral("Encoder: rows of W\u2081");
    s.tinyTitle = QStringLiteral("Rows of W\u2081");
    return s;
}

FilterSet decoderFilters(const ael::Model<float> &m, int rows, int cols, int maxCount, bool sharedScale)
{
    if (rows * cols != m.arch().input) return {};
    const int last = m.decoderDepth() - 1;
    const ael::Dense<float> *dense = m.denseDecoder(last);
    if (!dense) {
        // W_dec = W₁ᵀ: column u of W_dec is row u of W₁.
        const ael::Matrix &W = m.encoder(0).weight().value;
        FilterSet s = tilesOf(W.data(), int(W.rows()), 1, int(W.rows()), rows, cols, maxCount, sharedScale);
        s.title = QStringLiteral("Decoder: columns of W\u2081\u1d40 (tied)");
        s.shortTitle = QStringLiteral("Decoder: W\u2081\u1d40 (tied)");
        s.tinyTitle = QStringLiteral("W\u2081\u1d40 (tied)");
        return s;
    }
    const ael::Matrix &W = dense->weight().value;  // d × units: column u contiguous
    if (W.rows() != m.arch().input) return {};
    FilterSet s = tilesOf(W.data(), int(W.cols()), int(W.rows()), 1, rows, cols, maxCount, sharedScale);
    // Numbered through the whole network as the encoder's W₁ is: 784-256-[2]-256-784's last is W₄.
    const QString w = QStringLiteral("W") + subscriptDigits(m.encoderDepth() + last + 1);
    // "Decoder layer 2" beside W₄ would count twice in two ways: the layer is named once, by its matrix.
    s.title = QStringLiteral("Decoder's last layer: columns of %1 (%2 \u2192 %3)").arg(w).arg(W.cols()).arg(W.rows());
    s.shortTitle = QStringLiteral("Decoder: columns of %1").arg(w);
    s.tinyTitle = QStringLiteral("Columns of %1").arg(w);
    return s;
}

}  // namespace ael::ui
