#include "SessionFile.h"

#include "JsonLimits.h"
#include "Printable.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>

namespace ael {

namespace {

using json = nlohmann::ordered_json;

constexpr const char *kFormatName = "aelab-session";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void bad(const std::string &what) { throw FormatError(what); }

json numberOrNull(double v) { return std::isfinite(v) ? json(v) : json(); }

json historyToJson(const SessionHistory &h, const std::string &path)
{
    const size_t nt = h.termNames.size();
    if (h.points.size() > kSessionMaxPoints || nt > kSessionMaxTerms || h.markers.size() > kSessionMaxMarkers ||
        h.tests.size() > kSessionMaxPoints)
        bad(path + ": cannot save: the loss history is longer than a session file may hold (" +
            std::to_string(kSessionMaxPoints) + " points, " + std::to_string(kSessionMaxTerms) + " terms, " +
            std::to_string(kSessionMaxMarkers) + " markers)");
    json step = json::array(), epoch = json::array(), rec = json::array(), term = json::array();
    for (size_t i = 0; i < nt; ++i) term.push_back(json::array());
    for (const auto &p : h.points) {
        if (p.terms.size() != nt)
            bad(path + ": cannot save: a history point at step " + std::to_string(p.step) + " has " +
                std::to_string(p.terms.size()) + " terms, expected " + std::to_string(nt));
        step.push_back(p.step);
        epoch.push_back(numberOrNull(p.epoch));
        rec.push_back(numberOrNull(p.reconstruction));
        for (size_t i = 0; i < nt; ++i) term[i].push_back(numberOrNull(p.terms[i]));
    }
    json tests = json::array(), markers = json::array();
    for (const auto &t : h.tests)
        tests.push_back(std::isfinite(t.mseFromCorrupted) ? json::array({t.step, numberOrNull(t.mse), t.mseFromCorrupted})
                                                          : json::array({t.step, numberOrNull(t.mse)}));
    for (const auto &m : h.markers) markers.push_back(json::array({m.step, m.label}));
    return {{"terms", h.termNames},        {"step", std::move(step)}, {"epoch", std::move(epoch)},
            {"reconstruction", std::move(rec)}, {"term", std::move(term)},  {"test", std::move(tests)},
            {"markers", std::move(markers)}};
}

// ---- reading: every accessor names the field it checks ----

const json &field(const json &obj, const char *key, const std::string &where)
{
    if (!obj.is_object()) bad(where + " is not a JSON object");
    const auto it = obj.find(key);
    if (it == obj.end()) bad(where + " has no \"" + key + "\"");
    return *it;
}

const json::array_t &array(const json &obj, const char *key, const std::string &where, size_t cap)
{
    const json &v = field(obj, key, where);
    if (!v.is_array()) bad(where + "." + key + " is " + jsonTypeName(v) + ", expected an array");
    if (v.size() > cap) bad(where + "." + key + " has " + std::to_string(v.size()) + " entries, at most " + std::to_string(cap) + " allowed");
    return v.get_ref<const json::array_t &>();
}

int64_t count(const json &v, const std::string &what, int64_t hi)
{
    const std::optional<int64_t> i = jsonInt64(v);
    if (!i) bad(what + " is not an integer");
    if (*i < 0 || *i > hi) bad(what + " = " + std::to_string(*i) + " is out of range [0, " + std::to_string(hi) + "]");
    return *i;
}

double finiteOrNull(const json &v, const std::string &what)
{
    if (v.is_null()) return kNaN;
    if (!v.is_number()) bad(what + " is " + jsonTypeName(v) + ", expected a number or null");
    const double d = v.get<double>();
    if (!std::isfinite(d)) bad(what + " is not finite");
    return d;
}

constexpr int64_t kMaxStep = int64_t(1) << 53;

SessionHistory historyFromJson(const json &j)
{
    const std::string w = "history";
    SessionHistory h;
    for (const json &n : array(j, "terms", w, kSessionMaxTerms)) {
        if (!n.is_string() || n.get_ref<const std::string &>().empty() || n.get_ref<const std::string &>().size() > 64)
            bad("history.terms holds something that is not a term name");
        h.termNames.push_back(n.get<std::string>());
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
        if (!term[t].is_array() || term[t].size() != n)
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
        for (size_t t = 0; t < nt; ++t) p.terms[t] = finiteOrNull(term[t][i], at + " " + h.termNames[t]);
    }
    for (const json &t : array(j, "test", w, kSessionMaxPoints)) {
        if (!t.is_array() || (t.size() != 2 && t.size() != 3))
            bad("history.test holds an entry that is not [step, mse] or [step, mse, mse from x̃]");
        h.tests.push_back({count(t[0], "a test step", kMaxStep), finiteOrNull(t[1], "a test MSE"),
                           t.size() == 3 ? finiteOrNull(t[2], "a test MSE from x̃") : std::numeric_limits<double>::quiet_NaN()});
    }
    for (const json &m : array(j, "markers", w, kSessionMaxMarkers)) {
        if (!m.is_array() || m.size() != 2 || !m[1].is_string()) bad("history.markers holds an entry that is not [step, \"label\"]");
        const std::string &label = m[1].get_ref<const std::string &>();
        if (label.size() > kSessionMaxLabelBytes) bad("history.markers holds a label longer than 4096 bytes");
        h.markers.push_back({count(m[0], "a marker step", kMaxStep), label});
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
    json j;
    try {
        JsonLimits limits;
        limits.maxDepth = 8;
        limits.maxValues = 20'000'000;  // 16 bytes each: at most 320 MB, and the file's own size bounds it first
        j = parseLimited(it->second, limits, "the \"aelab-session\" metadata");
    } catch (const JsonError &e) {
        fail(e.what());
    }
    LoadedSession out;
    try {
        const auto format = j.is_object() ? j.find("format") : j.end();
        if (format == j.end() || !format->is_string() || *format != kFormatName)
            bad("the \"aelab-session\" metadata has no \"format\": \"aelab-session\"");
        const auto version = j.find("version");
        const std::optional<int64_t> v = version == j.end() ? std::nullopt : jsonInt64(*version);
        if (!v) bad("the \"aelab-session\" metadata has no integer format \"version\"");
        if (*v != kSessionFormatVersion)
            bad("unknown session format version " + std::to_string(*v) + " (this build reads version " +
                std::to_string(kSessionFormatVersion) + ")");
        const json &data = field(j, "data", "the session");
        const json &id = field(data, "id", "session.data"), &dl = field(data, "label", "session.data");
        const std::string none;
        const std::string &ids = id.is_string() ? id.get_ref<const std::string &>() : none;
        const std::string &dls = dl.is_string() ? dl.get_ref<const std::string &>() : none;
        if (!id.is_string() || ids.empty() || ids.size() > kSessionMaxLabelBytes) bad("session.data.id is not a data set id");
        if (!dl.is_string() || dls.size() > kSessionMaxLabelBytes) bad("session.data.label is not a label");
        out.info.dataId = ids;
        out.info.dataLabel = dls;
        const json &seed = field(j, "seed", "the session");
        const std::string &st = seed.is_string() ? seed.get_ref<const std::string &>() : none;
        const auto [end, ec] = std::from_chars(st.data(), st.data() + st.size(), out.info.seed);
        if (st.empty() || ec != std::errc() || end != st.data() + st.size())
            bad("session.seed is not a decimal string of an unsigned 64-bit integer");
        out.info.step = count(field(j, "step", "the session"), "session.step", kMaxStep);
        out.info.epoch = int(count(field(j, "epoch", "the session"), "session.epoch", std::numeric_limits<int>::max()));
        out.history = historyFromJson(field(j, "history", "the session"));
    } catch (const FormatError &e) {
        fail(e.what());
    }
    out.state = runState(model, fail);
    out.model = std::move(model);
    return out;
}

/// The metadata entries a session adds to its model file; `label` names the file in error messages.
std::map<std::string, std::string> sessionMetadata(const SessionInfo &info, const SessionHistory &history,
                                                   const std::string &label)
{
    if (info.step < 0 || info.step > kMaxStep || info.epoch < 0) bad(label + ": cannot save: bad step or epoch count");
    if (info.dataId.empty() || info.dataId.size() > kSessionMaxLabelBytes || info.dataLabel.size() > kSessionMaxLabelBytes)
        bad(label + ": cannot save: bad data set id or label");
    for (const auto &mk : history.markers)
        if (mk.label.size() > kSessionMaxLabelBytes) bad(label + ": cannot save: a marker label is too long");
    const json j = {{"format", kFormatName},
                    {"version", kSessionFormatVersion},
                    {"data", {{"id", info.dataId}, {"label", info.dataLabel}}},
                    {"seed", std::to_string(info.seed)},
                    {"step", info.step},
                    {"epoch", info.epoch},
                    {"history", historyToJson(history, label)}};
    std::string text;
    try {
        text = dumpStrict(j);
    } catch (const JsonError &e) {  // e.g. a label that is not UTF-8
        bad(label + ": cannot save: " + e.what());
    }
    return {{kSessionMetadataKey, text},
            {"steps", std::to_string(info.step)},
            {"epoch", std::to_string(info.epoch)},
            {"seed", std::to_string(info.seed)},
            {"data", info.dataId},
            {"created_by", "aelab session"}};
}

/// The tensors (and the metadata entries, added to `meta`) of the run's optimizer state; none without one.
std::vector<NamedTensor> stateImage(const TrainerState *state, std::map<std::string, std::string> &meta,
                                    const std::string &label)
{
    std::vector<NamedTensor> stateTensors;
    if (!state) return stateTensors;
    try {
        encodeTrainerState(*state, stateTensors, meta);
    } catch (const FormatError &e) {
        bad(label + ": cannot save: " + e.what());
    }
    return stateTensors;
}

}  // namespace

void saveSession(const std::string &path, const Model<float> &m, const TrainSettings &s, const SessionInfo &info,
                 const SessionHistory &history, const TrainerState *state)
{
    std::map<std::string, std::string> meta = sessionMetadata(info, history, path);
    const std::vector<NamedTensor> stateTensors = stateImage(state, meta, path);
    saveModel(path, m, s, meta, stateTensors);
}

std::vector<uint8_t> serializeSession(const Model<float> &m, const TrainSettings &s, const SessionInfo &info,
                                      const SessionHistory &history, const std::string &label, const TrainerState *state)
{
    std::map<std::string, std::string> meta = sessionMetadata(info, history, label);
    const std::vector<NamedTensor> stateTensors = stateImage(state, meta, label);
    return serializeModel(m, s, meta, label, stateTensors);
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
