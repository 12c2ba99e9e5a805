#pragma once
#include "Activation.h"

namespace ael {

/// f(z) = 1 / (1 + e^-z), f'(z) = a(1 - a), f''(z) = a(1 - a)(1 - 2a)
template <class S> class Sigmoid final : public Activation<S> {
public:
    ActivationKind kind() const override { return ActivationKind::Sigmoid; }
    void apply(const Mat<S> &Z, Mat<S> &A) const override
    {
        A.resize(Z.rows(), Z.cols());
        // 1/(1+e^-z) written as 0.5 + 0.5 tanh(z/2): Eigen vectorises tanh and it never overflows
        A.array() = S(0.5) + S(0.5) * (S(0.5) * Z.array()).tanh();
    }
    void derivative(const Mat<S> &, const Mat<S> &A, Mat<S> &D) const override
    {
        D.resize(A.rows(), A.cols());
        D.array() = A.array() * (S(1) - A.array());
    }
    void secondDerivative(const Mat<S> &, const Mat<S> &A, Mat<S> &D2) const override
    {
        D2.resize(A.rows(), A.cols());
        D2.array() = A.array() * (S(1) - A.array()) * (S(1) - S(2) * A.array());
    }
    void backprop(const Mat<S> &, const Mat<S> &A, const Mat<S> &dA, Mat<S> &dZ) const override
    {
        dZ.resize(A.rows(), A.cols());
        dZ.array() = dA.array() * A.array() * (S(1) - A.array());
    }
};

}  // namespace ael
