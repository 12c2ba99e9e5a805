#pragma once
// An optimizer updates each parameter from its gradient and its own state. The state lives in an
// explicit slot per parameter (Param::slot), not keyed by address, so it survives copies of the model,
// a change of learning rate, and a variant switch (a slot whose parameter changed shape starts afresh).
#include "../nn/Param.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ael {

enum class OptimizerKind { SGD, Adam };
const char *toString(OptimizerKind k);
bool parseOptimizer(const std::string &s, OptimizerKind &out);

struct OptimizerSettings {
    double learningRate = 2e-3;
    double momentum = 0.9;   ///< SGD only
    double beta1 = 0.9;      ///< Adam only
    double beta2 = 0.999;    ///< Adam only
    double epsilon = 1e-8;   ///< Adam only
};

/// One slot's state, to save a run and continue it exactly: the moment matrices by name (Adam "m" and
/// "v", SGD "velocity"), each of its parameter's shape, and Adam's step count t (0 for SGD).
/// No moments: the slot was never used (a fresh start).
struct SlotState {
    long long t = 0;
    std::vector<std::pair<std::string, Matrix>> moments;
};

class Optimizer {
public:
    virtual ~Optimizer() = default;
    virtual OptimizerKind kind() const = 0;
    /// θ ← θ − step(∂L/∂θ), using and updating the state in slot p.slot. Returns whether every new θ is
    /// finite (a non-finite gradient makes a non-finite weight; the same pass tells).
    [[nodiscard]] virtual bool update(Param<float> &p, const OptimizerSettings &s) = 0;

    /// Forget one slot's state (e.g. its parameter was re-initialised)
    virtual void resetSlot(int slot) = 0;
    virtual std::unique_ptr<Optimizer> clone() const = 0;

    /// The names of the moments a used slot holds, in order (Adam: "m", "v"; SGD: "velocity").
    virtual std::vector<std::string> momentNames() const = 0;
    /// One slot's state (empty if the slot was never used).
    virtual SlotState exportSlot(int slot) const = 0;
    /// Replaces one slot's state with `s` for a parameter of rows × cols. Returns "" or why `s` does not
    /// fit (other moment names, another shape, a negative t, a non-finite value); then nothing changes.
    std::string importSlot(int slot, const SlotState &s, Eigen::Index rows, Eigen::Index cols);

protected:
    /// importSlot after the checks.
    virtual void setSlot(int slot, const SlotState &s) = 0;
    /// An optimizer's own check of a state whose names and shapes fit ("" if it is fine).
    virtual std::string checkSlot(const SlotState &) const { return {}; }
};

std::unique_ptr<Optimizer> makeOptimizer(OptimizerKind k);

}  // namespace ael
