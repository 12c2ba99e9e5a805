#pragma once
// The training settings in QSettings, one entry per row of the settings table
// (core/train/SettingsTable.h) under the current group: numbers and whole numbers as numbers, switches
// as true/false, choices by name; "corruption.kind" is stored as "corruption/kind".
#include "core/train/Settings.h"

class QSettings;

namespace settings_store {

void save(QSettings &q, const ael::TrainSettings &s);
/// The stored settings; a missing, malformed or out-of-range entry keeps its value from `defaults`.
ael::TrainSettings restore(QSettings &q, const ael::TrainSettings &defaults = {});

}  // namespace settings_store
