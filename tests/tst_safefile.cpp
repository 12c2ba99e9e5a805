// Files named by a user (core/io/SafeFile.h): saves never replace a FIFO or a device, loaders never
// block on a FIFO, Ctrl-C during a save waits until the file is complete, temporary files of a
// killed save are cleaned up, and a file is judged by its header before its bulk is read.
#include "core/data/Idx.h"
#include "core/io/SafeFile.h"
#include "core/io/SafeTensors.h"

#include <QtTest>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ael;
namespace fs = std::filesystem;

namespace {

Matrix small() { return Matrix::Constant(3, 2, 0.5f); }

Dataset tinyData()
{
    Dataset d;
    d.name = "tiny";
    d.rows = d.cols = 2;
    d.pixels = {0, 1, 2, 3, 4, 5, 6, 7};
    d.labels = {1, 2};
    return d;
}

bool isFifo(const std::string &p)
{
    struct stat st{};
    return ::stat(p.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

template <class E, class F> std::string errorOf(F &&f)
{
    try {
        f();
    } catch (const E &e) {
        return e.what();
    }
    return "(no error)";
}

void writeBytes(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

// The signal test's state: what the handler saw when the deferred signal arrived.
char gTarget[4096], gTemporary[4096];
volatile sig_atomic_t gHandled = 0, gTargetThere = 0, gTemporaryThere = 0;
extern "C" void onTerm(int)
{
    gHandled = 1;
    gTargetThere = ::access(gTarget, F_OK) == 0;
    gTemporaryThere = ::access(gTemporary, F_OK) == 0;
}

/// Runs f with the address space capped at what the process maps now plus `extra` bytes.
template <class F> void withAddressSpaceCap(size_t extra, F &&f)
{
    long pages = 0;
    std::ifstream("/proc/self/statm") >> pages;
    struct rlimit saved{};
    getrlimit(RLIMIT_AS, &saved);
    struct rlimit low = saved;
    low.rlim_cur = rlim_t(pages) * rlim_t(::sysconf(_SC_PAGESIZE)) + extra;
    setrlimit(RLIMIT_AS, &low);
    try {
        f();
    } catch (...) {
        setrlimit(RLIMIT_AS, &saved);
        throw;
    }
    setrlimit(RLIMIT_AS, &saved);
}

}  // namespace

class TestSafeFile : public QObject {
    Q_OBJECT
private slots:
    void specialFilesAreNotWritable_data();
    void specialFilesAreNotWritable();
    void saveRefusesFifo();
    void loadersRefuseFifoWithoutBlocking();
    void signalDuringSaveWaitsForTheRename();
    void staleTemporariesOfDeadProcessesAreRemoved();
    void rawIdxJudgedByItsHeaderFirst();
    void modelJudgedByItsHeaderFirst();
};

void TestSafeFile::specialFilesAreNotWritable_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("why");
    QTest::newRow("/dev/null") << "/dev/null" << "a character device";
    QTest::newRow("/dev/zero") << "/dev/zero" << "a character device";
    QTest::newRow("directory") << "/" << "names a directory";
    QTest::newRow("sub/") << "sub/" << "names a directory";
    QTest::newRow("empty") << "" << "empty";
}

void TestSafeFile::specialFilesAreNotWritable()
{
    QFETCH(QString, path);
    QFETCH(QString, why);
    const QString got = QString::fromStdString(file::whyNotWritable(path.toStdString()));
    QVERIFY2(got.contains(why), qPrintable(got));
    QTemporaryDir dir;
    QCOMPARE(file::whyNotWritable(dir.filePath("new.safetensors").toStdString()), std::string());
}

// Before: the temporary file was renamed over the FIFO (as root, over /dev/null too).
void TestSafeFile::saveRefusesFifo()
{
    QTemporaryDir dir;
    const std::string fifo = dir.filePath("pipe").toStdString();
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string model = errorOf<FormatError>([&] { saveSafetensors(fifo, {{"w", small()}}, {}); });
    QVERIFY2(model == fifo + ": cannot save: it is a FIFO (named pipe); only a regular file or a new path is written",
             model.c_str());
    const std::string images = errorOf<DataError>([&] { writeIdx(tinyData(), fifo, fifo + "-labels", false); });
    QVERIFY2(images.find("it is a FIFO") != std::string::npos, images.c_str());
    const std::string labels = errorOf<DataError>([&] {
        writeIdx(tinyData(), dir.filePath("images").toStdString(), fifo, false);
    });
    QVERIFY2(labels.find("it is a FIFO") != std::string::npos, labels.c_str());
    QVERIFY(isFifo(fifo));
    QStringList left = QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    left.removeAll("images");  // written before the labels were refused
    QCOMPARE(left, QStringList{"pipe"});
}

// Before: the IDX loader opened first and blocked for ever waiting for a writer.
void TestSafeFile::loadersRefuseFifoWithoutBlocking()
{
    QTemporaryDir dir;
    const std::string fifo = dir.filePath("pipe").toStdString();
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string labels = dir.filePath("labels").toStdString();
    writeBytes(labels, std::string("\0\0\x08\x01\0\0\0\x01\x03", 9));
    std::string e = errorOf<DataError>([&] { loadIdx(fifo, labels, "x"); });
    QVERIFY2(e == fifo + ": cannot open: it is a FIFO (named pipe)", e.c_str());
    e = errorOf<DataError>([&] { loadIdx(labels, fifo, "x"); });
    QVERIFY2(e == fifo + ": cannot open: it is a FIFO (named pipe)", e.c_str());
    e = errorOf<FormatError>([&] { loadSafetensors(fifo); });
    QVERIFY2(e.find("not a regular file") != std::string::npos, e.c_str());
}

// A SIGTERM raised while the temporary file is being written is held until the rename is done: the
// handler then finds the complete target and no temporary file. Before, it ran mid-write.
void TestSafeFile::signalDuringSaveWaitsForTheRename()
{
    QTemporaryDir dir;
    const std::string target = dir.filePath("model.safetensors").toStdString();
    std::snprintf(gTarget, sizeof gTarget, "%s", target.c_str());
    struct sigaction sa{}, old{};
    sa.sa_handler = onTerm;
    sigemptyset(&sa.sa_mask);
    QCOMPARE(sigaction(SIGTERM, &sa, &old), 0);
    gHandled = 0;
    bool handledInside = true;
    file::writeAtomically(
        target,
        [&](int fd, const std::string &tmp) {
            std::snprintf(gTemporary, sizeof gTemporary, "%s", tmp.c_str());
            ::raise(SIGTERM);
            handledInside = gHandled != 0;
            file::writeExactly(fd, reinterpret_cast<const uint8_t *>("data"), 4, target,
                               [](const std::string &p, const std::string &w) { throw std::runtime_error(p + w); });
        },
        [](const std::string &p, const std::string &w) { throw std::runtime_error(p + ": " + w); });
    sigaction(SIGTERM, &old, nullptr);
    QVERIFY(!handledInside);
    QVERIFY(gHandled);
    QVERIFY(gTargetThere);
    QVERIFY(!gTemporaryThere);
}

void TestSafeFile::staleTemporariesOfDeadProcessesAreRemoved()
{
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    QVERIFY(child > 0);
    QCOMPARE(::waitpid(child, nullptr, 0), child);  // now a pid with no process
    QTemporaryDir dir;
    const std::string target = dir.filePath("m.safetensors").toStdString();
    const std::string dead = target + ".tmp-" + std::to_string(child) + "-0";
    const std::string mine = target + ".tmp-" + std::to_string(::getpid()) + "-999";
    const std::string other = dir.filePath("other.safetensors.tmp-" + QString::number(child) + "-0").toStdString();
    const std::string notOurs = target + ".tmp-" + std::to_string(child) + "-x";
    for (const auto &p : {dead, mine, other, notOurs}) writeBytes(p, "partial");
    saveSafetensors(target, {{"w", small()}}, {});
    QVERIFY(!fs::exists(dead));
    QVERIFY(fs::exists(mine));     // this process may still be writing it
    QVERIFY(fs::exists(other));    // another target's
    QVERIFY(fs::exists(notOurs));  // not our naming
    QCOMPARE(loadSafetensors(target).tensors.size(), size_t(1));
}

// A 1.5 GB raw IDX file whose header says 2 images: refused after its 16 header bytes, within a
// 256 MB address-space allowance (before, the whole file was read first: std::bad_alloc).
void TestSafeFile::rawIdxJudgedByItsHeaderFirst()
{
    QTemporaryDir dir;
    const std::string images = dir.filePath("images").toStdString(), labels = dir.filePath("labels").toStdString();
    writeBytes(labels, std::string("\0\0\x08\x01\0\0\0\x02\x01\x02", 10));
    writeBytes(images, std::string("\0\0\x08\x03\0\0\0\x02\0\0\0\x02\0\0\0\x02", 16));
    fs::resize_file(images, 1'500'000'000);
    std::string e;
    withAddressSpaceCap(256u << 20, [&] { e = errorOf<DataError>([&] { loadIdx(images, labels, "x"); }); });
    QVERIFY2(e == images + ": header says 2 images of 2x2 (8 bytes) but the file holds 1499999976 extra bytes after them",
             e.c_str());
}

// The same for a model file: a 1.5 GB file whose header declares 24 bytes of tensors.
void TestSafeFile::modelJudgedByItsHeaderFirst()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("big.safetensors").toStdString();
    saveSafetensors(path, {{"w", small()}}, {});
    fs::resize_file(path, 1'500'000'000);
    std::string e;
    withAddressSpaceCap(256u << 20, [&] { e = errorOf<FormatError>([&] { loadSafetensors(path); }); });
    QVERIFY2(e.find("the tensors cover 24 bytes but the data buffer has") != std::string::npos, e.c_str());
}

QTEST_APPLESS_MAIN(TestSafeFile)
#include "tst_safefile.moc"
