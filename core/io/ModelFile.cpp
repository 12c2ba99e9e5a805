#include "ModelFile.h"

#include "Printable.h"

#include "Json.h"

#include <cmath>
#include <stdexcept>

namespace ael {

namespace {

constexpr const char *kFormatName = "aelab-model";
// The same bounds as Architecture::parseSpec, plus a cap on the depth of a hostile file.
constexpr int kMaxWidth = 100000;
constexpr size_t kMaxHiddenLayers = 64;

[[noreturn]] void bad(const std::string &what) { throw FormatError(what); }

const Json &member(const Json &obj, const std::string &key, const std::string &where)
{
    if (!obj.isObject()) bad(where + " is not a JSON object");
    const Json *v = obj.get(key);
    if (!v) bad(where + " has no \"" + key + "\"");
    return *v;
}

std::string typeOf(const Json &v) { return Json::typeName(v.type()); }

double number(const Json &obj, const std::string &key, const std::string &where)
{
    const Json &v = member(obj, key, where);
    if (!v.isNumber()) bad(where + "." + key + " is " + typeOf(v) + ", expected a number");
    return v.asNumber();
}

int integer(const Json &obj, const std::string &key, const std::string &where, int lo, int hi)
{
    const Json &v = member(obj, key, where);
    if (!v.isNumber() || !v.isInteger()) bad(where + "." + key + " is " + typeOf(v) + ", expected an integer");
    const int64_t i = v.asInt64();
    if (i < lo || i > hi)
        bad(where + "." + key + " = " + std::to_string(i) + " is out of range [" + std::to_string(lo) + ", " +
            std::to_string(hi) + "]");
    return int(i);
}

bool boolean(const Json &obj, const std::string &key, const std::string &where)
{
    const Json &v = member(obj, key, where);
    if (!v.isBool()) bad(where + "." + key + " is " + typeOf(v) + ", expected true or false");
    return v.asBool();
}

const std::string &string(const Json &obj, const std::string &key, const std::string &where)
{
    const Json &v = member(obj, key, where);
    if (!v.isString()) bad(where + "." + key + " is " + typeOf(v) + ", expected a string");
    return v.asString();
}

template <class E> E choice(const Json &obj, const std::string &key, const std::string &where,
                           bool (*parse)(const std::string &, E &))
{
    const std::string &s = string(obj, key, where);
    E out{};
    if (!parse(s, out)) bad(where + "." + key + " = " + printableQuoted(s) + " is not a known value");
    return out;
}

std::vector<int> widths(const Json &obj, const std::string &key, const std::string &where)
{
    const Json &v = member(obj, key, where);
    if (!v.isArray()) bad(where + "." + key + " is " + typeOf(v) + ", expected an array of layer widths");
    if (v.size() > kMaxHiddenLayers)
        bad(where + "." + key + " has " + std::to_string(v.size()) + " layers (at most " +
            std::to_string(kMaxHiddenLayers) + ")");
    std::vector<int> out;
    for (const Json &w : v.asArray()) {
        if (!w.isNumber() || !w.isInteger() || w.asInt64() < 1 || w.asInt64() > kMaxWidth)
            bad(where + "." + key + " holds " + printableMessage(w.dump(), 40) + ", expected layer widths between 1 and " +
                std::to_string(kMaxWidth));
        out.push_back(int(w.asInt64()));
    }
    return out;
}

Json widthsJson(const std::vector<int> &w)
{
    Json a = Json::array();
    for (int x : w) a.push(x);
    return a;
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

std::string shapeText(Eigen::Index r, Eigen::Index c) { return std::to_string(r) + " x " + std::to_string(c); }

std::string consistency(const Architecture &a, const TrainSettings &s)
{
    if (a.variational != (s.variant == Variant::Variational))
        return a.variational ? "the architecture is variational but the variant is " + std::string(toString(s.variant))
                             : "the variant is variational but the architecture is not";
    return {};
}

}  // namespace

Json architectureToJson(const Architecture &a)
{
    Json j = Json::object();
    j.set("spec", a.spec());
    j.set("input", a.input);
    j.set("encoderHidden", widthsJson(a.encoderHidden));
    j.set("code", a.code);
    j.set("decoderHidden", widthsJson(a.decoderHidden));
    Json act = Json::object();
    act.set("hidden", toString(a.hidden));
    act.set("code", toString(a.codeActivation));
    act.set("output", toString(a.output));
    j.set("activations", std::move(act));
    j.set("tied", a.tied);
    j.set("variational", a.variational);
    return j;
}

Architecture architectureFromJson(const Json &j)
{
    const std::string w = "architecture";
    Architecture a;
    a.input = integer(j, "input", w, 1, kMaxWidth);
    a.encoderHidden = widths(j, "encoderHidden", w);
    a.code = integer(j, "code", w, 1, kMaxWidth);
    a.decoderHidden = widths(j, "decoderHidden", w);
    const Json &act = member(j, "activations", w);
    a.hidden = choice(act, "hidden", w + ".activations", parseActivation);
    a.codeActivation = choice(act, "code", w + ".activations", parseActivation);
    a.output = choice(act, "output", w + ".activations", parseActivation);
    a.tied = boolean(j, "tied", w);
    a.variational = boolean(j, "variational", w);
    if (std::string why = a.validate(); !why.empty()) bad(w + " " + a.spec() + ": " + why);
    return a;
}

Json settingsToJson(const TrainSettings &s)
{
    Json j = Json::object();
    j.set("variant", toString(s.variant));
    j.set("loss", toString(s.loss));
    j.set("optimizer", toString(s.optimizer));
    j.set("learningRate", s.opt.learningRate);
    j.set("momentum", s.opt.momentum);
    j.set("beta1", s.opt.beta1);
    j.set("beta2", s.opt.beta2);
    j.set("epsilon", s.opt.epsilon);
    j.set("batchSize", s.batchSize);
    j.set("shuffle", s.shuffle);
    Json c = Json::object();
    c.set("kind", toString(s.corruption.kind));
    c.set("rate", s.corruption.rate);
    j.set("corruption", std::move(c));
    j.set("sparsity", toString(s.sparsity));
    j.set("sparsityWeight", s.sparsityWeight);
    j.set("sparsityTarget", s.sparsityTarget);
    j.set("contractiveLambda", s.contractiveLambda);
    j.set("beta", s.beta);
    return j;
}

TrainSettings settingsFromJson(const Json &j)
{
    const std::string w = "settings";
    TrainSettings s;
    s.variant = choice(j, "variant", w, parseVariant);
    s.loss = choice(j, "loss", w, parseLoss);
    s.optimizer = choice(j, "optimizer", w, parseOptimizer);
    s.opt.learningRate = number(j, "learningRate", w);
    s.opt.momentum = number(j, "momentum", w);
    s.opt.beta1 = number(j, "beta1", w);
    s.opt.beta2 = number(j, "beta2", w);
    s.opt.epsilon = number(j, "epsilon", w);
    s.batchSize = integer(j, "batchSize", w, 1, 65536);
    s.shuffle = boolean(j, "shuffle", w);
    const Json &c = member(j, "corruption", w);
    s.corruption.kind = choice(c, "kind", w + ".corruption", parseCorruption);
    s.corruption.rate = number(c, "rate", w + ".corruption");
    s.sparsity = choice(j, "sparsity", w, parseSparsity);
    s.sparsityWeight = number(j, "sparsityWeight", w);
    s.sparsityTarget = number(j, "sparsityTarget", w);
    s.contractiveLambda = number(j, "contractiveLambda", w);
    s.beta = number(j, "beta", w);
    return s;
}

bool isStateTensorName(const std::string &name)
{
    return name.rfind("optimizer.", 0) == 0 || name.rfind("stream.", 0) == 0;
}

void saveModel(const std::string &path, const Model<float> &m, const TrainSettings &s,
               const std::map<std::string, std::string> &extra, const std::vector<NamedTensor> &stateTensors)
{
    for (const NamedTensor &t : stateTensors)
        if (!isStateTensorName(t.name)) bad(path + ": cannot save: " + printableQuoted(t.name) + " is not a state tensor name");
    if (std::string why = consistency(m.arch(), s); !why.empty()) bad(path + ": cannot save: " + why);
    if (extra.count(kModelMetadataKey))
        bad(path + ": cannot save: the metadata key \"" + std::string(kModelMetadataKey) + "\" is reserved");
    Json config = Json::object();
    config.set("format", kFormatName);
    config.set("version", kModelFormatVersion);
    config.set("architecture", architectureToJson(m.arch()));
    config.set("settings", settingsToJson(s));

    std::map<std::string, std::string> metadata = extra;
    try {
        metadata[kModelMetadataKey] = config.dump();
    } catch (const JsonError &e) {  // a non-finite setting
        bad(path + ": cannot save: " + e.what());
    }
    std::vector<NamedTensor> tensors;
    for (const Param<float> *p : m.params()) tensors.push_back({p->name, p->value});
    tensors.insert(tensors.end(), stateTensors.begin(), stateTensors.end());
    saveSafetensors(path, tensors, metadata);
}

namespace {

LoadedModel fromFile(const SafetensorsFile &file, const std::string &label)
{
    auto fail = [&](const std::string &what) -> void { bad(label + ": " + what); };

    const auto it = file.metadata.find(kModelMetadataKey);
    if (it == file.metadata.end())
        fail("no \"aelab\" metadata: not an Autoencoder Lab model file (a safetensors file without our configuration)");
    Json config;
    try {
        Json::ParseOptions o;
        o.maxValues = 100000;
        config = Json::parse(it->second, o);
    } catch (const JsonError &e) {
        fail(std::string("the \"aelab\" metadata is not valid JSON: ") + e.what());
    }

    LoadedModel out;
    try {
        if (!config.isObject()) bad("the \"aelab\" metadata is " + typeOf(config) + ", expected a JSON object");
        const Json *format = config.get("format");
        if (!format || !format->isString() || format->asString() != kFormatName)
            bad("the \"aelab\" metadata has no \"format\": \"aelab-model\"");
        const Json *version = config.get("version");
        if (!version || !version->isInteger())
            bad("the \"aelab\" metadata has no integer format \"version\"");
        if (version->asInt64() != kModelFormatVersion)
            bad("unknown format version " + std::to_string(version->asInt64()) + " (this build reads version " +
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
