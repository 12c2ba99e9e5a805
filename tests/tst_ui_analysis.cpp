// The training worker's Analysis on a small model, every number recomputed here by hand from the
// model's own forward pass: the showcase pictures and their row MSEs, the test losses (also from
// corrupted inputs for the denoising variant), the codes as 2-D points for each way of showing
// them, the abort flag, and how results not yet taken are merged.
#include "ui/training/Analysis.h"
#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/data/Split.h"
#include "core/losses/Loss.h"

#include <QtTest>

namespace {

/// n random 4×4 images in 10 classes, split 4:1 (test: n/5 images, two of each class for n = 100).
std::shared_ptr<const DataBundle> smallBundle(int n = 100)
{
    ael::Dataset d;
    d.name = "random";
    d.rows = d.cols = 4;
    ael::Rng rng(11);
    for (int j = 0; j < n; ++j) {
        for (int p = 0; p < 16; ++p) d.pixels.push_back(uint8_t(rng.below(256)));
        d.labels.push_back(uint8_t(j % 10));
    }
    for (int c = 0; c < 10; ++c) d.classNames.push_back(std::to_string(c));
    return DataBundle::fromSplit(ael::stratifiedSplit(d), QStringLiteral("r"), QStringLiteral("r"));
}

std::unique_ptr<ael::Model<float>> smallModel(const char *spec)
{
    ael::Architecture a;
    std::string err;
    if (!ael::Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    auto m = std::make_unique<ael::Model<float>>(a);
    ael::Rng rng(5);
    m->initialize(rng);
    return m;
}

AnalysisJob job(const std::shared_ptr<const DataBundle> &b, const char *spec, bool test = true)
{
    AnalysisJob j;
    j.runId = 3;
    j.step = 40;
    j.data = b;
    j.model = smallModel(spec);
    j.test = test;
    return j;
}

/// ‖A − B‖²_F / size
double mse(const ael::Matrix &A, const ael::Matrix &B) { return double((A - B).squaredNorm()) / double(A.size()); }

/// Equal up to float round-off (the analysis sums in float per chunk).
bool near(double a, double b) { return qAbs(a - b) <= 1e-5 * qMax(qAbs(a), qAbs(b)); }

}  // namespace

class TestUiAnalysis : public QObject {
    Q_OBJECT
private slots:
    void picturesAndTestLosses();
    void denoisingScoresCorruptedInputsAgainstCleanOnes();
    void codesAsPoints_data();
    void codesAsPoints();
    void abortStopsTheTestPass();
    void mergeKeepsTheNewestOfEachGroup();
};

void TestUiAnalysis::picturesAndTestLosses()
{
    const auto b = smallBundle();
    AnalysisJob j = job(b, "16-[2]-16");
    const ael::Model<float> reference = *j.model;
    Analysis a;
    AnalysisResult r;
    QVERIFY(a.run(j, r));
    QCOMPARE(r.runId, quint64(3));
    QVERIFY(r.spare && !j.model);  // the model copy comes back for reuse
    QCOMPARE(int(b->showcase.size()), 10);
    QVERIFY(r.images);
    QCOMPARE(r.originals.size(), 10);
    QCOMPARE(r.reconstructions.size(), 10);
    QVERIFY(r.corrupted.isEmpty());
    QVERIFY(r.pcaReconstructions.isEmpty());  // no PCA fitted
    ael::Matrix X, T;
    b->test->batch(b->showcase.data(), 10, X);
    ael::ForwardPass<float> pass;
    reference.forward(X, pass);
    QCOMPARE(r.rowMse[2], mse(pass.output(), X));
    QCOMPARE(r.originals[4].pixel(1, 2), qRgb(qRound(X(2 * 4 + 1, 4) * 255), qRound(X(2 * 4 + 1, 4) * 255),
                                            qRound(X(2 * 4 + 1, 4) * 255)));  // image 4, x = 1, y = 2

    b->test->range(0, b->test->size(), T);
    reference.forward(T, pass);
    QVERIFY(r.test);
    QCOMPARE(r.testStep, qint64(40));
    QVERIFY(near(r.testMse, mse(pass.output(), T)));
    QVERIFY(near(r.testBce, double(ael::makeLoss<float>(ael::LossKind::BCE)->value(pass.output(), T))));
    QCOMPARE(r.testMseNoisy, -1.0);  // not denoising
}

void TestUiAnalysis::denoisingScoresCorruptedInputsAgainstCleanOnes()
{
    const auto b = smallBundle();
    AnalysisJob j = job(b, "16-[2]-16");
    j.settings.variant = ael::Variant::Denoising;
    j.settings.corruption = {ael::CorruptionKind::Masking, 1.0};  // every pixel masked: x̃ = 0
    const ael::Model<float> reference = *j.model;
    Analysis a;
    AnalysisResult r;
    QVERIFY(a.run(j, r));
    ael::Matrix X, T;
    b->test->batch(b->showcase.data(), 10, X);
    QCOMPARE(r.corrupted.size(), 10);
    QCOMPARE(r.corrupted[0].pixel(0, 0), qRgb(0, 0, 0));
    QCOMPARE(r.rowMse[1], double(X.squaredNorm()) / double(X.size()));  // ‖0 − x‖² / size
    b->test->range(0, b->test->size(), T);
    ael::ForwardPass<float> pass;
    const ael::Matrix zero = ael::Matrix::Zero(16, T.cols());
    reference.forward(zero, pass);
    QVERIFY(near(r.testMseNoisy, mse(pass.output(), T)));  // g(f(0)) against the clean x
    QCOMPARE(r.pcaTestMseNoisy, -1.0);                 // no PCA fitted
    reference.forward(T, pass);
    QVERIFY(near(r.testMse, mse(pass.output(), T)));  // the plain test MSE stays from the clean x
}

void TestUiAnalysis::codesAsPoints_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("dimX");
    QTest::addColumn<int>("dimY");
    QTest::addColumn<QString>("axes");
    QTest::newRow("k=1: the class on y") << "16-[1]-16" << int(LatentConfig::Pca) << 0 << 0 << "h1 vs class";
    QTest::newRow("k=2: the code itself") << "16-[2]-16" << int(LatentConfig::Pca) << 0 << 0 << "h1 vs h2";
    QTest::newRow("k=4: two units") << "16-[4]-16" << int(LatentConfig::Dims) << 2 << 0 << "h3 vs h1";
    QTest::newRow("k=4: units clamped") << "16-[4]-16" << int(LatentConfig::Dims) << 9 << -1 << "h4 vs h1";
    QTest::newRow("k=4: PCA of the codes") << "16-[4]-16" << int(LatentConfig::Pca) << 0 << 0
                                           << "PC1 of the code vs PC2 of the code";
}

void TestUiAnalysis::codesAsPoints()
{
    QFETCH(QString, spec);
    QFETCH(int, mode);
    QFETCH(int, dimX);
    QFETCH(int, dimY);
    QFETCH(QString, axes);
    const auto b = smallBundle();
    AnalysisJob j = job(b, qPrintable(spec), false);
    j.latent = {LatentConfig::Mode(mode), dimX, dimY};
    ael::Matrix T, H;
    b->test->range(0, b->test->size(), T);
    j.model->encode(T, H);
    Analysis a;
    AnalysisResult r;
    QVERIFY(a.run(j, r));
    QVERIFY(!r.test);
    QCOMPARE(r.axes, axes);
    const int k = int(H.rows()), n = int(H.cols());
    QCOMPARE(r.points.size(), n);
    QCOMPARE(int(r.codes->size()), k * n);
    QCOMPARE((*r.codes)[size_t(k * 7 + k - 1)], H(k - 1, 7));
    // Every point is p = Bᵀ(h − origin) (the class, for k = 1).
    for (int jj : {0, 7, n - 1}) {
        double u = 0, v = 0;
        for (int i = 0; i < k; ++i) {
            u += r.basis[i] * (H(i, jj) - r.origin[i]);
            v += r.basis[k + i] * (H(i, jj) - r.origin[i]);
        }
        QVERIFY2(qAbs(r.points[jj].x() - u) < 1e-4, qPrintable(QString::number(jj)));
        if (k == 1) QCOMPARE(r.points[jj].y(), double(b->testLabels[jj]));
        else QVERIFY2(qAbs(r.points[jj].y() - v) < 1e-4, qPrintable(QString::number(jj)));
    }
    if (axes.startsWith(QLatin1String("PC"))) {  // orthonormal directions, the mean code as origin
        double b1 = 0, b2 = 0, b12 = 0;
        for (int i = 0; i < k; ++i) {
            b1 += r.basis[i] * r.basis[i];
            b2 += r.basis[k + i] * r.basis[k + i];
            b12 += r.basis[i] * r.basis[k + i];
            QCOMPARE(r.origin[i], r.mean[i]);
        }
        QVERIFY(qAbs(b1 - 1) < 1e-4 && qAbs(b2 - 1) < 1e-4 && qAbs(b12) < 1e-4);
    }
}

void TestUiAnalysis::abortStopsTheTestPass()
{
    const auto b = smallBundle();
    AnalysisJob j = job(b, "16-[2]-16");
    std::atomic<bool> abort{true};
    Analysis a;
    AnalysisResult r;
    QVERIFY(!a.run(j, r, &abort));
    QVERIFY(!r.test && !r.latent);
}

void TestUiAnalysis::mergeKeepsTheNewestOfEachGroup()
{
    AnalysisResult old;
    old.runId = 1;
    old.test = true;
    old.testMse = 0.5;
    old.images = true;
    old.rowMse[2] = 0.4;
    AnalysisResult newer;
    newer.runId = 1;
    newer.images = true;
    newer.rowMse[2] = 0.2;
    old.mergeNewer(std::move(newer));
    QVERIFY(old.test && old.images);
    QCOMPARE(old.testMse, 0.5);  // kept: the newer one had no test losses
    QCOMPARE(old.rowMse[2], 0.2);
    AnalysisResult otherRun;
    otherRun.runId = 2;
    otherRun.latent = true;
    old.mergeNewer(std::move(otherRun));
    QCOMPARE(old.runId, quint64(2));
    QVERIFY(old.latent && !old.test && !old.images);  // nothing of run 1 is kept
}

QTEST_MAIN(TestUiAnalysis)
#include "tst_ui_analysis.moc"
