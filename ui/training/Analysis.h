#pragma once
// What the training worker's analysis thread computes on a copy of the weights: the ten showcase
// pictures (original / corrupted / AE / PCA-k), the codes of all test images as 2-D points, and (when
// asked) the test losses. A plain class without threads or Qt signals, so a test can run a job on a
// small model and check every number. Private to ui/training (it brings in the engine and Eigen).
#include "ui/training/DataBundle.h"
#include "ui/training/TrainingWorker.h"
#include "core/nn/Model.h"
#include "core/train/Settings.h"

#include <QImage>
#include <QPointF>
#include <QVector>

#include <atomic>
#include <memory>
#include <vector>

/// One piece of work: the weights at `step` of run `runId`.
struct AnalysisJob {
    quint64 runId = 0;
    qint64 step = 0;
    std::shared_ptr<const DataBundle> data;
    std::unique_ptr<ael::Model<float>> model;
    ael::TrainSettings settings;
    LatentConfig latent;
    bool test = false;  ///< also the test losses (a pass over the whole test set, every ~100 ms)
};

/// What comes back. Results not yet taken by the trainer thread are merged: newer groups win.
struct AnalysisResult {
    quint64 runId = 0;
    std::unique_ptr<ael::Model<float>> spare;  ///< the job's model, back for reuse
    double jobSeconds = 0;                     ///< how long the job took

    bool images = false;
    QVector<QImage> originals, corrupted, reconstructions, pcaReconstructions;
    double rowMse[4] = {0, 0, 0, 0};  ///< see Snapshot::rowMse
    bool pcaOfCorrupted = false;

    bool latent = false;
    QVector<QPointF> points;
    QString axes;
    QVector<float> origin, basis, mean;               ///< see Snapshot::latentOrigin
    std::shared_ptr<const std::vector<float>> codes;  ///< see Snapshot::testCodes

    bool test = false;
    qint64 testStep = 0;
    double testMse = 0, testBce = 0;
    double testMseNoisy = -1, pcaTestMseNoisy = -1;  ///< denoising only (see Snapshot)

    /// Newer results override older ones group by group (images, latent, test); another run's
    /// results replace everything.
    void mergeNewer(AnalysisResult &&n);
};

class Analysis {
public:
    Analysis();
    ~Analysis();
    /// Runs `job`. `abort` is polled between chunks of the test set; false if it was set.
    bool run(AnalysisJob &job, AnalysisResult &out, const std::atomic<bool> *abort = nullptr);

private:
    struct Buffers;  // matrices kept between jobs (no allocation per job)
    void pictures(const AnalysisJob &job, AnalysisResult &r);
    bool testLosses(const AnalysisJob &job, AnalysisResult &r, const std::atomic<bool> *abort);
    /// The codes of the whole test set into H, chunk by chunk; false if `abort` was set.
    bool testCodes(const AnalysisJob &job, const std::atomic<bool> *abort);
    void codes(const AnalysisJob &job, AnalysisResult &r);

    std::unique_ptr<Buffers> m_b;
};
