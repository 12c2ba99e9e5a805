#include "Dense.h"

#include "../Rng.h"
#include "Products.h"
#include "SparseInput.h"

#include <cmath>
#include <type_traits>

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
Dense<S>::Dense(const Dense &o) : W_(o.W_), b_(o.b_), act_(makeActivation<S>(o.act_->kind())), inputMaySparse_(o.inputMaySparse_)
{
}

template <class S> Dense<S> &Dense<S>::operator=(const Dense &o)
{
    if (this != &o) {
        W_ = o.W_;
        b_ = o.b_;
        act_ = makeActivation<S>(o.act_->kind());
        inputMaySparse_ = o.inputMaySparse_;
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
    c.out.resize(outputs(), X.cols());
    // Z = W X + b 1ᵀ ; Y = f(Z), each block activated while it is in cache
    const BlockFn activate = [&](long r0, long r1, long c0, long c1) {
        act_->apply(c.z.block(r0, c0, r1 - r0, c1 - c0), c.out.block(r0, c0, r1 - r0, c1 - c0));
    };
    if constexpr (std::is_same_v<S, float>) {
        if (inputMaySparse_) {
            if (!c.sparse.p) c.sparse.p = std::make_unique<SparseInput>();
            if (c.sparse.p->index(X, outputs())) {
                c.sparse.p->affine(W_.value, X, b_.value, c.z, activate);
                return;
            }
        }
    }
    affine<S>(W_.value, X, b_.value, c.z, activate);
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
    // dZ = dY ⊙ f'(Z) (or given: then used where it is) ; dW += dZ Xᵀ ; db += dZ 1
    if (!dInIsDZ) dZ_.resize(outputs(), dIn.cols());
    const Mat<S> &dZ = dInIsDZ ? dIn : dZ_;
    const BlockFn prologue = [&](long r0, long r1, long c0, long c1) {
        const long n = r1 - r0, m = c1 - c0;
        if (!dInIsDZ)
            act_->backprop(c.z.block(r0, c0, n, m), c.out.block(r0, c0, n, m), dIn.block(r0, c0, n, m), dZ_.block(r0, c0, n, m));
    };
    bool sparse = false;
    if constexpr (std::is_same_v<S, float>) {
        if (c.sparse.p && c.sparse.p->holds(*c.in)) {
            const bool overwriteW = W_.takeStale(), overwriteB = b_.takeStale();
            c.sparse.p->gradients(prologue, dZ, *c.in, W_.grad, b_.grad, partials_, overwriteW, overwriteB);
            sparse = true;
        }
    }
    if (!sparse) affineGradients<S>(prologue, dZ, *c.in, W_.grad, b_.grad, partials_, W_.takeStale(), b_.takeStale());
    // dX = Wᵀ dZ
    if (dX) transposedProduct<S>(W_.value, dZ, *dX);
}

template class Dense<float>;
template class Dense<double>;

}  // namespace ael
