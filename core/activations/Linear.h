#pragma once
#include "Activation.h"

namespace ael {

/// f(z) = z, f'(z) = 1, f''(z) = 0
template <class S> class Linear final : public Activation<S> {
public:
    ActivationKind kind() const override { return ActivationKind::Linear; }
    void apply(const Mat<S> &Z, Mat<S> &A) const override { A = Z; }
    void derivative(const Mat<S> &Z, const Mat<S> &, Mat<S> &D) const override { D.setOnes(Z.rows(), Z.cols()); }
    void secondDerivative(const Mat<S> &Z, const Mat<S> &, Mat<S> &D2) const override { D2.setZero(Z.rows(), Z.cols()); }
    void backprop(const Mat<S> &, const Mat<S> &, const Mat<S> &dA, Mat<S> &dZ) const override
    {
        if (&dZ != &dA) dZ = dA;
    }
};

}  // namespace ael
