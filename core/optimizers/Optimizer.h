#pragma once
// An optimizer updates each parameter from its gradient and its own state. The state lives in an
// explicit slot per parameter (Param::slot), not keyed by address, so it survives copies of the model,
// a change of learning rate, and a variant switch (a slot whose parameter changed shape starts afresh).
#include "../nn/Param.h"

#include <memory>
#include <string>

namespace ael {

enum class OptimizerKind { SGD, Adam };
const char *toString(OptimizerKind k);
bool parseOptimizer(const std::string &s, OptimizerKind &out);

struct OptimizerSettings {
    double learningRate = 1e-3;
    double momentum = 0.9;   ///< SGD only
    double beta1 = 0.9;      ///< Adam only
    double beta2 = 0.999;    ///< Adam only
    double epsilon = 1e-8;   ///< Adam only
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
};

std::unique_ptr<Optimizer> makeOptimizer(OptimizerKind k);

}  // namespace ael
