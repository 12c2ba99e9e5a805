#pragma once
// Autoencoder Lab model files: safetensors (core/io/SafeTensors.h) whose tensors are the model's
// trainable parameters, named by Param::name ("encoder.0.weight" W: out x in stored as shape
// [out, in]; "encoder.0.bias" b: out x 1 stored as shape [out]), and whose "__metadata__" holds
//
//   "aelab"  the whole configuration as one JSON string:
//            {"format": "aelab-model", "version": 1,
//             "architecture": {"spec": "784-256-[2]-256-784", "input": 784, "encoderHidden": [256], "code": 2,
//                              "decoderHidden": [256],
//                              "activations": {"hidden": "relu", "code": "linear", "output": "sigmoid"},
//                              "tied": false, "variational": false},
//             "settings": {"variant": "undercomplete", "loss": "mse", "optimizer": "adam", "learningRate": 0.001,
//                          "momentum": 0.9, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-08, "batchSize": 128,
//                          "shuffle": true, "corruption": {"kind": "masking", "rate": 0.3}, "sparsity": "l1",
//                          "sparsityWeight": 0.001, "sparsityTarget": 0.05, "contractiveLambda": 0.001,
//                          "beta": 1}}
//   any other key  the caller's extra strings (e.g. "steps", "epoch", "seed"), one metadata entry each,
//                  so that other safetensors tools can read them too.
//
// Tensors whose names start with "optimizer." or "stream." are not parameters: a session file keeps the
// run's optimizer state and data-stream position in them (core/io/SessionFile.h). loadModel sets them
// aside (LoadedModel::stateTensors) without reading anything into them.
//
// A tied model has no "decoder.0.weight" (it is encoder.0.weightᵀ); a variational model's last encoder
// layer has 2k outputs ([μ; log σ²]). Doubles survive the round trip bit-exactly, and so do the weights.
//
// loadModel treats the file as hostile: the expected parameter shapes are derived from the stored
// architecture and compared with the tensors actually present BEFORE a model is allocated, so a
// header cannot make it allocate more than the file holds.
#include "../nn/Model.h"
#include "../train/Settings.h"
#include "SafeTensors.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <memory>
#include <string>

namespace ael {

/// The metadata key that holds the configuration, and the version this build writes and reads.
inline constexpr const char *kModelMetadataKey = "aelab";
inline constexpr int kModelFormatVersion = 1;

/// Writes the model atomically (see saveSafetensors). `extra` entries become metadata entries of
/// their own; the key "aelab" is reserved. The architecture's variational flag must agree with the
/// settings' variant (as it always does for a Trainer's model). Throws FormatError.
/// `stateTensors` are written after the parameters; each name must start with a state prefix (above).
void saveModel(const std::string &path, const Model<float> &m, const TrainSettings &s,
               const std::map<std::string, std::string> &extra = {}, const std::vector<NamedTensor> &stateTensors = {});
/// The file image saveModel writes; `label` names the model in error messages.
std::vector<uint8_t> serializeModel(const Model<float> &m, const TrainSettings &s,
                                    const std::map<std::string, std::string> &extra, const std::string &label,
                                    const std::vector<NamedTensor> &stateTensors = {});

/// Empty when a model of this architecture fits in a file loadModel reads (kSafetensorsMaxFileBytes), else
/// why not: 4 bytes a parameter, and 1 MiB left for the header (a few kB for 64 layers a side).
std::string whyModelFileTooLarge(const Architecture &a);

/// Whether a tensor name is reserved for a run's state ("optimizer." or "stream." first).
bool isStateTensorName(const std::string &name);

struct LoadedModel {
    Architecture arch;
    TrainSettings settings;
    std::unique_ptr<Model<float>> model;
    std::map<std::string, std::string> metadata;  ///< every "__metadata__" entry but "aelab" (the extras)
    std::vector<NamedTensor> stateTensors;         ///< the tensors with a state name, unchecked
};

/// Reads and validates a model file. Throws FormatError (the message starts with the path) when the
/// file is not a valid safetensors file, when the "aelab" metadata is missing, not JSON, of another
/// format or version, or describes a bad architecture or settings, and when a tensor is missing, has
/// the wrong shape, is not part of the architecture, or holds a non-finite value.
LoadedModel loadModel(const std::string &path);

/// The same from a file image in memory; `label` names it in error messages.
LoadedModel loadModelFromMemory(const uint8_t *data, size_t size, const std::string &label);

/// The configuration pieces as JSON (as stored in the file, members in this order), e.g. for a
/// command-line report.
nlohmann::ordered_json architectureToJson(const Architecture &a);
nlohmann::ordered_json settingsToJson(const TrainSettings &s);
/// Inverse of the above; throw FormatError("<what>: <problem>") on a missing or malformed field.
Architecture architectureFromJson(const nlohmann::ordered_json &j);
TrainSettings settingsFromJson(const nlohmann::ordered_json &j);

}  // namespace ael
