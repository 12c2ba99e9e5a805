#include "TiedDense.h"

#include "Gemm.h"

namespace ael {

template <class S>
TiedDense<S>::TiedDense(const std::string &name, Param<S> &shared, ActivationKind act)
    : W_(&shared), act_(makeActivation<S>(act))
{
    b_.name = name + ".bias";
    b_.value = Mat<S>::Zero(shared.value.cols(), 1);
    b_.grad = Mat<S>::Zero(shared.value.cols(), 1);
}

template <class S>
TiedDense<S>::TiedDense(const TiedDense &o) : W_(o.W_), b_(o.b_), act_(makeActivation<S>(o.act_->kind()))
{
}

template <class S> TiedDense<S> &TiedDense<S>::operator=(const TiedDense &o)
{
    if (this != &o) {
        W_ = o.W_;
        b_ = o.b_;
        act_ = makeActivation<S>(o.act_->kind());
    }
    return *this;
}

template <class S> void TiedDense<S>::initialize(Rng &) { b_.value.setZero(); }

template <class S> void TiedDense<S>::forward(const Mat<S> &X, LayerCache<S> &c) const
{
    // Z = Wᵀ X + b 1ᵀ ; Y = f(Z)
    c.in = &X;
    c.z.resize(outputs(), X.cols());
    gemm<S>(Op::T, W_->value, Op::N, X, S(1), S(0), c.z);
    c.z.colwise() += b_.value.col(0);
    c.out.resize(c.z.rows(), c.z.cols());
    act_->apply(c.z, c.out);
}

template <class S> void TiedDense<S>::backward(const LayerCache<S> &c, const Mat<S> &dY, Mat<S> *dX)
{
    dZ_.resize(c.z.rows(), c.z.cols());
    act_->backprop(c.z, c.out, dY, dZ_);  // dZ = dY ⊙ f'(Z)
    backwardFromPreactivation(c, dZ_, dX);
}

template <class S> void TiedDense<S>::backwardFromPreactivation(const LayerCache<S> &c, const Mat<S> &dZ, Mat<S> *dX)
{
    // Z = Wᵀ X:  ∂L/∂W = (dZ Xᵀ)ᵀ = X dZᵀ ;  db += Σ_columns dZ ;  dX = W dZ
    gemm<S>(Op::N, *c.in, Op::T, dZ, S(1), W_->takeStale() ? S(0) : S(1), W_->grad);
    if (b_.takeStale()) b_.grad.col(0) = dZ.rowwise().sum();
    else b_.grad.col(0) += dZ.rowwise().sum();
    if (!dX) return;
    dX->resize(inputs(), dZ.cols());
    gemm<S>(Op::N, W_->value, Op::N, dZ, S(1), S(0), *dX);
}

template class TiedDense<float>;
template class TiedDense<double>;

}  // namespace ael
