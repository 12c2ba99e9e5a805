#pragma once
#include "../activations/Activation.h"
#include "Layer.h"

#include <string>

namespace ael {

/// A tied decoder layer: the transpose of another layer's weight W (in x out, owned by that layer, e.g.
/// the encoder's W: k x d) and a bias of its own.
///   Z = Wᵀ X + b 1ᵀ,  Y = f(Z)
/// backward:  dZ = dY ⊙ f'(Z),  dW += X dZᵀ (into the owner's gradient: the shared W has one slot),
///            db += dZ 1,  dX = W dZ
/// params() lists only b: the owner lists W. A copied layer still refers to the original's W until tie().
template <class S> class TiedDense final : public Layer<S> {
public:
    TiedDense(const std::string &name, Param<S> &shared, ActivationKind act);
    TiedDense(const TiedDense &o);
    TiedDense &operator=(const TiedDense &o);

    int inputs() const override { return int(W_->value.rows()); }
    int outputs() const override { return int(W_->value.cols()); }
    void forward(const Mat<S> &X, LayerCache<S> &c) const override;
    void backward(const LayerCache<S> &c, const Mat<S> &dY, Mat<S> *dX) override;
    void backwardFromPreactivation(const LayerCache<S> &c, const Mat<S> &dZ, Mat<S> *dX) override;
    std::vector<Param<S> *> params() override { return {&b_}; }
    std::vector<const Param<S> *> params() const override { return {&b_}; }
    std::unique_ptr<Layer<S>> clone() const override { return std::make_unique<TiedDense>(*this); }
    /// The bias starts at zero; W is initialized by its owner (no random numbers are drawn here).
    void initialize(Rng &rng) override;

    /// Uses `shared` (in x out) as W from now on, e.g. the copied encoder's weight after a model copy.
    void tie(Param<S> &shared) { W_ = &shared; }
    const Param<S> &sharedWeight() const { return *W_; }
    const Activation<S> &activation() const { return *act_; }
    Param<S> &bias() { return b_; }
    const Param<S> &bias() const { return b_; }

private:
    Param<S> *W_;  ///< in x out, not owned
    Param<S> b_;   ///< out x 1
    std::unique_ptr<Activation<S>> act_;
    Mat<S> dZ_;    ///< scratch for backward
};

}  // namespace ael
