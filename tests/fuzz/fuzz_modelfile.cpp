// libFuzzer target: model files (core/io/ModelFile.h). Two kinds of input:
//  - starting with '{' (or whitespace): the "aelab" configuration JSON. It is wrapped into a safetensors
//    file whose tensors are those of the architecture it describes (when that parses and is small), so
//    the fuzzer reaches every check of the configuration and the tensor comparison behind it;
//  - anything else: a whole model file.
// Either it throws FormatError, or it loads; a loaded configuration must survive
// architectureToJson/settingsToJson -> *FromJson -> *ToJson unchanged.
#include "core/io/JsonLimits.h"
#include "core/io/ModelFile.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_modelfile: %s\n", what);
    std::abort();
}

// Multiply-adds of a model of this architecture, an upper bound of its parameter count.
double weights(const ael::Architecture &a)
{
    std::vector<double> w{double(a.input)};
    for (int h : a.encoderHidden) w.push_back(h);
    w.push_back(2.0 * a.code);
    for (int h : a.decoderHidden) w.push_back(h);
    w.push_back(a.input);
    double sum = 0;
    for (size_t i = 1; i < w.size(); ++i) sum += (w[i - 1] + 1) * w[i];
    return sum;
}

// The tensors of the architecture described by `config` (zeros), or none.
std::vector<ael::NamedTensor> tensorsFor(const std::string &config)
{
    std::vector<ael::NamedTensor> out;
    try {
        ael::JsonLimits limits;
        limits.maxValues = 100000;
        const nlohmann::ordered_json j = ael::parseLimited(config, limits, "config");
        if (!j.is_object() || !j.contains("architecture")) return out;
        const ael::Architecture a = ael::architectureFromJson(j["architecture"]);
        if (weights(a) > 5e3) return out;  // small models only: the fuzzer needs speed, not size
        ael::Model<float> m(a);
        for (const ael::Param<float> *p : m.params()) out.push_back({p->name, ael::Matrix::Zero(p->value.rows(), p->value.cols())});
    } catch (const std::exception &) {
        out.clear();
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::vector<uint8_t> wrapped;
    const uint8_t *file = data;
    size_t fileSize = size;
    const bool config = size > 0 && (data[0] == '{' || data[0] == ' ' || data[0] == '\n');
    if (config) {
        const std::string text(reinterpret_cast<const char *>(data), size);
        try {
            wrapped = ael::serializeSafetensors(tensorsFor(text), {{ael::kModelMetadataKey, text}});
        } catch (const ael::FormatError &) {
            return 0;  // not UTF-8: no safetensors file can hold it
        }
        file = wrapped.data();
        fileSize = wrapped.size();
    }
    ael::LoadedModel m;
    try {
        m = ael::loadModelFromMemory(file, fileSize, "fuzz");
    } catch (const ael::FormatError &) {
        return 0;
    }
    if (!m.model) broken("loaded without a model");
    try {
        const ael::JsonLimits limits;
        const std::string arch = ael::dumpStrict(ael::architectureToJson(m.arch));
        const std::string settings = ael::dumpStrict(ael::settingsToJson(m.settings));
        if (ael::dumpStrict(ael::architectureToJson(ael::architectureFromJson(ael::parseLimited(arch, limits, "arch")))) != arch)
            broken("architecture JSON does not round-trip");
        if (ael::dumpStrict(ael::settingsToJson(ael::settingsFromJson(ael::parseLimited(settings, limits, "settings")))) != settings)
            broken("settings JSON does not round-trip");
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s\n", e.what());
        broken("a loaded configuration does not read back");
    }
    return 0;
}
