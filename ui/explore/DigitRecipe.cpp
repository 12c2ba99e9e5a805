#include "DigitRecipe.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace {

/// Box-filter resampling weights from n source pixels onto m destination pixels (exact area
/// averaging): destination pixel j covers the source interval [j·n/m, (j+1)·n/m); its value is the
/// mean of the source over that interval, i.e. Σ_i overlap(i, j)·v_i / (n/m).
struct Taps {
    int first = 0;
    std::vector<float> w;  ///< weights of source pixels first, first + 1, … (sum 1)
};
std::vector<Taps> boxTaps(int n, int m)
{
    std::vector<Taps> taps(static_cast<size_t>(m));
    const double step = double(n) / m;
    for (int j = 0; j < m; ++j) {
        const double a = j * step, b = (j + 1) * step;
        Taps &t = taps[size_t(j)];
        t.first = int(std::floor(a));
        for (int i = t.first; i < n && i < b; ++i) {
            const double overlap = std::min<double>(b, i + 1) - std::max<double>(a, i);
            if (overlap > 0) t.w.push_back(float(overlap / step));
            else t.w.push_back(0.0f);
        }
    }
    return taps;
}

float percentile(std::vector<float> v, double q)
{
    if (v.empty()) return 0;
    const size_t k = std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5));
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), v.end());
    return v[k];
}

/// Grey levels, row-major W × H. RGB32/ARGB32 (the pad's raster) by qGray's weights
/// (11 r + 16 g + 5 b)/32 — exact for grey pixels and several times faster than a QImage conversion;
/// other formats through QImage::convertToFormat.
std::vector<uchar> greyLevels(const QImage &img)
{
    const int W = img.width(), H = img.height();
    std::vector<uchar> out(size_t(W) * size_t(H));
    const QImage::Format f = img.format();
    if (f == QImage::Format_RGB32 || f == QImage::Format_ARGB32) {
        for (int y = 0; y < H; ++y) {
            const QRgb *row = reinterpret_cast<const QRgb *>(img.constScanLine(y));
            uchar *o = out.data() + size_t(y) * size_t(W);
            for (int x = 0; x < W; ++x) o[x] = uchar((qRed(row[x]) * 11 + qGreen(row[x]) * 16 + qBlue(row[x]) * 5) >> 5);
        }
        return out;
    }
    const QImage g = f == QImage::Format_Grayscale8 ? img : img.convertToFormat(QImage::Format_Grayscale8);
    for (int y = 0; y < H; ++y) std::copy_n(g.constScanLine(y), W, out.data() + size_t(y) * size_t(W));
    return out;
}

/// Transparent images (a digit drawn on a transparent PNG): composited onto the colour that
/// contrasts with the opaque pixels (white under dark ink, black under light ink).
QImage flattenAlpha(const QImage &img)
{
    if (!img.hasAlphaChannel()) return img;
    const QImage a = img.convertToFormat(QImage::Format_ARGB32);
    double sum = 0;
    long long n = 0;
    for (int y = 0; y < a.height(); ++y) {
        const QRgb *row = reinterpret_cast<const QRgb *>(a.constScanLine(y));
        for (int x = 0; x < a.width(); ++x)
            if (qAlpha(row[x]) > 128) {
                sum += qGray(row[x]);
                ++n;
            }
    }
    QImage out(a.size(), QImage::Format_RGB32);
    out.fill(n > 0 && sum / double(n) < 128 ? Qt::white : Qt::black);
    QPainter p(&out);
    p.drawImage(0, 0, a);
    return out;
}

}  // namespace

DigitMoments digitMoments(const float *v, int rows, int cols)
{
    DigitMoments m;
    double sx = 0, sy = 0;
    m.left = cols;
    m.top = rows;
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x) {
            const float a = v[y * cols + x];
            if (!(a > 0)) continue;
            m.mass += a;
            sx += a * x;
            sy += a * y;
            m.left = std::min(m.left, x);
            m.right = std::max(m.right, x);
            m.top = std::min(m.top, y);
            m.bottom = std::max(m.bottom, y);
        }
    if (m.mass > 0) {
        m.cx = sx / m.mass;
        m.cy = sy / m.mass;
    } else {
        m.left = m.top = 0;
    }
    return m;
}

DigitInput digitFromInk(const QImage &ink, int rows, int cols)
{
    DigitInput out;
    out.rows = std::max(1, rows);
    out.cols = std::max(1, cols);
    out.pixels.assign(size_t(out.rows) * size_t(out.cols), 0.0f);
    if (ink.isNull()) return out;
    const int W = ink.width(), H = ink.height();
    const std::vector<uchar> grey = greyLevels(ink);

    // 1. Bounding box of the ink.
    const int t = int(std::ceil(kInkThreshold * 255.0f));
    int l = W, r = -1, top = H, bot = -1;
    for (int y = 0; y < H; ++y) {
        const uchar *row = grey.data() + size_t(y) * size_t(W);
        for (int x = 0; x < W; ++x)
            if (row[x] >= t) {
                l = std::min(l, x);
                r = std::max(r, x);
                top = std::min(top, y);
                bot = std::max(bot, y);
            }
    }
    if (r < 0) return out;  // nothing drawn
    const int bw = r - l + 1, bh = bot - top + 1;

    // 2. Scale to fit B×B, aspect kept, with exact area averaging (separable box filter).
    const int Bw = std::max(1, int(std::lround(out.cols * 20.0 / 28.0)));
    const int Bh = std::max(1, int(std::lround(out.rows * 20.0 / 28.0)));
    const double s = std::min(double(Bw) / bw, double(Bh) / bh);
    const int ow = std::clamp(int(std::lround(bw * s)), 1, Bw);
    const int oh = std::clamp(int(std::lround(bh * s)), 1, Bh);
    const std::vector<Taps> tx = boxTaps(bw, ow), ty = boxTaps(bh, oh);
    std::vector<float> tmp(size_t(bh) * size_t(ow));  // horizontal pass: bh × ow
    for (int y = 0; y < bh; ++y) {
        const uchar *row = grey.data() + size_t(top + y) * size_t(W) + size_t(l);
        for (int j = 0; j < ow; ++j) {
            const Taps &tp = tx[size_t(j)];
            float acc = 0;
            for (size_t k = 0; k < tp.w.size(); ++k) acc += tp.w[k] * float(row[tp.first + int(k)]);
            tmp[size_t(y) * size_t(ow) + size_t(j)] = acc * (1.0f / 255.0f);
        }
    }
    std::vector<float> small(size_t(oh) * size_t(ow));  // vertical pass: oh × ow
    for (int i = 0; i < oh; ++i) {
        const Taps &tp = ty[size_t(i)];
        for (int j = 0; j < ow; ++j) {
            float acc = 0;
            for (size_t k = 0; k < tp.w.size(); ++k) acc += tp.w[k] * tmp[size_t(tp.first + int(k)) * size_t(ow) + size_t(j)];
            // 4. Round to k/255 like the 8-bit data (before the CoM, so the shift sees the final values).
            small[size_t(i) * size_t(ow) + size_t(j)] = std::round(std::clamp(acc, 0.0f, 1.0f) * 255.0f) / 255.0f;
        }
    }

    // 3. Integer shift putting the centre of mass on the centre ((n − 1)/2 in pixel-centre coordinates).
    const DigitMoments m = digitMoments(small.data(), oh, ow);
    if (!(m.mass > 0)) return out;  // ink too faint to survive the rounding
    const int ox = std::clamp(int(std::lround((out.cols - 1) / 2.0 - m.cx)), 0, out.cols - ow);
    const int oy = std::clamp(int(std::lround((out.rows - 1) / 2.0 - m.cy)), 0, out.rows - oh);
    for (int i = 0; i < oh; ++i)
        std::copy_n(small.begin() + std::ptrdiff_t(i) * ow, ow,
                    out.pixels.begin() + std::ptrdiff_t(oy + i) * out.cols + ox);
    out.empty = false;
    return out;
}

QImage inkFromPhoto(const QImage &photo)
{
    if (photo.isNull()) return {};
    QImage g = flattenAlpha(photo).convertToFormat(QImage::Format_Grayscale8);
    if (std::max(g.width(), g.height()) > 512)
        g = g.scaled(512, 512, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    const int W = g.width(), H = g.height();
    std::vector<float> v(size_t(W) * size_t(H));
    for (int y = 0; y < H; ++y) {
        const uchar *row = g.constScanLine(y);
        for (int x = 0; x < W; ++x) v[size_t(y) * size_t(W) + size_t(x)] = row[x] / 255.0f;
    }
    // Polarity: the ink is the minority, so it is the tail farther from the median. Dark tail → invert.
    const float p2 = percentile(v, 0.02), med = percentile(v, 0.5), p98 = percentile(v, 0.98);
    if (med - p2 > p98 - med)
        for (float &a : v) a = 1.0f - a;

    // Background: on a G×G grid of cells (G = 8), the 30th percentile of each cell (paper, now dark,
    // is most of every cell), interpolated bilinearly between the cell centres and subtracted.
    constexpr int G = 8;
    float bg[G][G];
    std::vector<float> cell;
    for (int cy = 0; cy < G; ++cy)
        for (int cx = 0; cx < G; ++cx) {
            cell.clear();
            for (int y = cy * H / G; y < (cy + 1) * H / G; ++y)
                for (int x = cx * W / G; x < (cx + 1) * W / G; ++x) cell.push_back(v[size_t(y) * size_t(W) + size_t(x)]);
            bg[cy][cx] = percentile(cell, 0.3);
        }
    float vmax = 0;
    for (int y = 0; y < H; ++y) {
        const double fy = std::clamp((y + 0.5) * G / H - 0.5, 0.0, G - 1.0);
        const int y0 = std::min(int(fy), G - 2);
        const double ay = fy - y0;
        for (int x = 0; x < W; ++x) {
            const double fx = std::clamp((x + 0.5) * G / W - 0.5, 0.0, G - 1.0);
            const int x0 = std::min(int(fx), G - 2);
            const double ax = fx - x0;
            const double b = (1 - ay) * ((1 - ax) * bg[y0][x0] + ax * bg[y0][x0 + 1]) +
                             ay * ((1 - ax) * bg[y0 + 1][x0] + ax * bg[y0 + 1][x0 + 1]);
            float &a = v[size_t(y) * size_t(W) + size_t(x)];
            a = std::max(0.0f, a - float(b));
            vmax = std::max(vmax, a);
        }
    }
    QImage out(W, H, QImage::Format_Grayscale8);
    out.fill(0);
    if (vmax < 0.05f) return out;  // blank paper: no ink
    // Stretch: the 90th percentile of the strong ink (pixels above vmax/3) becomes 1.
    std::vector<float> strong;
    for (float a : v)
        if (a > vmax / 3) strong.push_back(a);
    const float hi = std::max(percentile(strong, 0.9), 1e-3f);
    // Paper noise: below 25 % of the stretched range is zero; above, rescaled so the edges stay soft.
    for (int y = 0; y < H; ++y) {
        uchar *row = out.scanLine(y);
        for (int x = 0; x < W; ++x) {
            const float a = std::min(1.0f, v[size_t(y) * size_t(W) + size_t(x)] / hi);
            row[x] = uchar(std::lround(std::max(0.0f, (a - 0.25f) / 0.75f) * 255.0f));
        }
    }
    return out;
}

DigitInput digitFromPhoto(const QImage &photo, int rows, int cols)
{
    return digitFromInk(inkFromPhoto(photo), rows, cols);
}

QImage digitImage(const float *values, int rows, int cols)
{
    QImage img(cols, rows, QImage::Format_Grayscale8);
    for (int y = 0; y < rows; ++y) {
        uchar *row = img.scanLine(y);
        for (int x = 0; x < cols; ++x) {
            const float a = values[y * cols + x];
            row[x] = uchar(std::lround(std::clamp(std::isfinite(a) ? a : 0.0f, 0.0f, 1.0f) * 255.0f));
        }
    }
    return img;
}

QImage digitImage(const DigitInput &d)
{
    if (d.pixels.size() != size_t(d.rows) * size_t(d.cols)) return {};
    return digitImage(d.pixels.data(), d.rows, d.cols);
}
