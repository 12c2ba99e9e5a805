#pragma once
// What the user can change between any two training steps without a reset.
#include "../losses/Loss.h"
#include "../nn/Architecture.h"
#include "../optimizers/Optimizer.h"
#include "Corruption.h"

#include <string>

namespace ael {

/// Each variant is the reconstruction loss L(x, g(f(x))) plus its named terms:
///   undercomplete / overcomplete   L(x, g(f(x)))                      (k < d or k > d; no term)
///   sparse                         L(x, g(f(x))) + Ω(h)               (L1 or KL sparsity)
///   denoising                      L(x, g(f(x̃))),  x̃ ~ C(x̃ | x)     (corruption; clean target)
///   contractive                    L(x, g(f(x))) + λ‖∂f(x)/∂x‖²_F
///   variational                    L(x, g(h)), h ~ q(h|x) = N(μ, σ²) + β KL(q(h|x) ‖ N(0, I))
enum class Variant { Undercomplete, Overcomplete, Sparse, Denoising, Contractive, Variational };
const char *toString(Variant v);
bool parseVariant(const std::string &s, Variant &out);

enum class SparsityKind { L1, KL };
const char *toString(SparsityKind k);
bool parseSparsity(const std::string &s, SparsityKind &out);

struct TrainSettings {
    Variant variant = Variant::Undercomplete;
    LossKind loss = LossKind::MSE;
    OptimizerKind optimizer = OptimizerKind::Adam;
    OptimizerSettings opt;              ///< learning rate, momentum, Adam's betas
    int batchSize = 64;
    bool shuffle = true;                ///< reshuffle every epoch (false: batches in data order)
    Corruption corruption;              ///< used by the denoising variant
    SparsityKind sparsity = SparsityKind::L1;
    double sparsityWeight = 1e-3;       ///< λ of Ω(h)
    double sparsityTarget = 0.05;       ///< ρ (KL only)
    double contractiveLambda = 1e-3;    ///< λ of λ‖J‖²_F
    double beta = 1.0;                  ///< β of the variational KL

    /// Empty when these settings can train a model of this architecture, else why not.
    std::string validate(const Architecture &a) const;
    /// Whether the model trains on corrupted inputs x̃ ~ C(x̃|x): the denoising variant with a corruption.
    bool corruptsInputs() const { return variant == Variant::Denoising && corruption.kind != CorruptionKind::None; }
};

}  // namespace ael
