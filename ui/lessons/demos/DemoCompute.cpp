#include "DemoCompute.h"

#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/nn/Model.h"
#include "core/pca/Pca.h"
#include "ui/explore/LatentDecode.h"

#include <algorithm>

namespace demo_compute {

ael::Matrix reconstruct(const ael::Model<float> &m, const ael::Matrix &X)
{
    ael::Matrix H, Xhat;
    m.encode(X, H);  // f(x), or μ(x) for the variational model
    m.decode(H, Xhat);
    return Xhat;
}

double mse(const ael::Matrix &A, const ael::Matrix &B)
{
    if (A.size() == 0 || A.rows() != B.rows() || A.cols() != B.cols()) return 0;
    // (1 / (d n)) Σ (a − b)², in double
    return (A.cast<double>() - B.cast<double>()).squaredNorm() / double(A.size());
}

ael::Matrix columns(const ael::Dataset &d, const std::vector<int> &idx)
{
    ael::Matrix X;
    d.batch(idx.data(), int(idx.size()), X);
    return X;
}

ael::Matrix firstImages(const ael::Dataset &d, int n)
{
    ael::Matrix X;
    d.range(0, std::min(n, d.size()), X);
    return X;
}

QVector<QImage> toImages(const ael::Matrix &X, int rows, int cols, int n)
{
    QVector<QImage> out;
    for (int j = 0; j < std::min<int>(n, int(X.cols())); ++j) out << ael::ui::grayImage(X.col(j).data(), rows, cols);
    return out;
}

ael::Matrix uniformNoise(int d, int n, quint64 seed)
{
    ael::Rng rng(seed);
    ael::Matrix X(d, n);
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < d; ++i) X(i, j) = rng.uniformf();
    return X;
}

std::vector<float> inkMask(const ael::Dataset &data)
{
    const int d = data.dim();
    std::vector<float> mask(size_t(d), 0.0f);
    for (int i = 0; i < data.size(); ++i) {
        const uint8_t *img = data.image(i);
        for (int k = 0; k < d; ++k)
            if (img[k]) mask[size_t(k)] = 1.0f;
    }
    return mask;
}

ael::Matrix uniformNoiseOn(const std::vector<float> &mask, int n, quint64 seed)
{
    ael::Matrix X = uniformNoise(int(mask.size()), n, seed);
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < X.rows(); ++i) X(i, j) *= mask[size_t(i)];
    return X;
}

int componentsHolding(const ael::Pca &pca, double fraction)
{
    int m = 0;
    while (m < pca.dim() && pca.cumulativeRatio(m) < fraction) ++m;
    return m;
}

ael::Matrix inPrincipalSubspace(const ael::Pca &pca, const ael::Matrix &X, int m)
{
    return pca.reconstruct(pca.project(X, m));  // μ 1ᵀ + W_m W_mᵀ (X − μ 1ᵀ)
}

double mseOfMean(const ael::Pca &pca, const ael::Matrix &X)
{
    if (X.size() == 0 || X.rows() != pca.dim()) return 0;
    return (X.cast<double>().colwise() - pca.mean().cast<double>()).squaredNorm() / double(X.size());
}

}  // namespace demo_compute
