#include "SessionState.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace ael {

namespace {

constexpr const char *kOptimizerKey = "optimizer";
constexpr const char *kStepPrefix = "optimizer.t.";
constexpr const char *kOrder = "stream.order";
constexpr const char *kPosition = "stream.position";
constexpr const char *kRng = "stream.rng";
constexpr long long kMaxOrder = 1 << 24;  // F32 holds every integer below it exactly

[[noreturn]] void bad(const std::string &what) { throw FormatError(what); }

std::string hex(uint64_t v)
{
    char buf[17];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
    return std::string(buf, r.ptr);
}

template <class T> T parseNumber(const std::string &text, int base, const std::string &what)
{
    T v{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) bad(what + " is not a number: '" + text + "'");
    return v;
}

const std::string *entry(const std::map<std::string, std::string> &meta, const std::string &key)
{
    const auto it = meta.find(key);
    return it == meta.end() ? nullptr : &it->second;
}

Rng::State parseRng(const std::string &text)
{
    std::vector<std::string> words;
    for (size_t b = 0; b <= text.size();) {
        const size_t e = std::min(text.find(' ', b), text.size());
        words.push_back(text.substr(b, e - b));
        b = e + 1;
    }
    if (words.size() != 6) bad(std::string(kRng) + " does not hold six hexadecimal words");
    Rng::State st;
    for (int i = 0; i < 4; ++i) st.s[i] = parseNumber<uint64_t>(words[size_t(i)], 16, kRng);
    const uint64_t flag = parseNumber<uint64_t>(words[4], 16, kRng), bits = parseNumber<uint64_t>(words[5], 16, kRng);
    if (flag > 1) bad(std::string(kRng) + ": the spare flag is not 0 or 1");
    st.hasSpare = flag == 1;
    std::memcpy(&st.spare, &bits, sizeof bits);
    if (!std::isfinite(st.spare)) bad(std::string(kRng) + ": the spare normal is not finite");
    if ((st.s[0] | st.s[1] | st.s[2] | st.s[3]) == 0) bad(std::string(kRng) + ": an all-zero generator state");
    return st;
}

}  // namespace

void encodeTrainerState(const TrainerState &st, std::vector<NamedTensor> &tensors, std::map<std::string, std::string> &meta)
{
    if (static_cast<long long>(st.order.size()) >= kMaxOrder) bad("the training set is too large to store its order");
    meta[kOptimizerKey] = toString(st.optimizer);
    for (const auto &[name, slot] : st.perParam) {
        if (slot.moments.empty()) continue;
        for (const auto &[moment, M] : slot.moments) tensors.push_back({"optimizer." + moment + "." + name, M});
        if (st.optimizer == OptimizerKind::Adam) meta[kStepPrefix + name] = std::to_string(slot.t);
    }
    Matrix order(Eigen::Index(st.order.size()), 1);
    for (size_t i = 0; i < st.order.size(); ++i) order(Eigen::Index(i)) = float(st.order[i]);
    tensors.push_back({kOrder, order});
    meta[kPosition] = std::to_string(st.position);
    uint64_t bits = 0;
    std::memcpy(&bits, &st.rng.spare, sizeof bits);
    meta[kRng] = hex(st.rng.s[0]) + " " + hex(st.rng.s[1]) + " " + hex(st.rng.s[2]) + " " + hex(st.rng.s[3]) + " " +
                 (st.rng.hasSpare ? "1 " : "0 ") + hex(bits);
}

std::optional<TrainerState> decodeTrainerState(const std::vector<NamedTensor> &tensors,
                                               const std::map<std::string, std::string> &meta)
{
    const std::string *kind = entry(meta, kOptimizerKey);
    if (!kind) {
        if (!tensors.empty()) bad("optimizer state tensors without an \"optimizer\" entry (e.g. '" + tensors.front().name + "')");
        return std::nullopt;
    }
    TrainerState st;
    if (!parseOptimizer(*kind, st.optimizer)) bad("\"optimizer\" = '" + *kind + "' is not adam or sgd");
    const std::vector<std::string> moments = makeOptimizer(st.optimizer)->momentNames();
    const NamedTensor *order = nullptr;
    for (const NamedTensor &t : tensors) {
        if (t.name == kOrder) {
            order = &t;
            continue;
        }
        // "optimizer.<moment>.<parameter>": the slot of <parameter>, its moments in momentNames() order.
        size_t which = moments.size();
        for (size_t i = 0; i < moments.size(); ++i)
            if (t.name.rfind("optimizer." + moments[i] + ".", 0) == 0) which = i;
        if (which == moments.size()) bad("'" + t.name + "' is not a moment of " + *kind);
        const std::string param = t.name.substr(std::strlen("optimizer.") + moments[which].size() + 1);
        if (param.empty()) bad("'" + t.name + "' names no parameter");
        auto it = st.perParam.begin();
        while (it != st.perParam.end() && it->first != param) ++it;
        if (it == st.perParam.end()) {
            st.perParam.emplace_back(param, SlotState{});
            it = std::prev(st.perParam.end());
            it->second.moments.resize(moments.size());
        }
        if (!it->second.moments[which].first.empty()) bad("'" + t.name + "' appears twice");
        it->second.moments[which] = {moments[which], t.value};
    }
    for (auto &[param, slot] : st.perParam) {
        for (size_t i = 0; i < moments.size(); ++i)
            if (slot.moments[i].first.empty()) bad("the optimizer state of '" + param + "' has no moment '" + moments[i] + "'");
        if (st.optimizer == OptimizerKind::Adam) {
            const std::string *t = entry(meta, kStepPrefix + param);
            if (!t) bad("the optimizer state of '" + param + "' has no step count (" + kStepPrefix + param + ")");
            slot.t = parseNumber<long long>(*t, 10, kStepPrefix + param);
            if (slot.t < 1) bad(std::string(kStepPrefix) + param + " is not positive");
        }
    }
    if (!order) bad("the optimizer state has no data order (\"stream.order\")");
    if (order->value.cols() != 1 || order->value.rows() >= kMaxOrder) bad("\"stream.order\" is not a vector of image indices");
    std::vector<char> seen(size_t(order->value.rows()), 0);
    for (Eigen::Index i = 0; i < order->value.rows(); ++i) {
        const float v = order->value(i);
        if (!(v >= 0 && v < float(order->value.rows())) || v != std::floor(v) || seen[size_t(v)])
            bad("\"stream.order\" is not a permutation of the image indices");
        seen[size_t(v)] = 1;
        st.order.push_back(int(v));
    }
    const std::string *pos = entry(meta, kPosition), *rng = entry(meta, kRng);
    if (!pos || !rng) bad("the optimizer state has no data-stream position (\"stream.position\", \"stream.rng\")");
    st.position = parseNumber<int>(*pos, 10, kPosition);
    if (st.position < 0 || st.position >= int(st.order.size())) bad("\"stream.position\" lies outside the data order");
    st.rng = parseRng(*rng);
    return st;
}

}  // namespace ael
