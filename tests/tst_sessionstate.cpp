// A session's run state (core/io/SessionState.h, Trainer::state / restoreState): training N steps,
// saving, opening and training M more gives bitwise the weights of N + M uninterrupted steps (Adam,
// SGD with momentum, the denoising variant's random corruption); a bad or partial state, in a file or
// handed to the trainer, is refused with a message and changes nothing.
#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/io/SessionFile.h"
#include "core/train/Trainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>

using namespace ael;

namespace {

Architecture smallArch()
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec("6-4-[2]-4-6", a, &err)) qFatal("%s", err.c_str());
    return a;
}

/// 64 random 2×3 images: an epoch is 4 batches of 16, so N = 13 stops in the middle of one.
const Dataset &data()
{
    static const Dataset d = [] {
        Dataset d;
        d.rows = 2, d.cols = 3;
        d.pixels.resize(64 * 6);
        Rng rng(1);
        for (auto &p : d.pixels) p = uint8_t(rng.uniform() * 255);
        d.labels.assign(64, 0);
        return d;
    }();
    return d;
}

TrainSettings settingsFor(const QString &kind)
{
    TrainSettings s;
    s.batchSize = 16;
    s.opt.learningRate = 0.01;
    if (kind == "sgd") s.optimizer = OptimizerKind::SGD, s.opt.momentum = 0.9;
    if (kind == "denoising") s.variant = Variant::Denoising, s.corruption = {CorruptionKind::Masking, 0.4};
    return s;
}

bool sameWeights(const Trainer &a, const Trainer &b)
{
    const auto pa = a.model().params(), pb = b.model().params();
    if (pa.size() != pb.size()) return false;
    for (size_t i = 0; i < pa.size(); ++i)
        if (pa[i]->value.size() != pb[i]->value.size() ||
            std::memcmp(pa[i]->value.data(), pb[i]->value.data(), sizeof(float) * size_t(pa[i]->value.size())) != 0)
            return false;
    return true;
}

std::string tempPath(const char *name)
{
    static QTemporaryDir d;
    return d.filePath(name).toStdString();
}

std::vector<uint8_t> readAll(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

constexpr int kN = 13, kM = 11;

/// A session of kN Adam steps, with its run state.
std::string savedAdamSession()
{
    const std::string path = tempPath("adam.safetensors");
    Trainer a(smallArch(), settingsFor("adam"), data(), 1);
    for (int i = 0; i < kN; ++i) a.step();
    const TrainerState st = a.state();
    saveSession(path, a.model(), a.settings(), {"mnist", "MNIST", 1, a.steps(), a.epoch()}, {}, &st);
    return path;
}

}  // namespace

class TestSessionState : public QObject {
    Q_OBJECT
private slots:
    void continuesExactly_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("adam") << "adam";
        QTest::newRow("sgd, momentum 0.9") << "sgd";
        QTest::newRow("denoising (random masks)") << "denoising";
    }
    void continuesExactly()
    {
        QFETCH(QString, kind);
        const TrainSettings s = settingsFor(kind);
        Trainer straight(smallArch(), s, data(), 1);
        for (int i = 0; i < kN + kM; ++i) QVERIFY(!straight.step().diverged);

        Trainer a(smallArch(), s, data(), 1);
        for (int i = 0; i < kN; ++i) a.step();
        QVERIFY(a.positionInEpoch() != 0);  // stopped inside an epoch
        const std::string path = tempPath("continue.safetensors");
        const TrainerState st = a.state();
        saveSession(path, a.model(), a.settings(), {"mnist", "MNIST", 1, a.steps(), a.epoch()}, {}, &st);

        const LoadedSession ls = loadSession(path);
        QVERIFY(ls.state.has_value());
        QCOMPARE(ls.state->perParam.size(), st.perParam.size());
        auto opened = [&](bool withState) {
            auto t = std::make_unique<Trainer>(ls.model.arch, ls.model.settings, data(), 7);  // other initial weights
            t->resume(*ls.model.model, ls.info.step, ls.info.epoch);
            if (withState) {
                const std::string why = t->restoreState(*ls.state);
                if (!why.empty()) qFatal("%s", why.c_str());
            }
            for (int i = 0; i < kM; ++i) t->step();
            return t;
        };
        const auto b = opened(true);
        QCOMPARE(b->steps(), straight.steps());
        QVERIFY2(sameWeights(*b, straight), "saved, opened and continued differs from training straight through");
        // Without the state (the optimizer restarts, the epoch starts over) the run does differ.
        QVERIFY(!sameWeights(*opened(false), straight));
    }

    void badStateChangesNothing_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("message");
        QTest::newRow("a slot missing") << "drop slot" << "no optimizer state for parameter";
        QTest::newRow("a moment of another shape") << "shape" << "is 3 x 3, expected";
        QTest::newRow("negative v") << "negative v" << "negative";
        QTest::newRow("a foreign parameter") << "foreign" << "not a parameter";
        QTest::newRow("SGD's state for Adam") << "kind" << "the optimizer state is sgd's";
        QTest::newRow("order not a permutation") << "order" << "not a permutation";
        QTest::newRow("position outside") << "position" << "outside the training set";
    }
    void badStateChangesNothing()
    {
        QFETCH(QString, damage);
        QFETCH(QString, message);
        Trainer a(smallArch(), settingsFor("adam"), data(), 1), twin(smallArch(), settingsFor("adam"), data(), 1);
        for (int i = 0; i < kN; ++i) a.step(), twin.step();
        TrainerState st = a.state();
        QVERIFY(st.perParam.size() > 2);
        auto &m = st.perParam[1].second.moments;
        QCOMPARE(m.size(), size_t(2));
        if (damage == "drop slot") st.perParam.erase(st.perParam.begin() + 1);
        if (damage == "shape") m[0].second = Matrix::Zero(3, 3);
        if (damage == "negative v") m[1].second(0, 0) = -1;
        if (damage == "foreign") {
            const SlotState copy = st.perParam[0].second;
            st.perParam.emplace_back("decoder.9.weight", copy);
        }
        if (damage == "kind") st.optimizer = OptimizerKind::SGD;
        if (damage == "order") st.order[0] = st.order[1];
        if (damage == "position") st.position = int(st.order.size());
        // Change the state's other parts too, so that a partial restore would show.
        st.rng = Rng(99).state();
        for (auto &[name, slot] : st.perParam)
            if (!slot.moments.empty() && name != st.perParam[1].first) slot.moments[0].second.setConstant(0.5f);
        const std::string why = a.restoreState(st);
        QVERIFY2(QString::fromStdString(why).contains(message), why.c_str());
        for (int i = 0; i < kM; ++i) a.step(), twin.step();
        QVERIFY2(sameWeights(a, twin), "a refused state changed the run");
    }

    void badBlockInAFileIsRefused_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("message");
        QTest::newRow("a moment missing") << "drop v" << "has no moment 'v'";
        QTest::newRow("a step count missing") << "drop t" << "has no step count";
        QTest::newRow("the order missing") << "drop order" << "no data order";
        QTest::newRow("rng not hexadecimal") << "rng" << "stream.rng";
        QTest::newRow("unknown optimizer") << "kind" << "is not adam or sgd";
        QTest::newRow("moments without optimizer") << "drop kind" << "without an \"optimizer\" entry";
        QTest::newRow("a foreign parameter") << "foreign" << "is not a trained parameter";
        QTest::newRow("a moment of another shape") << "shape" << "does not fit the parameter";
    }
    void badBlockInAFileIsRefused()
    {
        QFETCH(QString, damage);
        QFETCH(QString, message);
        const auto bytes = readAll(savedAdamSession());
        SafetensorsFile f = loadSafetensorsFromMemory(bytes.data(), bytes.size(), "valid");
        auto drop = [&](const std::string &name) {
            const auto n = f.tensors.size();
            f.tensors.erase(std::remove_if(f.tensors.begin(), f.tensors.end(), [&](const NamedTensor &t) { return t.name == name; }),
                            f.tensors.end());
            QCOMPARE(f.tensors.size(), n - 1);
        };
        if (damage == "drop v") drop("optimizer.v.encoder.0.weight");
        if (damage == "drop t") QCOMPARE(f.metadata.erase("optimizer.t.decoder.0.bias"), size_t(1));
        if (damage == "drop order") drop("stream.order");
        if (damage == "rng") f.metadata["stream.rng"] = "1 2 3 4 0 zz";
        if (damage == "kind") f.metadata["optimizer"] = "rmsprop";
        if (damage == "drop kind") f.metadata.erase("optimizer");
        if (damage == "foreign") {
            f.tensors.push_back({"optimizer.m.decoder.9.weight", Matrix::Zero(2, 2)});
            f.tensors.push_back({"optimizer.v.decoder.9.weight", Matrix::Zero(2, 2)});
            f.metadata["optimizer.t.decoder.9.weight"] = "3";
        }
        if (damage == "shape")
            for (NamedTensor &t : f.tensors)
                if (t.name == "optimizer.m.encoder.0.bias") t.value = Matrix::Zero(2, 1);
        const auto edited = serializeSafetensors(f.tensors, f.metadata, "edited");
        try {
            loadSessionFromMemory(edited.data(), edited.size(), "lecture.safetensors");
            QFAIL("a bad optimizer block was accepted");
        } catch (const FormatError &e) {
            const QString what = QString::fromUtf8(e.what());
            QVERIFY2(what.startsWith("lecture.safetensors: ") && what.contains(QString(message)), e.what());
        }
    }

    void stillAModelFile()
    {
        const std::string path = savedAdamSession();
        const LoadedModel m = loadModel(path);  // what aelab-cli eval and Open model read
        QVERIFY(m.stateTensors.size() > 4);
        QVERIFY(m.model);
        // Without a state: none is read back.
        const std::string plain = tempPath("plain.safetensors");
        saveSession(plain, *m.model, m.settings, {"mnist", "MNIST", 1, 13, 3}, {});
        QVERIFY(!loadSession(plain).state.has_value());
        QVERIFY(loadSession(path).state.has_value());
    }
};

QTEST_GUILESS_MAIN(TestSessionState)
#include "tst_sessionstate.moc"
