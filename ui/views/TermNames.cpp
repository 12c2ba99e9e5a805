#include "ui/views/TermNames.h"

#include "core/train/TermTable.h"

#include <QCoreApplication>

namespace term_names {

namespace {
QString tr(const char *s) { return QCoreApplication::translate("TermNames", s); }
const ael::TermRow *term(const QString &id) { return ael::findTerm(id.toStdString()); }
}  // namespace

// The curves that are not regularizer terms are named here; every term by its row of the term table.
QString displayName(const QString &id)
{
    if (id == QLatin1String("objective")) return tr("objective L + Ω");
    if (id == QLatin1String("train") || id == QLatin1String("reconstruction")) return tr("reconstruction L");
    if (id == QLatin1String("test")) return tr("test MSE");
    if (id == QLatin1String("testNoisy")) return tr("test MSE from x̃");
    if (const ael::TermRow *t = term(id)) return QString::fromUtf8(t->legend);
    QString s = id;
    return s.replace(QLatin1Char('_'), QLatin1Char(' '));
}

QString shortName(const QString &id)
{
    if (id == QLatin1String("objective")) return tr("L + Ω");
    if (id == QLatin1String("train") || id == QLatin1String("reconstruction")) return tr("L");
    if (id == QLatin1String("testNoisy")) return tr("test from x̃");
    if (term(id)) return displayName(id).section(QLatin1Char(' '), 0, 0);  // "sparsity λΣ|h|" → "sparsity"
    return displayName(id);
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
        return tr("MSE on the whole test set (clean inputs; μ for the variational model), measured about four times a second.");
    if (id == QLatin1String("testNoisy"))
        return tr("Denoising: MSE on the whole test set from x̃, each input corrupted by the current C(x̃|x) (the same draws "
                  "every time) and its reconstruction scored against the clean x, as the training loss is.");
    if (const ael::TermRow *t = term(id)) return QString::fromUtf8(t->tooltip);
    return displayName(id);
}

}  // namespace term_names
