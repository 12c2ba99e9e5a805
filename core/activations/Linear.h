#pragma once
#include "Activation.h"

namespace ael {

/// f(z) = z, f'(z) = 1, f''(z) = 0
template <class S> class Linear final : public Activation<S> {
public:
    using In = typename Activation<S>::In;
    using Out = typename Activation<S>::Out;
    ActivationKind kind() const override { return ActivationKind::Linear; }
    void apply(In Z, Out A) const override { A = Z; }
    void derivative(In Z, In, Out D) const override { D.setOnes(); }
    void secondDerivative(In Z, In, Out D2) const override { D2.setZero(); }
    void backprop(In, In, In dA, Out dZ) const override
    {
        if (dZ.data() != dA.data()) dZ = dA;
    }
};

}  // namespace ael
