// aelab-cli's command line (QProcess): --help of each command, usage errors naming their flag, an unknown
// or missing command, stray words refused, a switch set to false. Exit 2 and one line on stderr for every
// mistake, before any work. (The commands' work: tst_cli.)
#include "CliTestKit.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#ifndef AELAB_CLI
#error "tests/CMakeLists.txt defines AELAB_CLI, the path of the built aelab-cli"
#endif

using cli::parseLine;
using cli::Run;

class TestCliArgs : public QObject {
    Q_OBJECT
private slots:
    void help_data();
    void help();
    void usageErrors_data();
    void usageErrors();
    void unknownCommand_data();
    void unknownCommand();
    void strayWordsAreRefused_data();
    void strayWordsAreRefused();
    void switchSetToFalseIsOff();

private:
    Run run(const QStringList &args) { return cli::run(dir_.path(), args); }
    QString path(const QString &name) const { return dir_.filePath(name); }

    QTemporaryDir dir_;
};

void TestCliArgs::help_data()
{
    QTest::addColumn<QString>("command");
    for (const char *c : {"train", "eval", "pca", "recon", "sample", "export", "bench"}) QTest::newRow(c) << c;
}

void TestCliArgs::help()
{
    QFETCH(QString, command);
    const Run r = run({command, "--help"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.startsWith("usage: aelab-cli " + command), qPrintable(r.out));
    QVERIFY(r.out.contains("--help"));
    QVERIFY(r.err.isEmpty());
    const Run top = run({"--help"});
    QCOMPARE(top.code, 0);
    QVERIFY(top.out.contains(command));
}

void TestCliArgs::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("flag");
    auto row = [](const char *name, QStringList args, const char *flag) { QTest::newRow(name) << args << QString(flag); };
    row("lr not a number", {"train", "--lr", "abc"}, "--lr");
    row("lr zero", {"train", "--lr", "0"}, "--lr");
    row("lr hexadecimal", {"train", "--lr", "0x1p-7"}, "--lr");  // before: taken as 0.0078125
    row("lr with a space", {"train", "--lr", " 0.01"}, "--lr");  // before: taken (and "0.01 " refused)
    row("batch zero", {"train", "--batch", "0"}, "--batch");
    row("batch not whole", {"train", "--batch", "1.5"}, "--batch");
    row("unknown variant", {"train", "--variant", "fancy"}, "--variant");
    row("bad arch", {"train", "--arch", "784-[2]-700"}, "--arch");
    row("arch without code", {"train", "--arch", "784-100-50-784"}, "--arch");
    row("unknown activation", {"train", "--hidden-act", "swish"}, "--hidden-act");
    row("unknown flag", {"train", "--bogus"}, "--bogus");
    row("missing value", {"train", "--epochs"}, "--epochs");
    row("value is the next flag", {"train", "--epochs", "--quiet"}, "--epochs");
    row("epochs and steps", {"train", "--epochs", "2", "--steps", "3"}, "--steps");
    row("corruption kind", {"train", "--corruption", "blur:0.1"}, "--corruption");
    row("corruption rate", {"train", "--corruption", "masking:2"}, "--corruption");
    row("tied deep", {"train", "--tied"}, "--tied");
    row("kl needs sigmoid code", {"train", "--variant", "sparse", "--sparsity", "kl"}, "--sparsity");
    row("threads zero", {"train", "--threads", "0"}, "--threads");
    row("unknown data", {"train", "--data", "cifar"}, "--data");
    row("images without labels", {"train", "--images", "x.idx"}, "--images");
    row("switch with a value not true or false", {"train", "--quiet=maybe"}, "--quiet");
    row("stray argument", {"train", "--steps", "1", "extra"}, "'extra'");
    row("empty inline value", {"train", "--out="}, "--out");
    row("loss", {"train", "--loss", "huber"}, "--loss");
    row("eval needs model", {"eval"}, "--model");
    row("eval split", {"eval", "--model", "m.safetensors", "--split", "val"}, "--split");
    row("pca negative k", {"pca", "--k", "-1"}, "--k");
    row("pca k too large", {"pca", "--k", "900", "--threads", "1"}, "--k");
    row("recon count", {"recon", "--model", "m.safetensors", "--out", "r.png", "--count", "0"}, "--count");
    row("recon needs out", {"recon", "--model", "m.safetensors"}, "--out");
    row("sample grid and count", {"sample", "--model", "m.safetensors", "--out", "s.png", "--grid", "3", "--count", "3"}, "--count");
    row("export gzip mismatch", {"export", "--images", "a.gz", "--labels", "b"}, "--labels");
    row("export split", {"export", "--images", "a", "--labels", "b", "--split", "val"}, "--split");
    row("bench model", {"bench", "--models", "Z"}, "--models");
    row("bench batch", {"bench", "--batches", "0"}, "--batches");
    row("bench epochs", {"bench", "--min-epochs", "5", "--max-epochs", "2"}, "--min-epochs");
    row("bench neighbour on one thread", {"bench", "--neighbour", "--threads", "1"}, "--threads");
    row("bench neighbour and compare", {"bench", "--neighbour", "--compare"}, "--neighbour");
    row("bench neighbour and json", {"bench", "--neighbour", "--json", "n.json"}, "--json");
    row("bench product calls without products", {"bench", "--product-calls"}, "--product-calls");
    row("bench phases with compare", {"bench", "--compare", "--phases"}, "--phases");
    row("bench product calls with neighbour", {"bench", "--neighbour", "--products", "--product-calls"}, "--product-calls");
}

void TestCliArgs::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, flag);
    const Run r = run(args);
    QCOMPARE(r.code, 2);
    QVERIFY(r.out.isEmpty());
    const QString err = r.err.trimmed();
    QVERIFY2(!err.contains('\n'), qPrintable(err));  // one line
    QVERIFY2(err.contains(flag + (flag.startsWith('\'') ? "" : ":")), qPrintable(err));
    QVERIFY2(err.startsWith("aelab-cli " + args.first() + ": "), qPrintable(err));
}

void TestCliArgs::unknownCommand_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown command") << QStringList{"trian", "--steps", "1"} << 2 << "unknown command 'trian'";
    QTest::newRow("no command") << QStringList{} << 2 << "usage: aelab-cli COMMAND";
}

// Exit 2 and, on stderr, what is wrong and the commands there are.
void TestCliArgs::unknownCommand()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, expected);
    const Run r = run(args);
    QCOMPARE(r.code, code);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    for (const char *c : {"train", "eval", "pca", "recon", "sample", "export", "bench"}) QVERIFY2(r.err.contains(c), c);
}

void TestCliArgs::strayWordsAreRefused_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("expected");
    // Before: exit 0, the words (and the --out after them) ignored: nothing was written.
    QTest::newRow("a command's name after a command") << QStringList{"train", "--steps", "5", "--quiet", "pca", "--out", "stray.st"}
                                                    << "train" << "unexpected argument 'pca'";
    QTest::newRow("train after eval") << QStringList{"eval", "--model", "m.safetensors", "train", "--out", "stray.st"} << "eval"
                                      << "unexpected argument 'train'";
    QTest::newRow("flags after --") << QStringList{"train", "--steps", "5", "--", "--out", "stray.st"} << "train"
                                    << "unexpected argument '--'";
    // Before: exit 0, the flag before the command ignored.
    QTest::newRow("unknown flag before the command") << QStringList{"--bogus", "train", "--steps", "1", "--out", "stray.st"}
                                                     << "train" << "--bogus: unknown flag for 'train'";
    QTest::newRow("train's flag before the command") << QStringList{"--steps", "1", "train", "--out", "stray.st"} << "train"
                                                     << "--steps: goes after the command";
    QTest::newRow("word before the command") << QStringList{"extra", "train", "--steps", "1", "--out", "stray.st"} << "train"
                                             << "unexpected argument 'extra'";
}

// Exit 2 with one line naming the stray word, and nothing written.
void TestCliArgs::strayWordsAreRefused()
{
    QFETCH(QStringList, args);
    QFETCH(QString, command);
    QFETCH(QString, expected);
    QFile::remove(path("stray.st"));
    const Run r = run(args + QStringList{"--threads", "1"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.out.isEmpty());
    const QString err = r.err.trimmed();
    QVERIFY2(!err.contains('\n'), qPrintable(err));
    QVERIFY2(err.startsWith("aelab-cli " + command + ": " + expected), qPrintable(err));
    QVERIFY(!QFile::exists(path("stray.st")));
}

// A switch given "=false" is off: --no-shuffle=false trains in shuffled order, as without the flag.
void TestCliArgs::switchSetToFalseIsOff()
{
    const QStringList base{"train", "--steps", "3", "--arch", "784-[4]-784", "--threads", "1", "--quiet"};
    const double plain = parseLine(run(base).lines().value(0))["test_mse"].toDouble();
    const double off = parseLine(run(base + QStringList{"--no-shuffle=false"}).lines().value(0))["test_mse"].toDouble();
    const double on = parseLine(run(base + QStringList{"--no-shuffle"}).lines().value(0))["test_mse"].toDouble();
    QCOMPARE(off, plain);
    QVERIFY(on != plain);
}

QTEST_GUILESS_MAIN(TestCliArgs)
#include "tst_cli_args.moc"
