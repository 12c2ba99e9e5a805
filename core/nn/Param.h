#pragma once
#include "../Tensor.h"

#include <string>
#include <utility>

namespace ael {

/// A trainable tensor, its gradient, and the index of its explicit optimizer slot.
/// The slot is assigned by the Model when it registers its parameters (0, 1, 2, ... in a fixed
/// order), so optimizer state never depends on addresses and survives copies of the model.
template <class S> struct Param {
    std::string name;  ///< e.g. "encoder.0.weight" (also the safetensors tensor name)
    Mat<S> value;
    Mat<S> grad;       ///< same shape as value; zeroed by Model::zeroGrad()
    /// Set by Model::markGradsStale() (the trainer, instead of zeroing every gradient each step): grad holds
    /// the last step's values, and the next write overwrites it instead of adding (Model::zeroStaleGrads()
    /// zeroes what no one wrote).
    bool gradStale = false;
    /// Whether the write about to be made must overwrite grad rather than add to it; that write makes it current.
    bool takeStale() { return std::exchange(gradStale, false); }
    int slot = -1;
};

}  // namespace ael
