#pragma once
#include "../Rng.h"
#include "Regularizer.h"

namespace ael {

/// Contractive AE, exact closed form for a one-layer encoder h = f(W x + b):
///   ∂h_j/∂x_i = f'(z_j) W_ji   ⇒   ‖J‖²_F = Σ_j f'(z_j)² Σ_i W_ji²
///   (sigmoid: f' = h(1−h); tanh: 1−h²; ReLU: [z>0]; linear: 1)
///   Ω = λ (1/B) Σ_b Σ_j f'(z_jb)² ‖W_j‖²
/// Gradient, with D = f'(Z), D2 = f''(Z), n_j = ‖W_j‖², G = 2 D ⊙ D2 ⊙ n 1ᵀ:
///   ∂Ω/∂W = λ/B [ 2 W ⊙ (Σ_b D²) 1ᵀ + G Xᵀ ],   ∂Ω/∂b = λ/B Σ_b G
template <class S> class ContractiveExact final : public Regularizer<S> {
public:
    explicit ContractiveExact(S lambda = S(1e-3)) : lambda(lambda) {}
    std::string name() const override { return "contractive"; }
    S evaluate(const Model<S> &m, const ForwardPass<S> &p) override;
    void gradient(Model<S> &m, ForwardPass<S> &p) override;
    S lambda;

private:
    Mat<S> D_, D2_;
    Vec<S> norms_;
};

/// Contractive AE for deeper encoders: a stochastic estimate of ‖J‖²_F whose gradient flows by plain
/// backpropagation (E_ε ‖f(x+ε) − f(x)‖² = σ² ‖J‖²_F + O(σ⁴) for ε ~ N(0, σ²I)):
///   Ω = λ (1/B) Σ_b ‖f(x_b + ε_b) − f(x_b)‖² / σ²
///   ∂Ω/∂f(x+ε) = 2λ Δ/(B σ²),   ∂Ω/∂f(x) = −2λ Δ/(B σ²),   Δ = f(x+ε) − f(x)
template <class S> class ContractiveEstimate final : public Regularizer<S> {
public:
    ContractiveEstimate(S lambda = S(1e-3), S sigma = S(0.05), uint64_t seed = 7)
        : lambda(lambda), sigma(sigma), rng_(seed) {}
    std::string name() const override { return "contractive_est"; }
    S evaluate(const Model<S> &m, const ForwardPass<S> &p) override;
    void gradient(Model<S> &m, ForwardPass<S> &p) override;
    S lambda, sigma;
    Rng &rng() { return rng_; }

private:
    Rng rng_;
    Mat<S> noisy_, delta_, mu_;
    std::vector<LayerCache<S>> caches_;
    const Mat<S> *fNoisy_ = nullptr;
};

/// ‖∂f(x)/∂x‖²_F averaged over the columns of X, computed exactly from the layer-by-layer Jacobian
/// J = diag(f'_L) W_L ⋯ diag(f'_1) W_1 (μ's rows for the variational encoder). A diagnostic for any depth.
template <class S> S jacobianFrobeniusSq(const Model<S> &m, const Mat<S> &X);

}  // namespace ael
