#include "Common.h"

#include "core/data/Catalog.h"
#include "core/data/Idx.h"
#include "core/io/SafeFile.h"
#include "core/train/SettingsTable.h"

#include "core/parallel/ThreadPool.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace cli {

using namespace ael;

void addThreadsOption(CLI::App &c)
{
    value(c, "threads", "N", "threads for the matrix products (default 2)")->check(wholeIn(1, 256));
}

int applyThreads(const CLI::App &c)
{
    const int n = int(get<long long>(c, "threads", 2));
    ael::ThreadPool::instance().setThreads(n);
    return n;
}

void addDataOptions(CLI::App &c)
{
    value(c, "data", "mnist|fashion", "data set: the embedded 10k MNIST digits (default) or Fashion-MNIST")
        ->check(oneOf({"mnist", "fashion"}));
    value(c, "images", "FILE", "IDX images file (raw or .gz) instead of --data; needs --labels");
    value(c, "labels", "FILE", "IDX labels file for --images");
}

Data loadData(const CLI::App &c, const std::string &defaultId)
{
    const bool files = given(c, "images") || given(c, "labels");
    if (files && given(c, "data")) fail(given(c, "images") ? "images" : "labels", "cannot be combined with --data");
    if (given(c, "images") && !given(c, "labels")) fail("images", "needs --labels FILE as well");
    if (given(c, "labels") && !given(c, "images")) fail("labels", "needs --images FILE as well");
    Data d;
    if (files) {
        d.id = inputPath(c, "images");
        const std::string labels = inputPath(c, "labels");
        d.split = stratifiedSplit(loadIdx(d.id, labels, d.id));
        if (d.split.train.empty() || d.split.test.empty())
            throw DataError(d.id + ": too few images for a train/test split (need at least 5 of one class)");
    } else {
        d.id = text(c, "data", defaultId);
        d.split = loadSource(d.id);
    }
    return d;
}

void checkImageSize(const CLI::App &c, const Data &data, int inputs, const std::string &modelFile)
{
    const Dataset &d = data.split.train;
    if (d.dim() == inputs) return;
    const std::string images = data.id + " has images of " + std::to_string(d.rows) + "x" + std::to_string(d.cols) +
                               " = " + std::to_string(d.dim()) + " pixels";
    if (!modelFile.empty())
        throw std::runtime_error(modelFile + ": the model expects " + std::to_string(inputs) + " inputs but " + images);
    fail(given(c, "arch") ? "arch" : "images", "the architecture expects " + std::to_string(inputs) + " inputs but " +
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

std::optional<long long> metadataInteger(const LoadedModel &m, const char *key)
{
    const auto it = m.metadata.find(key);
    if (it == m.metadata.end() || it->second.empty()) return std::nullopt;
    char *end = nullptr;
    const long long v = std::strtoll(it->second.c_str(), &end, 10);
    return *end == '\0' ? std::optional<long long>(v) : std::nullopt;
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

namespace {

/// A setting's flag from its row of the settings table: the range or the names are its validator; the
/// help gives the formula and the default. A choice without a metavar lists its names there.
void addSettingFlag(CLI::App &c, const SettingRow &r)
{
    const double def = r.get(TrainSettings{});
    std::string names;
    for (const std::string &n : r.names) names += (names.empty() ? "" : "|") + n;
    const std::string metavar = *r.metavar || r.kind != SettingKind::Choice ? r.metavar : names;
    std::string help = r.help;
    if (r.kind == SettingKind::Choice && *r.metavar) help += ": " + names;
    if (*r.formula) help += std::string("; ") + r.formula;
    if (r.kind != SettingKind::Switch) help += " (default " + (r.kind == SettingKind::Choice ? r.text(def) : exactNumber(def)) + ")";
    switch (r.kind) {
    case SettingKind::Number: value(c, r.flag, metavar, help)->check(numberIn(r.lo, r.hi)); break;
    case SettingKind::Whole: value(c, r.flag, metavar, help)->check(wholeIn((long long)r.lo, (long long)r.hi)); break;
    case SettingKind::Switch: sw(c, r.flag, help); break;
    case SettingKind::Choice: value(c, r.flag, metavar, help)->check(oneOf(r.names)); break;
    }
}

}  // namespace

void addTrainOptions(CLI::App &c)
{
    const std::vector<std::string> acts{"relu", "sigmoid", "tanh", "linear"};
    value(c, "arch", "SPEC", "layer widths, code in brackets (default 784-256-[2]-256-784)");
    value(c, "hidden-act", "ACT", "hidden layers: relu|sigmoid|tanh|linear (default relu)")->check(oneOf(acts));
    value(c, "code-act", "ACT", "code layer activation (default linear)")->check(oneOf(acts));
    value(c, "output-act", "ACT", "output layer activation (default sigmoid)")->check(oneOf(acts));
    sw(c, "tied", "tied weights: decoder W = encoder Wᵀ (one-layer encoder and decoder only)");
    for (const SettingRow &r : settingsTable())
        if (*r.flag) addSettingFlag(c, r);
    value(c, "corruption", "KIND:RATE", "denoising: none|masking|gaussian|saltpepper and its rate or σ (default masking:0.3)")
        ->check(corruptionSpecCheck());
    value(c, "seed", "N", "random seed for the weights, the order and the noise (default 1)")->check(wholeIn(0, INT64_MAX));
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
    TrainSettings probe;
    probe.corruption = out;
    const double hi = settingRow("corruption.rate")->upper(probe);  // σ up to 10, a probability up to 1
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

CLI::Validator corruptionSpecCheck()
{
    return CLI::Validator(
        [](std::string &s) {
            Corruption c;
            std::string why;
            return parseCorruptionSpec(s, c, &why) ? std::string() : why;
        },
        "", "corruption");
}

namespace {

/// A word flag (its validator checked it) into its enum.
template <class E> void applyChoice(const CLI::App &c, const char *name, E &out, bool (*parse)(const std::string &, E &))
{
    if (given(c, name) && !parse(text(c, name), out)) fail(name, "'" + text(c, name) + "' is not known");
}

template <class T> void applyNumber(const CLI::App &c, const char *name, T &out) { out = get<T>(c, name, out); }

/// The flags of the settings table's rows that were given, into s (their validators checked them).
void applySettingFlags(const CLI::App &c, TrainSettings &s)
{
    const TrainSettings defaults;
    for (const SettingRow &r : settingsTable()) {
        if (!*r.flag || !given(c, r.flag)) continue;
        switch (r.kind) {
        case SettingKind::Number: r.set(s, get<double>(c, r.flag, 0)); break;
        case SettingKind::Whole: r.set(s, double(get<long long>(c, r.flag, 0))); break;
        case SettingKind::Switch:  // a switch sets the other value than the default ("--no-shuffle")
            if (on(c, r.flag)) r.set(s, r.get(defaults) != 0 ? 0 : 1);
            break;
        case SettingKind::Choice: {
            const int i = r.indexOf(text(c, r.flag));
            if (i < 0) fail(r.flag, "'" + text(c, r.flag) + "' is not known");
            r.set(s, i);
            break;
        }
        }
    }
}

}  // namespace

TrainConfig trainConfigFrom(const CLI::App &a, TrainConfig base)
{
    TrainConfig c = std::move(base);
    Architecture &arch = c.arch;
    TrainSettings &s = c.settings;
    applySettingFlags(a, s);
    if (given(a, "arch")) {
        std::string why;
        if (!Architecture::parseSpec(text(a, "arch"), arch, &why)) fail("arch", why);
    }
    applyChoice(a, "hidden-act", arch.hidden, parseActivation);
    applyChoice(a, "code-act", arch.codeActivation, parseActivation);
    applyChoice(a, "output-act", arch.output, parseActivation);
    if (on(a, "tied")) arch.tied = true;
    arch.variational = s.variant == Variant::Variational;
    applyNumber(a, "seed", c.seed);
    if (given(a, "corruption")) {
        std::string why;
        if (!parseCorruptionSpec(text(a, "corruption"), s.corruption, &why)) fail("corruption", why);
    }

    if (std::string why = arch.validate(); !why.empty()) fail(arch.tied ? "tied" : "arch", why);
    for (const SettingRow &r : settingsTable())  // a range the flags' validators could not see (from --init)
        if (std::string why = r.check(s); !why.empty()) fail(*r.flag ? r.flag : "corruption", why);  // no flag: --corruption's rows
    if (std::string why = s.validate(arch); !why.empty()) {
        if (why.find("KL sparsity") != std::string::npos) fail("sparsity", why);
        if (why.find("tied") != std::string::npos) fail("tied", why);
        if (why.find("BCE") != std::string::npos) fail(given(a, "loss") ? "loss" : "output-act", why);
        fail("variant", why);
    }

    // Hints: flags that only matter for another variant.
    auto note = [&](const char *flag, Variant v) {
        if (given(a, flag) && s.variant != v)
            c.notes.push_back(std::string("--") + flag + " has no effect unless --variant " + toString(v));
    };
    note("corruption", Variant(settingRow("corruption.kind")->onlyFor));
    for (const SettingRow &r : settingsTable())
        if (*r.flag && r.onlyFor >= 0) note(r.flag, Variant(r.onlyFor));
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
    if (!(m.mseFromCorrupted < 0)) obj.set(prefix + "mse_from_corrupted", jsonNumber(m.mseFromCorrupted));  // NaN shown
}

void printJsonLine(const Json &j)
{
    std::cout << j.dump() << std::endl;  // endl: each line reaches a pipe reader at once
}

std::string outputPath(const CLI::App &c, const std::string &flag, std::initializer_list<const char *> inputs)
{
    const std::string path = text(c, flag);
    if (path.empty()) fail(flag, "the file name is empty");
    if (std::string why = file::whyNotWritable(path); !why.empty()) fail(flag, path + ": " + why);
    // Checked now, not after the work: a run must not end in "cannot save".
    if (std::string why = file::whyDirectoryNotWritable(path); !why.empty()) fail(flag, path + ": " + why);
    for (const char *input : inputs)
        if (c.get_option_no_throw("--" + std::string(input)) && given(c, input) && file::samePath(path, text(c, input)))
            fail(flag, path + " is the file of --" + std::string(input) + "; writing it would destroy the input (name another file)");
    return path;
}

std::string inputPath(const CLI::App &c, const std::string &flag)
{
    const std::string path = text(c, flag);
    if (path.empty()) fail(flag, "the file name is empty");  // not ": cannot open: no such file"
    return path;
}

LoadedModel loadModelOption(const CLI::App &c)
{
    if (!given(c, "model")) fail("model", "required (a .safetensors file written by 'train --out')");
    return loadModel(inputPath(c, "model"));
}

bool stderrIsTty() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace cli
