#include "CodeHistogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ael::ui {

Histogram codeHistogram(const float *codes, size_t count, int bins, double threshold, double fixedLo,
                        double fixedHi)
{
    Histogram h;
    h.counts.assign(size_t(std::max(1, bins)), 0);
    double mn = std::numeric_limits<double>::infinity(), mx = -mn, sum = 0, sumAbs = 0;
    size_t active = 0;
    for (size_t i = 0; codes && i < count; ++i) {
        const double v = codes[i];
        if (!std::isfinite(v)) {
            ++h.nonFinite;
            continue;
        }
        ++h.finite;
        mn = std::min(mn, v);
        mx = std::max(mx, v);
        sum += v;
        sumAbs += std::abs(v);
        if (std::abs(v) > threshold) ++active;
    }
    if (std::isfinite(fixedLo) && std::isfinite(fixedHi) && fixedLo < fixedHi) {
        h.lo = fixedLo;
        h.hi = fixedHi;
    } else if (h.finite > 0) {
        h.lo = mn;
        h.hi = mx;
        if (!(mx > mn)) {
            h.lo = mn - 0.5;
            h.hi = mx + 0.5;
        }
    }
    if (h.finite == 0) return h;
    const double N = double(h.finite);
    h.mean = sum / N;
    h.meanAbs = sumAbs / N;
    h.activeFraction = double(active) / N;
    const int nb = int(h.counts.size());
    const double scale = nb / (h.hi - h.lo);
    for (size_t i = 0; i < count; ++i) {
        const double v = codes[i];
        if (!std::isfinite(v)) continue;
        const int b = int(std::clamp(std::floor((v - h.lo) * scale), 0.0, nb - 1.0));  // ⌊(h − lo)/(hi − lo)·bins⌋
        ++h.counts[size_t(b)];
    }
    return h;
}

std::vector<double> unitMeans(const float *codes, int k, int n)
{
    std::vector<double> m(size_t(std::max(0, k)), 0.0);
    if (!codes || k <= 0 || n <= 0) return m;
    for (int b = 0; b < n; ++b)
        for (int j = 0; j < k; ++j) m[size_t(j)] += codes[size_t(b) * size_t(k) + size_t(j)];
    for (double &v : m) v /= n;  // ρ̂_j = (1/n) Σ_b h_jb
    return m;
}

}  // namespace ael::ui
