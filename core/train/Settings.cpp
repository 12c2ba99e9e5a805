#include "Settings.h"

#include <cmath>

namespace ael {

const char *toString(Variant v)
{
    switch (v) {
    case Variant::Undercomplete: return "undercomplete";
    case Variant::Overcomplete: return "overcomplete";
    case Variant::Sparse: return "sparse";
    case Variant::Denoising: return "denoising";
    case Variant::Contractive: return "contractive";
    case Variant::Variational: return "variational";
    }
    return "undercomplete";
}

bool parseVariant(const std::string &s, Variant &out)
{
    for (auto v : {Variant::Undercomplete, Variant::Overcomplete, Variant::Sparse, Variant::Denoising,
                   Variant::Contractive, Variant::Variational})
        if (s == toString(v)) {
            out = v;
            return true;
        }
    if (s == "plain") {
        out = Variant::Undercomplete;
        return true;
    }
    return false;
}

const char *toString(SparsityKind k) { return k == SparsityKind::KL ? "kl" : "l1"; }

bool parseSparsity(const std::string &s, SparsityKind &out)
{
    if (s == "l1") out = SparsityKind::L1;
    else if (s == "kl") out = SparsityKind::KL;
    else return false;
    return true;
}

std::string TrainSettings::validate(const Architecture &a) const
{
    auto bad = [](double v, double lo, double hi) { return !std::isfinite(v) || v < lo || v > hi; };
    if (bad(opt.learningRate, 1e-8, 1e4)) return "learning rate must be between 1e-8 and 1e4";
    if (bad(opt.momentum, 0, 0.9999)) return "momentum must be between 0 and 0.9999";
    if (bad(opt.beta1, 0, 0.9999) || bad(opt.beta2, 0, 0.99999999)) return "Adam's betas must be in [0, 1)";
    if (bad(opt.epsilon, 1e-12, 1)) return "Adam's epsilon must be between 1e-12 and 1";
    if (batchSize < 1 || batchSize > 65536) return "batch size must be between 1 and 65536";
    if (corruption.kind == CorruptionKind::Gaussian ? bad(corruption.rate, 0, 10) : bad(corruption.rate, 0, 1))
        return "corruption rate must be between 0 and 1 (Gaussian σ: 0 to 10)";
    if (bad(sparsityWeight, 0, 1e4)) return "sparsity weight must be between 0 and 1e4";
    if (bad(sparsityTarget, 1e-4, 1 - 1e-4)) return "sparsity target ρ must be between 0.0001 and 0.9999";
    if (bad(contractiveLambda, 0, 1e4)) return "contractive λ must be between 0 and 1e4";
    if (bad(beta, 0, 1e4)) return "β must be between 0 and 1e4";
    if (variant == Variant::Sparse && sparsity == SparsityKind::KL && a.codeActivation != ActivationKind::Sigmoid)
        return "KL sparsity needs a sigmoid code (ρ̂ is a mean activation in (0, 1)); use L1 or a sigmoid code";
    if (loss == LossKind::BCE && a.output != ActivationKind::Sigmoid)
        return std::string("BCE needs a sigmoid output (x̂ is a probability in (0, 1)), not ") + toString(a.output) +
               "; use a sigmoid output or MSE";
    if (variant == Variant::Variational && a.tied)
        return "the variational autoencoder cannot use tied weights";
    return {};
}

}  // namespace ael
