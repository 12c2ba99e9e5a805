#include "Settings.h"

#include "SettingsTable.h"

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
    // Each field's range (core/train/SettingsTable.cpp), then the combinations.
    for (const SettingRow &r : settingsTable())
        if (std::string why = r.check(*this); !why.empty()) return why;
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
