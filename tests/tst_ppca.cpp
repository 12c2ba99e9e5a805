// Probabilistic PCA (core/pca/ProbabilisticPca): σ² is the mean of the discarded eigenvalues, W is
// U_k (Λ_k − σ² I)^{1/2}, and samples x = W h + μ + σ ε have covariance W Wᵀ + σ² I.
// A hand-computed 3-D case, a statistical check with a fixed seed, and the edge cases.
#include "core/Rng.h"
#include "core/pca/Pca.h"
#include "core/pca/ProbabilisticPca.h"

#include <QtTest>

#include <Eigen/Eigenvalues>

#include <cmath>
#include <stdexcept>

using ael::Matrix;
using ael::Pca;
using ael::ProbabilisticPca;

namespace {

// Six points ±a e1, ±b e2, ±c e3 with a² = 10, b² = 2.5, c² = 0.625: mean 0 and sample covariance
// diag(2a², 2b², 2c²) / (6 − 1) = diag(4, 1, 0.25).
Matrix axisPoints()
{
    const float a = std::sqrt(10.0f), b = std::sqrt(2.5f), c = std::sqrt(0.625f);
    Matrix X = Matrix::Zero(3, 6);
    X(0, 0) = a, X(0, 1) = -a, X(1, 2) = b, X(1, 3) = -b, X(2, 4) = c, X(2, 5) = -c;
    return X;
}

// Correlated 5-D data: x = A z + m, z ~ N(0, I), n samples (fixed seed).
Matrix correlatedData(int n, uint64_t seed)
{
    Eigen::MatrixXd A(5, 5);
    A << 2.0, 0.3, 0.0, 0.1, 0.0,  //
        0.5, 1.5, 0.2, 0.0, 0.0,   //
        0.0, 0.4, 0.8, 0.0, 0.1,   //
        0.1, 0.0, 0.3, 0.5, 0.0,   //
        0.0, 0.2, 0.0, 0.1, 0.3;
    Eigen::VectorXd m(5);
    m << 0.5, -1.0, 0.25, 2.0, 0.0;
    ael::Rng rng(seed);
    Eigen::MatrixXd Z(5, n);
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < 5; ++i) Z(i, j) = rng.normal();
    Eigen::MatrixXd X = A * Z;
    X.colwise() += m;
    return X.cast<float>();
}

Eigen::MatrixXd sampleCovariance(const Matrix &Xf)
{
    const Eigen::MatrixXd X = Xf.cast<double>();
    const Eigen::VectorXd mu = X.rowwise().mean();
    const Eigen::MatrixXd Xc = X.colwise() - mu;
    return Xc * Xc.transpose() / double(X.cols() - 1);
}

}  // namespace

class TestPpca : public QObject {
    Q_OBJECT
private slots:
    void handComputed_data();
    void handComputed();
    void sigmaIsMeanDiscardedEigenvalue();
    void samplesHaveModelCovariance();
    void edgeCases();
};

void TestPpca::handComputed_data()
{
    QTest::addColumn<int>("k");
    QTest::addColumn<double>("sigma2");
    QTest::addColumn<double>("w1");  // ‖column 1‖ = √(λ1 − σ²)
    QTest::addColumn<double>("w2");  // ‖column 2‖ (k = 2 only)
    // k = 1: σ² = (1 + 0.25) / 2 = 0.625, ‖w1‖ = √(4 − 0.625) = √3.375
    QTest::newRow("k=1") << 1 << 0.625 << std::sqrt(3.375) << 0.0;
    // k = 2: σ² = 0.25, ‖w1‖ = √3.75, ‖w2‖ = √0.75
    QTest::newRow("k=2") << 2 << 0.25 << std::sqrt(3.75) << std::sqrt(0.75);
    // k = 3 = d: nothing discarded, σ² = 0, W = U Λ^{1/2}
    QTest::newRow("k=3") << 3 << 0.0 << 2.0 << 1.0;
}

void TestPpca::handComputed()
{
    QFETCH(int, k);
    QFETCH(double, sigma2);
    QFETCH(double, w1);
    QFETCH(double, w2);
    Pca pca;
    pca.fit(axisPoints());
    const ProbabilisticPca pp(pca, k);
    QCOMPARE(pp.dim(), 3);
    QCOMPARE(pp.latent(), k);
    QVERIFY(std::abs(pp.noiseVariance() - sigma2) < 1e-5);
    QVERIFY(pp.mean().norm() < 1e-6);
    // Column i lies along e_i (sign fixed positive by Pca) with length √(λ_i − σ²).
    const Eigen::MatrixXd &W = pp.loading();
    QVERIFY(std::abs(W(0, 0) - w1) < 1e-5);
    QVERIFY(std::abs(W(1, 0)) < 1e-6 && std::abs(W(2, 0)) < 1e-6);
    if (k >= 2) QVERIFY(std::abs(W(1, 1) - w2) < 1e-5);
    // The model covariance W Wᵀ + σ² I keeps the top-k variances and puts σ² on the rest.
    const Eigen::MatrixXd C = pp.covariance();
    const double lambda[3] = {4, 1, 0.25};
    for (int i = 0; i < 3; ++i) {
        const double expected = i < k ? lambda[i] : sigma2;
        QVERIFY2(std::abs(C(i, i) - expected) < 1e-5, qPrintable(QString("C(%1,%1) = %2, expected %3")
                                                                       .arg(i).arg(C(i, i)).arg(expected)));
    }
    QVERIFY(std::abs(C(0, 1)) < 1e-6 && std::abs(C(1, 2)) < 1e-6);
    // The noise-free decoder: h = (1, 0, …) gives μ + w1.
    Eigen::MatrixXd H = Eigen::MatrixXd::Zero(k, 1);
    H(0, 0) = 1;
    const Matrix x = pp.decodeMean(H);
    QVERIFY(std::abs(x(0, 0) - w1) < 1e-5);
}

void TestPpca::sigmaIsMeanDiscardedEigenvalue()
{
    const Matrix X = correlatedData(3000, 7);
    Pca pca;
    pca.fit(X);
    // Independent eigenvalues of the sample covariance.
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(sampleCovariance(X));
    Eigen::VectorXd ev = es.eigenvalues().reverse();  // decreasing
    for (int k = 0; k <= 4; ++k) {
        const ProbabilisticPca pp(pca, k);
        const double expected = ev.tail(5 - k).sum() / double(5 - k);
        QVERIFY2(std::abs(pp.noiseVariance() - expected) < 1e-6 * std::max(1.0, expected),
                 qPrintable(QString("k=%1: σ² %2 vs %3").arg(k).arg(pp.noiseVariance()).arg(expected)));
    }
}

void TestPpca::samplesHaveModelCovariance()
{
    Pca pca;
    pca.fit(correlatedData(3000, 11));
    const ProbabilisticPca pp(pca, 2);
    QVERIFY(pp.noiseVariance() > 0.01);  // a real noise term in this test
    ael::Rng rng(2024);
    const int n = 40000;
    const Matrix S = pp.sample(n, rng);
    QCOMPARE(S.rows(), 5);
    QCOMPARE(S.cols(), n);
    const Eigen::MatrixXd emp = sampleCovariance(S), model = pp.covariance();
    // Standard error of a covariance entry ≈ √(C_ii C_jj / n) ≤ λ_max / √n ≈ 0.02 here; allow 5×.
    const double tol = 5 * model.diagonal().maxCoeff() / std::sqrt(double(n));
    const double err = (emp - model).cwiseAbs().maxCoeff();
    QVERIFY2(err < tol, qPrintable(QString("max |Ĉ − (W Wᵀ + σ² I)| = %1 > %2").arg(err).arg(tol)));
    // … and not by accident: without the σ² I term the diagonal would be off by σ² on every pixel.
    const Eigen::MatrixXd noNoise = pp.loading() * pp.loading().transpose();
    QVERIFY((emp - noNoise).diagonal().minCoeff() > pp.noiseVariance() - tol);
    const Eigen::VectorXd mu = S.cast<double>().rowwise().mean();
    QVERIFY((mu - pp.mean()).cwiseAbs().maxCoeff() < tol);
}

void TestPpca::edgeCases()
{
    Pca unfitted;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ProbabilisticPca(unfitted, 1));
    Pca pca;
    pca.fit(axisPoints());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ProbabilisticPca(pca, 4));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ProbabilisticPca(pca, -1));
    const ProbabilisticPca zero(pca, 0);  // no factors: x = μ + σ ε with σ² = mean variance
    QVERIFY(std::abs(zero.noiseVariance() - (4 + 1 + 0.25) / 3) < 1e-5);
    ael::Rng rng(1);
    QCOMPARE(zero.sample(3, rng).cols(), 3);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, zero.decodeMean(Eigen::MatrixXd::Zero(2, 1)));
}

QTEST_GUILESS_MAIN(TestPpca)
#include "tst_ppca.moc"
