#pragma once
// Every training setting the user can change, described once. Model files (core/io/ModelFile), the
// window's remembered settings (QSettings), the loss chart's change labels, TrainSettings::validate
// and aelab-cli's flags all loop over this table, so a new setting is its field in TrainSettings plus
// one row of SettingsTable.cpp (a weight the window shows as a slider gets it from its row too). (A new regularizer term is its file in core/regularizers/, its row of
// TermTable.cpp, and the row of its weight here.)
//
// Every value travels as a double: a number as itself, a whole number as its integer, a switch as
// 0 or 1, a choice as the index of its name (the enum's value).
#include "Settings.h"

#include <string>
#include <vector>

namespace ael {

enum class SettingKind { Number, Whole, Switch, Choice };
enum class PanelControl { None, LogSlider, Own };

struct SettingRow {
    const char *key;      ///< JSON member ("learningRate"; "corruption.rate" nests); QSettings key with '/' for '.'
    const char *flag;     ///< aelab-cli flag without "--" ("lr"); "" when the row has no flag of its own
    const char *metavar;  ///< the flag's value in --help ("RATE"); "" for a choice: its names ("mse|bce")
    SettingKind kind;
    const char *what;     ///< the setting in messages: "learning rate"
    const char *help;     ///< one line for --help and tooltips
    const char *formula;  ///< where it enters the objective or the step, e.g. "λ‖∂f(x)/∂x‖²_F" ("" if nowhere)
    double lo = 0, hi = 0;            ///< Number, Whole: the engine's range [lo, hi]
    std::vector<std::string> names;   ///< Choice: the names, index = the enum's value
    bool settles = false;             ///< slider-like: a drag of it is one chart marker
    int onlyFor = -1;                 ///< the Variant it acts in (-1: all); other variants ignore it
    double (*get)(const TrainSettings &) = nullptr;
    void (*set)(TrainSettings &, double) = nullptr;
    /// The change label for the value in `s` ("lr 0.01"); null: `label` with "{}" for the value text.
    std::string (*labelOf)(const TrainSettings &s) = nullptr;
    const char *label = "{}";
    /// The upper bound that depends on other fields (Gaussian σ up to 10, a probability up to 1); null: hi.
    double (*hiFor)(const TrainSettings &) = nullptr;
    /// Its control in the window, and so whether a lesson may set it (a lesson keeps to the control's range,
    /// so the panel shows what the engine trains with): none; a logarithmic slider the panel builds from this
    /// row, over [sliderLo, sliderHi], labelled `control`, in its variant's group (or under Training); or a
    /// control of the panel's own (a combo box, or a slider over [sliderLo, sliderHi] in steps of `step`).
    /// sliderHi = 0: the engine's range [lo, hi].
    PanelControl panel = PanelControl::None;
    double sliderLo = 0, sliderHi = 0, step = 0;
    const char *control = "";

    double upper(const TrainSettings &s) const { return hiFor ? hiFor(s) : hi; }
    /// "" when the value in s is allowed, else "<what> must be between <lo> and <hi>".
    std::string check(const TrainSettings &s) const;
    /// The value's text: a number as "%.2g" (labels) or exact (help), a whole number, a choice's name.
    std::string text(double v) const;
    /// The change label for s ("lr 0.01", "batch 64", "→ denoising").
    std::string changeLabel(const TrainSettings &s) const;
    /// A choice's index for `name`, or -1.
    int indexOf(const std::string &name) const;
};

/// The rows in the order the model file's JSON lists them (and change labels are joined).
const std::vector<SettingRow> &settingsTable();
/// The row with this key, or null.
const SettingRow *settingRow(const std::string &key);

/// A number in the shortest text that reads back as the same double ("0.001", "1e-08", "10000").
std::string exactNumber(double v);

}  // namespace ael
