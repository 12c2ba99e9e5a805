#pragma once
// A layer maps its input batch X (n_in x B, one sample per column) to Y (n_out x B).
// forward() writes what backward() needs into a LayerCache owned by the caller, so the same layer can
// run several passes at once (the contractive estimate runs the encoder on x and on x + ε).
#include "../Tensor.h"
#include "Param.h"

#include <memory>
#include <vector>

namespace ael {

template <class S> struct LayerCache {
    const Mat<S> *in = nullptr;  ///< the input X (not owned: the previous layer's output or the batch)
    Mat<S> z;                    ///< pre-activation Z = W X + b
    Mat<S> out;                  ///< output Y = f(Z)
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
    virtual std::vector<Param<S> *> params() = 0;
    virtual std::vector<const Param<S> *> params() const = 0;
    virtual std::unique_ptr<Layer<S>> clone() const = 0;
};

}  // namespace ael
