#pragma once
// Private to the training worker (ui/TrainingWorker.cpp, ui/TrainingLoop.cpp, ui/TrainingAnalysis.cpp):
// what the trainer thread hands to the analysis thread, what comes back, and the trainer thread's
// locals. Not for widgets: it brings in the engine (and Eigen).
#include "ui/training/TrainingWorker.h"

#include "core/nn/Model.h"
#include "core/train/Trainer.h"

#include <QImage>
#include <QPointF>
#include <QStringList>
#include <QVector>

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <utility>
#include <vector>

namespace training_worker {

using Clock = std::chrono::steady_clock;

inline double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace training_worker

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
    bool pcaOfCorrupted = false;

    bool latent = false;
    QVector<QPointF> points;
    QString axes;
    QVector<float> origin, basis, mean;  // see Snapshot::latentOrigin
    std::shared_ptr<const std::vector<float>> codes;  // see Snapshot::testCodes

    bool test = false;
    qint64 testStep = 0;
    double testMse = 0, testBce = 0;
    double testMseNoisy = -1, pcaTestMseNoisy = -1;  // denoising: from x̃ (see Snapshot)

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
    training_worker::Clock::time_point markerLast;

    // training time and throughput
    double seconds = 0;
    qint64 samples = 0;
    std::deque<std::pair<double, qint64>> rateWindow;
    bool wasTraining = false;
    training_worker::Clock::time_point lastIterEnd;
    bool lastRunning = false;

    // snapshots and analysis jobs
    bool emitWanted = false;
    training_worker::Clock::time_point lastEmit, lastJob, lastTest;
    double jobSeconds = 0;  // what the last analysis job took
    bool jobWanted = false, testWanted = false;
    std::unique_ptr<ael::Model<float>> spare;

    // the model as the window sees it: an immutable copy, renewed when the weights changed
    std::shared_ptr<const ael::Model<float>> published;
    std::shared_ptr<const ael::TrainSettings> publishedSettings;
    qint64 publishedStep = -1;
    bool modelChanged = true;  // a reset or a settings change (a variant switch may rebuild a layer)

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
