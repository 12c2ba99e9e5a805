#include "TermTable.h"

#include "../regularizers/Contractive.h"
#include "../regularizers/SparseKL.h"
#include "../regularizers/SparseL1.h"
#include "../regularizers/VariationalKL.h"

namespace ael {

namespace {

/// A row's `make` and `configure` for term type T, so each row names its type once.
template <class T> std::unique_ptr<Regularizer<float>> make(uint64_t) { return std::make_unique<T>(); }
template <class T> T &as(Regularizer<float> &r) { return static_cast<T &>(r); }

bool sparse(const TrainSettings &s, SparsityKind k) { return s.variant == Variant::Sparse && s.sparsity == k; }
bool contractive(const TrainSettings &s, const Model<float> &m, bool oneLayer)
{
    return s.variant == Variant::Contractive && (m.encoderDepth() == 1) == oneLayer;
}

const std::vector<TermRow> kTerms = {
    {"sparsity_l1", "sparsity λΣ|h|",
     "Ω(h) = λ Σⱼ |hⱼ|, mean over the batch: pushes most code units to exactly zero.",
     [](const TrainSettings &s, const Model<float> &) { return sparse(s, SparsityKind::L1); },
     make<SparseL1<float>>,
     [](Regularizer<float> &r, const TrainSettings &s) { as<SparseL1<float>>(r).lambda = float(s.sparsityWeight); }},
    {"sparsity_kl", "sparsity λΣ KL(ρ‖ρ̂)",
     "Ω(h) = λ Σⱼ KL(ρ ‖ ρ̂ⱼ), ρ̂ⱼ = mean activation of unit j over the batch: keeps each unit active a "
     "fraction ρ of the time.",
     [](const TrainSettings &s, const Model<float> &) { return sparse(s, SparsityKind::KL); },
     make<SparseKL<float>>,
     [](Regularizer<float> &r, const TrainSettings &s) {
         as<SparseKL<float>>(r).lambda = float(s.sparsityWeight);
         as<SparseKL<float>>(r).rho = float(s.sparsityTarget);
     }},
    {"contractive", "contractive λ‖J‖²_F",
     "Ω = λ ‖∂f(x)/∂x‖²_F, exact for a one-layer encoder: the code changes little when x moves a little "
     "(a neighbourhood of x contracts into a small region of code space).",
     [](const TrainSettings &s, const Model<float> &m) { return contractive(s, m, true); },
     make<ContractiveExact<float>>,
     [](Regularizer<float> &r, const TrainSettings &s) {
         as<ContractiveExact<float>>(r).lambda = float(s.contractiveLambda);
     }},
    {"contractive_est", "contractive λ‖J‖²_F (estimate)",
     "Ω ≈ λ E‖f(x + ε) − f(x)‖² / σ², a stochastic estimate of λ‖∂f(x)/∂x‖²_F for deeper encoders.",
     [](const TrainSettings &s, const Model<float> &m) { return contractive(s, m, false); },
     [](uint64_t seed) -> std::unique_ptr<Regularizer<float>> {
         return std::make_unique<ContractiveEstimate<float>>(1e-3f, 0.05f, seed ^ 0xcae);
     },
     [](Regularizer<float> &r, const TrainSettings &s) {
         as<ContractiveEstimate<float>>(r).lambda = float(s.contractiveLambda);
     }},
    {"kl", "KL β·KL(q‖p)",
     "β · KL(q(h|x) ‖ N(0, I)) per pixel: keeps the stochastic encoder's distribution close to the prior, "
     "so samples of the prior decode to plausible images.",
     [](const TrainSettings &s, const Model<float> &) { return s.variant == Variant::Variational; },
     make<VariationalKL<float>>,
     [](Regularizer<float> &r, const TrainSettings &s) { as<VariationalKL<float>>(r).beta = float(s.beta); }},
};

}  // namespace

const std::vector<TermRow> &termTable() { return kTerms; }

const TermRow *findTerm(std::string_view name)
{
    for (const TermRow &r : kTerms)
        if (name == r.name) return &r;
    return nullptr;
}

}  // namespace ael
