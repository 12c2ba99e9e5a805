#pragma once
// What the training thread sends to the window, by queued signal, at most every ~40–100 ms.
// A plain value type: widgets see Snapshots (and the immutable test set), never the network.
#include <QImage>
#include <QMetaType>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>
#include <vector>

namespace ael {
struct Dataset;
struct TrainSettings;
template <class S> class Model;
}  // namespace ael
struct DataBundle;

/// The training losses averaged over the steps since the previous snapshot.
struct LossPoint {
    qint64 step = 0;
    double epoch = 0;            ///< fractional epochs (step-based x axis alternative)
    double reconstruction = 0;
    QVector<double> terms;       ///< same order as Snapshot::termNames
};

/// A vertical marker on the loss chart: the variant or a setting changed at this step.
struct ChangeMarker {
    qint64 step = 0;
    QString label;               ///< e.g. "→ denoising", "corruption 50 %"
};

struct Snapshot {
    // progress
    qint64 step = 0;
    int epoch = 0;
    double epochProgress = 0;    ///< 0..1 through the current epoch
    double samplesPerSecond = 0;
    double elapsedSeconds = 0;   ///< training time (pauses excluded)
    bool running = false;

    // losses since the last snapshot
    QStringList termNames;       ///< regularizer terms of the current variant, e.g. {"contractive"}
    QVector<LossPoint> losses;
    QVector<ChangeMarker> markers;

    // test-set metrics (refreshed every ~100 ms; valid when testStep > 0)
    qint64 testStep = 0;
    double testMse = 0;
    double testBce = 0;
    double pcaTestMse = 0;       ///< PCA-pcaK on the same test set (the floor line)
    /// Denoising only (else < 0): the test set corrupted by the current C(x̃|x), each reconstruction
    /// scored against the clean x — the AE's g(f(x̃)) and PCA-k of x̃.
    double testMseNoisy = -1, pcaTestMseNoisy = -1;
    int codeSize = 2;
    int pcaK = 0;                ///< components PCA may use: min(k, d, n − 1) (0 while PCA is not fitted)
    bool pcaExact = false;       ///< PCA-pcaK reconstructs the test set exactly (k ≥ d, or ≥ the data's rank)

    // reconstructions: ten fixed test digits, one per class
    QVector<QImage> originals, corrupted, reconstructions, pcaReconstructions;  // 10 each (corrupted may be empty)
    double rowMse[4] = {0, 0, 0, 0};  ///< per row, over these ten images only: original (0), corrupted, AE, PCA-k
    bool pcaOfCorrupted = false; ///< the PCA row reconstructs x̃ (denoising), like the autoencoder

    // latent codes of the test digits (2-D: the code, or a projection when k > 2)
    QVector<QPointF> latent;
    QVector<quint8> labels;      ///< class of each latent point (also of pcaLatent)
    QString latentAxes;          ///< e.g. "h1 vs h2" or "PC1 of the 32-D code vs PC2 of the code" (every Snapshot)
    /// How a point (u, v) of the scatter maps back to a code (for the latent explorer): the points are
    /// p = Bᵀ(h − origin) with B = [b1 b2] (k × 2, orthonormal columns, column-major in latentBasis);
    /// latentMean is the mean code of the test digits. Empty until the first codes arrive.
    QVector<float> latentOrigin, latentBasis, latentMean;
    /// The full codes of the test images (k × n, column-major: column j is image j's code; μ for the
    /// variational model), for the code histogram. Sent with the points; null otherwise.
    std::shared_ptr<const std::vector<float>> testCodes;
    bool variational = false;    ///< draw the prior's 1σ and 2σ circles
    QVector<QPointF> pcaLatent;  ///< the same digits on PC1 and PC2
    double pcaExplained2 = 0;    ///< explained variance ratio of PC1 + PC2

    // the test images, for hover tooltips (immutable, shared)
    std::shared_ptr<const ael::Dataset> testSet;

    QString message;             ///< a divergence or variant-switch report for the status bar

    // The model itself, for drawing, exploring and the filter views: an immutable copy of the weights
    // at `step`, published at the Snapshot rate (never the one the trainer writes). Shared, so a view
    // may keep it as long as it likes; copies of a Snapshot share it.
    std::shared_ptr<const ael::Model<float>> model;
    std::shared_ptr<const ael::TrainSettings> settings;  ///< the settings `model` was trained with
    std::shared_ptr<const DataBundle> data;              ///< train/test halves and the PCA of this run

    // Added by the training worker (ui/TrainingWorker):
    quint64 runId = 0;           ///< grows with every reset; the window drops Snapshots of older runs
    QString variant;             ///< the variant being trained, e.g. "denoising"
    bool bceLoss = false;        ///< the reconstruction loss L is binary cross-entropy (else MSE)
    QString architecture;        ///< the model's spec, e.g. "784-256-[2]-256-784"
    QString dataName;            ///< the data set, e.g. "MNIST digits (embedded, 10,000)"
    QString itemNoun = QStringLiteral("digits");  ///< what the images are: "digits", "images"
    qint64 stepsPerEpoch = 0;    ///< batches in one epoch at the current batch size
};

Q_DECLARE_METATYPE(Snapshot)
