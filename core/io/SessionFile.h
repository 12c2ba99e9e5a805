#pragma once
// Session files: a trained state that a lecturer prepares and reopens before class. A session file IS a
// model file (core/io/ModelFile.h: the same safetensors tensors and "aelab" configuration, so
// `aelab-cli eval` and Open model read it too) with one more metadata entry,
//
//   "aelab-session"  one JSON string:
//     {"format": "aelab-session", "version": 1,
//      "data": {"id": "mnist", "label": "MNIST digits (embedded, 10,000)"},
//      "seed": "42",                       (a decimal string: all of uint64)
//      "step": 12000, "epoch": 30,         (the trainer's counters)
//      "history": {
//        "terms": ["sparsity_l1"],         (every regularizer term that appears, first appearance first)
//        "step": [...], "epoch": [...], "reconstruction": [...],
//        "term": [[... one column per name in "terms" ...]],   (null where the term was not trained)
//        "test": [[step, mse], ...],          ([step, mse, mse from x̃] for a denoising run)
//        "markers": [[step, "→ sparse"], ...]}}
//
// plus plain entries "steps", "epoch", "seed", "data" (as aelab-cli train writes) for other tools.
// Numbers are written in the shortest form that reads back bit-exactly, so settings, weights (F32
// tensors) and history survive a round trip bitwise; a non-finite history value is written as null
// and reads back as NaN ("not recorded"). The run's state — the optimizer's moments and the data
// stream's position (core/io/SessionState.h) — is stored as extra tensors and plain metadata entries
// when given, so that training continues exactly where it stopped; a session without it restarts the
// optimizer. Other readers of model files set those tensors aside.
//
// loadSession treats the file as hostile, like loadModel: a size cap before reading, the model checks
// of loadModel (shapes before allocation, finite weights), the session JSON parsed with a value cap,
// every count capped, every column of the same length, steps non-negative and non-decreasing, every
// value finite or null. Every problem is a FormatError whose message starts with the file's name.
#include "ModelFile.h"
#include "SessionHistory.h"
#include "SessionState.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ael {

inline constexpr const char *kSessionMetadataKey = "aelab-session";
inline constexpr int kSessionFormatVersion = 1;
/// Caps on what a session file may hold (a longer history is refused on save and on load).
inline constexpr size_t kSessionMaxPoints = 1'000'000;
inline constexpr size_t kSessionMaxTerms = 16;
inline constexpr size_t kSessionMaxMarkers = 100'000;
inline constexpr size_t kSessionMaxLabelBytes = 4096;
inline constexpr uint64_t kSessionMaxFileBytes = 2ull << 30;  ///< 2 GiB

struct SessionInfo {
    std::string dataId, dataLabel;
    uint64_t seed = 0;
    int64_t step = 0;
    int epoch = 0;
};

/// Writes the session atomically (saveModel → saveSafetensors). Throws FormatError naming `path`
/// (e.g. a history longer than the caps, or points whose term count differs from termNames).
void saveSession(const std::string &path, const Model<float> &m, const TrainSettings &s, const SessionInfo &info,
                 const SessionHistory &history, const TrainerState *state = nullptr);
/// The file image saveSession writes; `label` names it in error messages.
std::vector<uint8_t> serializeSession(const Model<float> &m, const TrainSettings &s, const SessionInfo &info,
                                      const SessionHistory &history, const std::string &label,
                                      const TrainerState *state = nullptr);

struct LoadedSession {
    LoadedModel model;  ///< architecture, settings, weights (as loadModel gives them)
    SessionInfo info;
    SessionHistory history;
    /// The run's state if the file holds one (its slots name parameters of `model` with their shapes).
    std::optional<TrainerState> state;
};

/// Reads and validates a session file (see above). Throws FormatError naming the file.
LoadedSession loadSession(const std::string &path);
LoadedSession loadSessionFromMemory(const uint8_t *data, size_t size, const std::string &label);

}  // namespace ael
