// Absolute size caps, checked before a byte of content is read: an IDX file above ~2 GiB (raw, or a
// gzip stream that would have to be read whole) and a model file above 4 GiB are refused by their
// size alone, with a message naming the file and the limit. The files are sparse (resize_file), so
// nothing big is written; the peak resident memory shows that nothing big was read either.
#include "core/data/Idx.h"
#include "core/io/ModelFile.h"
#include "core/io/SafeTensors.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include <sys/resource.h>

namespace fs = std::filesystem;
using namespace ael;

namespace {

template <class E, class F> std::string errorOf(F &&f)
{
    try {
        f();
    } catch (const E &e) {
        return e.what();
    }
    return "(no error)";
}

void writeBytes(const std::string &path, const std::string &bytes) { std::ofstream(path, std::ios::binary) << bytes; }

/// Peak resident memory of this process so far, in MB.
double peakResidentMb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;
}

constexpr uint64_t kGiB = uint64_t(1) << 30;

}  // namespace

class TestCaps : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }
    void idxAboveTheCap_data();
    void idxAboveTheCap();
    void modelAboveTheCap();
    void capsAreWhatTheLoadersUse();

private:
    std::string path(const char *name) const { return dir_.filePath(QString::fromLatin1(name)).toStdString(); }
    QTemporaryDir dir_;
};

void TestCaps::idxAboveTheCap_data()
{
    QTest::addColumn<QByteArray>("head");
    // A raw header declaring 2 images of 2x2, and a gzip member's first bytes: both refused by size.
    QTest::newRow("raw") << QByteArray("\0\0\x08\x03\0\0\0\x02\0\0\0\x02\0\0\0\x02", 16);
    QTest::newRow("gzip") << QByteArray("\x1f\x8b\x08\0\0\0\0\0\0\x03", 10);
}

void TestCaps::idxAboveTheCap()
{
    QFETCH(QByteArray, head);
    const std::string images = path("images"), labels = path("labels");
    writeBytes(labels, std::string("\0\0\x08\x01\0\0\0\x02\x01\x02", 10));
    writeBytes(images, head.toStdString());
    const uint64_t size = 3 * kGiB;
    fs::resize_file(images, size);  // sparse: no disk space used
    const double before = peakResidentMb();
    const std::string e = errorOf<DataError>([&] { loadIdx(images, labels, "x"); });
    QVERIFY2(e == images + ": the file is " + std::to_string(size) + " bytes, more than the limit of " +
                      std::to_string(2 * kIdxMaxImagesFileBytes) + " bytes",
             e.c_str());
    QVERIFY2(peakResidentMb() - before < 64, qPrintable(QString::number(peakResidentMb() - before)));
    fs::remove(images);
}

void TestCaps::modelAboveTheCap()
{
    const std::string model = path("big.safetensors");
    saveSafetensors(model, {{"w", Matrix::Constant(3, 2, 0.5f)}}, {});
    const uint64_t size = kSafetensorsMaxFileBytes + 1;
    fs::resize_file(model, size);
    const double before = peakResidentMb();
    const std::string expected =
        model + ": the file is " + std::to_string(size) + " bytes, more than the limit of " + std::to_string(4 * kGiB) + " bytes";
    std::string e = errorOf<FormatError>([&] { loadSafetensors(model); });
    QVERIFY2(e.find(expected) != std::string::npos, e.c_str());
    e = errorOf<std::exception>([&] { loadModel(model); });
    QVERIFY2(e.find(expected) != std::string::npos, e.c_str());
    QVERIFY2(peakResidentMb() - before < 64, qPrintable(QString::number(peakResidentMb() - before)));
    fs::remove(model);
}

void TestCaps::capsAreWhatTheLoadersUse()
{
    // The caps as stated in the headers: ~2 GiB for an IDX images file, 4 GiB for a model.
    QCOMPARE(2 * kIdxMaxImagesFileBytes, 2 * (kGiB + 16));
    QCOMPARE(kSafetensorsMaxFileBytes, 4 * kGiB);
    // At the model cap exactly, the size alone does not refuse it: the header does (it covers 24 bytes).
    const std::string model = path("atcap.safetensors");
    saveSafetensors(model, {{"w", Matrix::Constant(3, 2, 0.5f)}}, {});
    fs::resize_file(model, kSafetensorsMaxFileBytes);
    const std::string e = errorOf<FormatError>([&] { loadSafetensors(model); });
    QVERIFY2(e.find("the tensors cover 24 bytes") != std::string::npos, e.c_str());
    fs::remove(model);
}

QTEST_APPLESS_MAIN(TestCaps)
#include "tst_caps.moc"
