#pragma once
// The denoising autoencoder's corruption process C(x̃ | x). The loss is always taken against the clean x.
#include "../Rng.h"
#include "../Tensor.h"

#include <string>

namespace ael {

enum class CorruptionKind { None, Masking, Gaussian, SaltPepper };
const char *toString(CorruptionKind k);
bool parseCorruption(const std::string &s, CorruptionKind &out);

struct Corruption {
    CorruptionKind kind = CorruptionKind::Masking;
    /// Masking and salt-and-pepper: the probability p that an input is hit (0..1).
    /// Gaussian: the noise's standard deviation σ (in pixel units, 0..1).
    double rate = 0.3;
};

/// X̃ = C(X):
///   masking:          x̃_i = 0 with probability p, else x_i
///   gaussian:         x̃_i = x_i + σ n_i, n_i ~ N(0, 1)   (not clipped)
///   salt-and-pepper:  with probability p, x̃_i is 0 or 1 (each half the time), else x_i
void corrupt(const Matrix &X, Matrix &Xt, const Corruption &c, Rng &rng);

/// The corrupted pass over a test set that scores a denoising model (the MSE of g(f(x̃)) against the clean
/// x): one generator of this seed, corrupting chunks of this many images in order. The window's analysis
/// and Trainer::evaluate draw the same x̃, so the window's curve and `aelab-cli eval` give the same number.
inline constexpr uint64_t kTestCorruptionSeed = 0xd15ea5e;
inline constexpr int kTestCorruptionChunk = 1000;

}  // namespace ael
