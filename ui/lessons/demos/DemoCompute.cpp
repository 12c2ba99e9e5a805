#include "DemoCompute.h"

#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/nn/Model.h"
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

}  // namespace demo_compute
