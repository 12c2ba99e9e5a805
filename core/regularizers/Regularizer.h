#pragma once
// A named regularizer term Ω added to the reconstruction loss: L(x, g(f(x))) + Ω.
// Like mlpack's sparse autoencoder, value and gradient are kept apart: evaluate() returns Ω for the
// pass (and keeps what gradient() needs); gradient() ADDS ∂Ω/∂h, ∂Ω/∂μ, ∂Ω/∂log σ² into the pass
// and ∂Ω/∂θ into the parameters' grads. The loss chart plots every term by its name().
#include "../nn/Model.h"

#include <string>

namespace ael {

template <class S> class Regularizer {
public:
    virtual ~Regularizer() = default;
    virtual std::string name() const = 0;
    virtual S evaluate(const Model<S> &m, const ForwardPass<S> &p) = 0;
    virtual void gradient(Model<S> &m, ForwardPass<S> &p) = 0;
};

/// Adds g to an extra-gradient slot of the pass (which may still be empty).
template <class S> void accumulate(Mat<S> &slot, const Mat<S> &g)
{
    if (slot.size() == 0) slot = g;
    else slot += g;
}

}  // namespace ael
