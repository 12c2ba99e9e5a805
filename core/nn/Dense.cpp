#include "Dense.h"

#include "../Rng.h"

#include <cmath>

namespace ael {

template <class S>
Dense<S>::Dense(const std::string &name, int in, int out, ActivationKind act) : act_(makeActivation<S>(act))
{
    W_.name = name + ".weight";
    W_.value = Mat<S>::Zero(out, in);
    W_.grad = Mat<S>::Zero(out, in);
    b_.name = name + ".bias";
    b_.value = Mat<S>::Zero(out, 1);
    b_.grad = Mat<S>::Zero(out, 1);
}

template <class S>
Dense<S>::Dense(const Dense &o) : W_(o.W_), b_(o.b_), act_(makeActivation<S>(o.act_->kind()))
{
}

template <class S> Dense<S> &Dense<S>::operator=(const Dense &o)
{
    if (this != &o) {
        W_ = o.W_;
        b_ = o.b_;
        act_ = makeActivation<S>(o.act_->kind());
    }
    return *this;
}

template <class S> void Dense<S>::initialize(Rng &rng)
{
    const double fanIn = double(inputs()), fanOut = double(outputs());
    // He uniform keeps ReLU activations' variance; Glorot uniform suits the saturating ones.
    const double limit = act_->kind() == ActivationKind::ReLU ? std::sqrt(6.0 / fanIn)
                                                              : std::sqrt(6.0 / (fanIn + fanOut));
    // Column-major fill order: the same seed gives the same weights everywhere.
    for (Eigen::Index j = 0; j < W_.value.cols(); ++j)
        for (Eigen::Index i = 0; i < W_.value.rows(); ++i)
            W_.value(i, j) = S((2.0 * rng.uniform() - 1.0) * limit);
    b_.value.setZero();
}

template <class S> void Dense<S>::forward(const Mat<S> &X, LayerCache<S> &c) const
{
    c.in = &X;
    // Z = W X + b 1ᵀ
    c.z.resize(outputs(), X.cols());
    c.z.noalias() = W_.value * X;
    c.z.colwise() += b_.value.col(0);
    act_->apply(c.z, c.out);
}

template <class S> void Dense<S>::backward(const LayerCache<S> &c, const Mat<S> &dY, Mat<S> *dX)
{
    // dZ = dY ⊙ f'(Z)
    act_->backprop(c.z, c.out, dY, dZ_);
    // dW += dZ Xᵀ ; db += Σ_columns dZ
    W_.grad.noalias() += dZ_ * c.in->transpose();
    b_.grad.col(0) += dZ_.rowwise().sum();
    // dX = Wᵀ dZ
    if (dX) {
        dX->resize(inputs(), dZ_.cols());
        dX->noalias() = W_.value.transpose() * dZ_;
    }
}

template class Dense<float>;
template class Dense<double>;

}  // namespace ael
