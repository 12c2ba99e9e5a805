// A dense layer's three products (core/nn/Products): Z = W X + b 1ᵀ with its epilogue, dW += dZ Xᵀ and
// db += dZ 1 with their prologue (also over stale gradients), dX = Wᵀ dZ — checked against double-precision
// sums for 1, 2 and 3 threads and batches on both sides of the split rule (by columns once every thread gets
// kMinChunkColumns samples, else by rows; the gradients' prologue in the same blocks as the forward
// epilogue), and that every element is handed to the epilogue or the prologue exactly once. And that LayerProducts (aelab-cli bench --products) runs the products of a
// training step: the same library calls and multiply-adds as a Trainer step.
#include "core/nn/Gemm.h"
#include "core/nn/LayerProducts.h"
#include "core/nn/SparseInput.h"
#include "core/nn/Products.h"
#include "core/train/Trainer.h"
#include "core/data/Embedded.h"
#include "core/parallel/ThreadPool.h"
#include "MatrixTestKit.h"

#include <QtTest>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <vector>

using namespace ael;
using matrixtest::random;

namespace {

struct ThreadsGuard {
    int saved = ThreadPool::instance().threads();
    ~ThreadsGuard() { ThreadPool::instance().setThreads(saved); }
};

/// Largest |a − b| over the elements, relative to 1 + |b|; infinite where a is not finite (a NaN left in a
/// result that should have been written, or added to: std::max would skip it).
double maxError(const Matrix &a, const Eigen::MatrixXd &b)
{
    double e = 0;
    for (long j = 0; j < b.cols(); ++j)
        for (long i = 0; i < b.rows(); ++i) {
            if (!std::isfinite(a(i, j))) return std::numeric_limits<double>::infinity();
            e = std::max(e, std::abs(double(a(i, j)) - b(i, j)) / (1 + std::abs(b(i, j))));
        }
    return e;
}

/// Counts, per element, how often a block callback covered it (callbacks run on several threads at once).
struct Visits {
    explicit Visits(long rows, long cols) : count(size_t(rows * cols)), rows(rows) {}
    void add(long r0, long r1, long c0, long c1)
    {
        for (long j = c0; j < c1; ++j)
            for (long i = r0; i < r1; ++i) count[size_t(j * rows + i)].fetch_add(1);
        std::lock_guard<std::mutex> lock(m);
        blocks.push_back({r0, r1, c0, c1});
    }
    bool eachOnce() const
    {
        for (const auto &c : count)
            if (c.load() != 1) return false;
        return true;
    }
    std::vector<std::atomic<int>> count;
    long rows;
    std::mutex m;
    std::vector<std::array<long, 4>> blocks;
};

}  // namespace

class TestProducts : public QObject {
    Q_OBJECT
private slots:
    void products_data();
    void products();
    void splitRule_data();
    void splitRule();
    void transposedSplit_data();
    void transposedSplit();
    void layerProductsAreTheStepsProducts_data();
    void layerProductsAreTheStepsProducts();
    void productCalls_data();
    void productCalls();
};

void TestProducts::products_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("out");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("batch");
    for (int t : {1, 2, 3})
        for (int out : {2, 40, 300})
            for (int batch : {1, 20, 127, 128, 400}) {
                const int in = out == 300 ? 257 : 33;
                QTest::addRow("t%d out%d in%d b%d", t, out, in, batch) << t << out << in << batch;
            }
}

void TestProducts::products()
{
    QFETCH(int, threads);
    QFETCH(int, out);
    QFETCH(int, in);
    QFETCH(int, batch);
    ThreadsGuard guard;
    ThreadPool::instance().setThreads(threads);
    const Matrix W = random(out, in, 1), X = random(in, batch, 2), b = random(out, 1, 3);
    const Eigen::MatrixXd Wd = W.cast<double>(), Xd = X.cast<double>(), bd = b.cast<double>();

    // Z = W X + b 1ᵀ, and an epilogue that reads the block it is given (Y = 2 Z)
    Matrix Z, Y(out, batch);
    Visits forward(out, batch);
    affine<float>(W, X, b, Z, [&](long r0, long r1, long c0, long c1) {
        forward.add(r0, r1, c0, c1);
        Y.block(r0, c0, r1 - r0, c1 - c0) = 2 * Z.block(r0, c0, r1 - r0, c1 - c0);
    });
    const Eigen::MatrixXd Zd = (Wd * Xd).colwise() + bd.col(0);
    QVERIFY(forward.eachOnce());
    QVERIFY2(maxError(Z, Zd) < 1e-5, qPrintable(QString::number(maxError(Z, Zd))));
    QVERIFY(maxError(Y, 2 * Zd) < 1e-5);

    // dW += dZ Xᵀ and db += dZ 1, dZ written by the prologue block by block (by columns, each thread's partial
    // sums added afterwards); and dW = dZ Xᵀ, db = dZ 1 over stale (NaN) gradients, which must not be read
    const Matrix dZsource = random(out, batch, 4);
    Matrix partials;
    for (bool overwrite : {false, true}) {
        Matrix dZ = Matrix::Constant(out, batch, std::nanf(""));
        Matrix dW = overwrite ? Matrix::Constant(out, in, std::nanf("")) : random(out, in, 5);
        Matrix db = overwrite ? Matrix::Constant(out, 1, std::nanf("")) : random(out, 1, 6);
        const Eigen::MatrixXd dWd = (overwrite ? Eigen::MatrixXd::Zero(out, in) : dW.cast<double>().eval()) + dZsource.cast<double>() * Xd.transpose();
        const Eigen::MatrixXd dbd = (overwrite ? Eigen::MatrixXd::Zero(out, 1) : db.cast<double>().eval()) + dZsource.cast<double>().rowwise().sum();
        Visits backward(out, batch);
        // The workspace as a previous step left it, here NaN: the partial sums must overwrite it, never add to it.
        partials = Matrix::Constant(out, (in + 1) * std::max(0, threads - 1), std::nanf(""));
        affineGradients<float>([&](long r0, long r1, long c0, long c1) {
            backward.add(r0, r1, c0, c1);
            dZ.block(r0, c0, r1 - r0, c1 - c0) = dZsource.block(r0, c0, r1 - r0, c1 - c0);
        }, dZ, X, dW, db, partials, overwrite, overwrite);
        QVERIFY(backward.eachOnce());
        QVERIFY2(maxError(dW, dWd) < 1e-5, qPrintable(QStringLiteral("overwrite %1: %2").arg(overwrite).arg(maxError(dW, dWd))));
        QVERIFY(maxError(db, dbd) < 1e-5);
    }

    // dX = Wᵀ dZ (dX starts as NaN: every element must be written)
    Matrix dX = Matrix::Constant(in, batch, std::nanf(""));
    transposedProduct<float>(W, dZsource, dX);
    QVERIFY(maxError(dX, Wd.transpose() * dZsource.cast<double>()) < 1e-5);
}

void TestProducts::splitRule_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("batch");
    QTest::addColumn<bool>("byColumns");
    QTest::addColumn<bool>("gradientsByColumns");
    // 300 × 257 × batch multiply-adds: enough to be split at every batch below
    QTest::newRow("2 threads, 64 samples each") << 2 << 2 * int(kMinChunkColumns) << true << false;
    QTest::newRow("2 threads, 63 samples each") << 2 << 2 * int(kMinChunkColumns) - 2 << false << false;
    QTest::newRow("2 threads, 127 samples each") << 2 << 2 * int(kMinGradientChunkColumns) - 2 << true << false;
    QTest::newRow("2 threads, 128 samples each") << 2 << 2 * int(kMinGradientChunkColumns) << true << true;
    QTest::newRow("2 threads, batch 512") << 2 << 512 << true << true;
    QTest::newRow("3 threads, batch 191") << 3 << 3 * int(kMinChunkColumns) - 1 << false << false;
    QTest::newRow("3 threads, batch 192") << 3 << 3 * int(kMinChunkColumns) << true << false;
    QTest::newRow("3 threads, batch 384") << 3 << 3 * int(kMinGradientChunkColumns) << true << true;
}

void TestProducts::splitRule()
{
    QFETCH(int, threads);
    QFETCH(int, batch);
    QFETCH(bool, byColumns);
    QFETCH(bool, gradientsByColumns);
    ThreadsGuard guard;
    ThreadPool::instance().setThreads(threads);
    const int out = 300, in = 257;
    const Matrix W = random(out, in, 1), X = random(in, batch, 2), b = random(out, 1, 3);
    Matrix Z;
    Visits v(out, batch);
    affine<float>(W, X, b, Z, [&](long r0, long r1, long c0, long c1) { v.add(r0, r1, c0, c1); });
    // The gradients by columns from kMinGradientChunkColumns samples a thread: then a thread's dZ block (the
    // prologue's) is the block of samples its forward product had; else by rows.
    const Matrix dZ = random(out, batch, 4);
    Matrix dW(out, in), db(out, 1), partials;
    Visits g(out, batch);
    affineGradients<float>([&](long r0, long r1, long c0, long c1) { g.add(r0, r1, c0, c1); }, dZ, X, dW, db, partials, true, true);
    QVERIFY(g.eachOnce());
    QCOMPARE(int(g.blocks.size()), threads);
    std::sort(v.blocks.begin(), v.blocks.end());
    std::sort(g.blocks.begin(), g.blocks.end());
    if (gradientsByColumns) QCOMPARE(g.blocks, v.blocks);
    for (const auto &blk : g.blocks) QCOMPARE(gradientsByColumns ? blk[1] - blk[0] : blk[3] - blk[2], gradientsByColumns ? long(out) : long(batch));
    QVERIFY(v.eachOnce());
    QCOMPARE(int(v.blocks.size()), threads);
    for (const auto &blk : v.blocks) {
        if (byColumns) {
            QCOMPARE(blk[0], 0L);  // every row of a block of samples
            QCOMPARE(blk[1], long(out));
            QVERIFY(blk[3] - blk[2] >= kMinChunkColumns - 16);  // chunks end on multiples of 16 samples
        } else {
            QCOMPARE(blk[2], 0L);  // every sample of a block of rows
            QCOMPARE(blk[3], long(batch));
        }
    }
}

void TestProducts::transposedSplit_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("calls");  // library calls: one a chunk
    // dX = Wᵀ dZ (in × batch) by rows below kMinChunkColumns samples a thread: in chunks of at least
    // kMinTransposedChunkRows rows once dX has that many (oneDNN runs this product at half speed below 128 rows),
    // on multiples of 16; by samples above.
    const int least = int(kMinTransposedChunkRows);
    QTest::newRow("1 thread, 512 rows") << 1 << 512 << 32 << 1;
    QTest::newRow("2 threads, 64 rows: two of 32") << 2 << 64 << 32 << 2;
    QTest::newRow("2 threads, 128 rows: not split") << 2 << least << 32 << 1;
    QTest::newRow("2 threads, 255 rows: not split") << 2 << 2 * least - 1 << 32 << 1;
    QTest::newRow("2 threads, 256 rows: two of 128") << 2 << 2 * least << 32 << 2;
    QTest::newRow("2 threads, 784 rows: 384 and 400") << 2 << 784 << 32 << 2;
    QTest::newRow("3 threads, 256 rows: two of 128") << 3 << 2 * least << 32 << 2;
    QTest::newRow("3 threads, 512 rows: 160, 176, 176") << 3 << 512 << 32 << 3;
    QTest::newRow("2 threads, 128 rows by samples") << 2 << least << 2 * int(kMinChunkColumns) << 2;
}

void TestProducts::transposedSplit()
{
    QFETCH(int, threads);
    QFETCH(int, in);
    QFETCH(int, batch);
    QFETCH(int, calls);
    if (gemmBackend() != GemmBackend::OneDnn) QSKIP("counts oneDNN's calls (AELAB_GEMM=eigen is set)");
    ThreadsGuard guard;
    ThreadPool::instance().setThreads(threads);
    const int out = 1024;  // enough multiply-adds to be split at every size above (≥ kMinParallelWork)
    const Matrix W = random(out, in, 1), dZ = random(out, batch, 2);
    Matrix dX = Matrix::Constant(in, batch, std::nanf(""));
    const uint64_t before = gemmLibraryCalls();
    transposedProduct<float>(W, dZ, dX);
    QCOMPARE(int(gemmLibraryCalls() - before), calls);
    QVERIFY(maxError(dX, W.cast<double>().transpose() * dZ.cast<double>()) < 1e-5);
}

QTEST_GUILESS_MAIN(TestProducts)
#include "tst_products.moc"

void TestProducts::layerProductsAreTheStepsProducts_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("variant");
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("batch");
    QTest::addColumn<bool>("same");  // false: the step does more (a term with products of its own)
    const int under = int(Variant::Undercomplete), denoising = int(Variant::Denoising), contractive = int(Variant::Contractive);
    QTest::newRow("A, 1 thread, batch 32") << "784-256-[2]-256-784" << under << 1 << 32 << true;
    QTest::newRow("A, 2 threads, batch 64") << "784-256-[2]-256-784" << under << 2 << 64 << true;
    QTest::newRow("A, 2 threads, batch 512") << "784-256-[2]-256-784" << under << 2 << 512 << true;
    QTest::newRow("B, 2 threads, batch 128") << "784-512-128-[32]-128-512-784" << under << 2 << 128 << true;
    QTest::newRow("DAE, 2 threads, batch 100") << "784-[64]-784" << denoising << 2 << 100 << true;
    QTest::newRow("DAE, 2 threads, batch 512") << "784-[64]-784" << denoising << 2 << 512 << true;
    QTest::newRow("CAE, 2 threads, batch 128") << "784-[64]-784" << contractive << 2 << 128 << false;
}

void TestProducts::layerProductsAreTheStepsProducts()
{
    QFETCH(QString, spec);
    QFETCH(int, variant);
    QFETCH(int, threads);
    QFETCH(int, batch);
    QFETCH(bool, same);
    ThreadsGuard guard;
    ThreadPool::instance().setThreads(threads);
    Architecture arch;
    std::string why;
    QVERIFY(Architecture::parseSpec(spec.toStdString(), arch, &why));
    TrainSettings s;
    s.variant = Variant(variant);
    s.batchSize = batch;
    const Dataset data = embeddedMnist();
    Trainer trainer(arch, s, data, 1);
    Matrix X;  // the first layer multiplies digits, as in training (the sparse products where they pay)
    data.range(0, batch, X);
    LayerProducts products(arch, batch, &X);
    trainer.step();  // first steps allocate; count the second
    products.step();

    const uint64_t calls0 = gemmLibraryCalls(), work0 = gemmMultiplyAdds(), sparse0 = sparseMultiplyAdds();
    QVERIFY(!trainer.step().diverged);
    const uint64_t stepCalls = gemmLibraryCalls() - calls0, stepWork = gemmMultiplyAdds() - work0;
    const uint64_t stepSparse = sparseMultiplyAdds() - sparse0;
    products.step();
    const uint64_t productCalls = gemmLibraryCalls() - calls0 - stepCalls, productWork = gemmMultiplyAdds() - work0 - stepWork;
    const uint64_t productSparse = sparseMultiplyAdds() - sparse0 - stepSparse;
    QVERIFY(productCalls > 0);
    // Z and dW of the first layer (784 inputs) run sparse where its Z is large enough (SparseInput.h).
    const long firstOutputs = long(arch.layers().front().out);
    const bool sparse = sparseKernelsBuilt() && firstOutputs >= kMinSparseRows && firstOutputs * batch >= kMinSparseOutputs;
    QCOMPARE(stepSparse, sparse ? uint64_t(2 * 784 * firstOutputs * batch) : uint64_t(0));
    QCOMPARE(productSparse, stepSparse);
    if (same) {
        QCOMPARE(productCalls, stepCalls);
        QCOMPARE(productWork, stepWork);
    } else {
        QVERIFY2(stepWork > productWork, qPrintable(QString("%1 vs %2").arg(stepWork).arg(productWork)));
    }
}

void TestProducts::productCalls_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("batch");
    QTest::addColumn<bool>("digits");  // the first layer multiplies digits (sparse where that pays) or random numbers
    QTest::newRow("A, 1 thread, batch 32, digits") << "784-256-[2]-256-784" << 1 << 32 << true;
    QTest::newRow("B, 2 threads, batch 128, digits") << "784-512-128-[32]-128-512-784" << 2 << 128 << true;
    QTest::newRow("C, 2 threads, batch 512, random") << "784-[64]-784" << 2 << 512 << false;
}

// LayerProducts::calls() names a step's calls in the order step() times them, and their multiply-adds are those
// the step hands to the GEMM and the sparse kernels (aelab-cli bench --product-calls prints them).
void TestProducts::productCalls()
{
    QFETCH(QString, spec);
    QFETCH(int, threads);
    QFETCH(int, batch);
    QFETCH(bool, digits);
    ThreadsGuard guard;
    ThreadPool::instance().setThreads(threads);
    Architecture arch;
    std::string why;
    QVERIFY(Architecture::parseSpec(spec.toStdString(), arch, &why));
    Matrix X;
    embeddedMnist().range(0, batch, X);
    LayerProducts products(arch, batch, digits ? &X : nullptr);
    products.step();
    const std::vector<ProductCall> calls = products.calls();

    // The order: the index when given digits, every layer's Z, then last layer first its dW and (but the first) its dX.
    const auto layers = arch.layers();
    const long L = long(layers.size());
    QCOMPARE(long(calls.size()), (digits ? 1 : 0) + 3 * L - 1);
    size_t i = 0;
    if (digits) QCOMPARE(calls[i++].multiplyAdds, 0.0);
    const auto shape = [&](long l) { return QString("%1→%2  ").arg(layers[size_t(l)].in).arg(layers[size_t(l)].out); };
    for (long l = 0; l < L; ++l, ++i) QVERIFY2(QString::fromStdString(calls[i].name).startsWith(shape(l) + "Z = W X + b"), calls[i].name.c_str());
    for (long l = L - 1; l >= 0; --l) {
        QVERIFY2(QString::fromStdString(calls[i++].name).startsWith(shape(l) + "dW = dZ Xᵀ, db"), calls[i - 1].name.c_str());
        if (l > 0) QCOMPARE(QString::fromStdString(calls[i++].name), shape(l) + "dX = Wᵀ dZ");
    }

    // Their multiply-adds: what a step hands to the GEMM and to the sparse kernels (counted dense).
    const uint64_t work0 = gemmMultiplyAdds(), sparse0 = sparseMultiplyAdds();
    std::vector<double> seconds(calls.size(), 0.0);
    products.step(seconds.data());
    const double stepWork = double(gemmMultiplyAdds() - work0) + double(sparseMultiplyAdds() - sparse0);
    double listed = 0;
    for (const ProductCall &c : products.calls()) listed += c.multiplyAdds;
    QCOMPARE(listed, stepWork);
    const bool sparse = QString::fromStdString(products.calls()[1].name).endsWith("(sparse)");
    QCOMPARE(sparse, sparseMultiplyAdds() > sparse0);

    // Every call timed, each into its own entry: a second timed step adds to each.
    const std::vector<double> once = seconds;
    for (double s : once) QVERIFY(s > 0);
    products.step(seconds.data());
    for (size_t c = 0; c < seconds.size(); ++c) QVERIFY(seconds[c] > once[c]);
}
