// The first layer's sparse products (core/nn/SparseInput): Z = W X + b 1ᵀ and dW = dZ Xᵀ, db = dZ 1 over
// X's nonzeros, against the dense products (Products.h) on inputs as sparse as digits, with every tail
// the kernels have (an odd batch, an odd number of inputs, rows not a multiple of 16); the same bits on
// one thread or two; which inputs stay dense; and training on the embedded digits, sparse or dense.
#include "DataTestKit.h"
#include "MatrixTestKit.h"
#include "WeightsTestKit.h"
#include "core/data/Embedded.h"
#include "core/nn/Layer.h"
#include "core/nn/Products.h"
#include "core/nn/SparseInput.h"
#include "core/parallel/ThreadPool.h"
#include "core/train/Trainer.h"

#include <QtTest>

#include <cstring>

using namespace ael;
using matrixtest::random;

Q_DECLARE_METATYPE(ael::SparseKernels)

namespace {

struct Guard {
    int threads = ThreadPool::instance().threads();
    bool sparse = sparseInputs();
    SparseKernels kernels = sparseKernels();
    ~Guard()
    {
        ThreadPool::instance().setThreads(threads);
        setSparseInputs(sparse);
        setSparseKernels(kernels);
    }
};

/// The kernel sets this build has, each to be tested.
std::vector<SparseKernels> builtKernels()
{
    std::vector<SparseKernels> k;
    for (SparseKernels s : {SparseKernels::Avx512, SparseKernels::Avx2})
        if (sparseKernelsBuilt(s)) k.push_back(s);
    return k;
}

/// in × B with about `density` of its entries nonzero (values in (0, 1], as pixels), the rest exactly 0.
Matrix sparseInput(long in, long B, double density, uint32_t seed)
{
    const Matrix u = random(in, B, seed), v = random(in, B, seed + 1);
    Matrix X(in, B);
    for (long j = 0; j < B; ++j)
        for (long i = 0; i < in; ++i) X(i, j) = double(u(i, j)) + 0.5 < density ? v(i, j) + 0.5f + 1e-3f : 0.f;
    return X;
}

bool sameBits(const Matrix &a, const Matrix &b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() && std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(float)) == 0;
}

/// Largest |a − b| relative to 1 + |b|.
float maxError(const Matrix &a, const Matrix &b) { return ((a - b).array().abs() / (1.f + b.array().abs())).maxCoeff(); }

}  // namespace

class TestSparse : public QObject {
    Q_OBJECT
private slots:
    void init()
    {
        if (!sparseKernelsBuilt()) QSKIP("built without AVX-512: every product is dense");
    }
    void matchesDense_data();
    void matchesDense();
    void sameBitsOnOneOrTwoThreads();
    void sameBitsWithEitherKernels();
    void denseInputsStayDense_data();
    void denseInputsStayDense();
    void copiedCacheForgetsTheIndex();
    void trainingSparseOrDense();
};

void TestSparse::matchesDense_data()
{
    QTest::addColumn<SparseKernels>("kernels");
    QTest::addColumn<int>("out");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("batch");
    QTest::addColumn<double>("density");
    QTest::addColumn<int>("threads");
    for (SparseKernels k : builtKernels()) {
        const char *isa = sparseKernelsName(k);
        QTest::addRow("%s: B's first layer, 512, 2 threads", isa) << k << 512 << 784 << 512 << 0.19 << 2;
        QTest::addRow("%s: A's first layer, 128, 1 thread", isa) << k << 256 << 784 << 128 << 0.19 << 1;
        QTest::addRow("%s: 208 rows: every tier", isa) << k << 208 << 784 << 96 << 0.19 << 2;
        QTest::addRow("%s: odd batch, odd inputs, 199 rows (a tail of 7)", isa) << k << 199 << 25 << 333 << 0.2 << 2;
        QTest::addRow("%s: 130 rows (a tail of 2), a last odd sample", isa) << k << 130 << 784 << 257 << 0.2 << 2;
        QTest::addRow("%s: 145 rows, 31 inputs, 2,048 samples", isa) << k << 145 << 31 << 2048 << 0.1 << 2;
        QTest::addRow("%s: an empty input", isa) << k << 128 << 784 << 256 << 0.0 << 2;
    }
}

void TestSparse::matchesDense()
{
    QFETCH(SparseKernels, kernels);
    QFETCH(int, out);
    QFETCH(int, in);
    QFETCH(int, batch);
    QFETCH(double, density);
    QFETCH(int, threads);
    Guard guard;
    setSparseInputs(true);
    QVERIFY(setSparseKernels(kernels));
    ThreadPool::instance().setThreads(threads);
    const Matrix X = sparseInput(in, batch, density, 7), W = random(out, in, 1), b = random(out, 1, 2);
    const Matrix dZ = random(out, batch, 3);

    SparseInput s;
    QVERIFY(s.index(X, out));
    QVERIFY(s.holds(X));
    QVERIFY(s.pairDensity() <= kMaxPairDensity);

    // Z, and the epilogue hands every element over exactly once.
    Matrix Zd, Zs, seen = Matrix::Zero(out, batch);
    affine<float>(W, X, b, Zd, [](long, long, long, long) {});
    s.affine(W, X, b, Zs, [&](long r0, long r1, long c0, long c1) { seen.block(r0, c0, r1 - r0, c1 - c0).array() += 1.f; });
    QCOMPARE(Zs.rows(), Matrix::Index(out));
    QCOMPARE(Zs.cols(), Matrix::Index(batch));
    QVERIFY2(maxError(Zs, Zd) < 1e-5f, qPrintable(QString::number(maxError(Zs, Zd))));
    QCOMPARE(seen.minCoeff(), 1.f);
    QCOMPARE(seen.maxCoeff(), 1.f);

    // dW and db, overwritten then accumulated; the prologue sees every element once.
    for (bool overwrite : {true, false}) {
        Matrix dWd = random(out, in, 4), dbd = random(out, 1, 5), dWs = dWd, dbs = dbd, partials;
        Matrix pro = Matrix::Zero(out, batch);
        affineGradients<float>([](long, long, long, long) {}, dZ, X, dWd, dbd, partials, overwrite, overwrite);
        s.gradients([&](long r0, long r1, long c0, long c1) { pro.block(r0, c0, r1 - r0, c1 - c0).array() += 1.f; }, dZ, X, dWs, dbs,
                    partials, overwrite, overwrite);
        QVERIFY2(maxError(dWs, dWd) < 1e-5f, qPrintable(QString("%1 (overwrite %2)").arg(maxError(dWs, dWd)).arg(overwrite)));
        QVERIFY2(maxError(dbs, dbd) < 1e-5f, qPrintable(QString::number(maxError(dbs, dbd))));
        QCOMPARE(pro.minCoeff(), 1.f);
        QCOMPARE(pro.maxCoeff(), 1.f);
    }
}

void TestSparse::sameBitsOnOneOrTwoThreads()
{
    Guard guard;
    const Matrix X = sparseInput(784, 512, 0.19, 11), W = random(512, 784, 12), b = random(512, 1, 13), dZ = random(512, 512, 14);
    Matrix Z[2], dW[2], db[2], partials;
    for (int t = 1; t <= 2; ++t) {
        ThreadPool::instance().setThreads(t);
        SparseInput s;
        QVERIFY(s.index(X, 512));
        s.affine(W, X, b, Z[t - 1], [](long, long, long, long) {});
        dW[t - 1].resize(512, 784);
        db[t - 1].resize(512, 1);
        s.gradients([](long, long, long, long) {}, dZ, X, dW[t - 1], db[t - 1], partials, true, true);
    }
    // Each Z column and dW column is one thread's sum, in the samples' (pixels') order.
    QVERIFY(sameBits(Z[0], Z[1]));
    QVERIFY(sameBits(dW[0], dW[1]));
}

void TestSparse::sameBitsWithEitherKernels()
{
    if (builtKernels().size() < 2) QSKIP("one kernel set in this build");
    Guard guard;
    ThreadPool::instance().setThreads(2);
    // Each element is the same sequence of multiply-adds whatever the register width.
    const Matrix X = sparseInput(784, 300, 0.19, 41), W = random(200, 784, 42), b = random(200, 1, 43), dZ = random(200, 300, 44);
    Matrix Z[2], dW[2], db[2], partials;
    int i = 0;
    for (SparseKernels k : builtKernels()) {
        QVERIFY(setSparseKernels(k));
        SparseInput s;
        QVERIFY(s.index(X, 200));
        s.affine(W, X, b, Z[i], [](long, long, long, long) {});
        dW[i] = random(200, 784, 45);
        db[i] = random(200, 1, 46);
        s.gradients([](long, long, long, long) {}, dZ, X, dW[i], db[i], partials, false, false);
        ++i;
    }
    QVERIFY(sameBits(Z[0], Z[1]));
    QVERIFY(sameBits(dW[0], dW[1]));
    QVERIFY(sameBits(db[0], db[1]));
}

void TestSparse::denseInputsStayDense_data()
{
    QTest::addColumn<double>("density");
    QTest::addColumn<int>("out");
    QTest::addColumn<int>("batch");
    QTest::addColumn<bool>("on");
    QTest::addColumn<bool>("sparse");
    QTest::newRow("digits") << 0.19 << 256 << 128 << true << true;
    QTest::newRow("half the pixels (Fashion-MNIST)") << 0.5 << 256 << 128 << true << false;
    QTest::newRow("noise") << 1.0 << 256 << 128 << true << false;
    QTest::newRow("digits, 64 outputs") << 0.19 << 64 << 512 << true << false;
    QTest::newRow("digits, a small Z (256 × 32)") << 0.19 << 256 << 32 << true << false;
    QTest::newRow("digits, one sample") << 0.19 << 512 << 1 << true << false;
    QTest::newRow("digits, sparse products off") << 0.19 << 256 << 128 << false << false;
    QTest::newRow("digits, no kernels chosen") << 0.19 << 256 << 128 << true << false;
}

void TestSparse::denseInputsStayDense()
{
    QFETCH(double, density);
    QFETCH(int, out);
    QFETCH(int, batch);
    QFETCH(bool, on);
    QFETCH(bool, sparse);
    Guard guard;
    setSparseInputs(on);
    if (QByteArray(QTest::currentDataTag()).contains("no kernels")) QVERIFY(setSparseKernels(SparseKernels::None));
    const Matrix X = sparseInput(784, batch, density, 21);
    SparseInput s;
    QCOMPARE(s.index(X, out), sparse);
    QCOMPARE(s.holds(X), sparse);
    // A later dense input leaves nothing behind for the backward pass.
    const Matrix noise = random(784, batch, 22);
    QVERIFY(!s.index(noise, out));
    QVERIFY(!s.holds(noise));
    QVERIFY(!s.holds(X));
}

void TestSparse::copiedCacheForgetsTheIndex()
{
    Guard guard;
    setSparseInputs(true);
    const Matrix X = sparseInput(784, 256, 0.19, 31);
    LayerCache<float> c;
    c.in = &X;
    c.sparse.p = std::make_unique<SparseInput>();
    QVERIFY(c.sparse.p->index(X, 256));
    const LayerCache<float> copy = c;  // e.g. a pass kept for later: its backward uses the dense products
    QVERIFY(!copy.sparse.p);
    LayerCache<float> moved = std::move(c);
    QVERIFY(moved.sparse.p && moved.sparse.p->holds(X));
}

void TestSparse::trainingSparseOrDense()
{
    Guard guard;
    ThreadPool::instance().setThreads(2);
    const Dataset d = embeddedMnist();
    Architecture arch;
    std::string err;
    QVERIFY(Architecture::parseSpec("784-256-[16]-256-784", arch, &err));
    TrainSettings s;
    s.batchSize = 256;
    auto train = [&](bool sparse) {
        setSparseInputs(sparse);
        const uint64_t before = sparseMultiplyAdds();
        Trainer t(arch, s, d, 5);
        double loss = 0;
        uint64_t expected = 0;  // Z and dW of the first layer, on each batch large enough (an epoch's last may not be)
        for (int i = 0; i < 40; ++i) {
            const StepResult r = t.step();
            loss = r.reconstruction;
            if (256L * r.batchSize >= kMinSparseOutputs) expected += uint64_t(2) * 784 * 256 * uint64_t(r.batchSize);
        }
        return std::make_tuple(weightstest::weights(t), loss, sparseMultiplyAdds() - before, expected);
    };
    const auto [dense, denseLoss, denseSparseWork, unused] = train(false);
    const auto [sparse, sparseLoss, sparseWork, expected] = train(true);
    QCOMPARE(denseSparseWork, uint64_t(0));
    QVERIFY(expected >= uint64_t(39) * 2 * 784 * 256 * 256);
    QCOMPARE(sparseWork, expected);
    QVERIFY2(std::abs(sparseLoss - denseLoss) < 1e-4 * std::abs(denseLoss), qPrintable(QString("%1 vs %2").arg(sparseLoss).arg(denseLoss)));
    QCOMPARE(sparse.size(), dense.size());
    for (size_t i = 0; i < dense.size(); ++i) {
        const float scale = std::max(1.f, dense[i].cwiseAbs().maxCoeff());
        QVERIFY2((sparse[i] - dense[i]).cwiseAbs().maxCoeff() < 1e-4f * scale, qPrintable(QString::number(i)));
    }
}

QTEST_GUILESS_MAIN(TestSparse)
#include "tst_sparse.moc"
