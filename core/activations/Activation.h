#pragma once
// An elementwise activation a = f(z). Implementations live beside this file, one small class each.
#include "../Tensor.h"

#include <memory>
#include <string>

namespace ael {

enum class ActivationKind { Linear, Sigmoid, Tanh, ReLU };

const char *toString(ActivationKind k);
/// Parses "linear" | "sigmoid" | "tanh" | "relu"; returns false on anything else.
bool parseActivation(const std::string &s, ActivationKind &out);

template <class S> class Activation {
public:
    virtual ~Activation() = default;
    virtual ActivationKind kind() const = 0;
    /// A = f(Z)
    virtual void apply(const Mat<S> &Z, Mat<S> &A) const = 0;
    /// D = f'(Z), written in terms of Z and A = f(Z) (whichever is cheaper)
    virtual void derivative(const Mat<S> &Z, const Mat<S> &A, Mat<S> &D) const = 0;
    /// D2 = f''(Z) (the contractive penalty's gradient needs it)
    virtual void secondDerivative(const Mat<S> &Z, const Mat<S> &A, Mat<S> &D2) const = 0;
    /// dZ = dA ⊙ f'(Z)  (in place allowed: dZ may alias dA)
    virtual void backprop(const Mat<S> &Z, const Mat<S> &A, const Mat<S> &dA, Mat<S> &dZ) const = 0;
};

template <class S> std::unique_ptr<Activation<S>> makeActivation(ActivationKind k);

}  // namespace ael
