#pragma once
// JSON in the files the app reads and writes, with nlohmann/json. Values are nlohmann::ordered_json:
// an object keeps its members in the order they were written or parsed, so a file the app writes
// reads in a fixed, readable order.
//
// parseLimited() reads text that may be hostile. nlohmann's strict parser rejects what is not
// RFC 8259 JSON (comments, trailing commas, NaN/Infinity, leading zeros, unescaped control
// characters, invalid UTF-8, lone surrogates, numbers beyond a double's range, anything after the
// value). On top of that, parseLimited refuses a byte-order mark, a raw NUL byte (where nlohmann
// would stop reading and accept "{}\0garbage") and a duplicate key (nlohmann would keep the last one
// silently), and it bounds what a file can make it allocate: the text's length, the
// nesting depth, one string's length, one array's or object's entries, and the number of values.
//
// dumpStrict() is dump() for a file: NaN and ±Infinity (which nlohmann would write as null) and a
// string that is not UTF-8 are errors, not silent changes.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ael {

/// A JSON text that is not valid or exceeds a limit, or a value that cannot be written as JSON.
class JsonError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct JsonLimits {
    size_t maxBytes = 100'000'000;  ///< the whole text
    int maxDepth = 64;              ///< arrays/objects nested deeper are rejected ([[]] has depth 2)
    size_t maxStringBytes = SIZE_MAX;  ///< one string value or key
    size_t maxEntries = SIZE_MAX;   ///< elements of one array, members of one object
    size_t maxValues = SIZE_MAX;    ///< values in the whole text, arrays and objects included
};

/// Parses one complete JSON text. Throws JsonError("<what> is not valid JSON: <problem> (at ...)"),
/// where the place is a byte offset for a syntax error and a path such as /history/step/3 for a
/// limit or a duplicate key. Every part taken from the text is quoted printably.
nlohmann::ordered_json parseLimited(std::string_view text, const JsonLimits &limits, const std::string &what);

/// j.dump(indent) (indent < 0: compact), or JsonError naming the place of a non-finite number or the
/// string that is not valid UTF-8.
std::string dumpStrict(const nlohmann::ordered_json &j, int indent = -1);

/// "null", "a boolean", "a number", "a string", "an array", "an object", for messages.
const char *jsonTypeName(const nlohmann::ordered_json &j);

/// The exact value of an integer literal (no fraction, no exponent) within int64, else nothing.
/// "2.0", "1e3" and integers beyond int64 are not integers here (as for the reference's serde).
std::optional<int64_t> jsonInt64(const nlohmann::ordered_json &j);

}  // namespace ael
