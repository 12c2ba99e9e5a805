// aelab-cli bench: training throughput of the five reference models of the project's PyTorch reference
// (tests/bench/torch_reference.py), with the same data (all 10,000 embedded digits), optimizer, loss and epoch policy.
#include "BenchCompare.h"
#include "BenchPeak.h"
#include "Commands.h"
#include "Common.h"

#include "core/data/Embedded.h"
#include "core/io/SafeFile.h"
#include "core/losses/Loss.h"
#include "core/nn/Gemm.h"
#include "core/nn/LayerProducts.h"
#include "core/nn/SparseInput.h"
#include "core/parallel/ThreadPool.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>

namespace cli {

using namespace ael;

namespace {

struct BenchModel {
    const char *name;
    const char *spec;
    ActivationKind hidden, code;
    Variant variant;
    std::vector<double> targets;  ///< train-MSE targets of the reference ("time to target")
};

const std::vector<BenchModel> &benchModels()
{
    using A = ActivationKind;
    static const std::vector<BenchModel> models = {
        {"A", "784-256-[2]-256-784", A::ReLU, A::Linear, Variant::Undercomplete, {0.050, 0.045}},
        {"B", "784-512-128-[32]-128-512-784", A::ReLU, A::Linear, Variant::Undercomplete, {0.020, 0.015, 0.012}},
        {"C", "784-[64]-784", A::Sigmoid, A::Sigmoid, Variant::Undercomplete, {0.040, 0.030, 0.020}},
        {"CAE", "784-[64]-784", A::Sigmoid, A::Sigmoid, Variant::Contractive, {0.040, 0.030, 0.020}},
        {"DAE", "784-[64]-784", A::Sigmoid, A::Sigmoid, Variant::Denoising, {0.040, 0.030, 0.020}},
    };
    return models;
}

/// Forward multiply-add flops of the matrix products, 2 Σ a·b over consecutive widths (as the reference).
double forwardFlops(const Architecture &a)
{
    std::vector<int> w{a.input};
    w.insert(w.end(), a.encoderHidden.begin(), a.encoderHidden.end());
    w.push_back(a.code);
    w.insert(w.end(), a.decoderHidden.begin(), a.decoderHidden.end());
    w.push_back(a.input);
    double f = 0;
    for (size_t i = 0; i + 1 < w.size(); ++i) f += 2.0 * w[i] * w[i + 1];
    return f;
}

/// Plain reconstruction MSE on clean inputs over the whole data set, in chunks of 2000.
double fullMse(const Model<float> &m, const Dataset &d)
{
    const auto mse = makeLoss<float>(LossKind::MSE);
    ForwardPass<float> p;
    Matrix X;
    double sum = 0;
    for (int first = 0; first < d.size(); first += 2000) {
        const int c = std::min(2000, d.size() - first);
        d.range(first, c, X);
        m.forward(X, p, nullptr);
        sum += double(mse->value(p.output(), X)) * c;
    }
    return sum / d.size();
}

/// The layers' products alone (LayerProducts, the first layer on `batch` of the data's samples), timed
/// for ~0.3 s after a warm-up on the same threads as training: samples/s of the median step, and each
/// call's median seconds (LayerProducts::calls()).
struct ProductsAlone {
    double samplesPerSecond = 0;
    std::vector<ProductCall> calls;
    std::vector<double> callSeconds;  ///< the median over the timed steps, per call
};

ProductsAlone productsAlone(const Architecture &arch, int batch, const Dataset &data)
{
    Matrix X;
    data.range(0, std::min(batch, data.size()), X);
    LayerProducts p(arch, batch, X.cols() == batch ? &X : nullptr);
    flushDenormalsOnThisThread();
    for (int i = 0; i < 3; ++i) p.step();
    ProductsAlone r;
    r.calls = p.calls();
    std::vector<double> times;
    std::vector<std::vector<double>> perCall(r.calls.size());
    std::vector<double> seconds(r.calls.size());
    double total = 0;
    while (times.size() < 10 || total < 0.3) {
        std::fill(seconds.begin(), seconds.end(), 0.0);
        const auto t0 = std::chrono::steady_clock::now();
        p.step(seconds.data());
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        total += times.back();
        for (size_t i = 0; i < seconds.size(); ++i) perCall[i].push_back(seconds[i]);
    }
    r.samplesPerSecond = batch / median(times);
    for (const auto &c : perCall) r.callSeconds.push_back(median(c));
    return r;
}

/// `s` followed by spaces to `width` columns.
std::string padded(const std::string &s, size_t width) { return s + std::string(width - std::min(width, columns(s)), ' '); }

Json numbers(const std::vector<double> &v)
{
    Json a = Json::array();
    for (double x : v) a.push(jsonNumber(x));
    return a;
}

// ---- bench's flags: every flag of 'aelab-cli bench' is declared here ------------------------------------

void addBenchFlags(CLI::App &c)
{
    list(c, "models", "M", "any of A B C CAE DAE (default all)")->check(oneOf({"A", "B", "C", "CAE", "DAE"}));
    list(c, "batches", "N", "batch sizes (default 32 128 512)")->check(wholeIn(1, 65536));
    addThreadsOption(c);
    value(c, "gemm", "eigen|onednn", "the engine's matrix products: oneDNN's sgemm for the large ones or Eigen's for all (default: onednn, or eigen when AELAB_GEMM=eigen)")
        ->check(oneOf({"eigen", "onednn"}));
    value(c, "sparse", "on|off|avx2|avx512",
          "the first layer's products over the digits' nonzero pixels only where they pay (with the best kernels built, or "
          "those named), or always dense (default: on, or off when AELAB_SPARSE=0)")
        ->check(oneOf({"on", "off", "avx2", "avx512"}));
    value(c, "tuner", "measure|workers|alone",
          "with more than one thread, whether each step uses the pool's workers: as measured (default), always, or never "
          "(the same chunks on the calling thread; the bits are the same)")
        ->check(oneOf({"measure", "workers", "alone"}));
    value(c, "max-epochs", "N", "at most N epochs a run (default 8, or --min-epochs if that is more)")->check(wholeIn(1, 10000));
    value(c, "min-epochs", "N", "at least N epochs a run (default 4, or --max-epochs if that is less)")->check(wholeIn(1, 10000));
    value(c, "max-seconds", "S", "stop a run after S seconds of training once --min-epochs are done (default 10)")
        ->check(numberIn(0, 1e6));
    value(c, "seed", "N", "random seed (default 0)")->check(wholeIn(0, INT64_MAX));
    value(c, "json", "FILE", "also write every result (epoch times, MSE per epoch, ...) to FILE");
    sw(c, "peak", "first measure the fp32 peak (an FMA loop on every thread, per instruction set) and the GEMM ceiling (a 1024³ "
                  "product on every thread), and give each row's % of the peak");
    sw(c, "products", "also time the layers' matrix products alone (no activation, loss or optimizer; the same shapes and "
                      "split among the threads): the ceiling these products set on a step's speed");
    sw(c, "product-calls", "with --products: also each product of a step (the sparse first layer's index too), its µs (the "
                           "median over the timed steps), GFLOP/s and, with --peak, % of all threads' peak (a product "
                           "too small to split runs on one)");
    sw(c, "phases", "also give each row's µs per step in each phase (batch, corruption, forward, loss, terms, backward, "
                    "optimizer), over the epochs after the warm-up");
    sw(c, "compare", "run the PyTorch reference and the engine alternately, model by model, and print the ratios");
    sw(c, "neighbour", "run the engine on one thread and on --threads N alternately, idle and beside one busy process (a "
                       "child spinning on a core), and print N threads' ratio to one in both (default --models A B "
                       "--batches 32 128)");
    value(c, "rounds", "N", "--compare, --neighbour: rounds of alternation, medians over them (default 3)")->check(wholeIn(1, 100));
    value(c, "python", "EXE", "--compare: the Python 3 with PyTorch (default /usr/bin/python3, else python3)");
    value(c, "blas-core", "NAME",
          "--compare: the OpenBLAS kernels PyTorch runs (OPENBLAS_CORETYPE, e.g. Haswell to hold it to AVX2; default this "
          "CPU's widest, SkylakeX or Haswell, whatever the environment says)")
        ->check([](const std::string &v) {
            if (v.empty() || v.size() > 32) return std::string("a name such as SkylakeX, Haswell or Zen");
            for (char ch : v)
                if (!std::isalnum(static_cast<unsigned char>(ch))) return std::string("'") + v + "' is not an OpenBLAS core name (letters and digits)";
            return std::string();
        });
}

// ---------------------------------------------------------------------------------------------------------

int runBench(const CLI::App &a)
{
    std::vector<const BenchModel *> models;
    for (const std::string &name : get<std::vector<std::string>>(a, "models", {"A", "B", "C", "CAE", "DAE"})) {
        const BenchModel *found = nullptr;
        for (const BenchModel &m : benchModels())
            if (name == m.name) found = &m;
        if (!found) fail("models", "'" + name + "' is not one of A|B|C|CAE|DAE");
        models.push_back(found);
    }
    const auto batches = get<std::vector<long long>>(a, "batches", {32, 128, 512});
    // A bound given alone moves the other's default out of its way (--max-epochs 1: at least 1 epoch, not
    // 4); only two given bounds can contradict each other.
    const int maxEpochs = get<int>(a, "max-epochs", std::max(8, get<int>(a, "min-epochs", 0)));
    const int minEpochs = get<int>(a, "min-epochs", std::min(4, maxEpochs));
    if (minEpochs > maxEpochs)
        fail("min-epochs", std::to_string(minEpochs) + " is more than --max-epochs " + std::to_string(maxEpochs) +
                               ": a run cannot do at least " + std::to_string(minEpochs) + " epochs and at most " +
                               std::to_string(maxEpochs));
    const double maxSeconds = get<double>(a, "max-seconds", 10);
    const uint64_t seed = get<uint64_t>(a, "seed", 0);
    // Checked before minutes of measuring, not after.
    const std::string jsonPath = given(a, "json") ? outputPath(a, "json", {}) : std::string();
    if (!jsonPath.empty() && on(a, "compare")) fail("json", "is not written with --compare (its table is the result)");
    const int threads = applyThreads(a);
    if (given(a, "gemm")) setGemmBackend(text(a, "gemm") == "eigen" ? GemmBackend::Eigen : GemmBackend::OneDnn);
    if (given(a, "sparse")) {
        const std::string v = text(a, "sparse");
        setSparseInputs(v != "off");
        if (v == "avx2" || v == "avx512") {
            const SparseKernels k = v == "avx2" ? SparseKernels::Avx2 : SparseKernels::Avx512;
            if (!setSparseKernels(k)) fail("sparse", "this build has no " + v + " kernels (it was compiled for another CPU)");
        }
    }
    if (on(a, "product-calls") && !on(a, "products")) fail("product-calls", "needs --products (it times the products' calls)");
    const std::string tunerName = given(a, "tuner") ? text(a, "tuner") : "measure";
    const ThreadTuner::Policy tuner = tunerName == "workers" ? ThreadTuner::Policy::Workers
                                      : tunerName == "alone" ? ThreadTuner::Policy::Alone
                                                             : ThreadTuner::Policy::Measure;
    if (on(a, "compare") && on(a, "neighbour")) fail("neighbour", "cannot be combined with --compare (run them one after the other)");
    for (const char *flag : {"phases", "product-calls"})  // rows of the engine's own runs, which those tables do not print
        if (on(a, flag) && (on(a, "compare") || on(a, "neighbour")))
            fail(flag, std::string("is not printed with --") + (on(a, "compare") ? "compare" : "neighbour") +
                           " (its table is the result; run the engine's rows without it)");
    if (on(a, "compare") || on(a, "neighbour")) {
        CompareOptions o{get<std::vector<std::string>>(a, "models", {"A", "B", "C", "CAE", "DAE"}), batches, threads,
                         get<int>(a, "rounds", 3), maxEpochs, minEpochs, maxSeconds, seed, text(a, "gemm"), text(a, "sparse"),
                         text(a, "python"), given(a, "tuner") ? text(a, "tuner") : "", text(a, "blas-core")};
        if (on(a, "compare")) return runCompare(o);
        if (!jsonPath.empty()) fail("json", "is not written with --neighbour (its table is the result)");
        if (threads < 2) fail("threads", "must be 2 or more with --neighbour (it compares them with one thread)");
        o.models = get<std::vector<std::string>>(a, "models", {"A", "B"});  // its own defaults
        o.batches = get<std::vector<long long>>(a, "batches", {32, 128});
        return runNeighbour(o);
    }
    const std::vector<PeakResult> peaks = on(a, "peak") ? measurePeaks(threads) : std::vector<PeakResult>{};
    if (!peaks.empty()) {
        std::cout << peakLine(peaks) << std::endl;
        std::cout << gemmCeilingLine(measureGemmCeiling(threads), threads, bestPeak(peaks)) << std::endl;
    }

    const Dataset all = embeddedMnist();
    Json results = Json::array();
    for (const BenchModel *bm : models) {
        for (long long bs : batches) {
            Architecture arch;
            std::string why;
            Architecture::parseSpec(bm->spec, arch, &why);
            arch.hidden = bm->hidden;
            arch.codeActivation = bm->code;
            arch.output = ActivationKind::Sigmoid;
            TrainSettings s;
            s.variant = bm->variant;
            s.batchSize = int(bs);
            s.contractiveLambda = 1e-3;
            s.corruption = {CorruptionKind::Masking, 0.3};
            Trainer t(arch, s, all, seed);
            t.threadTuner().setPolicy(tuner);

            std::vector<double> times, mses;
            std::map<double, std::pair<int, double>> reached;
            double trainSeconds = 0;
            for (int ep = 0; ep < maxEpochs; ++ep) {
                const auto t0 = std::chrono::steady_clock::now();
                StepResult r;
                do {
                    r = t.step();
                    if (r.diverged) throw std::runtime_error(std::string(bm->name) + ": " + r.message);
                } while (!r.epochEnded);
                const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                trainSeconds += dt;
                times.push_back(dt);
                if (ep == 0) t.resetPhases();  // the phases, like samples/s, leave the warm-up epoch out
                mses.push_back(fullMse(t.model(), all));
                for (double target : bm->targets)
                    if (!reached.count(target) && mses.back() <= target) reached[target] = {ep + 1, trainSeconds};
                const bool done = reached.size() == bm->targets.size();
                if (ep + 1 >= minEpochs && (done || trainSeconds >= maxSeconds)) break;
            }
            const std::vector<double> steady(times.size() > 1 ? times.begin() + 1 : times.begin(), times.end());
            const double sps = all.size() / median(steady);
            const double gflops = sps * 3 * forwardFlops(arch) / 1e9;
            char line[200];
            std::snprintf(line, sizeof line, "%-4s bs=%4lld thr=%d %9.0f samples/s (%5.1f GFLOP/s eff) ep=%zu final_mse=%.4f",
                          bm->name, bs, threads, sps, gflops, mses.size(), mses.back());
            std::cout << line;
            if (!peaks.empty()) std::printf(" %.0f%% of peak", 100 * gflops / bestPeak(peaks));
            const ProductsAlone products = on(a, "products") ? productsAlone(arch, int(bs), all) : ProductsAlone{};
            const double productsSps = products.samplesPerSecond;
            if (productsSps > 0) std::printf(" | products alone %.0f samples/s", productsSps);
            const StepPhases &ph = t.phases();
            const double perStep = ph.steps ? 1e6 / double(ph.steps) : 0.0;  // seconds in all steps → µs a step
            const std::pair<const char *, double> phases[] = {
                {"batch", ph.batch * perStep}, {"corruption", ph.corruption * perStep}, {"forward", ph.forward * perStep},
                {"loss", ph.loss * perStep},   {"terms", ph.terms * perStep},           {"backward", ph.backward * perStep},
                {"optimizer", ph.optimizer * perStep}};
            if (on(a, "phases")) {
                std::printf(" | µs/step:");
                for (const auto &[name, us] : phases) std::printf(" %s %.0f", name, us);
            }
            std::cout << std::endl;
            Json calls = Json::array();
            if (on(a, "product-calls")) {
                for (size_t i = 0; i < products.calls.size(); ++i) {
                    const ProductCall &pc = products.calls[i];
                    const double us = products.callSeconds[i] * 1e6;
                    const double callGflops = us > 0 ? 2 * pc.multiplyAdds / us / 1e3 : 0;
                    std::printf("    %s %8.1f µs", padded(pc.name, 44).c_str(), us);
                    if (pc.multiplyAdds > 0) std::printf(" %7.1f GFLOP/s", callGflops);
                    if (pc.multiplyAdds > 0 && !peaks.empty()) std::printf(" %4.0f%% of peak", 100 * callGflops / bestPeak(peaks));
                    std::cout << std::endl;
                    Json c = Json::object();
                    c.set("name", pc.name);
                    c.set("us", jsonNumber(us));
                    c.set("multiply_adds", jsonNumber(pc.multiplyAdds));
                    calls.push(std::move(c));
                }
            }

            Json r = Json::object();
            r.set("model", bm->name);
            r.set("batch", bs);
            r.set("seed", seed);
            r.set("threads", threads);
            r.set("samples_per_s", jsonNumber(sps));
            r.set("gflops_eff", jsonNumber(gflops));
            if (productsSps > 0) r.set("products_alone_samples_per_s", jsonNumber(productsSps));
            if (on(a, "product-calls")) r.set("product_calls", std::move(calls));
            if (on(a, "phases")) {
                Json perPhase = Json::object();
                for (const auto &[name, us] : phases) perPhase.set(name, jsonNumber(us));
                r.set("us_per_step", std::move(perPhase));
            }
            r.set("epoch_times", numbers(times));
            r.set("mse", numbers(mses));
            Json got = Json::object();
            for (const auto &[target, when] : reached)
                got.set(formatNumber(target), Json(Json::Object{{"epochs", when.first}, {"seconds", when.second}}));
            r.set("reached", std::move(got));
            r.set("final_mse", jsonNumber(mses.back()));
            r.set("epochs", int(mses.size()));
            r.set("train_seconds", trainSeconds);
            results.push(std::move(r));
        }
    }
    if (!jsonPath.empty()) {
        Json doc = Json::object();
        Json args = Json::object();
        Json names = Json::array(), sizes = Json::array();
        for (const BenchModel *m : models) names.push(m->name);
        for (long long b : batches) sizes.push(b);
        args.set("models", std::move(names));
        args.set("batches", std::move(sizes));
        args.set("max_epochs", maxEpochs);
        args.set("min_epochs", minEpochs);
        args.set("max_seconds", maxSeconds);
        args.set("threads", threads);
        args.set("seed", seed);
        doc.set("tool", "aelab-cli bench");
        doc.set("args", std::move(args));
        doc.set("eigen_simd", Eigen::SimdInstructionSetsInUse());
        doc.set("gemm", gemmBackendName(gemmBackend()));
        doc.set("sparse", sparseInputs() ? sparseKernelsName(sparseKernels()) : "off");
        doc.set("tuner", tunerName);
        doc.set("results", std::move(results));
        // Atomically: a full disk leaves the previous results whole, not a fragment of the new ones.
        const std::string body = doc.dump(1) + '\n';
        file::writeAtomically(jsonPath, reinterpret_cast<const uint8_t *>(body.data()), body.size(),
                              [](const std::string &path, const std::string &problem) {
                                  throw std::runtime_error(path + ": cannot write the results: " + problem);
                              });
    }
    return 0;
}

}  // namespace

Run addBench(CLI::App &app)
{
    CLI::App *c = addCommand(
        app, "bench", "[--models M...] [--batches N...] [options]",
        "training throughput of the reference models A, B, C, CAE, DAE",
        "Trains the five reference models of the PyTorch reference (tests/bench/torch_reference.py) on all 10,000 embedded digits:\n"
        "A 784-256-[2]-256-784 relu, B 784-512-128-[32]-128-512-784 relu (linear codes, sigmoid outputs),\n"
        "C 784-[64]-784 sigmoid, CAE = C + 1e-3 ‖∂h/∂x‖²_F, DAE = C + 30 % masking; Adam lr 1e-3, MSE,\n"
        "reshuffled every epoch. samples/s = 10,000 / median epoch time without the warm-up epoch; a run\n"
        "stops after --max-epochs, or once --min-epochs are done and either --max-seconds of training have\n"
        "passed or every train-MSE target of the reference is reached. GFLOP/s eff = samples/s x 3 x forward flops (dense: the "
        "multiply-adds by zero the sparse first layer skips count too).");
    addBenchFlags(*c);
    return [c] { return runBench(*c); };
}

}  // namespace cli
