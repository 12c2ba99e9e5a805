#pragma once
#include "Regularizer.h"

namespace ael {

/// Variational AE: KL(q(h|x) ‖ N(0, I)) for q = N(μ, diag σ²), per sample
///   KL = −½ Σ_j (1 + log σ²_j − μ_j² − σ²_j)
/// weighted by β and divided by d (the pixel count) because the reconstruction loss is per pixel:
/// with BCE, β = 1 is then exactly the negative ELBO per pixel.
///   Ω = β/(d B) Σ_b KL_b,   ∂Ω/∂μ = β μ/(d B),   ∂Ω/∂log σ² = β (σ² − 1)/(2 d B)
template <class S> class VariationalKL final : public Regularizer<S> {
public:
    explicit VariationalKL(S beta = S(1)) : beta(beta) {}
    std::string name() const override { return "kl"; }
    /// Mean KL per sample in nats (unweighted), for the metrics.
    static S klPerSample(const ForwardPass<S> &p)
    {
        return S(-0.5) * (S(1) + p.logvar.array() - p.mu.array().square() - p.logvar.array().exp()).sum() /
               S(p.mu.cols());
    }
    S evaluate(const Model<S> &m, const ForwardPass<S> &p) override
    {
        return beta * klPerSample(p) / S(m.arch().input);
    }
    void gradient(Model<S> &m, ForwardPass<S> &p) override
    {
        const S c = beta / (S(m.arch().input) * S(p.mu.cols()));
        accumulate<S>(p.dMu, (c * p.mu.array()).matrix());
        accumulate<S>(p.dLogvar, (c * S(0.5) * (p.logvar.array().exp() - S(1))).matrix());
    }
    S beta;
};

}  // namespace ael
