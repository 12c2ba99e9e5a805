#pragma once
// The corrupted pass over a test set that scores a denoising model, g(f(x̃)) against the clean x: the window's
// analysis (its curve, and PCA's from the same x̃) and Trainer::evaluate (`aelab-cli eval`) both walk it here,
// so they see the same x̃ and give the same number.
#include "../data/Dataset.h"
#include "Corruption.h"

#include <algorithm>

namespace ael {

/// For the first n images of d, chunk by chunk (kTestCorruptionChunk, in order): X, the clean images (each
/// column one), and X̃ = C(X) from one generator seeded kTestCorruptionSeed; f(X, Xt) per chunk. A false from f
/// stops the pass (an abort), and the pass returns false.
template <class F> bool forEachCorruptedChunk(const Dataset &d, int n, const Corruption &c, Matrix &X, Matrix &Xt, F &&f)
{
    Rng rng(kTestCorruptionSeed);
    for (int first = 0; first < n; first += kTestCorruptionChunk) {
        d.range(first, std::min(kTestCorruptionChunk, n - first), X);
        corrupt(X, Xt, c, rng);
        if (!f(X, Xt)) return false;
    }
    return true;
}

}  // namespace ael
