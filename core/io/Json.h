#pragma once
// A small JSON value (RFC 8259) with a strict parser and a round-tripping serializer.
//
// Values: null, bool, number, string, array, object. Object keys keep their insertion order, so a
// document parsed and dumped again keeps its key order. Strings hold UTF-8.
//
// Numbers are doubles. A number written as an integer literal (no '.', no exponent) that fits in
// int64 additionally keeps its exact integer value (isInteger(), asInt64()), so 2^53 + 1 or
// 9223372036854775807 survive a round trip; doubles are written in the shortest form that reads
// back bit-exactly (std::to_chars), and integral doubles print without ".0".
//
// The parser is strict: no trailing commas, no comments, no NaN/Infinity, no leading zeros, no
// unescaped control characters, no invalid UTF-8, no unpaired surrogates, no duplicate keys in an
// object, nothing but whitespace after the value; nesting and input size are limited. Every parse
// error is an ael::JsonError naming the byte offset where the problem was found.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace ael {

/// Thrown on parse errors (offset() is the byte offset into the input) and on misuse of a value
/// (wrong type, missing key, non-finite number or invalid UTF-8 in dump()); offset() is then npos.
class JsonError : public std::runtime_error {
public:
    static constexpr size_t npos = size_t(-1);
    explicit JsonError(const std::string &message, size_t offset = npos)
        : std::runtime_error(message), offset_(offset) {}
    size_t offset() const { return offset_; }

private:
    size_t offset_;
};

class Json {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };
    using Array = std::vector<Json>;
    using Member = std::pair<std::string, Json>;
    using Object = std::vector<Member>;  ///< insertion-ordered; keys are unique

    struct ParseOptions {
        int maxDepth = 64;                ///< arrays/objects nested deeper than this are rejected
        size_t maxBytes = 100'000'000;    ///< longer input is rejected before parsing starts
        size_t maxValues = SIZE_MAX;      ///< bounds memory: a value costs sizeof(Json) = 40 bytes
    };

    Json() = default;  ///< null
    Json(std::nullptr_t) {}
    Json(bool b) : v_(b) {}
    Json(double d) : v_(Number{d, 0, false}) {}
    Json(float f) : Json(double(f)) {}
    /// Any integer type except bool and char: keeps the exact value if it fits in int64.
    template <class I>
        requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>)
    Json(I i)
    {
        if constexpr (std::is_signed_v<I> || sizeof(I) < sizeof(int64_t))
            v_ = Number{double(i), int64_t(i), true};
        else
            v_ = Number{double(i), int64_t(i), uint64_t(i) <= uint64_t(INT64_MAX)};
    }
    Json(const char *s) : v_(std::string(s)) {}
    Json(std::string s) : v_(std::move(s)) {}
    Json(std::string_view s) : v_(std::string(s)) {}
    Json(Array a) : v_(std::move(a)) {}
    Json(Object o);  ///< throws JsonError on a duplicate key

    static Json array() { return Json(Array{}); }
    static Json object() { return Json(Object{}); }

    /// Parses a complete JSON text. Throws JsonError with the byte offset on any violation.
    static Json parse(std::string_view text, const ParseOptions &options);
    static Json parse(std::string_view text) { return parse(text, ParseOptions{}); }

    /// indent < 0: compact ({"a":[1,2]}); indent >= 0: one member per line, nested levels
    /// indented by `indent` more spaces, ": " after keys. Throws JsonError on NaN/Inf or a string
    /// that is not valid UTF-8.
    std::string dump(int indent = -1) const;

    Type type() const { return Type(v_.index()); }
    static const char *typeName(Type t);
    bool isNull() const { return type() == Type::Null; }
    bool isBool() const { return type() == Type::Bool; }
    bool isNumber() const { return type() == Type::Number; }
    bool isString() const { return type() == Type::String; }
    bool isArray() const { return type() == Type::Array; }
    bool isObject() const { return type() == Type::Object; }
    /// A number holding an exact int64: parsed from an integer literal (no '.', no exponent) within
    /// int64, or constructed from a C++ integer within int64. "2.0", "1e3" and Json(2.0) are not.
    bool isInteger() const;

    // Accessors throw JsonError when the value has another type.
    bool asBool() const;
    double asNumber() const;
    int64_t asInt64() const;  ///< throws unless isInteger()
    const std::string &asString() const;
    const Array &asArray() const;
    Array &asArray();
    const Object &asObject() const;
    Object &asObject();

    /// Number of elements of an array or members of an object; throws for other types.
    size_t size() const;
    /// Array element; throws JsonError if not an array or out of range.
    const Json &at(size_t i) const;
    Json &at(size_t i);

    /// Object member or nullptr if absent; throws JsonError if this is not an object.
    const Json *get(std::string_view key) const;
    Json *get(std::string_view key);
    bool contains(std::string_view key) const { return get(key) != nullptr; }
    /// Const: the member, throws JsonError if absent. Non-const: the member, inserted as null if
    /// absent (a null value first becomes an empty object).
    const Json &operator[](std::string_view key) const;
    Json &operator[](std::string_view key);
    /// Replaces the member's value in place or appends it; a null value first becomes an object.
    Json &set(std::string_view key, Json value);
    /// Appends to an array; a null value first becomes an array.
    Json &push(Json value);

    /// Deep equality. Object members are compared in order; numbers by value.
    friend bool operator==(const Json &a, const Json &b);

private:
    struct Number {
        double d = 0.0;
        int64_t i = 0;        ///< the exact value when hasInt
        bool hasInt = false;
    };
    friend class JsonParser;
    [[noreturn]] void typeMismatch(Type wanted) const;

    // Alternatives in the order of Type, so v_.index() is the Type.
    std::variant<std::nullptr_t, bool, Number, std::string, Array, Object> v_;
};

}  // namespace ael
