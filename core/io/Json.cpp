#include "Json.h"

#include <charconv>
#include <cmath>
#include <unordered_set>

namespace ael {

namespace {

// Length of the valid UTF-8 sequence starting at p (at most `avail` bytes), or 0 if invalid.
// Follows RFC 3629 table 3-7: rejects overlong forms, UTF-16 surrogates and code points > U+10FFFF.
size_t utf8SequenceLength(const unsigned char *p, size_t avail)
{
    const unsigned char c = p[0];
    if (c < 0x80) return 1;
    auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return k < avail && p[k] >= lo && p[k] <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

void appendUtf8(std::string &out, uint32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

std::string hexByte(unsigned char c)
{
    static const char digits[] = "0123456789ABCDEF";
    return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

// A key for an error message: printable ASCII kept, other bytes as \xNN, cut after 60 bytes.
std::string preview(std::string_view key)
{
    std::string out = "\"";
    for (size_t i = 0; i < key.size() && i < 60; ++i) {
        const unsigned char c = static_cast<unsigned char>(key[i]);
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            out += char(c);
        } else {
            static const char digits[] = "0123456789ABCDEF";
            out += "\\x";
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    if (key.size() > 60) out += "...";
    return out + "\"";
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Parser

class JsonParser {
public:
    JsonParser(std::string_view text, const Json::ParseOptions &options) : s_(text), opt_(options) {}

    Json parseDocument()
    {
        if (s_.size() > opt_.maxBytes)
            fail(0, "input is " + std::to_string(s_.size()) + " bytes, more than the limit of " +
                        std::to_string(opt_.maxBytes));
        if (s_.size() >= 3 && s_.substr(0, 3) == "\xEF\xBB\xBF")
            fail(0, "a byte-order mark is not allowed at the start of JSON text");
        Json out;
        skipWs();
        parseValue(out, 0);
        skipWs();
        if (pos_ != s_.size()) fail(pos_, "unexpected " + describe(pos_) + " after the JSON value");
        return out;
    }

private:
    [[noreturn]] void fail(size_t at, const std::string &what) const
    {
        throw JsonError("JSON error at byte " + std::to_string(at) + ": " + what, at);
    }

    // "'x'", "byte 0xNN" or "end of input", for error messages.
    std::string describe(size_t at) const
    {
        if (at >= s_.size()) return "end of input";
        const unsigned char c = static_cast<unsigned char>(s_[at]);
        if (c >= 0x20 && c < 0x7F) return std::string("'") + char(c) + "'";
        return "byte " + hexByte(c);
    }

    bool atEnd() const { return pos_ >= s_.size(); }
    char peek() const { return atEnd() ? '\0' : s_[pos_]; }

    void skipWs()
    {
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            ++pos_;
        }
    }

    void countValue()
    {
        if (++values_ > opt_.maxValues)
            fail(pos_, "more than " + std::to_string(opt_.maxValues) + " values");
    }

    bool startsWith(std::string_view word) const { return s_.substr(pos_, word.size()) == word; }

    void parseValue(Json &out, int depth)
    {
        countValue();
        const char c = peek();
        if (c == '{') return parseObject(out, depth + 1);
        if (c == '[') return parseArray(out, depth + 1);
        if (c == '"') {
            std::string str;
            parseString(str);
            out.v_ = std::move(str);
            return;
        }
        if (c == '-' || isDigit(c)) {
            if (startsWith("-Infinity")) fail(pos_, "-Infinity is not valid JSON");
            return parseNumber(out);
        }
        if (startsWith("true")) {
            pos_ += 4;
            out.v_ = true;
            return;
        }
        if (startsWith("false")) {
            pos_ += 5;
            out.v_ = false;
            return;
        }
        if (startsWith("null")) {
            pos_ += 4;
            out.v_ = nullptr;
            return;
        }
        if (startsWith("NaN")) fail(pos_, "NaN is not valid JSON");
        if (startsWith("Infinity")) fail(pos_, "Infinity is not valid JSON");
        fail(pos_, "unexpected " + describe(pos_) + ", expected a JSON value");
    }

    void enter(int depth) const
    {
        if (depth > opt_.maxDepth)
            fail(pos_, "arrays/objects nested deeper than " + std::to_string(opt_.maxDepth) + " levels");
    }

    void parseArray(Json &out, int depth)
    {
        enter(depth);
        ++pos_;  // '['
        Json::Array arr;
        skipWs();
        if (peek() == ']') {
            ++pos_;
            out.v_ = std::move(arr);
            return;
        }
        for (;;) {
            skipWs();
            if (peek() == ']') fail(pos_, "trailing comma before ']'");
            arr.emplace_back();
            parseValue(arr.back(), depth);
            skipWs();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() == ']') {
                ++pos_;
                break;
            }
            fail(pos_, "expected ',' or ']' after an array element, found " + describe(pos_));
        }
        out.v_ = std::move(arr);
    }

    void parseObject(Json &out, int depth)
    {
        enter(depth);
        ++pos_;  // '{'
        Json::Object obj;
        std::unordered_set<std::string> keys;  // used once the object outgrows linear search
        skipWs();
        if (peek() == '}') {
            ++pos_;
            out.v_ = std::move(obj);
            return;
        }
        for (;;) {
            skipWs();
            if (peek() == '}') fail(pos_, "trailing comma before '}'");
            if (peek() != '"') fail(pos_, "expected a string key, found " + describe(pos_));
            const size_t keyPos = pos_;
            std::string key;
            parseString(key);
            bool duplicate = false;
            if (obj.size() < 16) {
                for (const auto &m : obj) duplicate = duplicate || m.first == key;
            } else {
                if (keys.empty())
                    for (const auto &m : obj) keys.insert(m.first);
                duplicate = !keys.insert(key).second;
            }
            if (duplicate) fail(keyPos, "duplicate key " + preview(key));
            skipWs();
            if (peek() != ':') fail(pos_, "expected ':' after an object key, found " + describe(pos_));
            ++pos_;
            skipWs();
            obj.emplace_back(std::move(key), Json());
            parseValue(obj.back().second, depth);
            skipWs();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() == '}') {
                ++pos_;
                break;
            }
            fail(pos_, "expected ',' or '}' after an object member, found " + describe(pos_));
        }
        out.v_ = std::move(obj);
    }

    uint32_t parseHex4()
    {
        if (s_.size() - pos_ < 4) fail(pos_, "truncated \\u escape");
        uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[pos_ + size_t(k)];
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else fail(pos_ + size_t(k), "invalid hex digit " + describe(pos_ + size_t(k)) + " in \\u escape");
            v = v * 16 + uint32_t(d);
        }
        pos_ += 4;
        return v;
    }

    // pos_ is at the opening quote; leaves pos_ after the closing quote.
    void parseString(std::string &out)
    {
        const size_t start = pos_;
        ++pos_;
        for (;;) {
            // Copy the run of plain ASCII in one go.
            const size_t runStart = pos_;
            while (pos_ < s_.size()) {
                const unsigned char c = static_cast<unsigned char>(s_[pos_]);
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
                ++pos_;
            }
            out.append(s_.data() + runStart, pos_ - runStart);
            if (atEnd()) fail(start, "unterminated string");
            const unsigned char c = static_cast<unsigned char>(s_[pos_]);
            if (c == '"') {
                ++pos_;
                return;
            }
            if (c < 0x20) fail(pos_, "unescaped control character " + hexByte(c) + " in string");
            if (c >= 0x80) {
                const size_t n = utf8SequenceLength(reinterpret_cast<const unsigned char *>(s_.data()) + pos_,
                                                    s_.size() - pos_);
                if (n == 0) fail(pos_, "invalid UTF-8 byte " + hexByte(c) + " in string");
                out.append(s_.data() + pos_, n);
                pos_ += n;
                continue;
            }
            // Backslash escape.
            const size_t escPos = pos_;
            ++pos_;
            if (atEnd()) fail(start, "unterminated string");
            const char e = s_[pos_++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                uint32_t cp = parseHex4();
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    fail(escPos, "unpaired low surrogate \\u" + std::string(s_.substr(escPos + 2, 4)));
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (!(startsWith("\\u")))
                        fail(escPos, "high surrogate \\u" + std::string(s_.substr(escPos + 2, 4)) +
                                         " is not followed by a low surrogate");
                    pos_ += 2;
                    const uint32_t lo = parseHex4();
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        fail(escPos, "high surrogate \\u" + std::string(s_.substr(escPos + 2, 4)) +
                                         " is not followed by a low surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                appendUtf8(out, cp);
                break;
            }
            default:
                fail(escPos, "invalid escape '\\" + (static_cast<unsigned char>(e) >= 0x20 && e != 0x7F
                                                          ? std::string(1, e)
                                                          : hexByte(static_cast<unsigned char>(e))) +
                                 "' in string");
            }
        }
    }

    // RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    void parseNumber(Json &out)
    {
        const size_t start = pos_;
        bool integerLiteral = true;
        if (peek() == '-') ++pos_;
        if (peek() == '0') {
            ++pos_;
            if (isDigit(peek())) fail(start, "leading zeros are not allowed in numbers");
        } else if (isDigit(peek())) {
            while (isDigit(peek())) ++pos_;
        } else {
            fail(pos_, "expected a digit after '-', found " + describe(pos_));
        }
        const size_t intEnd = pos_;
        if (peek() == '.') {
            integerLiteral = false;
            ++pos_;
            if (!isDigit(peek())) fail(pos_, "expected a digit after the decimal point, found " + describe(pos_));
            while (isDigit(peek())) ++pos_;
        }
        const size_t mantissaEnd = pos_;
        int64_t exponent = 0;
        if (peek() == 'e' || peek() == 'E') {
            integerLiteral = false;
            ++pos_;
            bool negative = false;
            if (peek() == '+' || peek() == '-') negative = s_[pos_++] == '-';
            if (!isDigit(peek())) fail(pos_, "expected a digit in the exponent, found " + describe(pos_));
            while (isDigit(peek())) {
                if (exponent < 1'000'000'000) exponent = exponent * 10 + (s_[pos_] - '0');
                ++pos_;
            }
            if (negative) exponent = -exponent;
        }
        const char *first = s_.data() + start;
        const char *last = s_.data() + pos_;

        Json::Number num;
        if (integerLiteral && s_.substr(start, intEnd - start) != "-0") {  // "-0" stays a double
            int64_t i = 0;
            const auto r = std::from_chars(first, last, i);
            if (r.ec == std::errc() && r.ptr == last) {
                num.i = i;
                num.hasInt = true;
            }
        }
        double d = 0.0;
        const auto r = std::from_chars(first, last, d);  // locale-independent, correctly rounded
        if (r.ec == std::errc::result_out_of_range) {
            // Decide between overflow and underflow from the decimal exponent of the first
            // significant digit: mantissa digits ddd.fff * 10^exponent.
            int64_t sig = 0;  // exponent of the leading nonzero digit
            bool found = false;
            size_t k = start + (s_[start] == '-' ? 1 : 0);
            int64_t intDigits = int64_t(intEnd - k);
            int64_t idx = 0;
            for (; k < mantissaEnd; ++k) {
                if (s_[k] == '.') continue;
                if (s_[k] != '0') {
                    sig = (intDigits - 1 - idx) + exponent;
                    found = true;
                    break;
                }
                ++idx;
            }
            if (found && sig >= 0)
                fail(start, "number " + std::string(first, size_t(std::min<ptrdiff_t>(last - first, 40))) +
                                " is outside the range of a double");
            d = s_[start] == '-' ? -0.0 : 0.0;  // underflow: rounds to zero
        } else if (r.ec != std::errc() || r.ptr != last) {
            fail(start, "malformed number");
        }
        num.d = d;
        out.v_ = num;
    }

    std::string_view s_;
    const Json::ParseOptions &opt_;
    size_t pos_ = 0;
    size_t values_ = 0;
};

Json Json::parse(std::string_view text, const ParseOptions &options)
{
    JsonParser p(text, options);
    return p.parseDocument();
}

// ---------------------------------------------------------------------------------------------
// Serializer

namespace {

void dumpString(const std::string &s, std::string &out)
{
    out += '"';
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const size_t n = s.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c >= 0x80) {
            const size_t len = utf8SequenceLength(p + i, n - i);
            if (len == 0)
                throw JsonError("cannot write a string that is not valid UTF-8 (byte " + hexByte(c) +
                                " at offset " + std::to_string(i) + ")");
            out.append(s, i, len);
            i += len;
            continue;
        }
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                static const char digits[] = "0123456789abcdef";
                out += "\\u00";
                out += digits[c >> 4];
                out += digits[c & 15];
            } else {
                out += char(c);
            }
        }
        ++i;
    }
    out += '"';
}

void newline(std::string &out, int indent, int level)
{
    out += '\n';
    out.append(size_t(indent) * size_t(level), ' ');
}

void dumpValue(const Json &v, std::string &out, int indent, int level)
{
    switch (v.type()) {
    case Json::Type::Null: out += "null"; return;
    case Json::Type::Bool: out += v.asBool() ? "true" : "false"; return;
    case Json::Type::Number: {
        char buf[64];
        std::to_chars_result r;
        const double d = v.asNumber();
        if (v.isInteger()) {
            r = std::to_chars(buf, buf + sizeof buf, v.asInt64());
        } else {
            if (!std::isfinite(d)) throw JsonError("cannot write NaN or Infinity as JSON");
            // The shortest form that reads back exactly; integral values print without ".0".
            r = std::to_chars(buf, buf + sizeof buf, d);
        }
        out.append(buf, r.ptr);
        return;
    }
    case Json::Type::String: dumpString(v.asString(), out); return;
    case Json::Type::Array: {
        const auto &a = v.asArray();
        out += '[';
        for (size_t k = 0; k < a.size(); ++k) {
            if (k) out += ',';
            if (indent >= 0) newline(out, indent, level + 1);
            dumpValue(a[k], out, indent, level + 1);
        }
        if (indent >= 0 && !a.empty()) newline(out, indent, level);
        out += ']';
        return;
    }
    case Json::Type::Object: {
        const auto &o = v.asObject();
        out += '{';
        for (size_t k = 0; k < o.size(); ++k) {
            if (k) out += ',';
            if (indent >= 0) newline(out, indent, level + 1);
            dumpString(o[k].first, out);
            out += indent >= 0 ? ": " : ":";
            dumpValue(o[k].second, out, indent, level + 1);
        }
        if (indent >= 0 && !o.empty()) newline(out, indent, level);
        out += '}';
        return;
    }
    }
}

}  // namespace

std::string Json::dump(int indent) const
{
    std::string out;
    dumpValue(*this, out, indent, 0);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Value access

Json::Json(Object o)
{
    std::unordered_set<std::string_view> keys;
    for (const auto &m : o)
        if (!keys.insert(m.first).second)
            throw JsonError("duplicate key " + preview(m.first) + " in JSON object");
    v_ = std::move(o);
}

const char *Json::typeName(Type t)
{
    switch (t) {
    case Type::Null: return "null";
    case Type::Bool: return "a boolean";
    case Type::Number: return "a number";
    case Type::String: return "a string";
    case Type::Array: return "an array";
    case Type::Object: return "an object";
    }
    return "?";
}

void Json::typeMismatch(Type wanted) const
{
    throw JsonError(std::string("JSON value is ") + typeName(type()) + ", expected " + typeName(wanted));
}

bool Json::isInteger() const
{
    const auto *n = std::get_if<Number>(&v_);
    return n && n->hasInt;
}

bool Json::asBool() const
{
    if (!isBool()) typeMismatch(Type::Bool);
    return std::get<bool>(v_);
}

double Json::asNumber() const
{
    if (!isNumber()) typeMismatch(Type::Number);
    return std::get<Number>(v_).d;
}

int64_t Json::asInt64() const
{
    if (!isNumber()) typeMismatch(Type::Number);
    if (!isInteger()) throw JsonError("JSON number " + dump() + " is not an integer literal within 64 bits");
    return std::get<Number>(v_).i;
}

const std::string &Json::asString() const
{
    if (!isString()) typeMismatch(Type::String);
    return std::get<std::string>(v_);
}

const Json::Array &Json::asArray() const
{
    if (!isArray()) typeMismatch(Type::Array);
    return std::get<Array>(v_);
}

Json::Array &Json::asArray()
{
    if (!isArray()) typeMismatch(Type::Array);
    return std::get<Array>(v_);
}

const Json::Object &Json::asObject() const
{
    if (!isObject()) typeMismatch(Type::Object);
    return std::get<Object>(v_);
}

Json::Object &Json::asObject()
{
    if (!isObject()) typeMismatch(Type::Object);
    return std::get<Object>(v_);
}

size_t Json::size() const
{
    if (isArray()) return std::get<Array>(v_).size();
    if (isObject()) return std::get<Object>(v_).size();
    throw JsonError(std::string("size() of JSON value that is ") + typeName(type()) +
                    ", expected an array or an object");
}

const Json &Json::at(size_t i) const
{
    const auto &a = asArray();
    if (i >= a.size())
        throw JsonError("JSON array index " + std::to_string(i) + " out of range (size " +
                        std::to_string(a.size()) + ")");
    return a[i];
}

Json &Json::at(size_t i)
{
    return const_cast<Json &>(static_cast<const Json &>(*this).at(i));
}

const Json *Json::get(std::string_view key) const
{
    for (const auto &m : asObject())
        if (m.first == key) return &m.second;
    return nullptr;
}

Json *Json::get(std::string_view key)
{
    return const_cast<Json *>(static_cast<const Json &>(*this).get(key));
}

const Json &Json::operator[](std::string_view key) const
{
    const Json *v = get(key);
    if (!v) throw JsonError("JSON object has no key " + preview(key));
    return *v;
}

Json &Json::operator[](std::string_view key)
{
    if (isNull()) v_ = Object{};
    if (Json *v = get(key)) return *v;
    auto &o = asObject();
    o.emplace_back(std::string(key), Json());
    return o.back().second;
}

Json &Json::set(std::string_view key, Json value)
{
    (*this)[key] = std::move(value);
    return *this;
}

Json &Json::push(Json value)
{
    if (isNull()) v_ = Array{};
    asArray().push_back(std::move(value));
    return *this;
}

bool operator==(const Json &a, const Json &b)
{
    if (a.type() != b.type()) return false;
    switch (a.type()) {
    case Json::Type::Null: return true;
    case Json::Type::Bool: return a.asBool() == b.asBool();
    case Json::Type::Number: {
        const auto &x = std::get<Json::Number>(a.v_);
        const auto &y = std::get<Json::Number>(b.v_);
        if (x.hasInt && y.hasInt) return x.i == y.i;
        return x.d == y.d;
    }
    case Json::Type::String: return a.asString() == b.asString();
    case Json::Type::Array: return a.asArray() == b.asArray();
    case Json::Type::Object: return a.asObject() == b.asObject();
    }
    return false;
}

}  // namespace ael
