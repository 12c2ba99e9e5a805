// The engine's matrix product (core/nn/Gemm): C = α op(A) op(B) + β C on blocks of larger matrices, checked
// against a double-precision sum for both backends, every transposition, thin and large shapes; which
// products go to oneDNN; and that training gives the same weights (to rounding) with either backend.
#include "DataTestKit.h"
#include "core/nn/Gemm.h"
#include "core/parallel/ThreadPool.h"
#include "core/train/Trainer.h"
#include "MatrixTestKit.h"
#include "WeightsTestKit.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace ael;
using matrixtest::random;

Q_DECLARE_METATYPE(ael::Op)
Q_DECLARE_METATYPE(ael::GemmBackend)

namespace {

/// op(M)(i, j) of a block, in double.
double at(const Matrix &M, Op op, long i, long j) { return op == Op::N ? double(M(i, j)) : double(M(j, i)); }

struct BackendGuard {
    GemmBackend saved = gemmBackend();
    ~BackendGuard() { setGemmBackend(saved); }
};

}  // namespace

class TestGemm : public QObject {
    Q_OBJECT
private slots:
    void product_data();
    void product();
    void betaZeroNeverReadsC();
    void largeProductsGoToTheLibrary_data();
    void largeProductsGoToTheLibrary();
    void mismatchedShapesThrow();
    void trainingAgreesAcrossBackends();
};

void TestGemm::product_data()
{
    QTest::addColumn<GemmBackend>("backend");
    QTest::addColumn<Op>("opA");
    QTest::addColumn<Op>("opB");
    QTest::addColumn<int>("m");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("k");
    QTest::addColumn<float>("alpha");
    QTest::addColumn<float>("beta");
    struct Shape {
        const char *name;
        int m, n, k;
    };
    // Thin (a side ≤ kThinSide: matrix–vector products in both backends), below the library's sides (Eigen's
    // GEMM in both), odd, and large enough for the library.
    const Shape shapes[] = {{"thin m", 2, 40, 64},        {"thin n", 40, 2, 64},  {"one column", 70, 1, 50},
                            {"thin k", 48, 33, 2},        {"all thin", 3, 4, 1},  {"thin m, wide B", 2, 300, 256},
                            {"empty k", 8, 6, 0},         {"side 5", 5, 40, 64},  {"odd", 17, 33, 19},
                            {"large", 96, 64, 130}};
    const std::pair<const char *, GemmBackend> backends[] = {{"eigen", GemmBackend::Eigen}, {"onednn", GemmBackend::OneDnn}};
    const std::pair<const char *, std::pair<float, float>> scalars[] = {{"C=AB", {1, 0}}, {"C+=AB", {1, 1}}, {"C=0.5C-2AB", {-2, 0.5}}};
    for (const auto &[bn, b] : backends)
        for (const Shape &s : shapes)
            for (Op a : {Op::N, Op::T})
                for (Op o : {Op::N, Op::T})
                    for (const auto &[sn, ab] : scalars)
                        QTest::addRow("%s %s %s%s %s", bn, s.name, a == Op::N ? "N" : "T", o == Op::N ? "N" : "T", sn)
                            << b << a << o << s.m << s.n << s.k << ab.first << ab.second;
}

// Each operand is a block inside a larger matrix (outer stride > rows), and C's neighbours stay untouched.
void TestGemm::product()
{
    QFETCH(GemmBackend, backend);
    QFETCH(Op, opA);
    QFETCH(Op, opB);
    QFETCH(int, m);
    QFETCH(int, n);
    QFETCH(int, k);
    QFETCH(float, alpha);
    QFETCH(float, beta);
    BackendGuard guard;
    setGemmBackend(backend);
    const long ar = opA == Op::N ? m : k, ac = opA == Op::N ? k : m;
    const long br = opB == Op::N ? k : n, bc = opB == Op::N ? n : k;
    const Matrix bigA = random(ar + 5, ac, 1), bigB = random(br + 3, bc + 2, 2);
    Matrix bigC = random(m + 7, n + 1, 3);
    const Matrix before = bigC;
    const Matrix A = bigA.middleRows(2, ar), B = bigB.block(1, 2, br, bc);  // plain copies, for the reference
    gemm<float>(opA, bigA.middleRows(2, ar), opB, bigB.block(1, 2, br, bc), alpha, beta, bigC.block(4, 1, m, n));

    double worst = 0;
    for (long i = 0; i < m; ++i)
        for (long j = 0; j < n; ++j) {
            double sum = 0;
            for (long p = 0; p < k; ++p) sum += at(A, opA, i, p) * at(B, opB, p, j);
            const double want = alpha * sum + beta * double(before(4 + i, 1 + j));
            const double err = std::abs(double(bigC(4 + i, 1 + j)) - want);
            worst = std::isfinite(err) ? std::max(worst, err) : std::numeric_limits<double>::infinity();  // max() skips NaN
        }
    QVERIFY2(worst <= 1e-5 * k, qPrintable(QString("largest error %1").arg(worst)));
    // Everything outside the block is as it was.
    Matrix outside = bigC - before;
    outside.block(4, 1, m, n).setZero();
    QCOMPARE(outside.cwiseAbs().maxCoeff(), 0.0f);
}

void TestGemm::betaZeroNeverReadsC()
{
    BackendGuard guard;
    // Blocked GEMM, and the thin products: few rows, few columns, a short k.
    const int shapes[][3] = {{32, 24, 40}, {2, 24, 40}, {32, 2, 40}, {32, 24, 2}};
    for (GemmBackend b : {GemmBackend::Eigen, GemmBackend::OneDnn})
        for (const auto &[m, n, k] : shapes) {
            setGemmBackend(b);
            const Matrix A = random(m, k, 4), B = random(k, n, 5);
            Matrix C = Matrix::Constant(m, n, std::numeric_limits<float>::quiet_NaN());
            gemm<float>(Op::N, A, Op::N, B, 1.f, 0.f, C);
            QVERIFY2(C.allFinite(), qPrintable(QString("%1 %2x%3x%4").arg(gemmBackendName(b)).arg(m).arg(n).arg(k)));
            QVERIFY((C - A * B).cwiseAbs().maxCoeff() < 1e-4f);
        }
}

void TestGemm::largeProductsGoToTheLibrary_data()
{
    QTest::addColumn<GemmBackend>("backend");
    QTest::addColumn<int>("m");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("k");
    QTest::addColumn<bool>("library");
    QTest::newRow("onednn, large") << GemmBackend::OneDnn << 64 << 32 << 128 << true;
    QTest::newRow("onednn, smallest sides") << GemmBackend::OneDnn << int(kLibraryMinSide) << int(kLibraryMinSide)
                                            << int(kLibraryMinSide) << true;
    QTest::newRow("onednn, 2-D code") << GemmBackend::OneDnn << 2 << 64 << 256 << false;
    QTest::newRow("onednn, one image") << GemmBackend::OneDnn << 256 << 1 << 784 << false;
    QTest::newRow("onednn, k below") << GemmBackend::OneDnn << 64 << 64 << int(kLibraryMinSide - 1) << false;
    QTest::newRow("eigen, large") << GemmBackend::Eigen << 64 << 32 << 128 << false;
}

void TestGemm::largeProductsGoToTheLibrary()
{
    QFETCH(GemmBackend, backend);
    QFETCH(int, m);
    QFETCH(int, n);
    QFETCH(int, k);
    QFETCH(bool, library);
    BackendGuard guard;
    setGemmBackend(backend);
    const Matrix A = random(m, k, 6), B = random(k, n, 7);
    Matrix C(m, n);
    const uint64_t before = gemmLibraryCalls();
    gemm<float>(Op::N, A, Op::N, B, 1.f, 0.f, C);
    QCOMPARE(gemmLibraryCalls() - before, library ? 1u : 0u);
    QVERIFY((C - A * B).cwiseAbs().maxCoeff() < 1e-4f);
    // Doubles (the gradient checks) never go to the library.
    const Eigen::MatrixXd Ad = A.cast<double>(), Bd = B.cast<double>();
    Eigen::MatrixXd Cd(m, n);
    gemm<double>(Op::N, Ad, Op::N, Bd, 1.0, 0.0, Cd);
    QCOMPARE(gemmLibraryCalls() - before, library ? 1u : 0u);
    QVERIFY((Cd - Ad * Bd).cwiseAbs().maxCoeff() < 1e-12);
}

void TestGemm::mismatchedShapesThrow()
{
    const Matrix A = random(20, 30, 8), B = random(31, 20, 9);
    Matrix C(20, 20);
    QVERIFY_THROWS_EXCEPTION(std::logic_error, gemm<float>(Op::N, A, Op::N, B, 1.f, 0.f, C));
    Matrix wrong(20, 19);
    const Matrix B2 = random(30, 20, 10);
    QVERIFY_THROWS_EXCEPTION(std::logic_error, gemm<float>(Op::N, A, Op::N, B2, 1.f, 0.f, wrong));
}

// The products of a training step (forward, weight gradients, input gradients; split between two threads)
// go to the library with OneDnn, and 30 steps end on the same weights as with Eigen, to rounding.
void TestGemm::trainingAgreesAcrossBackends()
{
    BackendGuard guard;
    const Dataset d = datatest::synthetic(256, 8, 8);
    Architecture arch;
    std::string err;
    QVERIFY(Architecture::parseSpec("64-96-[16]-96-64", arch, &err));
    TrainSettings s;
    s.batchSize = 32;
    ThreadPool::instance().setThreads(2);
    auto train = [&](GemmBackend b) {
        setGemmBackend(b);
        Trainer t(arch, s, d, 11);
        for (int i = 0; i < 30; ++i) t.step();
        return weightstest::weights(t);
    };
    uint64_t calls = gemmLibraryCalls();
    const auto eigen = train(GemmBackend::Eigen);
    QCOMPARE(gemmLibraryCalls(), calls);
    const auto onednn = train(GemmBackend::OneDnn);
    ThreadPool::instance().setThreads(1);
    // Per step: forward, dW and dX of the 64×96, 96×64 and the two 96×16 layers (a side of 16 included).
    QVERIFY2(gemmLibraryCalls() - calls >= 30 * 8, qPrintable(QString::number(gemmLibraryCalls() - calls)));
    QCOMPARE(eigen.size(), onednn.size());
    for (size_t i = 0; i < eigen.size(); ++i) {
        const float scale = std::max(1.f, eigen[i].cwiseAbs().maxCoeff());
        QVERIFY2((eigen[i] - onednn[i]).cwiseAbs().maxCoeff() < 1e-4f * scale, qPrintable(QString::number(i)));
    }
}

QTEST_GUILESS_MAIN(TestGemm)
#include "tst_gemm.moc"
