// Safetensors model files (core/io/SafeTensors.h), the failures: every malformation the loader must
// reject (with a message naming the file and the problem), random corruptions, files that cannot be
// opened, and saves that fail or are refused without touching the old file.
#include "SafetensorsTestKit.h"

#include <QtTest>

#include <csignal>
#include <cstdio>

#include <sys/resource.h>
#include <sys/stat.h>

using namespace ael;
using namespace stkit;

class TestSafetensorsErrors : public QObject {
    Q_OBJECT

private slots:
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
        row("bad JSON", image(q("{'w':"), 0),
            "header is not valid JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a "
            "literal (at byte 5)");
        row("trailing comma", image(q("{'__metadata__':{},}"), 0),
            "header is not valid JSON: syntax error while parsing object key - unexpected '}'; expected string literal");
        row("garbage after header", image("{} x", 0), "header is not valid JSON: syntax error while parsing value - "
                                                      "invalid literal; last read: '{} x'; expected end of input");
        row("trailing garbage", image(q("{'__metadata__':{}}}"), 0),
            "header is not valid JSON: syntax error while parsing value - unexpected '}'; expected end of input (at byte 19)");
        row("NUL padding", image(std::string("{}\0\0\0\0\0\0", 8), 0),
            "header is not valid JSON: a NUL byte (0x00) is not JSON text (at byte 2)");
        row("header not UTF-8", image("{\"\xFF\":1}", 0), "header is not valid JSON: syntax error while parsing object key "
                                                        "- invalid string: ill-formed UTF-8 byte; last read: '\"\\xFF'");
        row("metadata not UTF-8", image(q("{'__metadata__':{'k':'caf\xE9'}}"), 0),
            "header is not valid JSON: syntax error while parsing value - invalid string: ill-formed UTF-8 byte");
        row("lone surrogate", image(q("{'__metadata__':{'k':'\\udc00'}}"), 0),
            "header is not valid JSON: syntax error while parsing value - invalid string: surrogate U+DC00..U+DFFF must "
            "follow U+D800..U+DBFF");
        row("byte-order mark", image("\xEF\xBB\xBF{}", 0), "header does not start with '{'");
        row("depth bomb", image("{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}", 0),
            "header is not valid JSON: arrays/objects nested deeper than 64 levels in .../0/0/0");
        row("depth 10^5", image("{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}", 0),
            "header is not valid JSON: arrays/objects nested deeper than 64 levels in .../0/0/0");
        row("huge number", image(one("{'dtype':'F32','shape':[1],'data_offsets':[0,4e999]}"), 4),
            "header is not valid JSON: number overflow parsing '4e999' (beyond the range of a double)");
        row("huge integer", image(one("{'dtype':'F32','shape':[1" + std::string(400, '0') + "],'data_offsets':[0,4]}"), 4),
            "header is not valid JSON: number overflow parsing '...0000000000");
        row("NaN", image(one("{'dtype':'F32','shape':[NaN],'data_offsets':[0,4]}"), 4),
            "header is not valid JSON: NaN is not a JSON number (JSON numbers are finite)");
        row("-Infinity", image(one("{'dtype':'F32','shape':[1],'data_offsets':[-Infinity,4]}"), 4),
            "header is not valid JSON: -Infinity is not a JSON number");
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
        row("shape beyond 64 bits", image(one("{'dtype':'F32','shape':[18446744073709551617],'data_offsets':[0,4]}"), 4),
            "tensor 'w' shape entry 18446744073709551616 is beyond 64 bits");
        row("shape 2^64-1", image(one("{'dtype':'F32','shape':[18446744073709551615],'data_offsets':[0,4]}"), 4),
            "tensor 'w' shape [18446744073709551615] needs more bytes than fit in 64 bits");
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
            "header is not valid JSON: duplicate key 'w' at the top level");
        row("duplicate field", image(one("{'dtype':'F32','shape':[1],'dtype':'F32','data_offsets':[0,4]}"), 4),
            "header is not valid JSON: duplicate key 'dtype' in /w");
        row("duplicate metadata key", image(q("{'__metadata__':{'a':'1','b':'2','a':'3'}}"), 0),
            "header is not valid JSON: duplicate key 'a' in /__metadata__");
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
        // Every malformed image is a damaged file, not a well-formed one with the wrong content.
        try {
            loadImage(bytes);
        } catch (const DamagedFileError &) {
        } catch (const FormatError &e) {
            QFAIL(qPrintable(QStringLiteral("a FormatError but not a DamagedFileError: ") + e.what()));
        }
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
        // A truncated file on disk: the message names the path, and it is a damaged file (the window says
        // so in words); a missing file, a directory or a device is not.
        const std::string path = dir.filePath("cut.safetensors").toStdString();
        saveSafetensors(path, {{"w", randomMatrix(4, 4, 7)}}, {});
        const QByteArray full = readFile(path);
        writeFile(path, full.left(full.size() - 1));
        try {
            loadSafetensors(path);
            QFAIL("no error");
        } catch (const DamagedFileError &e) {
            QVERIFY2(std::string(e.what()).rfind(path + ": ", 0) == 0, e.what());
            QVERIFY2(contains(e.what(), "exceed the 63-byte data buffer"), e.what());
        }
        for (const std::string &notDamaged : {missing, dir.path().toStdString(), std::string("/dev/zero")}) {
            try {
                loadSafetensors(notDamaged);
                QFAIL("no error");
            } catch (const DamagedFileError &e) {
                QFAIL(e.what());
            } catch (const FormatError &) {
            }
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
};

QTEST_APPLESS_MAIN(TestSafetensorsErrors)
#include "tst_safetensors_errors.moc"
