// The trainer's contract for a live GUI: settings between any two steps, variant switches, determinism,
// divergence handling, corruption, and the engine's layout rules.
#include "core/parallel/ThreadPool.h"
#include "core/train/Trainer.h"
#include "WeightsTestKit.h"

#include <QDirIterator>
#include <QRegularExpression>
#include <QtTest>

#include <chrono>
#include <cstring>

using namespace ael;
using weightstest::identical;
using weightstest::weights;

namespace {

/// 240 8×8 images of three blurry bars (classes 0–2), deterministic.
Dataset synthetic(int n = 240)
{
    Dataset d;
    d.name = "bars";
    d.rows = d.cols = 8;
    d.classNames = {"0", "1", "2"};
    Rng rng(1);
    for (int k = 0; k < n; ++k) {
        const int cls = k % 3;
        for (int r = 0; r < 8; ++r)
            for (int c = 0; c < 8; ++c) {
                const bool on = (cls == 0 && r == 3) || (cls == 1 && c == 4) || (cls == 2 && r == c);
                const double v = (on ? 0.9 : 0.05) + 0.1 * rng.uniform();
                d.pixels.push_back(uint8_t(std::min(255.0, v * 255)));
            }
        d.labels.push_back(uint8_t(cls));
    }
    return d;
}

Architecture smallArch(const char *spec = "64-16-[2]-16-64")
{
    Architecture a;
    std::string err;
    Architecture::parseSpec(spec, a, &err);
    return a;
}


}  // namespace

Q_DECLARE_METATYPE(CorruptionKind)

class TestEngine : public QObject {
    Q_OBJECT
private slots:
    void coreHasNoQt();
    void refusesWhatCannotFitOrCannotWork();
    void architectureSpec_data();
    void architectureSpec();
    void masking_data();
    void masking();
    void otherCorruptions();
    void maskingDrawsPixelByPixel_data();
    void maskingDrawsPixelByPixel();
    void cleanTargetUntouched();
    void epochsAndBatches();
    void deterministic();
    void settingsKeepOptimizerState();
    void settingsTakeEffectNextStep();
    void rejectedSettingsKeepPrevious();
    void variantSwitchKeepsWeights();
    void everyVariantTrains_data();
    void everyVariantTrains();
    void divergenceRestoresFiniteModel();
    void nonFiniteUpdateDivergesAtOnce_data();
    void nonFiniteUpdateDivergesAtOnce();
    void phasesArePartsOfTheSteps_data();
    void phasesArePartsOfTheSteps();
};

void TestEngine::coreHasNoQt()
{
    QDirIterator it(QStringLiteral(AELAB_SOURCE_DIR "/core"), {"*.h", "*.cpp", "*.hpp"}, QDir::Files,
                    QDirIterator::Subdirectories);
    const QRegularExpression qtInclude(R"(^\s*#\s*include\s*[<"](Q[A-Za-z]|qt))", QRegularExpression::MultilineOption);
    int files = 0;
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY2(!qtInclude.match(text).hasMatch(), qPrintable(f.fileName() + " includes a Qt header"));
        ++files;
    }
    QVERIFY(files > 10);
}

void TestEngine::architectureSpec_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("encHidden");
    QTest::addColumn<int>("decHidden");
    QTest::newRow("lecture 2-D") << "784-256-[2]-256-784" << true << 2 << 1 << 1;
    QTest::newRow("one layer") << "784-[32]-784" << true << 32 << 0 << 0;
    QTest::newRow("overcomplete") << "784-[1024]-784" << true << 1024 << 0 << 0;
    QTest::newRow("no brackets, odd") << "784-128-784" << true << 128 << 0 << 0;
    QTest::newRow("asymmetric") << "784-512-128-[32]-256-784" << true << 32 << 2 << 1;
    QTest::newRow("output mismatch") << "784-[32]-100" << false << 0 << 0 << 0;
    QTest::newRow("two codes") << "784-[32]-[32]-784" << false << 0 << 0 << 0;
    QTest::newRow("letters") << "784-abc-784" << false << 0 << 0 << 0;
    QTest::newRow("zero width") << "784-[0]-784" << false << 0 << 0 << 0;
    QTest::newRow("too short") << "784-784" << false << 0 << 0 << 0;
    QTest::newRow("empty part") << "784--[2]-784" << false << 0 << 0 << 0;
    QTest::newRow("negative code") << "784-[-1]-784" << false << 0 << 0 << 0;
    QTest::newRow("negative hidden") << "784--64-[2]-784" << false << 0 << 0 << 0;
    QTest::newRow("trailing dash") << "784-[2]-784-" << false << 0 << 0 << 0;
}

void TestEngine::architectureSpec()
{
    QFETCH(QString, spec);
    QFETCH(bool, ok);
    Architecture a;
    std::string err;
    QCOMPARE(Architecture::parseSpec(spec.toStdString(), a, &err), ok);
    if (!ok) {
        QVERIFY(!err.empty());
        // The message names the fault, not a stray '[' or an empty '' as a width.
        const QString why = QString::fromStdString(err);
        if (spec.contains(QStringLiteral("-[-")) || spec.contains(QStringLiteral("--6")))
            QVERIFY2(why.contains(QStringLiteral("negative")), qPrintable(why));
        QVERIFY2(!why.contains(QStringLiteral("'[' is not")) && !why.contains(QStringLiteral("'' is not")), qPrintable(why));
        return;
    }
    QFETCH(int, code);
    QFETCH(int, encHidden);
    QFETCH(int, decHidden);
    QCOMPARE(a.code, code);
    QCOMPARE(int(a.encoderHidden.size()), encHidden);
    QCOMPARE(int(a.decoderHidden.size()), decHidden);
    QCOMPARE(QString::fromStdString(a.spec()).remove('[').remove(']'), QString(spec).remove('[').remove(']'));
}

void TestEngine::masking_data()
{
    QTest::addColumn<double>("p");
    for (double p : {0.0, 0.1, 0.3, 0.5, 0.9, 1.0}) QTest::addRow("p=%.1f", p) << p;
}

// Masking with rate p zeroes a fraction p of the inputs (binomial: ±4σ over 400k inputs < 0.004).
void TestEngine::masking()
{
    QFETCH(double, p);
    Matrix X = Matrix::Constant(784, 512, 0.7f);
    const Matrix before = X;
    Matrix Xt;
    Rng rng(3);
    corrupt(X, Xt, {CorruptionKind::Masking, p}, rng);
    const double zeroed = double((Xt.array() == 0.0f).count()) / double(X.size());
    QVERIFY2(std::abs(zeroed - p) < 0.004, qPrintable(QString("zeroed %1 for p %2").arg(zeroed).arg(p)));
    QVERIFY(((Xt.array() == 0.0f) || (Xt.array() == 0.7f)).all());  // survivors are untouched
    QVERIFY(X == before);                                            // the clean input is never touched
}

void TestEngine::otherCorruptions()
{
    Matrix X = Matrix::Constant(784, 256, 0.5f), Xt;
    Rng rng(4);
    corrupt(X, Xt, {CorruptionKind::SaltPepper, 0.2}, rng);
    const double hit = double((Xt.array() != 0.5f).count()) / double(X.size());
    const double salt = double((Xt.array() == 1.0f).count()) / double(X.size());
    QVERIFY(std::abs(hit - 0.2) < 0.005);
    QVERIFY(std::abs(salt - 0.1) < 0.005);
    corrupt(X, Xt, {CorruptionKind::Gaussian, 0.25}, rng);
    const Eigen::ArrayXXf diff = (Xt - X).array();
    const double mean = diff.mean(), sd = std::sqrt((diff - mean).square().mean());
    QVERIFY(std::abs(mean) < 0.005);
    QVERIFY(std::abs(sd - 0.25) < 0.005);
    corrupt(X, Xt, {CorruptionKind::None, 0.9}, rng);
    QVERIFY(Xt == X);
}

// corrupt() makes a block's draws first and then selects without a branch; the pixels it hits must be
// the ones of the definition, pixel by pixel: a 64-bit draw per four pixels, pixel k taking bits
// 16k..16k+15 as u, hit when u < p·65536 (salt and pepper: a second draw per four pixels, bit k the value).
void TestEngine::maskingDrawsPixelByPixel_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    for (CorruptionKind k : {CorruptionKind::Masking, CorruptionKind::SaltPepper})
        for (auto [r, c] : {std::pair{1, 1}, {5, 1}, {4, 256}, {1025, 1}, {784, 3}, {784, 128}}) {
            QTest::addRow("%s %dx%d", toString(k), r, c) << int(k) << r << c;
        }
}

void TestEngine::maskingDrawsPixelByPixel()
{
    QFETCH(int, kind);
    QFETCH(int, rows);
    QFETCH(int, cols);
    const Corruption c{CorruptionKind(kind), 0.3};
    Matrix X(rows, cols), Xt;
    for (Eigen::Index i = 0; i < X.size(); ++i) X.data()[i] = 0.25f + 0.5f * float(i % 7) / 7.0f;  // never 0 or 1
    Rng rng(11), reference(11);
    corrupt(X, Xt, c, rng);
    const uint32_t threshold = uint32_t(0.3 * 65536.0 + 0.5);
    Matrix expected = X;
    for (Eigen::Index i = 0; i < X.size(); i += 4) {
        const uint64_t r = reference.next();
        const uint64_t coin = c.kind == CorruptionKind::SaltPepper ? reference.next() : 0;
        for (int k = 0; k < 4 && i + k < X.size(); ++k)
            if (uint32_t((r >> (16 * k)) & 0xffff) < threshold) expected.data()[i + k] = float((coin >> k) & 1);
    }
    QVERIFY(Xt == expected);
    QCOMPARE(rng.next(), reference.next());  // and the same number of draws
}

// The denoising trainer corrupts a copy: the data set and the loss target stay clean. With p = 1 every
// input is zero, so the loss (against the clean x) cannot reach zero, while p = 0 learns fine.
void TestEngine::cleanTargetUntouched()
{
    const Dataset d = synthetic();
    const auto pixels = d.pixels;
    TrainSettings s;
    s.variant = Variant::Denoising;
    s.corruption = {CorruptionKind::Masking, 1.0};
    s.opt.learningRate = 1e-2;
    Trainer all(smallArch(), s, d, 1);
    double lastLoss = 0;  // the mean batch loss of the last 20 steps
    for (int i = 0; i < 200; ++i) {
        const double l = all.step().reconstruction;
        if (i >= 180) lastLoss += l / 20;
    }
    QVERIFY(d.pixels == pixels);
    // Every input is masked to x̃ = 0, so only the target tells x from x̃. Against the clean x the
    // best a model can do is the mean image: the batch loss stays at or above the per-pixel variance
    // (0.053). A loss taken against x̃ = 0 falls towards 0 (the output learns to say 0 everywhere).
    double mean[64] = {}, variance = 0, meanSquare = 0;
    for (int i = 0; i < d.size(); ++i)
        for (int j = 0; j < 64; ++j) mean[j] += d.image(i)[j] / 255.0 / d.size();
    for (int i = 0; i < d.size(); ++i)
        for (int j = 0; j < 64; ++j) {
            const double x = d.image(i)[j] / 255.0;
            variance += (x - mean[j]) * (x - mean[j]) / (64.0 * d.size());
            meanSquare += x * x / (64.0 * d.size());
        }
    QVERIFY2(variance < 0.5 * meanSquare, "the case must tell the two targets apart");
    QVERIFY2(lastLoss > 0.85 * variance,  // against x̃ it is 0.037 after these steps, against x 0.061
              qPrintable(QString("loss %1, variance %2").arg(lastLoss).arg(variance)));
    s.corruption.rate = 0.0;
    Trainer none(smallArch(), s, d, 1);
    for (int i = 0; i < 200; ++i) none.step();
    // All-zero inputs can only give the mean image: the loss stays at the data's variance.
    QVERIFY(all.evaluate(d).mse > 3 * none.evaluate(d).mse);
}

void TestEngine::epochsAndBatches()
{
    const Dataset d = synthetic(250);
    TrainSettings s;
    s.batchSize = 100;  // 100, 100, 50
    Trainer t(smallArch(), s, d, 1);
    StepResult r;
    QCOMPARE(t.step().batchSize, 100);
    QCOMPARE(t.step().batchSize, 100);
    r = t.step();
    QCOMPARE(r.batchSize, 50);
    QVERIFY(r.epochEnded);
    QCOMPARE(r.epoch, 1);
    QCOMPARE(t.positionInEpoch(), 0);
    QCOMPARE(t.steps(), 3LL);
}

void TestEngine::deterministic()
{
    const Dataset d = synthetic();
    TrainSettings s;
    s.variant = Variant::Denoising;
    auto run = [&](uint64_t seed) {
        Trainer t(smallArch(), s, d, seed);
        for (int i = 0; i < 40; ++i) {
            if (i == 20) {
                TrainSettings v = s;
                v.variant = Variant::Variational;
                t.setSettings(v);
            }
            t.step();
        }
        return weights(t);
    };
    QVERIFY(identical(run(7), run(7)));
    QVERIFY(!identical(run(7), run(8)));
    // The same with the engine's rows split between two threads (large enough layers to split).
    ThreadPool::instance().setThreads(2);
    auto wide = [&] {
        Trainer t(smallArch("64-512-[8]-512-64"), s, d, 3);
        for (int i = 0; i < 20; ++i) t.step();
        return weights(t);
    };
    const auto a = wide(), b = wide();
    ThreadPool::instance().setThreads(1);
    QVERIFY(identical(a, b));
}

// Re-applying the same settings every step changes nothing: no reset, no lost optimizer state.
void TestEngine::settingsKeepOptimizerState()
{
    const Dataset d = synthetic();
    TrainSettings s;
    Trainer a(smallArch(), s, d, 5), b(smallArch(), s, d, 5);
    for (int i = 0; i < 30; ++i) {
        a.step();
        TrainSettings same = b.settings();
        QVERIFY(b.setSettings(same).empty());
        b.step();
    }
    QVERIFY(identical(weights(a), weights(b)));
    // A real change (a learning rate change there and back) moves the trajectory, without a reset:
    TrainSettings fast = s;
    fast.opt.learningRate = 1e-1;
    QVERIFY(b.setSettings(fast).empty());
    b.step();
    QVERIFY(b.setSettings(s).empty());
    a.step();
    QVERIFY(!identical(weights(a), weights(b)));
    QCOMPARE(b.steps(), a.steps());
}

void TestEngine::settingsTakeEffectNextStep()
{
    const Dataset d = synthetic();
    TrainSettings s;
    s.batchSize = 16;
    Trainer t(smallArch("64-[8]-64"), s, d, 1);
    QCOMPARE(t.step().batchSize, 16);
    TrainSettings n = s;
    n.batchSize = 40;
    n.variant = Variant::Sparse;
    n.sparsityWeight = 0.5;
    QVERIFY(t.setSettings(n).empty());
    const StepResult r = t.step();
    QCOMPARE(r.batchSize, 40);
    QCOMPARE(int(r.terms.size()), 1);
    QCOMPARE(QString::fromStdString(r.terms[0].name), QString("sparsity_l1"));
    n.variant = Variant::Contractive;
    QVERIFY(t.setSettings(n).empty());
    QCOMPARE(QString::fromStdString(t.step().terms.at(0).name), QString("contractive"));  // one-layer: exact
    n.loss = LossKind::BCE;
    n.optimizer = OptimizerKind::SGD;
    QVERIFY(t.setSettings(n).empty());
    QCOMPARE(t.settings().loss, LossKind::BCE);
    QVERIFY(std::isfinite(t.step().reconstruction));
}

void TestEngine::rejectedSettingsKeepPrevious()
{
    const Dataset d = synthetic();
    TrainSettings s;
    Trainer t(smallArch(), s, d, 1);
    TrainSettings bad = s;
    bad.opt.learningRate = -1;
    QVERIFY(!t.setSettings(bad).empty());
    QCOMPARE(t.settings().opt.learningRate, s.opt.learningRate);
    bad = s;
    bad.variant = Variant::Sparse;
    bad.sparsity = SparsityKind::KL;  // the code is linear: KL needs a sigmoid code
    const std::string why = t.setSettings(bad);
    QVERIFY(why.find("sigmoid") != std::string::npos);
    QCOMPARE(t.settings().variant, Variant::Undercomplete);
    bad = s;
    bad.batchSize = 0;
    QVERIFY(!t.setSettings(bad).empty());
    bad = s;
    bad.corruption.rate = std::nan("");
    QVERIFY(!t.setSettings(bad).empty());
}

// To and from the variational variant: every layer but the code layer keeps its weights.
void TestEngine::variantSwitchKeepsWeights()
{
    const Dataset d = synthetic();
    TrainSettings s;
    Trainer t(smallArch(), s, d, 1);
    for (int i = 0; i < 10; ++i) t.step();
    const Matrix enc0 = t.model().encoder(0).weight().value;
    const Matrix dec1 = t.model().denseDecoder(1)->weight().value;
    TrainSettings v = s;
    v.variant = Variant::Variational;
    QVERIFY(t.setSettings(v).empty());
    QVERIFY(t.model().arch().variational);
    QCOMPARE(t.model().encoder(1).outputs(), 4);  // μ and log σ² for k = 2
    QVERIFY(t.model().encoder(0).weight().value == enc0);
    QVERIFY(t.model().denseDecoder(1)->weight().value == dec1);
    QVERIFY(t.lastSwitchReport().find("encoder.1.weight") != std::string::npos);
    const StepResult r = t.step();
    QVERIFY(!r.diverged);
    QCOMPARE(QString::fromStdString(r.terms.at(0).name), QString("kl"));
    QVERIFY(t.setSettings(s).empty());
    QCOMPARE(t.model().encoder(1).outputs(), 2);
    QVERIFY(!t.step().diverged);
}

void TestEngine::everyVariantTrains_data()
{
    QTest::addColumn<int>("variant");
    for (Variant v : {Variant::Undercomplete, Variant::Overcomplete, Variant::Sparse, Variant::Denoising,
                      Variant::Contractive, Variant::Variational})
        QTest::newRow(toString(v)) << int(v);
}

void TestEngine::everyVariantTrains()
{
    QFETCH(int, variant);
    const Dataset d = synthetic();
    TrainSettings s;
    s.variant = Variant(variant);
    s.opt.learningRate = 3e-3;
    s.batchSize = 32;
    Trainer t(smallArch(), s, d, 2);
    const double before = t.evaluate(d).mse;
    for (int i = 0; i < 300; ++i) QVERIFY(!t.step().diverged);
    const Metrics m = t.evaluate(d);
    QVERIFY2(m.mse < 0.7 * before, qPrintable(QString("mse %1 -> %2").arg(before).arg(m.mse)));
    QVERIFY(m.jacobianFro > 0);
    if (s.variant == Variant::Variational) QVERIFY(m.kl > 0);
}

void TestEngine::divergenceRestoresFiniteModel()
{
    const Dataset d = synthetic();
    TrainSettings s;
    s.opt.learningRate = 1e3;
    Architecture a = smallArch("64-32-[8]-32-64");
    a.output = ActivationKind::Linear;
    Trainer t(a, s, d, 1);
    StepResult r;
    int i = 0;
    for (; i < 2000 && !r.diverged; ++i) r = t.step();
    QVERIFY2(r.diverged, "a learning rate of 1e3 should diverge");
    QCOMPARE(t.phases().steps, (long long)(i - 1));  // the diverged step is not in the phases
    QVERIFY(!r.message.empty());
    QVERIFY(t.model().allFinite());
    QVERIFY(t.halted());
    QVERIFY(std::isfinite(t.evaluate(d).mse));
    QVERIFY(t.step().diverged);  // stays halted until a setting changes
    s.opt.learningRate = 1e-3;
    QVERIFY(t.setSettings(s).empty());
    QVERIFY(!t.step().diverged);
}

// The loss of the step is finite, its gradient is not: huge but finite codes (h ≈ 2.9e38 from encoder
// weights of 2.2e37) through tiny decoder weights give outputs near 100 and a loss near 1e4, while
// ∂L/∂W_dec = Σ_batch ∂L/∂z hᵀ overflows. The step that made the weights non-finite is the one that
// diverges, named as such, and the weights come back (the optimizer's own pass tells).
void TestEngine::nonFiniteUpdateDivergesAtOnce_data()
{
    QTest::addColumn<int>("optimizer");
    QTest::newRow("adam") << int(OptimizerKind::Adam);
    QTest::newRow("sgd") << int(OptimizerKind::SGD);
}

void TestEngine::nonFiniteUpdateDivergesAtOnce()
{
    QFETCH(int, optimizer);
    const Dataset d = synthetic();
    TrainSettings s;
    s.optimizer = OptimizerKind(optimizer);
    s.shuffle = false;
    Architecture a = smallArch("64-[4]-64");
    a.output = ActivationKind::Linear;
    Model<float> m(a);
    for (Param<float> *p : m.params()) {
        const bool weight = p->name.find("weight") != std::string::npos;
        const bool encoder = p->name.rfind("encoder", 0) == 0;
        p->value.setConstant(!weight ? 0.0f : encoder ? 2.2e37f : 8.6e-38f);
    }
    Trainer t(a, s, d, 1);
    t.loadWeights(m);
    const StepResult r = t.step();
    QVERIFY2(std::isfinite(r.reconstruction) && r.reconstruction < 1e6, qPrintable(QString::number(r.reconstruction)));
    QVERIFY(r.diverged);
    QVERIFY2(r.message.find("training diverged at step 1: the gradient of decoder.0.weight became non-finite") == 0, r.message.c_str());
    QCOMPARE(t.phases().steps, 0LL);
    const std::vector<const Param<float> *> after = t.model().params();
    const std::vector<Param<float> *> loaded = m.params();
    for (size_t i = 0; i < after.size(); ++i) QVERIFY(after[i]->value == loaded[i]->value);
}

// Item 5: a request beyond the machine's memory is refused up front with the figure (before: a bare
// std::bad_alloc); item 11: BCE needs a sigmoid output, whose logits it is computed from.
void TestEngine::refusesWhatCannotFitOrCannotWork()
{
    const Dataset d = synthetic();
    Architecture huge;
    QVERIFY(Architecture::parseSpec("64-100000-100000-[100000]-100000-100000-64", huge, nullptr));
    try {
        Trainer t(huge, TrainSettings{}, d, 1);
        QFAIL("a 1 TB model was accepted");
    } catch (const std::invalid_argument &e) {
        QVERIFY2(QString(e.what()).contains(QRegularExpression("needs about [0-9.]+ (GB|TB)")), e.what());
    }
    TrainSettings bce;
    bce.loss = LossKind::BCE;
    Architecture linear = smallArch();
    linear.output = ActivationKind::Linear;
    QVERIFY(QString::fromStdString(bce.validate(linear)).startsWith("BCE needs a sigmoid output"));
    QCOMPARE(bce.validate(smallArch()), std::string());
    Trainer t(smallArch(), TrainSettings{}, d, 1);
    TrainSettings tooBig = t.settings();
    tooBig.batchSize = 65536;
    QCOMPARE(t.setSettings(tooBig), std::string());  // a 64-wide model at batch 65536 fits
}

QTEST_APPLESS_MAIN(TestEngine)
#include "tst_engine.moc"

// aelab-cli bench --phases: the time of each phase of the steps since resetPhases(), each a part of the steps.
void TestEngine::phasesArePartsOfTheSteps_data()
{
    QTest::addColumn<int>("variant");
    QTest::newRow("undercomplete") << int(Variant::Undercomplete);
    QTest::newRow("denoising") << int(Variant::Denoising);
    QTest::newRow("contractive") << int(Variant::Contractive);
}

void TestEngine::phasesArePartsOfTheSteps()
{
    QFETCH(int, variant);
    const Dataset d = synthetic();
    TrainSettings s;
    s.variant = Variant(variant);
    Trainer t(smallArch(), s, d, 1);
    for (int i = 0; i < 3; ++i) QVERIFY(!t.step().diverged);
    QCOMPARE(t.phases().steps, 3LL);
    t.resetPhases();
    QCOMPARE(t.phases().steps, 0LL);
    QCOMPARE(t.phases().forward, 0.0);

    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 5; ++i) QVERIFY(!t.step().diverged);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const StepPhases &p = t.phases();
    QCOMPARE(p.steps, 5LL);
    for (double v : {p.batch, p.forward, p.loss, p.backward, p.optimizer}) QVERIFY(v > 0);
    for (double v : {p.corruption, p.terms}) QVERIFY(v >= 0);
    // Consecutive parts of the five steps: together no longer than the steps took.
    QVERIFY(p.batch + p.corruption + p.forward + p.loss + p.terms + p.backward + p.optimizer <= wall);
}
