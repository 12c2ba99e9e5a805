// The training settings, one row each. To add a setting: its field in TrainSettings (Settings.h) and
// one row here; the model file, the remembered settings, the chart's labels, validate() and the
// command line follow.
#include "SettingsTable.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace ael {

namespace {

/// A choice's names, index = the enum's value (the values must be listed in their order).
template <class E, size_t N> std::vector<std::string> namesOf(const E (&values)[N])
{
    std::vector<std::string> out;
    for (size_t i = 0; i < N; ++i) {
        if (size_t(values[i]) != i) throw std::logic_error("settings table: a choice's values out of order");
        out.emplace_back(toString(values[i]));
    }
    return out;
}

/// A number in a change label: two significant digits ("0.012", "1e-05").
std::string twoDigits(double v)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.2g", v);
    return buf;
}

std::string upper(std::string s)
{
    for (char &c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

constexpr Variant kVariants[] = {Variant::Undercomplete, Variant::Overcomplete, Variant::Sparse,
                                 Variant::Denoising,     Variant::Contractive,  Variant::Variational};
constexpr LossKind kLosses[] = {LossKind::MSE, LossKind::BCE};
constexpr OptimizerKind kOptimizers[] = {OptimizerKind::SGD, OptimizerKind::Adam};
constexpr CorruptionKind kCorruptions[] = {CorruptionKind::None, CorruptionKind::Masking, CorruptionKind::Gaussian,
                                           CorruptionKind::SaltPepper};
constexpr SparsityKind kSparsities[] = {SparsityKind::L1, SparsityKind::KL};

using S = TrainSettings;
using K = SettingKind;

// Each row: key, flag, metavar, kind, what, help, formula, range; then the field it reads and writes.

/// What is trained and how: variant, loss, optimizer and its numbers, batch, order.
void addTrainingRows(std::vector<SettingRow> &t)
{
    SettingRow r;
    r = {"variant", "variant", "NAME", K::Choice, "variant", "the autoencoder that is trained",
         "L(x, g(f(x))) + its variant's term"};
    r.names = namesOf(kVariants);
    r.get = [](const S &s) { return double(s.variant); };
    r.set = [](S &s, double v) { s.variant = Variant(int(v)); };
    r.label = "→ {}";
    r.panel = PanelControl::Own;
    t.push_back(r);

    r = {"loss", "loss", "", K::Choice, "loss", "reconstruction loss",
         "MSE (1/d)Σ(xᵢ − x̂ᵢ)², BCE −(1/d)Σ[xᵢ log x̂ᵢ + (1 − xᵢ) log(1 − x̂ᵢ)]"};
    r.names = namesOf(kLosses);
    r.get = [](const S &s) { return double(s.loss); };
    r.set = [](S &s, double v) { s.loss = LossKind(int(v)); };
    r.labelOf = [](const S &s) { return "loss " + upper(toString(s.loss)); };
    r.panel = PanelControl::Own;
    t.push_back(r);

    r = {"optimizer", "optimizer", "", K::Choice, "optimizer", "optimizer",
         "Adam θ ← θ − η m̂/(√v̂ + ε), SGD v ← μv − ηg, θ ← θ + v"};
    r.names = namesOf(kOptimizers);
    r.get = [](const S &s) { return double(s.optimizer); };
    r.set = [](S &s, double v) { s.optimizer = OptimizerKind(int(v)); };
    r.panel = PanelControl::Own;
    t.push_back(r);

    r = {"learningRate", "lr", "RATE", K::Number, "learning rate", "learning rate", "η in θ ← θ − η∇θL", 1e-8, 1e4};
    r.settles = true;
    r.get = [](const S &s) { return s.opt.learningRate; };
    r.set = [](S &s, double v) { s.opt.learningRate = v; };
    r.label = "lr {}";
    r.panel = PanelControl::LogSlider;
    r.sliderLo = 1e-5, r.sliderHi = 1e-1, r.control = "Learning rate";
    t.push_back(r);

    r = {"momentum", "momentum", "M", K::Number, "momentum", "SGD momentum", "μ in v ← μv − ηg", 0, 0.9999};
    r.settles = true;
    r.get = [](const S &s) { return s.opt.momentum; };
    r.set = [](S &s, double v) { s.opt.momentum = v; };
    r.label = "momentum {}";
    t.push_back(r);

    r = {"beta1", "adam-beta1", "B1", K::Number, "Adam's β1", "Adam's β1", "m ← β₁m + (1 − β₁)g", 0, 0.9999};
    r.settles = true;
    r.get = [](const S &s) { return s.opt.beta1; };
    r.set = [](S &s, double v) { s.opt.beta1 = v; };
    r.label = "β1 {}";
    t.push_back(r);

    r = {"beta2", "adam-beta2", "B2", K::Number, "Adam's β2", "Adam's β2", "v ← β₂v + (1 − β₂)g²", 0, 0.99999999};
    r.settles = true;
    r.get = [](const S &s) { return s.opt.beta2; };
    r.set = [](S &s, double v) { s.opt.beta2 = v; };
    r.label = "β2 {}";
    t.push_back(r);

    r = {"epsilon", "adam-eps", "EPS", K::Number, "Adam's ε", "Adam's ε", "θ ← θ − η m̂/(√v̂ + ε)", 1e-12, 1};
    r.settles = true;
    r.get = [](const S &s) { return s.opt.epsilon; };
    r.set = [](S &s, double v) { s.opt.epsilon = v; };
    r.label = "ε {}";
    t.push_back(r);

    r = {"batchSize", "batch", "N", K::Whole, "batch size", "mini-batch size",
         "B in ∇θL = (1/B) Σ_b ∇θL(x_b, g(f(x_b)))", 1, 65536};
    r.get = [](const S &s) { return double(s.batchSize); };
    r.set = [](S &s, double v) { s.batchSize = int(v); };
    r.label = "batch {}";
    r.panel = PanelControl::Own;
    t.push_back(r);

    r = {"shuffle", "no-shuffle", "", K::Switch, "shuffle", "keep the data order instead of reshuffling every epoch", ""};
    r.get = [](const S &s) { return s.shuffle ? 1.0 : 0.0; };
    r.set = [](S &s, double v) { s.shuffle = v != 0; };
    r.labelOf = [](const S &s) { return std::string(s.shuffle ? "shuffle" : "no shuffle"); };
    t.push_back(r);
}

/// The variants' own knobs: the corruption and each regularizer term's weight.
void addTermRows(std::vector<SettingRow> &t)
{
    SettingRow r;
    // The corruption rows share aelab-cli's --corruption KIND:RATE (app/cli/Common.cpp).
    r = {"corruption.kind", "", "", K::Choice, "corruption", "denoising: the corruption C(x̃|x)",
         "masking x̃ᵢ = 0 w.p. p, Gaussian x̃ = x + σn, salt & pepper x̃ᵢ ∈ {0, 1} w.p. p"};
    r.names = namesOf(kCorruptions);
    r.onlyFor = int(Variant::Denoising);
    r.get = [](const S &s) { return double(s.corruption.kind); };
    r.set = [](S &s, double v) { s.corruption.kind = CorruptionKind(int(v)); };
    // With its rate, which means another thing for each kind (the marker said only "gaussian").
    r.labelOf = [](const S &s) {
        const std::string percent = std::to_string(std::lround(100 * s.corruption.rate)) + " %";
        switch (s.corruption.kind) {
        case CorruptionKind::None: return std::string("no corruption");
        case CorruptionKind::Masking: return "masking " + percent;
        case CorruptionKind::Gaussian: return "gaussian σ " + twoDigits(s.corruption.rate);
        case CorruptionKind::SaltPepper: return "salt & pepper " + percent;
        }
        return std::string("corruption");
    };
    r.panel = PanelControl::Own;
    t.push_back(r);

    r = {"corruption.rate", "", "", K::Number, "corruption rate", "denoising: p (masking, salt & pepper) or σ (Gaussian)",
         "p or σ of C(x̃|x)", 0, 10};
    r.settles = true;
    r.onlyFor = int(Variant::Denoising);
    r.get = [](const S &s) { return s.corruption.rate; };
    r.set = [](S &s, double v) { s.corruption.rate = v; };
    r.hiFor = [](const S &s) { return s.corruption.kind == CorruptionKind::Gaussian ? 10.0 : 1.0; };
    r.labelOf = [](const S &s) {
        if (s.corruption.kind == CorruptionKind::Gaussian) return "σ " + twoDigits(s.corruption.rate);
        return "corruption " + std::to_string(std::lround(100 * s.corruption.rate)) + " %";
    };
    r.panel = PanelControl::Own, r.sliderLo = 0, r.sliderHi = 0.9, r.step = 0.01;  // whole percent
    t.push_back(r);

    r = {"sparsity", "sparsity", "", K::Choice, "sparsity penalty",
         "sparse: penalty on the code (kl needs a sigmoid code)", "Ω(h) = λΣ|hⱼ| or λΣⱼ KL(ρ ‖ ρ̂ⱼ)"};
    r.names = namesOf(kSparsities);
    r.onlyFor = int(Variant::Sparse);
    r.get = [](const S &s) { return double(s.sparsity); };
    r.set = [](S &s, double v) { s.sparsity = SparsityKind(int(v)); };
    r.labelOf = [](const S &s) { return upper(toString(s.sparsity)); };
    r.panel = PanelControl::Own;
    t.push_back(r);

    r = {"sparsityWeight", "sparsity-weight", "λ", K::Number, "sparsity weight", "sparse: penalty weight",
         "λ of Ω(h)", 0, 1e4};
    r.settles = true;
    r.onlyFor = int(Variant::Sparse);
    r.get = [](const S &s) { return s.sparsityWeight; };
    r.set = [](S &s, double v) { s.sparsityWeight = v; };
    r.label = "Ω weight {}";
    r.panel = PanelControl::LogSlider;
    r.sliderLo = 1e-5, r.sliderHi = 1, r.control = "Weight λ";
    t.push_back(r);

    r = {"sparsityTarget", "sparsity-target", "ρ", K::Number, "sparsity target ρ", "sparse, kl: target mean activation",
         "ρ of KL(ρ ‖ ρ̂ⱼ) = ρ log(ρ/ρ̂ⱼ) + (1 − ρ) log((1 − ρ)/(1 − ρ̂ⱼ))", 1e-4, 1 - 1e-4};
    r.settles = true;
    r.onlyFor = int(Variant::Sparse);
    r.get = [](const S &s) { return s.sparsityTarget; };
    r.set = [](S &s, double v) { s.sparsityTarget = v; };
    r.label = "ρ {}";
    r.panel = PanelControl::Own, r.sliderLo = 0.01, r.sliderHi = 0.5, r.step = 0.01;
    t.push_back(r);

    r = {"contractiveLambda", "contractive-lambda", "λ", K::Number, "contractive λ",
         "contractive: weight of ‖∂f/∂x‖²_F", "λ‖∂f(x)/∂x‖²_F", 0, 1e4};
    r.settles = true;
    r.onlyFor = int(Variant::Contractive);
    r.get = [](const S &s) { return s.contractiveLambda; };
    r.set = [](S &s, double v) { s.contractiveLambda = v; };
    r.label = "λ {}";
    r.panel = PanelControl::LogSlider;
    r.sliderLo = 1e-5, r.sliderHi = 1, r.control = "λ";
    t.push_back(r);

    r = {"beta", "beta", "β", K::Number, "β", "variational: weight of the KL term", "β KL(q(h|x) ‖ N(0, I))", 0, 1e4};
    r.settles = true;
    r.onlyFor = int(Variant::Variational);
    r.get = [](const S &s) { return s.beta; };
    r.set = [](S &s, double v) { s.beta = v; };
    r.label = "β {}";
    r.panel = PanelControl::LogSlider;
    r.sliderLo = 1e-2, r.sliderHi = 10, r.control = "β";
    t.push_back(r);
}

std::vector<SettingRow> makeTable()
{
    std::vector<SettingRow> t;
    addTrainingRows(t);
    addTermRows(t);
    return t;
}

}  // namespace

const std::vector<SettingRow> &settingsTable()
{
    static const std::vector<SettingRow> table = makeTable();
    return table;
}

const SettingRow *settingRow(const std::string &key)
{
    for (const SettingRow &r : settingsTable())
        if (key == r.key) return &r;
    return nullptr;
}

std::string exactNumber(double v)
{
    char buf[40];
    for (int p = 1; p <= 17; ++p) {
        std::snprintf(buf, sizeof buf, "%.*g", p, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

std::string SettingRow::check(const TrainSettings &s) const
{
    const double v = get(s);
    switch (kind) {
    case SettingKind::Switch: return {};
    case SettingKind::Choice:
        if (v >= 0 && v < double(names.size()) && v == std::floor(v)) return {};
        return std::string(what) + " must be one of its " + std::to_string(names.size()) + " kinds";
    case SettingKind::Whole:
    case SettingKind::Number: break;
    }
    const double top = upper(s);
    if (std::isfinite(v) && v >= lo && v <= top && (kind == SettingKind::Number || v == std::floor(v))) return {};
    return std::string(what) + " must be " + (kind == SettingKind::Whole ? "a whole number " : "") + "between " +
           exactNumber(lo) + " and " + exactNumber(top) + " (not " + exactNumber(v) + ")";
}

std::string SettingRow::text(double v) const
{
    switch (kind) {
    case SettingKind::Choice: return v >= 0 && v < double(names.size()) ? names[size_t(v)] : exactNumber(v);
    case SettingKind::Switch: return v != 0 ? "true" : "false";
    case SettingKind::Whole: return exactNumber(v);
    case SettingKind::Number: break;
    }
    return twoDigits(v);
}

std::string SettingRow::changeLabel(const TrainSettings &s) const
{
    if (labelOf) return labelOf(s);
    std::string out = label;
    const size_t at = out.find("{}");
    if (at != std::string::npos) out.replace(at, 2, text(get(s)));
    return out;
}

int SettingRow::indexOf(const std::string &name) const
{
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return int(i);
    return -1;
}

}  // namespace ael
