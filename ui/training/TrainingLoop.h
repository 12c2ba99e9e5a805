#pragma once
// Private to TrainingWorker: the trainer thread's state (TrainingLoop.cpp runs it, TrainingSnapshot.cpp
// builds its Snapshots). The contract is at the top of TrainingWorker.h. Brings in the engine (Eigen).
#include "ui/training/Analysis.h"
#include "ui/training/SettingsChange.h"
#include "ui/training/TrainingWorker.h"
#include "core/train/Trainer.h"

#include <QMetaObject>

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <utility>
#include <vector>

namespace training_loop {

using Clock = std::chrono::steady_clock;
inline double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

/// The training losses since the last Snapshot, averaged into one LossPoint.
struct LossAverage {
    QStringList termNames;
    double reconstruction = 0;
    std::vector<double> terms;
    int n = 0;
    qint64 step = 0;
    double epoch = 0;
    bool ordered = false;       // one of the n batches was ordered (→, Shift+→), not played
    int lastN = 0;              // the batches of the last point
    QVector<LossPoint> points;  // averaged, not yet sent

    void add(const ael::StepResult &r, double fractionalEpoch, bool orderedStep)
    {
        reconstruction += r.reconstruction;
        for (size_t i = 0; i < r.terms.size(); ++i) terms[i] += r.terms[i].value;
        ++n;
        step = r.step;
        epoch = fractionalEpoch;
        ordered |= orderedStep;
    }
    /// A pause between two points leaves the batches played since the last one: when they are fewer than
    /// half of its batches they wait for the next point. The mean of a few batches is several times noisier
    /// than a point's (σ/√n) and showed as a jump at the end of the curve whenever training was paused.
    bool thin() const { return n > 0 && !ordered && 2 * n < lastN; }
    void flush()  // the mean of what was added: Σ loss / n
    {
        if (n == 0) return;
        LossPoint p{step, epoch, reconstruction / n, {}};
        for (double t : terms) p.terms.push_back(t / n);
        points.push_back(std::move(p));
        reconstruction = 0;
        std::fill(terms.begin(), terms.end(), 0.0);
        lastN = n;
        n = 0;
        ordered = false;
    }
};

/// Samples per second over the last ~1.5 s of training time.
struct Throughput {
    double seconds = 0;  // training time of the run (pauses excluded)
    qint64 samples = 0;
    std::deque<std::pair<double, qint64>> window;

    void add(double dt, int batch)
    {
        seconds += dt;
        samples += batch;
        window.emplace_back(seconds, samples);
        while (window.size() > 2 && window.back().first - window.front().first > 1.5) window.pop_front();
    }
    double perSecond() const
    {
        if (window.size() < 2) return 0;
        const auto &[t0, n0] = window.front();
        const auto &[t1, n1] = window.back();
        return t1 > t0 ? double(n1 - n0) / (t1 - t0) : 0;
    }
};

}  // namespace training_loop

class TrainingWorker::Loop {
public:
    explicit Loop(TrainingWorker &w) : w(w) {}
    void run();

private:
    bool next(std::unique_ptr<AnalysisResult> &result);
    bool hasWork() const;
    void publish();  // under the mutex: EngineState for the accessors
    bool stepsPending() const { return r.stepsOrdered > std::max(stepsDone, r.stepsCancelled); }
    bool epochPending() const { return r.epochsOrdered > std::max(epochsDone, r.epochsCancelled); }
    bool training() const { return trainer && (r.playing || stepsPending() || epochPending()); }
    void startRun();
    void applySettings();
    void takeResult(AnalysisResult &&res);
    void trainOne();
    void captureNow();  // answers capture(): weights, optimizer state and data stream of this step
    void halt(const std::string &why);
    void handJob(training_loop::Clock::time_point now, bool running);
    void maybeSnapshot(training_loop::Clock::time_point now, bool running);
    void post(bool running);
    Snapshot snapshot(bool running);
    void analysisInto(Snapshot &s);
    template <class F> void postLater(F fn) { QMetaObject::invokeMethod(&w, std::move(fn), Qt::QueuedConnection); }

    TrainingWorker &w;
    Request r;  // this iteration's copy of the GUI's Request
    quint64 handled = 0;  // the Request serial acted on
    quint64 triedRun = 0;     // the last run id acted on (built or failed)
    quint64 runId = 0, seed = 0;  // the trainer's run
    quint64 seenSettings = 0, stepsDone = 0, epochsDone = 0, capturesDone = 0;
    bool analysisFree = true;  // no job waiting or running (read with the Request)
    int unread = 0;            // Snapshots not yet delivered (read with the Request)

    std::unique_ptr<ael::Trainer> trainer;
    std::shared_ptr<const DataBundle> data;  // outlives the trainer that refers to it
    LatentConfig latent;
    training_loop::LossAverage losses;
    QVector<ChangeMarker> markers;
    QStringList messages;
    settings_change::MarkerDebounce debounce;
    training_loop::Throughput speed;
    bool wasTraining = false, lastRunning = false;
    training_loop::Clock::time_point lastIterEnd, lastEmit, lastJob, lastTest;
    double jobSeconds = 0;   // what the last analysis job took
    double testSeconds = 0;  // what the last job with the test losses took
    bool emitWanted = false, jobWanted = false, testWanted = false;
    std::unique_ptr<ael::Model<float>> spare;  // the model copy the analysis gave back

    // The model as the window sees it: an immutable copy, renewed when the weights changed.
    std::shared_ptr<const ael::Model<float>> published;
    std::shared_ptr<const ael::TrainSettings> publishedSettings;
    qint64 publishedStep = -1;
    bool modelChanged = true;  // a reset or a settings change (a variant switch may rebuild a layer)

    // The latest analysis results (sticky) and what the views have not seen yet.
    AnalysisResult vis;
    bool imagesDirty = false, latentDirty = false, pcaDirty = false;
    std::shared_ptr<const PcaSummary> pca;
};
