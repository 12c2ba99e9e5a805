#pragma once
#include "Activation.h"

namespace ael {

/// f(z) = max(0, z), f'(z) = [z > 0], f''(z) = 0 (almost everywhere)
template <class S> class ReLU final : public Activation<S> {
public:
    using In = typename Activation<S>::In;
    using Out = typename Activation<S>::Out;
    ActivationKind kind() const override { return ActivationKind::ReLU; }
    void apply(In Z, Out A) const override
    {
        A.array() = Z.array().max(S(0));
    }
    void derivative(In Z, In, Out D) const override
    {
        D.array() = (Z.array() > S(0)).template cast<S>();
    }
    void secondDerivative(In Z, In, Out D2) const override { D2.setZero(); }
    void backprop(In Z, In, In dA, Out dZ) const override
    {
        dZ.array() = (Z.array() > S(0)).select(dA.array(), S(0));
    }
};

}  // namespace ael
