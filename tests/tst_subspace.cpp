// Principal angles between subspaces (core/pca/Subspace.h): identical, orthogonal and known angles,
// accuracy for small angles, invariance to a change of basis, rank-deficient inputs, and PCA recovering
// a planted subspace.
#include "PcaTestKit.h"
#include "core/pca/Pca.h"
#include "core/pca/Subspace.h"

#include <Eigen/LU>
#include <QtTest>

#include <cmath>
#include <stdexcept>

using namespace ael;
using pcatest::randn;

namespace {

constexpr double kPi = 3.14159265358979323846;

}  // namespace

class TestSubspace : public QObject {
    Q_OBJECT

private slots:
    void identicalSubspaces();
    void orthogonalSubspaces();
    void knownAngle_data();
    void knownAngle();
    void twoDimensionalKnownAngles();
    void smallAngleIsAccurate();
    void changeOfBasisInvariance_data();
    void changeOfBasisInvariance();
    void rankDeficientAndUnequalDims();
    void pcaRecoversPlantedSubspace();
};

void TestSubspace::identicalSubspaces()
{
    Rng rng(11);
    const Eigen::MatrixXd A = randn(10, 4, rng);
    const Eigen::VectorXd t = principalAnglesDeg(A, A);
    QCOMPARE(t.size(), Eigen::Index(4));
    QVERIFY2(t.cwiseAbs().maxCoeff() < 1e-6, qPrintable(QString::number(t.maxCoeff())));
    QVERIFY(largestPrincipalAngleDeg(A, A) < 1e-6);
    // float overload
    const Matrix Af = A.cast<float>();
    QVERIFY(largestPrincipalAngleDeg(Af, Af) < 1e-2);
}

void TestSubspace::orthogonalSubspaces()
{
    const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(6, 6);
    const Eigen::VectorXd t = principalAnglesDeg(I.leftCols(2), I.rightCols(3));
    QCOMPARE(t.size(), Eigen::Index(2));
    QVERIFY(std::abs(t(0) - 90.0) < 1e-10);
    QVERIFY(std::abs(t(1) - 90.0) < 1e-10);
    QVERIFY(std::abs(largestPrincipalAngleDeg(I.col(0), I.col(5)) - 90.0) < 1e-10);
}

void TestSubspace::knownAngle_data()
{
    QTest::addColumn<double>("deg");
    for (double deg : {0.0, 0.001, 1.0, 10.0, 30.0, 44.9, 45.0, 45.1, 60.0, 89.0, 90.0})
        QTest::newRow(qPrintable(QString("%1 deg").arg(deg))) << deg;
}

// span{e1} vs span{cos θ e1 + sin θ e2} (in R^3, scaled, so normalisation matters): the angle is θ.
void TestSubspace::knownAngle()
{
    QFETCH(double, deg);
    const double r = deg * kPi / 180.0;
    Eigen::MatrixXd A(3, 1), B(3, 1);
    A << 2.0, 0.0, 0.0;
    B << -3.0 * std::cos(r), -3.0 * std::sin(r), 0.0;  // sign and length do not matter
    const Eigen::VectorXd t = principalAnglesDeg(A, B);
    QCOMPARE(t.size(), Eigen::Index(1));
    QVERIFY2(std::abs(t(0) - deg) < 1e-10, qPrintable(QString::number(t(0), 'g', 17)));
    QVERIFY(std::abs(largestPrincipalAngleDeg(B, A) - deg) < 1e-10);
}

// span{e1, e2} vs span{e1, cos θ e2 + sin θ e3}: angles (0, θ).
void TestSubspace::twoDimensionalKnownAngles()
{
    const double r = 30.0 * kPi / 180.0;
    Eigen::MatrixXd A = Eigen::MatrixXd::Zero(4, 2), B = Eigen::MatrixXd::Zero(4, 2);
    A(0, 0) = 1;
    A(1, 1) = 1;
    B(0, 0) = 1;
    B(1, 1) = std::cos(r);
    B(2, 1) = std::sin(r);
    B.col(0) += 5.0 * B.col(1);  // a skewed basis of the same span
    const Eigen::VectorXd t = principalAnglesDeg(A, B);
    QCOMPARE(t.size(), Eigen::Index(2));
    QVERIFY(std::abs(t(0)) < 1e-10);
    QVERIFY(std::abs(t(1) - 30.0) < 1e-10);
}

// acos(cos θ) cannot resolve θ = 1e-6° (cos θ rounds to 1); the sine branch must.
void TestSubspace::smallAngleIsAccurate()
{
    for (double deg : {1e-6, 1e-4, 1e-2}) {
        const double r = deg * kPi / 180.0;
        Eigen::MatrixXd A(2, 1), B(2, 1);
        A << 1, 0;
        B << std::cos(r), std::sin(r);
        const double t = largestPrincipalAngleDeg(A, B);
        QVERIFY2(std::abs(t - deg) < 1e-6 * deg, qPrintable(QString("%1 -> %2").arg(deg).arg(t, 0, 'g', 17)));
    }
}

void TestSubspace::changeOfBasisInvariance_data()
{
    QTest::addColumn<int>("d");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("m");
    QTest::newRow("d8 k3 m3") << 8 << 3 << 3;
    QTest::newRow("d8 k2 m5") << 8 << 2 << 5;
    QTest::newRow("d20 k6 m4") << 20 << 6 << 4;
    QTest::newRow("d50 k10 m10") << 50 << 10 << 10;
}

// The angles depend on the spans only: B R (R invertible) and A S give the same; swapping A and B too.
void TestSubspace::changeOfBasisInvariance()
{
    QFETCH(int, d);
    QFETCH(int, k);
    QFETCH(int, m);
    Rng rng(100 + d + k + m);
    const Eigen::MatrixXd A = randn(d, k, rng), B = randn(d, m, rng);
    Eigen::MatrixXd R = randn(m, m, rng), S = randn(k, k, rng);
    R += 3.0 * Eigen::MatrixXd::Identity(m, m);  // keep it comfortably invertible
    S += 3.0 * Eigen::MatrixXd::Identity(k, k);
    QVERIFY(std::abs(R.determinant()) > 1e-3 && std::abs(S.determinant()) > 1e-3);

    const Eigen::VectorXd t = principalAnglesDeg(A, B);
    QCOMPARE(t.size(), Eigen::Index(std::min(k, m)));
    for (Eigen::Index i = 1; i < t.size(); ++i) QVERIFY(t(i) >= t(i - 1));
    QVERIFY(t.minCoeff() >= 0.0 && t.maxCoeff() <= 90.0);
    const Eigen::VectorXd tR = principalAnglesDeg(A, Eigen::MatrixXd(B * R));
    const Eigen::VectorXd tS = principalAnglesDeg(Eigen::MatrixXd(A * S), B);
    const Eigen::VectorXd tSwap = principalAnglesDeg(B, A);
    QVERIFY2((t - tR).cwiseAbs().maxCoeff() < 1e-8, qPrintable(QString::number((t - tR).cwiseAbs().maxCoeff())));
    QVERIFY((t - tS).cwiseAbs().maxCoeff() < 1e-8);
    QVERIFY((t - tSwap).cwiseAbs().maxCoeff() < 1e-8);
    QVERIFY(principalAnglesDeg(B, Eigen::MatrixXd(B * R)).cwiseAbs().maxCoeff() < 1e-6);
}

void TestSubspace::rankDeficientAndUnequalDims()
{
    const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(5, 5);
    // A duplicated column does not add a direction.
    Eigen::MatrixXd A(5, 3);
    A << I.col(0), I.col(1), 2.0 * I.col(0);
    QCOMPARE(orthonormalBasis(A).cols(), Eigen::Index(2));
    QCOMPARE(principalAnglesDeg(A, I.leftCols(2)).size(), Eigen::Index(2));
    QVERIFY(largestPrincipalAngleDeg(A, I.leftCols(2)) < 1e-6);
    // A line inside a plane: one angle, 0; a line orthogonal to it: 90.
    QVERIFY(std::abs(largestPrincipalAngleDeg(Eigen::MatrixXd(I.col(0) + I.col(1)), I.leftCols(2))) < 1e-6);
    QVERIFY(std::abs(largestPrincipalAngleDeg(I.col(2), I.leftCols(2)) - 90.0) < 1e-10);
    // The zero subspace has no angles.
    QCOMPARE(principalAnglesDeg(Eigen::MatrixXd::Zero(5, 2), I.leftCols(2)).size(), Eigen::Index(0));
    QVERIFY(std::isnan(largestPrincipalAngleDeg(Eigen::MatrixXd::Zero(5, 2), I.leftCols(2))));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, principalAnglesDeg(I, Eigen::MatrixXd::Identity(4, 4)));
}

// Data near a planted 3-D subspace of R^12: PCA's top-3 span it (small angle), top-2 is inside it,
// and the 4th component is nearly orthogonal to it.
void TestSubspace::pcaRecoversPlantedSubspace()
{
    const int d = 12, n = 2000;
    Rng rng(2024);
    const Eigen::MatrixXd U = randn(d, 3, rng);
    const Eigen::MatrixXd X = (U * randn(3, n, rng) + 0.01 * randn(d, n, rng)).colwise() + Eigen::VectorXd::Constant(d, 0.5);
    Pca pca;
    pca.fit(Matrix(X.cast<float>()));
    const double t3 = largestPrincipalAngleDeg(pca.components(3), Matrix(U.cast<float>()));
    QVERIFY2(t3 < 0.5, qPrintable(QString::number(t3)));
    QVERIFY(largestPrincipalAngleDeg(pca.componentsD(2), U) < 0.5);
    QVERIFY(largestPrincipalAngleDeg(Eigen::MatrixXd(pca.componentsD(4).col(3)), U) > 89.0);
    QVERIFY(pca.cumulativeRatio(3) > 0.999);
}

QTEST_APPLESS_MAIN(TestSubspace)
#include "tst_subspace.moc"
