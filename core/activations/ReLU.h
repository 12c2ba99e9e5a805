#pragma once
#include "Activation.h"

namespace ael {

/// f(z) = max(0, z), f'(z) = [z > 0], f''(z) = 0 (almost everywhere)
template <class S> class ReLU final : public Activation<S> {
public:
    ActivationKind kind() const override { return ActivationKind::ReLU; }
    void apply(const Mat<S> &Z, Mat<S> &A) const override
    {
        A.resize(Z.rows(), Z.cols());
        A.array() = Z.array().max(S(0));
    }
    void derivative(const Mat<S> &Z, const Mat<S> &, Mat<S> &D) const override
    {
        D.resize(Z.rows(), Z.cols());
        D.array() = (Z.array() > S(0)).template cast<S>();
    }
    void secondDerivative(const Mat<S> &Z, const Mat<S> &, Mat<S> &D2) const override { D2.setZero(Z.rows(), Z.cols()); }
    void backprop(const Mat<S> &Z, const Mat<S> &, const Mat<S> &dA, Mat<S> &dZ) const override
    {
        dZ.resize(Z.rows(), Z.cols());
        dZ.array() = (Z.array() > S(0)).select(dA.array(), S(0));
    }
};

}  // namespace ael
