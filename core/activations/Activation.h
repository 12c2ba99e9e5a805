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

/// The functions work on (blocks of) matrices of the same shape; outputs are sized by the caller, so a
/// layer can hand each thread its own rows.
template <class S> class Activation {
public:
    using In = Eigen::Ref<const Mat<S>>;
    using Out = Eigen::Ref<Mat<S>>;
    virtual ~Activation() = default;
    virtual ActivationKind kind() const = 0;
    /// A = f(Z)
    virtual void apply(In Z, Out A) const = 0;
    /// D = f'(Z), written in terms of Z and A = f(Z) (whichever is cheaper)
    virtual void derivative(In Z, In A, Out D) const = 0;
    /// D2 = f''(Z) (the contractive penalty's gradient needs it)
    virtual void secondDerivative(In Z, In A, Out D2) const = 0;
    /// dZ = dA ⊙ f'(Z)  (in place allowed: dZ may alias dA)
    virtual void backprop(In Z, In A, In dA, Out dZ) const = 0;
};

template <class S> std::unique_ptr<Activation<S>> makeActivation(ActivationKind k);

}  // namespace ael
