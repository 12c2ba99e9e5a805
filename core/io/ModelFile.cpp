#include "ModelFile.h"

#include "JsonLimits.h"
#include "Printable.h"
#include "../train/Memory.h"
#include "../train/SettingsTable.h"

#include <cmath>
#include <stdexcept>

namespace ael {

namespace {

using json = nlohmann::ordered_json;

constexpr const char *kFormatName = "aelab-model";
// The bounds of Architecture: the depth is checked before the widths are read (a hostile file).
constexpr int kMaxWidth = Architecture::kMaxWidth;
constexpr size_t kMaxHiddenLayers = Architecture::kMaxHiddenLayers;

[[noreturn]] void bad(const std::string &what) { throw FormatError(what); }

const json &member(const json &obj, const std::string &key, const std::string &where)
{
    if (!obj.is_object()) bad(where + " is not a JSON object");
    const auto it = obj.find(key);
    if (it == obj.end()) bad(where + " has no \"" + key + "\"");
    return *it;
}

std::string typeOf(const json &v) { return jsonTypeName(v); }

double number(const json &obj, const std::string &key, const std::string &where)
{
    const json &v = member(obj, key, where);
    if (!v.is_number()) bad(where + "." + key + " is " + typeOf(v) + ", expected a number");
    return v.get<double>();
}

int integer(const json &obj, const std::string &key, const std::string &where, int lo, int hi)
{
    const json &v = member(obj, key, where);
    const std::optional<int64_t> i = jsonInt64(v);
    if (!i) bad(where + "." + key + " is " + typeOf(v) + ", expected an integer");
    if (*i < lo || *i > hi)
        bad(where + "." + key + " = " + std::to_string(*i) + " is out of range [" + std::to_string(lo) + ", " +
            std::to_string(hi) + "]");
    return int(*i);
}

bool boolean(const json &obj, const std::string &key, const std::string &where)
{
    const json &v = member(obj, key, where);
    if (!v.is_boolean()) bad(where + "." + key + " is " + typeOf(v) + ", expected true or false");
    return v.get<bool>();
}

const std::string &string(const json &obj, const std::string &key, const std::string &where)
{
    const json &v = member(obj, key, where);
    if (!v.is_string()) bad(where + "." + key + " is " + typeOf(v) + ", expected a string");
    return v.get_ref<const std::string &>();
}

template <class E> E choice(const json &obj, const std::string &key, const std::string &where,
                           bool (*parse)(const std::string &, E &))
{
    const std::string &s = string(obj, key, where);
    E out{};
    if (!parse(s, out)) bad(where + "." + key + " = " + printableQuoted(s) + " is not a known value");
    return out;
}

std::vector<int> widths(const json &obj, const std::string &key, const std::string &where)
{
    const json &v = member(obj, key, where);
    if (!v.is_array()) bad(where + "." + key + " is " + typeOf(v) + ", expected an array of layer widths");
    if (v.size() > kMaxHiddenLayers)
        bad(where + "." + key + " has " + std::to_string(v.size()) + " layers (at most " +
            std::to_string(kMaxHiddenLayers) + ")");
    std::vector<int> out;
    for (const json &w : v) {
        const std::optional<int64_t> i = jsonInt64(w);
        if (!i || *i < 1 || *i > kMaxWidth)
            bad(where + "." + key + " holds " + printableMessage(w.dump(), 40) + ", expected layer widths between 1 and " +
                std::to_string(kMaxWidth));
        out.push_back(int(*i));
    }
    return out;
}

struct Expected {
    std::string name;
    int rows, cols;
};

/// The trainable parameters a Model of this architecture has, in Model::params() order: each layer's
/// weight (a tied layer has none: it uses its partner's) and bias.
std::vector<Expected> expectedParams(const Architecture &a)
{
    std::vector<Expected> out;
    for (const LayerSpec &l : a.layers()) {
        if (l.tiedTo.empty()) out.push_back({l.name + ".weight", l.out, l.in});
        out.push_back({l.name + ".bias", l.out, 1});
    }
    return out;
}

}  // namespace

std::string whyModelFileTooLarge(const Architecture &a)
{
    uint64_t parameters = 0;
    for (const Expected &e : expectedParams(a)) parameters += uint64_t(e.rows) * uint64_t(e.cols);
    const uint64_t bytes = 4 * parameters + (uint64_t(1) << 20);
    if (bytes <= kSafetensorsMaxFileBytes) return {};
    return "a model of " + a.spec() + " has " + std::to_string(parameters) + " parameters: its file would be about " +
           formatBytes(size_t(bytes)) + ", more than the " + formatBytes(size_t(kSafetensorsMaxFileBytes)) +
           " a model file may hold";
}

namespace {

std::string shapeText(Eigen::Index r, Eigen::Index c) { return std::to_string(r) + " x " + std::to_string(c); }

std::string consistency(const Architecture &a, const TrainSettings &s)
{
    if (a.variational != (s.variant == Variant::Variational))
        return a.variational ? "the architecture is variational but the variant is " + std::string(toString(s.variant))
                             : "the variant is variational but the architecture is not";
    return {};
}

/// A setting as JSON: an integral value within ±2⁵³ as an integer ("2", not "2.0"), so the text is the
/// one earlier builds wrote; it reads back as the same double.
json settingNumber(double v)
{
    constexpr double kExact = 9007199254740992.0;  // 2^53
    if (std::isfinite(v) && v == std::trunc(v) && std::abs(v) <= kExact && !(v == 0 && std::signbit(v)))
        return int64_t(v);
    return v;
}

}  // namespace

json architectureToJson(const Architecture &a)
{
    return {{"spec", a.spec()},
            {"input", a.input},
            {"encoderHidden", a.encoderHidden},
            {"code", a.code},
            {"decoderHidden", a.decoderHidden},
            {"activations",
             {{"hidden", toString(a.hidden)}, {"code", toString(a.codeActivation)}, {"output", toString(a.output)}}},
            {"tied", a.tied},
            {"variational", a.variational}};
}

Architecture architectureFromJson(const json &j)
{
    const std::string w = "architecture";
    Architecture a;
    a.input = integer(j, "input", w, 1, kMaxWidth);
    a.encoderHidden = widths(j, "encoderHidden", w);
    a.code = integer(j, "code", w, 1, kMaxWidth);
    a.decoderHidden = widths(j, "decoderHidden", w);
    const json &act = member(j, "activations", w);
    a.hidden = choice(act, "hidden", w + ".activations", parseActivation);
    a.codeActivation = choice(act, "code", w + ".activations", parseActivation);
    a.output = choice(act, "output", w + ".activations", parseActivation);
    a.tied = boolean(j, "tied", w);
    a.variational = boolean(j, "variational", w);
    if (std::string why = a.validate(); !why.empty()) bad(w + " " + a.spec() + ": " + why);
    return a;
}

json settingsToJson(const TrainSettings &s)
{
    // One member per row of the settings table, in its order; "corruption.kind" nests as
    // "corruption": {"kind": ...}.
    json out = json::object();
    for (const SettingRow &r : settingsTable()) {
        const std::string key = r.key;
        const size_t dot = key.find('.');
        json &obj = dot == std::string::npos ? out : out[key.substr(0, dot)];
        const std::string leaf = dot == std::string::npos ? key : key.substr(dot + 1);
        const double v = r.get(s);
        switch (r.kind) {
        case SettingKind::Number: obj[leaf] = settingNumber(v); break;
        case SettingKind::Whole: obj[leaf] = int64_t(v); break;
        case SettingKind::Switch: obj[leaf] = v != 0; break;
        case SettingKind::Choice: obj[leaf] = r.text(v); break;
        }
    }
    return out;
}

TrainSettings settingsFromJson(const json &j)
{
    TrainSettings s;
    for (const SettingRow &r : settingsTable()) {
        std::string key = r.key, where = "settings";
        const json *obj = &j;
        if (const size_t dot = key.find('.'); dot != std::string::npos) {
            obj = &member(j, key.substr(0, dot), where);
            where += "." + key.substr(0, dot);
            key = key.substr(dot + 1);
        }
        switch (r.kind) {
        case SettingKind::Number: r.set(s, number(*obj, key, where)); break;
        case SettingKind::Whole: r.set(s, integer(*obj, key, where, int(r.lo), int(r.hi))); break;
        case SettingKind::Switch: r.set(s, boolean(*obj, key, where)); break;
        case SettingKind::Choice: {
            const std::string &name = string(*obj, key, where);
            const int i = r.indexOf(name);
            if (i < 0) bad(where + "." + key + " = " + printableQuoted(name) + " is not a known value");
            r.set(s, i);
            break;
        }
        }
    }
    return s;
}

bool isStateTensorName(const std::string &name)
{
    return name.rfind("optimizer.", 0) == 0 || name.rfind("stream.", 0) == 0;
}

namespace {

/// What a model file holds: the parameters, then the state tensors, and the metadata ("aelab" and the extras).
struct ModelImage {
    std::vector<NamedTensor> tensors;
    std::map<std::string, std::string> metadata;
};

ModelImage modelImage(const Model<float> &m, const TrainSettings &s, const std::map<std::string, std::string> &extra,
                      const std::string &label, const std::vector<NamedTensor> &stateTensors)
{
    for (const NamedTensor &t : stateTensors)
        if (!isStateTensorName(t.name)) bad(label + ": cannot save: " + printableQuoted(t.name) + " is not a state tensor name");
    if (std::string why = consistency(m.arch(), s); !why.empty()) bad(label + ": cannot save: " + why);
    if (extra.count(kModelMetadataKey))
        bad(label + ": cannot save: the metadata key \"" + std::string(kModelMetadataKey) + "\" is reserved");
    const json config = {{"format", kFormatName},
                         {"version", kModelFormatVersion},
                         {"architecture", architectureToJson(m.arch())},
                         {"settings", settingsToJson(s)}};
    ModelImage out;
    out.metadata = extra;
    try {
        out.metadata[kModelMetadataKey] = dumpStrict(config);
    } catch (const JsonError &e) {  // a non-finite setting
        bad(label + ": cannot save: " + e.what());
    }
    for (const Param<float> *p : m.params()) out.tensors.push_back({p->name, p->value});
    out.tensors.insert(out.tensors.end(), stateTensors.begin(), stateTensors.end());
    return out;
}

}  // namespace

void saveModel(const std::string &path, const Model<float> &m, const TrainSettings &s,
               const std::map<std::string, std::string> &extra, const std::vector<NamedTensor> &stateTensors)
{
    const ModelImage image = modelImage(m, s, extra, path, stateTensors);
    saveSafetensors(path, image.tensors, image.metadata);
}

std::vector<uint8_t> serializeModel(const Model<float> &m, const TrainSettings &s,
                                    const std::map<std::string, std::string> &extra, const std::string &label,
                                    const std::vector<NamedTensor> &stateTensors)
{
    const ModelImage image = modelImage(m, s, extra, label, stateTensors);
    return serializeSafetensors(image.tensors, image.metadata, label);
}

namespace {

LoadedModel fromFile(const SafetensorsFile &file, const std::string &label)
{
    auto fail = [&](const std::string &what) -> void { bad(label + ": " + what); };

    const auto it = file.metadata.find(kModelMetadataKey);
    if (it == file.metadata.end())
        fail("no \"aelab\" metadata: not an Autoencoder Lab model file (a safetensors file without our configuration)");
    json config;
    try {
        JsonLimits limits;
        limits.maxValues = 100000;
        config = parseLimited(it->second, limits, "the \"aelab\" metadata");
    } catch (const JsonError &e) {
        fail(e.what());
    }

    LoadedModel out;
    try {
        if (!config.is_object()) bad("the \"aelab\" metadata is " + typeOf(config) + ", expected a JSON object");
        const auto format = config.find("format");
        if (format == config.end() || !format->is_string() || *format != kFormatName)
            bad("the \"aelab\" metadata has no \"format\": \"aelab-model\"");
        const auto version = config.find("version");
        const std::optional<int64_t> v = version == config.end() ? std::nullopt : jsonInt64(*version);
        if (!v) bad("the \"aelab\" metadata has no integer format \"version\"");
        if (*v != kModelFormatVersion)
            bad("unknown format version " + std::to_string(*v) + " (this build reads version " +
                std::to_string(kModelFormatVersion) + ")");
        out.arch = architectureFromJson(member(config, "architecture", "the \"aelab\" metadata"));
        out.settings = settingsFromJson(member(config, "settings", "the \"aelab\" metadata"));
    } catch (const FormatError &e) {
        fail(std::string("bad configuration: ") + e.what());
    }
    if (std::string why = consistency(out.arch, out.settings); !why.empty()) fail("bad configuration: " + why);
    if (std::string why = out.settings.validate(out.arch); !why.empty()) fail("bad settings: " + why);

    // Compare the tensors with the architecture before allocating anything of its size.
    const std::vector<Expected> expected = expectedParams(out.arch);
    std::vector<const NamedTensor *> found;
    for (const Expected &e : expected) {
        const NamedTensor *t = file.find(e.name);
        if (!t)
            fail("missing tensor '" + e.name + "' (" + shapeText(e.rows, e.cols) + ") of architecture " +
                 out.arch.spec());
        if (t->value.rows() != e.rows || t->value.cols() != e.cols)
            fail("tensor '" + e.name + "' is " + shapeText(t->value.rows(), t->value.cols()) + ", expected " +
                 shapeText(e.rows, e.cols) + " for architecture " + out.arch.spec());
        found.push_back(t);
    }
    for (const NamedTensor &t : file.tensors) {
        if (isStateTensorName(t.name)) {
            out.stateTensors.push_back(t);
            continue;
        }
        bool known = false;
        for (const Expected &e : expected) known = known || e.name == t.name;
        if (!known) fail("unexpected tensor " + printableQuoted(t.name) + ": not a parameter of architecture " + out.arch.spec());
    }
    for (const NamedTensor *t : found)
        for (Eigen::Index c = 0; c < t->value.cols(); ++c)
            for (Eigen::Index r = 0; r < t->value.rows(); ++r)
                if (!std::isfinite(t->value(r, c)))
                    fail("tensor '" + t->name + "' holds a non-finite value (" + std::to_string(t->value(r, c)) +
                         ") at (" + std::to_string(r) + ", " + std::to_string(c) + ")");

    out.model = std::make_unique<Model<float>>(out.arch);
    auto params = out.model->params();
    if (params.size() != found.size()) throw std::logic_error("loadModel: parameter list out of sync with Model");
    for (size_t i = 0; i < params.size(); ++i) {
        if (params[i]->name != found[i]->name) throw std::logic_error("loadModel: parameter names out of sync with Model");
        params[i]->value = found[i]->value;
        params[i]->grad.setZero(params[i]->value.rows(), params[i]->value.cols());
    }
    for (auto &[k, v] : file.metadata)
        if (k != kModelMetadataKey) out.metadata.emplace(k, v);
    return out;
}

}  // namespace

LoadedModel loadModel(const std::string &path) { return fromFile(loadSafetensors(path), path); }

LoadedModel loadModelFromMemory(const uint8_t *data, size_t size, const std::string &label)
{
    return fromFile(loadSafetensorsFromMemory(data, size, label), label);
}

}  // namespace ael
