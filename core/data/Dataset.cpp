#include "Dataset.h"

#include "../parallel/ThreadPool.h"

namespace ael {

void Dataset::batch(const int *idx, int n, Matrix &X) const
{
    const int d = dim();
    X.resize(d, n);
    constexpr float scale = 1.0f / 255.0f;
    parallelRanges(n, 1, double(n) * d, [&](long j0, long j1) {
        for (long j = j0; j < j1; ++j) {
            const uint8_t *src = image(idx[j]);
            float *dst = X.col(j).data();
            for (int i = 0; i < d; ++i) dst[i] = float(src[i]) * scale;
        }
    }, 65536);  // a byte-to-float copy: worth two threads from ~64k pixels (batch ≥ 84 of 784 pixels)
}

void Dataset::range(int first, int n, Matrix &X) const
{
    const int d = dim();
    X.resize(d, n);
    const Eigen::Map<const Eigen::Matrix<uint8_t, Eigen::Dynamic, Eigen::Dynamic>> src(image(first), d, n);
    X = src.cast<float>() * (1.0f / 255.0f);
}

Dataset Dataset::subset(const std::vector<int> &idx, const std::string &newName) const
{
    Dataset out;
    out.name = newName;
    out.rows = rows;
    out.cols = cols;
    out.classNames = classNames;
    out.pixels.resize(idx.size() * size_t(dim()));
    out.labels.resize(idx.size());
    for (size_t k = 0; k < idx.size(); ++k) {
        std::copy_n(image(idx[k]), dim(), out.pixels.data() + k * size_t(dim()));
        out.labels[k] = labels[size_t(idx[k])];
    }
    return out;
}

}  // namespace ael
