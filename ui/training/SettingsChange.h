#pragma once
// The short label of a loss-chart ChangeMarker: what differs between two TrainSettings, and which
// fields changed (ChangeBits). Used by the training worker's trainer thread (ui/TrainingLoop.cpp).
#include "core/train/Settings.h"

#include <QString>

namespace settings_change {

// What a settings change touched, one bit a field. Slider-like fields settle before they become a
// marker (a drag is one marker); the others make a marker at once.
enum ChangeBit : unsigned {
    kVariant = 1, kLoss = 2, kOptimizer = 4, kLearningRate = 8, kMomentum = 16, kBatch = 32, kShuffle = 64,
    kCorruptionKind = 128, kCorruptionRate = 256, kSparsity = 512, kSparsityWeight = 1024, kSparsityTarget = 2048,
    kContractive = 4096, kBeta = 8192
};
constexpr unsigned kSettlingFields =
    kLearningRate | kMomentum | kCorruptionRate | kSparsityWeight | kSparsityTarget | kContractive | kBeta;

/// The short label of a ChangeMarker: what differs between two settings ("" if nothing); *mask
/// gets the ChangeBits.
QString describeChange(const ael::TrainSettings &a, const ael::TrainSettings &b, unsigned *mask = nullptr);

}  // namespace settings_change
