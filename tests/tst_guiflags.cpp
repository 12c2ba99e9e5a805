// aelab's command line (QProcess on the built window, offscreen): malformed or out-of-range values and
// unknown flags exit 2 with a message naming the flag, as aelab-cli does, before any window work is
// saved; --images/--labels open an IDX pair (a bad pair names the file and exits 2 when unattended);
// a valid 255x255 pair trains and reports the PCA's outcome instead of aborting.
#include "core/data/Idx.h"
#include "core/Rng.h"

#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#ifndef AELAB_GUI
#error "tests/CMakeLists.txt defines AELAB_GUI, the path of the built aelab"
#endif

namespace {

struct Run {
    int code = -1;
    QByteArray out, err;
};

/// Runs aelab offscreen, or (withDisplay false) as on a machine with no display at all: the X11 platform
/// and neither DISPLAY nor WAYLAND_DISPLAY, where opening a window aborts.
Run run(const QString &dir, const QStringList &args, bool withDisplay = true)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), withDisplay ? QStringLiteral("offscreen") : QStringLiteral("xcb"));
    if (!withDisplay) {
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    }
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir + QStringLiteral("/config"));  // never the user's settings
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(AELAB_GUI), args);
    Run r;
    if (!p.waitForStarted() || !p.waitForFinished(600000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1000 - p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

/// n random images of side x side pixels, labels 0..9 in turn.
void writePair(const QString &images, const QString &labels, int side, int n)
{
    ael::Dataset d;
    d.name = "pair";
    d.rows = d.cols = side;
    ael::Rng rng(11);
    for (int j = 0; j < n; ++j) {
        for (int p = 0; p < side * side; ++p) d.pixels.push_back(uint8_t(rng.below(256)));
        d.labels.push_back(uint8_t(j % 10));
    }
    ael::writeIdx(d, images.toStdString(), labels.toStdString(), false);
}

}  // namespace

class TestGuiFlags : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        writePair(dir_.filePath("small-images"), dir_.filePath("small-labels"), 8, 60);
        QFile junk(dir_.filePath("junk"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not an IDX file at all");
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QString>("what");
        auto row = [](const char *name, QStringList a, const char *flag, const char *what) {
            QTest::newRow(name) << a << QString::fromLatin1(flag) << QString::fromUtf8(what);
        };
        row("batch 0", {"--batch", "0"}, "--batch", "0 is out of range (1 to 65536)");
        row("batch -5", {"--batch=-5"}, "--batch", "-5 is out of range (1 to 65536)");
        row("batch abc", {"--batch", "abc"}, "--batch", "'abc' is not a whole number");
        row("batch 1.5", {"--batch", "1.5"}, "--batch", "not a whole number");
        row("threads 1000", {"--threads", "1000"}, "--threads", "1000 is out of range (1 to 64)");
        row("threads 0", {"--threads", "0"}, "--threads", "out of range");
        row("nice 30", {"--analysis-nice", "30"}, "--analysis-nice", "30 is out of range (0 to 19)");
        row("seconds abc", {"--train-seconds", "abc"}, "--train-seconds", "is not a number");
        row("seconds nan", {"--train-seconds", "nan"}, "--train-seconds", "is not a number");
        row("seconds -1", {"--train-seconds", "-1"}, "--train-seconds", "out of range");
        row("size 10x10", {"--size", "10x10"}, "--size", "out of range");
        row("size big", {"--size", "big"}, "--size", "is not WIDTHxHEIGHT");
        row("arch k too large", {"--arch", "784-[100000]-784"}, "--arch", "the code size 100000 is out of range (1 to 4096)");
        row("arch hidden too large", {"--arch", "784-5000-[2]-5000-784"}, "--arch", "a hidden width 5000 is out of range");
        row("arch wrong input", {"--arch", "100-[10]-100"}, "--arch", "expects 100 inputs");
        row("arch malformed", {"--arch", "784-[x]-784"}, "--arch", "");
        row("unknown flag", {"--bogus"}, "--bogus", "unknown flag");
        row("unknown with value", {"--bogus=3"}, "--bogus", "unknown flag");
        row("missing value", {"--batch"}, "--batch", "");
        row("stray argument", {"extra"}, "'extra'", "unexpected argument");
        row("images without labels", {"--images", "small-images"}, "--images", "needs --labels");
        row("labels without images", {"--labels", "small-labels"}, "--labels", "needs --images");
        row("missing images file", {"--images", "nothere", "--labels", "small-labels"}, "nothere", "");
        row("not an IDX file", {"--images", "junk", "--labels", "small-labels"}, "junk", "");
        row("labels of another size", {"--images", "small-images", "--labels", "junk"}, "junk", "");
        row("lr 0", {"--lr", "0"}, "--lr", "0 is out of range (1e-08 to 10000)");
        row("lr abc", {"--lr", "abc"}, "--lr", "'abc' is not a number");
        row("runs 0", {"--runs", "0"}, "--runs", "0 is out of range (1 to 1000)");
        row("target 2", {"--target", "2"}, "--target", "2 is out of range");
        row("data unknown", {"--data", "cifar"}, "--data", "'cifar' is not mnist or fashion");
        row("data and images", {"--data", "mnist", "--images", "small-images", "--labels", "small-labels"}, "--data",
            "not both");
        row("arch against the IDX pair", {"--images", "small-images", "--labels", "small-labels", "--arch", "784-[2]-784"},
            "--arch", "have 64 pixels; give --arch 64-...-64");
    }

    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, flag);
        QFETCH(QString, what);
        const QString shot = dir_.filePath("never.png");
        QStringList all = args + QStringList{"--fresh", "--screenshot", shot};
        if (!args.contains(QStringLiteral("--train-seconds"))) all << "--train-seconds" << "0";
        const Run r = run(dir_.path(), all);
        if (r.code != 2) qWarning("rc %d, stderr: %s", r.code, r.err.constData());
        QCOMPARE(r.code, 2);
        // One message of ours (Qt may add its own notes, e.g. about XDG_RUNTIME_DIR).
        QStringList ours;
        for (const QString &line : QString::fromUtf8(r.err).split(QLatin1Char('\n')))
            if (line.startsWith(QStringLiteral("aelab: "))) ours << line;
        QVERIFY2(ours.size() == 1, r.err.constData());
        QVERIFY2(ours[0].contains(flag), qPrintable(ours[0]));
        QVERIFY2(ours[0].contains(what), qPrintable(ours[0]));
        QVERIFY(!QFileInfo::exists(shot));
    }

    // The usage text needs no display (over ssh, on a build server): it is printed, not a platform abort.
    void helpNeedsNoDisplay_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("--help") << QStringList{"--help"};
        QTest::newRow("-h") << QStringList{"-h"};
        QTest::newRow("after other flags") << QStringList{"--fresh", "--batch", "64", "--help"};
    }
    void helpNeedsNoDisplay()
    {
        QFETCH(QStringList, args);
        const Run r = run(dir_.path(), args, false);
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith("Usage:"), r.out.left(200).constData());
        QVERIFY(r.out.contains("--presentation"));
        QVERIFY(r.out.contains("--images <FILE>"));  // StartFlags' options too
        // Without --help the same environment still cannot open the window (the check above means something).
        const Run window = run(dir_.path(), {"--fresh", "--startup-time"}, false);
        QVERIFY2(window.code != 0, window.out.constData());
    }

    void escapesInMessages()
    {
        const Run r = run(dir_.path(), {"--fresh", "--batch", QStringLiteral("1\x1b]0;owned\x07"), "--screenshot", "x.png"});
        QCOMPARE(r.code, 2);
        QVERIFY2(!r.err.contains('\x1b') && !r.err.contains('\x07'), r.err.constData());
        QVERIFY2(r.err.toLower().contains("\\x1b]0;owned\\x07"), r.err.constData());
    }

    void idxPairFromTheCommandLine()
    {
        const QString shot = dir_.filePath("small.png");
        const Run r = run(dir_.path(), {"--fresh", "--images", "small-images", "--labels", "small-labels", "--arch", "64-[3]-64",
                                        "--train-seconds", "1", "--screenshot", shot, "--size", "1024x700"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("data small-images (60 images), 8x8 pixels, model 64-[3]-64"), r.out.constData());
        QVERIFY(!QImage(shot).isNull());
    }

    /// 255x255 = 65,025 pixels: the PCA takes the Gram matrix path; the window trains and reports.
    void largeImagesDoNotAbort()
    {
        writePair(dir_.filePath("big-images"), dir_.filePath("big-labels"), 255, 60);
        const QString shot = dir_.filePath("big.png");
        const Run r = run(dir_.path(), {"--fresh", "--images", "big-images", "--labels", "big-labels", "--arch",
                                        "65025-[4]-65025", "--train-seconds", "2", "--screenshot", shot, "--size", "1024x700"});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(QStringLiteral("255x255 pixels, model 65025-[4]-65025")), qPrintable(out));
        // The PCA's outcome is reported either way (fitted, or why not), never an abort.
        const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("PCA: (fitted|failed|fitting)")).match(out);
        QVERIFY2(m.hasMatch(), qPrintable(out));
        const QRegularExpressionMatch step = QRegularExpression(QStringLiteral("step (\\d+)")).match(out);
        QVERIFY2(step.hasMatch() && step.captured(1).toLongLong() > 0, qPrintable(out));
        QVERIFY(!QImage(shot).isNull());
    }

    /// --measure-draw-latency times the repaints a drawing causes. On a small screen the Draw panel is a tab behind
    /// the controls; it is brought to the front, else no repaint is ever timed and the report said "0 moves, 0.0 ms".
    void drawLatencyTimesRepaints()
    {
        const Run r = run(dir_.path(), {"--fresh", "--measure-draw-latency", "1"});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("repainted \\((\\d+) moves at 60 Hz\\): p50 ([0-9.]+) ms")).match(QString::fromUtf8(r.out));
        QVERIFY2(m.hasMatch(), r.out.constData());
        QVERIFY2(m.captured(1).toInt() > 0, r.out.constData());
        QVERIFY2(m.captured(2).toDouble() > 0, r.out.constData());
    }

private:
    QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(TestGuiFlags)
#include "tst_guiflags.moc"
