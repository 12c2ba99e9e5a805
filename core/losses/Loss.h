#pragma once
// A reconstruction loss L(x, x̂), averaged over the batch (columns) and the d pixels (rows).
#include "../Tensor.h"

#include <memory>
#include <string>

namespace ael {

enum class LossKind { MSE, BCE };
const char *toString(LossKind k);
bool parseLoss(const std::string &s, LossKind &out);

template <class S> class Loss {
public:
    virtual ~Loss() = default;
    virtual LossKind kind() const = 0;
    /// L(x, x̂) for the batch: X is the clean target, Xhat the reconstruction (both d x B)
    virtual S value(const Mat<S> &Xhat, const Mat<S> &X) const = 0;
    /// dXhat = ∂L/∂x̂
    virtual void gradient(const Mat<S> &Xhat, const Mat<S> &X, Mat<S> &dXhat) const = 0;
    /// Both at once (the training step's path; implementations may fuse the two passes).
    virtual S valueAndGradient(const Mat<S> &Xhat, const Mat<S> &X, Mat<S> &dXhat) const
    {
        gradient(Xhat, X, dXhat);
        return value(Xhat, X);
    }
};

template <class S> std::unique_ptr<Loss<S>> makeLoss(LossKind k);

}  // namespace ael
