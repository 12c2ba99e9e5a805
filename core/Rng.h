#pragma once
// Deterministic random numbers: the same seed gives the same stream on every machine and compiler
// (std:: distributions are implementation-defined, so we do our own transforms).
#include <cmath>
#include <cstdint>

namespace ael {

class Rng {
public:
    explicit Rng(uint64_t seed = 0x5eed) { reseed(seed); }
    void reseed(uint64_t seed)
    {
        // splitmix64 fills the xoshiro256** state
        for (auto &s : state_) {
            seed += 0x9e3779b97f4a7c15ULL;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            s = z ^ (z >> 31);
        }
    }
    uint64_t next()
    {
        const uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }
    /// uniform in [0, 1) with 24 random bits
    float uniformf() { return float(next() >> 40) * (1.0f / 16777216.0f); }
    /// uniform in [0, 1) with 53 random bits
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    /// uniform integer in [0, n)
    uint64_t below(uint64_t n) { return n ? next() % n : 0; }
    /// standard normal (Box-Muller; one value per call, deterministic)
    double normal()
    {
        if (hasSpare_) {
            hasSpare_ = false;
            return spare_;
        }
        double u1 = uniform();
        const double u2 = uniform();
        if (u1 < 1e-300) u1 = 1e-300;
        const double r = std::sqrt(-2.0 * std::log(u1));
        spare_ = r * std::sin(6.283185307179586 * u2);
        hasSpare_ = true;
        return r * std::cos(6.283185307179586 * u2);
    }

    /// The whole generator state (to continue a saved run exactly).
    struct State {
        uint64_t s[4] = {};
        double spare = 0;
        bool hasSpare = false;
    };
    State state() const { return {{state_[0], state_[1], state_[2], state_[3]}, spare_, hasSpare_}; }
    void setState(const State &st)
    {
        for (int i = 0; i < 4; ++i) state_[i] = st.s[i];
        spare_ = st.spare;
        hasSpare_ = st.hasSpare;
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t state_[4] = {};
    double spare_ = 0;
    bool hasSpare_ = false;
};

}  // namespace ael
