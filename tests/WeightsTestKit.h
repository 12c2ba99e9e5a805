#pragma once
// Shared by the engine's tests: a trainer's weights, and whether two sets of them are bit for bit equal.
#include "core/train/Trainer.h"

#include <cstring>
#include <vector>

namespace weightstest {

/// Every parameter's values, in the model's order.
inline std::vector<ael::Matrix> weights(const ael::Trainer &t)
{
    std::vector<ael::Matrix> w;
    for (const ael::Param<float> *p : t.model().params()) w.push_back(p->value);
    return w;
}

/// Bit for bit (memcmp, so −0 ≠ +0 and NaNs compare by their bits).
inline bool identical(const std::vector<ael::Matrix> &a, const std::vector<ael::Matrix> &b)
{
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].size() != b[i].size() || std::memcmp(a[i].data(), b[i].data(), sizeof(float) * size_t(a[i].size())))
            return false;
    return true;
}

}  // namespace weightstest
