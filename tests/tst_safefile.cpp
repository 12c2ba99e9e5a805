// Files named by a user (core/io/SafeFile.h): saves never replace a FIFO or a device, loaders never
// block on a FIFO, Ctrl-C during a save waits until the file is complete (and stops a long compression
// without touching the targets), a pair of files is replaced together or not at all, temporary files of
// a killed save are cleaned up, and a file is judged by its header before its bulk is read.
#include "core/data/Idx.h"
#include "core/io/SafeFile.h"
#include "core/io/SafeTensors.h"

#include <QDir>
#include <QtTest>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <pthread.h>
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

QByteArray readAll(const std::string &path)
{
    QFile f(QString::fromStdString(path));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeBytes(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

[[noreturn]] void throwRuntime(const std::string &path, const std::string &problem);

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
    void writeProtectedFilesAreKept();
    void loadersRefuseFifoWithoutBlocking();
    void signalDuringSaveWaitsForTheRename();
    void staleTemporariesOfDeadProcessesAreRemoved();
    void pairIsWrittenWholeOrNotAtAll();
    void ctrlCStopsALongCompressedExport();
    void ignoredSignalsInterruptNothing();
    void samePathWhateverTheSpelling_data();
    void samePathWhateverTheSpelling();
    void unwritableDirectoriesAreNamed();
    void saveIntoAReadOnlyFolderNamesTheFolder();
    void rawIdxJudgedByItsHeaderFirst();
    void modelJudgedByItsHeaderFirst();
    void readerRefuses_data();
    void readerRefuses();
    void readerReadsUpToTheCap_data();
    void readerReadsUpToTheCap();
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

// Before: a model made read-only (chmod 444) to keep it was replaced by a save over it (the rename needs only
// the directory's permission); the save refuses, the file and its folder as they were.
void TestSafeFile::writeProtectedFilesAreKept()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("lecture.safetensors").toStdString();
    saveSafetensors(path, {{"w", small()}}, {});
    const QByteArray before = readAll(path);
    QVERIFY(::chmod(path.c_str(), 0444) == 0);
    const std::string why = errorOf<FormatError>([&] { saveSafetensors(path, {{"w", small()}}, {{"run", "2"}}); });
    QVERIFY2(why == path + ": cannot save: the file is write-protected; make it writable (chmod u+w) to replace it, or choose another name",
             why.c_str());
    QCOMPARE(readAll(path), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{"lecture.safetensors"});
    // Writable again: replaced.
    QVERIFY(::chmod(path.c_str(), 0644) == 0);
    saveSafetensors(path, {{"w", small()}}, {{"run", "2"}});
    QVERIFY(readAll(path) != before);
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
    QVERIFY2(e == fifo + ": cannot open: it is a FIFO (named pipe)", e.c_str());
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

// Two files that belong together: when the second cannot be written, the first target keeps its old
// contents and no temporary file is left. Before, export had already replaced the images file when
// writing the labels failed, leaving new images beside old labels.
void TestSafeFile::pairIsWrittenWholeOrNotAtAll()
{
    QTemporaryDir dir;
    const std::string images = dir.filePath("images.idx").toStdString(), labels = dir.filePath("labels.idx").toStdString();
    writeBytes(images, "old images");
    writeBytes(labels, "old labels");
    const auto bytes = [](const char *text) {
        return [text](int fd, const std::string &) {
            file::writeExactly(fd, reinterpret_cast<const uint8_t *>(text), std::strlen(text), "", throwRuntime);
        };
    };
    const std::string e = errorOf<std::runtime_error>([&] {
        file::writeAtomically({{images, bytes("new images")},
                               {labels, [](int, const std::string &) { throwRuntime("labels", "disk full"); }}},
                              throwRuntime);
    });
    QCOMPARE(QString::fromStdString(e), QStringLiteral("labels: disk full"));
    const auto contents = [](const std::string &p) {
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    QCOMPARE(contents(images), std::string("old images"));
    QCOMPARE(contents(labels), std::string("old labels"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);  // no temporary file left
    // And when both can be written, both are replaced.
    file::writeAtomically({{images, bytes("new images")}, {labels, bytes("new labels")}}, throwRuntime);
    QCOMPARE(contents(images), std::string("new images"));
    QCOMPARE(contents(labels), std::string("new labels"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);
}

// A gzip'd export of 47 MB takes ~15 s at level 9; Ctrl-C waited for all of it. Now the compression
// stops at the next block when a termination signal is pending, and both old files stay. (The signal
// is blocked and taken back here, as DeferSignals would deliver it once the write gave up.)
void TestSafeFile::ctrlCStopsALongCompressedExport()
{
    QTemporaryDir dir;
    const std::string images = dir.filePath("i.idx.gz").toStdString(), labels = dir.filePath("l.idx.gz").toStdString();
    writeBytes(images, "old");
    Dataset d = tinyData();
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    QCOMPARE(pthread_sigmask(SIG_BLOCK, &set, &old), 0);
    QVERIFY(!file::terminationPending());
    ::raise(SIGINT);  // pending: blocked on this thread
    QVERIFY(file::terminationPending());
    const std::string e = errorOf<DataError>([&] { writeIdx(d, images, labels, true); });
    const timespec now{0, 0};
    QCOMPARE(sigtimedwait(&set, nullptr, &now), SIGINT);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    QVERIFY2(e.find("interrupted") != std::string::npos, e.c_str());
    std::ifstream in(images, std::ios::binary);
    QCOMPARE(std::string(std::istreambuf_iterator<char>(in), {}), std::string("old"));
    QVERIFY(!fs::exists(labels));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
    // Without a pending signal the same export completes.
    writeIdx(d, images, labels, true);
    QCOMPARE(loadIdx(images, labels, "back").pixels, d.pixels);
}

// Before: `nohup aelab-cli export ... &` said "interrupted" when the terminal closed: nohup ignores SIGHUP,
// but a blocked signal stays pending even when ignored, and the export took it for Ctrl-C.
void TestSafeFile::ignoredSignalsInterruptNothing()
{
    QTemporaryDir dir;
    const std::string images = dir.filePath("i.idx.gz").toStdString(), labels = dir.filePath("l.idx.gz").toStdString();
    Dataset d = tinyData();
    struct sigaction ignore{}, previous{};
    ignore.sa_handler = SIG_IGN;
    QCOMPARE(sigaction(SIGHUP, &ignore, &previous), 0);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    QCOMPARE(pthread_sigmask(SIG_BLOCK, &set, &old), 0);
    ::raise(SIGHUP);
    sigset_t pending;
    sigpending(&pending);
    const bool wasPending = sigismember(&pending, SIGHUP) == 1;
    const bool interrupted = file::terminationPending();
    std::string e;
    try {
        writeIdx(d, images, labels, true);
    } catch (const std::exception &x) {
        e = x.what();
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);  // the ignored signal is discarded
    sigaction(SIGHUP, &previous, nullptr);
    QVERIFY(wasPending);  // what made the old code stop
    QVERIFY(!interrupted);
    QVERIFY2(e.empty(), e.c_str());
    QCOMPARE(loadIdx(images, labels, "back").pixels, d.pixels);
}

void TestSafeFile::samePathWhateverTheSpelling_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");
    QTest::newRow("new file, ./") << "n.idx" << "./n.idx" << true;
    QTest::newRow("new file, via ..") << "n.idx" << "sub/../n.idx" << true;
    QTest::newRow("existing file, ./") << "e.idx" << "./e.idx" << true;
    QTest::newRow("through a link") << "e.idx" << "link.idx" << true;
    QTest::newRow("new file in a linked directory") << "sub/n.idx" << "sublink/n.idx" << true;
    QTest::newRow("two new files") << "n.idx" << "m.idx" << false;
    QTest::newRow("existing and new") << "e.idx" << "n.idx" << false;
    QTest::newRow("same name, other directory") << "e.idx" << "sub/e.idx" << false;
}

void TestSafeFile::samePathWhateverTheSpelling()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    writeBytes((root / "e.idx").string(), "e");
    fs::create_directory(root / "sub");
    fs::create_symlink(root / "e.idx", root / "link.idx");
    fs::create_directory_symlink(root / "sub", root / "sublink");
    const fs::path was = fs::current_path();
    fs::current_path(root);  // relative names, as a user types them
    const bool got = file::samePath(a.toStdString(), b.toStdString()), back = file::samePath(b.toStdString(), a.toStdString());
    fs::current_path(was);
    QCOMPARE(got, same);
    QCOMPARE(back, same);
}

// Asked before training: where the result could not be saved. (Write permission itself is not
// refused to root, which the test suite may run as; a non-root user gets "Permission denied".)
void TestSafeFile::unwritableDirectoriesAreNamed()
{
    QTemporaryDir dir;
    const std::string file = dir.filePath("f").toStdString();
    writeBytes(file, "f");
    QCOMPARE(file::whyDirectoryNotWritable(dir.filePath("new.st").toStdString()), std::string());
    QVERIFY(file::whyDirectoryNotWritable(dir.filePath("none/new.st").toStdString()).find("does not exist") != std::string::npos);
    QVERIFY(file::whyDirectoryNotWritable(file + "/new.st").find("is not a directory") != std::string::npos);
    if (::geteuid() != 0) {
        const std::string ro = dir.filePath("ro").toStdString();
        fs::create_directory(ro);
        ::chmod(ro.c_str(), 0555);
        QVERIFY(file::whyDirectoryNotWritable(ro + "/new.st").find("Permission denied") != std::string::npos);
        ::chmod(ro.c_str(), 0755);
    }
}

// Before: "cannot create temporary file '.../lecture.safetensors.tmp-4711-0': Permission denied", a file the
// user never named. The save is tried by a child process that is not root (root may write anywhere).
void TestSafeFile::saveIntoAReadOnlyFolderNamesTheFolder()
{
    QTemporaryDir dir;
    const std::string ro = dir.filePath("handout").toStdString(), path = ro + "/lecture.safetensors";
    QCOMPARE(::chmod(dir.path().toLocal8Bit().constData(), 0755), 0);
    fs::create_directory(ro);
    QCOMPARE(::chmod(ro.c_str(), 0555), 0);
    int out[2];
    QCOMPARE(::pipe(out), 0);
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(out[0]);
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(2);
        std::string e = "saved";
        try {
            saveSafetensors(path, {{"w", small()}}, {});
        } catch (const std::exception &x) {
            e = x.what();
        }
        const ssize_t n = ::write(out[1], e.data(), e.size());
        ::_exit(n == ssize_t(e.size()) ? 0 : 3);
    }
    QVERIFY(child > 0);
    ::close(out[1]);
    std::string got;
    char buf[512];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) got.append(buf, size_t(n));
    ::close(out[0]);
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 0);
    QCOMPARE(got, path + ": cannot save: no permission to create files in the folder '" + ro + "'");
    QVERIFY(fs::is_empty(ro));
    ::chmod(ro.c_str(), 0755);
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

namespace {

[[noreturn]] void throwRuntime(const std::string &path, const std::string &problem)
{
    throw std::runtime_error(path + ": " + problem);
}

}  // namespace

// The shared capped reader (SafeTensors and Idx read through it): what it refuses and the message.
// "take" asks for `take` bytes after opening (-1: none); the refusal comes before any allocation,
// so a request for 2^40 bytes fails within a 64 MB address-space allowance.
void TestSafeFile::readerRefuses_data()
{
    QTest::addColumn<QString>("file");    // a name in the test directory, or an absolute path
    QTest::addColumn<int>("bytes");       // the file's size when the test creates it (-1: it does not)
    QTest::addColumn<qint64>("cap");
    QTest::addColumn<qint64>("take");
    QTest::addColumn<QString>("why");
    QTest::newRow("missing") << "missing" << -1 << qint64(100) << qint64(-1) << "cannot open: no such file";
    QTest::newRow("directory") << "." << -1 << qint64(100) << qint64(-1) << "cannot open: it is a directory";
    QTest::newRow("FIFO") << "pipe" << -1 << qint64(100) << qint64(-1) << "cannot open: it is a FIFO (named pipe)";
    QTest::newRow("/dev/zero") << "/dev/zero" << -1 << qint64(100) << qint64(-1)
                               << "cannot open: it is a character device";
    QTest::newRow("over the cap") << "f" << 11 << qint64(10) << qint64(-1)
                                  << "the file is 11 bytes, more than the limit of 10 bytes";
    QTest::newRow("past the end") << "f" << 10 << qint64(100) << qint64(11)
                                  << "a read of 11 bytes at offset 0 runs past the end of the 10-byte file";
    QTest::newRow("2^40 bytes") << "f" << 10 << qint64(100) << (qint64(1) << 40)
                                << "a read of 1099511627776 bytes at offset 0 runs past the end of the 10-byte file";
}

void TestSafeFile::readerRefuses()
{
    QFETCH(QString, file);
    QFETCH(int, bytes);
    QFETCH(qint64, cap);
    QFETCH(qint64, take);
    QFETCH(QString, why);
    QTemporaryDir dir;
    const std::string path = file.startsWith('/') ? file.toStdString() : dir.filePath(file).toStdString();
    if (file == "pipe") QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
    if (bytes >= 0) writeBytes(path, std::string(size_t(bytes), 'x'));
    std::string e;
    withAddressSpaceCap(64u << 20, [&] {
        e = errorOf<std::runtime_error>([&] {
            file::Reader r(path, uint64_t(cap), throwRuntime);
            if (take >= 0) r.take(uint64_t(take));
        });
    });
    const std::string want = (file == "." ? dir.filePath(".").toStdString() : path) + ": " + why.toStdString();
    QCOMPARE(e, want);
}

// What the reader does give: the whole file at exactly the cap, and reads in pieces that add up.
void TestSafeFile::readerReadsUpToTheCap_data()
{
    QTest::addColumn<int>("bytes");
    QTest::addColumn<QList<int>>("pieces");
    QTest::newRow("empty file") << 0 << QList<int>{0};
    QTest::newRow("whole file at the cap") << 10 << QList<int>{10};
    QTest::newRow("3 + 0 + 7") << 10 << QList<int>{3, 0, 7};
}

void TestSafeFile::readerReadsUpToTheCap()
{
    QFETCH(int, bytes);
    QFETCH(QList<int>, pieces);
    QTemporaryDir dir;
    const std::string path = dir.filePath("f").toStdString();
    std::string content;
    for (int i = 0; i < bytes; ++i) content += char('a' + i);
    writeBytes(path, content);
    file::Reader r(path, uint64_t(bytes), throwRuntime);
    QCOMPARE(r.size(), uint64_t(bytes));
    std::string got;
    for (int n : pieces) {
        const std::vector<uint8_t> part = r.take(uint64_t(n));
        got.append(part.begin(), part.end());
    }
    QCOMPARE(got, content);
    QCOMPARE(r.remaining(), uint64_t(0));
}

QTEST_APPLESS_MAIN(TestSafeFile)
#include "tst_safefile.moc"
