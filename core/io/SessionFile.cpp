#include "SessionFile.h"

#include "Json.h"
#include "Printable.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>

namespace ael {

namespace {

constexpr const char *kFormatName = "aelab-session";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void bad(const std::string &what) { throw FormatError(what); }

Json numberOrNull(double v) { return std::isfinite(v) ? Json(v) : Json(); }

Json historyToJson(const SessionHistory &h, const std::string &path)
{
    const size_t nt = h.termNames.size();
    if (h.points.size() > kSessionMaxPoints || nt > kSessionMaxTerms || h.markers.size() > kSessionMaxMarkers ||
        h.tests.size() > kSessionMaxPoints)
        bad(path + ": cannot save: the loss history is longer than a session file may hold (" +
            std::to_string(kSessionMaxPoints) + " points, " + std::to_string(kSessionMaxTerms) + " terms, " +
            std::to_string(kSessionMaxMarkers) + " markers)");
    Json names = Json::array(), step = Json::array(), epoch = Json::array(), rec = Json::array();
    std::vector<Json> cols(nt, Json::array());
    for (const std::string &n : h.termNames) names.push(n);
    for (const auto &p : h.points) {
        if (p.terms.size() != nt)
            bad(path + ": cannot save: a history point at step " + std::to_string(p.step) + " has " +
                std::to_string(p.terms.size()) + " terms, expected " + std::to_string(nt));
        step.push(p.step);
        epoch.push(numberOrNull(p.epoch));
        rec.push(numberOrNull(p.reconstruction));
        for (size_t i = 0; i < nt; ++i) cols[i].push(numberOrNull(p.terms[i]));
    }
    Json term = Json::array();
    for (Json &c : cols) term.push(std::move(c));
    Json tests = Json::array(), markers = Json::array();
    for (const auto &t : h.tests) tests.push(Json(Json::Array{Json(t.step), numberOrNull(t.mse)}));
    for (const auto &m : h.markers) markers.push(Json(Json::Array{Json(m.step), Json(m.label)}));
    Json j = Json::object();
    j.set("terms", std::move(names));
    j.set("step", std::move(step));
    j.set("epoch", std::move(epoch));
    j.set("reconstruction", std::move(rec));
    j.set("term", std::move(term));
    j.set("test", std::move(tests));
    j.set("markers", std::move(markers));
    return j;
}

// ---- reading: every accessor names the field it checks ----

const Json &field(const Json &obj, const char *key, const std::string &where)
{
    if (!obj.isObject()) bad(where + " is not a JSON object");
    const Json *v = obj.get(key);
    if (!v) bad(where + " has no \"" + key + "\"");
    return *v;
}

const Json::Array &array(const Json &obj, const char *key, const std::string &where, size_t cap)
{
    const Json &v = field(obj, key, where);
    if (!v.isArray()) bad(where + "." + key + " is " + Json::typeName(v.type()) + ", expected an array");
    if (v.size() > cap) bad(where + "." + key + " has " + std::to_string(v.size()) + " entries, at most " + std::to_string(cap) + " allowed");
    return v.asArray();
}

int64_t count(const Json &v, const std::string &what, int64_t hi)
{
    if (!v.isInteger()) bad(what + " is not an integer");
    const int64_t i = v.asInt64();
    if (i < 0 || i > hi) bad(what + " = " + std::to_string(i) + " is out of range [0, " + std::to_string(hi) + "]");
    return i;
}

double finiteOrNull(const Json &v, const std::string &what)
{
    if (v.isNull()) return kNaN;
    if (!v.isNumber()) bad(what + " is " + Json::typeName(v.type()) + ", expected a number or null");
    const double d = v.asNumber();
    if (!std::isfinite(d)) bad(what + " is not finite");
    return d;
}

constexpr int64_t kMaxStep = int64_t(1) << 53;

SessionHistory historyFromJson(const Json &j)
{
    const std::string w = "history";
    SessionHistory h;
    for (const Json &n : array(j, "terms", w, kSessionMaxTerms)) {
        if (!n.isString() || n.asString().empty() || n.asString().size() > 64)
            bad("history.terms holds something that is not a term name");
        h.termNames.push_back(n.asString());
    }
    const auto &step = array(j, "step", w, kSessionMaxPoints);
    const auto &epoch = array(j, "epoch", w, kSessionMaxPoints);
    const auto &rec = array(j, "reconstruction", w, kSessionMaxPoints);
    const auto &term = array(j, "term", w, kSessionMaxTerms);
    const size_t n = step.size(), nt = h.termNames.size();
    if (epoch.size() != n || rec.size() != n)
        bad("history columns differ in length (step " + std::to_string(n) + ", epoch " + std::to_string(epoch.size()) +
            ", reconstruction " + std::to_string(rec.size()) + ")");
    if (term.size() != nt)
        bad("history.term has " + std::to_string(term.size()) + " columns for " + std::to_string(nt) + " terms");
    for (size_t t = 0; t < nt; ++t)
        if (!term[t].isArray() || term[t].size() != n)
            bad("history.term[" + std::to_string(t) + "] is not a column of " + std::to_string(n) + " values");
    h.points.resize(n);
    int64_t last = 0;
    for (size_t i = 0; i < n; ++i) {
        const std::string at = "history point " + std::to_string(i);
        auto &p = h.points[i];
        p.step = count(step[i], at + " step", kMaxStep);
        if (p.step < last) bad(at + ": the steps go back (" + std::to_string(p.step) + " after " + std::to_string(last) + ")");
        last = p.step;
        p.epoch = finiteOrNull(epoch[i], at + " epoch");
        p.reconstruction = finiteOrNull(rec[i], at + " reconstruction");
        p.terms.resize(nt);
        for (size_t t = 0; t < nt; ++t) p.terms[t] = finiteOrNull(term[t].at(i), at + " " + h.termNames[t]);
    }
    for (const Json &t : array(j, "test", w, kSessionMaxPoints)) {
        if (!t.isArray() || t.size() != 2) bad("history.test holds an entry that is not [step, mse]");
        h.tests.push_back({count(t.at(0), "a test step", kMaxStep), finiteOrNull(t.at(1), "a test MSE")});
    }
    for (const Json &m : array(j, "markers", w, kSessionMaxMarkers)) {
        if (!m.isArray() || m.size() != 2 || !m.at(1).isString()) bad("history.markers holds an entry that is not [step, \"label\"]");
        if (m.at(1).asString().size() > kSessionMaxLabelBytes) bad("history.markers holds a label longer than 4096 bytes");
        h.markers.push_back({count(m.at(0), "a marker step", kMaxStep), m.at(1).asString()});
    }
    return h;
}

/// The run's state stored beside the model, checked against the model's parameters.
template <class Fail> std::optional<TrainerState> runState(const LoadedModel &model, const Fail &fail)
{
    std::optional<TrainerState> st;
    try {
        st = decodeTrainerState(model.stateTensors, model.metadata);
    } catch (const FormatError &e) {
        fail(std::string("bad optimizer state: ") + e.what());
    }
    if (!st) return st;
    for (const auto &[name, slot] : st->perParam) {
        const Param<float> *p = nullptr;
        for (const Param<float> *q : model.model->params())
            if (q->name == name) p = q;
        if (!p) {
            fail("bad optimizer state: '" + name + "' is not a trained parameter of " + model.arch.spec());
            continue;  // not reached: fail throws
        }
        for (const auto &[moment, M] : slot.moments)
            if (M.rows() != p->value.rows() || M.cols() != p->value.cols() || !M.allFinite())
                fail("bad optimizer state: moment '" + moment + "' of '" + name + "' does not fit the parameter or is not finite");
    }
    return st;
}

LoadedSession fromModel(LoadedModel model, const std::string &label)
{
    auto fail = [&](const std::string &what) { bad(label + ": " + what); };
    const auto it = model.metadata.find(kSessionMetadataKey);
    if (it == model.metadata.end())
        fail("no \"aelab-session\" metadata: a model file, not a session (open it with Open model)");
    Json j;
    try {
        Json::ParseOptions o;
        o.maxDepth = 8;
        o.maxValues = 20'000'000;  // 40 bytes each: at most 800 MB, and the file's own size bounds it first
        j = Json::parse(it->second, o);
    } catch (const JsonError &e) {
        fail(std::string("the \"aelab-session\" metadata is not valid JSON: ") + e.what());
    }
    LoadedSession out;
    try {
        const Json *format = j.isObject() ? j.get("format") : nullptr;
        if (!format || !format->isString() || format->asString() != kFormatName)
            bad("the \"aelab-session\" metadata has no \"format\": \"aelab-session\"");
        const Json *version = j.get("version");
        if (!version || !version->isInteger()) bad("the \"aelab-session\" metadata has no integer format \"version\"");
        if (version->asInt64() != kSessionFormatVersion)
            bad("unknown session format version " + std::to_string(version->asInt64()) + " (this build reads version " +
                std::to_string(kSessionFormatVersion) + ")");
        const Json &data = field(j, "data", "the session");
        const Json &id = field(data, "id", "session.data"), &dl = field(data, "label", "session.data");
        if (!id.isString() || id.asString().empty() || id.asString().size() > kSessionMaxLabelBytes)
            bad("session.data.id is not a data set id");
        if (!dl.isString() || dl.asString().size() > kSessionMaxLabelBytes) bad("session.data.label is not a label");
        out.info.dataId = id.asString();
        out.info.dataLabel = dl.asString();
        const Json &seed = field(j, "seed", "the session");
        const std::string &st = seed.isString() ? seed.asString() : std::string();
        const auto [end, ec] = std::from_chars(st.data(), st.data() + st.size(), out.info.seed);
        if (st.empty() || ec != std::errc() || end != st.data() + st.size())
            bad("session.seed is not a decimal string of an unsigned 64-bit integer");
        out.info.step = count(field(j, "step", "the session"), "session.step", kMaxStep);
        out.info.epoch = int(count(field(j, "epoch", "the session"), "session.epoch", std::numeric_limits<int>::max()));
        out.history = historyFromJson(field(j, "history", "the session"));
    } catch (const FormatError &e) {
        fail(e.what());
    } catch (const JsonError &e) {
        fail(e.what());
    }
    out.state = runState(model, fail);
    out.model = std::move(model);
    return out;
}

}  // namespace

void saveSession(const std::string &path, const Model<float> &m, const TrainSettings &s, const SessionInfo &info,
                 const SessionHistory &history, const TrainerState *state)
{
    if (info.step < 0 || info.step > kMaxStep || info.epoch < 0) bad(path + ": cannot save: bad step or epoch count");
    if (info.dataId.empty() || info.dataId.size() > kSessionMaxLabelBytes || info.dataLabel.size() > kSessionMaxLabelBytes)
        bad(path + ": cannot save: bad data set id or label");
    for (const auto &mk : history.markers)
        if (mk.label.size() > kSessionMaxLabelBytes) bad(path + ": cannot save: a marker label is too long");
    Json data = Json::object();
    data.set("id", info.dataId);
    data.set("label", info.dataLabel);
    Json j = Json::object();
    j.set("format", kFormatName);
    j.set("version", kSessionFormatVersion);
    j.set("data", std::move(data));
    j.set("seed", std::to_string(info.seed));
    j.set("step", info.step);
    j.set("epoch", info.epoch);
    j.set("history", historyToJson(history, path));
    std::string text;
    try {
        text = j.dump();
    } catch (const JsonError &e) {  // e.g. a label that is not UTF-8
        bad(path + ": cannot save: " + e.what());
    }
    std::map<std::string, std::string> meta = {{kSessionMetadataKey, text},
                                               {"steps", std::to_string(info.step)},
                                               {"epoch", std::to_string(info.epoch)},
                                               {"seed", std::to_string(info.seed)},
                                               {"data", info.dataId},
                                               {"created_by", "aelab session"}};
    std::vector<NamedTensor> stateTensors;
    if (state) {
        try {
            encodeTrainerState(*state, stateTensors, meta);
        } catch (const FormatError &e) {
            bad(path + ": cannot save: " + e.what());
        }
    }
    saveModel(path, m, s, meta, stateTensors);
}

LoadedSession loadSession(const std::string &path)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > kSessionMaxFileBytes)
        bad(path + ": " + std::to_string(size) + " bytes is larger than a session file may be (" +
            std::to_string(kSessionMaxFileBytes) + ")");
    return fromModel(loadModel(path), path);
}

LoadedSession loadSessionFromMemory(const uint8_t *data, size_t size, const std::string &label)
{
    if (size > kSessionMaxFileBytes) bad(label + ": larger than a session file may be");
    return fromModel(loadModelFromMemory(data, size, label), label);
}

}  // namespace ael
