// JSON of the file formats (core/io/JsonLimits.h): nlohmann's ordered_json read through parseLimited
// (strict, limited, duplicate keys rejected) and written through dumpStrict.
#include "core/io/JsonLimits.h"

#include <QtTest>

#include <bit>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>
#include <string>

using namespace ael;
using json = nlohmann::ordered_json;

namespace {

QByteArray bytes(const std::string &s) { return QByteArray(s.data(), qsizetype(s.size())); }

json parse(const std::string &text, const JsonLimits &limits = {}) { return parseLimited(text, limits, "the text"); }

/// The message of the JsonError thrown by parsing `text`, or an empty string if it parses.
std::string parseError(const std::string &text, const JsonLimits &limits = {})
{
    try {
        parse(text, limits);
    } catch (const JsonError &e) {
        return e.what();
    }
    return {};
}

bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

std::string nest(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

class TestJson : public QObject {
    Q_OBJECT

private slots:
    void scalars()
    {
        QVERIFY(parse("null").is_null());
        QCOMPARE(parse("true").get<bool>(), true);
        QCOMPARE(parse("false").get<bool>(), false);
        QCOMPARE(parse(" \t\r\n42 \n").get<double>(), 42.0);
        QCOMPARE(parse("\"hi\"").get<std::string>(), std::string("hi"));
        QVERIFY(parse("[]").is_array());
        QVERIFY(parse("{}").is_object());
        QCOMPARE(parse("[]").size(), size_t(0));
        QCOMPARE(std::string(jsonTypeName(parse("{}"))), std::string("an object"));
        QCOMPARE(std::string(jsonTypeName(parse("-3"))), std::string("a number"));
    }

    // Parsing then dumping compactly gives the canonical text; dumping that again is stable.
    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("compact");
        QTest::newRow("nested") << QByteArray(R"( { "a" : [ 1 , 2.5 , { } , [ ] ] , "b" : null } )")
                                << QByteArray(R"({"a":[1,2.5,{},[]],"b":null})");
        QTest::newRow("literals") << QByteArray("[true,false,null]") << QByteArray("[true,false,null]");
        // moc mis-lexes \" and \) inside raw strings, so those rows use ordinary literals.
        QTest::newRow("string") << QByteArray("\"a\\\"b\\\\c\\/d\"") << QByteArray("\"a\\\"b\\\\c/d\"");
        QTest::newRow("controls") << QByteArray(R"("\b\f\n\r\t\u0001\u001f")")
                                  << QByteArray(R"("\b\f\n\r\t\u0001\u001f")");
        QTest::newRow("unicode escapes to raw UTF-8")
            << QByteArray(R"("\u00e9\u4e2d\ud83d\ude00")") << QByteArray("\"\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\"");
        QTest::newRow("raw UTF-8 kept") << QByteArray("\"\xC3\xA9\"") << QByteArray("\"\xC3\xA9\"");
        QTest::newRow("DEL kept") << QByteArray("\"\x7F\"") << QByteArray("\"\x7F\"");
        QTest::newRow("NUL escape") << QByteArray(R"("a\u0000b")") << QByteArray(R"("a\u0000b")");
        QTest::newRow("key order kept") << QByteArray(R"({"z":1,"a":2,"m":3})") << QByteArray(R"({"z":1,"a":2,"m":3})");
        QTest::newRow("numbers") << QByteArray("[0,-1,1e-7,0.1,1E2,-0.0,2.50,1e+300]")
                                 << QByteArray("[0,-1,1e-07,0.1,100.0,-0.0,2.5,1e+300]");
        QTest::newRow("underflow to zero") << QByteArray("[1e-400,-1e-400]") << QByteArray("[0.0,-0.0]");
    }
    void roundTrip()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, compact);
        const json v = parse(input.toStdString());
        QCOMPARE(bytes(dumpStrict(v)), compact);
        const json again = parse(dumpStrict(v));
        QVERIFY(again == v);
        QCOMPARE(bytes(dumpStrict(again)), compact);
        QVERIFY(parse(dumpStrict(v, 2)) == v);
        QVERIFY(parse(dumpStrict(v, 0)) == v);
    }

    void numbers_data()
    {
        QTest::addColumn<QByteArray>("literal");
        QTest::addColumn<double>("value");
        QTest::addColumn<QByteArray>("dumped");
        QTest::newRow("1e-7") << QByteArray("1e-7") << 1e-7 << QByteArray("1e-07");
        QTest::newRow("0.1") << QByteArray("0.1") << 0.1 << QByteArray("0.1");
        QTest::newRow("1/3") << QByteArray("0.3333333333333333") << 1.0 / 3.0 << QByteArray("0.3333333333333333");
        QTest::newRow("integral double") << QByteArray("4.0") << 4.0 << QByteArray("4.0");
        QTest::newRow("1e20") << QByteArray("1e20") << 1e20 << QByteArray("1e+20");
        QTest::newRow("max double") << QByteArray("1.7976931348623157e308") << std::numeric_limits<double>::max()
                                    << QByteArray("1.7976931348623157e+308");
        QTest::newRow("min denormal") << QByteArray("5e-324") << std::numeric_limits<double>::denorm_min()
                                      << QByteArray("5e-324");
        QTest::newRow("float 0.1f") << QByteArray("0.10000000149011612") << double(0.1f)
                                    << QByteArray("0.10000000149011612");
    }
    void numbers()
    {
        QFETCH(QByteArray, literal);
        QFETCH(double, value);
        QFETCH(QByteArray, dumped);
        const json v = parse(literal.toStdString());
        QCOMPARE(std::bit_cast<uint64_t>(v.get<double>()), std::bit_cast<uint64_t>(value));
        QCOMPARE(bytes(dumpStrict(v)), dumped);
        QCOMPARE(bytes(dumpStrict(json(value))), dumped);
    }

    // Integer literals keep their exact value where a double cannot hold it; jsonInt64 reads them.
    void largeIntegers()
    {
        const json a = parse("9007199254740993");  // 2^53 + 1
        QCOMPARE(jsonInt64(a), std::optional<int64_t>(9007199254740993));
        QCOMPARE(dumpStrict(a), std::string("9007199254740993"));
        const json m = parse("[9223372036854775807,-9223372036854775808]");
        QCOMPARE(jsonInt64(m[0]), std::optional<int64_t>(std::numeric_limits<int64_t>::max()));
        QCOMPARE(jsonInt64(m[1]), std::optional<int64_t>(std::numeric_limits<int64_t>::min()));
        QCOMPARE(dumpStrict(m), std::string("[9223372036854775807,-9223372036854775808]"));
        // All of uint64 is exact too, but beyond int64 for jsonInt64.
        const json u = parse("18446744073709551615");
        QCOMPARE(u.get<uint64_t>(), std::numeric_limits<uint64_t>::max());
        QVERIFY(!jsonInt64(u));
        // Beyond 64 bits the value is a double.
        const json big = parse("18446744073709551616");
        QVERIFY(big.is_number_float());
        QCOMPARE(big.get<double>(), 18446744073709551616.0);
        QVERIFY(!jsonInt64(big));
        QCOMPARE(jsonInt64(parse("-1")), std::optional<int64_t>(-1));
        QVERIFY(!jsonInt64(parse("2.5")));
        QVERIFY(!jsonInt64(parse("2.0")));  // integers are integer literals, as in serde
        QVERIFY(!jsonInt64(parse("1e3")));
        QVERIFY(!jsonInt64(parse("\"1\"")));
        QVERIFY(std::signbit(parse("-0.0").get<double>()));
        QCOMPARE(dumpStrict(json(uint64_t(1) << 60)), std::string("1152921504606846976"));
    }

    // Any finite double survives dump -> parse bit-exactly.
    void doubleRoundTripRandom()
    {
        std::mt19937_64 gen(1234);
        for (int k = 0; k < 20000; ++k) {
            const double d = std::bit_cast<double>(gen());
            if (!std::isfinite(d)) continue;
            const std::string s = dumpStrict(json(d));
            const double back = parse(s).get<double>();
            if (std::bit_cast<uint64_t>(back) != std::bit_cast<uint64_t>(d))
                QFAIL(qPrintable(QString::fromStdString("double " + s + " did not round-trip")));
        }
        for (int k = 0; k < 20000; ++k) {
            const float f = std::bit_cast<float>(uint32_t(gen()));
            if (!std::isfinite(f)) continue;
            QCOMPARE(float(parse(dumpStrict(json(double(f)))).get<double>()), f);
        }
    }

    void escapesDecoded()
    {
        QCOMPARE(parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"").get<std::string>(), std::string("\"\\/\b\f\n\r\t"));
        QCOMPARE(parse(R"("\u0041\u00E9")").get<std::string>(), std::string("A\xC3\xA9"));
        QCOMPARE(parse(R"("\uD834\uDD1E")").get<std::string>(), std::string("\xF0\x9D\x84\x9E"));  // U+1D11E
        QCOMPARE(parse(R"("\uDBFF\uDFFF")").get<std::string>(), std::string("\xF4\x8F\xBF\xBF"));  // U+10FFFF
        QCOMPARE(parse(R"("\u0000")").get<std::string>(), std::string(1, '\0'));
        QCOMPARE(dumpStrict(json(std::string("tab\there\x01"))), std::string(R"("tab\there\u0001")"));
    }

    // The indented form the app writes (e.g. bench results): one member per line, ": " after keys.
    void prettyPrint()
    {
        const json v = {{"name", "ae"}, {"layers", {784, 32}}, {"empty", json::array()}, {"meta", json::object()}};
        QCOMPARE(dumpStrict(v, 2), std::string("{\n"
                                               "  \"name\": \"ae\",\n"
                                               "  \"layers\": [\n"
                                               "    784,\n"
                                               "    32\n"
                                               "  ],\n"
                                               "  \"empty\": [],\n"
                                               "  \"meta\": {}\n"
                                               "}"));
        QCOMPARE(dumpStrict(v), std::string(R"({"name":"ae","layers":[784,32],"empty":[],"meta":{}})"));
    }

    // Every malformation: a message naming the problem and where it is.
    void errors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("where");
        const auto row = [](const char *name, const QByteArray &text, const char *message, const char *where) {
            QTest::newRow(name) << text << QString(message) << QString(where);
        };
        row("empty", "", "unexpected end of input; expected '[', '{', or a literal", "(at byte 0)");
        row("only whitespace", "   ", "unexpected end of input", "(at byte 3)");
        row("trailing comma array", "[1,2,]", "unexpected ']'; expected '[', '{', or a literal", "(at byte 5)");
        row("trailing comma object", R"({"a":1,})", "parsing object key - unexpected '}'", "(at byte 7)");
        row("leading comma", "[,1]", "unexpected ','", "(at byte 1)");
        row("double comma", "[1,,2]", "unexpected ','", "(at byte 3)");
        row("missing comma", "[1 2]", "parsing array - unexpected number literal; expected ']'", "(at byte 3)");
        row("unclosed array", "[1", "parsing array - unexpected end of input; expected ']'", "(at byte 2)");
        row("unclosed object", R"({"a":1)", "parsing object - unexpected end of input; expected '}'", "(at byte 6)");
        row("missing colon", R"({"a" 1})", "expected ':'", "(at byte 5)");
        row("unquoted key", "{a:1}", "parsing object key - invalid literal", "(at byte 1)");
        row("single quotes", "['a']", "invalid literal; last read: '[\\x27'", "(at byte 1)");
        row("unterminated string", "[\"abc", "invalid string: missing closing quote", "(at byte 5)");
        row("unterminated after backslash", "\"abc\\", "forbidden character after backslash", "(at byte 5)");
        row("bad escape", R"("a\qb")", "forbidden character after backslash; last read: '\"a\\x5Cq'", "(at byte 3)");
        row("bad escape x", R"("\x41")", "forbidden character after backslash", "(at byte 2)");
        row("bad hex", R"("\u12G4")", "'\\u' must be followed by 4 hex digits", "(at byte 5)");
        row("short \\u", R"("\u12")", "'\\u' must be followed by 4 hex digits", "(at byte 5)");
        row("lone high surrogate", R"("\ud800x")", "surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF", "(at byte 7)");
        row("high + non-low", R"("\ud800\u0041")", "must be followed by U+DC00..U+DFFF", "(at byte 12)");
        row("lone low surrogate", R"("\udc00")", "surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF", "(at byte 6)");
        row("raw control char", "\"a\nb\"", "control character U+000A (LF) must be escaped", "(at byte 2)");
        row("invalid UTF-8", "\"\xFF\"", "ill-formed UTF-8 byte; last read: '\"\\xFF'", "(at byte 1)");
        row("invalid UTF-8 in a key", "{\"a\xFF\":1}", "ill-formed UTF-8 byte", "(at byte 3)");
        row("overlong UTF-8", "\"\xC0\xAF\"", "ill-formed UTF-8 byte", "(at byte 1)");
        row("UTF-8 surrogate", "\"\xED\xA0\x80\"", "ill-formed UTF-8 byte", "(at byte 2)");
        row("truncated UTF-8", "\"\xE4\xB8\"", "ill-formed UTF-8 byte", "(at byte 3)");
        row("beyond U+10FFFF", "\"\xF4\x90\x80\x80\"", "ill-formed UTF-8 byte", "(at byte 2)");
        row("byte-order mark", "\xEF\xBB\xBF{}", "starts with a byte-order mark", "(at byte 0)");
        row("NaN", "NaN", "NaN is not a JSON number (JSON numbers are finite)", "(at byte 0)");
        row("NaN in array", "[1,NaN]", "NaN is not a JSON number", "(at byte 3)");
        row("Infinity", "Infinity", "Infinity is not a JSON number", "(at byte 0)");
        row("-Infinity", "[-Infinity]", "-Infinity is not a JSON number", "(at byte 2)");
        row("number overflow", "1e400", "number overflow parsing '1e400' (beyond the range of a double)", "(at byte 4)");
        row("big mantissa overflow", "[123456789e301]", "number overflow parsing '123456789e301'", "(at byte 13)");
        row("huge number", QByteArray("[1") + QByteArray(400, '0') + "]", "number overflow parsing '...0000", "(at byte 401)");
        row("leading zero", "012", "unexpected number literal; expected end of input", "(at byte 2)");
        row("negative leading zero", "-01", "unexpected number literal; expected end of input", "(at byte 2)");
        row("plus sign", "+1", "invalid literal; last read: '+'", "(at byte 0)");
        row("bare minus", "-", "invalid number; expected digit after '-'", "(at byte 1)");
        row("leading dot", ".5", "invalid literal; last read: '.'", "(at byte 0)");
        row("trailing dot", "1.", "invalid number; expected digit after '.'", "(at byte 2)");
        row("empty exponent", "1e", "expected '+', '-', or digit after exponent", "(at byte 2)");
        row("exponent sign only", "1e+", "expected digit after exponent sign", "(at byte 3)");
        row("hex number", "0x10", "expected end of input", "(at byte 1)");
        row("garbage after value", "{} x", "invalid literal; last read: '{} x'; expected end of input", "(at byte 3)");
        row("trailing garbage after a document", R"({"a":[1,2]}]])", "unexpected ']'; expected end of input", "(at byte 11)");
        row("two values", "1 2", "unexpected number literal; expected end of input", "(at byte 2)");
        row("NUL after value", QByteArray("1\0", 2), "a NUL byte (0x00) is not JSON text", "(at byte 1)");
        row("NUL then garbage", QByteArray("{}\0garbage", 10), "a NUL byte (0x00) is not JSON text", "(at byte 2)");
        row("misspelt true", "tru", "invalid literal; last read: 'tru'", "(at byte 3)");
        row("capital True", "True", "invalid literal; last read: 'T'", "(at byte 0)");
        row("comment", "[1 /* c */]", "invalid literal", "(at byte 3)");
        row("form feed whitespace", "\f1", "invalid literal", "(at byte 0)");
        // Duplicate keys: nlohmann alone would keep the last value.
        row("duplicate key", R"({"a":1,"a":2})", "duplicate key 'a'", "at the top level");
        row("duplicate key, nested", R"({"x":{"y":[0,{"b":1,"c":2,"b":3}]}})", "duplicate key 'b'", "in /x/y/1");
        row("duplicate key, written with an escape", R"({"a":1,"\u0061":2})", "duplicate key 'a'", "at the top level");
        row("duplicate key among many",
            R"({"k0":0,"k1":0,"k2":0,"k3":0,"k4":0,"k5":0,"k6":0,"k7":0,"k8":0,"k9":0,"k3":0})", "duplicate key 'k3'",
            "at the top level");
        // Nesting: 100,000 levels stop at the limit.
        row("depth 10^5 arrays", QByteArray::fromStdString(nest(100000)), "nested deeper than 64 levels", "in .../0/0/0");
        row("depth 10^5 objects", QByteArray("{\"a\":").repeated(100000), "nested deeper than 64 levels", "in .../a/a/a");
    }
    void errors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        QFETCH(QString, where);
        const std::string what = parseError(text.toStdString());
        QVERIFY2(!what.empty(), "parsed without error");
        QVERIFY2(what.rfind("the text is not valid JSON: ", 0) == 0, what.c_str());
        QVERIFY2(contains(what, message.toStdString()), what.c_str());
        QVERIFY2(contains(what, where.toStdString()), what.c_str());
        for (unsigned char c : what) QVERIFY2(c >= 0x20 && c < 0x7F, what.c_str());  // printable, whatever the input
        QVERIFY(what.size() < 600);
    }

    // Keys may repeat in different objects, and differ only by case or by escapes that decode differently.
    void distinctKeysAccepted()
    {
        const json v = parse(R"({"a":{"a":1},"b":[{"a":1},{"a":2}],"A":0,"\u00e9":1,"e\u0301":2})");
        QCOMPARE(v.size(), size_t(5));
        QCOMPARE(v["b"][1]["a"].get<int>(), 2);
    }

    void depthLimit()
    {
        QVERIFY(parse(nest(64)).is_array());
        QVERIFY(contains(parseError(nest(65)), "nested deeper than 64 levels"));
        // A depth bomb fails at the limit instead of exhausting the stack.
        std::string bomb;
        for (int k = 0; k < 1'000'000; ++k) bomb += "{\"a\":[";
        QVERIFY(contains(parseError(bomb), "nested deeper than 64 levels"));
        // Mixed objects and arrays count alike.
        std::string mixed;
        for (int k = 0; k < 32; ++k) mixed += "{\"a\":[";
        for (int k = 0; k < 32; ++k) mixed += "]}";
        QVERIFY(parse(mixed).is_object());
        JsonLimits shallow;
        shallow.maxDepth = 2;
        QVERIFY(!parse("[[]]", shallow).is_null());
        QVERIFY(contains(parseError("[[[]]]", shallow), "deeper than 2 levels in /0"));
    }

    void sizeLimits()
    {
        JsonLimits o;
        o.maxBytes = 10;
        QVERIFY(!parse("[1,2,3,4]", o).is_null());
        QVERIFY(contains(parseError("[1,2,3,4,5]", o), "it is 11 bytes, more than the limit of 10"));
        JsonLimits v;
        v.maxValues = 4;
        QVERIFY(!parse("[1,2,3]", v).is_null());  // the array and three numbers
        QVERIFY(contains(parseError("[1,2,3,4]", v), "more than 4 values at the top level"));
        QVERIFY(!parse(R"({"a":[],"b":{},"c":1})", v).is_null());
        QVERIFY(contains(parseError(R"({"a":[],"b":{},"c":1,"d":2})", v), "more than 4 values at the top level"));
        JsonLimits e;
        e.maxEntries = 3;
        QVERIFY(!parse(R"([[1,2,3],{"a":1,"b":2,"c":3}])", e).is_null());
        QVERIFY(contains(parseError(R"({"x":[1,2,3,4]})", e), "more than 3 elements in an array in /x"));
        QVERIFY(contains(parseError(R"([{"a":1,"b":2,"c":3,"d":4}])", e), "more than 3 members in an object in /0"));
        JsonLimits s;
        s.maxStringBytes = 4;
        QVERIFY(!parse(R"({"abcd":"wxyz"})", s).is_null());
        QVERIFY(contains(parseError(R"({"k":["abcde"]})", s), "a string of 5 bytes, more than the limit of 4 in /k"));
        QVERIFY(contains(parseError(R"({"abcde":1})", s), "a key of 5 bytes, more than the limit of 4 at the top level"));
    }

    void dumpRejectsWhatJsonCannotHold()
    {
        const auto dumpError = [](const json &j) {
            try {
                dumpStrict(j);
            } catch (const JsonError &e) {
                return std::string(e.what());
            }
            return std::string();
        };
        const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
        QCOMPARE(dumpError(json(nan)), std::string("cannot write NaN or Infinity as JSON (at the top level)"));
        QCOMPARE(dumpError(json{{"a", 1}, {"b", {0.5, -inf}}}), std::string("cannot write NaN or Infinity as JSON (at /b/1)"));
        QVERIFY(contains(dumpError(json(std::string("\xFF"))), "cannot write a string that is not valid UTF-8"));
        QVERIFY(contains(dumpError(json{{"k", std::string("a\xC3")}}), "not valid UTF-8"));  // truncated sequence
        QVERIFY(contains(dumpError(json{{std::string("\xFF"), 1}}), "not valid UTF-8"));     // in a key
        QCOMPARE(dumpError(json{{"ok", {1.5, nullptr, "x"}}}), std::string());
    }

    // A big string (e.g. a model's architecture JSON stored as a metadata value) round-trips.
    void bigNestedString()
    {
        json inner = json::object();
        for (int k = 0; k < 2000; ++k) inner["key" + std::to_string(k)] = {k, 0.1 * k};
        const std::string text = dumpStrict(inner);
        const json outer = {{"architecture", text}};
        const json back = parse(dumpStrict(outer));
        QCOMPARE(back["architecture"].get<std::string>(), text);
        QVERIFY(parse(back["architecture"].get<std::string>()) == inner);
    }

    // 200,000 members in one object (5 MB), kept in order. nlohmann's own ordered_json parser looks up
    // every key linearly (quadratic: 12 s for 40,000); parseLimited appends each member in O(1).
    void wideObjectKeepsOrder()
    {
        std::string text = "{";
        for (int k = 199999; k >= 0; --k) text += "\"tensor." + std::to_string(k) + "\":{\"n\":" + std::to_string(k) + "},";
        text.back() = '}';
        const auto t0 = std::chrono::steady_clock::now();
        const json v = parse(text);
        qInfo("200,000 members, %zu bytes: parsed in %.2f s", text.size(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        QCOMPARE(v.size(), size_t(200000));
        QCOMPARE(v.begin().key(), std::string("tensor.199999"));
        QCOMPARE(v.back()["n"].get<int>(), 0);
        QCOMPARE(dumpStrict(v), text);
    }
};

QTEST_APPLESS_MAIN(TestJson)
#include "tst_json.moc"
