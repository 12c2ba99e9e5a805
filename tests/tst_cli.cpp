// aelab-cli end to end (QProcess): train/eval/--init, recon/sample PNGs, pca, divergence, malformed data
// files, export, SIGINT, bench. (Help, usage errors and stray words: tst_cli_args.) Every run uses --threads 1: the test
// machine is shared and the suite runs tests side by side.
#include "CliTestKit.h"
#include "core/data/Catalog.h"
#include "core/data/Embedded.h"
#include "core/data/Idx.h"
#include "core/data/Split.h"
#include "core/io/ModelFile.h"

#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <cmath>

#ifndef AELAB_CLI
#error "tests/CMakeLists.txt defines AELAB_CLI, the path of the built aelab-cli"
#endif

using cli::parseLine;
using cli::Run;

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void trainThenEval();
    void oneJsonLinePerEpoch();
    void trainSaysWhenItOverfits();
    void initContinuesFromSavedWeights();
    void reconPng_data();
    void reconPng();
    void samplePng();
    void pngTooLargeNamesTheCommandsFlags_data();
    void pngTooLargeNamesTheCommandsFlags();
    void pca();
    void divergenceExitsOneAndKeepsTheEarlierModel();
    void malformedDataFiles_data();
    void malformedDataFiles();
    void exportRoundTrip();
    void sigintStopsAndSaves();
    void bench();

private:
    Run run(const QStringList &args, int timeoutMs = 60000) { return cli::run(dir_.path(), args, timeoutMs); }
    QString path(const QString &name) const { return dir_.filePath(name); }

    QTemporaryDir dir_;
    QString model_;  ///< 30 steps of the default model, trained once in initTestCase
};

void TestCli::initTestCase()
{
    QVERIFY(dir_.isValid());
    model_ = path("m.safetensors");
    const Run r = run({"train", "--steps", "30", "--out", model_, "--threads", "1", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(QFile::exists(model_));
}

void TestCli::trainThenEval()
{
    // initTestCase trained 30 steps (a partial epoch: one line, marked partial).
    const Run t = run({"train", "--steps", "30", "--threads", "1", "--quiet"});
    QCOMPARE(t.code, 0);
    QCOMPARE(t.lines().size(), 1);
    const QJsonObject line = parseLine(t.lines().first());
    QCOMPARE(line["steps"].toInt(), 30);
    QVERIFY(line["partial"].toBool());
    for (const char *key : {"epoch", "seconds", "samples_per_s", "reconstruction", "terms", "total", "test_mse", "test_bce"})
        QVERIFY2(line.contains(key), key);

    const Run e = run({"eval", "--model", model_, "--threads", "1"});
    QVERIFY2(e.code == 0, qPrintable(e.err));
    QCOMPARE(e.lines().size(), 1);
    const QJsonObject m = parseLine(e.lines().first());
    QCOMPARE(m["samples"].toInt(), 1996);
    QCOMPARE(m["steps"].toInt(), 30);
    QCOMPARE(m["architecture"].toString(), QString("784-256-[2]-256-784"));
    // Same seed, same steps, same evaluation: the model saved in initTestCase is the one trained here.
    QCOMPARE(m["mse"].toDouble(), line["test_mse"].toDouble());
    QVERIFY(m["mse"].toDouble() > 0 && m["mse"].toDouble() < 0.1);
    QVERIFY(m.contains("bce") && m.contains("active_fraction") && m.contains("jacobian_fro"));
    QVERIFY(!m.contains("mse_from_corrupted") && !line.contains("test_mse_from_corrupted"));  // nothing corrupted

    // A denoising model's line also has the test MSE from corrupted x̃, the curve the window draws and judges.
    const Run d = run({"train", "--steps", "20", "--arch", "784-[16]-784", "--variant", "denoising", "--corruption",
                       "masking:0.5", "--threads", "1", "--quiet"});
    QVERIFY2(d.code == 0, qPrintable(d.err));
    const QJsonObject dl = parseLine(d.lines().value(0));
    const double fromCorrupted = dl["test_mse_from_corrupted"].toDouble(-1);
    QVERIFY2(fromCorrupted > 0 && fromCorrupted < 1 && fromCorrupted != dl["test_mse"].toDouble(), qPrintable(d.lines().value(0)));
}

void TestCli::oneJsonLinePerEpoch()
{
    const Run r = run({"train", "--epochs", "2", "--arch", "784-[16]-784", "--batch", "512", "--variant", "contractive",
                       "--threads", "1", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.lines().size(), 2);
    for (int i = 0; i < 2; ++i) {
        const QJsonObject o = parseLine(r.lines()[i]);
        QCOMPARE(o["epoch"].toInt(), i + 1);
        QVERIFY(!o.contains("partial"));
        QCOMPARE(o["steps"].toInt(), 16);  // ceil(8004 / 512)
        QVERIFY(o["terms"].toObject().contains("contractive"));
        QVERIFY(o["total"].toDouble() >= o["reconstruction"].toDouble());
        QVERIFY(std::isfinite(o["test_mse"].toDouble()));
        QVERIFY(!o.contains("overfitting"));
    }
}

// 500 digits (400 to train on) and a model with room to memorise them: the test MSE is lowest after ~45
// epochs and rises while the training loss falls. Each epoch's line says so from when the watch does
// (core/train/OverfitWatch.h), with the lowest point, and a note on stderr at the end.
void TestCli::trainSaysWhenItOverfits()
{
    const ael::Dataset &all = ael::embeddedMnist();
    std::vector<int> first(500);
    for (int i = 0; i < 500; ++i) first[size_t(i)] = i;
    ael::writeIdx(all.subset(first, "500 digits"), path("few-images.idx").toStdString(), path("few-labels.idx").toStdString(), false);
    const Run r = run({"train", "--images", path("few-images.idx"), "--labels", path("few-labels.idx"), "--arch", "784-128-[16]-128-784",
                       "--batch", "50", "--epochs", "150", "--threads", "1"},
                      600000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.lines().size(), 150);
    int firstSaid = -1;
    for (int i = 0; i < 150; ++i) {
        const QJsonObject o = parseLine(r.lines()[i]);
        if (!o.contains("overfitting")) {
            QVERIFY2(firstSaid < 0, qPrintable(QStringLiteral("said after epoch %1, unsaid after %2").arg(firstSaid + 1).arg(i + 1)));  // this run rises steadily
            continue;
        }
        const QJsonObject of = o["overfitting"].toObject();
        if (firstSaid < 0) {
            firstSaid = i;
            QVERIFY2(of["rise"].toDouble() >= 0.015, qPrintable(QString::number(of["rise"].toDouble())));
        }
        QVERIFY(of["lowest_step"].toInteger() > 0 && of["lowest_step"].toInteger() < o["epoch"].toInt() * 8);  // 8 steps an epoch
        QVERIFY(of["lowest_test_mse"].toDouble() > 0 && of["lowest_test_mse"].toDouble() < o["test_mse"].toDouble());
    }
    QVERIFY2(firstSaid >= 10 && firstSaid < 140, qPrintable(QString::number(firstSaid)));
    QVERIFY2(r.err.contains("note: overfitting: the test MSE was lowest near step "), qPrintable(r.err));
}

void TestCli::initContinuesFromSavedWeights()
{
    const double saved = parseLine(run({"eval", "--model", model_, "--threads", "1"}).lines().value(0))["mse"].toDouble();
    // A vanishing learning rate: the test MSE stays that of the saved model (not a fresh one's).
    const Run r = run({"train", "--init", model_, "--steps", "1", "--lr", "1e-8", "--out", path("m2.safetensors"),
                       "--threads", "1", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const double continued = parseLine(r.lines().value(0))["test_mse"].toDouble();
    QVERIFY2(std::abs(continued - saved) < 1e-4, qPrintable(QString("%1 vs %2").arg(continued).arg(saved)));
    const Run fresh = run({"train", "--steps", "1", "--lr", "1e-8", "--seed", "7", "--threads", "1", "--quiet"});
    QVERIFY(std::abs(parseLine(fresh.lines().value(0))["test_mse"].toDouble() - saved) > 1e-3);
    const ael::LoadedModel m = ael::loadModel(path("m2.safetensors").toStdString());
    QCOMPARE(m.metadata.at("init"), model_.toStdString());
    QCOMPARE(m.arch.spec(), std::string("784-256-[2]-256-784"));
    // The counts go on: a model of step S trained one more step is at S + 1 (it said 1), and --epochs N trains
    // N more epochs, numbered on from the model's.
    const ael::LoadedModel before = ael::loadModel(model_.toStdString());
    const long long steps = std::stoll(before.metadata.at("steps"));
    const int epoch = std::stoi(before.metadata.at("epoch"));
    QVERIFY(steps > 0);
    QCOMPARE(std::stoll(m.metadata.at("steps")), steps + 1);
    // And other batches than the run before: without --seed the seed moves on with the steps (chained
    // `train --init m --steps 100 --out m` trained on the same first 100 batches every time).
    QCOMPARE(std::stoull(m.metadata.at("seed")), std::stoull(before.metadata.at("seed")) + uint64_t(steps));
    const Run more = run({"train", "--init", model_, "--epochs", "1", "--out", path("m3.safetensors"), "--threads", "1", "--quiet"});
    QVERIFY2(more.code == 0, qPrintable(more.err));
    QCOMPARE(more.lines().size(), 1);
    QCOMPARE(parseLine(more.lines()[0])["epoch"].toInt(), epoch + 1);
    QCOMPARE(std::stoi(ael::loadModel(path("m3.safetensors").toStdString()).metadata.at("epoch")), epoch + 1);
    // Another architecture: the matching weights, counted from 0.
    const Run other = run({"train", "--init", model_, "--arch", "784-256-[3]-256-784", "--steps", "2", "--out",
                           path("m4.safetensors"), "--threads", "1", "--quiet"});
    QVERIFY2(other.code == 0, qPrintable(other.err));
    QCOMPARE(ael::loadModel(path("m4.safetensors").toStdString()).metadata.at("steps"), std::string("2"));
    // And on the model's data set (it trained a Fashion-MNIST model on digits).
    if (ael::availableDataSources().size() < 2) QSKIP("Fashion-MNIST not installed (Debian package dataset-fashion-mnist)");
    QVERIFY(run({"train", "--data", "fashion", "--steps", "3", "--out", path("f.safetensors"), "--threads", "1", "--quiet"}).code == 0);
    const Run onFashion = run({"train", "--init", path("f.safetensors"), "--steps", "1", "--threads", "1"});
    QVERIFY2(onFashion.code == 0 && onFashion.err.contains("test images (fashion)"), qPrintable(onFashion.err));
}

void TestCli::reconPng_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<bool>("denoising");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    // width = count * 28 * scale + (count + 1) * 2; height likewise with 2 or 3 rows
    QTest::newRow("default") << QStringList{} << false << 10 * 56 + 11 * 2 << 2 * 56 + 3 * 2;
    QTest::newRow("count 4 scale 3") << QStringList{"--count", "4", "--scale", "3"} << false << 4 * 84 + 5 * 2 << 2 * 84 + 3 * 2;
    QTest::newRow("corrupted row") << QStringList{"--corruption", "saltpepper:0.2"} << false << 10 * 56 + 11 * 2 << 3 * 56 + 4 * 2;
    QTest::newRow("denoising model") << QStringList{"--count", "20"} << true << 20 * 56 + 21 * 2 << 3 * 56 + 4 * 2;
}

void TestCli::reconPng()
{
    QFETCH(QStringList, extra);
    QFETCH(bool, denoising);
    QFETCH(int, width);
    QFETCH(int, height);
    QString model = model_;
    if (denoising) {
        model = path("dae.safetensors");
        const Run t = run({"train", "--variant", "denoising", "--arch", "784-[8]-784", "--steps", "2", "--out", model,
                           "--threads", "1", "--quiet"});
        QVERIFY2(t.code == 0, qPrintable(t.err));
    }
    const QString png = path("recon.png");
    QFile::remove(png);
    const Run r = run(QStringList{"recon", "--model", model, "--out", png, "--threads", "1"} + extra);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QImage img;
    QVERIFY(img.load(png, "PNG"));
    QCOMPARE(img.width(), width);
    QCOMPARE(img.height(), height);
    // The first tile is an original "0": bright pixels in its middle, black corners.
    QCOMPARE(qGray(img.pixel(4, 4)), 0);
    int bright = 0;
    for (int y = 2; y < 58; ++y)
        for (int x = 2; x < 58; ++x) bright += qGray(img.pixel(x, y)) > 128;
    QVERIFY(bright > 100);
}

void TestCli::samplePng()
{
    const QString png = path("sample.png");
    Run r = run({"sample", "--model", model_, "--out", png, "--grid", "5", "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QImage img(png);
    QCOMPARE(img.width(), 5 * 56 + 6 * 2);
    QCOMPARE(img.height(), 5 * 56 + 6 * 2);
    r = run({"sample", "--model", model_, "--out", png, "--count", "6", "--columns", "3", "--scale", "4"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(img.load(png));
    QCOMPARE(img.width(), 3 * 112 + 4 * 2);
    QCOMPARE(img.height(), 2 * 112 + 3 * 2);
    // More columns than tiles: as many as tiles. Before: a PNG 1000 tiles wide was refused for its size.
    r = run({"sample", "--model", model_, "--out", png, "--count", "7", "--columns", "1000"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(img.load(png));
    QCOMPARE(img.width(), 7 * 56 + 8 * 2);
    QCOMPARE(img.height(), 56 + 2 * 2);
    // A grid needs a 2-D code.
    r = run({"sample", "--model", path("dae.safetensors"), "--out", png, "--grid", "3"});
    if (QFile::exists(path("dae.safetensors"))) {
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--grid:"));
    }
}

void TestCli::pngTooLargeNamesTheCommandsFlags_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("advice");
    // Before: "… fewer tiles (--grid, --count)" after the reconstructions were computed; recon has no --grid.
    QTest::newRow("recon, 1000 images") << QStringList{"recon", "--count", "1000"} << "; use a smaller --scale or --count";
    QTest::newRow("sample, grid") << QStringList{"sample", "--grid", "200", "--scale", "32"} << "; use a smaller --scale or --grid";
    QTest::newRow("sample, count") << QStringList{"sample", "--count", "40000", "--scale", "32"} << "; use a smaller --scale or --count";
    QTest::newRow("sample, count and columns") << QStringList{"sample", "--count", "400", "--columns", "1000", "--scale", "32"}
                                               << "; use a smaller --scale or --count, or other --columns";
}

// A PNG too large for readers is refused before the work, with the flags of the command that was run.
void TestCli::pngTooLargeNamesTheCommandsFlags()
{
    QFETCH(QStringList, args);
    QFETCH(QString, advice);
    const QString png = path("large.png");
    QFile::remove(png);
    const Run r = run(args + QStringList{"--model", model_, "--out", png, "--threads", "1"});
    QCOMPARE(r.code, 1);
    QVERIFY(r.out.isEmpty());
    const QString err = r.err.trimmed();
    QVERIFY2(!err.contains('\n'), qPrintable(err));  // the error alone: no note about the images first
    QVERIFY2(err.startsWith("aelab-cli " + args.first() + ": error: " + png + ": the PNG would be "), qPrintable(err));
    QVERIFY2(err.endsWith(advice), qPrintable(err));
    QVERIFY(!QFile::exists(png));
}

void TestCli::pca()
{
    const Run r = run({"pca", "--k", "2", "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.lines().size(), 1);
    const QJsonObject o = parseLine(r.lines().first());
    QCOMPARE(o["k"].toInt(), 2);
    const double ratio = o["explained_variance_ratio"].toDouble(), mse = o["test_mse"].toDouble();
    QVERIFY2(ratio > 0.1 && ratio < 0.3, qPrintable(QString::number(ratio)));
    QVERIFY2(mse > 0.03 && mse < 0.08, qPrintable(QString::number(mse)));

    const Run more = run({"pca", "--k", "2", "--k", "32", "784", "--threads", "1"});
    QCOMPARE(more.lines().size(), 3);
    const QJsonObject k32 = parseLine(more.lines()[1]), all = parseLine(more.lines()[2]);
    QVERIFY(k32["explained_variance_ratio"].toDouble() > ratio);
    QVERIFY(k32["test_mse"].toDouble() < mse);
    QCOMPARE(all["explained_variance_ratio"].toDouble(), 1.0);
    QVERIFY(all["train_mse"].toDouble() < 1e-9);
}

// A run that diverges before its first healthy checkpoint has nothing to keep: --out, here a model
// of an earlier run, stays as it was. Before, it was replaced by the initial weights, with metadata
// claiming the steps of the diverged run.
void TestCli::divergenceExitsOneAndKeepsTheEarlierModel()
{
    const QString out = path("diverged.safetensors");
    QVERIFY(run({"train", "--arch", "784-[64]-784", "--steps", "3", "--out", out, "--threads", "1", "--quiet"}).code == 0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray earlier = f.readAll();
    f.close();
    const Run r = run({"train", "--lr", "1000", "--arch", "784-[64]-784", "--output-act", "linear", "--steps", "300",
                       "--out", out, "--threads", "1", "--quiet"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("diverged") && r.err.contains("not saved") && r.err.contains("left as it was"), qPrintable(r.err));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), earlier);
}

void TestCli::malformedDataFiles_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("train, garbage images") << "train" << QByteArray("definitely not IDX");
    QTest::newRow("train, truncated images") << "train" << QByteArray::fromHex("00000803000000640000001c0000001c0102");
    QTest::newRow("pca, garbage images") << "pca" << QByteArray("\x1f\x8b garbage gzip", 15);
    QTest::newRow("train, missing file") << "train" << QByteArray();
}

void TestCli::malformedDataFiles()
{
    QFETCH(QString, command);
    QFETCH(QByteArray, content);
    const QString images = path("broken-images.idx");
    QFile::remove(images);
    if (!content.isEmpty()) {
        QFile f(images);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    // A valid labels file, so the error is about the images file.
    const std::string labels = path("labels.idx").toStdString();
    const ael::Dataset d = ael::embeddedMnist().subset({0, 1, 2, 3, 4, 5}, "six");
    ael::writeIdx(d, path("images-ok.idx").toStdString(), labels, false);
    QStringList args{command, "--images", images, "--labels", QString::fromStdString(labels), "--threads", "1"};
    if (command == "train") args << "--steps" << "1" << "--quiet";
    const Run r = run(args);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("broken-images.idx"), qPrintable(r.err));
    QVERIFY(!r.err.trimmed().contains(QLatin1Char(10)));
}

void TestCli::exportRoundTrip()
{
    const QString images = path("test-images.gz"), labels = path("test-labels.gz");
    const Run r = run({"export", "--data", "mnist", "--split", "test", "--images", images, "--labels", labels});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(parseLine(r.lines().value(0))["count"].toInt(), 1996);
    QFile f(images);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.read(2), QByteArray("\x1f\x8b"));  // gzip'd because of the name
    const ael::Dataset back = ael::loadIdx(images.toStdString(), labels.toStdString(), "back");
    const ael::Dataset test = ael::stratifiedSplit(ael::embeddedMnist()).test;
    QVERIFY(back.pixels == test.pixels);
    QVERIFY(back.labels == test.labels);
    // And the files train like any other data.
    const Run t = run({"train", "--images", images, "--labels", labels, "--steps", "2", "--threads", "1", "--quiet"});
    QVERIFY2(t.code == 0, qPrintable(t.err));
    QCOMPARE(t.lines().size(), 1);
}

void TestCli::sigintStopsAndSaves()
{
    const QString out = path("interrupted.safetensors");
    QProcess p;
    p.setWorkingDirectory(dir_.path());
    p.start(QStringLiteral(AELAB_CLI), {"train", "--epochs", "1000", "--arch", "784-[16]-784", "--batch", "512", "--out",
                                        out, "--threads", "1", "--quiet"});
    QVERIFY(p.waitForStarted());
    // Wait for the first epoch's line, then interrupt.
    QByteArray stdoutText = readFirstLine(p, 30000);
    QVERIFY(stdoutText.contains('\n'));
    ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 130);
    stdoutText += p.readAllStandardOutput();
    for (const QByteArray &line : stdoutText.split('\n'))
        if (!line.isEmpty()) QVERIFY(parseLine(QString::fromUtf8(line)).contains("test_mse"));
    const ael::LoadedModel m = ael::loadModel(out.toStdString());
    QVERIFY(std::stoll(m.metadata.at("steps")) >= 16);
}

void TestCli::bench()
{
    const QString json = path("bench.json");
    const Run r = run({"bench", "--models", "C", "--batches", "512", "--max-epochs", "2", "--min-epochs", "2",
                       "--threads", "1", "--json", json});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.lines().size(), 1);
    static const QRegularExpression line(
        R"(^C    bs= 512 thr=1 +\d+ samples/s \( *\d+\.\d GFLOP/s eff\) ep=2 final_mse=0\.\d{4}$)");
    QVERIFY2(line.match(r.lines().first()).hasMatch(), qPrintable(r.lines().first()));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(doc["results"].toArray().size(), 1);
    const QJsonObject res = doc["results"].toArray()[0].toObject();
    QCOMPARE(res["epochs"].toInt(), 2);
    QCOMPARE(res["epoch_times"].toArray().size(), 2);
    QVERIFY(res["final_mse"].toDouble() < 0.12);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
