#pragma once
// aelab-cli bench --peak: the machine's fp32 arithmetic peak, measured with a loop of independent fused
// multiply-adds (no memory traffic) on every engine thread at once, for each instruction set the CPU runs.
#include <string>
#include <vector>

namespace cli {

struct PeakResult {
    std::string isa;    ///< "AVX-512", "AVX2/FMA" or "SSE"
    int threads = 0;
    double gflops = 0;  ///< fp32 GFLOP/s over all threads (an FMA counts 2 flops per lane)
};

/// One result per instruction set this CPU supports (widest first), each the best of a few ~0.1 s runs of
/// `threads` threads started together.
std::vector<PeakResult> measurePeaks(int threads);

/// The result for the widest instruction set the engine uses: this build's (all of the CPU's with -march=native,
/// the default; AVX2/FMA for a -march=haswell build) or, when wider, the one oneDNN's products run at run time
/// (ael::libraryVectorBits()); 0 when `peaks` is empty.
double bestPeak(const std::vector<PeakResult> &peaks);

/// "peak fp32 (2 threads): AVX-512 347.1 GFLOP/s, AVX2/FMA 180.0, SSE 45.0"
std::string peakLine(const std::vector<PeakResult> &peaks);

/// What the engine's GEMM reaches on a product as large as it gets easy: a 1024 × 1024 × 1024 float product on
/// each of `threads` threads at once (the engine's backend, e.g. oneDNN's sgemm), the best of 3 runs, in
/// GFLOP/s over all threads. No model's product is that favourable, so this is a ceiling for every row.
double measureGemmCeiling(int threads);

/// "GEMM ceiling (1024³ on each of 2 threads, onednn at AVX-512): 330.2 GFLOP/s, 76 % of the peak" (the
/// instruction set the backend's products run: oneDNN's at run time, Eigen's this build's).
std::string gemmCeilingLine(double gflops, int threads, double peak);

}  // namespace cli
