// PCA (core/pca/Pca.h): a hand-computed case, orthonormal eigenvectors of the covariance, exact full
// reconstruction, MSE = the discarded eigenvalues, float and double paths, errors. Principal angles
// (core/pca/Subspace.h) are in tst_subspace.
#include "PcaTestKit.h"
#include "core/data/Dataset.h"
#include "core/pca/Pca.h"

#include <Eigen/QR>
#include <QtTest>

#include <cmath>
#include <limits>
#include <stdexcept>

using namespace ael;
using pcatest::randn;

namespace {

/// n samples in R^d with clearly separated variances: x = μ + Q diag(s) z, Q a random rotation,
/// s_i = 2^{-i}, z standard normal.
Matrix anisotropic(int d, int n, uint64_t seed)
{
    Rng rng(seed);
    const Eigen::MatrixXd Q = Eigen::HouseholderQR<Eigen::MatrixXd>(randn(d, d, rng)).householderQ();
    Eigen::VectorXd s(d), mu(d);
    for (int i = 0; i < d; ++i) {
        s(i) = std::pow(2.0, -i);
        mu(i) = rng.normal();
    }
    const Eigen::MatrixXd X = (Q * s.asDiagonal() * randn(d, n, rng)).colwise() + mu;
    return X.cast<float>();
}

/// The sample covariance straight from the definition, in double (reference for the tests).
Eigen::MatrixXd covariance(const Matrix &Xf)
{
    const Eigen::MatrixXd X = Xf.cast<double>();
    const Eigen::MatrixXd Xc = X.colwise() - X.rowwise().mean();
    return Xc * Xc.transpose() / double(X.cols() - 1);  // C = Σ (x − μ)(x − μ)ᵀ / (n − 1)
}

double meanSq(const Matrix &A) { return A.cast<double>().squaredNorm() / double(A.size()); }

/// |cos| between two vectors: 1 means equal up to sign.
double absCos(const Eigen::VectorXd &a, const Eigen::VectorXd &b)
{
    return std::abs(a.dot(b)) / (a.norm() * b.norm());
}

}  // namespace

class TestPca : public QObject {
    Q_OBJECT

private slots:
    void handComputed2D();
    void pointsOnALine();
    void componentsAreOrthonormalEigenvectors_data();
    void componentsAreOrthonormalEigenvectors();
    void fullReconstructionIsExact_data();
    void fullReconstructionIsExact();
    void mseEqualsDiscardedEigenvalues_data();
    void mseEqualsDiscardedEigenvalues();
    void floatPathMatchesDoublePath();
    void datasetMatchesMatrix();
    void singleSample();
    void errors();
};

// Four points about μ = (5, −3):  offsets (2, 1), (−2, −1), (1, 2), (−1, −2).
//   Σ dx² = 4+4+1+1 = 10,  Σ dy² = 10,  Σ dx dy = 2+2+2+2 = 8,  n − 1 = 3
//   C = [10 8; 8 10] / 3;  eigenpairs of [a b; b a]: a ± b with (1, ±1)/√2
//   λ_1 = 18/3 = 6,  w_1 = (1, 1)/√2;   λ_2 = 2/3,  w_2 = (1, −1)/√2
//   ratios 6 / (20/3) = 0.9 and 0.1
//   codes on w_1: (3, −3, 3, −3)/√2;  residuals on w_2: (1, −1, −1, 1)/√2, each squared 1/2
//   MSE_1 = 4 · 1/2 / (d n = 8) = 0.25 = λ_2 (n−1)/n / d = (2/3)(3/4)/2
//   MSE_0 = Σ‖offset‖² / 8 = 20 / 8 = 2.5 = (6 + 2/3)(3/4)/2
void TestPca::handComputed2D()
{
    Matrix X(2, 4);
    X << 7, 3, 6, 4,     //
        -2, -4, -1, -5;  // = μ + offsets
    Pca pca;
    pca.fit(X);
    QCOMPARE(pca.dim(), 2);
    QCOMPARE(pca.samples(), 4);
    QVERIFY(std::abs(pca.mean()(0) - 5.0f) < 1e-6f);
    QVERIFY(std::abs(pca.mean()(1) + 3.0f) < 1e-6f);

    const Eigen::VectorXd lambda = pca.explainedVariance();
    QCOMPARE(lambda.size(), Eigen::Index(2));
    QVERIFY(std::abs(lambda(0) - 6.0) < 1e-12);
    QVERIFY(std::abs(lambda(1) - 2.0 / 3.0) < 1e-12);
    const Eigen::VectorXd ratio = pca.explainedVarianceRatio();
    QVERIFY(std::abs(ratio(0) - 0.9) < 1e-12);
    QVERIFY(std::abs(ratio(1) - 0.1) < 1e-12);
    QVERIFY(std::abs(pca.cumulativeRatio(0)) < 1e-15);
    QVERIFY(std::abs(pca.cumulativeRatio(1) - 0.9) < 1e-12);
    QVERIFY(std::abs(pca.cumulativeRatio(2) - 1.0) < 1e-12);

    const double h = std::sqrt(0.5);
    const Eigen::MatrixXd W = pca.componentsD(2);
    QVERIFY(std::abs(absCos(W.col(0), Eigen::Vector2d(h, h)) - 1.0) < 1e-12);
    QVERIFY(std::abs(absCos(W.col(1), Eigen::Vector2d(h, -h)) - 1.0) < 1e-12);
    // Sign convention: the largest-magnitude entry is positive (here a tie, so both entries of w_1 > 0).
    QVERIFY(W(0, 0) > 0 && W(1, 0) > 0);

    const Matrix Z = pca.project(X, 1);
    QCOMPARE(Z.rows(), Eigen::Index(1));
    QCOMPARE(Z.cols(), Eigen::Index(4));
    const float c = float(3.0 * h);
    const float expected[4] = {c, -c, c, -c};
    for (int j = 0; j < 4; ++j) QVERIFY2(std::abs(Z(0, j) - expected[j]) < 1e-5f, qPrintable(QString::number(Z(0, j))));

    // Reconstruction from w_1 alone: μ + w_1 z_j, e.g. first point → (5, −3) + 1.5 (1, 1) = (6.5, −1.5)
    const Matrix Xhat = pca.reconstruct(Z);
    QVERIFY(std::abs(Xhat(0, 0) - 6.5f) < 1e-5f);
    QVERIFY(std::abs(Xhat(1, 0) + 1.5f) < 1e-5f);

    QVERIFY(std::abs(pca.reconstructionMse(X, 0) - 2.5) < 1e-12);
    QVERIFY(std::abs(pca.reconstructionMse(X, 1) - 0.25) < 1e-12);
    QVERIFY(pca.reconstructionMse(X, 2) < 1e-24);
    QVERIFY(std::abs(meanSq(Xhat - X) - 0.25) < 1e-6);
}

// Points on the line y = 2x + 1: one component carries all the variance.
//   x = (−2, −1, 0, 1, 2) ⇒ Σx² = 10, C = [10 20; 20 40] / 4 = [2.5 5; 5 10]
//   λ_1 = trace = 12.5 with w_1 = (1, 2)/√5; λ_2 = 0 (det C = 0)
void TestPca::pointsOnALine()
{
    Matrix X(2, 5);
    X << -2, -1, 0, 1, 2,  //
        -3, -1, 1, 3, 5;
    Pca pca;
    pca.fit(X);
    QVERIFY(std::abs(pca.explainedVariance()(0) - 12.5) < 1e-12);
    QVERIFY(std::abs(pca.explainedVariance()(1)) < 1e-12);
    QVERIFY(std::abs(absCos(pca.componentsD(1).col(0), Eigen::Vector2d(1, 2)) - 1.0) < 1e-12);
    QVERIFY(std::abs(pca.cumulativeRatio(1) - 1.0) < 1e-12);
    QVERIFY(pca.reconstructionMse(X, 1) < 1e-20);
    QVERIFY(meanSq(pca.reconstruct(pca.project(X, 1)) - X) < 1e-10);
}

void TestPca::componentsAreOrthonormalEigenvectors_data()
{
    QTest::addColumn<int>("d");
    QTest::addColumn<int>("n");
    QTest::newRow("d3 n10") << 3 << 10;
    QTest::newRow("d8 n200") << 8 << 200;
    QTest::newRow("d12 n5 (rank-deficient)") << 12 << 5;
    QTest::newRow("d40 n1000") << 40 << 1000;
}

// WᵀW = I, C w_i = λ_i w_i, λ decreasing, Σ λ = trace C.
void TestPca::componentsAreOrthonormalEigenvectors()
{
    QFETCH(int, d);
    QFETCH(int, n);
    const Matrix X = anisotropic(d, n, 1000 + d * 7 + n);
    Pca pca;
    pca.fit(X);
    const Eigen::MatrixXd C = covariance(X);
    const Eigen::VectorXd lambda = pca.explainedVariance();
    const double scale = lambda(0);

    const Eigen::MatrixXd W = pca.componentsD(d);
    QVERIFY((W.transpose() * W - Eigen::MatrixXd::Identity(d, d)).cwiseAbs().maxCoeff() < 1e-12);
    const Matrix Wf = pca.components(d);
    QVERIFY((Wf.transpose() * Wf - Matrix::Identity(d, d)).cwiseAbs().maxCoeff() < 1e-5f);
    QCOMPARE(pca.components(2).cols(), Eigen::Index(2));

    QVERIFY(std::abs(lambda.sum() - C.trace()) < 1e-10 * scale);
    for (int i = 0; i < d; ++i) {
        QVERIFY(lambda(i) >= 0);
        if (i > 0) QVERIFY(lambda(i) <= lambda(i - 1));
        const double res = (C * W.col(i) - lambda(i) * W.col(i)).norm();
        QVERIFY2(res < 1e-10 * scale, qPrintable(QString("i=%1 residual %2").arg(i).arg(res)));
    }
    QVERIFY(((pca.mean().cast<double>() - X.cast<double>().rowwise().mean())).cwiseAbs().maxCoeff() < 1e-6);
    const Eigen::VectorXd ratio = pca.explainedVarianceRatio();
    QVERIFY(std::abs(ratio.sum() - 1.0) < 1e-12);
    QVERIFY(std::abs(pca.cumulativeRatio(d) - 1.0) < 1e-12);
}

void TestPca::fullReconstructionIsExact_data()
{
    componentsAreOrthonormalEigenvectors_data();
}

// With all d components W Wᵀ = I, so X̂ = X.
void TestPca::fullReconstructionIsExact()
{
    QFETCH(int, d);
    QFETCH(int, n);
    const Matrix X = anisotropic(d, n, 2000 + d + n);
    Pca pca;
    pca.fit(X);
    const double energy = meanSq(X);
    const double mseD = pca.reconstructionMse(X, d);  // double path
    QVERIFY2(mseD < 1e-10 * energy, qPrintable(QString::number(mseD)));
    const double mseF = meanSq(pca.reconstruct(pca.project(X, d)) - X);  // float path
    QVERIFY2(mseF < 1e-8, qPrintable(QString::number(mseF)));
    QVERIFY(mseF < 1e-10 * energy * 1e3);  // float: relative error ~ ε_float² · d
    QVERIFY(pca.reconstructionMseCurve(X)(d) == 0.0);
}

void TestPca::mseEqualsDiscardedEigenvalues_data()
{
    componentsAreOrthonormalEigenvectors_data();
}

// On the training data:  MSE_k = Σ_{i>k} λ_i · (n − 1)/n / d, non-increasing in k; the one-pass
// curve agrees with the per-k residual.
void TestPca::mseEqualsDiscardedEigenvalues()
{
    QFETCH(int, d);
    QFETCH(int, n);
    const Matrix X = anisotropic(d, n, 3000 + d + n);
    Pca pca;
    pca.fit(X);
    const Eigen::VectorXd lambda = pca.explainedVariance();
    const Eigen::VectorXd curve = pca.reconstructionMseCurve(X);
    QCOMPARE(curve.size(), Eigen::Index(d + 1));
    const double mse0 = pca.reconstructionMse(X, 0);
    QVERIFY(mse0 > 0);
    double prev = std::numeric_limits<double>::infinity();
    for (int k = 0; k <= d; ++k) {
        const double mse = pca.reconstructionMse(X, k);
        const double predicted = lambda.tail(d - k).sum() * double(n - 1) / double(n) / double(d);
        QVERIFY2(std::abs(mse - predicted) < 1e-10 * mse0,
                 qPrintable(QString("k=%1 mse %2 predicted %3").arg(k).arg(mse, 0, 'g', 17).arg(predicted, 0, 'g', 17)));
        QVERIFY2(std::abs(curve(k) - mse) < 1e-10 * mse0, qPrintable(QString("k=%1").arg(k)));
        QVERIFY(mse <= prev + 1e-14 * mse0);
        prev = mse;
    }
    // k = 0 is the total variance per pixel (the mean as the reconstruction).
    QVERIFY(std::abs(mse0 - meanSq((X.colwise() - pca.mean()).eval())) < 1e-6 * mse0);
}

// The float project/reconstruct round trip gives the same error as the double-precision metric,
// also on data the PCA was not fitted on.
void TestPca::floatPathMatchesDoublePath()
{
    const int d = 16;
    const Matrix train = anisotropic(d, 500, 42), test = anisotropic(d, 300, 43);
    Pca pca;
    pca.fit(train);
    for (int k : {0, 1, 4, 8, 15}) {
        const double mseD = pca.reconstructionMse(test, k);
        const double mseF = meanSq(pca.reconstruct(pca.project(test, k)) - test);
        QVERIFY2(std::abs(mseD - mseF) < 1e-4 * mseD, qPrintable(QString("k=%1: %2 vs %3").arg(k).arg(mseD).arg(mseF)));
        QVERIFY(std::abs(pca.reconstructionMseCurve(test)(k) - mseD) < 1e-10 * mseD);
    }
}

// fit(Dataset) and reconstructionMse(Dataset) (chunked) agree with the Matrix versions; n spans
// several chunks.
void TestPca::datasetMatchesMatrix()
{
    Dataset ds;
    ds.name = "synthetic";
    ds.rows = 3;
    ds.cols = 4;
    const int n = 2500, d = ds.dim();
    ds.pixels.resize(size_t(n) * size_t(d));
    ds.labels.resize(size_t(n));
    Rng rng(7);
    const Eigen::MatrixXd basis = randn(d, 3, rng);
    for (int j = 0; j < n; ++j) {
        const Eigen::Vector3d z(rng.normal(), rng.normal(), rng.normal());
        const Eigen::VectorXd x = 128.0 * Eigen::VectorXd::Ones(d) + 25.0 * (basis * z);
        for (int i = 0; i < d; ++i) {
            const double v = std::round(x(i) + 5.0 * rng.normal());
            ds.pixels[size_t(j) * size_t(d) + size_t(i)] = uint8_t(std::clamp(v, 0.0, 255.0));
        }
        ds.labels[size_t(j)] = uint8_t(j % 10);
    }
    Matrix X;
    ds.range(0, n, X);

    Pca a, b;
    a.fit(ds);
    b.fit(X);
    QCOMPARE(a.samples(), n);
    QCOMPARE(a.dim(), d);
    QVERIFY((a.mean() - b.mean()).cwiseAbs().maxCoeff() < 1e-7f);
    QVERIFY((a.explainedVariance() - b.explainedVariance()).cwiseAbs().maxCoeff() < 1e-12 * b.explainedVariance()(0));
    for (int i = 0; i < 3; ++i)  // well-separated leading components: equal including sign
        QVERIFY((a.componentsD(d).col(i) - b.componentsD(d).col(i)).norm() < 1e-9);
    QVERIFY(a.cumulativeRatio(3) > 0.9);  // three planted directions dominate
    for (int k : {0, 1, 3, 6, d}) {
        const double mA = a.reconstructionMse(ds, k), mB = b.reconstructionMse(X, k);
        QVERIFY2(std::abs(mA - mB) <= 1e-12 * b.reconstructionMse(X, 0), qPrintable(QString("k=%1").arg(k)));
    }
    QVERIFY((a.reconstructionMseCurve(ds) - b.reconstructionMseCurve(X)).cwiseAbs().maxCoeff() < 1e-12);
}

void TestPca::singleSample()
{
    Matrix X(3, 1);
    X << 0.5f, -1.0f, 2.0f;
    Pca pca;
    pca.fit(X);
    QVERIFY(pca.fitted());
    QVERIFY((pca.mean() - X.col(0)).cwiseAbs().maxCoeff() == 0.0f);
    QVERIFY(pca.explainedVariance().cwiseAbs().maxCoeff() == 0.0);
    QVERIFY(pca.explainedVarianceRatio().cwiseAbs().maxCoeff() == 0.0);
    QCOMPARE(pca.cumulativeRatio(3), 0.0);
    QCOMPARE(pca.reconstructionMse(X, 0), 0.0);
    const Matrix W = pca.components(3);  // still an orthonormal basis
    QVERIFY((W.transpose() * W - Matrix::Identity(3, 3)).cwiseAbs().maxCoeff() < 1e-6f);
}

void TestPca::errors()
{
    Pca pca;
    QVERIFY(!pca.fitted());
    QCOMPARE(pca.dim(), 0);
    QVERIFY_THROWS_EXCEPTION(std::logic_error, pca.components(0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pca.fit(Matrix(3, 0)));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pca.fit(Dataset()));

    const Matrix X = anisotropic(4, 20, 5);
    pca.fit(X);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, pca.components(5));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, pca.components(-1));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, pca.project(X, 5));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, pca.reconstruct(Matrix(5, 2)));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, pca.cumulativeRatio(5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pca.project(Matrix(3, 2), 1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pca.reconstructionMse(Matrix(5, 2), 1));
    Dataset wrong;
    wrong.rows = 2;
    wrong.cols = 3;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pca.reconstructionMse(wrong, 1));
}

QTEST_APPLESS_MAIN(TestPca)
#include "tst_pca.moc"
