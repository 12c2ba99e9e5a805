#pragma once
// Each variant's default model and settings: the architecture and knobs that make the variant show
// its point in a lecture (the window offers them when a variant is picked; `--variant` uses them
// when no architecture is given).
//
//   undercomplete  784-256-[2]-256-784, ReLU, linear 2-D code   the bottleneck; beats PCA-2
//   overcomplete   784-[1024]-784, sigmoid code (k > d)          copies its input, even noise
//   sparse         784-[1024]-784, sigmoid code, KL ρ = 0.05     an overcomplete code kept mostly off
//   denoising      784-[512]-784, ReLU code, masking 30 %        a code large enough to beat C(x̃|x)
//   contractive    784-[128]-784, sigmoid code, λ = 0.01         one layer: the exact ‖∂f/∂x‖²_F
//   variational    784-256-[2]-256-784, BCE, β = 1               the negative ELBO; a 2-D prior to sample
#include "Settings.h"

#include <string>

namespace ael {

struct VariantPreset {
    Architecture arch;
    TrainSettings settings;  ///< TrainSettings{} with the variant's own fields set
    std::string summary;     ///< one line for a dialog, e.g. "784-[1024]-784, sigmoid code, KL ρ = 0.05"
};

/// The preset of variant v for inputs of dimension d (the widths scale with d where they depend on it).
VariantPreset variantPreset(Variant v, int d = 784);

/// Copies the variant-specific fields of `preset` (variant, loss, corruption, sparsity, λ, β) into s,
/// keeping the user's optimizer, learning rate and batch size.
void applyVariantFields(const TrainSettings &preset, TrainSettings &s);

}  // namespace ael
