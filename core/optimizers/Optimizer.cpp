#include "Optimizer.h"

#include "Adam.h"
#include "SGD.h"
#include "../parallel/ThreadPool.h"

#include <cmath>

namespace ael {

namespace {
/// Elementwise updates: chunks of whole cache lines; below ~64k elements one thread is faster.
template <class F> double updateInParallel(Eigen::Index n, F &&body)
{
    return parallelSum(long(n), 1024, double(n), body, 65536);
}
}  // namespace

const char *toString(OptimizerKind k) { return k == OptimizerKind::SGD ? "sgd" : "adam"; }

bool parseOptimizer(const std::string &s, OptimizerKind &out)
{
    if (s == "sgd") out = OptimizerKind::SGD;
    else if (s == "adam") out = OptimizerKind::Adam;
    else return false;
    return true;
}

std::unique_ptr<Optimizer> makeOptimizer(OptimizerKind k)
{
    if (k == OptimizerKind::SGD) return std::make_unique<SGD>();
    return std::make_unique<Adam>();
}

double SGD::update(Param<float> &p, const OptimizerSettings &s)
{
    if (size_t(p.slot) >= velocity_.size()) velocity_.resize(size_t(p.slot) + 1);
    Matrix &v = velocity_[size_t(p.slot)];
    if (v.rows() != p.value.rows() || v.cols() != p.value.cols()) v.setZero(p.value.rows(), p.value.cols());
    const float mu = float(s.momentum), lr = float(s.learningRate);
    float *w = p.value.data(), *vel = v.data();
    const float *g = p.grad.data();
    const Eigen::Index n = p.value.size();
    return updateInParallel(n, [&](long b, long e) {
        float sum = 0;
#pragma omp simd reduction(+ : sum)
        for (long i = b; i < e; ++i) {
            vel[i] = mu * vel[i] - lr * g[i];
            w[i] += vel[i];
            sum += w[i];
        }
        return double(sum);
    });
}

void SGD::resetSlot(int slot)
{
    if (size_t(slot) < velocity_.size()) velocity_[size_t(slot)].resize(0, 0);
}

double Adam::update(Param<float> &p, const OptimizerSettings &s)
{
    if (size_t(p.slot) >= slots_.size()) slots_.resize(size_t(p.slot) + 1);
    Slot &st = slots_[size_t(p.slot)];
    if (st.m.rows() != p.value.rows() || st.m.cols() != p.value.cols()) {
        st.m.setZero(p.value.rows(), p.value.cols());
        st.v.setZero(p.value.rows(), p.value.cols());
        st.t = 0;
    }
    ++st.t;
    const float b1 = float(s.beta1), b2 = float(s.beta2);
    // Fold the bias corrections into the step: η_t = η √(1−β2ᵗ)/(1−β1ᵗ), ε_t = ε √(1−β2ᵗ)
    const double c1 = 1.0 - std::pow(s.beta1, double(st.t));
    const double c2 = std::sqrt(1.0 - std::pow(s.beta2, double(st.t)));
    const float lrT = float(s.learningRate * c2 / c1);
    const float epsT = float(s.epsilon * c2);
    // One fused pass over g, m, v and θ (three Eigen statements would read everything three times).
    float *w = p.value.data(), *m = st.m.data(), *v = st.v.data();
    const float *g = p.grad.data();
    const Eigen::Index n = p.value.size();
    return updateInParallel(n, [&](long b, long e) {
        float sum = 0;
#pragma omp simd reduction(+ : sum)
        for (long i = b; i < e; ++i) {
            m[i] = b1 * m[i] + (1.0f - b1) * g[i];
            v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
            w[i] -= lrT * m[i] / (std::sqrt(v[i]) + epsT);
            sum += w[i];
        }
        return double(sum);
    });
}

void Adam::resetSlot(int slot)
{
    if (size_t(slot) < slots_.size()) slots_[size_t(slot)] = Slot{};
}

}  // namespace ael
