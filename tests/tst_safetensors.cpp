// Safetensors model files (core/io/SafeTensors.h): round trips, the reference byte layout, every
// malformation the loader must reject, atomic saving, and interoperability with numpy.
#include "core/Rng.h"
#include "core/io/Json.h"
#include "core/io/SafeTensors.h"

#include <QtTest>

#include <algorithm>
#include <bit>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include <sys/resource.h>
#include <sys/stat.h>

using namespace ael;
namespace fs = std::filesystem;

namespace {

const std::string kLabel = "model.safetensors";

/// JSON written with single quotes for readability (and because moc mis-lexes some raw strings).
std::string q(std::string s)
{
    std::replace(s.begin(), s.end(), '\'', '"');
    return s;
}

void appendU64(QByteArray &out, uint64_t v)
{
    for (int k = 0; k < 8; ++k) out.append(char(uint8_t(v >> (8 * k))));
}

void appendF32(QByteArray &out, float f)
{
    const uint32_t b = std::bit_cast<uint32_t>(f);
    for (int k = 0; k < 4; ++k) out.append(char(uint8_t(b >> (8 * k))));
}

/// A file image: header length (the header's size unless `declared` is given), header, then
/// `dataBytes` bytes of data (zeros, which are valid F32).
QByteArray image(const std::string &header, size_t dataBytes, uint64_t declared = UINT64_MAX)
{
    QByteArray out;
    appendU64(out, declared == UINT64_MAX ? header.size() : declared);
    out.append(header.data(), qsizetype(header.size()));
    out.append(QByteArray(qsizetype(dataBytes), '\0'));
    return out;
}

SafetensorsFile loadImage(const QByteArray &b, const std::string &label = kLabel)
{
    return loadSafetensorsFromMemory(reinterpret_cast<const uint8_t *>(b.constData()), size_t(b.size()), label);
}

/// The FormatError message from loading `b`, or "" if it loads.
std::string loadError(const QByteArray &b)
{
    try {
        loadImage(b);
    } catch (const FormatError &e) {
        return e.what();
    }
    return {};
}

QByteArray readFile(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    return QByteArray::fromStdString(std::string(std::istreambuf_iterator<char>(f), {}));
}

void writeFile(const std::string &path, const QByteArray &b)
{
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(b.constData(), b.size());
}

std::vector<std::string> listDir(const std::string &dir)
{
    std::vector<std::string> names;
    for (const auto &e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

Matrix randomMatrix(int r, int c, uint64_t seed)
{
    Rng rng(seed);
    Matrix m(r, c);
    for (int j = 0; j < c; ++j)
        for (int i = 0; i < r; ++i) m(i, j) = float(rng.normal());
    return m;
}

bool bitEqual(const Matrix &a, const Matrix &b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(float)) == 0);
}

/// M(i, j) = 10 i + j + 0.25, so row-major vs column-major mix-ups show.
Matrix indexMatrix(int r, int c)
{
    Matrix m(r, c);
    for (int i = 0; i < r; ++i)
        for (int j = 0; j < c; ++j) m(i, j) = float(10 * i + j) + 0.25f;
    return m;
}

std::string saveError(const std::string &path, const std::vector<NamedTensor> &t,
                      const std::map<std::string, std::string> &meta = {})
{
    try {
        saveSafetensors(path, t, meta);
    } catch (const FormatError &e) {
        return e.what();
    }
    return {};
}

bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private slots:
    void roundTripIsBitExact()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("model.safetensors").toStdString();

        Matrix w = randomMatrix(17, 5, 1);
        w(0, 0) = std::bit_cast<float>(0x7FC00001u);  // NaN with a payload
        w(1, 0) = std::bit_cast<float>(0x7F800001u);  // signalling NaN
        w(2, 0) = -0.0f;
        w(3, 0) = std::numeric_limits<float>::infinity();
        w(4, 0) = std::numeric_limits<float>::denorm_min();
        w(5, 0) = std::numeric_limits<float>::max();
        std::vector<NamedTensor> tensors = {
            {"encoder.0.weight", w},
            {"encoder.0.bias", randomMatrix(17, 1, 2)},
            {"scalar", Matrix::Constant(1, 1, 3.5f)},
            {"row", randomMatrix(1, 4, 3)},
            {"empty", Matrix(0, 3)},
            {"empty_vector", Matrix(0, 1)},
            {"decoder.weight \xE2\x9C\x93", randomMatrix(5, 17, 4)},  // UTF-8 names are fine
        };
        // A big JSON document as one metadata string (the architecture, say).
        Json arch = Json::object();
        for (int k = 0; k < 3000; ++k)
            arch.set("layer" + std::to_string(k),
                     Json(Json::Array{Json(k), Json(0.1 * k), Json("quote \" backslash \\ newline \n \xC3\xA9")}));
        const std::map<std::string, std::string> meta = {
            {"architecture", arch.dump(2)}, {"format", "pt"}, {"empty", ""}, {"unicode \xF0\x9F\x98\x80", "\t"}};
        QVERIFY(meta.at("architecture").size() > 100'000);

        saveSafetensors(path, tensors, meta);
        const SafetensorsFile f = loadSafetensors(path);
        QCOMPARE(f.tensors.size(), tensors.size());
        for (size_t k = 0; k < tensors.size(); ++k) {
            QCOMPARE(f.tensors[k].name, tensors[k].name);  // order kept
            QVERIFY2(bitEqual(f.tensors[k].value, tensors[k].value), tensors[k].name.c_str());
        }
        QVERIFY(f.metadata == meta);
        QVERIFY(Json::parse(f.metadata.at("architecture")) == arch);
        QVERIFY(f.find("encoder.0.bias") == &f.tensors[1]);
        QVERIFY(f.find("nope") == nullptr);

        // Header length is a multiple of 8 and the file is exactly header + data.
        const QByteArray b = readFile(path);
        uint64_t n = 0;
        for (int k = 7; k >= 0; --k) n = n << 8 | uint8_t(b[k]);
        QCOMPARE(n % 8, uint64_t(0));
        size_t dataBytes = 0;
        for (const auto &t : tensors) dataBytes += size_t(t.value.size()) * 4;
        QCOMPARE(size_t(b.size()), 8 + size_t(n) + dataBytes);
        // Shapes as the format has them: vectors are 1-D, matrices [rows, cols].
        const Json h = Json::parse(std::string_view(b.constData() + 8, size_t(n)));
        QCOMPARE(h["encoder.0.weight"]["shape"].dump(), std::string("[17,5]"));
        QCOMPARE(h["encoder.0.bias"]["shape"].dump(), std::string("[17]"));
        QCOMPARE(h["scalar"]["shape"].dump(), std::string("[1]"));
        QCOMPARE(h["row"]["shape"].dump(), std::string("[1,4]"));
        QCOMPARE(h["empty"]["shape"].dump(), std::string("[0,3]"));
        QCOMPARE(h.asObject().front().first, std::string("__metadata__"));
    }

    // The exact bytes of a tiny file, built by hand from the format description.
    void referenceByteLayout()
    {
        Matrix w(2, 3);
        w << 1, 2, 3, 4, 5, 6;
        const std::string json = q("{'w':{'dtype':'F32','shape':[2,3],'data_offsets':[0,24]}}");
        QCOMPARE(json.size(), size_t(57));
        QByteArray expected;
        appendU64(expected, 64);  // 57 bytes padded with 7 spaces
        expected.append(QByteArray::fromStdString(json + std::string(7, ' ')));
        for (float v : {1.f, 2.f, 3.f, 4.f, 5.f, 6.f}) appendF32(expected, v);  // row-major
        QCOMPARE(expected.size(), 8 + 64 + 24);
        QCOMPARE(expected.left(8), QByteArray("\x40\0\0\0\0\0\0\0", 8));
        QCOMPARE(expected.mid(72, 8), QByteArray("\0\0\x80\x3F\0\0\0\x40", 8));  // 1.0f, 2.0f

        const std::vector<uint8_t> bytes = serializeSafetensors({{"w", w}}, {});
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size())), expected);

        QTemporaryDir dir;
        const std::string path = dir.filePath("w.safetensors").toStdString();
        saveSafetensors(path, {{"w", w}}, {});
        QCOMPARE(readFile(path), expected);
        const SafetensorsFile f = loadImage(expected);
        QVERIFY(bitEqual(f.tensors.at(0).value, w));

        // With metadata (first) and a vector: 143 bytes of JSON padded to 144.
        Vector b(2);
        b << -1, 0.5f;
        const std::string json2 =
            q("{'__metadata__':{'format':'pt'},'w':{'dtype':'F32','shape':[2,3],'data_offsets':[0,24]},"
              "'b':{'dtype':'F32','shape':[2],'data_offsets':[24,32]}}");
        QByteArray expected2;
        appendU64(expected2, 144);
        expected2.append(QByteArray::fromStdString(json2 + " "));
        for (float v : {1.f, 2.f, 3.f, 4.f, 5.f, 6.f, -1.f, 0.5f}) appendF32(expected2, v);
        const auto bytes2 = serializeSafetensors({{"w", w}, {"b", b}}, {{"format", "pt"}});
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(bytes2.data()), qsizetype(bytes2.size())), expected2);
    }

    // Files from other writers: any key order, whitespace, no padding, header order != offset order,
    // 0-D tensors, empty metadata.
    void readsOtherWritersLayouts()
    {
        const std::string header =
            q("{ 'b' : {'shape': [2], 'data_offsets': [24, 32], 'dtype': 'F32'},\n"
              "  '__metadata__': {},\n"
              "  's': {'data_offsets': [32, 36], 'dtype': 'F32', 'shape': []},\n"
              "  'w': {'dtype': 'F32', 'data_offsets': [0, 24], 'shape': [2, 3]},\n"
              "  'z': {'dtype': 'F32', 'shape': [0, 7], 'data_offsets': [36, 36]} }");
        QByteArray b;
        appendU64(b, header.size());
        b.append(QByteArray::fromStdString(header));
        for (float v : {1.f, 2.f, 3.f, 4.f, 5.f, 6.f, 7.f, 8.f, 9.f}) appendF32(b, v);
        const SafetensorsFile f = loadImage(b);
        QCOMPARE(f.tensors.size(), size_t(4));
        QCOMPARE(f.tensors[0].name, std::string("b"));  // header order
        QVERIFY(f.metadata.empty());
        const Matrix &w = f.find("w")->value;
        QCOMPARE(w.rows(), Eigen::Index(2));
        QCOMPARE(w.cols(), Eigen::Index(3));
        QCOMPARE(w(0, 2), 3.f);
        QCOMPARE(w(1, 0), 4.f);
        QCOMPARE(f.find("b")->value.rows(), Eigen::Index(2));
        QCOMPARE(f.find("b")->value.cols(), Eigen::Index(1));
        QCOMPARE(f.find("b")->value(1, 0), 8.f);
        QCOMPARE(f.find("s")->value.size(), Eigen::Index(1));
        QCOMPARE(f.find("s")->value(0, 0), 9.f);
        QCOMPARE(f.find("z")->value.rows(), Eigen::Index(0));
        QCOMPARE(f.find("z")->value.cols(), Eigen::Index(7));
        // No tensors at all is a valid (empty) file.
        QVERIFY(loadImage(image("{}", 0)).tensors.empty());
        QVERIFY(loadImage(image("{}      ", 0)).tensors.empty());
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        const auto row = [](const char *name, const QByteArray &b, const std::string &m) {
            QTest::newRow(name) << b << QString::fromStdString(m);
        };
        const auto one = [](const std::string &entry) {  // a header holding tensor 'w'
            return q("{'w':" + entry + "}");
        };
        row("empty file", QByteArray(), "file is 0 bytes, too short for the 8-byte header length");
        row("7 bytes", QByteArray(7, '\0'), "file is 7 bytes, too short");
        row("header length past the end", image("{}", 0, 100), "header length 100 runs past the end of the 10-byte file");
        row("truncated header", image(q("{'w':{'dtype':'F32','shape':[1],'data_offsets':[0,4]}}"), 0).left(30),
            "runs past the end of the 30-byte file");
        row("header over 100 MB", image("{}", 0, 100'000'001),
            "header length 100000001 exceeds the limit of 100000000 bytes");
        row("header length 2^64-2", image("{}", 0, UINT64_MAX - 1), "exceeds the limit");
        row("zero header length", image("", 0), "header does not start with '{'");
        row("header is an array", image("[1,2]", 0), "header does not start with '{' (it must be a JSON object)");
        row("leading space", image(" {}", 0), "header does not start with '{'");
        row("bad JSON", image(q("{'w':"), 0), "header is not valid JSON: JSON error at byte 5: unexpected end of input");
        row("trailing comma", image(q("{'__metadata__':{},}"), 0), "trailing comma before '}'");
        row("garbage after header", image("{} x", 0), "unexpected 'x' after the JSON value");
        row("NUL padding", image(std::string("{}\0\0\0\0\0\0", 8), 0), "unexpected byte 0x00 after the JSON value");
        row("header not UTF-8", image("{\"\xFF\":1}", 0), "invalid UTF-8 byte 0xFF");
        row("depth bomb", image("{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}", 0),
            "nested deeper than 64 levels");
        row("dtype F16", image(one("{'dtype':'F16','shape':[2],'data_offsets':[0,4]}"), 4),
            "tensor 'w' has dtype 'F16'; only F32 tensors are supported");
        row("dtype I64", image(one("{'dtype':'I64','shape':[1],'data_offsets':[0,8]}"), 8),
            "tensor 'w' has dtype 'I64'; only F32");
        row("dtype F64", image(one("{'dtype':'F64','shape':[1],'data_offsets':[0,8]}"), 8), "has dtype 'F64'");
        row("dtype lowercase", image(one("{'dtype':'f32','shape':[1],'data_offsets':[0,4]}"), 4), "has dtype 'f32'");
        row("dtype not a string", image(one("{'dtype':32,'shape':[1],'data_offsets':[0,4]}"), 4),
            "tensor 'w' dtype is a number, expected a string");
        row("no dtype", image(one("{'shape':[1],'data_offsets':[0,4]}"), 4), "tensor 'w' has no dtype");
        row("no shape", image(one("{'dtype':'F32','data_offsets':[0,4]}"), 4), "tensor 'w' has no shape");
        row("no data_offsets", image(one("{'dtype':'F32','shape':[1]}"), 4), "tensor 'w' has no data_offsets");
        row("unknown field", image(one("{'dtype':'F32','shape':[1],'data_offsets':[0,4],'x':1}"), 4),
            "tensor 'w' has an unknown field 'x'");
        row("entry not an object", image(one("[1,2]"), 0), "tensor 'w' is an array, expected an object");
        row("shape not an array", image(one("{'dtype':'F32','shape':6,'data_offsets':[0,24]}"), 24),
            "tensor 'w' shape is a number, expected an array");
        row("negative shape", image(one("{'dtype':'F32','shape':[-1],'data_offsets':[0,4]}"), 4),
            "tensor 'w' shape entry must be non-negative, got -1");
        row("fractional shape", image(one("{'dtype':'F32','shape':[2.5],'data_offsets':[0,4]}"), 4),
            "tensor 'w' shape entry must be a non-negative integer, got 2.5");
        row("shape 1.0", image(one("{'dtype':'F32','shape':[1.0],'data_offsets':[0,4]}"), 4),
            "tensor 'w' shape entry must be written as an integer, without a fraction or exponent");
        row("shape 1e0", image(one("{'dtype':'F32','shape':[1e0],'data_offsets':[0,4]}"), 4),
            "shape entry must be written as an integer");
        row("shape string", image(one("{'dtype':'F32','shape':['2'],'data_offsets':[0,8]}"), 8),
            "tensor 'w' shape entry is a string, expected a non-negative integer");
        row("shape beyond int64", image(one("{'dtype':'F32','shape':[18446744073709551617],'data_offsets':[0,4]}"), 4),
            "tensor 'w' shape entry 18446744073709551616 is beyond 64 bits");
        row("offsets not an array", image(one("{'dtype':'F32','shape':[1],'data_offsets':4}"), 4),
            "tensor 'w' data_offsets is a number, expected [begin, end]");
        row("one offset", image(one("{'dtype':'F32','shape':[1],'data_offsets':[4]}"), 4),
            "tensor 'w' data_offsets has 1 entries, expected [begin, end]");
        row("three offsets", image(one("{'dtype':'F32','shape':[1],'data_offsets':[0,4,8]}"), 8),
            "data_offsets has 3 entries");
        row("negative offset", image(one("{'dtype':'F32','shape':[1],'data_offsets':[-4,0]}"), 4),
            "tensor 'w' data_offsets begin must be non-negative, got -4");
        row("string offset", image(one("{'dtype':'F32','shape':[1],'data_offsets':[0,'4']}"), 4),
            "tensor 'w' data_offsets end is a string");
        row("reversed offsets", image(one("{'dtype':'F32','shape':[1],'data_offsets':[8,4]}"), 8),
            "tensor 'w' data_offsets [8, 4] end before they begin");
        row("shape x dtype != bytes", image(one("{'dtype':'F32','shape':[2,3],'data_offsets':[0,20]}"), 20),
            "tensor 'w' has shape [2, 3] (24 bytes of F32) but data_offsets [0, 20] span 20 bytes");
        row("shape product overflow",
            image(one("{'dtype':'F32','shape':[4294967296,4294967296],'data_offsets':[0,0]}"), 0),
            "tensor 'w' shape [4294967296, 4294967296] has more elements than fit in 64 bits");
        row("byte size overflow", image(one("{'dtype':'F32','shape':[4611686018427387904],'data_offsets':[0,0]}"), 0),
            "shape [4611686018427387904] needs more bytes than fit in 64 bits");
        row("product overflow to 0",  // 2^32 * 2^32 wraps to 0 without the check
            image(one("{'dtype':'F32','shape':[4294967296,4294967296,0],'data_offsets':[0,0]}"), 0),
            "has more elements than fit in 64 bits");
        row("offsets past the buffer", image(one("{'dtype':'F32','shape':[2],'data_offsets':[0,8]}"), 4),
            "tensor 'w' data_offsets [0, 8] exceed the 4-byte data buffer");
        row("huge offsets", image(one("{'dtype':'F32','shape':[1],'data_offsets':[9223372036854775803,9223372036854775807]}"), 4),
            "data_offsets [9223372036854775803, 9223372036854775807] exceed the 4-byte data buffer");
        row("overlap", image(q("{'a':{'dtype':'F32','shape':[2],'data_offsets':[0,8]},"
                               "'b':{'dtype':'F32','shape':[2],'data_offsets':[4,12]}}"), 12),
            "tensor 'b' data_offsets [4, 12] overlap tensor 'a' [0, 8]");
        row("same offsets", image(q("{'a':{'dtype':'F32','shape':[1],'data_offsets':[0,4]},"
                                    "'b':{'dtype':'F32','shape':[1],'data_offsets':[0,4]}}"), 4),
            "overlap tensor");
        row("gap between tensors", image(q("{'a':{'dtype':'F32','shape':[1],'data_offsets':[0,4]},"
                                           "'b':{'dtype':'F32','shape':[1],'data_offsets':[8,12]}}"), 12),
            "gap in the data buffer: bytes [4, 8] before tensor 'b' belong to no tensor");
        row("gap at the start", image(one("{'dtype':'F32','shape':[1],'data_offsets':[4,8]}"), 8),
            "gap in the data buffer: bytes [0, 4] before tensor 'w'");
        row("bytes after the last tensor", image(one("{'dtype':'F32','shape':[1],'data_offsets':[0,4]}"), 8),
            "the tensors cover 4 bytes but the data buffer has 8 bytes");
        row("data without tensors", image("{}", 4), "the tensors cover 0 bytes but the data buffer has 4 bytes");
        row("duplicate names", image(q("{'w':{'dtype':'F32','shape':[1],'data_offsets':[0,4]},"
                                       "'w':{'dtype':'F32','shape':[1],'data_offsets':[4,8]}}"), 8),
            "duplicate key \"w\"");
        row("metadata number", image(q("{'__metadata__':{'epochs':3}}"), 0),
            "__metadata__ value for key 'epochs' is a number, expected a string");
        row("metadata object", image(q("{'__metadata__':{'arch':{'layers':2}}}"), 0),
            "__metadata__ value for key 'arch' is an object, expected a string");
        row("metadata null value", image(q("{'__metadata__':{'a':null}}"), 0), "key 'a' is null, expected a string");
        row("metadata not an object", image(q("{'__metadata__':'x'}"), 0),
            "__metadata__ is a string, expected an object of strings");
        row("metadata null", image(q("{'__metadata__':null}"), 0), "__metadata__ is null");
        row("3-D tensor", image(one("{'dtype':'F32','shape':[1,1,1],'data_offsets':[0,4]}"), 4),
            "tensor 'w' has 3 dimensions [1, 1, 1]; only 0-, 1- and 2-D tensors are supported");
        row("many dimensions", image(one("{'dtype':'F32','shape':[1,1,1,1,1,1,1,1,1,1,1,1],'data_offsets':[0,4]}"), 4),
            "tensor 'w' has 12 dimensions [1, 1, 1, 1, 1, 1, 1, 1, ... (12 entries)]; only 0-, 1- and 2-D");
        row("huge empty dimension", image(one("{'dtype':'F32','shape':[0,4294967296],'data_offsets':[0,0]}"), 0),
            "tensor 'w' dimension 4294967296 is too large");
        row("unprintable name", image("{\"a\\u0001'\":[]}", 0), "tensor 'a\\x01\\x27' is an array");
    }
    void malformed()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        const std::string what = loadError(bytes);
        QVERIFY2(!what.empty(), "loaded without error");
        QVERIFY2(what.rfind(kLabel + ": ", 0) == 0, what.c_str());
        QVERIFY2(contains(what, message.toStdString()), what.c_str());
    }

    void exampleMessage()
    {
        const QByteArray b = image(q("{'encoder.0.weight':{'dtype':'F32','shape':[249999,1],'data_offsets':[0,999999]}}"),
                                   4096);
        QCOMPARE(QString::fromStdString(loadError(b)),
                 QString("model.safetensors: tensor 'encoder.0.weight' data_offsets [0, 999999] exceed the 4096-byte "
                         "data buffer"));
    }

    // Random corruptions of a valid file either load or throw FormatError — nothing else, no crash.
    void corruptedFilesFailCleanly()
    {
        const auto good = serializeSafetensors({{"encoder.0.weight", randomMatrix(3, 4, 5)},
                                                {"encoder.0.bias", randomMatrix(3, 1, 6)}},
                                               {{"format", "pt"}});
        const QByteArray base(reinterpret_cast<const char *>(good.data()), qsizetype(good.size()));
        Rng rng(99);
        int loaded = 0, rejected = 0;
        for (int k = 0; k < 5000; ++k) {
            QByteArray b = base;
            const int edits = 1 + int(rng.below(3));
            for (int e = 0; e < edits; ++e) {
                const int pos = int(rng.below(uint64_t(b.size())));
                switch (rng.below(5)) {
                case 0: b[pos] = char(rng.below(256)); break;                                  // any byte
                case 1: b[pos] = "0123456789-.e,:[]{}\" "[rng.below(21)]; break;               // JSON-ish
                case 2: b.truncate(pos); break;                                               // truncation
                case 3: b.insert(pos, char("0123456789"[rng.below(10)])); break;              // longer number
                case 4: b[int(rng.below(uint64_t(std::min<qsizetype>(8, b.size()))))] = char(rng.below(256)); break;
                }
                if (b.isEmpty()) break;
            }
            try {
                loadImage(b);
                ++loaded;
            } catch (const FormatError &) {
                ++rejected;
            }
        }
        QVERIFY(rejected > 4000);
        qInfo("corruptions: %d rejected, %d still valid", rejected, loaded);
    }

    void loadFileErrors()
    {
        QTemporaryDir dir;
        const std::string missing = dir.filePath("missing.safetensors").toStdString();
        try {
            loadSafetensors(missing);
            QFAIL("no error");
        } catch (const FormatError &e) {
            QCOMPARE(std::string(e.what()), missing + ": cannot open: no such file");
        }
        try {
            loadSafetensors(dir.path().toStdString());
            QFAIL("no error");
        } catch (const FormatError &e) {
            QVERIFY2(contains(e.what(), "it is a directory"), e.what());
        }
        try {
            loadSafetensors("/dev/zero");
            QFAIL("no error");
        } catch (const FormatError &e) {
            QCOMPARE(std::string(e.what()), std::string("/dev/zero: cannot open: it is a character device"));
        }
        // A truncated file on disk: the message names the path.
        const std::string path = dir.filePath("cut.safetensors").toStdString();
        saveSafetensors(path, {{"w", randomMatrix(4, 4, 7)}}, {});
        const QByteArray full = readFile(path);
        writeFile(path, full.left(full.size() - 1));
        try {
            loadSafetensors(path);
            QFAIL("no error");
        } catch (const FormatError &e) {
            QVERIFY2(std::string(e.what()).rfind(path + ": ", 0) == 0, e.what());
            QVERIFY2(contains(e.what(), "exceed the 63-byte data buffer"), e.what());
        }
    }

    void saveIntoMissingDirectory()
    {
        QTemporaryDir dir;
        const std::string sub = dir.filePath("no/such/dir").toStdString();
        const std::string path = sub + "/model.safetensors";
        const std::string what = saveError(path, {{"w", randomMatrix(2, 2, 1)}});
        QCOMPARE(what, path + ": cannot save: directory '" + sub + "' does not exist");
        QVERIFY(listDir(dir.path().toStdString()).empty());
    }

    void saveUnderAFile()
    {
        QTemporaryDir dir;
        const std::string file = dir.filePath("notadir").toStdString();
        writeFile(file, "plain file");
        const std::string path = file + "/model.safetensors";
        const std::string what = saveError(path, {{"w", randomMatrix(2, 2, 1)}});
        QCOMPARE(what, path + ": cannot save: '" + file + "' is not a directory");
        QCOMPARE(readFile(file), QByteArray("plain file"));
        QCOMPARE(listDir(dir.path().toStdString()), std::vector<std::string>{"notadir"});
    }

    // A write that fails half-way (the file size limit, which binds root too) leaves the old
    // file byte-for-byte intact and no temporary file behind.
    void failedWriteKeepsOldFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.safetensors").toStdString();
        saveSafetensors(path, {{"w", randomMatrix(3, 3, 1)}}, {{"version", "old"}});
        const QByteArray before = readFile(path);

        struct rlimit saved;
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
        if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < 64 * 1024) QSKIP("file size limit already low");
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of a signal
        struct rlimit low = saved;
        low.rlim_cur = 64 * 1024;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &low), 0);
        const std::string what = saveError(path, {{"w", randomMatrix(500, 500, 2)}}, {{"version", "new"}});  // 1 MB
        setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, oldHandler);

        QVERIFY2(what.rfind(path + ": cannot write temporary file '" + path + ".tmp-", 0) == 0, what.c_str());
        QVERIFY2(contains(what, std::strerror(EFBIG)), what.c_str());
        QCOMPARE(readFile(path), before);
        QCOMPARE(listDir(dir.path().toStdString()), std::vector<std::string>{"model.safetensors"});
        QCOMPARE(loadSafetensors(path).metadata.at("version"), std::string("old"));
    }

    // Only a regular file is replaced: a directory is refused before anything is written.
    void saveOverADirectoryFails()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.safetensors").toStdString();
        fs::create_directory(path);
        writeFile(path + "/inside", "keep");
        const std::string what = saveError(path, {{"w", randomMatrix(2, 2, 1)}});
        QCOMPARE(what, path + ": cannot save: it is a directory; only a regular file or a new path is written");
        QCOMPARE(readFile(path + "/inside"), QByteArray("keep"));
        QCOMPARE(listDir(dir.path().toStdString()), std::vector<std::string>{"model.safetensors"});
    }

    // Invalid input is refused before anything is written.
    void saveRejectsBadInput()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.safetensors").toStdString();
        saveSafetensors(path, {{"w", randomMatrix(2, 2, 1)}}, {});
        const QByteArray before = readFile(path);
        const Matrix m = randomMatrix(2, 2, 3);
        QCOMPARE(saveError(path, {{"a", m}, {"a", m}}), path + ": two tensors are named 'a'");
        QCOMPARE(saveError(path, {{"", m}}), path + ": a tensor has an empty name");
        QCOMPARE(saveError(path, {{"__metadata__", m}}),
                 path + ": '__metadata__' is reserved and cannot name a tensor");
        QVERIFY(contains(saveError(path, {{"a", m}}, {{"k", "\xFF"}}), "not valid UTF-8"));
        QVERIFY(contains(saveError(path, {{"bad\xC3", m}}), "not valid UTF-8"));
        QCOMPARE(readFile(path), before);
        QCOMPARE(listDir(dir.path().toStdString()), std::vector<std::string>{"model.safetensors"});
    }

    void overwriteReplacesAndKeepsPermissions()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.safetensors").toStdString();
        saveSafetensors(path, {{"w", randomMatrix(2, 2, 1)}}, {});
        QCOMPARE(::chmod(path.c_str(), 0640), 0);
        const Matrix m = randomMatrix(6, 2, 9);
        saveSafetensors(path, {{"v", m}}, {{"k", "v"}});
        struct stat st;
        QCOMPARE(::stat(path.c_str(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0640);
        const SafetensorsFile f = loadSafetensors(path);
        QCOMPARE(f.tensors.size(), size_t(1));
        QVERIFY(bitEqual(f.find("v")->value, m));
        QCOMPARE(listDir(dir.path().toStdString()), std::vector<std::string>{"model.safetensors"});
    }

    // numpy reads our files by the format description alone, and we read numpy's.
    void pythonNumpyInterop()
    {
        const std::string python = "/usr/bin/python3";
        if (!fs::exists(python)) QSKIP("no /usr/bin/python3");
        if (std::system((python + " -c 'import numpy' >/dev/null 2>&1").c_str()) != 0) QSKIP("numpy not installed");

        QTemporaryDir dir;
        const std::string ours = dir.filePath("ours.safetensors").toStdString();
        const std::string theirs = dir.filePath("theirs.safetensors").toStdString();
        const std::string script = dir.filePath("check.py").toStdString();
        Vector bias(3);
        bias << 0.5f, -1.5f, 2.0f;
        saveSafetensors(ours, {{"encoder.0.weight", indexMatrix(3, 4)}, {"encoder.0.bias", bias}},
                        {{"format", "pt"}, {"note", "caf\xC3\xA9"}});
        writeFile(script, R"PY(
import json, struct, sys
import numpy as np

def read(path):
    with open(path, 'rb') as f:
        b = f.read()
    n = struct.unpack('<Q', b[:8])[0]
    assert n % 8 == 0, n
    header = json.loads(b[8:8 + n].decode('utf-8'))
    buf = b[8 + n:]
    meta = header.pop('__metadata__', {})
    out, end = {}, 0
    for name, info in header.items():
        assert set(info) == {'dtype', 'shape', 'data_offsets'}, info
        assert info['dtype'] == 'F32'
        s, e = info['data_offsets']
        out[name] = np.frombuffer(buf[s:e], dtype='<f4').reshape(info['shape'])
        end = max(end, e)
    assert end == len(buf)
    return out, meta

t, meta = read(sys.argv[1])
assert meta == {'format': 'pt', 'note': b'caf'.decode() + chr(233)}, meta
W = t['encoder.0.weight']
assert W.shape == (3, 4), W.shape
for i in range(3):
    for j in range(4):
        assert W[i, j] == np.float32(10 * i + j + 0.25), (i, j, W[i, j])
assert t['encoder.0.bias'].shape == (3,)
assert t['encoder.0.bias'].tolist() == [0.5, -1.5, 2.0]

# Write a file the way the reference does: names sorted, compact JSON padded to 8 bytes.
tensors = {'decoder.weight': (np.arange(6, dtype='<f4') * np.float32(0.5)).reshape(2, 3),
           'decoder.bias': np.array([1.0, -2.0], dtype='<f4')}
header, blobs, offset = {'__metadata__': {'written_by': 'numpy'}}, [], 0
for name in sorted(tensors):
    raw = np.ascontiguousarray(tensors[name], dtype='<f4').tobytes()
    header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape), 'data_offsets': [offset, offset + len(raw)]}
    offset += len(raw)
    blobs.append(raw)
h = json.dumps(header, separators=(',', ':')).encode('utf-8')
h += b' ' * ((8 - len(h) % 8) % 8)
with open(sys.argv[2], 'wb') as f:
    f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))
print('ok')
)PY");
        const std::string cmd = python + " '" + script + "' '" + ours + "' '" + theirs + "' 2>&1";
        std::FILE *p = ::popen(cmd.c_str(), "r");
        QVERIFY(p);
        std::string output;
        char buf[4096];
        while (size_t n = std::fread(buf, 1, sizeof buf, p)) output.append(buf, n);
        const int status = ::pclose(p);
        QVERIFY2(status == 0, output.c_str());
        QCOMPARE(output, std::string("ok\n"));

        const SafetensorsFile f = loadSafetensors(theirs);
        QCOMPARE(f.metadata.at("written_by"), std::string("numpy"));
        const Matrix &w = f.find("decoder.weight")->value;
        QCOMPARE(w.rows(), Eigen::Index(2));
        QCOMPARE(w.cols(), Eigen::Index(3));
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 3; ++j) QCOMPARE(w(i, j), float(3 * i + j) * 0.5f);
        const Matrix &b = f.find("decoder.bias")->value;
        QCOMPARE(b.rows(), Eigen::Index(2));
        QCOMPARE(b.cols(), Eigen::Index(1));
        QCOMPARE(b(1, 0), -2.0f);
    }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
