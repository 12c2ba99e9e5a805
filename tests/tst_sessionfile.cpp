// Session files (core/io/SessionFile.h): bitwise round trips, the file is a model file too, every
// rejection names the file, and Trainer::resume (how a saved session continues).
#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/io/JsonLimits.h"
#include "core/io/SessionFile.h"
#include "core/train/Trainer.h"

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <cstdlib>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

using namespace ael;
using json = nlohmann::ordered_json;

namespace {

Architecture smallArch(bool variational = false)
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec("6-4-[2]-4-6", a, &err)) qFatal("%s", err.c_str());
    a.variational = variational;
    return a;
}

void fillAwkward(Model<float> &m, uint64_t seed)
{
    Rng rng(seed);
    m.initialize(rng);
    for (Param<float> *p : m.params()) {
        for (Eigen::Index i = 0; i < p->value.size(); ++i) p->value.data()[i] = float(rng.normal());
        p->value.data()[0] = -0.0f;
        if (p->value.size() > 1) p->value.data()[1] = std::numeric_limits<float>::denorm_min();
    }
}

bool sameBits(double a, double b)
{
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::memcmp(&a, &b, sizeof a) == 0;
}

SessionHistory awkwardHistory()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    SessionHistory h;
    h.termNames = {"sparsity_l1", "contractive"};
    Rng rng(11);
    for (int i = 0; i < 500; ++i) {
        SessionHistory::Point p;
        p.step = 3 * i + 1;
        p.epoch = p.step / 63.0;
        p.reconstruction = 0.1 * std::exp(-i / 100.0) + 1e-3 * rng.uniform();
        p.terms = {i < 200 ? nan : 1e-4 * rng.uniform(), i < 300 ? 5e-300 * (i + 1) : nan};  // absent before a switch, denormal-ish
        h.points.push_back(p);
    }
    h.tests = {{60, 0.0912345678901234}, {1201, 0.0471, 0.0087123456789}, {1498, 1.0 / 3.0}};
    h.markers = {{600, "→ sparse"}, {900, "lr 0.01, \"quoted\"; and a comma"}, {1499, "λ 1e-3"}};
    return h;
}

TrainSettings oddSettings()
{
    TrainSettings s;
    s.variant = Variant::Sparse;
    s.opt.learningRate = 0.0123456789012345;
    s.opt.beta2 = 0.9987654321;
    s.batchSize = 37;
    s.sparsityWeight = 3.0e-4 / 7.0;
    return s;
}

std::string dir()
{
    static QTemporaryDir d;
    return d.path().toStdString();
}

std::vector<uint8_t> readAll(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

/// A valid session file image whose session JSON text has been changed by `edit`.
std::vector<uint8_t> withSessionText(const std::function<std::string(std::string)> &edit)
{
    const std::string path = dir() + "/valid.safetensors";
    Model<float> m(smallArch());
    fillAwkward(m, 5);
    SessionInfo info{"mnist", "MNIST digits", 42, 1500, 23};
    saveSession(path, m, oddSettings(), info, awkwardHistory());
    const auto bytes = readAll(path);
    SafetensorsFile f = loadSafetensorsFromMemory(bytes.data(), bytes.size(), "valid");
    f.metadata[kSessionMetadataKey] = edit(f.metadata.at(kSessionMetadataKey));
    return serializeSafetensors(f.tensors, f.metadata, "edited");
}

/// The same with the session JSON changed as a value.
std::vector<uint8_t> withSessionJson(const std::function<void(json &)> &edit)
{
    return withSessionText([&edit](const std::string &text) {
        json j = json::parse(text);
        edit(j);
        return j.dump();
    });
}

/// `text` with the first `from` replaced by `to`.
std::string replaced(std::string text, const std::string &from, const std::string &to)
{
    const size_t at = text.find(from);
    if (at == std::string::npos) qFatal("no %s in the session JSON", from.c_str());
    return text.replace(at, from.size(), to);
}

// ---- the writer process of killedWriterLeavesOldOrNewSession ----

/// Version v (0 or 1) of a session: every weight is 0.25 + v, step 1000 + v, a 20,000-point history.
void saveVersion(const std::string &path, int v)
{
    Architecture a;
    Architecture::parseSpec("784-256-[2]-256-784", a, nullptr);
    Model<float> m(a);
    for (Param<float> *p : m.params()) p->value.setConstant(0.25f + float(v));
    SessionHistory h;
    h.termNames = {"contractive"};
    for (int i = 0; i < 20000; ++i) h.points.push_back({i + 1, i / 63.0, 0.1 / (i + 1) + v, {1e-3 * v}});
    saveSession(path, m, TrainSettings{}, {"mnist", "MNIST", uint64_t(v), 1000 + v, v}, h);
}

/// Saves versions 1, 0, 1, 0, ... over `path` until killed.
int writeForever(const char *path)
{
    for (int i = 1;; ++i) saveVersion(path, i % 2);
}

}  // namespace

class TestSessionFile : public QObject {
    Q_OBJECT
private slots:
    void roundTripIsBitwise()
    {
        const std::string path = dir() + "/session.safetensors";
        Model<float> m(smallArch());
        fillAwkward(m, 7);
        const TrainSettings s = oddSettings();
        const SessionInfo info{"idx:/data/my images,1", "My images (1,000)", std::numeric_limits<uint64_t>::max(), 1500, 23};
        const SessionHistory h = awkwardHistory();
        saveSession(path, m, s, info, h);

        const LoadedSession ls = loadSession(path);
        QCOMPARE(ls.info.dataId, info.dataId);
        QCOMPARE(ls.info.dataLabel, info.dataLabel);
        QCOMPARE(ls.info.seed, info.seed);
        QCOMPARE(ls.info.step, info.step);
        QCOMPARE(ls.info.epoch, info.epoch);
        QCOMPARE(ls.model.arch.spec(), m.arch().spec());
        QVERIFY(sameBits(ls.model.settings.opt.learningRate, s.opt.learningRate));
        QVERIFY(sameBits(ls.model.settings.opt.beta2, s.opt.beta2));
        QVERIFY(sameBits(ls.model.settings.sparsityWeight, s.sparsityWeight));
        QCOMPARE(ls.model.settings.batchSize, 37);
        QCOMPARE(int(ls.model.settings.variant), int(Variant::Sparse));
        auto a = m.params();
        auto b = ls.model.model->params();
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i]->name, a[i]->name);
            QVERIFY(std::memcmp(a[i]->value.data(), b[i]->value.data(), size_t(a[i]->value.size()) * sizeof(float)) == 0);
        }
        QCOMPARE(ls.history.termNames, h.termNames);
        QCOMPARE(ls.history.points.size(), h.points.size());
        for (size_t i = 0; i < h.points.size(); ++i) {
            const auto &p = h.points[i], &q = ls.history.points[i];
            QCOMPARE(q.step, p.step);
            QVERIFY(sameBits(q.epoch, p.epoch));
            QVERIFY(sameBits(q.reconstruction, p.reconstruction));
            QCOMPARE(q.terms.size(), p.terms.size());
            for (size_t t = 0; t < p.terms.size(); ++t) QVERIFY2(sameBits(q.terms[t], p.terms[t]), qPrintable(QString::number(i)));
        }
        QCOMPARE(ls.history.tests.size(), h.tests.size());
        for (size_t i = 0; i < h.tests.size(); ++i) {
            QCOMPARE(ls.history.tests[i].step, h.tests[i].step);
            QVERIFY(sameBits(ls.history.tests[i].mse, h.tests[i].mse));
            QVERIFY(sameBits(ls.history.tests[i].mseFromCorrupted, h.tests[i].mseFromCorrupted));  // NaN where none
        }
        QCOMPARE(ls.history.markers.size(), h.markers.size());
        for (size_t i = 0; i < h.markers.size(); ++i) {
            QCOMPARE(ls.history.markers[i].step, h.markers[i].step);
            QCOMPARE(ls.history.markers[i].label, h.markers[i].label);
        }
    }

    // The session JSON as the build before nlohmann/json wrote it for this session: the text written now
    // is the same JSON value with the members in the same order (numbers may be spelt differently, e.g.
    // 0 → 0.0, 1e-04 → 0.0001, each reading back to the same double), and the earlier text still loads.
    void sessionJsonMatchesEarlierBuilds()
    {
        std::string earlier =
            "{'format':'aelab-session','version':1,'data':{'id':'mnist','label':'MNIST digits'},"
            "'seed':'18446744073709551615','step':5,'epoch':3,'history':{'terms':['sparsity_l1'],'step':[1,2,5],"
            "'epoch':[0,0.015873015873015872,0.07936507936507936],'reconstruction':[0.25,0.125,0.0625],"
            "'term':[[null,1e-04,2]],'test':[[2,0.5],[5,0.3333333333333333]],"
            "'markers':[[2,'\xE2\x86\x92 sparse'],[5,'lr 0.01, \xCE\xB2 2']]}}";
        std::replace(earlier.begin(), earlier.end(), '\'', '"');
        Model<float> m(smallArch());
        fillAwkward(m, 6);
        const double nan = std::numeric_limits<double>::quiet_NaN();
        SessionHistory h;
        h.termNames = {"sparsity_l1"};
        h.points = {{1, 0.0, 0.25, {nan}}, {2, 1.0 / 63.0, 0.125, {1e-4}}, {5, 5.0 / 63.0, 0.0625, {2.0}}};
        h.tests = {{2, 0.5}, {5, 1.0 / 3.0}};
        h.markers = {{2, "\xE2\x86\x92 sparse"}, {5, "lr 0.01, \xCE\xB2 2"}};
        const SessionInfo info{"mnist", "MNIST digits", std::numeric_limits<uint64_t>::max(), 5, 3};
        const auto bytes = serializeSession(m, TrainSettings{}, info, h, "now");
        const std::string now = loadSafetensorsFromMemory(bytes.data(), bytes.size(), "now").metadata.at(kSessionMetadataKey);
        QVERIFY(json::parse(now) == json::parse(earlier));  // ordered_json: the same members in the same order
        qInfo("written now: %s", now.c_str());

        const auto old = withSessionText([&earlier](const std::string &) { return earlier; });
        const LoadedSession ls = loadSessionFromMemory(old.data(), old.size(), "earlier.safetensors");
        QCOMPARE(ls.info.seed, info.seed);
        QCOMPARE(ls.history.points.size(), size_t(3));
        QVERIFY(std::isnan(ls.history.points[0].terms[0]));
        QCOMPARE(ls.history.points[1].terms[0], 1e-4);
        QCOMPARE(ls.history.points[2].epoch, 5.0 / 63.0);
        QCOMPARE(ls.history.markers[1].label, h.markers[1].label);
    }

    void isAModelFileToo()
    {
        const std::string path = dir() + "/as-model.safetensors";
        Model<float> m(smallArch(true));
        fillAwkward(m, 8);
        TrainSettings s;
        s.variant = Variant::Variational;
        saveSession(path, m, s, {"mnist", "MNIST", 3, 77, 1}, {});
        const LoadedModel lm = loadModel(path);
        QVERIFY(lm.arch.variational);
        QCOMPARE(lm.metadata.at("steps"), std::string("77"));
        QCOMPARE(lm.metadata.at("data"), std::string("mnist"));
        // ... and a plain model file is not a session, with a message that says so.
        saveModel(dir() + "/plain.safetensors", m, s);
        try {
            loadSession(dir() + "/plain.safetensors");
            QFAIL("a plain model file was read as a session");
        } catch (const FormatError &e) {
            QVERIFY(QString::fromUtf8(e.what()).startsWith(QString::fromStdString(dir() + "/plain.safetensors: ")));
            QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("a model file, not a session")));
        }
    }

    void rejects_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("expected");
        const char *rows[][2] = {
            {"no format", "no \"format\""},
            {"version 2", "unknown session format version 2"},
            {"seed a number", "session.seed"},
            {"seed negative", "session.seed"},
            {"step negative", "session.step"},
            {"steps go back", "the steps go back"},
            {"columns differ", "history columns differ"},
            {"term columns", "history.term has"},
            {"string value", "expected a number or null"},
            {"too many terms", "at most 16 allowed"},
            {"marker not a pair", "history.markers"},
            {"data missing", "has no \"data\""},
            {"history not object", "history is not a JSON object"},
            // Hostile JSON text: each refused with the problem named.
            {"duplicate key", "the \"aelab-session\" metadata is not valid JSON: duplicate key 'step' at the top level"},
            {"depth 10^5", "metadata is not valid JSON: arrays/objects nested deeper than 8 levels in /history/test/0"},
            {"huge number", "metadata is not valid JSON: number overflow parsing '1e400'"},
            {"NaN literal", "metadata is not valid JSON: NaN is not a JSON number"},
            {"Infinity literal", "metadata is not valid JSON: Infinity is not a JSON number"},
            {"invalid UTF-16 escape", "metadata is not valid JSON: syntax error while parsing value - invalid string: surrogate"},
            {"trailing garbage", "metadata is not valid JSON: syntax error while parsing value - unexpected ']'; expected end of input"},
            {"huge step", "session.step is not an integer"},
        };
        int i = 0;
        for (auto &r : rows) QTest::newRow(r[0]) << i++ << QString::fromUtf8(r[1]);
    }

    void rejects()
    {
        QFETCH(int, which);
        QFETCH(QString, expected);
        const auto edit = [which](json &j) {
            json &h = j["history"];
            switch (which) {
            case 0: j["format"] = "something"; break;
            case 1: j["version"] = 2; break;
            case 2: j["seed"] = 42; break;
            case 3: j["seed"] = "-1"; break;
            case 4: j["step"] = -5; break;
            case 5: h["step"][10] = 1; break;
            case 6: h["epoch"].erase(h["epoch"].size() - 1); break;
            case 7: h["term"].erase(h["term"].size() - 1); break;
            case 8: h["reconstruction"][3] = "0.5"; break;
            case 9: for (int k = 0; k < 17; ++k) h["terms"].push_back("t" + std::to_string(k)); break;
            case 10: h["markers"].push_back({5}); break;
            case 11: j.erase("data"); break;
            case 12: j["history"] = json::array(); break;
            }
        };
        const auto text = [which](const std::string &t) {
            switch (which) {
            case 13: return replaced(t, "\"step\":1500,", "\"step\":1500,\"step\":1,");
            case 14: return replaced(t, "\"test\":[[", "\"test\":[" + std::string(100000, '[') + std::string(100000, ']') + ",[");
            case 15: return replaced(t, "\"reconstruction\":[", "\"reconstruction\":[1e400,");
            case 16: return replaced(t, "\"reconstruction\":[", "\"reconstruction\":[NaN,");
            case 17: return replaced(t, "\"epoch\":[", "\"epoch\":[Infinity,");
            case 18: return replaced(t, "\"label\":\"MNIST digits\"", "\"label\":\"MNIST \\ud800 digits\"");
            case 19: return t + "]";
            case 20: return replaced(t, "\"step\":1500,", "\"step\":1" + std::string(25, '0') + ",");
            }
            return t;
        };
        const auto bytes = which < 13 ? withSessionJson(edit) : withSessionText(text);
        try {
            loadSessionFromMemory(bytes.data(), bytes.size(), "hostile.safetensors");
            QFAIL("accepted");
        } catch (const FormatError &e) {
            const QString msg = QString::fromUtf8(e.what());
            QVERIFY2(msg.startsWith(QStringLiteral("hostile.safetensors: ")), qPrintable(msg));
            QVERIFY2(msg.contains(expected), qPrintable(msg));
        }
    }

    void rejectsBrokenFiles()
    {
        const std::string path = dir() + "/broken.safetensors";
        Model<float> m(smallArch());
        fillAwkward(m, 9);
        saveSession(path, m, oddSettings(), {"mnist", "MNIST", 1, 10, 0}, awkwardHistory());
        auto bytes = readAll(path);
        for (size_t cut : {size_t(0), size_t(7), size_t(100), bytes.size() / 2, bytes.size() - 1}) {
            QVERIFY_THROWS_EXCEPTION(FormatError, loadSessionFromMemory(bytes.data(), cut, "cut"));
        }
        std::vector<uint8_t> garbage(4096);
        Rng rng(3);
        for (auto &g : garbage) g = uint8_t(rng.uniform() * 256);
        QVERIFY_THROWS_EXCEPTION(FormatError, loadSessionFromMemory(garbage.data(), garbage.size(), "garbage"));
        QVERIFY_THROWS_EXCEPTION(FormatError, loadSession(dir() + "/does-not-exist.safetensors"));
    }

    void saveRefusesBadHistoryAndKeepsTheOldFile()
    {
        const std::string path = dir() + "/keep.safetensors";
        Model<float> m(smallArch());
        fillAwkward(m, 10);
        saveSession(path, m, oddSettings(), {"mnist", "MNIST", 1, 10, 0}, awkwardHistory());
        const auto before = readAll(path);
        SessionHistory bad = awkwardHistory();
        bad.points[17].terms.pop_back();
        QVERIFY_THROWS_EXCEPTION(FormatError, saveSession(path, m, oddSettings(), {"mnist", "MNIST", 1, 20, 0}, bad));
        QCOMPARE(readAll(path), before);
        QCOMPARE(loadSession(path).info.step, int64_t(10));
    }

    void killedWriterLeavesOldOrNewSession()
    {
        QTemporaryDir d;
        const std::string path = d.filePath(QStringLiteral("s.safetensors")).toStdString();
        saveVersion(path, 0);
        int seen[2] = {0, 0}, killed = 0;
        for (int round = 0; round < 30; ++round) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("AELAB_SESSION_WRITER"), QString::fromStdString(path));
            p.setProcessEnvironment(env);
            p.start(QCoreApplication::applicationFilePath(), {});
            QVERIFY(p.waitForStarted());
            QTest::qSleep(int(QRandomGenerator::global()->bounded(30, 400)));
            ::kill(pid_t(p.processId()), SIGKILL);
            p.waitForFinished();
            killed += p.exitStatus() == QProcess::CrashExit;
            const LoadedSession ls = loadSession(path);  // throws (fails the test) on a torn file
            const int v = int(ls.info.step - 1000);
            QVERIFY(v == 0 || v == 1);
            ++seen[v];
            for (const Param<float> *q : ls.model.model->params())
                QVERIFY((q->value.array() == 0.25f + float(v)).all());  // all of one version
            QCOMPARE(ls.history.points.size(), size_t(20000));
            QCOMPARE(ls.history.points.back().reconstruction, 0.1 / 20000 + v);
        }
        qInfo("30 writers killed at random moments: %d killed by SIGKILL, file was version 0 %d times, version 1 %d times",
              killed, seen[0], seen[1]);
        QCOMPARE(killed, 30);
        QVERIFY(seen[0] + seen[1] == 30);
        // The next save removes the temporaries the killed writers left.
        saveVersion(path, 0);
        QCOMPARE(QDir(d.path()).entryList(QDir::Files), QStringList{QStringLiteral("s.safetensors")});
    }

    void trainerResumesFromSavedWeights()
    {
        Dataset d;
        d.rows = 2, d.cols = 3;
        d.pixels.resize(64 * 6);
        Rng rng(1);
        for (auto &p : d.pixels) p = uint8_t(rng.uniform() * 255);
        d.labels.assign(64, 0);
        TrainSettings s;
        s.batchSize = 16;
        Trainer a(smallArch(), s, d, 1);
        for (int i = 0; i < 10; ++i) a.step();
        Trainer b(smallArch(), s, d, 2);  // other initial weights
        b.resume(a.model(), a.steps(), a.epoch());
        QCOMPARE(b.steps(), a.steps());
        QCOMPARE(b.epoch(), a.epoch());
        for (size_t i = 0; i < a.model().params().size(); ++i)
            QVERIFY(a.model().params()[i]->value == b.model().params()[i]->value);
        QCOMPARE(b.step().step, a.steps() + 1);
        // A model of another shape: refused, nothing changed.
        Architecture other;
        QVERIFY(Architecture::parseSpec("6-[3]-6", other, nullptr));
        Model<float> wrong(other);
        const Matrix before = b.model().params()[0]->value;
        const long long steps = b.steps();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, b.resume(wrong, 5, 0));
        QCOMPARE(b.steps(), steps);
        QVERIFY(b.model().params()[0]->value == before);
    }
};

int main(int argc, char **argv)
{
    if (const char *path = std::getenv("AELAB_SESSION_WRITER")) return writeForever(path);
    QCoreApplication app(argc, argv);
    TestSessionFile t;
    return QTest::qExec(&t, argc, argv);
}
#include "tst_sessionfile.moc"
