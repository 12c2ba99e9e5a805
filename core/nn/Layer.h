#pragma once
// A layer maps its input batch X (n_in x B, one sample per column) to Y (n_out x B).
// forward() writes what backward() needs into a LayerCache owned by the caller, so the same layer can
// run several passes at once (the contractive estimate runs the encoder on x and on x + ε).
// Layers: Dense (Z = W X + b) and TiedDense (Z = Wᵀ X + b with another layer's W).
#include "../Tensor.h"
#include "Param.h"

#include <memory>
#include <vector>

namespace ael {

class Rng;
class SparseInput;

/// A first layer's index of its input's nonzeros (SparseInput.h). A copied cache starts without one.
struct SparseSlot {
    std::unique_ptr<SparseInput> p;
    SparseSlot();
    SparseSlot(const SparseSlot &);
    SparseSlot &operator=(const SparseSlot &);
    SparseSlot(SparseSlot &&) noexcept;
    SparseSlot &operator=(SparseSlot &&) noexcept;
    ~SparseSlot();
};

template <class S> struct LayerCache {
    const Mat<S> *in = nullptr;  ///< the input X (not owned: the previous layer's output or the batch)
    Mat<S> z;                    ///< pre-activation Z = W X + b
    Mat<S> out;                  ///< output Y = f(Z)
    SparseSlot sparse;           ///< the first layer's, when X is mostly zeros (float only)
};

template <class S> class Layer {
public:
    virtual ~Layer() = default;
    virtual int inputs() const = 0;
    virtual int outputs() const = 0;
    /// Y = layer(X); c.in = &X, and c keeps what backward needs.
    virtual void forward(const Mat<S> &X, LayerCache<S> &c) const = 0;
    /// Given dL/dY, ADD dL/dθ into the parameters' grads and, if dX is not null, write dL/dX.
    virtual void backward(const LayerCache<S> &c, const Mat<S> &dY, Mat<S> *dX) = 0;
    /// backward() given dZ = ∂L/∂Z directly (a loss computed from the pre-activations, e.g. BCE from logits).
    virtual void backwardFromPreactivation(const LayerCache<S> &c, const Mat<S> &dZ, Mat<S> *dX) = 0;
    /// Fresh parameters from rng (each layer type documents its scheme).
    virtual void initialize(Rng &rng) = 0;
    virtual std::vector<Param<S> *> params() = 0;
    virtual std::vector<const Param<S> *> params() const = 0;
    virtual std::unique_ptr<Layer<S>> clone() const = 0;
};

}  // namespace ael
