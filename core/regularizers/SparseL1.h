#pragma once
#include "Regularizer.h"

namespace ael {

/// Sparse AE, L1 penalty on the code:  Ω(h) = λ · (1/B) Σ_b Σ_j |h_jb|,   ∂Ω/∂h = λ sign(h) / B
template <class S> class SparseL1 final : public Regularizer<S> {
public:
    explicit SparseL1(S lambda = S(1e-3)) : lambda(lambda) {}
    std::string name() const override { return "sparsity_l1"; }
    S evaluate(const Model<S> &, const ForwardPass<S> &p) override
    {
        return lambda * p.h.array().abs().sum() / S(p.h.cols());
    }
    void gradient(Model<S> &, ForwardPass<S> &p) override
    {
        const S c = lambda / S(p.h.cols());
        accumulate<S>(p.dCode, (c * p.h.array().sign()).matrix());
    }
    S lambda;
};

}  // namespace ael
