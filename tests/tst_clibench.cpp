// aelab-cli bench --peak and --compare end to end (QProcess). --compare runs against a stand-in "python" (a
// shell script) that answers like the PyTorch reference, so the test needs neither Python nor PyTorch and checks
// what the engine hands the reference (the embedded script, the data, the flags) and how it reads the answer.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

#include <csignal>

#ifndef AELAB_CLI
#error "tests/CMakeLists.txt defines AELAB_CLI, the path of the built aelab-cli"
#endif

namespace {
struct Run {
    int code = -1;
    QString out, err;
};

Run run(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(AELAB_CLI), args);
    Run r;
    if (!p.waitForStarted() || !p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

const QStringList kOneShortRun = {"--models", "C", "--batches", "512", "--max-epochs", "1", "--min-epochs", "1",
                                  "--threads", "1"};
}  // namespace

class TestCliBench : public QObject {
    Q_OBJECT
private slots:
    void peak_data();
    void peak();
    void productsAndPhases();
    void productCalls();
    void epochBounds_data();
    void epochBounds();
    void missingPython_data();
    void missingPython();
    void compare();
    void neighbour();
    void interruptedCompareCleansUp_data();
    void interruptedCompareCleansUp();
};

void TestCliBench::peak_data()
{
    QTest::addColumn<QString>("cap");   // ONEDNN_MAX_CPU_ISA, or empty
    QTest::addColumn<QString>("isa");   // the instruction set oneDNN's products then run (empty: the CPU's widest)
    QTest::newRow("oneDNN at the CPU's widest") << QString() << QString();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        QTest::newRow("oneDNN held to AVX2") << "AVX2" << "AVX2/FMA";
    QTest::newRow("oneDNN held to SSE4.1") << "SSE41" << "SSE";
}

void TestCliBench::peak()
{
    QFETCH(QString, cap);
    QFETCH(QString, isa);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("ONEDNN_MAX_CPU_ISA");
    env.remove("AELAB_GEMM");
    if (!cap.isEmpty()) env.insert("ONEDNN_MAX_CPU_ISA", cap);
    const Run r = run(QStringList{"bench", "--peak"} + kOneShortRun, env);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    // Widest instruction set first, SSE (every x86-64 has it) last.
    static const QRegularExpression head(
        R"(^peak fp32 \(1 threads\): (AVX-512|AVX2/FMA|SSE) (\d+\.\d) GFLOP/s(, AVX2/FMA \d+\.\d)?(, SSE \d+\.\d)?$)");
    const QRegularExpressionMatch m = head.match(lines[0]);
    QVERIFY2(m.hasMatch(), qPrintable(lines[0]));
    QVERIFY(m.captured(2).toDouble() > 0);
    QVERIFY(lines[0].contains(QRegularExpression(R"(SSE \d+\.\d$)")));
    // The engine's GEMM on a 1024³ product, run with oneDNN's instruction set (named), against the peak of the
    // wider of that and this build's own: a share no model's products reach.
    static const QRegularExpression gemm(
        R"(^GEMM ceiling \(1024³ on each of 1 threads, onednn at (AVX-512|AVX2/FMA|SSE)\): (\d+\.\d) GFLOP/s, (\d+) % of the peak$)");
    const QRegularExpressionMatch g = gemm.match(lines[1]);
    QVERIFY2(g.hasMatch(), qPrintable(lines[1]));
    QVERIFY(g.captured(2).toDouble() > 0);
    QCOMPARE(g.captured(1), isa.isEmpty() ? m.captured(1) : isa);
#if defined(__AVX512F__)
    const int buildBits = 512;  // the test is built with the CLI's flags
#elif defined(__AVX2__) && defined(__FMA__)
    const int buildBits = 256;
#else
    const int buildBits = 128;
#endif
    const int oneDnnBits = g.captured(1) == "AVX-512" ? 512 : g.captured(1) == "AVX2/FMA" ? 256 : 128;
    const int widest = std::max(buildBits, oneDnnBits);
    const QString measuredAgainst = widest >= 512 ? QStringLiteral("AVX-512") : widest >= 256 ? QStringLiteral("AVX2/FMA") : QStringLiteral("SSE");
    const QRegularExpressionMatch named =
        QRegularExpression(QRegularExpression::escape(measuredAgainst) + R"( (\d+\.\d))").match(lines[0]);
    QVERIFY2(named.hasMatch(), qPrintable(lines[0]));
    // The % is of the unrounded figures; the printed ones are rounded to 0.1, the % to 1.
    const double gemmGflops = g.captured(2).toDouble(), peakGflops = named.captured(1).toDouble();
    const double share = 100 * gemmGflops / peakGflops;
    const double rounding = 0.5 + share * (0.05 / gemmGflops + 0.05 / peakGflops);
    QVERIFY2(std::abs(g.captured(3).toDouble() - share) <= rounding + 1e-9, qPrintable(lines[0] + '\n' + lines[1]));
    // No GEMM outruns an FMA loop on the same threads; twice it leaves room for a neighbour that slowed only the
    // peak's runs. A peak kernel that kept its accumulators in memory (a sanitizer build, once) read 1969 %.
    QVERIFY2(share < 200, qPrintable(lines[0] + '\n' + lines[1]));
    static const QRegularExpression row(R"(^C    bs= 512 thr=1 .* final_mse=0\.\d{4} \d+% of peak$)");
    QVERIFY2(row.match(lines[2]).hasMatch(), qPrintable(lines[2]));
}

void TestCliBench::productsAndPhases()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString json = dir.filePath("bench.json");
    // Two epochs: the phases, like samples/s, leave out the first (the warm-up).
    const Run r = run({"bench", "--products", "--phases", "--json", json, "--models", "C", "--batches", "512", "--max-epochs", "2",
                       "--min-epochs", "2", "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    static const QRegularExpression row(
        R"(^C    bs= 512 thr=1 +(\d+) samples/s .* final_mse=0\.\d{4} \| products alone (\d+) samples/s \| )"
        R"(µs/step: batch \d+ corruption (\d+) forward (\d+) loss \d+ terms \d+ backward (\d+) optimizer \d+$)");
    const QRegularExpressionMatch m = row.match(r.out.trimmed());
    QVERIFY2(m.hasMatch(), qPrintable(r.out));
    QVERIFY(m.captured(2).toDouble() > 0);
    QVERIFY(m.captured(4).toDouble() > 0 && m.captured(5).toDouble() > 0);  // ~1 ms each on any machine
    // C has no corruption: that phase is its two clock reads, 0 µs, or 1 on a machine whose clock is slow to
    // read (a virtual machine's; it read 1 beside a 720-µs forward pass on a busy one).
    QVERIFY2(m.captured(3).toDouble() <= 2 && m.captured(3).toDouble() * 50 <= m.captured(4).toDouble(), qPrintable(r.out));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject result = QJsonDocument::fromJson(f.readAll()).object()["results"].toArray().at(0).toObject();
    // The same figure, printed to a whole number
    QVERIFY(std::abs(result["products_alone_samples_per_s"].toDouble() - m.captured(2).toDouble()) <= 0.5);
    const QJsonObject phases = result["us_per_step"].toObject();
    QCOMPARE(phases.keys(), QStringList({"backward", "batch", "corruption", "forward", "loss", "optimizer", "terms"}));
    QVERIFY(std::abs(phases["forward"].toDouble() - m.captured(4).toDouble()) <= 0.5);
}

// --product-calls: each product of the step under the row, in the order a step runs them, the same in the JSON.
void TestCliBench::productCalls()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString json = dir.filePath("bench.json");
    const Run r = run({"bench", "--products", "--product-calls", "--json", json, "--models", "C", "--batches", "128", "--max-epochs",
                       "1", "--min-epochs", "1", "--threads", "2"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QStringList lines = r.out.trimmed().split('\n');
    // The row, then the index of the digits' nonzero pixels (C's first layer is too narrow to use it: it is
    // only looked at) and C's five products (no dX for the first layer).
    QVERIFY2(lines.size() == 7, qPrintable(r.out));
    QVERIFY2(lines[0].startsWith("C    bs= 128 thr=2"), qPrintable(lines[0]));
    QVERIFY2(QRegularExpression(R"(^    index of the first layer's nonzero inputs +\d+\.\d µs$)").match(lines[1]).hasMatch(),
             qPrintable(lines[1]));
    lines.remove(1);
    static const QRegularExpression call(R"(^    (\d+→\d+  [^ ].*[^ ]) +(\d+\.\d) µs +(\d+\.\d) GFLOP/s$)");
    const QStringList expected = {"784→64  Z = W X + b", "64→784  Z = W X + b", "64→784  dW = dZ Xᵀ, db", "64→784  dX = Wᵀ dZ",
                                  "784→64  dW = dZ Xᵀ, db"};
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonArray calls =
        QJsonDocument::fromJson(f.readAll()).object()["results"].toArray().at(0).toObject()["product_calls"].toArray();
    QCOMPARE(calls.size(), expected.size() + 1);
    QCOMPARE(calls[0].toObject()["multiply_adds"].toDouble(), 0.0);
    for (int i = 0; i < expected.size(); ++i) {
        const QRegularExpressionMatch m = call.match(lines[i + 1]);
        QVERIFY2(m.hasMatch(), qPrintable(lines[i + 1]));
        QCOMPARE(m.captured(1), expected[i]);
        const QJsonObject c = calls[i + 1].toObject();
        QCOMPARE(c["name"].toString(), expected[i]);
        QVERIFY(std::abs(c["us"].toDouble() - m.captured(2).toDouble()) <= 0.05);
        QCOMPARE(c["multiply_adds"].toDouble(), 784.0 * 64 * 128);  // each product of C is 784 × 64 × 128
        // GFLOP/s = 2 multiply-adds / µs / 1000, as printed
        QVERIFY(std::abs(m.captured(3).toDouble() - 2 * 784.0 * 64 * 128 / c["us"].toDouble() / 1e3) <= 0.0501);
    }
}

// --neighbour: one thread against two, idle and beside a busy process, in one table whose figures are the runs'.
void TestCliBench::neighbour()
{
    const Run r = run({"bench", "--neighbour", "--models", "C", "--batches", "32", "512", "--rounds", "2", "--max-epochs", "1",
                       "--min-epochs", "1", "--threads", "2"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    // Every run is reported: 2 rounds × idle/busy × 1 and 2 threads, each with both batches.
    static const QRegularExpression runLine(R"(^round ([12])/2 (idle|busy) ([12]) thr C bs=(32|512) (\d+) samples/s$)",
                                            QRegularExpression::MultilineOption);
    QMap<QString, QList<double>> runs;  // "idle 1 32" → samples/s per round
    for (auto it = runLine.globalMatch(r.err); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        runs[m.captured(2) + ' ' + m.captured(3) + ' ' + m.captured(4)].append(m.captured(5).toDouble());
    }
    QCOMPARE(runs.size(), 8);
    for (const QList<double> &v : runs) QCOMPARE(v.size(), 2);
    const QStringList lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 7);
    QCOMPARE(lines[0], QStringLiteral("| | C/32 | C/512 |"));
    // The ratio cell is the median of the per-round ratios, with their range.
    auto ratios = [&](const QString &cond, int batch) {
        const QList<double> one = runs[cond + " 1 " + QString::number(batch)], two = runs[cond + " 2 " + QString::number(batch)];
        QList<double> q{two[0] / one[0], two[1] / one[1]};
        std::sort(q.begin(), q.end());
        return q;
    };
    const QString conds[2] = {"idle", "busy"};
    for (int c = 0; c < 2; ++c) {
        const QString label = c ? "one busy neighbour" : "idle";
        QVERIFY2(lines[2 + 2 * c].startsWith("| " + label + ", 1 thread, samples/s | "), qPrintable(lines[2 + 2 * c]));
        QVERIFY2(lines[3 + 2 * c].startsWith("| " + label + ", 2 threads / 1 thread | "), qPrintable(lines[3 + 2 * c]));
        const QStringList counts = lines[2 + 2 * c].split(" | ");
        for (int b = 0; b < 2; ++b) {
            const QList<double> one = runs[conds[c] + " 1 " + (b ? "512" : "32")];
            QString cell = counts[1 + b];
            cell.remove(" |");
            const double shown = cell.endsWith('k') ? 1e3 * cell.chopped(1).toDouble() : cell.toDouble();
            QVERIFY2(std::abs(shown - 0.5 * (one[0] + one[1])) <= 51, qPrintable(cell));  // to 0.1k
        }
        const QStringList cells = lines[3 + 2 * c].split(" | ");
        for (int b = 0; b < 2; ++b) {
            const QList<double> q = ratios(conds[c], b ? 512 : 32);
            static const QRegularExpression cell(R"(^([0-9.]+)× \(([0-9.]+)–([0-9.]+)\)( \|)?$)");
            const QRegularExpressionMatch m = cell.match(cells[1 + b]);
            QVERIFY2(m.hasMatch(), qPrintable(cells[1 + b]));
            // Within the rounding of two decimals (the runs' lines print whole samples/s)
            QVERIFY2(std::abs(m.captured(1).toDouble() - 0.5 * (q[0] + q[1])) < 0.0051, qPrintable(cells[1 + b]));
            QVERIFY2(std::abs(m.captured(2).toDouble() - q[0]) < 0.0051, qPrintable(cells[1 + b]));
            QVERIFY2(std::abs(m.captured(3).toDouble() - q[1]) < 0.0051, qPrintable(cells[1 + b]));
        }
    }
}

void TestCliBench::epochBounds_data()
{
    QTest::addColumn<QStringList>("bounds");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("says");  // on stdout (code 0) or stderr
    // Before: "--min-epochs: is more than --max-epochs" (exit 2), of a --min-epochs never given (default 4).
    QTest::newRow("lone --max-epochs below the default minimum") << QStringList{"--max-epochs", "1"} << 0 << " ep=1 ";
    // Likewise the other way: at least 9 epochs, the default maximum of 8 raised to it.
    QTest::newRow("lone --min-epochs above the default maximum") << QStringList{"--min-epochs", "9", "--max-seconds", "0"} << 0
                                                                 << " ep=9 ";
    QTest::newRow("both, contradicting") << QStringList{"--min-epochs", "5", "--max-epochs", "2"} << 2
                                         << "--min-epochs: 5 is more than --max-epochs 2: a run cannot do at least 5 epochs and at most 2";
}

// A bound given alone moves the other's default; only two given bounds can contradict each other.
void TestCliBench::epochBounds()
{
    QFETCH(QStringList, bounds);
    QFETCH(int, code);
    QFETCH(QString, says);
    const Run r = run(QStringList{"bench", "--models", "C", "--batches", "512", "--threads", "1"} + bounds);
    QCOMPARE(r.code, code);
    QVERIFY2((code == 0 ? r.out : r.err).contains(says), qPrintable(r.out + r.err));
}

void TestCliBench::missingPython_data()
{
    QTest::addColumn<QString>("python");
    QTest::addColumn<QString>("message");
    QTest::newRow("no interpreter") << "/nonexistent/python3" << "no Python 3 interpreter (/nonexistent/python3)";
    QTest::newRow("no torch") << "/bin/false" << "PyTorch is not installed for /bin/false";
}

void TestCliBench::missingPython()
{
    QFETCH(QString, python);
    QFETCH(QString, message);
    const Run r = run(QStringList{"bench", "--compare", "--python", python} + kOneShortRun);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY2(r.err.contains(".ci/install-bench-deps"), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCliBench::compare()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // The stand-in keeps a copy of the script and data it is given, its arguments, and reports 1,000, 4,000 and
    // 2,000 samples/s in its first three runs (a machine whose load drifts), then 2,000.
    const QString fake = dir.filePath("python");
    QFile f(fake);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("#!/bin/sh\n"
                           "if [ \"$1\" = -c ]; then echo 9.9-standin; exit 0; fi\n"
                           "cp \"$1\" '%1/script.py'; cp \"$3\" '%1/digits.idx'; echo \"$@\" >> '%1/args'\n"
                           "echo \"$OPENBLAS_CORETYPE\" >> '%1/core'\n"
                           "case $(wc -l < '%1/args') in 1) n=1000;; 2) n=4000;; *) n=2000;; esac\n"
                           "echo \"C    bs= 512 thr=1      $n samples/s (  0.6 GFLOP/s eff) ep=1 final_mse=0.1000\"\n")
                .arg(dir.path()).toUtf8());
    f.close();
    QVERIFY(f.setPermissions(f.permissions() | QFileDevice::ExeOwner));

    // A shell profile's OPENBLAS_CORETYPE=Haswell held PyTorch to AVX2 on AVX-512 machines: the reference gets this
    // CPU's widest kernels whatever the environment says, and the output names them.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("OPENBLAS_CORETYPE", "Prescott");
    const Run r = run(QStringList{"bench", "--compare", "--rounds", "3", "--python", fake} + kOneShortRun, env);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    __builtin_cpu_init();
    const QString widest = __builtin_cpu_supports("avx512f") ? "SkylakeX" : __builtin_cpu_supports("avx2") ? "Haswell" : "";
    QFile core(dir.filePath("core"));
    QVERIFY(core.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(core.readAll()), (widest.isEmpty() ? QString("Prescott\n") : widest + '\n').repeated(3));
    if (!widest.isEmpty()) {
        QVERIFY2(r.err.contains("note: OPENBLAS_CORETYPE=Prescott in the environment is not used; PyTorch runs OpenBLAS's " + widest),
                 qPrintable(r.err));
        QVERIFY2(r.out.contains("PyTorch on OpenBLAS's " + widest + " kernels"), qPrintable(r.out));
    }
    QFile script(dir.filePath("script.py")), source(QStringLiteral(AELAB_SOURCE_DIR "/tests/bench/torch_reference.py"));
    QVERIFY(script.open(QIODevice::ReadOnly) && source.open(QIODevice::ReadOnly));
    QCOMPARE(script.readAll(), source.readAll());
    QCOMPARE(QFileInfo(dir.filePath("digits.idx")).size(), 16 + 10000 * 784);  // idx3 header + the 10,000 digits
    QFile args(dir.filePath("args"));
    QVERIFY(args.open(QIODevice::ReadOnly));
    const QStringList calls = QString::fromUtf8(args.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(calls.size(), 3);  // one run of the reference per round
    QVERIFY2(calls[0].contains("--models C --batches 512 --threads 1 --max-epochs 1 --min-epochs 1"), qPrintable(calls[0]));

    // The row: the engine's median, the stand-in's (2000), the median of each round's ratio with their range, a
    // share of the peak, and the ratio of the engine's products alone (its runs are asked for them) to the
    // stand-in. Each round's ratio pairs the engine's run with the stand-in's of the same round: computed here
    // from the engine's runs as printed on stderr (whole samples/s), against 1000, 4000 and 2000.
    static const QRegularExpression row(
        R"(^\| C \| 512 \| (\d+) \| 2000 \| (\d+\.\d\d)× \((\d+\.\d\d)–(\d+\.\d\d)\) \| \d+\.\d \| \d+ % \| (\d+\.\d\d)× \|$)",
        QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = row.match(r.out);
    QVERIFY2(m.hasMatch(), qPrintable(r.out));
    static const QRegularExpression engineRun(R"(round (\d)/3 aelab +C bs=512 (\d+) samples/s)");
    const double standIn[3] = {1000, 4000, 2000};
    std::vector<double> ratios;
    for (auto it = engineRun.globalMatch(r.err); it.hasNext();) {
        const QRegularExpressionMatch e = it.next();
        ratios.push_back(e.captured(2).toDouble() / standIn[e.captured(1).toInt() - 1]);
    }
    QCOMPARE(ratios.size(), size_t(3));
    std::sort(ratios.begin(), ratios.end());
    const double tolerance = 0.005 + 1e-3;  // the printed rounding, and whole samples/s on stderr
    QVERIFY2(std::abs(m.captured(2).toDouble() - ratios[1]) <= tolerance, qPrintable(QString("%1 vs %2").arg(m.captured(2)).arg(ratios[1])));
    QVERIFY2(std::abs(m.captured(3).toDouble() - ratios[0]) <= tolerance, qPrintable(QString("%1 vs %2").arg(m.captured(3)).arg(ratios[0])));
    QVERIFY2(std::abs(m.captured(4).toDouble() - ratios[2]) <= tolerance, qPrintable(QString("%1 vs %2").arg(m.captured(4)).arg(ratios[2])));
    QVERIFY(m.captured(5).toDouble() > 0);
    QVERIFY(r.out.startsWith("peak fp32 (1 threads): "));
    QVERIFY(r.out.contains("medians of 3 alternating rounds (the ratios: of each round's ratio), 1 threads each"));

    // --blas-core chooses (the AVX2 comparison on an AVX-512 machine).
    QVERIFY(core.remove());
    const Run held = run(QStringList{"bench", "--compare", "--rounds", "1", "--blas-core", "Haswell", "--python", fake} + kOneShortRun, env);
    QVERIFY2(held.code == 0, qPrintable(held.err));
    QFile core2(dir.filePath("core"));
    QVERIFY(core2.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(core2.readAll()), QString("Haswell\n"));
    QVERIFY2(held.out.contains("PyTorch on OpenBLAS's Haswell kernels"), qPrintable(held.out));
}

void TestCliBench::interruptedCompareCleansUp_data()
{
    QTest::addColumn<int>("sig");
    QTest::newRow("Ctrl-C (SIGINT)") << SIGINT;
    QTest::newRow("kill (SIGTERM)") << SIGTERM;
}

// A signal while the reference runs ends the comparison with that signal, and its temporary folder (the
// script, the digits) goes with it.
void TestCliBench::interruptedCompareCleansUp()
{
    QFETCH(int, sig);
    QTemporaryDir dir, tmp;  // tmp: TMPDIR of the run, so that only its folder can be there
    QVERIFY(dir.isValid() && tmp.isValid());
    // The stand-in says where it runs from and then hangs, as a long reference run would.
    const QString fake = dir.filePath("python"), started = dir.filePath("started");
    QFile f(fake);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("#!/bin/sh\n"
                           "if [ \"$1\" = -c ]; then echo 9.9-standin; exit 0; fi\n"
                           "echo $$ > '%1.tmp'; mv '%1.tmp' '%1'; exec sleep 60\n").arg(started).toUtf8());
    f.close();
    QVERIFY(f.setPermissions(f.permissions() | QFileDevice::ExeOwner));

    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("TMPDIR", tmp.path());
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(AELAB_CLI), QStringList{"bench", "--compare", "--rounds", "1", "--python", fake} + kOneShortRun);
    QVERIFY(p.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(started), 120000);
    QCOMPARE(QDir(tmp.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 1);  // aelab-bench-XXXXXX
    ::kill(pid_t(p.processId()), sig);
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitStatus(), QProcess::CrashExit);  // ended by the signal, as the shell expects
    QVERIFY2(QDir(tmp.path()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             qPrintable(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).join(' ')));
    QFile pid(started);  // the stand-in, orphaned by the signal
    QVERIFY(pid.open(QIODevice::ReadOnly));
    ::kill(pid_t(pid.readAll().trimmed().toLongLong()), SIGTERM);
}

QTEST_GUILESS_MAIN(TestCliBench)
#include "tst_clibench.moc"
