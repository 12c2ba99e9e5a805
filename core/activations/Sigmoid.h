#pragma once
#include "Activation.h"

namespace ael {

/// f(z) = 1 / (1 + e^-z), f'(z) = a(1 - a), f''(z) = a(1 - a)(1 - 2a)
template <class S> class Sigmoid final : public Activation<S> {
public:
    using In = typename Activation<S>::In;
    using Out = typename Activation<S>::Out;
    ActivationKind kind() const override { return ActivationKind::Sigmoid; }
    void apply(In Z, Out A) const override
    {
        // 1/(1+e^-z) written as 0.5 + 0.5 tanh(z/2): Eigen vectorises tanh and it never overflows
        A.array() = S(0.5) + S(0.5) * (S(0.5) * Z.array()).tanh();
    }
    void derivative(In, In A, Out D) const override
    {
        D.array() = A.array() * (S(1) - A.array());
    }
    void secondDerivative(In, In A, Out D2) const override
    {
        D2.array() = A.array() * (S(1) - A.array()) * (S(1) - S(2) * A.array());
    }
    void backprop(In, In A, In dA, Out dZ) const override
    {
        dZ.array() = dA.array() * A.array() * (S(1) - A.array());
    }
};

}  // namespace ael
