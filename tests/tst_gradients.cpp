// Finite-difference gradient checks, in double precision, for every layer × activation, each
// reconstruction loss, each regularizer term alone (the reconstruction zeroed), the variational KL
// and reparameterised path, the contractive closed form and its stochastic estimate, the tied layer alone and tied models.
#include "core/losses/BCE.h"
#include "core/losses/Loss.h"
#include "core/losses/MSE.h"
#include "core/activations/Sigmoid.h"
#include "core/nn/Dense.h"
#include "core/nn/Model.h"
#include "core/nn/TiedDense.h"
#include "core/regularizers/Contractive.h"
#include "core/regularizers/SparseKL.h"
#include "core/regularizers/SparseL1.h"
#include "core/regularizers/VariationalKL.h"
#include "core/Rng.h"

#include <QtTest>

#include <functional>
#include <memory>

using namespace ael;
using MatD = Mat<double>;

namespace {

MatD randomMatrix(int r, int c, Rng &rng, double lo = -1, double hi = 1)
{
    MatD m(r, c);
    for (int j = 0; j < c; ++j)
        for (int i = 0; i < r; ++i) m(i, j) = lo + (hi - lo) * rng.uniform();
    return m;
}

/// Central difference of f at *x, h = 1e-6 (double): error O(h²) ≈ 1e-12 relative.
double numericDerivative(double *x, const std::function<double()> &f)
{
    const double h = 1e-6, keep = *x;
    *x = keep + h;
    const double up = f();
    *x = keep - h;
    const double down = f();
    *x = keep;
    return (up - down) / (2 * h);
}

/// Compares an analytic gradient with central differences at every entry of `value`, per tensor:
/// ‖numeric − analytic‖ / (‖numeric‖ + ‖analytic‖) < 1e-5. (Per entry, a 1.5e-6 entry's rounding
/// noise reached 2.8e-5 relative under ASan+UBSan; a wrong formula is off by far more either way.)
void checkEntries(MatD &value, const MatD &analytic, const std::function<double()> &f, const QString &what)
{
    QCOMPARE(analytic.rows(), value.rows());
    QCOMPARE(analytic.cols(), value.cols());
    MatD numeric(value.rows(), value.cols());
    for (Eigen::Index i = 0; i < value.size(); ++i) numeric.data()[i] = numericDerivative(value.data() + i, f);
    const double scale = numeric.norm() + analytic.norm();
    const double err = (numeric - analytic).norm() / std::max(1e-9, scale);
    if (err > 1e-5) {
        Eigen::Index r = 0, c = 0;
        (numeric - analytic).cwiseAbs().maxCoeff(&r, &c);
        const Eigen::Index worst = c * value.rows() + r;
        QFAIL(qPrintable(QString("%1: rel. error %2 of the whole tensor; worst at [%3]: analytic %4 vs numeric %5")
                             .arg(what).arg(err).arg(worst).arg(analytic.data()[worst], 0, 'g', 10)
                             .arg(numeric.data()[worst], 0, 'g', 10)));
    }
}

Architecture arch(const char *spec, ActivationKind hidden, ActivationKind code, ActivationKind out)
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    a.hidden = hidden;
    a.codeActivation = code;
    a.output = out;
    return a;
}

}  // namespace

Q_DECLARE_METATYPE(ActivationKind)
Q_DECLARE_METATYPE(LossKind)

class TestGradients : public QObject {
    Q_OBJECT
private slots:
    void denseLayer_data();
    void denseLayer();
    void tiedDenseLayer_data();
    void tiedDenseLayer();
    void activationDerivatives_data();
    void activationDerivatives();
    void reconstructionLoss_data();
    void reconstructionLoss();
    void regularizerAlone_data();
    void regularizerAlone();
    void variationalPath();
    void bceFromLogits_data();
    void bceFromLogits();
    void contractiveClosedFormIsJacobianNorm_data();
    void contractiveClosedFormIsJacobianNorm();
    void contractiveEstimateApproachesJacobian();
};

void TestGradients::denseLayer_data()
{
    QTest::addColumn<ActivationKind>("act");
    QTest::newRow("linear") << ActivationKind::Linear;
    QTest::newRow("sigmoid") << ActivationKind::Sigmoid;
    QTest::newRow("tanh") << ActivationKind::Tanh;
    QTest::newRow("relu") << ActivationKind::ReLU;
}

// L = Σ R ⊙ Y for a fixed random R, so ∂L/∂Y = R.
void TestGradients::denseLayer()
{
    QFETCH(ActivationKind, act);
    Rng rng(11);
    Dense<double> layer("l", 5, 4, act);
    layer.initialize(rng);
    layer.bias().value = randomMatrix(4, 1, rng, -0.5, 0.5);
    MatD X = randomMatrix(5, 3, rng);
    const MatD R = randomMatrix(4, 3, rng);
    LayerCache<double> c;
    auto objective = [&] {
        LayerCache<double> cc;
        layer.forward(X, cc);
        return (cc.out.array() * R.array()).sum();
    };
    layer.forward(X, c);
    layer.weight().grad.setZero();
    layer.bias().grad.setZero();
    MatD dX;
    layer.backward(c, R, &dX);
    checkEntries(layer.weight().value, MatD(layer.weight().grad), objective, "dW");
    checkEntries(layer.bias().value, MatD(layer.bias().grad), objective, "db");
    checkEntries(X, dX, objective, "dX");
}

void TestGradients::tiedDenseLayer_data()
{
    QTest::addColumn<ActivationKind>("act");
    QTest::addColumn<bool>("fromLogits");
    for (ActivationKind a : {ActivationKind::Linear, ActivationKind::Sigmoid, ActivationKind::Tanh, ActivationKind::ReLU})
        QTest::addRow("%s", toString(a)) << a << false;
    QTest::newRow("sigmoid, dZ given") << ActivationKind::Sigmoid << true;
}

// Y = f(Wᵀ X + b) with another layer's W (3 x 5 here: 5 outputs from 3 inputs). L = Σ R ⊙ Y, or
// L = Σ R ⊙ Z when dZ is handed over directly. The gradient ADDS into the owner's W slot.
void TestGradients::tiedDenseLayer()
{
    QFETCH(ActivationKind, act);
    QFETCH(bool, fromLogits);
    Rng rng(13);
    Dense<double> owner("enc", 5, 3, ActivationKind::Sigmoid);
    owner.initialize(rng);
    TiedDense<double> layer("dec", owner.weight(), act);
    QCOMPARE(layer.inputs(), 3);
    QCOMPARE(layer.outputs(), 5);
    QCOMPARE(int(layer.params().size()), 1);  // the bias: W belongs to `owner`
    layer.bias().value = randomMatrix(5, 1, rng, -0.5, 0.5);
    MatD X = randomMatrix(3, 4, rng);
    const MatD R = randomMatrix(5, 4, rng);
    auto objective = [&] {
        LayerCache<double> cc;
        layer.forward(X, cc);
        return ((fromLogits ? cc.z : cc.out).array() * R.array()).sum();
    };
    const MatD before = randomMatrix(3, 5, rng);  // what the owner's own backward already put there
    owner.weight().grad = before;
    layer.bias().grad.setZero();
    LayerCache<double> c;
    layer.forward(X, c);
    MatD dX;
    if (fromLogits) layer.backwardFromPreactivation(c, R, &dX);
    else layer.backward(c, R, &dX);
    checkEntries(owner.weight().value, MatD(owner.weight().grad - before), objective, "dW (shared)");
    checkEntries(layer.bias().value, MatD(layer.bias().grad), objective, "db");
    checkEntries(X, dX, objective, "dX");
}

void TestGradients::activationDerivatives_data() { denseLayer_data(); }

// f' and f'' (used by the contractive penalty) against differences of f and f'.
void TestGradients::activationDerivatives()
{
    QFETCH(ActivationKind, act);
    auto f = makeActivation<double>(act);
    Rng rng(3);
    MatD Z = randomMatrix(7, 2, rng, -3, 3);
    MatD A(7, 2), D(7, 2), D2(7, 2);
    f->apply(Z, A);
    f->derivative(Z, A, D);
    f->secondDerivative(Z, A, D2);
    for (Eigen::Index i = 0; i < Z.size(); ++i) {
        const double h = 1e-6;
        MatD Zp = Z, Zm = Z, Ap(7, 2), Am(7, 2), Dp(7, 2), Dm(7, 2);
        Zp.data()[i] += h;
        Zm.data()[i] -= h;
        f->apply(Zp, Ap);
        f->apply(Zm, Am);
        f->derivative(Zp, Ap, Dp);
        f->derivative(Zm, Am, Dm);
        QVERIFY(std::abs((Ap.data()[i] - Am.data()[i]) / (2 * h) - D.data()[i]) < 1e-7);
        QVERIFY(std::abs((Dp.data()[i] - Dm.data()[i]) / (2 * h) - D2.data()[i]) < 1e-6);
    }
}

void TestGradients::reconstructionLoss_data()
{
    QTest::addColumn<LossKind>("kind");
    QTest::newRow("mse") << LossKind::MSE;
    QTest::newRow("bce") << LossKind::BCE;
}

void TestGradients::reconstructionLoss()
{
    QFETCH(LossKind, kind);
    auto loss = makeLoss<double>(kind);
    Rng rng(5);
    const MatD X = randomMatrix(6, 4, rng, 0, 1);
    MatD Xhat = randomMatrix(6, 4, rng, 0.05, 0.95);
    MatD g;
    loss->gradient(Xhat, X, g);
    checkEntries(Xhat, g, [&] { return loss->value(Xhat, X); }, "dXhat");
    // The fused valueAndGradient (the trainer's path; MSE has its own single pass) equals value() and
    // gradient() — in double here and in float on a batch large enough for the vectorised loop.
    MatD gf;
    const double vf = loss->valueAndGradient(Xhat, X, gf);
    QVERIFY(std::abs(vf - loss->value(Xhat, X)) <= 1e-12 * std::max(1.0, std::abs(vf)));
    QVERIFY((gf - g).cwiseAbs().maxCoeff() <= 1e-15);
    {
        auto lossF = makeLoss<float>(kind);
        Rng r2(9);
        const Matrix Xf = randomMatrix(784, 37, r2, 0, 1).cast<float>();
        const Matrix Xhf = randomMatrix(784, 37, r2, 0.02, 0.98).cast<float>();
        Matrix gSep, gFused;
        lossF->gradient(Xhf, Xf, gSep);
        const double fused = lossF->valueAndGradient(Xhf, Xf, gFused);
        const double separate = lossF->value(Xhf, Xf);
        QVERIFY2(std::abs(fused - separate) <= 1e-5 * separate, qPrintable(QString("%1 vs %2").arg(fused).arg(separate)));
        QVERIFY(gFused.rows() == gSep.rows() && gFused.cols() == gSep.cols());
        QVERIFY((gFused - gSep).cwiseAbs().maxCoeff() <= 1e-6f * gSep.cwiseAbs().maxCoeff());
        if (kind == LossKind::MSE) {
            // The trainer's path for a sigmoid output: ∂L/∂z in the loss's pass, bit for bit what the
            // sigmoid's backprop makes of ∂L/∂x̂, and the same loss value.
            Matrix dZ, dZref(Xhf.rows(), Xhf.cols());
            const double v = MSE<float>().valueAndSigmoidLogitGradient(Xhf, Xf, dZ);
            Sigmoid<float>().backprop(Xhf, Xhf, gFused, dZref);  // z is not read by the sigmoid's backprop
            QVERIFY(dZ == dZref);
            QCOMPARE(v, fused);
        }
    }
    // A hand-computed case: x = (1, 0), x̂ = (0.5, 0.5)
    MatD x(2, 1), xh(2, 1);
    x << 1, 0;
    xh << 0.5, 0.5;
    const double expected = kind == LossKind::MSE ? 0.25 : std::log(2.0);  // (0.25+0.25)/2 ; −log ½
    QVERIFY(std::abs(loss->value(xh, x) - expected) < 1e-12);
}

// Each term alone (reconstruction weight zero) and together with the reconstruction, through a whole
// model, against central differences of the objective in every parameter.
void TestGradients::regularizerAlone_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<ActivationKind>("hidden");
    QTest::addColumn<ActivationKind>("code");
    QTest::addColumn<ActivationKind>("out");
    QTest::addColumn<LossKind>("loss");
    QTest::addColumn<QString>("term");  // none | l1 | kl | contractive | contractive_est
    QTest::addColumn<bool>("tied");
    QTest::addColumn<double>("reconWeight");
    using A = ActivationKind;
    for (A h : {A::Sigmoid, A::Tanh, A::ReLU, A::Linear})
        for (LossKind l : {LossKind::MSE, LossKind::BCE})
            QTest::addRow("plain deep %s %s", toString(h), toString(l))
                << "6-5-[3]-4-6" << h << h << A::Sigmoid << l << "none" << false << 1.0;
    QTest::newRow("linear output mse") << "6-[4]-6" << A::Tanh << A::Tanh << A::Linear << LossKind::MSE << "none" << false << 1.0;
    QTest::newRow("tied sigmoid") << "6-[3]-6" << A::Sigmoid << A::Sigmoid << A::Sigmoid << LossKind::MSE << "none" << true << 1.0;
    QTest::newRow("tied linear") << "6-[3]-6" << A::Linear << A::Linear << A::Linear << LossKind::MSE << "none" << true << 1.0;
    for (double w : {0.0, 1.0}) {
        const char *tag = w == 0 ? "alone" : "with recon";
        QTest::addRow("l1 %s", tag) << "6-5-[3]-5-6" << A::Tanh << A::Tanh << A::Sigmoid << LossKind::MSE << "l1" << false << w;
        QTest::addRow("kl %s", tag) << "6-5-[3]-5-6" << A::Sigmoid << A::Sigmoid << A::Sigmoid << LossKind::MSE << "kl" << false << w;
        for (A c : {A::Sigmoid, A::Tanh, A::ReLU, A::Linear})
            QTest::addRow("contractive %s %s", toString(c), tag)
                << "6-[4]-6" << c << c << A::Sigmoid << LossKind::MSE << "contractive" << false << w;
        QTest::addRow("tied contractive sigmoid %s", tag)
            << "6-[4]-6" << A::Sigmoid << A::Sigmoid << A::Sigmoid << LossKind::MSE << "contractive" << true << w;
        QTest::addRow("tied contractive linear %s", tag)
            << "6-[4]-6" << A::Linear << A::Linear << A::Linear << LossKind::MSE << "contractive" << true << w;
        QTest::addRow("tied contractive tanh bce %s", tag)
            << "6-[4]-6" << A::Tanh << A::Tanh << A::Sigmoid << LossKind::BCE << "contractive" << true << w;
        QTest::addRow("tied contractive relu %s", tag)
            << "6-[4]-6" << A::ReLU << A::ReLU << A::Sigmoid << LossKind::MSE << "contractive" << true << w;
        QTest::addRow("tied contractive_est sigmoid %s", tag)
            << "6-[4]-6" << A::Sigmoid << A::Sigmoid << A::Sigmoid << LossKind::MSE << "contractive_est" << true << w;
        QTest::addRow("contractive_est deep %s", tag)
            << "6-5-[3]-5-6" << A::Tanh << A::Tanh << A::Sigmoid << LossKind::MSE << "contractive_est" << false << w;
    }
}

void TestGradients::regularizerAlone()
{
    QFETCH(QString, spec);
    QFETCH(ActivationKind, hidden);
    QFETCH(ActivationKind, code);
    QFETCH(ActivationKind, out);
    QFETCH(LossKind, loss);
    QFETCH(QString, term);
    QFETCH(bool, tied);
    QFETCH(double, reconWeight);

    Architecture a = arch(spec.toLatin1().constData(), hidden, code, out);
    a.tied = tied;
    Model<double> m(a);
    Rng rng(17);
    m.initialize(rng);
    for (Param<double> *p : m.params())  // non-zero biases so every path matters
        if (p->value.cols() == 1) p->value = randomMatrix(int(p->value.rows()), 1, rng, -0.3, 0.3);
    const MatD X = randomMatrix(6, 5, rng, 0.02, 0.98);
    auto L = makeLoss<double>(loss);

    std::unique_ptr<Regularizer<double>> reg;
    if (term == "l1") reg = std::make_unique<SparseL1<double>>(0.3);
    else if (term == "kl") reg = std::make_unique<SparseKL<double>>(0.4, 0.1);
    else if (term == "contractive") reg = std::make_unique<ContractiveExact<double>>(0.2);
    else if (term == "contractive_est") reg = std::make_unique<ContractiveEstimate<double>>(0.2, 0.1, 99);
    auto *est = dynamic_cast<ContractiveEstimate<double> *>(reg.get());

    auto objective = [&] {
        ForwardPass<double> p;
        m.forward(X, p);
        double v = reconWeight * L->value(p.output(), X);
        if (reg) {
            if (est) est->rng().reseed(99);  // the same ε for every evaluation
            v += reg->evaluate(m, p);
        }
        return v;
    };
    m.zeroGrad();
    ForwardPass<double> p;
    m.forward(X, p);
    MatD dXhat;
    L->gradient(p.output(), X, dXhat);
    dXhat *= reconWeight;
    if (reg) {
        if (est) est->rng().reseed(99);
        reg->evaluate(m, p);
        reg->gradient(m, p);
    }
    m.backward(p, dXhat);
    QVERIFY(std::abs(objective()) > 0);
    for (Param<double> *prm : m.params()) {
        const MatD g = prm->grad;
        checkEntries(prm->value, g, objective, QString::fromStdString(prm->name));
    }

    // The trainer's way: gradients marked stale instead of zeroed, each overwritten by its first writer (the
    // term or a layer; the tied W by two layers), the unwritten ones zeroed at the end. Filled with NaN first:
    // a stale value read anywhere would show. The same gradients, bit for bit.
    std::vector<MatD> zeroed;
    for (Param<double> *prm : m.params()) zeroed.push_back(prm->grad);
    for (Param<double> *prm : m.params()) prm->grad.setConstant(std::nan(""));
    m.markGradsStale();
    ForwardPass<double> p2;
    m.forward(X, p2);
    if (reg) {
        if (est) est->rng().reseed(99);
        reg->evaluate(m, p2);
        reg->gradient(m, p2);
    }
    m.backward(p2, dXhat);
    m.zeroStaleGrads();
    for (size_t i = 0; i < zeroed.size(); ++i)
        QVERIFY2(m.params()[i]->grad == zeroed[i], qPrintable(QString::fromStdString(m.params()[i]->name)));
}

// Variational: h = μ + σ ⊙ ε with a fixed ε, plus β KL(q(h|x) ‖ N(0, I)) / d, through every parameter.
void TestGradients::variationalPath()
{
    for (double recon : {0.0, 1.0}) {
        Architecture a = arch("6-5-[2]-5-6", ActivationKind::Tanh, ActivationKind::Linear, ActivationKind::Sigmoid);
        a.variational = true;
        Model<double> m(a);
        Rng rng(23);
        m.initialize(rng);
        const MatD X = randomMatrix(6, 4, rng, 0.02, 0.98);
        auto L = makeLoss<double>(LossKind::BCE);
        VariationalKL<double> kl(2.5);
        auto objective = [&] {
            ForwardPass<double> p;
            Rng eps(5);
            m.forward(X, p, &eps);
            return recon * L->value(p.output(), X) + kl.evaluate(m, p);
        };
        m.zeroGrad();
        ForwardPass<double> p;
        Rng eps(5);
        m.forward(X, p, &eps);
        QVERIFY(p.eps.cwiseAbs().sum() > 0);  // really sampled
        MatD dXhat;
        L->gradient(p.output(), X, dXhat);
        dXhat *= recon;
        kl.evaluate(m, p);
        kl.gradient(m, p);
        m.backward(p, dXhat);
        for (Param<double> *prm : m.params()) {
            const MatD g = prm->grad;
            checkEntries(prm->value, g, objective, QString::fromStdString(prm->name));
        }
        // KL of a hand-computed case: μ = 1, log σ² = 0 → ½ μ² = 0.5 nats
        ForwardPass<double> q;
        q.mu = MatD::Constant(1, 1, 1.0);
        q.logvar = MatD::Zero(1, 1);
        QVERIFY(std::abs(VariationalKL<double>::klPerSample(q) - 0.5) < 1e-12);
    }
}

void TestGradients::bceFromLogits_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("tied");
    QTest::newRow("deep") << "6-5-[3]-4-6" << false;
    QTest::newRow("tied") << "6-[3]-6" << true;
}

// BCE of a sigmoid output computed from the logits (the trainer's path): the same value as from the
// probabilities, and ∂L/∂z handed to backward() directly gives every parameter's exact gradient.
void TestGradients::bceFromLogits()
{
    QFETCH(QString, spec);
    QFETCH(bool, tied);
    Architecture a = arch(spec.toLatin1().constData(), ActivationKind::Tanh, ActivationKind::Tanh, ActivationKind::Sigmoid);
    a.tied = tied;
    Model<double> m(a);
    Rng rng(29);
    m.initialize(rng);
    for (Param<double> *p : m.params())
        if (p->value.cols() == 1) p->value = randomMatrix(int(p->value.rows()), 1, rng, -0.3, 0.3);
    const MatD X = randomMatrix(6, 5, rng, 0.0, 1.0);
    BCE<double> bce;
    auto objective = [&] {
        ForwardPass<double> p;
        m.forward(X, p);
        MatD unused;
        return bce.valueAndLogitGradient(p.dec.back().z, X, unused);
    };
    m.zeroGrad();
    ForwardPass<double> p;
    m.forward(X, p);
    MatD dZ;
    const double v = bce.valueAndLogitGradient(p.dec.back().z, X, dZ);
    QVERIFY(std::abs(v - bce.value(p.output(), X)) < 1e-12);
    m.backward(p, dZ, true);
    for (Param<double> *prm : m.params()) {
        const MatD g = prm->grad;
        checkEntries(prm->value, g, objective, QString::fromStdString(prm->name));
    }
    // Saturated and wrong: z = 40 for a black pixel. The loss is 40 nats and ∂L/∂z = 1 (per element);
    // through the clamped probability both are lost (σ(40) = 1 in floating point, σ' = 0).
    MatD z(1, 1), x = MatD::Zero(1, 1);
    z << 40;
    QVERIFY(std::abs(bce.valueAndLogitGradient(z, x, dZ) - 40) < 1e-9);
    QVERIFY(std::abs(dZ(0, 0) - 1) < 1e-12);
}

void TestGradients::contractiveClosedFormIsJacobianNorm_data() { denseLayer_data(); }

// The closed form Σ_j f'(z_j)² ‖W_j‖² equals ‖J‖²_F of an explicitly computed (numerical) Jacobian.
void TestGradients::contractiveClosedFormIsJacobianNorm()
{
    QFETCH(ActivationKind, act);
    Architecture a = arch("7-[4]-7", act, act, ActivationKind::Sigmoid);
    Model<double> m(a);
    Rng rng(31);
    m.initialize(rng);
    m.encoder(0).bias().value = randomMatrix(4, 1, rng, -0.5, 0.5);
    const MatD X = randomMatrix(7, 3, rng, 0, 1);
    ContractiveExact<double> cae(1.0);
    ForwardPass<double> p;
    m.forward(X, p);
    const double closed = cae.evaluate(m, p);
    double explicitNorm = 0;
    for (int b = 0; b < 3; ++b) {
        MatD x = X.col(b);
        for (int i = 0; i < 7; ++i) {  // column i of J by central differences
            MatD xp = x, xm = x, hp, hm;
            xp(i) += 1e-6;
            xm(i) -= 1e-6;
            m.encode(xp, hp);
            m.encode(xm, hm);
            explicitNorm += ((hp - hm) / 2e-6).squaredNorm();
        }
    }
    explicitNorm /= 3;
    QVERIFY2(std::abs(closed - explicitNorm) < 1e-6 * std::max(1.0, explicitNorm),
             qPrintable(QString("closed %1 vs explicit %2").arg(closed).arg(explicitNorm)));
    QVERIFY(std::abs(jacobianFrobeniusSq(m, X) - explicitNorm) < 1e-6 * std::max(1.0, explicitNorm));
}

// E‖f(x+ε) − f(x)‖²/σ² → ‖J‖²_F for small σ (averaged over many draws), for a deep encoder.
void TestGradients::contractiveEstimateApproachesJacobian()
{
    Architecture a = arch("8-6-[3]-6-8", ActivationKind::Tanh, ActivationKind::Tanh, ActivationKind::Sigmoid);
    Model<double> m(a);
    Rng rng(41);
    m.initialize(rng);
    const MatD X = randomMatrix(8, 200, rng, 0, 1);
    const double exact = jacobianFrobeniusSq(m, X);
    ContractiveEstimate<double> est(1.0, 1e-3, 1);
    ForwardPass<double> p;
    m.forward(X, p);
    double mean = 0;
    for (int r = 0; r < 20; ++r) mean += est.evaluate(m, p) / 20;
    QVERIFY2(std::abs(mean - exact) < 0.05 * exact, qPrintable(QString("estimate %1 vs exact %2").arg(mean).arg(exact)));
}

QTEST_APPLESS_MAIN(TestGradients)
#include "tst_gradients.moc"
