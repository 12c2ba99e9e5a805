#pragma once
#include "Optimizer.h"

#include <vector>

namespace ael {

/// SGD with (heavy-ball) momentum:  v ← μ v − η g,  θ ← θ + v   (μ = 0: plain SGD)
class SGD final : public Optimizer {
public:
    OptimizerKind kind() const override { return OptimizerKind::SGD; }
    double update(Param<float> &p, const OptimizerSettings &s) override;
    void resetSlot(int slot) override;
    std::unique_ptr<Optimizer> clone() const override { return std::make_unique<SGD>(*this); }
    std::vector<std::string> momentNames() const override { return {"velocity"}; }
    SlotState exportSlot(int slot) const override;

protected:
    void setSlot(int slot, const SlotState &s) override;

private:
    std::vector<Matrix> velocity_;  // one per slot
};

}  // namespace ael
