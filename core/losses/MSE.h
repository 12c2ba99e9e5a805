#pragma once
#include "../parallel/ThreadPool.h"
#include "Loss.h"

namespace ael {

/// Gaussian decoder p(x|h) = N(x̂, σ²I):  L = 1/(dB) Σ (x̂ − x)²,  ∂L/∂x̂ = 2(x̂ − x)/(dB)
template <class S> class MSE final : public Loss<S> {
public:
    LossKind kind() const override { return LossKind::MSE; }
    S value(const Mat<S> &Xhat, const Mat<S> &X) const override
    {
        return (Xhat - X).squaredNorm() / S(X.size());
    }
    void gradient(const Mat<S> &Xhat, const Mat<S> &X, Mat<S> &dXhat) const override
    {
        dXhat.resize(X.rows(), X.cols());
        dXhat.array() = (Xhat - X).array() * (S(2) / S(X.size()));
    }
    S valueAndGradient(const Mat<S> &Xhat, const Mat<S> &X, Mat<S> &dXhat) const override
    {
        // one pass: dXhat = x̂ − x and Σ (x̂ − x)², then scale dXhat by 2/(dB)
        dXhat.resize(X.rows(), X.cols());
        const S *a = Xhat.data(), *b = X.data();
        S *d = dXhat.data();
        const long n = long(X.size());
        const S c = S(2) / S(n);
        const double sum = parallelSum(n, 1024, double(n), [&](long i0, long i1) {
            Eigen::Map<Eigen::Array<S, Eigen::Dynamic, 1>> D(d + i0, i1 - i0);
            D = Eigen::Map<const Eigen::Array<S, Eigen::Dynamic, 1>>(a + i0, i1 - i0) -
                Eigen::Map<const Eigen::Array<S, Eigen::Dynamic, 1>>(b + i0, i1 - i0);
            const double part = double(D.square().sum());  // read again while still in cache
            D *= c;
            return part;
        }, 65536);
        return S(sum / double(n));
    }
};

}  // namespace ael
