// aelab-cli against hostile or mistaken requests (QProcess): outputs that are FIFOs, empty or the
// same file twice; requests that need more memory than there is; a training run that saturates; a
// model whose weights overflow; a model file whose configuration carries terminal escapes; PCA of
// 255x255 images; Ctrl-C in the middle of the matrix products. Every run uses --threads 1.
#include "CliTestKit.h"
#include "core/data/Idx.h"
#include "core/io/ModelFile.h"
#include "core/io/SafeTensors.h"
#include "core/Rng.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <limits>

#include <csignal>

#include <sys/stat.h>

#ifndef AELAB_CLI
#error "tests/CMakeLists.txt defines AELAB_CLI, the path of the built aelab-cli"
#endif

namespace {

struct Run {
    int code = -1;
    QByteArray out, err;
};

Run run(const QString &dir, const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(QStringLiteral(AELAB_CLI), args);
    Run r;
    if (!p.waitForStarted() || !p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

bool isFifo(const QString &p)
{
    struct stat st{};
    return ::stat(p.toLocal8Bit().constData(), &st) == 0 && S_ISFIFO(st.st_mode);
}

/// A small saved model (784-[4]-784) whose weights are all `w`, but for the first encoder weight, `first`, and
/// the decoder's weights and biases, `decoder`.
void saveConstantModel(const QString &path, float w, float first, float decoder)
{
    ael::Architecture a;
    std::string err;
    ael::Architecture::parseSpec("784-[4]-784", a, &err);
    ael::Model<float> m(a);
    for (ael::Param<float> *p : m.params()) p->value.setConstant(p->name.rfind("decoder.", 0) == 0 ? decoder : w);
    m.params().front()->value(0, 0) = first;
    ael::saveModel(path.toStdString(), m, ael::TrainSettings{}, {});
}
void saveConstantModel(const QString &path, float w, float first) { saveConstantModel(path, w, first, w); }
void saveConstantModel(const QString &path, float w) { saveConstantModel(path, w, w); }

}  // namespace

class TestCliSafety : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }
    void refusedOutputs_data();
    void refusedOutputs();
    void tooLargeRequestsGiveTheFigure_data();
    void tooLargeRequestsGiveTheFigure();
    void saturatingTrainingExitsOne_data();
    void saturatingTrainingExitsOne();
    void evalOfOverflowingModelExitsOne_data();
    void evalOfOverflowingModelExitsOne();
    void cutModelFileSaysSo();
    void controlCharactersFromFilesAreEscaped();
    void pcaOfLargeImages();
    void ctrlCDuringProductsStopsCleanly();
    void messagesNameTheRealProblem_data();
    void messagesNameTheRealProblem();
    void lostStdoutExitsOne_data();
    void lostStdoutExitsOne();
    void closedPipeStopsTrainingAndSaves();

private:
    QString path(const QString &name) const { return dir_.filePath(name); }
    QTemporaryDir dir_;
};

void TestCliSafety::refusedOutputs_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("flag");
    QTest::addColumn<QString>("why");
    const QStringList quick{"--steps", "1", "--threads", "1", "--quiet"};
    QTest::newRow("train --out FIFO") << (QStringList{"train", "--out", "fifo"} + quick) << "--out" << "FIFO";
    QTest::newRow("recon --out FIFO") << QStringList{"recon", "--model", "none.safetensors", "--out", "fifo"} << "--out" << "FIFO";
    QTest::newRow("sample --out FIFO") << QStringList{"sample", "--model", "none.safetensors", "--out", "fifo"} << "--out" << "FIFO";
    QTest::newRow("export --images FIFO") << QStringList{"export", "--images", "fifo", "--labels", "l"} << "--images" << "FIFO";
    QTest::newRow("train --out ''") << (QStringList{"train", "--out", ""} + quick) << "--out" << "empty";
    QTest::newRow("train --out dir") << (QStringList{"train", "--out", "."} + quick) << "--out" << "directory";
    QTest::newRow("export same file") << QStringList{"export", "--images", "x", "--labels", "x"} << "--labels" << "same file";
    QTest::newRow("export same file, other spelling")
        << QStringList{"export", "--images", "y", "--labels", "./y"} << "--labels" << "same file";
    QTest::newRow("export same new file, other spelling")
        << QStringList{"export", "--images", "new.idx", "--labels", "./new.idx"} << "--labels" << "same file";
    QTest::newRow("recon --out its model") << QStringList{"recon", "--model", "y", "--out", "./y"} << "--out" << "file of --model";
    QTest::newRow("sample --out its model") << QStringList{"sample", "--model", "y", "--out", "sub/../y"} << "--out" << "file of --model";
    QTest::newRow("train --out its images")
        << (QStringList{"train", "--images", "y", "--labels", "l", "--out", "./y"} + quick) << "--out" << "file of --images";
    QTest::newRow("bench --json in no directory")  // before: measured first, then failed to write (exit 1)
        << QStringList{"bench", "--json", "none/b.json", "--models", "C", "--batches", "32", "--max-epochs", "1",
                       "--min-epochs", "1", "--threads", "1"}
        << "--json" << "does not exist";
    QTest::newRow("bench --json --compare")  // before: ignored
        << QStringList{"bench", "--json", "b.json", "--compare", "--models", "C", "--batches", "32"} << "--json" << "--compare";
    QTest::newRow("train --out its labels")
        << (QStringList{"train", "--images", "i", "--labels", "y", "--out", "y"} + quick) << "--out" << "file of --labels";
    // Before: exit 0 and y replaced by a model that eval, recon and train --init refuse (a model file holds
    // at most 64 hidden layers a side).
    const QString layers65 = QStringLiteral("-16").repeated(65);
    QTest::newRow("train, 65 encoder layers")
        << (QStringList{"train", "--arch", "784" + layers65 + "-[2]-784", "--out", "y"} + quick) << "--arch" << "at most 64";
    QTest::newRow("train, 65 decoder layers")
        << (QStringList{"train", "--arch", "784-[2]" + layers65 + "-784", "--out", "y"} + quick) << "--arch" << "at most 64";
    // 1.66 billion parameters, a 6.65 GB file where 4 GiB can be read. Before: refused for memory (exit 1) after
    // loading the data, or on a larger machine trained and saved over y a model that loading refuses.
    QTest::newRow("train, a model too large for a model file")
        << (QStringList{"train", "--arch", "784-40000-[40000]-784", "--out", "y"} + quick) << "--arch" << "a model file may hold";
}

// Before: the FIFO was replaced by a regular file (as root /dev/null too), '' gave "filesystem
// error: cannot make absolute path", and export wrote the labels over the images with exit 0 (a new
// file spelled two ways, until this guard compared the names too); recon and sample wrote their PNG
// over the model, and train its model over the images, with exit 0.
void TestCliSafety::refusedOutputs()
{
    QFETCH(QStringList, args);
    QFETCH(QString, flag);
    QFETCH(QString, why);
    const QString fifo = path("fifo");
    if (!QFileInfo::exists(fifo)) QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
    QFile::remove(path("y"));
    QFile y(path("y"));
    QVERIFY(y.open(QIODevice::WriteOnly));  // exists, so ./y and y are the same file
    y.write("input");
    y.close();
    QDir(dir_.path()).mkdir(QStringLiteral("sub"));
    const Run r = run(dir_.path(), args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(flag.toUtf8()) && r.err.contains(why.toUtf8()), r.err.constData());
    QVERIFY(isFifo(fifo));
    QVERIFY(!QFileInfo::exists(path("x")));
    QVERIFY(!QFileInfo::exists(path("new.idx")));
    QVERIFY(y.open(QIODevice::ReadOnly));
    QCOMPARE(y.readAll(), QByteArray("input"));
}

void TestCliSafety::tooLargeRequestsGiveTheFigure_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("train, 1 TB of weights")
        << QStringList{"train", "--arch", "784-100000-100000-[100000]-100000-100000-784", "--steps", "1"};
    QTest::newRow("train, batch 65536 of 100,000-wide layers")
        << QStringList{"train", "--arch", "784-[100000]-100000-100000-784", "--batch", "65536", "--steps", "1"};
}

// Before: std::bad_alloc (or the machine swapping) after minutes.
void TestCliSafety::tooLargeRequestsGiveTheFigure()
{
    QFETCH(QStringList, args);
    const Run r = run(dir_.path(), args + QStringList{"--threads", "1", "--quiet"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("needs about") && (r.err.contains(" GB") || r.err.contains(" TB")) && r.err.contains("available"), r.err.constData());
    QVERIFY(!r.err.contains("bad_alloc"));
}

void TestCliSafety::saturatingTrainingExitsOne_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("why");
    // Before: exit 0 and a dead model (test MSE 0.1145, mean |code| 3.8e7).
    QTest::newRow("adam 10, 400 steps") << QStringList{"--lr", "10", "--steps", "400"} << "saturated";
    // Before: exit 0 (too short for the saturation watch), mean |code| 3.5e13.
    QTest::newRow("adam 1e4, 149 steps") << QStringList{"--lr", "10000", "--steps", "149"} << "saturated";
    // Before: exit 0 with a total loss of 4.4e11 (only the reconstruction loss was checked).
    QTest::newRow("contractive term exploding")
        << QStringList{"--arch", "784-32-[8]-32-784", "--variant", "contractive", "--contractive-lambda", "10000", "--lr", "10",
                       "--steps", "60"}
        << "term exploded";
}

void TestCliSafety::saturatingTrainingExitsOne()
{
    QFETCH(QStringList, args);
    QFETCH(QString, why);
    const QString out = path("saturated.safetensors");
    QFile::remove(out);
    const Run r = run(dir_.path(), QStringList{"train", "--out", out, "--threads", "1", "--quiet"} + args);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("diverged") && r.err.contains(why.toUtf8()), r.err.constData());
    // It diverged before a healthy checkpoint: nothing worth saving, so nothing was saved.
    QVERIFY2(r.err.contains("not saved"), r.err.constData());
    QVERIFY(!QFileInfo::exists(out));
}

// Before: null metrics and exit 0.
void TestCliSafety::evalOfOverflowingModelExitsOne_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<float>("weights");
    QTest::addColumn<float>("first");
    QTest::addColumn<float>("decoder");
    const float max = std::numeric_limits<float>::max();
    // Before: null metrics and exit 0.
    QTest::newRow("eval, every weight max") << "eval" << max << max << max;
    // Before: only "jacobian_fro": null, exit 0 (the other metrics stay finite).
    QTest::newRow("eval, one weight 3e38") << "eval" << 0.01f << 3e38f << 0.01f;
    // The decoder's products overflow, the output sigmoid's saturate to 0 and 1. Before: exit 0 and an MSE as
    // if the model reconstructed badly, where recon and sample refused the same model.
    QTest::newRow("eval, decoder weights 3e38") << "eval" << 0.01f << 0.01f << 3e38f;
    QTest::newRow("recon, decoder weights 3e38") << "recon" << 0.01f << 0.01f << 3e38f;
    QTest::newRow("sample, decoder weights 3e38") << "sample" << 0.01f << 0.01f << 3e38f;
    // Before: white tiles drawn as if reconstructed, exit 0.
    QTest::newRow("recon, every weight max") << "recon" << max << max << max;
    QTest::newRow("sample, every weight max") << "sample" << max << max << max;
}

void TestCliSafety::evalOfOverflowingModelExitsOne()
{
    QFETCH(QString, command);
    QFETCH(float, weights);
    QFETCH(float, first);
    QFETCH(float, decoder);
    const QString model = path("overflowing.safetensors"), png = path("overflowing.png");
    saveConstantModel(model, weights, first, decoder);
    QFile::remove(png);
    QStringList args{command, "--model", model, "--threads", "1"};
    if (command != "eval") args << "--out" << png;
    const Run r = run(dir_.path(), args);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("not finite"), r.err.constData());
    QVERIFY(r.out.isEmpty());
    QVERIFY(!QFileInfo::exists(png));
}

// A model file cut short (an interrupted copy): the message says so before the reader's detail.
void TestCliSafety::cutModelFileSaysSo()
{
    const QString model = path("cut.safetensors");
    saveConstantModel(model, 0.01f);
    QFile f(model);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.resize(f.size() / 2));
    f.close();
    const Run r = run(dir_.path(), {"eval", "--model", model, "--threads", "1"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.startsWith("aelab-cli eval: error: not a model file aelab can read (cut short, damaged, or another kind of file): " + model.toUtf8() + ": "),
             r.err.constData());
    QVERIFY2(r.err.contains("data buffer"), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

// A configuration value carrying ESC ]0; … BEL and a newline: the message shows them escaped.
void TestCliSafety::controlCharactersFromFilesAreEscaped()
{
    const QString model = path("escape.safetensors");
    saveConstantModel(model, 0.01f);
    ael::SafetensorsFile f = ael::loadSafetensors(model.toStdString());
    std::string &config = f.metadata.at("aelab");
    const std::string from = "\"undercomplete\"", to = "\"\\u001b]0;owned\\u0007\\nforged line\"";
    QVERIFY(config.find(from) != std::string::npos);
    config.replace(config.find(from), from.size(), to);
    ael::saveSafetensors(model.toStdString(), f.tensors, f.metadata);
    const Run r = run(dir_.path(), {"eval", "--model", model, "--threads", "1"});
    QCOMPARE(r.code, 1);
    QVERIFY2(!r.err.contains('\x1b') && !r.err.contains('\x07'), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);  // one line
    QVERIFY2(r.err.contains("\\x1B]0;owned\\x07\\x0Aforged line"), r.err.constData());
}

// Before: "error: std::bad_alloc" (a 65,025² covariance is 34 GB).
void TestCliSafety::pcaOfLargeImages()
{
    ael::Dataset d;
    d.name = "big";
    d.rows = d.cols = 255;
    ael::Rng rng(5);
    for (int j = 0; j < 50; ++j) {
        for (int p = 0; p < 255 * 255; ++p) d.pixels.push_back(uint8_t(rng.below(256)));
        d.labels.push_back(uint8_t(j % 10));
    }
    ael::writeIdx(d, path("big-images").toStdString(), path("big-labels").toStdString(), false);
    const Run r = run(dir_.path(), {"pca", "--images", "big-images", "--labels", "big-labels", "--k", "2", "--threads", "1"});
    QCOMPARE(r.code, 0);
    const QJsonObject o = QJsonDocument::fromJson(r.out.trimmed()).object();
    QCOMPARE(o["k"].toInt(), 2);
    QVERIFY(o["explained_variance_ratio"].toDouble() > 0);
    QVERIFY(o["test_mse"].toDouble() > 0);
}

// Ctrl-C lands, most of the time, inside one of oneDNN's products (model B at batch 512). A handler on the
// thread's own stack corrupted the heap there in about one run in four ('corrupted size vs. prev_size',
// exit by SIGABRT): eight runs, interrupted at different points of an epoch, each stop with 130 and a
// loadable model.
void TestCliSafety::ctrlCDuringProductsStopsCleanly()
{
    for (int i = 0; i < 8; ++i) {
        const QString out = path(QStringLiteral("ctrl-c-%1.safetensors").arg(i));
        QProcess p;
        p.setWorkingDirectory(dir_.path());
        p.start(QStringLiteral(AELAB_CLI), {"train", "--arch", "784-512-128-[32]-128-512-784", "--batch", "512",
                                            "--epochs", "1000", "--threads", "1", "--quiet", "--out", out});
        QVERIFY(p.waitForStarted());
        // The first epoch's line: the handler is installed; then a little later each time.
        QVERIFY(readFirstLine(p, 120000).contains('\n'));
        QTest::qWait(23 * i);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitStatus() == QProcess::NormalExit, p.readAllStandardError().constData());
        QCOMPARE(p.exitCode(), 130);
        const ael::LoadedModel m = ael::loadModel(out.toStdString());
        QVERIFY(std::stoll(m.metadata.at("steps")) >= 16);  // an epoch
    }
}


void TestCliSafety::messagesNameTheRealProblem_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("says");
    // Before: "'9223372036854775808' is not a whole number".
    QTest::newRow("seed beyond 64 bits") << QStringList{"train", "--seed", "9223372036854775808"} << 2 << "9223372036854775808 is out of range";
    // Before: "use a smaller --scale or --count" for a grid of many tiles, where --grid was the flag to change
    // (a grid names --grid now: tst_cli pngTooLargeNamesTheCommandsFlags).
    QTest::newRow("too many tiles") << QStringList{"sample", "--model", "small.safetensors", "--count", "40000", "--scale", "32", "--out", "big.png"}
                                    << 1 << "use a smaller --scale or --count";
    // Before: "1 is out of range (0 to 1)", the bound 0.99999999 rounded.
    QTest::newRow("beta2 of 1") << QStringList{"train", "--adam-beta2", "1"} << 2 << "--adam-beta2: 1 is out of range (0 to 0.99999999)";
    // Before: "error: : cannot open: no such file" (exit 1), naming no flag.
    QTest::newRow("empty --model") << QStringList{"eval", "--model", ""} << 2 << "--model: the file name is empty";
    QTest::newRow("empty --images") << QStringList{"eval", "--model", "small.safetensors", "--images", "", "--labels", "labels.idx"}
                                    << 2 << "--images: the file name is empty";
    QTest::newRow("empty --labels") << QStringList{"eval", "--model", "small.safetensors", "--images", "images.idx", "--labels", ""}
                                    << 2 << "--labels: the file name is empty";
    QTest::newRow("empty --init") << QStringList{"train", "--init", ""} << 2 << "--init: the file name is empty";
    // Files swapped, the images (larger than a labels file may be) given as --labels. Before: "the file is
    // 7840016 bytes, more than the limit of 2000016 bytes", and not the hint.
    QTest::newRow("swapped files") << QStringList{"eval", "--model", "small.safetensors", "--images", "labels.idx", "--labels", "images.idx"}
                                   << 1 << "images.idx: wrong dimension count 3 (magic 0x00000803): an IDX labels file has 1 dimension (count) \u2014 is this the images file?";
    QTest::newRow("swapped files, gzip'd") << QStringList{"eval", "--model", "small.safetensors", "--images", "noise-labels.gz", "--labels", "noise-images.gz"}
                                           << 1 << "noise-images.gz: wrong dimension count 3 (magic 0x00000803): an IDX labels file has 1 dimension (count) \u2014 is this the images file?";
    // The PNG's size is checked before the work: a model whose outputs overflow is not even run. Before: "the
    // reconstructions (decoded images) are not finite", after the forward pass.
    QTest::newRow("PNG size before reconstructing") << QStringList{"recon", "--model", "max.safetensors", "--count", "1000", "--out", "big.png"}
                                                    << 1 << "the PNG would be 58002 x 118 pixels";
    QTest::newRow("PNG size before decoding") << QStringList{"sample", "--model", "max.safetensors", "--count", "40000", "--scale", "32", "--out", "big.png"}
                                              << 1 << "the PNG would be";
}

void TestCliSafety::messagesNameTheRealProblem()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, says);
    if (!QFileInfo::exists(path("small.safetensors"))) saveConstantModel(path("small.safetensors"), 0.01f);
    if (!QFileInfo::exists(path("max.safetensors"))) saveConstantModel(path("max.safetensors"), std::numeric_limits<float>::max());
    if (!QFileInfo::exists(path("images.idx")))
        QCOMPARE(run(dir_.path(), {"export", "--images", "images.idx", "--labels", "labels.idx"}).code, 0);  // 10,000 digits
    if (!QFileInfo::exists(path("noise-images.gz"))) {  // 3,000 images of noise: 2.4 MB even gzip'd
        ael::Dataset d;
        d.rows = d.cols = 28;
        ael::Rng rng(3);
        for (int j = 0; j < 3000; ++j) {
            for (int p = 0; p < 28 * 28; ++p) d.pixels.push_back(uint8_t(rng.below(256)));
            d.labels.push_back(uint8_t(j % 10));
        }
        ael::writeIdx(d, path("noise-images.gz").toStdString(), path("noise-labels.gz").toStdString(), true);
    }
    const Run r = run(dir_.path(), args + QStringList{"--threads", "1"});
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(says.toUtf8()), r.err.constData());
}

// Output that did not arrive is a failure. Before: exit 0 with /dev/full as stdout (an empty results
// file on a full disk).
void TestCliSafety::lostStdoutExitsOne_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("eval") << QStringList{"eval", "--model", "small.safetensors", "--threads", "1"};
    QTest::newRow("pca") << QStringList{"pca", "--k", "2", "--threads", "1"};
    QTest::newRow("--help") << QStringList{"--help"};
}

void TestCliSafety::lostStdoutExitsOne()
{
    QFETCH(QStringList, args);
    if (!QFileInfo::exists(path("small.safetensors"))) saveConstantModel(path("small.safetensors"), 0.01f);
    QProcess p;
    p.setWorkingDirectory(dir_.path());
    p.setStandardOutputFile(QStringLiteral("/dev/full"));
    p.start(QStringLiteral(AELAB_CLI), args);
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(p.readAllStandardError().contains("could not write the output to stdout"), "no message");
}

// `aelab-cli train … | head`: once the reader has gone, training stops as for Ctrl-C and --out is
// still written. Before: SIGPIPE killed the process (exit 141) and the training was lost.
void TestCliSafety::closedPipeStopsTrainingAndSaves()
{
    const QString out = path("piped.safetensors");
    QFile::remove(out);
    QProcess p;
    p.setWorkingDirectory(dir_.path());
    // 30 epochs (~1 s): the reader has long gone when the later epochs' lines are written.
    p.start(QStringLiteral("bash"), {"-c", "set -o pipefail; \"$0\" train --arch '784-[8]-784' --epochs 30 --out \"$1\" "
                                           "--threads 1 --quiet | head -c 10 > /dev/null",
                                     QStringLiteral(AELAB_CLI), out});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 1);  // not 141
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("stdout was closed: stopped after"), err.constData());
    QVERIFY(QFileInfo::exists(out));
    const ael::LoadedModel m = ael::loadModel(out.toStdString());
    QVERIFY(m.model->allFinite());
}

QTEST_GUILESS_MAIN(TestCliSafety)
#include "tst_clisafety.moc"
