#include "Common.h"

#include "core/data/Catalog.h"
#include "core/data/Idx.h"
#include "core/io/SafeFile.h"

#include "core/parallel/ThreadPool.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace cli {

using namespace ael;

void addThreadsOption(Args &a) { a.value("threads", "N", "threads for the matrix products (default 2)"); }

int applyThreads(const Args &a)
{
    const int n = int(a.integer("threads", 2, 1, 256));
    ael::ThreadPool::instance().setThreads(n);
    return n;
}

void addDataOptions(Args &a)
{
    a.value("data", "mnist|fashion", "data set: the embedded 10k MNIST digits (default) or Fashion-MNIST");
    a.value("images", "FILE", "IDX images file (raw or .gz) instead of --data; needs --labels");
    a.value("labels", "FILE", "IDX labels file for --images");
}

Data loadData(const Args &a, const std::string &defaultId)
{
    const bool files = a.has("images") || a.has("labels");
    if (files && a.has("data")) a.fail(a.has("images") ? "images" : "labels", "cannot be combined with --data");
    if (a.has("images") && !a.has("labels")) a.fail("images", "needs --labels FILE as well");
    if (a.has("labels") && !a.has("images")) a.fail("labels", "needs --images FILE as well");
    Data d;
    if (files) {
        d.id = a.text("images");
        d.split = stratifiedSplit(loadIdx(d.id, a.text("labels"), d.id));
        if (d.split.train.empty() || d.split.test.empty())
            throw DataError(d.id + ": too few images for a train/test split (need at least 5 of one class)");
    } else {
        d.id = a.choice("data", defaultId, {"mnist", "fashion"});
        d.split = loadSource(d.id);
    }
    return d;
}

void checkImageSize(const Args &a, const Data &data, int inputs, const std::string &modelFile)
{
    const Dataset &d = data.split.train;
    if (d.dim() == inputs) return;
    const std::string images = data.id + " has images of " + std::to_string(d.rows) + "x" + std::to_string(d.cols) +
                               " = " + std::to_string(d.dim()) + " pixels";
    if (!modelFile.empty())
        throw std::runtime_error(modelFile + ": the model expects " + std::to_string(inputs) + " inputs but " + images);
    a.fail(a.has("arch") ? "arch" : "images", "the architecture expects " + std::to_string(inputs) + " inputs but " +
                                                  images + "; give --arch " + std::to_string(d.dim()) + "-...-" +
                                                  std::to_string(d.dim()));
}

const Dataset &selectSplit(const Split &s, const std::string &which, Dataset &all)
{
    if (which == "train") return s.train;
    if (which == "test") return s.test;
    all = concatenate(s.train, s.test, s.train.name + " + test");
    return all;
}

std::string modelDataId(const LoadedModel &m)
{
    const auto it = m.metadata.find("data");
    return it != m.metadata.end() && (it->second == "mnist" || it->second == "fashion") ? it->second : "mnist";
}

bool hasSuffix(const std::string &s, const std::string &suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Dataset concatenate(const Dataset &a, const Dataset &b, const std::string &name)
{
    if (a.rows != b.rows || a.cols != b.cols) throw std::invalid_argument("concatenate: image sizes differ");
    Dataset d = a;
    d.name = name;
    d.pixels.insert(d.pixels.end(), b.pixels.begin(), b.pixels.end());
    d.labels.insert(d.labels.end(), b.labels.begin(), b.labels.end());
    return d;
}

void addTrainOptions(Args &a)
{
    a.value("variant", "NAME",
            "undercomplete|overcomplete|sparse|denoising|contractive|variational (default undercomplete)");
    a.value("arch", "SPEC", "layer widths, code in brackets (default 784-256-[2]-256-784)");
    a.value("hidden-act", "ACT", "hidden layers: relu|sigmoid|tanh|linear (default relu)");
    a.value("code-act", "ACT", "code layer activation (default linear)");
    a.value("output-act", "ACT", "output layer activation (default sigmoid)");
    a.flag("tied", "tied weights: decoder W = encoder Wᵀ (one-layer encoder and decoder only)");
    a.value("loss", "mse|bce", "reconstruction loss (default mse)");
    a.value("optimizer", "adam|sgd", "optimizer (default adam)");
    a.value("lr", "RATE", "learning rate (default 1e-3)");
    a.value("momentum", "M", "SGD momentum (default 0.9)");
    a.value("adam-beta1", "B1", "Adam's β1 (default 0.9)");
    a.value("adam-beta2", "B2", "Adam's β2 (default 0.999)");
    a.value("adam-eps", "EPS", "Adam's ε (default 1e-8)");
    a.value("batch", "N", "mini-batch size (default 128)");
    a.flag("no-shuffle", "keep the data order instead of reshuffling every epoch");
    a.value("seed", "N", "random seed for the weights, the order and the noise (default 1)");
    a.value("corruption", "KIND:RATE", "denoising: none|masking|gaussian|saltpepper and its rate or σ (default masking:0.3)");
    a.value("sparsity", "l1|kl", "sparse: penalty on the code (default l1; kl needs --code-act sigmoid)");
    a.value("sparsity-weight", "λ", "sparse: penalty weight (default 1e-3)");
    a.value("sparsity-target", "ρ", "sparse, kl: target mean activation (default 0.05)");
    a.value("contractive-lambda", "λ", "contractive: weight of ‖∂f/∂x‖²_F (default 1e-3)");
    a.value("beta", "β", "variational: weight of the KL term (default 1)");
}

bool parseCorruptionSpec(const std::string &s, Corruption &c, std::string *why)
{
    const size_t colon = s.find(':');
    const std::string kind = s.substr(0, colon);
    Corruption out = c;
    if (!parseCorruption(kind, out.kind)) {
        *why = "'" + kind + "' is not a corruption (none|masking|gaussian|saltpepper)";
        return false;
    }
    if (colon != std::string::npos) {
        const std::string rate = s.substr(colon + 1);
        char *end = nullptr;
        out.rate = std::strtod(rate.c_str(), &end);
        if (rate.empty() || *end != '\0' || !std::isfinite(out.rate)) {
            *why = "'" + rate + "' is not a rate";
            return false;
        }
    }
    const double hi = out.kind == CorruptionKind::Gaussian ? 10 : 1;
    if (out.rate < 0 || out.rate > hi) {
        *why = "rate " + formatNumber(out.rate) + " is out of range (0 to " + formatNumber(hi) + ")";
        return false;
    }
    c = out;
    return true;
}

std::string corruptionSpec(const Corruption &c)
{
    return std::string(toString(c.kind)) + ":" + formatNumber(c.rate);
}

namespace {

template <class E> void applyChoice(const Args &a, const char *name, E &out, bool (*parse)(const std::string &, E &),
                                    const char *known)
{
    if (!a.has(name)) return;
    const std::string v = a.text(name);
    if (!parse(v, out)) a.fail(name, "'" + v + "' is not one of " + known);
}

}  // namespace

TrainConfig trainConfigFrom(const Args &a, TrainConfig base)
{
    TrainConfig c = std::move(base);
    Architecture &arch = c.arch;
    TrainSettings &s = c.settings;
    applyChoice(a, "variant", s.variant, parseVariant,
                "undercomplete|overcomplete|sparse|denoising|contractive|variational");
    if (a.has("arch")) {
        std::string why;
        if (!Architecture::parseSpec(a.text("arch"), arch, &why)) a.fail("arch", why);
    }
    const char *acts = "relu|sigmoid|tanh|linear";
    applyChoice(a, "hidden-act", arch.hidden, parseActivation, acts);
    applyChoice(a, "code-act", arch.codeActivation, parseActivation, acts);
    applyChoice(a, "output-act", arch.output, parseActivation, acts);
    if (a.has("tied")) arch.tied = true;
    arch.variational = s.variant == Variant::Variational;
    applyChoice(a, "loss", s.loss, parseLoss, "mse|bce");
    applyChoice(a, "optimizer", s.optimizer, parseOptimizer, "adam|sgd");
    s.opt.learningRate = a.number("lr", s.opt.learningRate, 1e-8, 1e4);
    s.opt.momentum = a.number("momentum", s.opt.momentum, 0, 0.9999);
    s.opt.beta1 = a.number("adam-beta1", s.opt.beta1, 0, 0.9999);
    s.opt.beta2 = a.number("adam-beta2", s.opt.beta2, 0, 0.99999999);
    s.opt.epsilon = a.number("adam-eps", s.opt.epsilon, 1e-12, 1);
    s.batchSize = int(a.integer("batch", s.batchSize, 1, 65536));
    if (a.has("no-shuffle")) s.shuffle = false;
    c.seed = uint64_t(a.integer("seed", (long long)c.seed, 0, INT64_MAX));
    if (a.has("corruption")) {
        std::string why;
        if (!parseCorruptionSpec(a.text("corruption"), s.corruption, &why)) a.fail("corruption", why);
    }
    applyChoice(a, "sparsity", s.sparsity, parseSparsity, "l1|kl");
    s.sparsityWeight = a.number("sparsity-weight", s.sparsityWeight, 0, 1e4);
    s.sparsityTarget = a.number("sparsity-target", s.sparsityTarget, 1e-4, 1 - 1e-4);
    s.contractiveLambda = a.number("contractive-lambda", s.contractiveLambda, 0, 1e4);
    s.beta = a.number("beta", s.beta, 0, 1e4);

    if (std::string why = arch.validate(); !why.empty()) a.fail(arch.tied ? "tied" : "arch", why);
    if (std::string why = s.validate(arch); !why.empty()) {
        if (why.find("KL sparsity") != std::string::npos) a.fail("sparsity", why);
        if (why.find("tied") != std::string::npos) a.fail("tied", why);
        if (why.find("BCE") != std::string::npos) a.fail(a.has("loss") ? "loss" : "output-act", why);
        a.fail("variant", why);
    }

    // Hints: flags that only matter for another variant.
    auto note = [&](const char *flag, Variant v) {
        if (a.has(flag) && s.variant != v)
            c.notes.push_back(std::string("--") + flag + " has no effect unless --variant " + toString(v));
    };
    note("corruption", Variant::Denoising);
    note("sparsity", Variant::Sparse);
    note("sparsity-weight", Variant::Sparse);
    note("sparsity-target", Variant::Sparse);
    note("contractive-lambda", Variant::Contractive);
    note("beta", Variant::Variational);
    if (s.variant == Variant::Overcomplete && arch.code <= arch.input)
        c.notes.push_back("--variant overcomplete with a " + std::to_string(arch.code) + "-D code for " +
                          std::to_string(arch.input) + " inputs is undercomplete; try e.g. --arch " +
                          std::to_string(arch.input) + "-[1000]-" + std::to_string(arch.input));
    return c;
}

Json jsonNumber(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

void addMetrics(Json &obj, const Metrics &m, const std::string &prefix, bool variational)
{
    obj.set(prefix + "mse", jsonNumber(m.mse));
    obj.set(prefix + "bce", jsonNumber(m.bce));
    obj.set(prefix + "mean_code", jsonNumber(m.meanCode));
    obj.set(prefix + "active_fraction", jsonNumber(m.activeFraction));
    obj.set(prefix + "jacobian_fro", jsonNumber(m.jacobianFro));
    if (variational) obj.set(prefix + "kl", jsonNumber(m.kl));
}

void printJsonLine(const Json &j)
{
    std::cout << j.dump() << std::endl;  // endl: each line reaches a pipe reader at once
}

std::string outputPath(const Args &a, const std::string &flag)
{
    namespace fs = std::filesystem;
    const std::string path = a.text(flag);
    if (path.empty()) a.fail(flag, "the file name is empty");
    if (std::string why = file::whyNotWritable(path); !why.empty()) a.fail(flag, path + ": " + why);
    const fs::path p(path);
    const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) a.fail(flag, path + ": the directory " + dir.string() + " does not exist");
    return path;
}

LoadedModel loadModelOption(const Args &a)
{
    if (!a.has("model")) throw UsageError("--model: required (a .safetensors file written by 'train --out')");
    return loadModel(a.text("model"));
}

bool stderrIsTty() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace cli
