#pragma once
#include "Loss.h"

namespace ael {

/// Bernoulli decoder p(x|h) = Π x̂^x (1−x̂)^(1−x):  L = −log p(x|h) / (dB)
///   = −1/(dB) Σ [x log x̂ + (1 − x) log(1 − x̂)],   ∂L/∂x̂ = (x̂ − x) / (x̂(1 − x̂)) / (dB)
/// x̂ is clamped to [ε, 1 − ε] so a saturated output gives a large but finite loss.
template <class S> class BCE final : public Loss<S> {
public:
    static constexpr S eps() { return sizeof(S) == 4 ? S(1e-6) : S(1e-12); }
    LossKind kind() const override { return LossKind::BCE; }
    S value(const Mat<S> &Xhat, const Mat<S> &X) const override
    {
        const auto p = Xhat.array().max(eps()).min(S(1) - eps());
        return -(X.array() * p.log() + (S(1) - X.array()) * (S(1) - p).log()).sum() / S(X.size());
    }
    void gradient(const Mat<S> &Xhat, const Mat<S> &X, Mat<S> &dXhat) const override
    {
        const auto p = Xhat.array().max(eps()).min(S(1) - eps());
        dXhat.resize(X.rows(), X.cols());
        dXhat.array() = (p - X.array()) / (p * (S(1) - p)) / S(X.size());
    }

    /// The same loss for x̂ = σ(z), from the logits z (the training step's path for a sigmoid output):
    ///   L = 1/(dB) Σ [softplus(z) − x z],   ∂L/∂z = (σ(z) − x) / (dB)
    /// exact and unclamped, so a confidently wrong output (z = 30, x = 0) gets the full gradient that
    /// the clamped probability (and σ'(z) = 0 in floating point) would lose.
    S valueAndLogitGradient(const Mat<S> &Z, const Mat<S> &X, Mat<S> &dZ) const
    {
        const auto z = Z.array();
        const S n = S(X.size());
        dZ.resize(X.rows(), X.cols());
        dZ.array() = (S(1) / (S(1) + (-z).exp()) - X.array()) / n;
        // softplus(z) = max(z, 0) + log1p(exp(−|z|)), stable for any z
        return (z.max(S(0)) + (-z.abs()).exp().log1p() - X.array() * z).sum() / n;
    }
};

}  // namespace ael
