#pragma once
// Every regularizer term Ω the trainer can add to the reconstruction loss, described once: its
// identifier (the curve's name in the chart, the session file and TermValue), the legend and tooltip
// students read, when it acts, and how it takes its weights from the settings. The Trainer keeps one
// instance per row and adds, each step, those whose row acts; the loss chart names curves from here.
// A new term is its file in core/regularizers/ plus one row of TermTable.cpp (and, if it has a weight
// of its own, that weight's row in SettingsTable.cpp).
//
// No Eigen here: widgets include this header for the names.
#include "Settings.h"

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace ael {

template <class S> class Regularizer;
template <class S> class Model;

struct TermRow {
    const char *name;     ///< identifier, = the Regularizer's name(): "sparsity_l1"
    const char *legend;   ///< the loss chart's legend: "sparsity λΣ|h|"
    const char *tooltip;  ///< the formula and what it does, one or two sentences
    /// Whether the term is part of the objective for these settings and this model.
    bool (*acts)(const TrainSettings &, const Model<float> &);
    /// A fresh instance; `seed` feeds terms that draw their own random numbers.
    std::unique_ptr<Regularizer<float>> (*make)(uint64_t seed);
    /// Sets the instance's weights (λ, ρ, β) from the settings before a step.
    void (*configure)(Regularizer<float> &, const TrainSettings &);
};

const std::vector<TermRow> &termTable();
/// The row of a term identifier, or nullptr.
const TermRow *findTerm(std::string_view name);

}  // namespace ael
