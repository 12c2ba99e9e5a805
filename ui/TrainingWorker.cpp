#include "TrainingWorker.h"

#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/losses/Loss.h"
#include "core/nn/Model.h"
#include "core/parallel/ThreadPool.h"
#include "core/train/Corruption.h"
#include "core/train/Trainer.h"

#include <QDeadlineTimer>
#include <QImage>
#include <QMetaObject>

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <exception>

#ifdef __linux__
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

using Clock = std::chrono::steady_clock;

namespace {

constexpr double kMarkerSettleSeconds = 0.3;  // a slider drag becomes one marker once it rests

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

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

QString num(double v) { return QString::number(v, 'g', 2); }

// What a settings change touched, one bit a field. Slider-like fields settle before they become a
// marker (a drag is one marker); the others make a marker at once.
enum ChangeBit : unsigned {
    kVariant = 1, kLoss = 2, kOptimizer = 4, kLearningRate = 8, kMomentum = 16, kBatch = 32, kShuffle = 64,
    kCorruptionKind = 128, kCorruptionRate = 256, kSparsity = 512, kSparsityWeight = 1024, kSparsityTarget = 2048,
    kContractive = 4096, kBeta = 8192
};
constexpr unsigned kSettlingFields =
    kLearningRate | kMomentum | kCorruptionRate | kSparsityWeight | kSparsityTarget | kContractive | kBeta;

/// The short label of a ChangeMarker: what differs between two settings ("" if nothing); *mask
/// gets the ChangeBits.
QString describeChange(const ael::TrainSettings &a, const ael::TrainSettings &b, unsigned *mask = nullptr)
{
    QStringList parts;
    unsigned m = 0;
    auto add = [&](unsigned bit, const QString &label) {
        m |= bit;
        parts << label;
    };
    if (a.variant != b.variant) add(kVariant, QStringLiteral("→ %1").arg(ael::toString(b.variant)));
    if (a.loss != b.loss) add(kLoss, QStringLiteral("loss %1").arg(QString(ael::toString(b.loss)).toUpper()));
    if (a.optimizer != b.optimizer) add(kOptimizer, QString(ael::toString(b.optimizer)));
    if (a.opt.learningRate != b.opt.learningRate) add(kLearningRate, QStringLiteral("lr %1").arg(num(b.opt.learningRate)));
    if (a.opt.momentum != b.opt.momentum) add(kMomentum, QStringLiteral("momentum %1").arg(num(b.opt.momentum)));
    if (a.batchSize != b.batchSize) add(kBatch, QStringLiteral("batch %1").arg(b.batchSize));
    if (a.shuffle != b.shuffle) add(kShuffle, b.shuffle ? QStringLiteral("shuffle") : QStringLiteral("no shuffle"));
    if (a.corruption.kind != b.corruption.kind) add(kCorruptionKind, QString(ael::toString(b.corruption.kind)));
    if (a.corruption.rate != b.corruption.rate)
        add(kCorruptionRate, b.corruption.kind == ael::CorruptionKind::Gaussian
                                 ? QStringLiteral("σ %1").arg(num(b.corruption.rate))
                                 : QStringLiteral("corruption %1 %").arg(std::lround(100 * b.corruption.rate)));
    if (a.sparsity != b.sparsity) add(kSparsity, QString(ael::toString(b.sparsity)).toUpper());
    if (a.sparsityWeight != b.sparsityWeight) add(kSparsityWeight, QStringLiteral("Ω weight %1").arg(num(b.sparsityWeight)));
    if (a.sparsityTarget != b.sparsityTarget) add(kSparsityTarget, QStringLiteral("ρ %1").arg(num(b.sparsityTarget)));
    if (a.contractiveLambda != b.contractiveLambda) add(kContractive, QStringLiteral("λ %1").arg(num(b.contractiveLambda)));
    if (a.beta != b.beta) add(kBeta, QStringLiteral("β %1").arg(num(b.beta)));
    if (mask) *mask = m;
    return parts.join(QStringLiteral(", "));
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
// What the trainer thread hands to the analysis thread, and what comes back.

struct TrainingWorker::Job {
    quint64 runId = 0;
    qint64 step = 0;
    std::shared_ptr<const DataBundle> data;
    std::unique_ptr<ael::Model<float>> model;  // a copy of the weights at `step`
    ael::TrainSettings settings;
    LatentConfig latent;
    bool test = false;
};

struct TrainingWorker::Results {
    quint64 runId = 0;
    const DataBundle *data = nullptr;
    std::unique_ptr<ael::Model<float>> spare;  // the job's model, back for reuse
    double jobSeconds = 0;                     // how long the job took

    bool images = false;
    QVector<QImage> originals, corrupted, reconstructions, pcaReconstructions;
    double rowMse[4] = {0, 0, 0, 0};

    bool latent = false;
    QVector<QPointF> points;
    QString axes;

    bool test = false;
    qint64 testStep = 0;
    double testMse = 0, testBce = 0;

    /// Newer results override older ones field group by field group.
    void mergeNewer(Results &&n)
    {
        if (n.spare) spare = std::move(n.spare);
        jobSeconds = n.jobSeconds;
        if (n.runId != runId) {  // a different run: nothing of the old one is worth keeping
            images = latent = test = false;
            runId = n.runId;
        }
        data = n.data;
        if (n.images) {
            images = true;
            originals = std::move(n.originals);
            corrupted = std::move(n.corrupted);
            reconstructions = std::move(n.reconstructions);
            pcaReconstructions = std::move(n.pcaReconstructions);
            std::copy(n.rowMse, n.rowMse + 4, rowMse);
        }
        if (n.latent) {
            latent = true;
            points = std::move(n.points);
            axes = std::move(n.axes);
        }
        if (n.test) {
            test = true;
            testStep = n.testStep;
            testMse = n.testMse;
            testBce = n.testBce;
        }
    }
};

// The trainer thread's locals.
struct TrainingWorker::Engine {
    std::unique_ptr<ael::Trainer> trainer;
    std::shared_ptr<const DataBundle> data;  // outlives the trainer that refers to it
    quint64 run = 0, seenReset = 0, seenSettings = 0, seenLatent = 0;
    LatentConfig latent;

    // losses since the last snapshot
    QStringList termNames;
    double accRec = 0;
    std::vector<double> accTerms;
    int accN = 0;
    qint64 accStep = 0;
    double accEpoch = 0;
    QVector<LossPoint> losses;
    QVector<ChangeMarker> markers;
    QStringList messages;

    // a setting change becomes a marker once the controls rest
    bool markerPending = false;
    unsigned markerMask = 0;
    ael::TrainSettings markerBase;
    qint64 markerStep = 0;
    Clock::time_point markerLast;

    // training time and throughput
    double seconds = 0;
    qint64 samples = 0;
    std::deque<std::pair<double, qint64>> rateWindow;
    bool wasTraining = false;
    Clock::time_point lastIterEnd;
    bool lastRunning = false;

    // snapshots and analysis jobs
    bool emitWanted = false;
    Clock::time_point lastEmit, lastJob, lastTest;
    double jobSeconds = 0;  // what the last analysis job took
    bool jobWanted = false, testWanted = false;
    std::unique_ptr<ael::Model<float>> spare;

    // the latest analysis results (sticky) and what the views have not seen yet
    Results vis;
    bool imagesDirty = false, latentDirty = false, pcaDirty = false;
    std::shared_ptr<const PcaSummary> pca;

    double samplesPerSecond() const
    {
        if (rateWindow.size() < 2) return 0;
        const auto &[t0, n0] = rateWindow.front();
        const auto &[t1, n1] = rateWindow.back();
        return t1 > t0 ? double(n1 - n0) / (t1 - t0) : 0;
    }

    void flushPoint()
    {
        if (accN == 0) return;
        LossPoint p;
        p.step = accStep;
        p.epoch = accEpoch;
        p.reconstruction = accRec / accN;
        for (double t : accTerms) p.terms.push_back(t / accN);
        losses.push_back(std::move(p));
        accRec = 0;
        std::fill(accTerms.begin(), accTerms.end(), 0.0);
        accN = 0;
    }
};

// ---------------------------------------------------------------------------------------------

TrainingWorker::TrainingWorker(QObject *parent) : TrainingWorker(Options{}, parent) {}

TrainingWorker::TrainingWorker(const Options &o, QObject *parent) : QObject(parent), m_opts(o)
{
    qRegisterMetaType<Snapshot>();
    qRegisterMetaType<ael::TrainSettings>();
}

TrainingWorker::~TrainingWorker() { stop(); }

void TrainingWorker::start()
{
    if (m_trainThread.joinable()) return;
    m_abort = false;
    // The engine's pool is process-wide. With 1 thread (the default) each of our two threads runs
    // its products itself and the second core stays free for the analysis and the GUI.
    ael::ThreadPool::instance().setThreads(m_opts.trainThreads);
    m_trainThread = std::thread([this] {
#ifdef __linux__
        pthread_setname_np(pthread_self(), "aelab-train");  // for top -H and --measure-latency
#endif
        trainLoop();
    });
    m_analysisThread = std::thread([this] {
#ifdef __linux__
        pthread_setname_np(pthread_self(), "aelab-analysis");
#endif
        analysisLoop();
    });
}

void TrainingWorker::stop()
{
    m_abort = true;
    {
        QMutexLocker lock(&m_mutex);
        m_workCond.wakeAll();
        m_analysisCond.wakeAll();
    }
    if (m_trainThread.joinable()) m_trainThread.join();
    if (m_analysisThread.joinable()) m_analysisThread.join();
}

quint64 TrainingWorker::reset(std::shared_ptr<const DataBundle> data, const ael::Architecture &arch,
                              const ael::TrainSettings &s, quint64 seed)
{
    QMutexLocker lock(&m_mutex);
    m_resetData = std::move(data);
    m_resetArch = arch;
    m_resetSettings = s;
    m_resetSeed = seed;
    ++m_resetGen;
    m_settings = s;  // a reset's settings are also the latest settings
    ++m_settingsGen;
    m_workCond.wakeAll();
    return m_resetGen;
}

quint64 TrainingWorker::setSettings(const ael::TrainSettings &s)
{
    QMutexLocker lock(&m_mutex);
    m_settings = s;
    ++m_settingsGen;
    m_workCond.wakeAll();
    return m_settingsGen;
}

void TrainingWorker::setLatentConfig(const LatentConfig &c)
{
    QMutexLocker lock(&m_mutex);
    m_latent = c;
    ++m_latentGen;
    m_workCond.wakeAll();
}

void TrainingWorker::pcaReady()
{
    QMutexLocker lock(&m_mutex);
    m_pcaPoke = true;
    m_workCond.wakeAll();
}

void TrainingWorker::play()
{
    if (!m_playing.exchange(true)) emit playingChanged(true);
    QMutexLocker lock(&m_mutex);
    m_workCond.wakeAll();
}

void TrainingWorker::pause()
{
    m_stepEpoch = false;
    m_stepBatches = 0;
    if (m_playing.exchange(false)) emit playingChanged(false);
    QMutexLocker lock(&m_mutex);
    m_workCond.wakeAll();
}

void TrainingWorker::stepBatches(int n)
{
    m_stepBatches += std::max(0, n);
    QMutexLocker lock(&m_mutex);
    m_workCond.wakeAll();
}

void TrainingWorker::stepEpoch()
{
    m_stepEpoch = true;
    QMutexLocker lock(&m_mutex);
    m_workCond.wakeAll();
}

ael::TrainSettings TrainingWorker::engineSettings() const
{
    QMutexLocker lock(&m_mutex);
    return m_engSettings;
}
quint64 TrainingWorker::engineSettingsGeneration() const
{
    QMutexLocker lock(&m_mutex);
    return m_engSettingsGen;
}
quint64 TrainingWorker::requestedSettingsGeneration() const
{
    QMutexLocker lock(&m_mutex);
    return m_settingsGen;
}
ael::Architecture TrainingWorker::engineArchitecture() const
{
    QMutexLocker lock(&m_mutex);
    return m_engArch;
}
quint64 TrainingWorker::engineSeed() const
{
    QMutexLocker lock(&m_mutex);
    return m_engSeed;
}
quint64 TrainingWorker::engineRunId() const
{
    QMutexLocker lock(&m_mutex);
    return m_engRun;
}
qint64 TrainingWorker::engineStep() const
{
    QMutexLocker lock(&m_mutex);
    return m_engStep;
}
QString TrainingWorker::engineDataId() const
{
    QMutexLocker lock(&m_mutex);
    return m_engData;
}
double TrainingWorker::trainingSeconds() const
{
    QMutexLocker lock(&m_mutex);
    return m_engSeconds;
}
qint64 TrainingWorker::trainedSamples() const
{
    QMutexLocker lock(&m_mutex);
    return m_engSamples;
}

void TrainingWorker::post(Snapshot s)
{
    ++m_inflight;
    QMetaObject::invokeMethod(
        this,
        [this, s = std::move(s)] {
            emit snapshotReady(s);
            --m_inflight;  // only now: the views' work counts against the worker's pace
            QMutexLocker lock(&m_mutex);
            m_workCond.wakeAll();
        },
        Qt::QueuedConnection);
}

// ---------------------------------------------------------------------------------------------
// The trainer thread

void TrainingWorker::trainLoop()
{
    Engine e;
    const double snapshotInterval = m_opts.snapshotIntervalMs / 1000.0;
    const double visualsInterval = m_opts.visualsIntervalMs / 1000.0;
    const double testInterval = m_opts.testIntervalMs / 1000.0;

    auto postLater = [this](auto fn) { QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection); };

    auto publishEngine = [&] {  // under m_mutex
        if (!e.trainer) return;
        m_engSettings = e.trainer->settings();
        m_engArch = e.trainer->architecture();
        m_engStep = e.trainer->steps();
        m_engSamples = e.samples;
        m_engSeconds = e.seconds;
    };

    auto buildSnapshot = [&](bool running) {
        e.flushPoint();
        Snapshot s;
        const ael::Trainer &t = *e.trainer;
        const ael::Dataset &train = t.data();
        s.runId = e.run;
        s.step = t.steps();
        s.epoch = t.epoch();
        s.epochProgress = train.size() ? double(t.positionInEpoch()) / train.size() : 0.0;
        s.samplesPerSecond = e.samplesPerSecond();
        s.elapsedSeconds = e.seconds;
        s.running = running;
        s.termNames = e.termNames;
        s.losses = std::move(e.losses);
        s.markers = std::move(e.markers);
        e.losses.clear();
        e.markers.clear();
        s.codeSize = t.architecture().code;
        s.variational = t.architecture().variational;
        s.testSet = e.data->test;
        s.labels = e.data->testLabels;
        if (e.vis.test && e.vis.runId == e.run) {
            s.testStep = e.vis.testStep;
            s.testMse = e.vis.testMse;
            s.testBce = e.vis.testBce;
        }
        if (e.pca) {
            s.pcaTestMse = e.pca->testMse(s.codeSize);
            s.pcaExplained2 = e.pca->explained2;
            if (e.pcaDirty) s.pcaLatent = e.pca->testPc12;
            e.pcaDirty = false;
        }
        if (e.imagesDirty && e.vis.images) {
            s.originals = e.vis.originals;
            s.corrupted = e.vis.corrupted;
            s.reconstructions = e.vis.reconstructions;
            s.pcaReconstructions = e.vis.pcaReconstructions;
            std::copy(e.vis.rowMse, e.vis.rowMse + 4, s.rowMse);
        }
        e.imagesDirty = false;
        if (e.latentDirty && e.vis.latent) {
            s.latent = e.vis.points;
            s.latentAxes = e.vis.axes;
        }
        e.latentDirty = false;
        s.message = e.messages.join(QStringLiteral(" · "));
        e.messages.clear();
        s.variant = QString::fromUtf8(ael::toString(t.settings().variant));
        s.architecture = QString::fromStdString(t.architecture().spec());
        s.dataName = e.data->label;
        const int b = std::max(1, t.settings().batchSize);
        s.stepsPerEpoch = (train.size() + b - 1) / b;
        return s;
    };

    auto flushMarker = [&](const ael::TrainSettings &end) {
        e.markerPending = false;
        const QString label = describeChange(e.markerBase, end);
        if (!label.isEmpty()) {
            e.markers.push_back({e.markerStep, label});
            e.emitWanted = true;
        }
    };

    for (;;) {
        bool haveReset = false, haveSettings = false, haveLatent = false, training = false;
        std::shared_ptr<const DataBundle> resetData;
        ael::Architecture resetArch;
        ael::TrainSettings resetSettings, newSettings;
        quint64 resetSeed = 0, resetRun = 0, settingsGen = 0;
        std::unique_ptr<Results> results;
        {
            QMutexLocker lock(&m_mutex);
            for (;;) {
                if (m_abort) return;
                haveReset = m_resetGen != e.seenReset;
                haveSettings = m_settingsGen != e.seenSettings;
                haveLatent = m_latentGen != e.seenLatent;
                training = e.trainer && (m_playing || m_stepBatches > 0 || m_stepEpoch);
                const bool emitReady = e.trainer && e.emitWanted && m_inflight == 0;
                const bool jobReady = e.trainer && e.jobWanted && !m_job && !m_analysisBusy;
                if (haveReset || haveSettings || haveLatent || training || m_results || emitReady || jobReady ||
                    m_pcaPoke)
                    break;
                if (e.markerPending) {
                    const double left = kMarkerSettleSeconds - seconds(Clock::now() - e.markerLast);
                    if (left <= 0) break;
                    m_workCond.wait(&m_mutex, QDeadlineTimer(qint64(left * 1000) + 1));
                } else {
                    m_workCond.wait(&m_mutex);
                }
            }
            if (haveReset) {
                resetData = m_resetData;
                resetArch = m_resetArch;
                resetSettings = m_resetSettings;
                resetSeed = m_resetSeed;
                resetRun = e.seenReset = m_resetGen;
            }
            if (haveSettings) {
                newSettings = m_settings;
                settingsGen = e.seenSettings = m_settingsGen;
            }
            if (haveLatent) {
                e.latent = m_latent;
                e.seenLatent = m_latentGen;
            }
            results = std::move(m_results);
            m_pcaPoke = false;
        }
        const auto now = Clock::now();

        if (haveReset) {
            try {
                if (!resetData || !resetData->train) throw std::invalid_argument("no data set");
                auto t = std::make_unique<ael::Trainer>(resetArch, resetSettings, *resetData->train, resetSeed);
                e.trainer = std::move(t);  // the old trainer goes first, then its data
                e.data = std::move(resetData);
                e.run = resetRun;
                e.termNames.clear();
                e.accTerms.clear();
                e.accN = 0;
                e.losses.clear();
                e.markers.clear();
                e.messages.clear();
                e.markerPending = false;
                e.seconds = 0;
                e.samples = 0;
                e.rateWindow.clear();
                e.wasTraining = false;
                e.vis = Results{};
                e.imagesDirty = e.latentDirty = false;
                e.pca = e.data->pca();
                e.pcaDirty = e.pca != nullptr;
                e.jobWanted = e.testWanted = true;
                e.emitWanted = true;
                QMutexLocker lock(&m_mutex);
                m_engSeed = resetSeed;
                m_engRun = e.run;
                m_engData = e.data->id;
                publishEngine();
            } catch (const std::exception &ex) {
                const QString why = QString::fromUtf8(ex.what());
                postLater([this, resetRun, why] { emit resetFailed(resetRun, why); });
            }
        }

        if (haveSettings && e.trainer) {
            const ael::TrainSettings before = e.trainer->settings();
            const std::string why = e.trainer->setSettings(newSettings);
            if (!why.empty()) {
                // Earlier news (e.g. "switched to sparse") must not arrive after, and hide, the rejection.
                if (!e.messages.isEmpty()) post(buildSnapshot(m_playing || m_stepBatches > 0 || m_stepEpoch));
                const QString reason = QString::fromStdString(why);
                postLater([this, settingsGen, reason] { emit settingsRejected(settingsGen, reason); });
            } else {
                unsigned mask = 0;
                const QString change = describeChange(before, newSettings, &mask);
                if (!change.isEmpty()) {
                    if (before.variant != newSettings.variant) {
                        const bool rebuilt = (before.variant == ael::Variant::Variational) !=
                                             (newSettings.variant == ael::Variant::Variational);
                        const bool vae = newSettings.variant == ael::Variant::Variational;
                        // Trainer::lastSwitchReport() lists every re-initialised tensor; the status bar
                        // gets the gist.
                        e.messages << (rebuilt ? QStringLiteral("switched to %1: every layer kept but the code layer, "
                                                                "which was re-initialised (it now gives %2)")
                                                     .arg(ael::toString(newSettings.variant),
                                                          vae ? QStringLiteral("μ and log σ²") : QStringLiteral("the code h"))
                                               : QStringLiteral("switched to %1").arg(ael::toString(newSettings.variant)));
                    }
                    const bool settles = (mask & ~kSettlingFields) == 0;
                    // A change of another kind closes the open (settling) marker first.
                    if (e.markerPending && (!settles || (mask & ~e.markerMask))) flushMarker(before);
                    if (settles) {
                        if (!e.markerPending) {
                            e.markerPending = true;
                            e.markerBase = before;
                            e.markerStep = e.trainer->steps();
                            e.markerMask = 0;
                        }
                        e.markerMask |= mask;
                        e.markerLast = now;
                    } else {
                        e.markers.push_back({e.trainer->steps(), change});
                    }
                    e.emitWanted = true;
                    e.jobWanted = true;  // corruption and variant show in the pictures at once
                }
            }
            QMutexLocker lock(&m_mutex);
            m_engSettingsGen = settingsGen;
            publishEngine();
        }
        if (haveLatent) e.jobWanted = true;
        if (e.data && !e.pca) {
            if ((e.pca = e.data->pca())) {
                e.pcaDirty = true;
                e.emitWanted = true;
                e.jobWanted = true;  // the pictures again, now with the PCA-k row
            }
        }

        if (results) {
            if (results->spare && !e.spare) e.spare = std::move(results->spare);
            e.jobSeconds = results->jobSeconds;
            if (results->runId == e.run) {
                if (results->images) e.imagesDirty = true;
                if (results->latent) e.latentDirty = true;
                e.vis.mergeNewer(std::move(*results));
                e.emitWanted = true;
            }
        }

        // One mini-batch.
        if (training) {
            const auto t0 = Clock::now();
            const ael::StepResult r = e.trainer->step();
            const auto t1 = Clock::now();
            // Wall time between consecutive batches counts (it includes our own bookkeeping);
            // a gap after a pause does not.
            const double dt = e.wasTraining ? std::min(seconds(t1 - e.lastIterEnd), 0.5) : seconds(t1 - t0);
            e.wasTraining = true;
            e.lastIterEnd = t1;
            int left = m_stepBatches.load();
            while (left > 0 && !m_stepBatches.compare_exchange_weak(left, left - 1)) {
            }
            if (r.diverged) {
                e.messages << QString::fromStdString(r.message);
                m_stepBatches = 0;
                m_stepEpoch = false;
                if (m_playing.exchange(false)) postLater([this] { emit playingChanged(false); });
                e.wasTraining = false;
                e.emitWanted = e.jobWanted = e.testWanted = true;
            } else {
                e.seconds += dt;
                e.samples += r.batchSize;
                e.rateWindow.emplace_back(e.seconds, e.samples);
                while (e.rateWindow.size() > 2 && e.rateWindow.back().first - e.rateWindow.front().first > 1.5)
                    e.rateWindow.pop_front();
                QStringList names;
                for (const ael::TermValue &tv : r.terms) names << QString::fromStdString(tv.name);
                if (names != e.termNames) {
                    // One Snapshot carries one list of term names: send what was averaged so far.
                    if (e.accN > 0 || !e.losses.isEmpty()) post(buildSnapshot(true));
                    e.termNames = names;
                    e.accTerms.assign(size_t(names.size()), 0.0);
                }
                e.accRec += r.reconstruction;
                for (size_t i = 0; i < r.terms.size(); ++i) e.accTerms[i] += r.terms[i].value;
                ++e.accN;
                e.accStep = r.step;
                const int n = e.trainer->data().size();
                e.accEpoch = r.epoch + (n ? double(e.trainer->positionInEpoch()) / n : 0.0);
                if (r.epochEnded) m_stepEpoch = false;
                e.emitWanted = true;
                QMutexLocker lock(&m_mutex);
                publishEngine();
            }
        } else {
            e.wasTraining = false;
        }
        const bool stillTraining = e.trainer && (m_playing || m_stepBatches > 0 || m_stepEpoch);
        if (e.trainer && stillTraining != e.lastRunning) {
            e.lastRunning = stillTraining;
            e.emitWanted = true;
            if (!stillTraining) e.jobWanted = e.testWanted = true;  // show the final state of a step
        }

        // A setting change that has rested becomes a marker.
        const auto after = Clock::now();
        if (e.markerPending && seconds(after - e.markerLast) >= kMarkerSettleSeconds && e.trainer)
            flushMarker(e.trainer->settings());

        if (!e.trainer) continue;

        // Hand fresh weights to the analysis thread.
        // Big models and data sets make a job slower: then jobs come less often, so the analysis
        // thread keeps to about a third of a core.
        const bool jobDue = e.jobWanted ||
                            (stillTraining && seconds(after - e.lastJob) >= std::max(visualsInterval, 3 * e.jobSeconds));
        if (jobDue) {
            bool free = false;
            {
                QMutexLocker lock(&m_mutex);
                free = !m_job && !m_analysisBusy;
            }
            if (free) {  // only this thread creates jobs, so it stays free
                auto job = std::make_unique<Job>();
                const ael::Model<float> &m = e.trainer->model();
                if (e.spare && e.spare->arch() == m.arch()) e.spare->adoptWeights(m);
                else e.spare = std::make_unique<ael::Model<float>>(m);
                job->model = std::move(e.spare);
                job->runId = e.run;
                job->step = e.trainer->steps();
                job->data = e.data;
                job->settings = e.trainer->settings();
                job->latent = e.latent;
                job->test = e.testWanted || seconds(after - e.lastTest) >= testInterval;
                if (job->test) {
                    e.lastTest = after;
                    e.testWanted = false;
                }
                e.lastJob = after;
                e.jobWanted = false;
                QMutexLocker lock(&m_mutex);
                m_job = std::move(job);
                m_analysisCond.wakeOne();
            }
        }

        // Send a Snapshot: at most one per interval, none while the last one is unread.
        if (e.emitWanted && m_inflight == 0 &&
            (!stillTraining || seconds(after - e.lastEmit) >= snapshotInterval)) {
            e.lastEmit = after;
            e.emitWanted = false;
            post(buildSnapshot(stillTraining));
        }
    }
}

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
    const DataBundle *testOf = nullptr;
    ael::Matrix Xtest;  // the whole test set, converted once per data set

    auto publish = [this](std::unique_ptr<Results> r) {
        QMutexLocker lock(&m_mutex);
        if (m_results) m_results->mergeNewer(std::move(*r));
        else m_results = std::move(r);
        m_workCond.wakeAll();
    };

    auto pcaImages = [&](const DataBundle &d, const PcaSummary &p, int k, Results &r) {  // of X
        const int kk = std::clamp(k, 0, p.pca.dim());
        Xhat = p.pca.reconstruct(p.pca.project(X, kk));
        r.pcaReconstructions = toImages(Xhat, d.test->rows, d.test->cols);
        r.rowMse[3] = meanSquaredError(Xhat, X);
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
        if (pca) pcaImages(d, *pca, k, *res);

        // The codes of all test digits (and, about once a second, the test loss).
        if (testOf != &d) {
            test.range(0, test.size(), Xtest);
            testOf = &d;
        }
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
        } else {
            model.encode(Xtest, H);
        }
        if (m_abort) return;
        const bool vae = model.arch().variational;
        const QString h = vae ? QStringLiteral("μ") : QStringLiteral("h");
        res->latent = true;
        res->points.resize(n);
        if (k == 1) {
            for (int j = 0; j < n; ++j) res->points[j] = QPointF(H(0, j), d.testLabels.value(j));
            res->axes = h + QStringLiteral("1 vs class");
        } else if (k == 2) {
            for (int j = 0; j < n; ++j) res->points[j] = QPointF(H(0, j), H(1, j));
            res->axes = h + QStringLiteral("1 vs ") + h + QStringLiteral("2");
        } else if (job->latent.mode == LatentConfig::Dims) {
            const int a = std::clamp(job->latent.dimX, 0, k - 1), b = std::clamp(job->latent.dimY, 0, k - 1);
            for (int j = 0; j < n; ++j) res->points[j] = QPointF(H(a, j), H(b, j));
            res->axes = QStringLiteral("%1%2 vs %1%3").arg(h).arg(a + 1).arg(b + 1);
        } else {
            const ael::Vector mean = H.rowwise().mean();
            Hc = H.colwise() - mean;
            basis = topTwoDirections(Hc, basis);
            codes = basis.transpose() * Hc;
            for (int j = 0; j < n; ++j) res->points[j] = QPointF(codes(0, j), codes(1, j));
            res->axes = QStringLiteral("PC1 of the %1-D code vs PC2 of the code").arg(k);
        }
        res->spare = std::move(job->model);
        res->jobSeconds = seconds(Clock::now() - jobStart);
        publish(std::move(res));

        QMutexLocker lock(&m_mutex);
        m_analysisBusy = false;
        m_workCond.wakeAll();
    }
}
