#include "BenchCompare.h"

#include "BenchPeak.h"

#include "core/data/Embedded.h"
#include "core/data/Idx.h"
#include "core/io/SafeFile.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cli {

namespace fs = std::filesystem;

namespace {

std::string shellQuoted(const std::string &s)
{
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// What a termination signal must remove: the temporary folder and the files written into it. Fixed
// buffers, filled before the handler is installed, because the handler may only make async-signal-safe
// calls (unlink, rmdir, signal, raise).
constexpr int kTempFiles = 3;
char gTempFolder[PATH_MAX];
char gTempFile[kTempFiles][PATH_MAX];
constexpr int kTermSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern "C" void removeTempAndDie(int sig)
{
    for (const char *f : gTempFile) unlink(f);
    rmdir(gTempFolder);
    std::signal(sig, SIG_DFL);  // then die of the same signal, as the shell expects
    raise(sig);
}

void copyPath(char *to, const fs::path &p)
{
    const std::string s = p.string();
    if (s.size() >= PATH_MAX) throw std::runtime_error("bench --compare: the temporary folder's path is too long");
    std::memcpy(to, s.c_str(), s.size() + 1);
}

/// A private temporary folder, removed with everything in it when this goes out of scope, or when a
/// termination signal (Ctrl-C, kill) ends the process while it exists.
struct TempDir {
    static constexpr const char *kFiles[kTempFiles] = {"torch_reference.py", "digits.idx", "labels.idx"};
    fs::path path;
    struct sigaction old[std::size(kTermSignals)] = {};
    TempDir()
    {
        std::string pattern = (fs::temp_directory_path() / "aelab-bench-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("bench --compare: cannot create a temporary folder");
        path = pattern;
        copyPath(gTempFolder, path);
        for (int i = 0; i < kTempFiles; ++i) copyPath(gTempFile[i], path / kFiles[i]);
        for (size_t i = 0; i < std::size(kTermSignals); ++i) sigaction(kTermSignals[i], nullptr, &old[i]);
        // On a stack of its own, as every handler of a thread running oneDNN's products (SafeFile.h).
        for (const int sig : kTermSignals) ael::file::handleOnOwnStack({sig}, removeTempAndDie);
    }
    ~TempDir()
    {
        for (size_t i = 0; i < std::size(kTermSignals); ++i) sigaction(kTermSignals[i], &old[i], nullptr);
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path file(int i) const { return path / kFiles[i]; }
};

struct Row {
    double samplesPerSecond = 0, gflops = 0;
    double productsAlone = 0;  ///< the engine's products alone (bench --products), samples/s; 0 = not given
};
using Rows = std::map<std::pair<std::string, int>, Row>;  // (model, batch) → one run's figures

/// Runs `command` through the shell, echoing nothing; returns its stdout and sets *status (exit code).
std::string capture(const std::string &command, int *status)
{
    FILE *p = popen(command.c_str(), "r");
    if (!p) throw std::runtime_error("bench --compare: cannot start: " + command);
    std::string out;
    char buf[4096];
    while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int st = pclose(p);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    return out;
}

/// Lines "A    bs= 128 thr=2     13600 samples/s (  8.2 GFLOP/s eff) ..." (both programs print them).
Rows parseRows(const std::string &out)
{
    Rows rows;
    size_t at = 0;
    while (at < out.size()) {
        const size_t end = std::min(out.find('\n', at), out.size());
        const std::string line = out.substr(at, end - at);
        at = end + 1;
        char model[8] = {};
        int batch = 0, threads = 0;
        Row r;
        if (std::sscanf(line.c_str(), "%7s bs=%d thr=%d %lf samples/s (%lf", model, &batch, &threads,
                        &r.samplesPerSecond, &r.gflops) == 5) {
            constexpr std::string_view kProducts = "| products alone ";
            const size_t p = line.find(kProducts);
            if (p != std::string::npos) r.productsAlone = std::atof(line.c_str() + p + kProducts.size());
            rows[{model, batch}] = r;
        }
    }
    return rows;
}

std::string pythonPath(const CompareOptions &o)
{
    if (!o.python.empty()) return o.python;
    return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

/// OpenBLAS's kernels for this CPU: its widest (OpenBLAS 0.3.21 does not know CPUs newer than itself and
/// falls back to an SSE kernel), or the one named by --blas-core.
std::string blasCore(const CompareOptions &o)
{
    if (!o.blasCore.empty()) return o.blasCore;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return "SkylakeX";
    if (__builtin_cpu_supports("avx2")) return "Haswell";
    return {};
}

std::string pythonCommand(const std::string &py, const std::string &core)
{
    // Debian's torch calls the system BLAS; prefer the OpenMP OpenBLAS (.ci/install-bench-deps) with `core`'s kernels.
    // An OPENBLAS_CORETYPE inherited from the environment is replaced: a shell profile's Haswell held PyTorch to AVX2
    // on AVX-512 machines, and the comparison is with PyTorch at its best here (--blas-core names another).
    std::string env;
    const char *blas = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
    if (fs::exists(blas)) {
        const char *old = std::getenv("LD_LIBRARY_PATH");
        env += "LD_LIBRARY_PATH=" + shellQuoted(std::string(blas) + (old && *old ? std::string(":") + old : "")) + " ";
    }
    if (!core.empty()) env += "OPENBLAS_CORETYPE=" + shellQuoted(core) + " ";
    return env + shellQuoted(py);
}

void checkTorch(const std::string &python, const std::string &command)
{
    int status = 0;
    const std::string out = capture(command + " -c 'import torch; print(torch.__version__)' 2>&1", &status);
    if (status == 127)
        throw std::runtime_error("bench --compare: no Python 3 interpreter (" + python +
                                 "); install Debian's python3-torch with .ci/install-bench-deps, or name one with --python");
    if (status != 0)
        throw std::runtime_error("bench --compare: PyTorch is not installed for " + python +
                                 " (import torch failed); run .ci/install-bench-deps (Debian's python3-torch and OpenBLAS)");
    std::cerr << "PyTorch " << out.substr(0, out.find('\n')) << '\n';
}

std::string selfPath()
{
    std::error_code ec;
    const fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("aelab-cli") : p.string();
}

/// One busy process beside the runs while this lives: a child spinning on a core, as a lecturer's browser or
/// compile would. It dies with this process, whatever ends it (PR_SET_PDEATHSIG; Ctrl-C reaches the whole group).
class BusyNeighbour {
public:
    BusyNeighbour()
    {
        const pid_t parent = getpid();
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error(std::string("bench --neighbour: cannot start a busy process: ") + std::strerror(errno));
        if (pid_ == 0) {
            // Only async-signal-safe calls after fork() in a process with threads: a spin and _exit.
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent) _exit(0);
            for (;;) __asm__ volatile("");  // a spin the compiler keeps
        }
    }
    ~BusyNeighbour()
    {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    BusyNeighbour(const BusyNeighbour &) = delete;
    BusyNeighbour &operator=(const BusyNeighbour &) = delete;

private:
    pid_t pid_ = -1;
};

/// The flags both programs take for the runs' length and batches: " --batches 32 128 --max-epochs 8 ... --seed 0",
/// --threads before the epochs when given.
std::string runFlags(const CompareOptions &o, int threads = 0)
{
    std::string f = " --batches";
    for (long long b : o.batches) f += " " + std::to_string(b);
    if (threads > 0) f += " --threads " + std::to_string(threads);
    return f + " --max-epochs " + std::to_string(o.maxEpochs) + " --min-epochs " + std::to_string(o.minEpochs) +
           " --max-seconds " + std::to_string(o.maxSeconds) + " --seed " + std::to_string(o.seed);
}

/// The engine's own choices passed on to its runs (--gemm, --sparse, --tuner), where given.
std::string engineFlags(const CompareOptions &o)
{
    return (o.gemm.empty() ? "" : " --gemm " + o.gemm) + (o.sparse.empty() ? "" : " --sparse " + o.sparse) +
           (o.tuner.empty() ? "" : " --tuner " + o.tuner);
}

std::string shortCount(double x)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, x >= 1e4 ? "%.1fk" : "%.0f", x >= 1e4 ? x / 1e3 : x);
    return buf;
}

}  // namespace

int runNeighbour(const CompareOptions &o)
{
    std::string common = " bench --models";
    for (const std::string &m : o.models) common += " " + m;
    common += runFlags(o) + engineFlags(o);
    const std::string self = shellQuoted(selfPath());
    using Key = std::pair<std::string, int>;
    // [busy][one thread or o.threads][(model, batch)] → samples/s per round
    std::map<Key, std::vector<double>> runs[2][2];
    for (int round = 0; round < o.rounds; ++round)
        for (int busy = 0; busy < 2; ++busy) {
            std::unique_ptr<BusyNeighbour> neighbour = busy ? std::make_unique<BusyNeighbour>() : nullptr;
            for (int k = 0; k < 2; ++k) {
                const int many = (k == 0) == (round % 2 == 1);  // alternate which goes first
                const int threads = many ? o.threads : 1;
                int status = 0;
                const std::string out = capture(self + common + " --threads " + std::to_string(threads) + " 2>&1", &status);
                if (status != 0)
                    throw std::runtime_error("bench --neighbour: the run on " + std::to_string(threads) + " thread(s) failed (exit " +
                                             std::to_string(status) + "):\n" + out);
                for (const auto &[key, r] : parseRows(out)) {
                    runs[busy][many][key].push_back(r.samplesPerSecond);
                    std::cerr << "round " << round + 1 << '/' << o.rounds << (busy ? " busy" : " idle") << ' ' << threads
                              << " thr " << key.first << " bs=" << key.second << ' ' << long(r.samplesPerSecond) << " samples/s\n";
                }
            }
        }
    std::vector<Key> keys;
    for (const std::string &m : o.models)
        for (long long b : o.batches) keys.push_back({m, int(b)});
    std::printf("|");
    for (const Key &k : keys) std::printf(" | %s/%d", k.first.c_str(), k.second);
    std::printf(" |\n|---");
    for (size_t i = 0; i < keys.size(); ++i) std::printf("|---");
    std::printf("|\n");
    const char *condition[2] = {"idle", "one busy neighbour"};
    for (int busy = 0; busy < 2; ++busy) {
        std::printf("| %s, 1 thread, samples/s", condition[busy]);
        for (const Key &k : keys) std::printf(" | %s", shortCount(median(runs[busy][0][k])).c_str());
        std::printf(" |\n| %s, %d threads / 1 thread", condition[busy], o.threads);
        for (const Key &k : keys) {
            const RoundRatios r = roundRatios(runs[busy][1][k], runs[busy][0][k]);
            if (r.rounds == 0) std::printf(" | –");
            else std::printf(" | %.2f× (%.2f–%.2f)", r.median, r.low, r.high);
        }
        std::printf(" |\n");
    }
    std::printf("medians over %d rounds of each round's ratio (its range in brackets); rounds alternate one thread and %d, "
                "idle and beside one process spinning on a core\n",
                o.rounds, o.threads);
    return 0;
}

int runCompare(const CompareOptions &o)
{
    const std::string core = blasCore(o);
    const std::string python = pythonCommand(pythonPath(o), core);
    checkTorch(pythonPath(o), python);
    const char *inherited = std::getenv("OPENBLAS_CORETYPE");
    if (inherited && *inherited && core != inherited)
        std::cerr << "note: OPENBLAS_CORETYPE=" << inherited << " in the environment is not used; PyTorch runs OpenBLAS's "
                  << (core.empty() ? std::string("own choice of kernels") : core + " kernels")
                  << (o.blasCore.empty() ? " (this CPU's widest; --blas-core names others)" : " (--blas-core)") << '\n';
    TempDir tmp;
    const std::string script = tmp.file(0).string();
    const std::string images = tmp.file(1).string();
    {
        std::ofstream f(script, std::ios::binary);
        f << torchReferenceScript();
        if (!f) throw std::runtime_error(script + ": cannot write the reference script");
    }
    ael::writeIdx(ael::embeddedMnist(), images, tmp.file(2).string(), false);

    const std::string common = " --models M" + runFlags(o, o.threads);
    const std::string aelab = shellQuoted(selfPath()) + " bench --products" + engineFlags(o);
    const std::string torch = python + " " + shellQuoted(script) + " --images " + shellQuoted(images);

    const std::vector<PeakResult> peaks = measurePeaks(o.threads);
    std::cout << peakLine(peaks) << std::endl;
    std::cout << gemmCeilingLine(measureGemmCeiling(o.threads), o.threads, bestPeak(peaks)) << std::endl;
    std::map<std::pair<std::string, int>, std::vector<double>> ours, theirs, gflops, products;
    for (int round = 0; round < o.rounds; ++round) {
        for (const std::string &m : o.models) {
            std::string args = common;
            args.replace(args.find(" M "), 3, " " + m + " ");
            // Alternate which program goes first, so that a drift in the machine's load favours neither.
            for (int k = 0; k < 2; ++k) {
                const bool engine = (k == 0) == (round % 2 == 0);
                int status = 0;
                const std::string out = capture((engine ? aelab : torch) + args + " 2>&1", &status);
                if (status != 0)
                    throw std::runtime_error(std::string("bench --compare: the ") + (engine ? "engine" : "PyTorch") +
                                             " run of model " + m + " failed (exit " + std::to_string(status) + "):\n" + out);
                for (const auto &[key, r] : parseRows(out)) {
                    (engine ? ours : theirs)[key].push_back(r.samplesPerSecond);
                    if (engine) gflops[key].push_back(r.gflops);
                    if (engine && r.productsAlone > 0) products[key].push_back(r.productsAlone);
                    std::cerr << "round " << round + 1 << '/' << o.rounds << ' ' << (engine ? "aelab  " : "PyTorch")
                              << ' ' << key.first << " bs=" << key.second << ' ' << long(r.samplesPerSecond) << " samples/s\n";
                }
            }
        }
    }
    const double peak = bestPeak(peaks);
    // The ratios are each round's own (the engine's run over PyTorch's beside it, minutes apart at most), their
    // median and range: the load of a shared machine drifts within a run, and a ratio of the two medians would
    // set a figure from a quiet minute against one from a busy minute. The last column is the ratio the engine
    // would reach if everything but its layers' products took no time.
    std::printf("| model | batch | aelab samples/s | PyTorch samples/s | aelab / PyTorch (range) | aelab GFLOP/s | %% of peak "
                "| products alone / PyTorch |\n"
                "|---|---|---|---|---|---|---|---|\n");
    for (const std::string &m : o.models)
        for (long long b : o.batches) {
            const std::pair<std::string, int> key{m, int(b)};
            const RoundRatios r = roundRatios(ours[key], theirs[key]), pr = roundRatios(products[key], theirs[key]);
            const double g = median(gflops[key]);
            std::printf("| %s | %lld | %.0f | %.0f | %.2f× (%.2f–%.2f) | %.1f | %.0f %% | %.2f× |\n", m.c_str(), b, median(ours[key]),
                        median(theirs[key]), r.median, r.low, r.high, g, peak > 0 ? 100 * g / peak : 0.0, pr.median);
        }
    std::printf("medians of %d alternating rounds (the ratios: of each round's ratio), %d threads each; PyTorch on OpenBLAS's "
                "%s kernels\n",
                o.rounds, o.threads, core.empty() ? "default" : core.c_str());
    return 0;
}

RoundRatios roundRatios(const std::vector<double> &ours, const std::vector<double> &theirs)
{
    std::vector<double> r;
    for (size_t i = 0; i < std::min(ours.size(), theirs.size()); ++i)
        if (theirs[i] > 0) r.push_back(ours[i] / theirs[i]);
    if (r.empty()) return {};
    const auto [low, high] = std::minmax_element(r.begin(), r.end());
    return {median(r), *low, *high, int(r.size())};
}

double median(std::vector<double> v)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace cli
