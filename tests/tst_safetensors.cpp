// Safetensors model files (core/io/SafeTensors.h), the format: bit-exact round trips, the reference
// byte layout, other writers' layouts, and interoperability with numpy. What the loader rejects and
// how saving fails safely: tst_safetensors_errors.
#include "SafetensorsTestKit.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <limits>

using namespace ael;
using namespace stkit;
using json = nlohmann::ordered_json;

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
        json arch = json::object();
        for (int k = 0; k < 3000; ++k)
            arch["layer" + std::to_string(k)] = {k, 0.1 * k, "quote \" backslash \\ newline \n \xC3\xA9"};
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
        QVERIFY(json::parse(f.metadata.at("architecture")) == arch);
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
        const std::string_view header(b.constData() + 8, size_t(n));
        const json h = json::parse(header);
        QCOMPARE(h.at("encoder.0.weight").at("shape").dump(), std::string("[17,5]"));
        QCOMPARE(h.at("encoder.0.bias").at("shape").dump(), std::string("[17]"));
        QCOMPARE(h.at("scalar").at("shape").dump(), std::string("[1]"));
        QCOMPARE(h.at("row").at("shape").dump(), std::string("[1,4]"));
        QCOMPARE(h.at("empty").at("shape").dump(), std::string("[0,3]"));
        QCOMPARE(h.begin().key(), std::string("__metadata__"));
        // The JSON text ends at its closing brace; only spaces pad it to the 8-byte boundary (the spec).
        const size_t end = header.find_last_of('}') + 1;
        QCOMPARE(header.find_first_not_of(' ', end), std::string_view::npos);
        QVERIFY(n - end < 8);
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
