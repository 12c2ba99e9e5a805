#include "Saturation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace ael {

double predictMeanBaseline(const Dataset &d, LossKind loss)
{
    const int n = d.size(), dim = d.dim();
    if (n == 0 || dim == 0) return 0;
    std::vector<double> sum(size_t(dim), 0.0), sq(size_t(dim), 0.0);
    for (int i = 0; i < n; ++i) {
        const uint8_t *p = d.image(i);
        for (int j = 0; j < dim; ++j) {
            const double x = p[j] / 255.0;
            sum[size_t(j)] += x;
            sq[size_t(j)] += x * x;
        }
    }
    double total = 0;
    for (int j = 0; j < dim; ++j) {
        const double m = sum[size_t(j)] / n;
        if (loss == LossKind::MSE) {
            total += std::max(0.0, sq[size_t(j)] / n - m * m);
        } else {
            const double p = std::clamp(m, 1e-6, 1 - 1e-6);
            // −mean[x log p + (1 − x) log(1 − p)] is linear in x: only the pixel's mean m matters
            total += -(m * std::log(p) + (1 - m) * std::log(1 - p));
        }
    }
    return total / dim;
}

void SaturationWatch::reset(double baseline)
{
    baseline_ = baseline;
    sum_ = 0;
    steps_ = 0;
    previous_ = -1;
    dead_ = 0;
}

namespace {

std::string number(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

/// Fraction of output units whose gradient vanishes: saturated sigmoid/tanh, ReLU below zero.
double saturatedFraction(ActivationKind act, const Matrix &z)
{
    if (z.size() == 0) return 0;
    switch (act) {
    case ActivationKind::Sigmoid:
    case ActivationKind::Tanh:
        return double((z.array().abs() > float(SaturationWatch::kSaturatedZ)).count()) / double(z.size());
    case ActivationKind::ReLU: return double((z.array() <= 0.0f).count()) / double(z.size());
    default: return 0;
    }
}

/// Whether the last batch is saturated (most output units, or codes beyond kMaxMeanCode), and how, as a
/// verdict's message ends: "87 % of the outputs saturated" or "mean |code| 3.5e+13".
struct Saturated {
    bool yes = false;
    std::string how;
};

Saturated saturation(ActivationKind output, const Matrix &outputZ, const Matrix &codes)
{
    const double fraction = saturatedFraction(output, outputZ);
    const double meanCode = codes.size() ? double(codes.array().abs().mean()) : 0;
    const bool outputs = fraction > SaturationWatch::kSaturatedFraction;
    return {outputs || !(meanCode <= SaturationWatch::kMaxMeanCode),
            outputs ? number(100 * fraction) + " % of the outputs saturated" : "mean |code| " + number(meanCode)};
}

}  // namespace

std::string SaturationWatch::deadNow(ActivationKind output, const Matrix &outputZ, const Matrix &codes) const
{
    if (steps_ == 0) return {};
    const double mean = sum_ / steps_;
    const bool above = !std::isfinite(mean) || mean > kBaselineFactor * baseline_;
    const Saturated saturated = saturation(output, outputZ, codes);
    if (!above || !saturated.yes) return {};
    return "the network saturated: the loss " + number(mean) + " of its last " + std::to_string(steps_) +
           " steps is above the " + number(baseline_) + " of predicting the mean image, with " + saturated.how;
}

SaturationWatch::Verdict SaturationWatch::closeWindow(ActivationKind output, const Matrix &outputZ, const Matrix &codes)
{
    Verdict v;
    const double mean = steps_ ? sum_ / steps_ : 0;
    const int steps = steps_;
    sum_ = 0;
    steps_ = 0;
    const bool above = std::isfinite(mean) && mean > kBaselineFactor * baseline_;
    const bool flat = previous_ >= 0 && mean > 0.99 * previous_;
    const Saturated saturated = saturation(output, outputZ, codes);
    v.mean = mean;
    v.improved = std::isfinite(mean) && previous_ >= 0 && mean <= previous_;  // the first window after a reset: not known
    previous_ = mean;
    v.suspect = above && saturated.yes;
    dead_ = v.suspect && flat ? dead_ + 1 : 0;
    if (dead_ < kDeadWindows) return v;
    v.diverged = true;
    v.why = "the network saturated: the loss " + number(mean) + " has not improved for " +
            std::to_string(dead_ * steps) + " steps and is above the " + number(baseline_) +
            " of predicting the mean image, with " + saturated.how;
    return v;
}

}  // namespace ael
