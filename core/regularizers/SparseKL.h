#pragma once
#include "Regularizer.h"

namespace ael {

/// Sparse AE, KL penalty for sigmoid codes (each code unit a Bernoulli with mean activation ρ̂_j):
///   ρ̂_j = (1/B) Σ_b h_jb,   Ω = λ Σ_j KL(ρ ‖ ρ̂_j) = λ Σ_j [ρ log(ρ/ρ̂_j) + (1−ρ) log((1−ρ)/(1−ρ̂_j))]
///   ∂Ω/∂h_jb = λ/B · (−ρ/ρ̂_j + (1−ρ)/(1−ρ̂_j))
/// ρ̂ is clamped to [ε, 1−ε] so an all-off or all-on unit gives a large, finite penalty.
template <class S> class SparseKL final : public Regularizer<S> {
public:
    SparseKL(S lambda = S(1e-2), S rho = S(0.05)) : lambda(lambda), rho(rho) {}
    std::string name() const override { return "sparsity_kl"; }
    S evaluate(const Model<S> &, const ForwardPass<S> &p) override
    {
        const S e = sizeof(S) == 4 ? S(1e-6) : S(1e-12);
        rhoHat_ = (p.h.rowwise().sum() / S(p.h.cols())).array().max(e).min(S(1) - e).matrix();
        const auto r = rhoHat_.array();
        return lambda * (rho * (rho / r).log() + (S(1) - rho) * ((S(1) - rho) / (S(1) - r)).log()).sum();
    }
    void gradient(Model<S> &, ForwardPass<S> &p) override
    {
        const Vec<S> g = (lambda / S(p.h.cols())) *
                         (-rho / rhoHat_.array() + (S(1) - rho) / (S(1) - rhoHat_.array())).matrix();
        accumulate<S>(p.dCode, g.replicate(1, p.h.cols()));
    }
    S lambda, rho;

private:
    Vec<S> rhoHat_;
};

}  // namespace ael
