#pragma once
// aelab-cli bench --compare: the engine against the project's PyTorch reference (tests/bench/torch_reference.py,
// carried inside the binary), side by side on this machine. The two programs alternate model by model for
// several rounds, so that whatever else runs on the machine slows both alike; each row's samples/s are the
// medians over the rounds, and its ratio the median of the rounds' own ratios.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

/// The reference script's text (generated into the build from tests/bench/torch_reference.py).
std::string_view torchReferenceScript();

struct CompareOptions {
    std::vector<std::string> models;  ///< A B C CAE DAE
    std::vector<long long> batches;
    int threads = 2;
    int rounds = 3;
    int maxEpochs = 8, minEpochs = 4;
    double maxSeconds = 10;
    uint64_t seed = 0;
    std::string gemm;    ///< the engine's --gemm (empty: its default)
    std::string sparse;  ///< the engine's --sparse (empty: its default)
    std::string python;  ///< interpreter; empty: /usr/bin/python3 when present, else python3 on PATH
    std::string tuner;   ///< the engine's --tuner (empty: its default)
    std::string blasCore;  ///< OPENBLAS_CORETYPE for PyTorch (empty: this CPU's widest, SkylakeX or Haswell)
};

/// Runs the comparison and prints the peak and a table (samples/s of both, ratio aelab / PyTorch, the engine's
/// % of peak, and the ratio the engine's layer products alone would reach: bench --products, the ceiling).
/// Throws std::runtime_error with a clear message when Python or PyTorch is missing or a run fails.
int runCompare(const CompareOptions &o);

/// aelab-cli bench --neighbour: the engine on one thread and on o.threads (2 or more: the command checks it), idle
/// and beside one busy process (a child spinning on a core for as long as those runs last), alternating, o.rounds
/// rounds. Prints a table per model/batch: one thread's samples/s and the median over the rounds of o.threads' ratio
/// to it (with its range), in both conditions. Throws std::runtime_error when a run fails or the busy process cannot
/// be started.
int runNeighbour(const CompareOptions &o);

/// The median of v (the mean of the middle two for an even count); 0 for none.
double median(std::vector<double> v);

/// ours[i] / theirs[i] for each round i both have (a round whose `theirs` is 0 left out): the median, the
/// range and how many. All 0 for none.
struct RoundRatios {
    double median = 0, low = 0, high = 0;
    int rounds = 0;
};
RoundRatios roundRatios(const std::vector<double> &ours, const std::vector<double> &theirs);

}  // namespace cli
