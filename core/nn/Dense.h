#pragma once
#include "../activations/Activation.h"
#include "Layer.h"

#include <string>

namespace ael {

class Rng;

/// Fully connected layer:  Z = W X + b 1ᵀ,  Y = f(Z)
/// backward:  dZ = dY ⊙ f'(Z),  dW += dZ Xᵀ,  db += dZ 1,  dX = Wᵀ dZ
template <class S> class Dense final : public Layer<S> {
public:
    Dense(const std::string &name, int in, int out, ActivationKind act);
    Dense(const Dense &o);
    Dense &operator=(const Dense &o);

    int inputs() const override { return int(W_.value.cols()); }
    int outputs() const override { return int(W_.value.rows()); }
    void forward(const Mat<S> &X, LayerCache<S> &c) const override;
    void backward(const LayerCache<S> &c, const Mat<S> &dY, Mat<S> *dX) override;
    /// backward() given dZ = ∂L/∂Z directly (a loss computed from the pre-activations, e.g. BCE from logits).
    void backwardFromPreactivation(const LayerCache<S> &c, const Mat<S> &dZ, Mat<S> *dX) override;
    std::vector<Param<S> *> params() override { return {&W_, &b_}; }
    std::vector<const Param<S> *> params() const override { return {&W_, &b_}; }
    std::unique_ptr<Layer<S>> clone() const override { return std::make_unique<Dense>(*this); }

    /// Glorot/Xavier uniform for tanh/sigmoid/linear, He uniform for ReLU; biases zero.
    void initialize(Rng &rng) override;

    ActivationKind activationKind() const { return act_->kind(); }
    const Activation<S> &activation() const { return *act_; }
    Param<S> &weight() { return W_; }
    const Param<S> &weight() const { return W_; }
    Param<S> &bias() { return b_; }
    const Param<S> &bias() const { return b_; }
    /// A layer whose input is the data (the first encoder layer) tries the sparse products (SparseInput.h)
    /// on each batch; other layers' inputs are the previous layer's outputs, rarely sparse enough.
    void setInputMaySparse(bool on) { inputMaySparse_ = on; }
    bool inputMaySparse() const { return inputMaySparse_; }

private:
    Param<S> W_;  ///< out x in
    Param<S> b_;  ///< out x 1
    std::unique_ptr<Activation<S>> act_;
    bool inputMaySparse_ = false;
    void backwardImpl(const LayerCache<S> &c, const Mat<S> &dIn, Mat<S> *dX, bool dInIsDZ);
    Mat<S> dZ_;        ///< scratch for backward (kept to avoid re-allocating every step)
    Mat<S> partials_;  ///< the other threads' partial sums of dW and db (affineGradients)
};

}  // namespace ael
