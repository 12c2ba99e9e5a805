#pragma once
// What the loss chart calls each curve. The engine names its terms by identifier ("sparsity_l1",
// "contractive_est", "kl"); students read "sparsity λΣ|h|" in the legend and the full formula in its
// tooltip.
#include <QString>

namespace term_names {

/// A short readable name with the term's formula, e.g. "sparsity λΣ|h|". Unknown identifiers are
/// returned with '_' as spaces.
QString displayName(const QString &id);
/// The name alone, for a legend short of room: "L + Ω", "L", "sparsity", "KL", "test MSE".
QString shortName(const QString &id);
/// The formula and what the term does, for the tooltip.
QString tooltip(const QString &id);

}  // namespace term_names
