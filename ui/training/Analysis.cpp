// The showcase pictures, the 2-D codes of the test images and the test losses, on a copy of the
// weights (see Analysis.h).
#include "ui/training/Analysis.h"

#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/losses/Loss.h"
#include "core/train/CorruptedPass.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace {

constexpr int kChunk = 1000;  // test images per pass of the analysis

QImage toImage(const float *pixels, int rows, int cols)
{
    QImage img(cols, rows, QImage::Format_Grayscale8);
    for (int y = 0; y < rows; ++y) {
        uchar *line = img.scanLine(y);
        for (int x = 0; x < cols; ++x)
            line[x] = uchar(std::lround(std::clamp(pixels[y * cols + x], 0.0f, 1.0f) * 255.0f));
    }
    return img;
}

QVector<QImage> toImages(const ael::Matrix &X, int rows, int cols)
{
    QVector<QImage> out;
    out.reserve(X.cols());
    for (Eigen::Index j = 0; j < X.cols(); ++j) out.push_back(toImage(X.col(j).data(), rows, cols));
    return out;
}

/// MSE = ‖A − B‖²_F / (rows · cols)
double meanSquaredError(const ael::Matrix &A, const ael::Matrix &B)
{
    return A.size() ? double((A - B).squaredNorm()) / double(A.size()) : 0.0;
}

/// The top two principal directions (k x 2) of the centred codes Hc (k x n). Small k: exactly;
/// large k: subspace iteration warm-started from `prev`. Signs follow `prev` so the picture does
/// not flip between snapshots.
Eigen::MatrixXf topTwoDirections(const ael::Matrix &Hc, const Eigen::MatrixXf &prev)
{
    const Eigen::Index k = Hc.rows();
    const bool warm = prev.rows() == k && prev.cols() == 2;
    Eigen::MatrixXf V(k, 2);
    if (k <= 128) {
        const Eigen::MatrixXd C = (Hc.cast<double>() * Hc.cast<double>().transpose());
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(C);
        V.col(0) = es.eigenvectors().col(k - 1).cast<float>();
        V.col(1) = es.eigenvectors().col(k - 2).cast<float>();
    } else {
        if (warm) V = prev;
        else {
            ael::Rng rng(0x1a7e);
            for (Eigen::Index i = 0; i < V.size(); ++i) V.data()[i] = float(rng.normal());
        }
        for (int it = 0; it < 12; ++it) {
            const Eigen::MatrixXf W = Hc * (Hc.transpose() * V);
            Eigen::HouseholderQR<Eigen::MatrixXf> qr(W);
            V = qr.householderQ() * Eigen::MatrixXf::Identity(k, 2);
        }
    }
    for (int c = 0; c < 2; ++c) {
        float sign = 1;
        if (warm) sign = V.col(c).dot(prev.col(c)) < 0 ? -1.0f : 1.0f;
        else {
            Eigen::Index i = 0;
            V.col(c).cwiseAbs().maxCoeff(&i);
            sign = V(i, c) < 0 ? -1.0f : 1.0f;
        }
        V.col(c) *= sign;
    }
    return V;
}

}  // namespace

struct Analysis::Buffers {
    std::unique_ptr<ael::Loss<float>> mse = ael::makeLoss<float>(ael::LossKind::MSE);
    std::unique_ptr<ael::Loss<float>> bce = ael::makeLoss<float>(ael::LossKind::BCE);
    ael::ForwardPass<float> pass;
    ael::Matrix X, Xt, Xhat, H, Hc, chunk, projected;
    Eigen::MatrixXf basis;  // the code's PCA directions, kept between jobs (no sign flips)
};

Analysis::Analysis() : m_b(std::make_unique<Buffers>()) {}
Analysis::~Analysis() = default;

bool Analysis::run(AnalysisJob &job, AnalysisResult &out, const std::atomic<bool> *abort)
{
    const auto start = std::chrono::steady_clock::now();
    out.runId = job.runId;
    pictures(job, out);
    if (job.test ? !testLosses(job, out, abort) : !testCodes(job, abort)) return false;
    if (abort && *abort) return false;
    codes(job, out);
    out.spare = std::move(job.model);
    out.jobSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return true;
}

// The ten showcase images: original x, corrupted x̃ (denoising), the AE's g(f(x̃)) and PCA-k of what the
// AE sees; each row's MSE against the clean x.
void Analysis::pictures(const AnalysisJob &job, AnalysisResult &r)
{
    Buffers &b = *m_b;
    const DataBundle &d = *job.data;
    const ael::Dataset &test = *d.test;
    d.test->batch(d.showcase.data(), int(d.showcase.size()), b.X);
    r.images = true;
    r.originals = toImages(b.X, test.rows, test.cols);
    const ael::Matrix *input = &b.X;
    if (job.settings.corruptsInputs()) {
        ael::Rng rng(0xc0ffee);  // the same noise every time: only the rate changes the picture
        ael::corrupt(b.X, b.Xt, job.settings.corruption, rng);
        r.corrupted = toImages(b.Xt, test.rows, test.cols);
        r.rowMse[1] = meanSquaredError(b.Xt, b.X);
        input = &b.Xt;
    }
    job.model->forward(*input, b.pass, nullptr);
    r.reconstructions = toImages(b.pass.output(), test.rows, test.cols);
    r.rowMse[2] = meanSquaredError(b.pass.output(), b.X);
    if (const std::shared_ptr<const PcaSummary> p = d.pca()) {
        b.Xhat = p->pca.reconstruct(p->pca.project(*input, p->cappedK(job.model->arch().code)));
        r.pcaReconstructions = toImages(b.Xhat, test.rows, test.cols);
        r.rowMse[3] = meanSquaredError(b.Xhat, b.X);
        r.pcaOfCorrupted = input != &b.X;
    }
}

// The test set is read in chunks of kChunk images, each converted from bytes when it is needed: a float
// copy of the whole test half (31 MB for 10,000 images) and passes over all of it at once (the encoder's
// caches for 10,000 columns) kept ~30 MB more resident for nothing.
bool Analysis::testCodes(const AnalysisJob &job, const std::atomic<bool> *abort)
{
    Buffers &b = *m_b;
    const ael::Dataset &test = *job.data->test;
    const int n = test.size();
    b.H.resize(job.model->arch().code, n);
    for (int first = 0; first < n; first += kChunk) {
        const int cnt = std::min(kChunk, n - first);
        test.range(first, cnt, b.chunk);
        job.model->encode(b.chunk, b.Hc);
        b.H.middleCols(first, cnt) = b.Hc;
        if (abort && *abort) return false;
    }
    return true;
}

// The test set: its mean MSE and BCE, its codes into H (μ for the variational model) and, denoising, the
// AE's and PCA-k's MSE from corrupted x̃ against the clean x (the comparison the denoising AE is trained
// for; PCA-k is no denoiser).
bool Analysis::testLosses(const AnalysisJob &job, AnalysisResult &r, const std::atomic<bool> *abort)
{
    Buffers &b = *m_b;
    const ael::Model<float> &model = *job.model;
    const ael::Dataset &test = *job.data->test;
    const int k = model.arch().code, n = test.size();
    b.H.resize(k, n);
    double sumMse = 0, sumBce = 0;
    for (int first = 0; first < n; first += kChunk) {
        const int cnt = std::min(kChunk, n - first);
        test.range(first, cnt, b.chunk);
        model.forward(b.chunk, b.pass, nullptr);
        sumMse += double(b.mse->value(b.pass.output(), b.chunk)) * cnt;
        sumBce += double(b.bce->value(b.pass.output(), b.chunk)) * cnt;
        b.H.middleCols(first, cnt) = b.pass.h;
        if (abort && *abort) return false;
    }
    r.test = true;
    r.testStep = job.step;
    r.testMse = n ? sumMse / n : 0;
    r.testBce = n ? sumBce / n : 0;
    if (!job.settings.corruptsInputs()) return true;
    const std::shared_ptr<const PcaSummary> pca = job.data->pca();
    double aeSum = 0, pcaSum = 0;
    // The x̃ of Trainer::evaluate, so aelab-cli eval gives the same number.
    const bool done = ael::forEachCorruptedChunk(test, n, job.settings.corruption, b.chunk, b.Xt, [&](const ael::Matrix &X, const ael::Matrix &Xt) {
        model.forward(Xt, b.pass, nullptr);
        aeSum += double((b.pass.output() - X).squaredNorm());
        if (pca) pcaSum += double((pca->pca.reconstruct(pca->pca.project(Xt, pca->cappedK(k))) - X).squaredNorm());
        return !(abort && *abort);
    });
    if (!done) return false;
    const double count = double(n) * double(test.dim());
    r.testMseNoisy = count > 0 ? aeSum / count : -1;
    r.pcaTestMseNoisy = pca && count > 0 ? pcaSum / count : -1;
    return true;
}

// The codes H (k × n) as points. The frame maps a point (u, v) back to a code:
// h = origin + u b1 + v b2 (+ the rest); for k > 2 the default is the codes' own PCA.
void Analysis::codes(const AnalysisJob &job, AnalysisResult &r)
{
    Buffers &b = *m_b;
    const ael::Matrix &H = b.H;
    const int k = int(H.rows()), n = int(H.cols());
    const QVector<quint8> &labels = job.data->testLabels;
    const QString h = job.model->arch().variational ? QStringLiteral("μ") : QStringLiteral("h");
    r.latent = true;
    r.points.resize(n);
    const ael::Vector meanCode = H.rowwise().mean();
    r.mean = QVector<float>(meanCode.data(), meanCode.data() + k);
    r.codes = std::make_shared<const std::vector<float>>(H.data(), H.data() + H.size());
    r.origin = QVector<float>(k, 0.0f);
    r.basis = QVector<float>(2 * k, 0.0f);
    auto axes = [&](int a, int c) {  // unit vectors; c < 0: the class on the y axis
        r.basis[a] = 1.0f;
        if (c >= 0 && c != a) r.basis[k + c] = 1.0f;
        for (int j = 0; j < n; ++j) r.points[j] = QPointF(H(a, j), c < 0 ? double(labels.value(j)) : double(H(c, j)));
    };
    if (k == 1) {
        axes(0, -1);
        r.axes = h + QStringLiteral("1 vs class");
    } else if (k == 2) {
        axes(0, 1);
        r.axes = h + QStringLiteral("1 vs ") + h + QStringLiteral("2");
    } else if (job.latent.mode == LatentConfig::Dims) {
        const int a = std::clamp(job.latent.dimX, 0, k - 1), c = std::clamp(job.latent.dimY, 0, k - 1);
        axes(a, c);
        r.axes = QStringLiteral("%1%2 vs %1%3").arg(h).arg(a + 1).arg(c + 1);
    } else {
        b.Hc = H.colwise() - meanCode;
        b.basis = topTwoDirections(b.Hc, b.basis);
        b.projected = b.basis.transpose() * b.Hc;  // p = Bᵀ(h − mean)
        for (int j = 0; j < n; ++j) r.points[j] = QPointF(b.projected(0, j), b.projected(1, j));
        r.axes = QStringLiteral("PC1 of the code vs PC2 of the code");
        r.origin = r.mean;
        std::copy(b.basis.data(), b.basis.data() + 2 * k, r.basis.begin());
    }
}

void AnalysisResult::mergeNewer(AnalysisResult &&n)
{
    if (n.spare) spare = std::move(n.spare);
    jobSeconds = n.jobSeconds;
    if (n.runId != runId) {  // a different run: nothing of the old one is worth keeping
        images = latent = test = false;
        runId = n.runId;
    }
    if (n.images) {
        images = true;
        originals = std::move(n.originals);
        corrupted = std::move(n.corrupted);
        reconstructions = std::move(n.reconstructions);
        pcaReconstructions = std::move(n.pcaReconstructions);
        std::copy(n.rowMse, n.rowMse + 4, rowMse);
        pcaOfCorrupted = n.pcaOfCorrupted;
    }
    if (n.latent) {
        latent = true;
        points = std::move(n.points);
        axes = std::move(n.axes);
        origin = std::move(n.origin);
        basis = std::move(n.basis);
        mean = std::move(n.mean);
        codes = std::move(n.codes);
    }
    if (n.test) {
        test = true;
        testStep = n.testStep;
        testMse = n.testMse;
        testBce = n.testBce;
        testMseNoisy = n.testMseNoisy;
        pcaTestMseNoisy = n.pcaTestMseNoisy;
    }
}
