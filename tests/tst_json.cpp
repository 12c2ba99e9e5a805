// The JSON value, parser and serializer (core/io/Json.h).
#include "core/io/Json.h"

#include <QtTest>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

using namespace ael;

namespace {

QByteArray bytes(const std::string &s) { return QByteArray(s.data(), qsizetype(s.size())); }

/// The message of the JsonError thrown by parsing `text`, or an empty string if it parses.
std::string parseError(const std::string &text, size_t *offset = nullptr, const Json::ParseOptions &o = {})
{
    try {
        Json::parse(text, o);
    } catch (const JsonError &e) {
        if (offset) *offset = e.offset();
        return e.what();
    }
    return {};
}

}  // namespace

class TestJson : public QObject {
    Q_OBJECT

private slots:
    void scalars()
    {
        QVERIFY(Json::parse("null").isNull());
        QCOMPARE(Json::parse("true").asBool(), true);
        QCOMPARE(Json::parse("false").asBool(), false);
        QCOMPARE(Json::parse(" \t\r\n42 \n").asNumber(), 42.0);
        QCOMPARE(Json::parse("\"hi\"").asString(), std::string("hi"));
        QVERIFY(Json::parse("[]").isArray());
        QVERIFY(Json::parse("{}").isObject());
        QCOMPARE(Json::parse("[]").size(), size_t(0));
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
                                 << QByteArray("[0,-1,1e-07,0.1,100,-0,2.5,1e+300]");
        QTest::newRow("underflow to zero") << QByteArray("[1e-400,-1e-400]") << QByteArray("[0,-0]");
    }
    void roundTrip()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, compact);
        const Json v = Json::parse(input.toStdString());
        QCOMPARE(bytes(v.dump()), compact);
        const Json again = Json::parse(v.dump());
        QVERIFY(again == v);
        QCOMPARE(bytes(again.dump()), compact);
        QVERIFY(Json::parse(v.dump(2)) == v);
        QVERIFY(Json::parse(v.dump(0)) == v);
    }

    void numbers_data()
    {
        QTest::addColumn<QByteArray>("literal");
        QTest::addColumn<double>("value");
        QTest::addColumn<QByteArray>("dumped");
        QTest::newRow("1e-7") << QByteArray("1e-7") << 1e-7 << QByteArray("1e-07");
        QTest::newRow("0.1") << QByteArray("0.1") << 0.1 << QByteArray("0.1");
        QTest::newRow("1/3") << QByteArray("0.3333333333333333") << 1.0 / 3.0 << QByteArray("0.3333333333333333");
        QTest::newRow("int") << QByteArray("123456789") << 123456789.0 << QByteArray("123456789");
        QTest::newRow("negative int") << QByteArray("-42") << -42.0 << QByteArray("-42");
        QTest::newRow("integral double") << QByteArray("4.0") << 4.0 << QByteArray("4");
        QTest::newRow("2^32") << QByteArray("4294967296") << 4294967296.0 << QByteArray("4294967296");
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
        const Json v = Json::parse(literal.toStdString());
        QCOMPARE(std::bit_cast<uint64_t>(v.asNumber()), std::bit_cast<uint64_t>(value));
        QCOMPARE(bytes(v.dump()), dumped);
        QCOMPARE(bytes(Json(value).dump()), dumped);
    }

    // Integer literals keep their exact int64 value even where a double cannot hold it.
    void largeIntegers()
    {
        const Json a = Json::parse("9007199254740993");  // 2^53 + 1
        QVERIFY(a.isInteger());
        QCOMPARE(a.asInt64(), int64_t(9007199254740993));
        QCOMPARE(a.dump(), std::string("9007199254740993"));
        const Json m = Json::parse("[9223372036854775807,-9223372036854775808]");
        QCOMPARE(m.at(0).asInt64(), std::numeric_limits<int64_t>::max());
        QCOMPARE(m.at(1).asInt64(), std::numeric_limits<int64_t>::min());
        QCOMPARE(m.dump(), std::string("[9223372036854775807,-9223372036854775808]"));
        // Beyond int64 the value is a double.
        const Json big = Json::parse("18446744073709551616");
        QVERIFY(!big.isInteger());
        QCOMPARE(big.asNumber(), 18446744073709551616.0);
        QCOMPARE(big.dump(), std::string("18446744073709551616"));  // to_chars picks the shorter form
        QVERIFY_THROWS_EXCEPTION(JsonError, big.asInt64());
        QVERIFY(!Json::parse("2.5").isInteger());
        QVERIFY(Json::parse("-1").isInteger());
        QCOMPARE(Json::parse("-1").asInt64(), int64_t(-1));
        QVERIFY(Json::parse("-10").isInteger());
        QVERIFY(!Json::parse("-0").isInteger());  // keeps its sign as a double
        QVERIFY(std::signbit(Json::parse("-0").asNumber()));
        QVERIFY(!Json::parse("2.0").isInteger());  // integers are integer literals, as in serde
        QVERIFY(!Json::parse("1e3").isInteger());
        QVERIFY(!Json(2.0).isInteger());
        QCOMPARE(Json(2.0).dump(), std::string("2"));
        QVERIFY_THROWS_EXCEPTION(JsonError, Json::parse("2.0").asInt64());
        // C++ integer types go in exactly.
        QCOMPARE(Json(uint64_t(1) << 60).dump(), std::string("1152921504606846976"));
        QCOMPARE(Json(-7).asInt64(), int64_t(-7));
        QCOMPARE(Json(std::numeric_limits<uint64_t>::max()).dump(), std::string("18446744073709551616"));
    }

    // Any finite double survives dump -> parse bit-exactly.
    void doubleRoundTripRandom()
    {
        std::mt19937_64 gen(1234);
        for (int k = 0; k < 20000; ++k) {
            const double d = std::bit_cast<double>(gen());
            if (!std::isfinite(d)) continue;
            const std::string s = Json(d).dump();
            const double back = Json::parse(s).asNumber();
            if (std::bit_cast<uint64_t>(back) != std::bit_cast<uint64_t>(d))
                QFAIL(qPrintable(QString::fromStdString("double " + s + " did not round-trip")));
        }
        for (int k = 0; k < 20000; ++k) {
            const float f = std::bit_cast<float>(uint32_t(gen()));
            if (!std::isfinite(f)) continue;
            QCOMPARE(float(Json::parse(Json(f).dump()).asNumber()), f);
        }
    }

    void escapesDecoded()
    {
        QCOMPARE(Json::parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"").asString(), std::string("\"\\/\b\f\n\r\t"));
        QCOMPARE(Json::parse(R"("\u0041\u00E9")").asString(), std::string("A\xC3\xA9"));
        QCOMPARE(Json::parse(R"("\uD834\uDD1E")").asString(), std::string("\xF0\x9D\x84\x9E"));  // U+1D11E
        QCOMPARE(Json::parse(R"("\uDBFF\uDFFF")").asString(), std::string("\xF4\x8F\xBF\xBF"));  // U+10FFFF
        QCOMPARE(Json::parse(R"("\u0000")").asString(), std::string(1, '\0'));
        QCOMPARE(Json(std::string("tab\there\x01")).dump(), std::string(R"("tab\there\u0001")"));
    }

    void prettyPrint()
    {
        Json v = Json::object();
        v.set("name", "ae");
        v.set("layers", Json(Json::Array{Json(784), Json(32)}));
        v.set("empty", Json::array());
        v.set("meta", Json::object());
        QCOMPARE(v.dump(2), std::string("{\n"
                                         "  \"name\": \"ae\",\n"
                                         "  \"layers\": [\n"
                                         "    784,\n"
                                         "    32\n"
                                         "  ],\n"
                                         "  \"empty\": [],\n"
                                         "  \"meta\": {}\n"
                                         "}"));
        QCOMPARE(v.dump(), std::string(R"({"name":"ae","layers":[784,32],"empty":[],"meta":{}})"));
    }

    void accessors()
    {
        Json v = Json::parse(R"({"a":1,"b":"x","c":[true],"d":{"e":null}})");
        QVERIFY(v.isObject());
        QCOMPARE(v["a"].asNumber(), 1.0);
        QCOMPARE(v["b"].asString(), std::string("x"));
        QCOMPARE(v["c"].asArray().size(), size_t(1));
        QVERIFY(v["c"].at(0).asBool());
        QVERIFY(v["d"]["e"].isNull());
        QVERIFY(v.get("zzz") == nullptr);
        QVERIFY(v.get("a") != nullptr);
        QVERIFY(v.contains("d"));

        const Json &cv = v;
        QVERIFY_THROWS_EXCEPTION(JsonError, cv["missing"]);
        QVERIFY_THROWS_EXCEPTION(JsonError, cv["a"].asString());
        QVERIFY_THROWS_EXCEPTION(JsonError, cv["b"].asNumber());
        QVERIFY_THROWS_EXCEPTION(JsonError, cv["a"].asBool());
        QVERIFY_THROWS_EXCEPTION(JsonError, cv["a"].asArray());
        QVERIFY_THROWS_EXCEPTION(JsonError, cv["c"].at(1));
        QVERIFY_THROWS_EXCEPTION(JsonError, cv["c"].get("x"));
        try {
            (void)cv["b"].asNumber();
        } catch (const JsonError &e) {
            QCOMPARE(std::string(e.what()), std::string("JSON value is a string, expected a number"));
        }

        // set() replaces in place, keeping the key's position; new keys go last.
        v.set("a", 5);
        v.set("z", "new");
        QCOMPARE(v.dump(), std::string(R"({"a":5,"b":"x","c":[true],"d":{"e":null},"z":"new"})"));
        v["c"].push(Json()).push(Json(1.5));
        QCOMPARE(v["c"].dump(), std::string("[true,null,1.5]"));
        // Null becomes an object or array on first use.
        Json n;
        n["k"] = "v";
        QCOMPARE(n.dump(), std::string(R"({"k":"v"})"));
        Json a;
        a.push(1).push("two");
        QCOMPARE(a.dump(), std::string(R"([1,"two"])"));
        QVERIFY_THROWS_EXCEPTION(JsonError, a.set("k", 1));
        QVERIFY_THROWS_EXCEPTION(JsonError, n.push(1));
        const auto duplicateKeys = [] { return Json(Json::Object{{"k", Json(1)}, {"k", Json(2)}}); };
        QVERIFY_THROWS_EXCEPTION(JsonError, duplicateKeys());
    }

    void equality()
    {
        QVERIFY(Json::parse("[1,2.0,\"a\",{\"b\":null}]") == Json::parse("[1.0,2,\"a\",{\"b\":null}]"));
        QVERIFY(!(Json::parse("{\"a\":1,\"b\":2}") == Json::parse("{\"b\":2,\"a\":1}")));  // order matters
        QVERIFY(!(Json::parse("1") == Json::parse("\"1\"")));
        QVERIFY(!(Json::parse("9007199254740993") == Json::parse("9007199254740992")));
    }

    // Every malformation: the message fragment and the byte offset of the error.
    void errors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("offset");
        QTest::newRow("empty") << QByteArray("") << "expected a JSON value" << 0;
        QTest::newRow("only whitespace") << QByteArray("   ") << "expected a JSON value" << 3;
        QTest::newRow("trailing comma array") << QByteArray("[1,2,]") << "trailing comma before ']'" << 5;
        QTest::newRow("trailing comma object") << QByteArray(R"({"a":1,})") << "trailing comma before '}'" << 7;
        QTest::newRow("leading comma") << QByteArray("[,1]") << "expected a JSON value" << 1;
        QTest::newRow("double comma") << QByteArray("[1,,2]") << "expected a JSON value" << 3;
        QTest::newRow("missing comma") << QByteArray("[1 2]") << "expected ',' or ']'" << 3;
        QTest::newRow("unclosed array") << QByteArray("[1") << "expected ',' or ']' after an array element, found end of input" << 2;
        QTest::newRow("unclosed object") << QByteArray(R"({"a":1)") << "expected ',' or '}'" << 6;
        QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << "expected ':'" << 5;
        QTest::newRow("unquoted key") << QByteArray("{a:1}") << "expected a string key" << 1;
        QTest::newRow("single quotes") << QByteArray("['a']") << "expected a JSON value" << 1;
        QTest::newRow("duplicate key") << QByteArray(R"({"a":1,"a":2})") << "duplicate key \"a\"" << 7;
        QTest::newRow("unterminated string") << QByteArray("[\"abc") << "unterminated string" << 1;
        QTest::newRow("unterminated after backslash") << QByteArray("\"abc\\") << "unterminated string" << 0;
        QTest::newRow("bad escape") << QByteArray(R"("a\qb")") << "invalid escape '\\q'" << 2;
        QTest::newRow("bad escape x") << QByteArray(R"("\x41")") << "invalid escape '\\x'" << 1;
        QTest::newRow("bad hex") << QByteArray(R"("\u12G4")") << "invalid hex digit 'G'" << 5;
        QTest::newRow("short \\u") << QByteArray(R"("\u12")") << "truncated \\u escape" << 3;
        QTest::newRow("short \\u inside") << QByteArray(R"("\u12" )") << "invalid hex digit '\"'" << 5;
        QTest::newRow("lone high surrogate") << QByteArray(R"("\ud800x")") << "not followed by a low surrogate" << 1;
        QTest::newRow("high + non-low") << QByteArray(R"("\ud800\u0041")") << "not followed by a low surrogate" << 1;
        QTest::newRow("lone low surrogate") << QByteArray(R"("\udc00")") << "unpaired low surrogate" << 1;
        QTest::newRow("raw control char") << QByteArray("\"a\nb\"") << "unescaped control character 0x0A" << 2;
        QTest::newRow("invalid UTF-8") << QByteArray("\"\xFF\"") << "invalid UTF-8 byte 0xFF" << 1;
        QTest::newRow("overlong UTF-8") << QByteArray("\"\xC0\xAF\"") << "invalid UTF-8 byte 0xC0" << 1;
        QTest::newRow("UTF-8 surrogate") << QByteArray("\"\xED\xA0\x80\"") << "invalid UTF-8 byte 0xED" << 1;
        QTest::newRow("truncated UTF-8") << QByteArray("\"\xE4\xB8\"") << "invalid UTF-8 byte 0xE4" << 1;
        QTest::newRow("beyond U+10FFFF") << QByteArray("\"\xF4\x90\x80\x80\"") << "invalid UTF-8 byte 0xF4" << 1;
        QTest::newRow("byte-order mark") << QByteArray("\xEF\xBB\xBF{}") << "byte-order mark" << 0;
        QTest::newRow("NaN") << QByteArray("NaN") << "NaN is not valid JSON" << 0;
        QTest::newRow("NaN in array") << QByteArray("[1,NaN]") << "NaN is not valid JSON" << 3;
        QTest::newRow("Infinity") << QByteArray("Infinity") << "Infinity is not valid JSON" << 0;
        QTest::newRow("-Infinity") << QByteArray("[-Infinity]") << "-Infinity is not valid JSON" << 1;
        QTest::newRow("number overflow") << QByteArray("1e400") << "outside the range of a double" << 0;
        QTest::newRow("big mantissa overflow") << QByteArray("[123456789e301]") << "outside the range" << 1;
        QTest::newRow("leading zero") << QByteArray("012") << "leading zeros" << 0;
        QTest::newRow("negative leading zero") << QByteArray("-01") << "leading zeros" << 0;
        QTest::newRow("plus sign") << QByteArray("+1") << "expected a JSON value" << 0;
        QTest::newRow("bare minus") << QByteArray("-") << "expected a digit after '-'" << 1;
        QTest::newRow("leading dot") << QByteArray(".5") << "expected a JSON value" << 0;
        QTest::newRow("trailing dot") << QByteArray("1.") << "expected a digit after the decimal point" << 2;
        QTest::newRow("empty exponent") << QByteArray("1e") << "expected a digit in the exponent" << 2;
        QTest::newRow("exponent sign only") << QByteArray("1e+") << "expected a digit in the exponent" << 3;
        QTest::newRow("hex number") << QByteArray("0x10") << "unexpected 'x' after the JSON value" << 1;
        QTest::newRow("garbage after value") << QByteArray("{} x") << "unexpected 'x' after the JSON value" << 3;
        QTest::newRow("two values") << QByteArray("1 2") << "after the JSON value" << 2;
        QTest::newRow("NUL after value") << QByteArray("1\0", 2) << "unexpected byte 0x00 after the JSON value" << 1;
        QTest::newRow("misspelt true") << QByteArray("tru") << "expected a JSON value" << 0;
        QTest::newRow("capital True") << QByteArray("True") << "expected a JSON value" << 0;
        QTest::newRow("comment") << QByteArray("[1 /* c */]") << "expected ',' or ']'" << 3;
        QTest::newRow("form feed whitespace") << QByteArray("\f1") << "expected a JSON value" << 0;
    }
    void errors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        QFETCH(int, offset);
        size_t at = 0;
        const std::string what = parseError(text.toStdString(), &at);
        QVERIFY2(!what.empty(), "parsed without error");
        QVERIFY2(what.find(message.toStdString()) != std::string::npos, what.c_str());
        QCOMPARE(int(at), offset);
        QVERIFY2(what.rfind("JSON error at byte " + std::to_string(offset) + ": ", 0) == 0, what.c_str());
    }

    void depthLimit()
    {
        const auto nest = [](int depth) { return std::string(size_t(depth), '[') + std::string(size_t(depth), ']'); };
        QVERIFY(Json::parse(nest(64)).isArray());
        size_t at = 0;
        const std::string what = parseError(nest(65), &at);
        QVERIFY2(what.find("nested deeper than 64 levels") != std::string::npos, what.c_str());
        QCOMPARE(at, size_t(64));
        // A depth bomb fails fast at the limit instead of exhausting the stack.
        std::string bomb;
        for (int k = 0; k < 1'000'000; ++k) bomb += "{\"a\":[";
        QVERIFY(parseError(bomb).find("nested deeper than 64 levels") != std::string::npos);
        // Mixed objects and arrays count alike.
        std::string mixed;
        for (int k = 0; k < 32; ++k) mixed += "{\"a\":[";
        for (int k = 0; k < 32; ++k) mixed += "]}";
        QVERIFY(Json::parse(mixed).isObject());
        Json::ParseOptions shallow;
        shallow.maxDepth = 2;
        QVERIFY(parseError("[[[]]]", nullptr, shallow).find("deeper than 2 levels") != std::string::npos);
    }

    void sizeAndValueLimits()
    {
        Json::ParseOptions o;
        o.maxBytes = 10;
        QVERIFY(!Json::parse("[1,2,3,4]", o).isNull());
        QVERIFY(parseError("[1,2,3,4,5]", nullptr, o).find("11 bytes, more than the limit of 10") != std::string::npos);
        Json::ParseOptions v;
        v.maxValues = 4;
        QVERIFY(!Json::parse("[1,2,3]", v).isNull());  // the array and three numbers
        QVERIFY(parseError("[1,2,3,4]", nullptr, v).find("more than 4 values") != std::string::npos);
    }

    void dumpRejectsWhatJsonCannotHold()
    {
        QVERIFY_THROWS_EXCEPTION(JsonError, Json(std::numeric_limits<double>::quiet_NaN()).dump());
        QVERIFY_THROWS_EXCEPTION(JsonError, Json(Json::Array{Json(std::numeric_limits<double>::infinity())}).dump());
        QVERIFY_THROWS_EXCEPTION(JsonError, Json(std::string("\xFF")).dump());
        QVERIFY_THROWS_EXCEPTION(JsonError, Json(std::string("a\xC3")).dump());  // truncated sequence
    }

    // A big string (e.g. a model's architecture JSON stored as a metadata value) round-trips.
    void bigNestedString()
    {
        Json inner = Json::object();
        for (int k = 0; k < 2000; ++k) inner.set("key" + std::to_string(k), Json(Json::Array{Json(k), Json(0.1 * k)}));
        const std::string text = inner.dump();
        Json outer = Json::object();
        outer.set("architecture", text);
        const Json back = Json::parse(outer.dump());
        QCOMPARE(back["architecture"].asString(), text);
        QVERIFY(Json::parse(back["architecture"].asString()) == inner);
    }
};

QTEST_APPLESS_MAIN(TestJson)
#include "tst_json.moc"
