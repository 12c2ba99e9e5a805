#pragma once
// A run's state in a session file (core/io/SessionFile.h), beside the model's parameters, in the same
// safetensors file so that it stays a model file for every other reader:
//
//   tensor   "optimizer.<moment>.<parameter>"  F32, the parameter's shape: Adam's "m" and "v", SGD's
//                                              "velocity" (only for parameters the optimizer has used)
//   tensor   "stream.order"                    F32 [n]: this epoch's order of the training images
//   metadata "optimizer"                       "adam" or "sgd"
//   metadata "optimizer.t.<parameter>"         Adam's step count of that parameter, decimal
//   metadata "stream.position"                 the next batch's start in the order, decimal
//   metadata "stream.rng"                      the generator: four 64-bit words, the spare normal's
//                                              flag and its bits, in hexadecimal, space-separated
//
// Everything is optional as a whole (a session without it restarts the optimizer) but not in part:
// decodeTrainerState refuses an incomplete or malformed state with a FormatError saying what is wrong.
#include "../train/Trainer.h"
#include "SafeTensors.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ael {

/// Appends the state's tensors and metadata entries. Throws FormatError (no prefix) if the training
/// set is too large for its order to be stored exactly as F32 (2^24 images).
void encodeTrainerState(const TrainerState &st, std::vector<NamedTensor> &tensors, std::map<std::string, std::string> &meta);

/// The state held by these tensors and entries, or nullopt if there is none. Throws FormatError
/// (no prefix) if it is incomplete or malformed.
std::optional<TrainerState> decodeTrainerState(const std::vector<NamedTensor> &tensors,
                                               const std::map<std::string, std::string> &meta);

}  // namespace ael
