#pragma once
#include "../parallel/ThreadPool.h"
#include "Loss.h"

#include <algorithm>

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
        return pass(Xhat, X, dXhat, false);
    }
    /// For a sigmoid output x̂ = σ(z), the loss and ∂L/∂z = ∂L/∂x̂ ⊙ x̂(1 − x̂) in the same pass: the same
    /// operations in the same order as valueAndGradient followed by the sigmoid's backprop (the same
    /// bits), without writing ∂L/∂x̂ out and reading it back.
    S valueAndSigmoidLogitGradient(const Mat<S> &Xhat, const Mat<S> &X, Mat<S> &dZ) const
    {
        return pass(Xhat, X, dZ, true);
    }

private:
    S pass(const Mat<S> &Xhat, const Mat<S> &X, Mat<S> &d, bool sigmoid) const
    {
        // one pass, a tile at a time in L1: d = x̂ − x and Σ (x̂ − x)², then d ·= 2/(dB) (and ⊙ x̂(1 − x̂))
        d.resize(X.rows(), X.cols());
        const S *a = Xhat.data(), *b = X.data();
        S *out = d.data();
        const long n = long(X.size());
        const S c = S(2) / S(n);
        using Array = Eigen::Array<S, Eigen::Dynamic, 1>;
        const double sum = parallelSum(n, 1024, double(n), [&](long i0, long i1) {
            double part = 0;
            for (long t = i0; t < i1; t += 2048) {
                const long len = std::min(2048L, i1 - t);
                Eigen::Map<Array> D(out + t, len);
                const Eigen::Map<const Array> A(a + t, len);
                D = A - Eigen::Map<const Array>(b + t, len);
                part += double(D.square().sum());
                D *= c;
                if (sigmoid) D = D * A * (S(1) - A);
            }
            return part;
        }, 65536);
        return S(sum / double(n));
    }
};

}  // namespace ael
