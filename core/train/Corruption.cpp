#include "Corruption.h"

#include <algorithm>
#include <cmath>

namespace ael {

const char *toString(CorruptionKind k)
{
    switch (k) {
    case CorruptionKind::None: return "none";
    case CorruptionKind::Masking: return "masking";
    case CorruptionKind::Gaussian: return "gaussian";
    case CorruptionKind::SaltPepper: return "saltpepper";
    }
    return "none";
}

bool parseCorruption(const std::string &s, CorruptionKind &out)
{
    for (auto k : {CorruptionKind::None, CorruptionKind::Masking, CorruptionKind::Gaussian, CorruptionKind::SaltPepper})
        if (s == toString(k)) {
            out = k;
            return true;
        }
    if (s == "salt-and-pepper" || s == "salt_pepper") {
        out = CorruptionKind::SaltPepper;
        return true;
    }
    return false;
}

void corrupt(const Matrix &X, Matrix &Xt, const Corruption &c, Rng &rng)
{
    Xt.resize(X.rows(), X.cols());
    const Eigen::Index n = X.size();
    const float *x = X.data();
    float *y = Xt.data();
    switch (c.kind) {
    case CorruptionKind::None: Xt = X; return;
    case CorruptionKind::Masking:
    case CorruptionKind::SaltPepper: {
        // One 64-bit draw gives four 16-bit uniforms u ∈ {0..65535}; hit when u < p·65536.
        const uint32_t threshold = uint32_t(std::clamp(c.rate, 0.0, 1.0) * 65536.0 + 0.5);
        const bool salt = c.kind == CorruptionKind::SaltPepper;
        Eigen::Index i = 0;
        while (i < n) {
            uint64_t r = rng.next();
            uint64_t coin = salt ? rng.next() : 0;
            for (int k = 0; k < 4 && i < n; ++k, ++i) {
                const uint32_t u = uint32_t(r & 0xffff);
                r >>= 16;
                if (u < threshold) y[i] = salt ? float(coin & 1) : 0.0f;
                else y[i] = x[i];
                coin >>= 1;
            }
        }
        return;
    }
    case CorruptionKind::Gaussian: {
        const float s = float(c.rate);
        for (Eigen::Index i = 0; i < n; ++i) y[i] = x[i] + s * float(rng.normal());
        return;
    }
    }
}

}  // namespace ael
