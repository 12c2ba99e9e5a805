#pragma once
#include "Optimizer.h"

#include <vector>

namespace ael {

/// Adam (Kingma & Ba):  t ← t+1,  m ← β1 m + (1−β1) g,  v ← β2 v + (1−β2) g²,
///   θ ← θ − η m̂ / (√v̂ + ε)  with  m̂ = m/(1−β1ᵗ),  v̂ = v/(1−β2ᵗ).   t is kept per slot.
class Adam final : public Optimizer {
public:
    OptimizerKind kind() const override { return OptimizerKind::Adam; }
    double update(Param<float> &p, const OptimizerSettings &s) override;
    void resetSlot(int slot) override;
    std::unique_ptr<Optimizer> clone() const override { return std::make_unique<Adam>(*this); }
    std::vector<std::string> momentNames() const override { return {"m", "v"}; }
    SlotState exportSlot(int slot) const override;

protected:
    void setSlot(int slot, const SlotState &s) override;
    std::string checkSlot(const SlotState &s) const override;  ///< v ≥ 0 (it is a mean of squares)

private:
    struct Slot {
        Matrix m, v;
        long long t = 0;
    };
    std::vector<Slot> slots_;
};

}  // namespace ael
