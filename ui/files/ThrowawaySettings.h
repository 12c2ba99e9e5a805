#pragma once
// `aelab --fresh`: the stored settings are neither read nor written. The window skips its own (geometry,
// controls, data set) already; the file dialogs' folders and "Don't ask again" are read where they are
// used, so the process's QSettings are sent to a folder of its own instead of the user's.
#include <QString>

namespace ael::ui {

/// Every QSettings the process opens from now on reads and writes files in `dir` (user and system scope,
/// native and INI format); the user's own files stay as they were.
void useThrowawaySettings(const QString &dir);

}  // namespace ael::ui
