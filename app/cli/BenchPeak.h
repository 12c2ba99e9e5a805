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

/// The widest result (the engine is built for it with -march=native), or 0 when `peaks` is empty.
double bestPeak(const std::vector<PeakResult> &peaks);

/// "peak fp32 (2 threads): AVX-512 347.1 GFLOP/s, AVX2/FMA 180.0, SSE 45.0"
std::string peakLine(const std::vector<PeakResult> &peaks);

}  // namespace cli
