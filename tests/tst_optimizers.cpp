// The optimizers of core/optimizers/ against their textbook formulas, computed here in double for a few
// steps (Adam with PyTorch's bias corrections, SGD with heavy-ball momentum), and what the trainer relies
// on: one state slot per parameter, the same bits however the pool splits a large parameter, a saved
// slot that continues exactly, and the finiteness of the new weights told by the update's own pass.
#include "core/optimizers/Adam.h"
#include "core/optimizers/Optimizer.h"
#include "core/optimizers/SGD.h"
#include "core/parallel/ThreadPool.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

using namespace ael;

namespace {

Param<float> param(int slot, int rows, int cols, float scale)
{
    Param<float> p;
    p.name = "p" + std::to_string(slot);
    p.slot = slot;
    p.value.resize(rows, cols);
    p.grad.resize(rows, cols);
    for (Eigen::Index i = 0; i < p.value.size(); ++i) p.value.data()[i] = scale * float(std::sin(0.7 * double(i) + slot));
    return p;
}

/// The gradient of step t (1, 2, …): different signs and sizes each step.
void setGradient(Param<float> &p, int t)
{
    for (Eigen::Index i = 0; i < p.grad.size(); ++i) p.grad.data()[i] = float(0.01 * std::cos(1.3 * double(i) * t + t) * (1 + i % 5));
}

bool sameBits(const Matrix &a, const Matrix &b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(float)) == 0;
}

/// The largest |got − want| (infinite if an element is not finite). The weights are near 0.5, where a
/// float's ulp is 6e-8: a tolerance of 1e-6 allows the rounding of a few steps, and catches any error in
/// a formula larger than 0.05 % of an Adam step (η = 2e-3).
double largestError(const Matrix &got, const Eigen::ArrayXd &want)
{
    const Eigen::ArrayXd diff = (got.reshaped().cast<double>().array() - want).abs();
    return diff.allFinite() ? diff.maxCoeff() : std::numeric_limits<double>::infinity();
}

}  // namespace

class TestOptimizers : public QObject {
    Q_OBJECT
private slots:
    void adamFollowsItsFormula_data();
    void adamFollowsItsFormula();
    void sgdFollowsItsFormula_data();
    void sgdFollowsItsFormula();
    void slotsAreIndependent();
    void sameBitsOnOneOrTwoThreads_data();
    void sameBitsOnOneOrTwoThreads();
    void savedSlotContinuesExactly_data();
    void savedSlotContinuesExactly();
    void tellsNonFiniteWeights_data();
    void tellsNonFiniteWeights();
};

void TestOptimizers::adamFollowsItsFormula_data()
{
    QTest::addColumn<double>("lr");
    QTest::addColumn<double>("beta1");
    QTest::addColumn<double>("beta2");
    QTest::newRow("defaults 2e-3, 0.9, 0.999") << 2e-3 << 0.9 << 0.999;
    QTest::newRow("lr 0.1, 0.5, 0.9") << 0.1 << 0.5 << 0.9;
}

// m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g², θ ← θ − η m̂ / (√v̂ + ε), m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ): five
// steps in double beside the engine's (which folds the corrections into η and ε).
void TestOptimizers::adamFollowsItsFormula()
{
    QFETCH(double, lr);
    QFETCH(double, beta1);
    QFETCH(double, beta2);
    OptimizerSettings s;
    s.learningRate = lr, s.beta1 = beta1, s.beta2 = beta2;
    Param<float> p = param(0, 7, 5, 0.5f);
    Eigen::ArrayXd theta = p.value.reshaped().cast<double>().array(), m = Eigen::ArrayXd::Zero(theta.size()), v = m;
    Adam adam;
    for (int t = 1; t <= 5; ++t) {
        setGradient(p, t);
        QVERIFY(adam.update(p, s));
        const Eigen::ArrayXd g = p.grad.reshaped().cast<double>().array();
        m = beta1 * m + (1 - beta1) * g;
        v = beta2 * v + (1 - beta2) * g.square();
        const Eigen::ArrayXd mHat = m / (1 - std::pow(beta1, t)), vHat = v / (1 - std::pow(beta2, t));
        theta -= lr * mHat / (vHat.sqrt() + s.epsilon);
        const double err = largestError(p.value, theta);
        QVERIFY2(err < 1e-6, qPrintable(QString("step %1: error %2").arg(t).arg(err)));
    }
    QCOMPARE(adam.exportSlot(0).t, 5LL);
}

void TestOptimizers::sgdFollowsItsFormula_data()
{
    QTest::addColumn<double>("momentum");
    QTest::newRow("plain (μ = 0)") << 0.0;
    QTest::newRow("momentum 0.9") << 0.9;
}

// v ← μ v − η g, θ ← θ + v.
void TestOptimizers::sgdFollowsItsFormula()
{
    QFETCH(double, momentum);
    OptimizerSettings s;
    s.learningRate = 0.05, s.momentum = momentum;
    Param<float> p = param(0, 6, 3, 0.5f);
    Eigen::ArrayXd theta = p.value.reshaped().cast<double>().array(), vel = Eigen::ArrayXd::Zero(theta.size());
    SGD sgd;
    for (int t = 1; t <= 5; ++t) {
        setGradient(p, t);
        QVERIFY(sgd.update(p, s));
        vel = momentum * vel - s.learningRate * p.grad.reshaped().cast<double>().array();
        theta += vel;
        const double err = largestError(p.value, theta);
        QVERIFY2(err < 1e-6, qPrintable(QString("step %1: error %2").arg(t).arg(err)));
    }
}

// Each parameter has its own slot: its moments and its step count t. Updating one leaves the other's
// state alone, and a parameter updated for the first time starts at t = 1 whatever the others did.
void TestOptimizers::slotsAreIndependent()
{
    OptimizerSettings s;
    Param<float> a = param(0, 4, 4, 0.5f), b = param(1, 3, 2, 0.5f);
    Adam adam;
    for (int t = 1; t <= 3; ++t) {
        setGradient(a, t);
        QVERIFY(adam.update(a, s));
    }
    QCOMPARE(adam.exportSlot(1).t, 0LL);
    QVERIFY(adam.exportSlot(1).moments.empty());
    const SlotState before = adam.exportSlot(0);
    setGradient(b, 1);
    const Matrix b0 = b.value;
    QVERIFY(adam.update(b, s));
    QCOMPARE(adam.exportSlot(1).t, 1LL);
    QCOMPARE(adam.exportSlot(0).t, 3LL);
    QVERIFY(sameBits(adam.exportSlot(0).moments[0].second, before.moments[0].second));
    // A first Adam step moves every weight by about η (m̂/√v̂ = ±1).
    const Matrix step = (b.value - b0).cwiseAbs();
    QVERIFY2(step.minCoeff() > 0.99 * s.learningRate && step.maxCoeff() < 1.01 * s.learningRate,
             qPrintable(QString("%1 … %2").arg(step.minCoeff()).arg(step.maxCoeff())));
    adam.resetSlot(0);
    QVERIFY(adam.exportSlot(0).moments.empty());
    QCOMPARE(adam.exportSlot(1).t, 1LL);
}

void TestOptimizers::sameBitsOnOneOrTwoThreads_data()
{
    QTest::addColumn<int>("optimizer");
    QTest::newRow("adam") << int(OptimizerKind::Adam);
    QTest::newRow("sgd") << int(OptimizerKind::SGD);
}

// A parameter of 784 × 512 (above the ~64k elements from which the pool splits an update) gives the same
// weights, bit for bit, updated on one thread or on two: each element's arithmetic is its own.
void TestOptimizers::sameBitsOnOneOrTwoThreads()
{
    QFETCH(int, optimizer);
    ThreadPool &pool = ThreadPool::instance();
    const int threads = pool.threads();
    Matrix result[2];
    for (int n : {1, 2}) {
        pool.setThreads(n);
        Param<float> p = param(0, 784, 512, 0.1f);
        const std::unique_ptr<Optimizer> opt = makeOptimizer(OptimizerKind(optimizer));
        for (int t = 1; t <= 3; ++t) {
            setGradient(p, t);
            QVERIFY(opt->update(p, OptimizerSettings{}));
        }
        result[n - 1] = p.value;
    }
    pool.setThreads(threads);
    QVERIFY(sameBits(result[0], result[1]));
}

void TestOptimizers::savedSlotContinuesExactly_data() { sameBitsOnOneOrTwoThreads_data(); }

// A slot exported after two steps and imported into a fresh optimizer (a saved session) continues with
// the same bits as the optimizer that kept it.
void TestOptimizers::savedSlotContinuesExactly()
{
    QFETCH(int, optimizer);
    const OptimizerSettings s;
    Param<float> p = param(0, 9, 4, 0.5f);
    const std::unique_ptr<Optimizer> kept = makeOptimizer(OptimizerKind(optimizer));
    for (int t = 1; t <= 2; ++t) {
        setGradient(p, t);
        QVERIFY(kept->update(p, s));
    }
    Param<float> q = p;
    const std::unique_ptr<Optimizer> loaded = makeOptimizer(OptimizerKind(optimizer));
    QCOMPARE(QString::fromStdString(loaded->importSlot(0, kept->exportSlot(0), p.value.rows(), p.value.cols())), QString());
    for (int t = 3; t <= 4; ++t) {
        setGradient(p, t);
        setGradient(q, t);
        QVERIFY(kept->update(p, s));
        QVERIFY(loaded->update(q, s));
    }
    QVERIFY(sameBits(p.value, q.value));
    // A slot of another shape is refused, and nothing changes.
    const SlotState now = loaded->exportSlot(0);
    QVERIFY(!loaded->importSlot(0, now, 4, 9).empty());
    QVERIFY(sameBits(loaded->exportSlot(0).moments[0].second, now.moments[0].second));
}

void TestOptimizers::tellsNonFiniteWeights_data()
{
    QTest::addColumn<int>("optimizer");
    QTest::addColumn<float>("weight");
    QTest::addColumn<float>("gradient");
    QTest::addColumn<bool>("finite");
    const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    for (OptimizerKind k : {OptimizerKind::Adam, OptimizerKind::SGD}) {
        const QByteArray name = toString(k);
        // 4096 weights of 3e37 sum to more than a float holds, yet each is finite: no divergence.
        QTest::newRow(name + ", large finite weights") << int(k) << 3e37f << 0.0f << true;
        QTest::newRow(name + ", an infinite gradient") << int(k) << 0.5f << inf << false;
        QTest::newRow(name + ", a NaN gradient") << int(k) << 0.5f << nan << false;
        QTest::newRow(name + ", an infinite weight") << int(k) << inf << 0.0f << false;
    }
}

// Optimizer::update tells whether the new weights are all finite, from its own pass (the trainer's
// divergence check relies on it; tst_engine nonFiniteUpdateDivergesAtOnce).
void TestOptimizers::tellsNonFiniteWeights()
{
    QFETCH(int, optimizer);
    QFETCH(float, weight);
    QFETCH(float, gradient);
    QFETCH(bool, finite);
    Param<float> p;
    p.slot = 0;
    p.value = Matrix::Constant(64, 64, 3e37f);
    p.grad = Matrix::Zero(64, 64);
    p.value(17, 33) = weight;
    p.grad(17, 33) = gradient;
    const std::unique_ptr<Optimizer> opt = makeOptimizer(OptimizerKind(optimizer));
    QCOMPARE(opt->update(p, OptimizerSettings{}), finite);
}

QTEST_GUILESS_MAIN(TestOptimizers)
#include "tst_optimizers.moc"
