#pragma once
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
};

}  // namespace ael
