#pragma once
// Shared by the engine's product tests: a deterministic matrix of values in [-0.5, 0.5), the same on every
// machine (a linear congruential sequence, column by column).
#include "core/Tensor.h"

#include <cstdint>

namespace matrixtest {

inline ael::Matrix random(long rows, long cols, uint32_t seed)
{
    ael::Matrix M(rows, cols);
    for (long j = 0; j < cols; ++j)
        for (long i = 0; i < rows; ++i) {
            seed = seed * 1664525u + 1013904223u;
            M(i, j) = float(seed >> 8) / float(1 << 24) - 0.5f;
        }
    return M;
}

}  // namespace matrixtest
