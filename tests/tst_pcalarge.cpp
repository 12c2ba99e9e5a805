// PCA of large images (core/pca/Pca.h, the Gram path): a 255x255 data set (d = 65,025) fits in
// little memory and time, and what it gives is still PCA: orthonormal eigenvectors of the sample
// covariance, eigenvalues that sum to its trace, the MSE curve of the discarded variance.
#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/pca/Pca.h"

#include <QtTest>

#include <fstream>

#include <sys/resource.h>
#include <unistd.h>

using namespace ael;

namespace {

/// n images of side x side: a few smooth planted patterns mixed with random weights, plus noise.
Dataset planted(int n, int side, uint64_t seed)
{
    Dataset d;
    d.name = "planted";
    d.rows = d.cols = side;
    Rng rng(seed);
    for (int j = 0; j < n; ++j) {
        const double a = rng.uniform(), b = rng.uniform(), c = rng.uniform();
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x) {
                const double u = double(x) / side, v = double(y) / side;
                const double p = 0.2 + 0.3 * a * u + 0.3 * b * v + 0.2 * c * u * v + 0.02 * rng.uniform();
                d.pixels.push_back(uint8_t(std::min(255L, std::lround(255 * p))));
            }
        d.labels.push_back(uint8_t(j % 10));
    }
    return d;
}

Matrix columns(const Dataset &d)
{
    Matrix X;
    d.range(0, d.size(), X);
    return X;
}

}  // namespace

class TestPcaLarge : public QObject {
    Q_OBJECT
private slots:
    void memoryEstimateStaysSmall_data();
    void memoryEstimateStaysSmall();
    void bigImagesFitInLittleMemory();
    void gramPathIsPca();
};

void TestPcaLarge::memoryEstimateStaysSmall_data()
{
    QTest::addColumn<int>("d");
    QTest::addColumn<int>("n");
    QTest::newRow("MNIST") << 784 << 8004;
    QTest::newRow("100x100, 60000") << 10000 << 60000;
    QTest::newRow("255x255, 50") << 65025 << 50;
    QTest::newRow("255x255, 100000") << 65025 << 100000;
    QTest::newRow("4096x4096, 60") << 4096 * 4096 << 60;
}

// Before, the covariance alone took 8d² bytes: 34 GB for 255x255 images (std::bad_alloc).
void TestPcaLarge::memoryEstimateStaysSmall()
{
    QFETCH(int, d);
    QFETCH(int, n);
    const size_t need = Pca::bytesNeeded(d, n);
    QVERIFY2(need <= Pca::kMaxFitBytes, qPrintable(QString::number(double(need) / 1e9) + " GB"));
}

// A 255x255 data set fits with the address space capped at 1 GB above what the process maps now.
void TestPcaLarge::bigImagesFitInLittleMemory()
{
    const Dataset d = planted(40, 255, 7);
    long pages = 0;
    std::ifstream("/proc/self/statm") >> pages;
    struct rlimit saved{};
    getrlimit(RLIMIT_AS, &saved);
    struct rlimit low = saved;
    low.rlim_cur = rlim_t(pages) * rlim_t(::sysconf(_SC_PAGESIZE)) + (rlim_t(1) << 30);
    setrlimit(RLIMIT_AS, &low);
    Pca pca;
    bool ok = true;
    try {
        pca.fit(d);
    } catch (const std::bad_alloc &) {
        ok = false;
    }
    setrlimit(RLIMIT_AS, &saved);
    QVERIFY(ok);
    QCOMPARE(pca.dim(), 65025);
    QCOMPARE(pca.samples(), 40);
    QVERIFY(pca.stored() >= 3 && pca.stored() <= 39);
    QVERIFY(pca.cumulativeRatio(3) > 0.9);  // three planted patterns
    const Eigen::VectorXd curve = pca.reconstructionMseCurve(d);
    QCOMPARE(curve.size(), Eigen::Index(65026));
    QVERIFY(curve(0) > curve(3));
    QVERIFY(curve(3) < 0.1 * curve(0));
    QVERIFY(std::abs(curve(65025)) < 1e-9);  // every direction with variance is stored: exact at k = d
    const Matrix Z = pca.project(columns(d), 2);
    QCOMPARE(Z.rows(), Eigen::Index(2));
}

// The Gram path (d = 2500 > kMaxCovarianceDim) against the definition, without any d x d matrix:
// C w_i = λ_i w_i with C = X̃X̃ᵀ/(n − 1), orthonormal w, Σλ = trace C, and the MSE curve on the
// training data equal to the discarded eigenvalues, Σ_{i>k} λ_i (n − 1)/n / d.
void TestPcaLarge::gramPathIsPca()
{
    const int n = 30;
    const Dataset d = planted(n, 50, 11);
    const Matrix X = columns(d);
    Pca pca;
    pca.fit(X);
    QVERIFY(pca.dim() > Pca::kMaxCovarianceDim);
    const int k = pca.stored();
    QVERIFY(k >= 3 && k <= n - 1);
    const Eigen::MatrixXd W = pca.componentsD(k);
    QVERIFY((W.transpose() * W - Eigen::MatrixXd::Identity(k, k)).cwiseAbs().maxCoeff() < 1e-9);
    const Eigen::MatrixXd Xc = X.cast<double>().colwise() - pca.mean().cast<double>();
    const Eigen::VectorXd lambda = pca.explainedVariance();
    for (int i = 0; i < std::min(k, 5); ++i) {
        const Eigen::VectorXd Cw = Xc * (Xc.transpose() * W.col(i)) / double(n - 1);
        QVERIFY2((Cw - lambda(i) * W.col(i)).norm() < 1e-8 * std::max(1.0, lambda(0)), qPrintable(QString::number(i)));
    }
    QVERIFY(std::abs(lambda.sum() - Xc.squaredNorm() / (n - 1)) < 1e-9 * lambda.sum());
    const Eigen::VectorXd curve = pca.reconstructionMseCurve(X);
    for (int kk : {0, 1, 2, 5, k}) {
        const double expected = lambda.tail(lambda.size() - kk).sum() * (n - 1) / n / pca.dim();
        QVERIFY2(std::abs(curve(kk) - expected) < 1e-9 + 1e-6 * expected, qPrintable(QString::number(kk)));
    }
    // The data-set path gives the same fit.
    Pca fromData;
    fromData.fit(d);
    QVERIFY((fromData.explainedVariance() - lambda).cwiseAbs().maxCoeff() < 1e-9 * lambda(0));
    // Components past stored() are zero, their codes too.
    QCOMPARE(pca.components(k + 2).rightCols(2).cwiseAbs().maxCoeff(), 0.0f);
    QCOMPARE(pca.project(X, k + 1).bottomRows(1).cwiseAbs().maxCoeff(), 0.0f);
}

QTEST_APPLESS_MAIN(TestPcaLarge)
#include "tst_pcalarge.moc"
