#pragma once
#include "Activation.h"

namespace ael {

/// f(z) = tanh z, f'(z) = 1 - a², f''(z) = -2a(1 - a²)
template <class S> class Tanh final : public Activation<S> {
public:
    using In = typename Activation<S>::In;
    using Out = typename Activation<S>::Out;
    ActivationKind kind() const override { return ActivationKind::Tanh; }
    void apply(In Z, Out A) const override
    {
        A.array() = Z.array().tanh();
    }
    void derivative(In, In A, Out D) const override
    {
        D.array() = S(1) - A.array().square();
    }
    void secondDerivative(In, In A, Out D2) const override
    {
        D2.array() = S(-2) * A.array() * (S(1) - A.array().square());
    }
    void backprop(In, In A, In dA, Out dZ) const override
    {
        dZ.array() = dA.array() * (S(1) - A.array().square());
    }
};

}  // namespace ael
