// The analysis thread of TrainingWorker (see TrainingWorker.h): the showcase pictures, the 2-D
// codes of the test digits and the test losses, on a copy of the weights.
#include "ui/training/TrainingWorker.h"

#include "ui/training/TrainingWorkerState.h"
#include "ui/training/TestSetCache.h"
#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/losses/Loss.h"
#include "core/nn/Model.h"
#include "core/parallel/ThreadPool.h"
#include "core/train/Corruption.h"

#include <QImage>

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

using training_worker::Clock;
using training_worker::seconds;

namespace {

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
    Eigen::MatrixXf V(k, 2);
    if (k <= 128) {
        const Eigen::MatrixXd C = (Hc.cast<double>() * Hc.cast<double>().transpose());
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(C);
        V.col(0) = es.eigenvectors().col(k - 1).cast<float>();
        V.col(1) = es.eigenvectors().col(k - 2).cast<float>();
    } else {
        if (prev.rows() == k && prev.cols() == 2) V = prev;
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
        if (prev.rows() == k && prev.cols() == 2) sign = V.col(c).dot(prev.col(c)) < 0 ? -1.0f : 1.0f;
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

// ---------------------------------------------------------------------------------------------
// The analysis thread

void TrainingWorker::analysisLoop()
{
    // With an engine pool of several threads (--threads 2) the pictures must not take the pool from
    // the trainer: this thread's products run on this thread.
    ael::ThreadPool::setSerialOnThisThread(true);
#ifdef __linux__
    if (m_opts.analysisNice > 0) setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), m_opts.analysisNice);
#endif
    const auto mseLoss = ael::makeLoss<float>(ael::LossKind::MSE);
    const auto bceLoss = ael::makeLoss<float>(ael::LossKind::BCE);
    ael::ForwardPass<float> pass;
    ael::Matrix X, Xt, Xhat, H, Hc, chunk, codes;
    Eigen::MatrixXf basis;  // the code's PCA directions, kept between jobs
    TestSetCache testSet;  // the whole test set, converted once per data set (keyed by its serial)

    auto publish = [this](std::unique_ptr<Results> r) {
        QMutexLocker lock(&m_mutex);
        if (m_results) m_results->mergeNewer(std::move(*r));
        else m_results = std::move(r);
        m_workCond.wakeAll();
    };

    // PCA-k of what the autoencoder sees (x̃ for the denoising variant), scored against the clean x.
    auto pcaImages = [&](const DataBundle &d, const PcaSummary &p, int k, const ael::Matrix &in, Results &r) {
        Xhat = p.pca.reconstruct(p.pca.project(in, p.cappedK(k)));
        r.pcaReconstructions = toImages(Xhat, d.test->rows, d.test->cols);
        r.rowMse[3] = meanSquaredError(Xhat, X);
        r.pcaOfCorrupted = &in != &X;
    };

    for (;;) {
        std::unique_ptr<Job> job;
        {
            QMutexLocker lock(&m_mutex);
            while (!m_abort && !m_job) m_analysisCond.wait(&m_mutex);
            if (m_abort) return;
            job = std::move(m_job);
            m_analysisBusy = true;
        }
        const auto jobStart = Clock::now();
        const DataBundle &d = *job->data;
        const ael::Dataset &test = *d.test;
        const ael::Model<float> &model = *job->model;
        const int k = model.arch().code;
        auto res = std::make_unique<Results>();
        res->runId = job->runId;
        res->data = &d;

        // The ten showcase digits: original / corrupted / AE / PCA-k.
        test.batch(d.showcase.data(), int(d.showcase.size()), X);
        res->images = true;
        res->originals = toImages(X, test.rows, test.cols);
        const ael::Matrix *input = &X;
        const ael::Corruption &c = job->settings.corruption;
        if (job->settings.variant == ael::Variant::Denoising && c.kind != ael::CorruptionKind::None) {
            ael::Rng rng(0xc0ffee);  // the same noise every time: only the rate changes the picture
            ael::corrupt(X, Xt, c, rng);
            res->corrupted = toImages(Xt, test.rows, test.cols);
            res->rowMse[1] = meanSquaredError(Xt, X);
            input = &Xt;
        }
        model.forward(*input, pass, nullptr);
        res->reconstructions = toImages(pass.output(), test.rows, test.cols);
        res->rowMse[2] = meanSquaredError(pass.output(), X);
        const std::shared_ptr<const PcaSummary> pca = d.pca();
        if (pca) pcaImages(d, *pca, k, *input, *res);

        // The codes of all test digits (and, about once a second, the test loss).
        const ael::Matrix &Xtest = testSet.of(d);
        const int n = int(Xtest.cols());
        if (job->test) {
            H.resize(k, n);
            double sumMse = 0, sumBce = 0;
            constexpr int kChunk = 1000;
            for (int first = 0; first < n; first += kChunk) {
                const int cnt = std::min(kChunk, n - first);
                chunk = Xtest.middleCols(first, cnt);
                model.forward(chunk, pass, nullptr);
                sumMse += double(mseLoss->value(pass.output(), chunk)) * cnt;
                sumBce += double(bceLoss->value(pass.output(), chunk)) * cnt;
                H.middleCols(first, cnt) = pass.h;  // μ for the variational model (no sampler)
                if (m_abort) return;
            }
            res->test = true;
            res->testStep = job->step;
            res->testMse = n ? sumMse / n : 0;
            res->testBce = n ? sumBce / n : 0;
            // Denoising: both scored on the same corrupted test inputs x̃ against the clean x, the
            // comparison the denoising AE is trained for (PCA-k is no denoiser).
            if (job->settings.variant == ael::Variant::Denoising && c.kind != ael::CorruptionKind::None) {
                double aeSum = 0, pcaSum = 0;
                ael::Rng rng(0xd15ea5e);
                for (int first = 0; first < n; first += kChunk) {
                    const int cnt = std::min(kChunk, n - first);
                    chunk = Xtest.middleCols(first, cnt);
                    ael::corrupt(chunk, Xt, c, rng);
                    model.forward(Xt, pass, nullptr);
                    aeSum += double((pass.output() - chunk).squaredNorm());
                    if (pca) pcaSum += double((pca->pca.reconstruct(pca->pca.project(Xt, pca->cappedK(k))) - chunk).squaredNorm());
                    if (m_abort) return;
                }
                const double count = double(n) * double(Xtest.rows());
                res->testMseNoisy = count > 0 ? aeSum / count : -1;
                res->pcaTestMseNoisy = pca && count > 0 ? pcaSum / count : -1;
            }
        } else {
            model.encode(Xtest, H);
        }
        if (m_abort) return;
        const bool vae = model.arch().variational;
        const QString h = vae ? QStringLiteral("μ") : QStringLiteral("h");
        res->latent = true;
        res->points.resize(n);
        // The frame that maps a point (u, v) back to a code: h = origin + u b1 + v b2 (+ the rest).
        const ael::Vector meanCode = H.rowwise().mean();
        res->mean = QVector<float>(meanCode.data(), meanCode.data() + k);
        res->codes = std::make_shared<const std::vector<float>>(H.data(), H.data() + H.size());
        res->origin = QVector<float>(k, 0.0f);
        res->basis = QVector<float>(2 * k, 0.0f);
        auto unitAxes = [&](int a, int b) {
            res->basis[a] = 1.0f;
            if (b >= 0 && b != a) res->basis[k + b] = 1.0f;
        };
        if (k == 1) {
            for (int j = 0; j < n; ++j) res->points[j] = QPointF(H(0, j), d.testLabels.value(j));
            res->axes = h + QStringLiteral("1 vs class");
            unitAxes(0, -1);
        } else if (k == 2) {
            for (int j = 0; j < n; ++j) res->points[j] = QPointF(H(0, j), H(1, j));
            res->axes = h + QStringLiteral("1 vs ") + h + QStringLiteral("2");
            unitAxes(0, 1);
        } else if (job->latent.mode == LatentConfig::Dims) {
            const int a = std::clamp(job->latent.dimX, 0, k - 1), b = std::clamp(job->latent.dimY, 0, k - 1);
            for (int j = 0; j < n; ++j) res->points[j] = QPointF(H(a, j), H(b, j));
            res->axes = QStringLiteral("%1%2 vs %1%3").arg(h).arg(a + 1).arg(b + 1);
            unitAxes(a, b);
        } else {
            const ael::Vector mean = H.rowwise().mean();
            Hc = H.colwise() - mean;
            basis = topTwoDirections(Hc, basis);
            codes = basis.transpose() * Hc;
            for (int j = 0; j < n; ++j) res->points[j] = QPointF(codes(0, j), codes(1, j));
            res->axes = QStringLiteral("PC1 of the code vs PC2 of the code");
            res->origin = res->mean;
            std::copy(basis.data(), basis.data() + 2 * k, res->basis.begin());
        }
        res->spare = std::move(job->model);
        res->jobSeconds = seconds(Clock::now() - jobStart);
        publish(std::move(res));

        QMutexLocker lock(&m_mutex);
        m_analysisBusy = false;
        m_workCond.wakeAll();
    }
}
