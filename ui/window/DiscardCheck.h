#pragma once
// The answer to "may this action throw away the trained model?": MainWindow asks it (Discard / Save
// session… / Cancel) when the model has unsaved steps, before a reset, a quit, a file, a lesson, a data
// set, an architecture or a variant's default replaces it. The control panel asks it through a
// DiscardQuestion before its own changes that start a new model.
#include <functional>

class QString;

enum class DiscardCheck {
    NothingToLose,  ///< nothing unsaved (or the user said "don't ask again"): no question was asked
    Go,             ///< asked, and the user discarded the model or saved it
    Cancel          ///< asked, and the user cancelled
};

using DiscardQuestion = std::function<DiscardCheck(const QString &action)>;
