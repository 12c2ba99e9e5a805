#pragma once
// The distribution of code activations h_j(x) over (unit, sample) pairs: a histogram with the mean
// activation and the fraction of active pairs (|h| > threshold), as the sparse autoencoder is judged.
#include <cstddef>
#include <vector>

namespace ael::ui {

struct Histogram {
    std::vector<int> counts;    ///< bins equal-width over [lo, hi]; the last bin includes hi
    double lo = 0, hi = 1;
    double mean = 0;            ///< (1/N) Σ h over the finite values
    double meanAbs = 0;         ///< (1/N) Σ |h|
    double activeFraction = 0;  ///< #{|h| > threshold} / N
    size_t finite = 0;          ///< N: the values counted (= Σ counts)
    size_t nonFinite = 0;       ///< NaN / ±∞ values, left out of everything
    double binWidth() const { return counts.empty() ? 0 : (hi - lo) / double(counts.size()); }
};

/// Histogram of the `count` values codes[0..count) in `bins` (≥ 1) equal bins. The range is
/// [fixedLo, fixedHi] when both are finite and fixedLo < fixedHi (values outside go to the end bins,
/// so Σ counts = N always), otherwise the data's [min, max] (a single value v: [v − ½, v + ½]).
/// Bin of h: clamp(⌊(h − lo)/(hi − lo) · bins⌋, 0, bins − 1). Empty input: zero counts, all statistics 0.
Histogram codeHistogram(const float *codes, size_t count, int bins, double threshold, double fixedLo = 0,
                        double fixedHi = 0);

/// The mean activation of each unit over the samples, ρ̂_j = (1/n) Σ_b h_jb, for a k × n column-major
/// code matrix (column b is sample b's code): what the sparse KL penalty pulls towards ρ.
std::vector<double> unitMeans(const float *codes, int k, int n);

}  // namespace ael::ui
