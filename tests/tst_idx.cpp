// IDX files (core/data/Idx.h): writing and reading back (raw and gzip, the embedded subset bit for bit),
// and hostile files (bad magic, lying headers, truncation, gzip bombs) rejected with a message naming them.
#include "DataTestKit.h"
#include "core/data/Embedded.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace datatest;

class TestIdx : public QObject {
    Q_OBJECT

private slots:
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
        // Members that split the header itself (5 + 11 bytes): it is put together before it is read.
        const Dataset h = loadMem(gz(kGoodImages.left(5)) + gz(kGoodImages.mid(5, 11)) + gz(kGoodImages.mid(16)),
                                  gz(kGoodLabels.left(3)) + gz(kGoodLabels.mid(3)));
        QCOMPARE(h.size(), 3);
        QVERIFY(h.pixels == d.pixels);
        QVERIFY(h.labels == d.labels);
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
        QTest::newRow("lying sizes: 60000 images in 1000 bytes (gzip)")
            << gz(images(0x803, 60000, 28, 28, 1000)) << L << "images.idx"
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
};

QTEST_APPLESS_MAIN(TestIdx)
#include "tst_idx.moc"
