#pragma once
// What several aelab-cli subcommands share: the thread count, the data options, the training
// configuration from flags, model loading and one-line JSON output.
#include "CliJson.h"
#include "Flags.h"

#include "core/data/Split.h"
#include "core/io/ModelFile.h"
#include "core/nn/Architecture.h"
#include "core/train/Settings.h"
#include "core/train/Trainer.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace cli {

// --threads N: the engine's thread pool (default 2).
void addThreadsOption(CLI::App &c);
int applyThreads(const CLI::App &c);

// --data mnist|fashion, or --images F --labels F (split 4:1 per class like the embedded digits).
void addDataOptions(CLI::App &c);
struct Data {
    ael::Split split;
    std::string id;  ///< "mnist", "fashion" or the images file
};
/// Throws UsageError for bad combinations, ael::DataError for unreadable files. `defaultId` is used
/// when no data option is given (e.g. the data set a model was trained on).
Data loadData(const CLI::App &c, const std::string &defaultId = "mnist");
/// Throws (naming the flag or file) when images of `data` do not have the `inputs` pixels that the
/// architecture or the model `modelFile` (empty: --arch, or the default) expects.
void checkImageSize(const CLI::App &c, const Data &data, int inputs, const std::string &modelFile);
/// "train", "test" or "all" (then built in `all`, which must outlive the result).
const ael::Dataset &selectSplit(const ael::Split &s, const std::string &which, ael::Dataset &all);
/// The data set a model was trained on ("mnist" or "fashion", from its metadata; default "mnist").
std::string modelDataId(const ael::LoadedModel &m);
/// A whole number in a model's metadata ("steps", "epoch"): empty when the key is missing or not a number.
std::optional<long long> metadataInteger(const ael::LoadedModel &m, const char *key);
bool hasSuffix(const std::string &s, const std::string &suffix);
/// a's images followed by b's (same image size), named `name`.
ael::Dataset concatenate(const ael::Dataset &a, const ael::Dataset &b, const std::string &name);

// Every engine setting as a flag (see addTrainOptions for the list).
struct TrainConfig {
    ael::Architecture arch;       ///< defaults: the lecture's 784-256-[2]-256-784, relu / linear code / sigmoid
    ael::TrainSettings settings;  ///< defaults: undercomplete, MSE, Adam lr 1e-3, batch 128
    uint64_t seed = 1;
    std::vector<std::string> notes;  ///< hints about flags that have no effect with the chosen variant
};
void addTrainOptions(CLI::App &c);
/// Applies the flags that were given on top of `base`; checks every value and the combination.
/// Throws UsageError naming the offending flag.
TrainConfig trainConfigFrom(const CLI::App &c, TrainConfig base);
/// "masking:0.3", "gaussian:0.5", "none", "saltpepper" (rate kept). Returns false and sets *why on error.
/// corruptionSpecCheck() is the same as a validator of --corruption.
bool parseCorruptionSpec(const std::string &s, ael::Corruption &c, std::string *why);
std::string corruptionSpec(const ael::Corruption &c);
CLI::Validator corruptionSpecCheck();

/// Trainer::evaluate's metrics as JSON members named prefix + field ("test_mse", ...).
void addMetrics(ael::Json &obj, const ael::Metrics &m, const std::string &prefix, bool variational);

/// A number for JSON output; null when it is not finite (JSON has no NaN or infinity).
ael::Json jsonNumber(double v);

/// One compact JSON line on stdout, flushed.
void printJsonLine(const ael::Json &j);

/// The file that --`flag` names, checked before any work: not empty, in an existing directory this user
/// may write in, a regular file or a new path (never a FIFO, a device such as /dev/null, or a
/// directory), and none of the files the flags `inputs` name, however spelled ("m.st", "./m.st").
/// (train --init M --out M is allowed: the model is read whole first and replaced by its continuation.)
/// Throws UsageError naming the flag.
std::string outputPath(const CLI::App &c, const std::string &flag,
                       std::initializer_list<const char *> inputs = {"model", "images", "labels"});

/// The file that --`flag` names, to read. Throws UsageError naming the flag when the name is empty.
std::string inputPath(const CLI::App &c, const std::string &flag);

/// The model file given by --model (required). Throws UsageError if absent, ael::FormatError if bad.
ael::LoadedModel loadModelOption(const CLI::App &c);

/// stderr is a terminal (progress bars are drawn only then).
bool stderrIsTty();

}  // namespace cli
