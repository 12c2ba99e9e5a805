#include "ui/views/TermNames.h"

#include <QCoreApplication>

namespace term_names {

namespace {
QString tr(const char *s) { return QCoreApplication::translate("TermNames", s); }
}  // namespace

QString displayName(const QString &id)
{
    if (id == QLatin1String("objective")) return tr("objective L + Ω");
    if (id == QLatin1String("train") || id == QLatin1String("reconstruction")) return tr("reconstruction L");
    if (id == QLatin1String("test")) return tr("test MSE");
    if (id == QLatin1String("sparsity_l1")) return tr("sparsity λΣ|h|");
    if (id == QLatin1String("sparsity_kl")) return tr("sparsity λΣ KL(ρ‖ρ̂)");
    if (id == QLatin1String("contractive")) return tr("contractive λ‖J‖²_F");
    if (id == QLatin1String("contractive_est")) return tr("contractive λ‖J‖²_F (estimate)");
    if (id == QLatin1String("kl")) return tr("KL β·KL(q‖p)");
    QString s = id;
    return s.replace(QLatin1Char('_'), QLatin1Char(' '));
}

QString tooltip(const QString &id)
{
    if (id == QLatin1String("objective"))
        return tr("The objective being minimised: the reconstruction loss L(x, g(f(x))) plus every "
                  "regularizer term Ω, as the optimizer sees it (training batches).");
    if (id == QLatin1String("train") || id == QLatin1String("reconstruction"))
        return tr("Reconstruction loss L(x, g(f(x))) on the training batches, per pixel "
                  "(MSE: mean (x̂ − x)²; BCE: −mean [x log x̂ + (1 − x) log(1 − x̂)]). "
                  "The denoising AE is scored against the clean x.");
    if (id == QLatin1String("test"))
        return tr("MSE on the whole test set (clean inputs; μ for the variational model), about once a second.");
    if (id == QLatin1String("sparsity_l1"))
        return tr("Ω(h) = λ Σⱼ |hⱼ|, mean over the batch: pushes most code units to exactly zero.");
    if (id == QLatin1String("sparsity_kl"))
        return tr("Ω(h) = λ Σⱼ KL(ρ ‖ ρ̂ⱼ), ρ̂ⱼ = mean activation of unit j over the batch: keeps each "
                  "unit active a fraction ρ of the time.");
    if (id == QLatin1String("contractive"))
        return tr("Ω = λ ‖∂f(x)/∂x‖²_F, exact for a one-layer encoder: the code changes little when x "
                  "moves a little (a neighbourhood of x contracts into a small region of code space).");
    if (id == QLatin1String("contractive_est"))
        return tr("Ω ≈ λ E‖f(x + ε) − f(x)‖² / σ², a stochastic estimate of λ‖∂f(x)/∂x‖²_F for deeper "
                  "encoders.");
    if (id == QLatin1String("kl"))
        return tr("β · KL(q(h|x) ‖ N(0, I)) per pixel: keeps the stochastic encoder's distribution close "
                  "to the prior, so samples of the prior decode to plausible images.");
    return displayName(id);
}

}  // namespace term_names
