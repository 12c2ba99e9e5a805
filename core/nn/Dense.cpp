#include "Dense.h"

#include "../Rng.h"
#include "../parallel/ThreadPool.h"

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

// Both passes split the layer's rows among the pool's threads: each thread multiplies its own rows of W
// (so no thread packs another's weights) and applies the bias and activation to them while they are hot.
template <class S> void Dense<S>::forward(const Mat<S> &X, LayerCache<S> &c) const
{
    c.in = &X;
    const long out = outputs(), B = X.cols();
    c.z.resize(out, B);
    c.out.resize(out, B);
    parallelRanges(out, 16, double(out) * double(inputs()) * double(B), [&](long r0, long r1) {
        const long n = r1 - r0;
        auto Z = c.z.middleRows(r0, n);
        // Z = W X + b 1ᵀ ; Y = f(Z)
        Z.noalias() = W_.value.middleRows(r0, n) * X;
        Z.colwise() += b_.value.col(0).segment(r0, n);
        act_->apply(Z, c.out.middleRows(r0, n));
    });
}

template <class S> void Dense<S>::backward(const LayerCache<S> &c, const Mat<S> &dY, Mat<S> *dX)
{
    backwardImpl(c, dY, dX, false);
}

template <class S> void Dense<S>::backwardFromPreactivation(const LayerCache<S> &c, const Mat<S> &dZ, Mat<S> *dX)
{
    backwardImpl(c, dZ, dX, true);
}

template <class S> void Dense<S>::backwardImpl(const LayerCache<S> &c, const Mat<S> &dIn, Mat<S> *dX, bool dInIsDZ)
{
    const long out = outputs(), in = inputs(), B = dIn.cols();
    const double work = double(out) * double(in) * double(B);
    dZ_.resize(out, B);
    parallelRanges(out, 16, work, [&](long r0, long r1) {
        const long n = r1 - r0;
        auto dZ = dZ_.middleRows(r0, n);
        // dZ = dY ⊙ f'(Z) (or given) ; dW += dZ Xᵀ ; db += Σ_columns dZ
        if (dInIsDZ) dZ = dIn.middleRows(r0, n);
        else act_->backprop(c.z.middleRows(r0, n), c.out.middleRows(r0, n), dIn.middleRows(r0, n), dZ);
        W_.grad.middleRows(r0, n).noalias() += dZ * c.in->transpose();
        b_.grad.col(0).segment(r0, n) += dZ.rowwise().sum();
    });
    if (!dX) return;
    // dX = Wᵀ dZ, split by the rows of dX (the columns of W)
    dX->resize(in, B);
    parallelRanges(in, 16, work, [&](long r0, long r1) {
        dX->middleRows(r0, r1 - r0).noalias() = W_.value.middleCols(r0, r1 - r0).transpose() * dZ_;
    });
}

template class Dense<float>;
template class Dense<double>;

}  // namespace ael
