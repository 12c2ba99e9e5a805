// Models and sessions in the window: a GUI-saved model has the same test MSE in `aelab-cli eval`; a
// CLI-trained model opens with identical weights, reconstructions and test MSE; a session round trip
// restores settings, weights and history bitwise; a bad file changes nothing. (The question before a trained,
// unsaved model is thrown away: tst_ui_unsaved.)
#include "core/data/Dataset.h"
#include "core/io/ModelFile.h"
#include "core/io/SessionFile.h"
#include "core/nn/Model.h"
#include "ui/training/LossHistory.h"
#include "ui/views/LossChartView.h"
#include "ui/widgets/Ask.h"
#include "ui/window/ControlPanel.h"
#include "ui/window/MainWindow.h"
#include "WindowTestKit.h"

#include <nlohmann/json.hpp>

#include <QDockWidget>
#include <QLineSeries>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>

#ifndef AELAB_CLI
#error "tests/CMakeLists.txt defines AELAB_CLI, the path of the built aelab-cli"
#endif

using windowtest::idleAt;
using windowtest::testOptions;
using windowtest::trainTo;
using windowtest::useSmallModel;

namespace {

QByteArray bits(const ael::Model<float> &m)
{
    QByteArray b;
    for (const ael::Param<float> *p : m.params()) b.append(reinterpret_cast<const char *>(p->value.data()), p->value.size() * 4);
    return b;
}

QByteArray bits(const ael::TrainSettings &s) { return QByteArray::fromStdString(ael::settingsToJson(s).dump()); }

struct Cli {
    int code = -1;
    QByteArray out, err;
};

Cli cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(AELAB_CLI), args);
    Cli r;
    if (!p.waitForFinished(300000)) return r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

/// aelab-cli eval's JSON for a model file.
nlohmann::ordered_json cliEval(const QString &model)
{
    const Cli r = cli({QStringLiteral("eval"), QStringLiteral("--model"), model});
    if (r.code != 0) qFatal("aelab-cli eval: %s", r.err.constData());
    return nlohmann::ordered_json::parse(r.out.trimmed().toStdString());
}

double cliTestMse(const QString &model) { return cliEval(model)["mse"].get<double>(); }

/// What "nothing changed" compares.
struct State {
    quint64 run = 0;
    qint64 step = 0;
    QString data;
    QByteArray weights, settings, controls;
    int history = 0;
    static State of(MainWindow &w)
    {
        return {w.runId(), w.worker()->engineStep(), w.data()->id, bits(*w.lastSnapshot().model),
                bits(w.worker()->engineSettings()), bits(w.controls()->settings()), w.lossHistory().size()};
    }
    bool operator==(const State &) const = default;
};

}  // namespace

class TestUiFilesModels : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { windowtest::setUp("tst_ui_files_models"); }
    void init() { windowtest::forgetQuestions(); }
    void cleanupTestCase() { QSettings().clear(); }

    void guiSavedModelHasTheSameTestMseInTheCli_data()
    {
        QTest::addColumn<bool>("denoising");
        QTest::newRow("undercomplete") << false;
        // The window draws a denoising model's test MSE from corrupted x̃; eval gave only the clean one.
        QTest::newRow("denoising, masking 0.5") << true;
    }
    void guiSavedModelHasTheSameTestMseInTheCli()
    {
        QFETCH(bool, denoising);
        MainWindow w(testOptions());
        useSmallModel(w);
        if (denoising) {
            ael::TrainSettings s = w.controls()->settings();
            s.variant = ael::Variant::Denoising;
            s.corruption = {ael::CorruptionKind::Masking, 0.5};
            w.controls()->setSettings(s);
            w.worker()->setSettings(s);
            QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineSettings().variant, ael::Variant::Denoising, 30000);
        }
        QVERIFY(trainTo(w, 150));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("gui.safetensors"));
        QString why;
        QVERIFY2(w.saveModelTo(path, &why), qPrintable(why));
        const nlohmann::ordered_json eval = cliEval(path);
        const double cliMse = eval["mse"].get<double>();
        qInfo("window test MSE %.17g, aelab-cli eval %.17g", w.lastSnapshot().testMse, cliMse);
        QCOMPARE(cliMse, w.lastSnapshot().testMse);
        QCOMPARE(eval.contains("mse_from_corrupted"), denoising);
        if (denoising) {
            QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().testMseNoisy > 0, 30000);
            QCOMPARE(eval["mse_from_corrupted"].get<double>(), w.lastSnapshot().testMseNoisy);
            qInfo("from x̃: window %.17g, eval %.17g", w.lastSnapshot().testMseNoisy, eval["mse_from_corrupted"].get<double>());
            QVERIFY(w.lastSnapshot().testMseNoisy != w.lastSnapshot().testMse);  // not the clean MSE under another name
        }
        const ael::LoadedModel m = ael::loadModel(path.toStdString());
        QCOMPARE(m.metadata.at("steps"), std::string("150"));
        QCOMPARE(bits(*m.model), bits(*w.lastSnapshot().model));
    }

    void cliTrainedModelOpensWithIdenticalReconstructions()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cli.safetensors"));
        const Cli r = cli({"train", "--arch", "784-[16]-784", "--epochs", "1", "--seed", "5", "--out", path, "--quiet"});
        QVERIFY2(r.code == 0, r.err.constData());
        const ael::LoadedModel m = ael::loadModel(path.toStdString());
        const qint64 steps = std::stoll(m.metadata.at("steps"));

        MainWindow w(testOptions());
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().runId == w.runId(), 60000);
        QString why;
        QVERIFY2(w.openModelFrom(path, &why), qPrintable(why));
        QVERIFY(idleAt(w, steps));  // the run continues at the file's step
        QCOMPARE(bits(*w.lastSnapshot().model), bits(*m.model));
        QCOMPARE(QString::fromStdString(w.worker()->engineArchitecture().spec()), QStringLiteral("784-[16]-784"));
        QCOMPARE(bits(w.worker()->engineSettings()), bits(m.settings));
        QCOMPARE(w.lastSnapshot().testMse, cliTestMse(path));
        // The ten reconstructions, against the file's model run here on the same digits.
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().reconstructions.size() == 10, 60000);
        const ael::Dataset &test = *w.data()->test;
        ael::Matrix X;
        ael::ForwardPass<float> pass;
        for (int i = 0; i < 10; ++i) {
            const int idx = w.data()->showcase[size_t(i)];
            test.range(idx, 1, X);
            m.model->forward(X, pass, nullptr);
            const QImage img = w.lastSnapshot().reconstructions[i].convertToFormat(QImage::Format_Grayscale8);
            int worst = 0;
            for (int p = 0; p < test.dim(); ++p) {
                const int expected = int(std::lround(std::clamp(pass.output()(p, 0), 0.0f, 1.0f) * 255));
                worst = std::max(worst, std::abs(qGray(img.pixel(p % test.cols, p / test.cols)) - expected));
            }
            QVERIFY2(worst <= 1, qPrintable(QStringLiteral("digit %1 differs by %2 grey levels").arg(i).arg(worst)));
        }
    }

    void sessionRoundTripIsExact()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("lecture.safetensors"));
        MainWindow w(testOptions());
        useSmallModel(w);
        ael::TrainSettings s = w.controls()->settings();
        s.variant = ael::Variant::Sparse;
        s.opt.learningRate = 0.0023456789;
        w.controls()->setSettings(s);
        w.controls()->setSeed(424242);
        w.resetRun();
        QVERIFY(trainTo(w, 90));
        s.sparsityWeight = 0.002;  // a marker
        w.controls()->setSettings(s);
        w.worker()->setSettings(s);
        QVERIFY(trainTo(w, 180));
        QTRY_VERIFY_WITH_TIMEOUT(!w.lossHistory().data().markers.empty(), 30000);
        QString why;
        QVERIFY2(w.saveSessionTo(path, &why), qPrintable(why));
        const State saved = State::of(w);
        const ael::SessionHistory history = w.lossHistory().data();
        const QByteArray csv = w.lossHistory().toCsv();
        const ael::LoadedSession stored = ael::loadSession(path.toStdString());
        QVERIFY(stored.state);  // Adam's moments and the data stream's position are in the file
        QVERIFY(!stored.state->perParam.empty());
        QCOMPARE(qint64(stored.info.step), qint64(180));
        QVERIFY(trainTo(w, 200));  // where the uninterrupted run goes next
        const QByteArray straight = bits(*w.lastSnapshot().model);
        QVERIFY(straight != saved.weights);

        // Something else: other settings, a fresh run, a few steps.
        ael::TrainSettings other = s;
        other.variant = ael::Variant::Undercomplete;
        other.opt.learningRate = 0.01;
        w.controls()->setSettings(other);
        w.controls()->setSeed(1);
        w.resetRun();
        QVERIFY(trainTo(w, 20));

        QVERIFY2(w.openSessionFrom(path, &why), qPrintable(why));
        QVERIFY(idleAt(w, 180));
        QCOMPARE(bits(*w.lastSnapshot().model), saved.weights);
        QCOMPARE(bits(w.worker()->engineSettings()), saved.settings);
        QCOMPARE(bits(w.controls()->settings()), saved.settings);
        QCOMPARE(w.worker()->engineSeed(), quint64(424242));
        QCOMPARE(w.controls()->seed(), quint64(424242));
        QCOMPARE(w.lossHistory().toCsv(), csv);  // 17 significant digits: the doubles themselves
        const auto &h = w.lossHistory().data();
        QCOMPARE(h.points.size(), history.points.size());
        for (size_t i = 0; i < h.points.size(); ++i) {
            QCOMPARE(h.points[i].step, history.points[i].step);
            QVERIFY(std::memcmp(&h.points[i].reconstruction, &history.points[i].reconstruction, 8) == 0);
        }
        QCOMPARE(h.markers.size(), history.markers.size());
        // The chart shows the restored history, and training continues after it.
        w.lossView()->refresh();
        QVERIFY(w.lossView()->series(QStringLiteral("train"))->count() > 0);
        QCOMPARE(w.lossView()->markerCount(), int(history.markers.size()));
        QVERIFY(trainTo(w, 200));
        QVERIFY2(bits(*w.lastSnapshot().model) == straight, "the opened session did not go on as the saved run did");
        QCOMPARE(w.lossHistory().data().points.front().step, history.points.front().step);
        QCOMPARE(w.lossHistory().data().points.back().step, qint64(200));
    }

    void badFilesChangeNothing_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("session");
        QTest::addColumn<QString>("expected");
        for (bool session : {false, true}) {
            const char *what = session ? "session" : "model";
            // A cut or foreign file says so in words, before the reader's detail.
            const QString cut = QStringLiteral("is not a complete %1 file: it may have been cut short").arg(what);
            QTest::addRow("%s truncated", what) << "truncated" << session << cut + "|Detail: tensor ";
            QTest::addRow("%s garbage", what) << "garbage" << session << cut + "|Detail: header length ";
            QTest::addRow("%s wrong input size", what) << "wrongsize" << session << "100";
            QTest::addRow("%s missing", what) << "missing" << session << "no such file";
        }
        QTest::addRow("model file as session") << "model" << true << "not a session";
    }

    void badFilesChangeNothing()
    {
        QFETCH(QString, kind);
        QFETCH(bool, session);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.safetensors"));
        MainWindow w(testOptions());
        useSmallModel(w);
        QVERIFY(trainTo(w, 40));
        // A valid file of the current run, then broken as the row says.
        QString why;
        QVERIFY(session ? w.saveSessionTo(path, &why) : w.saveModelTo(path, &why));
        if (kind == QLatin1String("model")) QVERIFY(w.saveModelTo(path, &why));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        f.close();
        if (kind == QLatin1String("truncated")) bytes.truncate(bytes.size() * 2 / 3);
        if (kind == QLatin1String("garbage")) bytes = QByteArray(5000, '\x5a');
        if (kind != QLatin1String("missing") && kind != QLatin1String("wrongsize") && kind != QLatin1String("model")) {
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(bytes);
            f.close();
        }
        if (kind == QLatin1String("missing")) QFile::remove(path);
        if (kind == QLatin1String("wrongsize")) {
            ael::Architecture a;
            QVERIFY(ael::Architecture::parseSpec("100-[4]-100", a, nullptr));
            ael::Model<float> m(a);
            if (session) ael::saveSession(path.toStdString(), m, ael::TrainSettings{}, {"mnist", "MNIST", 1, 5, 0}, {});
            else ael::saveModel(path.toStdString(), m, ael::TrainSettings{});
        }
        const State before = State::of(w);
        const bool ok = session ? w.openSessionFrom(path, &why) : w.openModelFrom(path, &why);
        QVERIFY(!ok);
        QVERIFY2(why.startsWith(path), qPrintable(why));
        for (const QString &part : expected.split('|')) QVERIFY2(why.contains(part), qPrintable(why));
        QTest::qWait(300);  // anything the engine might still do
        QVERIFY(State::of(w) == before);
        // Through the File menu: the message box names the file and says that nothing changed.
        ask::setFileHandler([&](const QString &, bool) { return path; });
        QAction *open = nullptr;
        for (QAction *a : w.findChildren<QAction *>())
            if (a->text() == (session ? QStringLiteral("Open session…") : QStringLiteral("Open model…"))) open = a;
        QVERIFY(open);
        windowtest::g_asked.clear();
        open->trigger();
        QCOMPARE(windowtest::g_asked.size(), 1);
        const QString said = windowtest::g_asked.front().text;
        QVERIFY2(said.startsWith(path) && said.contains(QStringLiteral("Nothing was changed")), qPrintable(said));
        QVERIFY(State::of(w) == before);
    }
};

QTEST_MAIN(TestUiFilesModels)
#include "tst_ui_files_models.moc"
