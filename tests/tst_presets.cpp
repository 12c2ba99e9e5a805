// Each variant's default model and settings (core/train/VariantPresets.h) must show its point: the
// denoising default reconstructs x̃ better than x̃ itself is, the sparse default keeps its code mostly
// off, the contractive default has a smaller Jacobian than the same model without the term, and so on.
#include "core/data/Embedded.h"
#include "core/data/Split.h"
#include "core/train/Corruption.h"
#include "core/train/Trainer.h"
#include "core/train/VariantPresets.h"

#include <QtTest>

using namespace ael;

namespace {

constexpr int kSteps = 300;

std::unique_ptr<Trainer> trained(const VariantPreset &p, const Dataset &train, int steps = kSteps)
{
    auto t = std::make_unique<Trainer>(p.arch, p.settings, train, 7);
    for (int i = 0; i < steps; ++i) {
        const StepResult r = t->step();
        if (r.diverged) qFatal("diverged: %s", r.message.c_str());
    }
    return t;
}

}  // namespace

class TestPresets : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { split_ = stratifiedSplit(embeddedMnist()); }

    void everyPresetIsValid_data()
    {
        QTest::addColumn<int>("variant");
        QTest::addColumn<int>("d");
        for (int v = 0; v <= int(Variant::Variational); ++v)
            for (int d : {784, 100, 4096}) QTest::addRow("%s d=%d", toString(Variant(v)), d) << v << d;
    }
    void everyPresetIsValid()
    {
        QFETCH(int, variant);
        QFETCH(int, d);
        const VariantPreset p = variantPreset(Variant(variant), d);
        QCOMPARE(p.arch.input, d);
        QCOMPARE(p.settings.variant, Variant(variant));
        QVERIFY2(p.arch.validate().empty(), p.arch.validate().c_str());
        QVERIFY2(p.settings.validate(p.arch).empty(), p.settings.validate(p.arch).c_str());
        QVERIFY(!p.summary.empty());
        // The names keep their promise: overcomplete means k > d, undercomplete k < d.
        if (Variant(variant) == Variant::Overcomplete || Variant(variant) == Variant::Sparse) QVERIFY(p.arch.code > d);
        if (Variant(variant) == Variant::Undercomplete) QVERIFY(p.arch.code < d);
    }

    void applyKeepsTheUsersOptimizer()
    {
        TrainSettings s;
        s.opt.learningRate = 3e-4;
        s.batchSize = 32;  // not the default (64)
        s.optimizer = OptimizerKind::SGD;
        applyVariantFields(variantPreset(Variant::Sparse).settings, s);
        QCOMPARE(s.variant, Variant::Sparse);
        QCOMPARE(s.sparsity, SparsityKind::KL);
        QCOMPARE(s.opt.learningRate, 3e-4);
        QCOMPARE(s.batchSize, 32);
        QCOMPARE(s.optimizer, OptimizerKind::SGD);
    }

    // The denoising default reconstructs the corrupted test digits closer to the clean ones than the
    // corrupted digits themselves are (the 2-D model of the old default did not).
    void denoisingBeatsItsCorruption()
    {
        const VariantPreset p = variantPreset(Variant::Denoising);
        const auto t = trained(p, split_.train);
        Matrix X, Xt, H, R;
        split_.test.range(0, 1000, X);
        Rng rng(99);
        corrupt(X, Xt, p.settings.corruption, rng);
        t->model().encode(Xt, H);
        t->model().decode(H, R);
        const double corrupted = (Xt - X).squaredNorm() / double(X.size());
        const double denoised = (R - X).squaredNorm() / double(X.size());
        qInfo("denoising default after %d steps: MSE(x̃, x) = %.4f, MSE(g(f(x̃)), x) = %.4f", kSteps, corrupted,
              denoised);
        QVERIFY(denoised < 0.8 * corrupted);
    }

    // The sparse default's code is mostly off: its mean activation is near ρ, far below what the same
    // model without the penalty settles at.
    void sparseShowsItsPenalty()
    {
        const VariantPreset p = variantPreset(Variant::Sparse);
        VariantPreset plain = p;
        plain.settings.variant = Variant::Overcomplete;
        const Metrics with = trained(p, split_.train)->evaluate(split_.test, 1000);
        const Metrics without = trained(plain, split_.train)->evaluate(split_.test, 1000);
        qInfo("sparse default: mean code %.3f (active %.1f %%) vs %.3f (%.1f %%) without Ω; test MSE %.4f vs %.4f",
              with.meanCode, 100 * with.activeFraction, without.meanCode, 100 * without.activeFraction, with.mse,
              without.mse);
        QVERIFY(with.meanCode < 0.5 * without.meanCode);
        QVERIFY(with.activeFraction < without.activeFraction);
        QVERIFY(std::abs(with.meanCode - p.settings.sparsityTarget) < 0.1);
    }

    void contractiveShowsItsPenalty()
    {
        const VariantPreset p = variantPreset(Variant::Contractive);
        VariantPreset plain = p;
        plain.settings.variant = Variant::Undercomplete;
        const Metrics with = trained(p, split_.train)->evaluate(split_.test, 500);
        const Metrics without = trained(plain, split_.train)->evaluate(split_.test, 500);
        qInfo("contractive default: ‖J‖²_F %.3f vs %.3f without the term; test MSE %.4f vs %.4f", with.jacobianFro,
              without.jacobianFro, with.mse, without.mse);
        QVERIFY(with.jacobianFro < 0.7 * without.jacobianFro);
    }

    void overcompleteCopiesAndVariationalLearns()
    {
        const Metrics over = trained(variantPreset(Variant::Overcomplete), split_.train)->evaluate(split_.test, 1000);
        const auto vae = trained(variantPreset(Variant::Variational), split_.train);
        const Metrics v = vae->evaluate(split_.test, 1000);
        qInfo("overcomplete default test MSE %.4f; variational default test MSE %.4f, KL %.2f nats", over.mse, v.mse, v.kl);
        QVERIFY(over.mse < 0.02);
        QVERIFY(v.mse < 0.07);
        QVERIFY(v.kl > 0 && std::isfinite(v.kl));
    }

private:
    Split split_;
};

QTEST_GUILESS_MAIN(TestPresets)
#include "tst_presets.moc"
