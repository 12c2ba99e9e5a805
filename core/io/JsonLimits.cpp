#include "JsonLimits.h"

#include "Printable.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>
#include <vector>

namespace ael {

namespace {

using json = nlohmann::ordered_json;

// A key as a path segment: plain names as they are, anything else quoted printably.
std::string segment(const std::string &key)
{
    const bool plain = !key.empty() && key.size() <= 40 && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-' || c == '.';
    });
    return plain ? key : printableQuoted(key, 40);
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1, column 6: "
// prefix (the byte offset is given instead), the token it quotes shown printably and cut.
std::string problemText(const std::string &message, const std::string &token)
{
    std::string m = message;
    if (m.rfind("[json.exception.", 0) == 0)
        if (const size_t p = m.find("] "); p != std::string::npos) m.erase(0, p + 2);
    if (m.rfind("parse error", 0) == 0)
        if (const size_t p = m.find(": "); p != std::string::npos) m.erase(0, p + 2);
    if (!token.empty()) {
        const std::string quoted = "'" + token + "'";
        if (const size_t p = m.find(quoted); p != std::string::npos)
            m.replace(p, quoted.size(),
                      printableQuoted(token.size() > 40 ? "..." + token.substr(token.size() - 40) : token, 44));
    }
    return printableMessage(m, 400);
}

/// nlohmann's SAX events in, an ordered_json out, every limit checked before anything is stored.
/// It builds the tree itself because nlohmann's builders cost O(n²) on a wide object: ordered_json
/// finds a key by linear search (a 1 MB object of 40,000 members takes 12 s), and the callback
/// parser rescans the parent container at every object's end. Here a member is appended in O(1),
/// after a hash set (objects of 8 members or more) or a scan (smaller ones) has ruled out a duplicate.
class LimitedBuilder {
public:
    LimitedBuilder(json &root, const JsonLimits &limits, std::string_view text, const std::string &what)
        : root_(root), limits_(limits), text_(text), what_(what) {}

    bool null() { return place(nullptr); }
    bool boolean(bool b) { return place(b); }
    bool number_integer(json::number_integer_t i) { return place(i); }
    bool number_unsigned(json::number_unsigned_t u) { return place(u); }
    bool number_float(json::number_float_t d, const json::string_t &) { return place(d); }
    bool string(json::string_t &s)
    {
        checkLength(s, "a string");
        return place(std::move(s));
    }
    bool binary(json::binary_t &) { fail("binary data is not JSON"); }  // JSON text never has any
    bool start_object(std::size_t) { return open(json::object()); }
    bool start_array(std::size_t) { return open(json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(json::string_t &k)
    {
        checkLength(k, "a key");
        Frame &f = frames_.back();
        const json::object_t &o = f.value->get_ref<const json::object_t &>();
        bool duplicate = false;
        if (o.size() < 8) {
            for (const auto &m : o) duplicate = duplicate || m.first == k;
        } else {
            if (f.keys.empty())
                for (const auto &m : o) f.keys.insert(m.first);
            duplicate = !f.keys.insert(k).second;
        }
        if (duplicate) fail("duplicate key " + printableQuoted(k, 60));
        pendingKey_ = std::move(k);
        return true;
    }

    bool parse_error(std::size_t position, const std::string &token, const json::exception &e)
    {
        const size_t at = position > 0 ? std::min(position - 1, text_.size()) : 0;  // the last byte read
        std::string problem = problemText(e.what(), token);
        const std::string_view rest = text_.substr(at);
        if (rest.rfind("NaN", 0) == 0 || rest.rfind("Infinity", 0) == 0) {
            const bool minus = at > 0 && text_[at - 1] == '-' && rest[0] == 'I';
            problem = std::string(minus ? "-" : "") + (rest[0] == 'N' ? "NaN" : "Infinity") +
                      " is not a JSON number (JSON numbers are finite)";
        } else if (e.id == 406) {
            problem += " (beyond the range of a double)";
        }
        throw JsonError(what_ + " is not valid JSON: " + problem + " (at byte " + std::to_string(at) + ")");
    }

private:
    struct Frame {
        json *value;                           ///< the open array or object
        std::unordered_set<std::string> keys;  ///< an object's keys, once it has 8 or more
    };

    [[noreturn]] void fail(const std::string &problem) const
    {
        // The path of the innermost open array or object: the key or index of each level's open member.
        std::string path;
        for (size_t i = 0; i + 1 < frames_.size(); ++i) {
            const json &c = *frames_[i].value;
            path += "/" + (c.is_array() ? std::to_string(c.size() - 1)
                                        : segment(c.get_ref<const json::object_t &>().back().first));
        }
        if (path.size() > 120) path = "..." + path.substr(path.size() - 120);
        throw JsonError(what_ + " is not valid JSON: " + problem + (path.empty() ? " at the top level" : " in " + path));
    }

    void checkLength(const std::string &s, const char *kind) const
    {
        if (s.size() > limits_.maxStringBytes)
            fail(std::string(kind) + " of " + std::to_string(s.size()) + " bytes, more than the limit of " +
                 std::to_string(limits_.maxStringBytes));
    }

    // Stores a value as the root, the next array element or the member named by the last key.
    json *store(json &&v)
    {
        if (++values_ > limits_.maxValues) fail("more than " + std::to_string(limits_.maxValues) + " values");
        if (frames_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        json &c = *frames_.back().value;
        if (c.size() >= limits_.maxEntries)
            fail(std::string("more than ") + std::to_string(limits_.maxEntries) +
                 (c.is_array() ? " elements in an array" : " members in an object"));
        if (c.is_array()) {
            auto &a = c.get_ref<json::array_t &>();
            a.push_back(std::move(v));
            return &a.back();
        }
        // key() has ruled out a duplicate: append without ordered_map's linear search.
        auto &members = static_cast<json::object_t::Container &>(c.get_ref<json::object_t &>());
        members.emplace_back(std::move(pendingKey_), std::move(v));
        return &members.back().second;
    }

    template <class V> bool place(V &&v)
    {
        store(json(std::forward<V>(v)));
        return true;
    }

    bool open(json &&container)
    {
        if (frames_.size() >= size_t(std::max(limits_.maxDepth, 0)))
            fail("arrays/objects nested deeper than " + std::to_string(limits_.maxDepth) + " levels");
        json *p = store(std::move(container));
        frames_.push_back({p, {}});  // p stays valid: its parent grows only after p is closed
        return true;
    }

    bool close()
    {
        frames_.pop_back();
        return true;
    }

    json &root_;
    const JsonLimits &limits_;
    std::string_view text_;
    const std::string &what_;
    std::vector<Frame> frames_;
    std::string pendingKey_;
    size_t values_ = 0;
};

// Finds a NaN or ±Infinity; `path` is its place (built on the way back up).
bool findNonFinite(const json &j, std::string &path)
{
    if (j.is_number_float()) return !std::isfinite(j.get<double>());
    if (j.is_array()) {
        for (size_t i = 0; i < j.size(); ++i)
            if (findNonFinite(j[i], path)) {
                path = "/" + std::to_string(i) + path;
                return true;
            }
    } else if (j.is_object()) {
        for (const auto &[k, v] : j.items())
            if (findNonFinite(v, path)) {
                path = "/" + segment(k) + path;
                return true;
            }
    }
    return false;
}

}  // namespace

json parseLimited(std::string_view text, const JsonLimits &limits, const std::string &what)
{
    if (text.size() > limits.maxBytes)
        throw JsonError(what + " is not valid JSON: it is " + std::to_string(text.size()) +
                        " bytes, more than the limit of " + std::to_string(limits.maxBytes));
    // nlohmann skips a UTF-8 byte-order mark; RFC 8259 says a JSON text must not start with one.
    if (text.rfind("\xEF\xBB\xBF", 0) == 0)
        throw JsonError(what + " is not valid JSON: it starts with a byte-order mark (at byte 0)");
    // nlohmann's lexer takes a NUL byte for the end of the input and ignores what follows ("{}\0x" would
    // parse); JSON has no raw NUL anywhere (in a string it must be written \u0000).
    if (const size_t nul = text.find('\0'); nul != std::string_view::npos)
        throw JsonError(what + " is not valid JSON: a NUL byte (0x00) is not JSON text (at byte " + std::to_string(nul) + ")");
    json root;
    LimitedBuilder builder(root, limits, text, what);
    const char *first = text.data();
    if (!json::sax_parse(first, first + text.size(), &builder)) throw JsonError(what + " is not valid JSON");
    return root;
}

std::string dumpStrict(const json &j, int indent)
{
    std::string path;
    if (findNonFinite(j, path))
        throw JsonError("cannot write NaN or Infinity as JSON (at " + (path.empty() ? "the top level" : path) + ")");
    try {
        return j.dump(indent);
    } catch (const json::type_error &e) {  // 316: a string that is not UTF-8
        throw JsonError("cannot write a string that is not valid UTF-8 as JSON (" + problemText(e.what(), {}) + ")");
    }
}

const char *jsonTypeName(const json &j)
{
    switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::binary: return "binary data";
    case json::value_t::discarded: break;
    }
    return "nothing";
}

std::optional<int64_t> jsonInt64(const json &j)
{
    if (j.is_number_unsigned()) {
        const uint64_t u = j.get<uint64_t>();
        if (u > uint64_t(INT64_MAX)) return std::nullopt;
        return int64_t(u);
    }
    if (j.is_number_integer()) return j.get<int64_t>();
    return std::nullopt;
}

}  // namespace ael
