#include "BenchPeak.h"

#include "core/nn/Gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace cli {

namespace {

// Independent accumulators hide the FMA latency (4 cycles × 2 ports needs ≥ 8 in flight): 16 with AVX-512's 32
// vector registers; 12 with AVX2's and SSE's 16, which must also hold a and b (16 made a build for AVX2 spill
// three accumulators to the stack in the loop, and measured the AVX2 peak 15 % low).
// acc ← acc·a + b with a slightly below 1 converges to b/(1−a), so nothing overflows or turns denormal.
// Each kernel returns a sum of its lanes so the compiler cannot drop the loop.
// The inner loops are unrolled whatever the optimization level, so that the accumulators live in registers, and the
// kernels are not instrumented by the sanitizers: a sanitizer build (-O2, ASan) kept the array on the stack and
// measured a peak 30 times too low, with a GEMM ceiling of 1900 % of it.
#define AELAB_PEAK_KERNEL __attribute__((no_sanitize("address", "undefined")))
constexpr int kAcc512 = 16;
constexpr int kAcc = 12;

AELAB_PEAK_KERNEL __attribute__((target("avx512f"))) float kernelAvx512(long iters)
{
    __m512 acc[kAcc512];
    for (int i = 0; i < kAcc512; ++i) acc[i] = _mm512_set1_ps(float(i));
    const __m512 a = _mm512_set1_ps(0.9999f), b = _mm512_set1_ps(1e-4f);
    for (long n = 0; n < iters; ++n)
#pragma GCC unroll 16
        for (int i = 0; i < kAcc512; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
    for (int i = 1; i < kAcc512; ++i) acc[0] = _mm512_add_ps(acc[0], acc[i]);
    return _mm512_reduce_add_ps(acc[0]);
}

AELAB_PEAK_KERNEL __attribute__((target("avx2,fma"))) float kernelAvx2(long iters)
{
    __m256 acc[kAcc];
    for (int i = 0; i < kAcc; ++i) acc[i] = _mm256_set1_ps(float(i));
    const __m256 a = _mm256_set1_ps(0.9999f), b = _mm256_set1_ps(1e-4f);
    for (long n = 0; n < iters; ++n)
#pragma GCC unroll 16
        for (int i = 0; i < kAcc; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
    float out[8];
    for (int i = 1; i < kAcc; ++i) acc[0] = _mm256_add_ps(acc[0], acc[i]);
    _mm256_storeu_ps(out, acc[0]);
    return out[0] + out[7];
}

// SSE has no FMA: a multiply and an add, 2 flops per lane per pair.
AELAB_PEAK_KERNEL __attribute__((target("sse2"))) float kernelSse(long iters)
{
    __m128 acc[kAcc];
    for (int i = 0; i < kAcc; ++i) acc[i] = _mm_set1_ps(float(i));
    const __m128 a = _mm_set1_ps(0.9999f), b = _mm_set1_ps(1e-4f);
    for (long n = 0; n < iters; ++n)
#pragma GCC unroll 16
        for (int i = 0; i < kAcc; ++i) acc[i] = _mm_add_ps(_mm_mul_ps(acc[i], a), b);
    float out[4];
    for (int i = 1; i < kAcc; ++i) acc[0] = _mm_add_ps(acc[0], acc[i]);
    _mm_storeu_ps(out, acc[0]);
    return out[0] + out[3];
}

struct Isa {
    const char *name;
    bool supported;
    int lanes;
    int accumulators;  ///< vector multiply-adds per iteration
    float (*kernel)(long);
};

/// Seconds from a common start of `threads` threads, each running work(thread), to the last finish.
template <class F> double secondsOnThreads(int threads, F &&work)
{
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            ready.fetch_add(1);
            while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
            work(t);
        });
    while (ready.load() < threads) std::this_thread::yield();
    const auto t0 = std::chrono::steady_clock::now();
    go.store(true, std::memory_order_release);
    for (std::thread &t : pool) t.join();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// GFLOP/s of `threads` threads each running kernel(iters), timed from a common start to the last finish.
double timeOnThreads(const Isa &isa, int threads, long iters)
{
    std::atomic<float> sink{0};
    const double s = secondsOnThreads(threads, [&](int) { sink.store(isa.kernel(iters), std::memory_order_relaxed); });
    const double flops = double(threads) * double(iters) * isa.accumulators * isa.lanes * 2.0;
    return flops / s / 1e9;
}

}  // namespace

std::vector<PeakResult> measurePeaks(int threads)
{
    __builtin_cpu_init();
    const Isa isas[] = {
        {"AVX-512", bool(__builtin_cpu_supports("avx512f")), 16, kAcc512, kernelAvx512},
        {"AVX2/FMA", __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"), 8, kAcc, kernelAvx2},
        {"SSE", bool(__builtin_cpu_supports("sse2")), 4, kAcc, kernelSse},
    };
    std::vector<PeakResult> out;
    for (const Isa &isa : isas) {
        if (!isa.supported) continue;
        // Calibrate to ~0.1 s per run, then keep the best of 3 (the least disturbed by other processes).
        long iters = 1 << 16;
        for (;;) {
            const auto t0 = std::chrono::steady_clock::now();
            isa.kernel(iters);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (s > 0.02 || iters > (1L << 34)) {
                iters = long(double(iters) * 0.1 / std::max(s, 1e-6));
                break;
            }
            iters *= 4;
        }
        double best = 0;
        for (int run = 0; run < 3; ++run) best = std::max(best, timeOnThreads(isa, threads, iters));
        out.push_back({isa.name, threads, best});
    }
    return out;
}

namespace {
/// This build's widest vector registers in bits (what Eigen and the engine's own kernels use).
int buildVectorBits()
{
#if defined(__AVX512F__)
    return 512;
#elif defined(__AVX2__) && defined(__FMA__)
    return 256;
#else
    return 128;
#endif
}

const char *isaName(int bits) { return bits >= 512 ? "AVX-512" : bits >= 256 ? "AVX2/FMA" : "SSE"; }
}  // namespace

double bestPeak(const std::vector<PeakResult> &peaks)
{
    // The widest instruction set the engine's code uses: this build's own (a build for AVX2, -march=haswell,
    // on an AVX-512 CPU is measured against the AVX2 peak), or oneDNN's, chosen at run time for the CPU, when
    // that is wider (such a build's products then run AVX-512, and measuring them against the AVX2 peak gave
    // a GEMM ceiling of 132 % of it).
    const char *widest = isaName(std::max(buildVectorBits(), ael::libraryVectorBits()));
    for (const PeakResult &p : peaks)
        if (p.isa == widest) return p.gflops;
    return peaks.empty() ? 0 : peaks.front().gflops;
}

std::string peakLine(const std::vector<PeakResult> &peaks)
{
    std::string s = "peak fp32 (" + std::to_string(peaks.empty() ? 0 : peaks.front().threads) + " threads):";
    for (size_t i = 0; i < peaks.size(); ++i) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s %s %.1f%s", i ? "," : "", peaks[i].isa.c_str(), peaks[i].gflops,
                      i ? "" : " GFLOP/s");
        s += buf;
    }
    return s;
}

double measureGemmCeiling(int threads)
{
    constexpr long n = 1024;
    constexpr int products = 4;  // a run: ~0.1 s of one core at 80 GFLOP/s
    struct Operands {
        ael::Matrix A, B, C;
    };
    std::vector<Operands> ops(static_cast<size_t>(threads));
    for (Operands &o : ops) {
        o.A = ael::Matrix::Constant(n, n, 0.001f);  // any finite values: the speed does not depend on them
        o.B = ael::Matrix::Constant(n, n, 0.002f);
        o.C.resize(n, n);
    }
    auto run = [&](int t) {
        Operands &o = ops[size_t(t)];
        for (int i = 0; i < products; ++i) ael::gemm<float>(ael::Op::N, o.A, ael::Op::N, o.B, 1.0f, 0.0f, o.C);
    };
    secondsOnThreads(threads, run);  // warm-up: the library generates its kernels, pages are touched
    double best = 0;
    for (int r = 0; r < 3; ++r)
        best = std::max(best, double(threads) * products * 2.0 * double(n * n * n) / secondsOnThreads(threads, run) / 1e9);
    return best;
}

std::string gemmCeilingLine(double gflops, int threads, double peak)
{
    char buf[160];
    const int bits = ael::gemmBackend() == ael::GemmBackend::OneDnn ? ael::libraryVectorBits() : buildVectorBits();
    std::snprintf(buf, sizeof buf, "GEMM ceiling (1024³ on each of %d threads, %s at %s): %.1f GFLOP/s, %.0f %% of the peak",
                  threads, ael::gemmBackendName(ael::gemmBackend()), isaName(bits), gflops, peak > 0 ? 100 * gflops / peak : 0.0);
    return buf;
}

}  // namespace cli
