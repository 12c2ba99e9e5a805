#pragma once
#include "Activation.h"

namespace ael {

/// f(z) = tanh z, f'(z) = 1 - a², f''(z) = -2a(1 - a²)
template <class S> class Tanh final : public Activation<S> {
public:
    ActivationKind kind() const override { return ActivationKind::Tanh; }
    void apply(const Mat<S> &Z, Mat<S> &A) const override
    {
        A.resize(Z.rows(), Z.cols());
        A.array() = Z.array().tanh();
    }
    void derivative(const Mat<S> &, const Mat<S> &A, Mat<S> &D) const override
    {
        D.resize(A.rows(), A.cols());
        D.array() = S(1) - A.array().square();
    }
    void secondDerivative(const Mat<S> &, const Mat<S> &A, Mat<S> &D2) const override
    {
        D2.resize(A.rows(), A.cols());
        D2.array() = S(-2) * A.array() * (S(1) - A.array().square());
    }
    void backprop(const Mat<S> &, const Mat<S> &A, const Mat<S> &dA, Mat<S> &dZ) const override
    {
        dZ.resize(A.rows(), A.cols());
        dZ.array() = dA.array() * (S(1) - A.array().square());
    }
};

}  // namespace ael
