#include "LatentDecode.h"

#include "core/Rng.h"
#include "core/nn/Model.h"

#include <algorithm>
#include <cmath>

namespace ael::ui {

namespace {

std::vector<QImage> columnsToImages(const ael::Matrix &X, int rows, int cols)
{
    std::vector<QImage> out;
    out.reserve(size_t(X.cols()));
    for (Eigen::Index j = 0; j < X.cols(); ++j) out.push_back(grayImage(X.col(j).data(), rows, cols));
    return out;
}

bool fits(const ael::Model<float> &m, int rows, int cols)
{
    return rows > 0 && cols > 0 && rows * cols == m.arch().input;
}

}  // namespace

QImage grayImage(const float *pixels, int rows, int cols)
{
    QImage img(cols, rows, QImage::Format_Grayscale8);
    for (int y = 0; y < rows; ++y) {
        uchar *line = img.scanLine(y);
        for (int x = 0; x < cols; ++x) {
            const float v = pixels[y * cols + x];
            line[x] = uchar(std::lround((v >= 0.0f ? std::min(v, 1.0f) : 0.0f) * 255.0f));  // NaN → 0
        }
    }
    return img;
}

std::vector<float> decodeCode(const ael::Model<float> &model, const std::vector<float> &code)
{
    if (int(code.size()) != model.arch().code) return {};
    const ael::Matrix H = Eigen::Map<const ael::Matrix>(code.data(), Eigen::Index(code.size()), 1);
    ael::Matrix X;
    model.decode(H, X);
    return std::vector<float>(X.data(), X.data() + X.size());
}

QImage decodeAt(const ael::Model<float> &model, const std::vector<float> &code, int rows, int cols)
{
    if (!fits(model, rows, cols)) return {};
    const std::vector<float> x = decodeCode(model, code);
    return x.empty() ? QImage() : grayImage(x.data(), rows, cols);
}

std::vector<float> encodeImage(const ael::Model<float> &model, const float *x, int d)
{
    if (!x || d != model.arch().input) return {};
    const ael::Matrix X = Eigen::Map<const ael::Matrix>(x, d, 1);
    ael::Matrix H;
    model.encode(X, H);  // μ(x) for the variational model
    return std::vector<float>(H.data(), H.data() + H.size());
}

std::vector<QImage> interpolate(const ael::Model<float> &model, const std::vector<float> &codeA,
                                const std::vector<float> &codeB, int steps, int rows, int cols)
{
    const int k = model.arch().code;
    if (steps < 2 || int(codeA.size()) != k || int(codeB.size()) != k || !fits(model, rows, cols)) return {};
    ael::Matrix H(k, steps);
    for (int s = 0; s < steps; ++s) {
        const float t = float(s) / float(steps - 1);
        for (int i = 0; i < k; ++i) H(i, s) = (1 - t) * codeA[size_t(i)] + t * codeB[size_t(i)];  // h_t = (1−t)a + t b
    }
    // The ends exactly a and b (no rounding from (1 − t)·a + t·b).
    for (int i = 0; i < k; ++i) {
        H(i, 0) = codeA[size_t(i)];
        H(i, steps - 1) = codeB[size_t(i)];
    }
    ael::Matrix X;
    model.decode(H, X);
    return columnsToImages(X, rows, cols);
}

std::vector<QImage> pixelBlend(const float *xa, const float *xb, int rows, int cols, int steps)
{
    if (!xa || !xb || steps < 2 || rows <= 0 || cols <= 0) return {};
    std::vector<QImage> out;
    std::vector<float> x(size_t(rows) * size_t(cols));
    for (int s = 0; s < steps; ++s) {
        const float t = float(s) / float(steps - 1);
        for (size_t p = 0; p < x.size(); ++p) x[p] = (1 - t) * xa[p] + t * xb[p];  // x_t = (1−t)xa + t xb
        out.push_back(grayImage(x.data(), rows, cols));
    }
    return out;
}

std::vector<QImage> samplePrior(const ael::Model<float> &model, int count, uint64_t seed, int rows, int cols)
{
    if (count <= 0 || !fits(model, rows, cols)) return {};
    const int k = model.arch().code;
    ael::Rng rng(seed);
    ael::Matrix H(k, count);
    for (int j = 0; j < count; ++j)
        for (int i = 0; i < k; ++i) H(i, j) = float(rng.normal());  // h ~ N(0, I)
    ael::Matrix X;
    model.decode(H, X);
    return columnsToImages(X, rows, cols);
}

}  // namespace ael::ui
