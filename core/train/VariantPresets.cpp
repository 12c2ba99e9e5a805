#include "VariantPresets.h"

#include <algorithm>

namespace ael {

namespace {

Architecture oneLayer(int d, int k)
{
    Architecture a;
    a.input = d;
    a.encoderHidden.clear();
    a.decoderHidden.clear();
    a.code = k;
    a.codeActivation = ActivationKind::Sigmoid;
    return a;
}

}  // namespace

VariantPreset variantPreset(Variant v, int d)
{
    d = std::max(d, 1);
    VariantPreset p;
    p.arch.input = d;
    p.settings.variant = v;
    switch (v) {
    case Variant::Undercomplete:
        p.summary = p.arch.spec() + ", ReLU, linear 2-D code";
        break;
    case Variant::Overcomplete:
        p.arch = oneLayer(d, std::max(1024, d + d / 4));
        p.summary = p.arch.spec() + ", sigmoid code (k > d), no regularizer";
        break;
    case Variant::Sparse:
        p.arch = oneLayer(d, std::max(1024, d + d / 4));
        p.settings.sparsity = SparsityKind::KL;
        p.settings.sparsityWeight = 1e-3;
        p.settings.sparsityTarget = 0.05;
        p.summary = p.arch.spec() + ", sigmoid code, KL sparsity ρ = 0.05, λ = 1e-3";
        break;
    case Variant::Denoising:
        // A wide ReLU code: after 300 steps it reconstructs x̃ at half the corruption's error, where a
        // 256-unit sigmoid code is still no better than x̃ itself.
        p.arch = oneLayer(d, std::min(512, std::max(2, 2 * d / 3)));
        p.arch.codeActivation = ActivationKind::ReLU;
        p.settings.corruption = {CorruptionKind::Masking, 0.3};
        p.summary = p.arch.spec() + ", ReLU code, masking 30 % of the inputs";
        break;
    case Variant::Contractive:
        p.arch = oneLayer(d, std::min(128, std::max(2, d / 6)));
        p.settings.contractiveLambda = 1e-2;
        p.summary = p.arch.spec() + ", sigmoid code, λ = 0.01 (exact Jacobian)";
        break;
    case Variant::Variational:
        p.settings.loss = LossKind::BCE;
        p.settings.beta = 1.0;
        p.summary = p.arch.spec() + ", 2-D code, BCE + β·KL with β = 1 (the negative ELBO)";
        break;
    }
    return p;
}

void applyVariantFields(const TrainSettings &preset, TrainSettings &s)
{
    s.variant = preset.variant;
    s.loss = preset.loss;
    s.corruption = preset.corruption;
    s.sparsity = preset.sparsity;
    s.sparsityWeight = preset.sparsityWeight;
    s.sparsityTarget = preset.sparsityTarget;
    s.contractiveLambda = preset.contractiveLambda;
    s.beta = preset.beta;
}

}  // namespace ael
