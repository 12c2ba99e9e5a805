// "Nothing lost": aelab-cli replaces its output files atomically. A writer killed with SIGKILL at any
// moment (while training, while writing, while renaming) leaves the target either exactly as it was
// or exactly as a finished run writes it, and the file loads. Runs are deterministic (--seed,
// --threads 1): the old file is compared byte for byte, the new one with the output of an uninterrupted
// run (for models: the same weights bit for bit and the same metadata but the "seconds" it took).
#include "core/io/ModelFile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <csignal>
#include <cstring>
#include <algorithm>
#include <functional>

#ifndef AELAB_CLI
#error "tests/CMakeLists.txt defines AELAB_CLI, the path of the built aelab-cli"
#endif

class TestAtomicWrites : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void killedTrainLeavesOldOrNewModel();
    void killedReconLeavesOldOrNewPng();

private:
    /// Runs aelab-cli to the end; returns its exit code (-1 if it crashed or hung).
    int run(const QStringList &args, QString *err = nullptr);
    /// Starts aelab-cli and SIGKILLs it after `delayMs` (unless it finished before); true if it was killed.
    bool runAndKill(const QStringList &args, int delayMs);
    /// Alternates the two commands `rounds` times, killing each at a random moment of its run, and checks
    /// after each that `target` holds exactly one of the two finished outputs: the old or the new one.
    void killLoop(const QStringList (&commands)[2], const QByteArray (&outputs)[2], const QString &target,
                  int fullRunMs, int rounds, const std::function<bool(const QByteArray &, const QByteArray &)> &same);
    QString path(const QString &name) const { return dir_.filePath(name); }

    QTemporaryDir dir_;
    QByteArray models_[2];
    int trainMs_ = 0;
};

namespace {

QByteArray readAll(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList trainArgs(const QString &out, int seed)
{
    return {"train", "--arch", "784-[32]-784", "--batch", "32", "--steps", "60", "--seed", QString::number(seed),
            "--threads", "1", "--quiet", "--out", out};
}

// Two model files hold the same model: weights bit for bit, configuration and metadata but "seconds".
bool sameModel(const QByteArray &a, const QByteArray &b)
{
    try {
        const auto ma = ael::loadModelFromMemory(reinterpret_cast<const uint8_t *>(a.data()), size_t(a.size()), "a");
        const auto mb = ael::loadModelFromMemory(reinterpret_cast<const uint8_t *>(b.data()), size_t(b.size()), "b");
        auto meta = [](std::map<std::string, std::string> m) {
            m.erase("seconds");
            return m;
        };
        if (meta(ma.metadata) != meta(mb.metadata)) return false;
        const auto pa = ma.model->params(), pb = mb.model->params();
        if (pa.size() != pb.size()) return false;
        for (size_t i = 0; i < pa.size(); ++i) {
            const ael::Matrix &x = pa[i]->value, &y = pb[i]->value;
            if (pa[i]->name != pb[i]->name || x.rows() != y.rows() || x.cols() != y.cols() ||
                std::memcmp(x.data(), y.data(), sizeof(float) * size_t(x.size())) != 0)
                return false;
        }
        return true;
    } catch (const ael::FormatError &) {
        return false;
    }
}

bool sameBytes(const QByteArray &a, const QByteArray &b) { return a == b; }

}  // namespace

int TestAtomicWrites::run(const QStringList &args, QString *err)
{
    QProcess p;
    p.setWorkingDirectory(dir_.path());
    p.start(QStringLiteral(AELAB_CLI), args);
    if (!p.waitForStarted() || !p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (err) *err = QString::fromUtf8(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

bool TestAtomicWrites::runAndKill(const QStringList &args, int delayMs)
{
    QProcess p;
    p.setWorkingDirectory(dir_.path());
    p.start(QStringLiteral(AELAB_CLI), args);
    if (!p.waitForStarted()) return false;
    if (p.waitForFinished(delayMs)) return false;
    ::kill(pid_t(p.processId()), SIGKILL);
    p.waitForFinished();
    return p.exitStatus() == QProcess::CrashExit;
}

// The two finished outputs, written by uninterrupted runs; both load (in process and with aelab-cli eval).
void TestAtomicWrites::initTestCase()
{
    QVERIFY(dir_.isValid());
    for (int i = 0; i < 2; ++i) {
        const QString file = path(QString("model%1.safetensors").arg(i));
        QString err;
        QElapsedTimer t;
        t.start();
        QCOMPARE(run(trainArgs(file, i + 1), &err), 0);
        trainMs_ = std::max(trainMs_, int(t.elapsed()));  // a full run, to spread the kills over
        models_[i] = readAll(file);
        QVERIFY(!models_[i].isEmpty());
        QCOMPARE(run({"eval", "--model", file, "--threads", "1"}, &err), 0);
    }
    QVERIFY(!sameModel(models_[0], models_[1]));
    // Deterministic: the same command writes the same model.
    QCOMPARE(run(trainArgs(path("again.safetensors"), 1)), 0);
    QVERIFY(sameModel(readAll(path("again.safetensors")), models_[0]));
}

void TestAtomicWrites::killLoop(const QStringList (&commands)[2], const QByteArray (&outputs)[2],
                                const QString &target, int fullRunMs, int rounds,
                                const std::function<bool(const QByteArray &, const QByteArray &)> &same)
{
    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("kill moments from seed %u, a full run takes about %d ms", seed, fullRunMs);
    QRandomGenerator rng(seed);
    int killed = 0, replaced = 0;
    int current = 0;  // the target holds outputs[0] now
    QByteArray before = readAll(target);
    for (int round = 0; round < rounds; ++round) {
        const int next = 1 - current;
        // Uniform over the whole run and beyond (a loaded machine runs slower); the write is at its end.
        const int delay = int(rng.bounded(fullRunMs * 3 / 2 + 1));
        killed += runAndKill(commands[next], delay);
        const QByteArray now = readAll(target);
        const bool old = now == before;
        QVERIFY2(old || same(now, outputs[next]),
                 qPrintable(QString("round %1, killed after %2 ms: %3 bytes on disk, neither the old file (%4 bytes) "
                                    "nor the new one")
                                .arg(round).arg(delay).arg(now.size()).arg(before.size())));
        if (!old) {
            current = next;
            before = now;
            ++replaced;
        }
    }
    qInfo("%d rounds: %d killed, %d replaced the file", rounds, killed, replaced);
    // Killed writers may leave their temporary files behind (beside the target, never under its name).
    const QStringList all = QDir(dir_.path()).entryList(QDir::Files);
    qInfo("%lld files in the folder after the loop", qlonglong(all.size()));
}

// train --out: killed at random moments of 12 runs.
void TestAtomicWrites::killedTrainLeavesOldOrNewModel()
{
    const QString target = path("target.safetensors");
    QVERIFY(QFile::copy(path("model0.safetensors"), target));
    const QStringList commands[2] = {trainArgs(target, 1), trainArgs(target, 2)};
    killLoop(commands, models_, target, trainMs_, 12, sameModel);
    // Whatever is there loads.
    QString err;
    QCOMPARE(run({"eval", "--model", target, "--threads", "1"}, &err), 0);
    ael::loadModel(target.toStdString());
}

// recon --out (QSaveFile): the PNG of one model or the other, never a torn image.
void TestAtomicWrites::killedReconLeavesOldOrNewPng()
{
    QByteArray pngs[2];
    QStringList commands[2];
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < 2; ++i) {
        const QString file = path(QString("recon%1.png").arg(i));
        QCOMPARE(run({"recon", "--model", path(QString("model%1.safetensors").arg(i)), "--threads", "1", "--out", file}),
                 0);
        pngs[i] = readAll(file);
        QVERIFY(!QImage::fromData(pngs[i], "PNG").isNull());
    }
    const int reconMs = int(t.elapsed() / 2);  // one full run
    QVERIFY(pngs[0] != pngs[1]);
    const QString target = path("target.png");
    QVERIFY(QFile::copy(path("recon0.png"), target));
    for (int i = 0; i < 2; ++i)
        commands[i] = {"recon", "--model", path(QString("model%1.safetensors").arg(i)), "--threads", "1", "--out", target};
    killLoop(commands, pngs, target, reconMs, 6, sameBytes);
    QVERIFY(!QImage(target).isNull());
}

QTEST_GUILESS_MAIN(TestAtomicWrites)
#include "tst_atomic_writes.moc"
