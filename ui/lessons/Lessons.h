#pragma once
// The lessons: one preset per section of the lecture on autoencoders (Goodfellow et al., ch. 14),
// kept as data in resources/lessons/lessons.json (embedded as :/lessons/lessons.json). Each entry
// names its data set, variant, architecture and the settings it needs on top of the variant's preset
// (core/train/VariantPresets.h), the docks to open, a demo id (ui/lessons/LessonDemo.h), and what
// the lecturer says: the formula, two or three sentences, and what to watch on screen.
#include "core/nn/Architecture.h"
#include "core/train/Settings.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

struct Lesson {
    int number = 0;        ///< 1-based position in the table (the menu's Ctrl+number)
    QString id;            ///< unique, e.g. "ae-vs-pca"
    QString title, text, watch;
    QString formula;       ///< Unicode, as on the slides; a run of three spaces is a line break in the panel
    QString dataId;        ///< a data source id (core/data/Catalog.h), e.g. "mnist"
    ael::Architecture arch;       ///< widths from "arch", activations from "activations" (else the preset's)
    ael::TrainSettings settings;  ///< the variant's preset with the lesson's "settings" laid over it
    /// QDockWidget object names to open; "insideDock/Code activations" also selects that tab.
    QStringList docks;
    QString demo;          ///< a makeLessonDemo() id, or empty for none
    /// The central views its "watch" names: "codeScatter" (the code of the test digits, the default) or
    /// "pcaComparison" (the AE's code beside PCA's). Presenting narrower than 1,600 px the lower row holds
    /// one of them: this one.
    QStringList views;
};

/// Parses and validates a lesson table. On any problem returns an empty list and sets *error to a
/// message naming `source`, the lesson and the field, e.g.
/// "lessons.json: lesson 4 (sparse): settings.sparsityWeight: 5 is outside 1e-05 … 1".
std::vector<Lesson> parseLessons(const QByteArray &json, const QString &source, QString *error);

/// The embedded table (:/lessons/lessons.json), parsed once. Empty if it does not parse; then
/// builtinLessonsError() says why (the test suite checks that it is empty).
const std::vector<Lesson> &builtinLessons();
QString builtinLessonsError();

/// The dock names a lesson entry opens, without the "/tab" part.
QString lessonDockName(const QString &entry);
QString lessonDockTab(const QString &entry);
