#pragma once
// The training thread adapter, after Qt's Mandelbrot example. The whole contract:
//
//  GUI thread → trainer thread: ONE `Request` value under ONE mutex. Every public call (reset,
//    setSettings, play, pause, stepBatches, ...) edits it, bumps its serial and wakes the trainer; the
//    latest value wins. Intents that must not be lost are counters inside it, not flags: a reset is a
//    new run id, a settings change a new settings id, a step order adds to stepsOrdered, pause()
//    cancels what was ordered so far (stepsCancelled = stepsOrdered).
//  Trainer thread: owns the ael::Trainer. At the top of each iteration, under the mutex, it copies the
//    Request, takes the analysis results and publishes its EngineState (the engine*() accessors); then,
//    without the lock: applies a new run or new settings (next mini-batch), trains ONE mini-batch, and
//    may hand weights to the analysis thread or post a Snapshot. It sleeps when there is nothing to do.
//    The one write it makes to the Request: a diverged run stops playing and cancels its orders.
//    A reset whose settings the new model cannot take starts with the engine's settings instead.
//  Trainer thread → GUI thread: ONE `Snapshot` value by a queued call, at most one per ~66 ms while
//    training (time-based, never per batch), none while the previous one is unread (a slow GUI slows
//    the pictures, never the training). Losses between two Snapshots are averaged into LossPoints.
//    settingsRejected, resetFailed and playingChanged come the same way. Everything this object emits
//    is emitted in the GUI thread, so receivers and QSignalSpy see plain direct calls.
//  Analysis thread (nice 4): gets a copy of the weights a few times a second (an AnalysisJob; only one
//    in flight, the model copy is recycled) and runs Analysis on it: the ten showcase pictures, the 2-D
//    codes of the test images and, every 100 ms (or 3 passes' time, whichever is longer), the test
//    losses. So the trainer never pays for the pictures. Its results go back to the trainer, which
//    puts them in the next Snapshot.
//  Markers: a settings change becomes a ChangeMarker on the loss chart through MarkerDebounce (a drag
//    is one marker once it rests 0.3 s; see SettingsChange.h).
//  stop(): sets the abort flag (the one atomic), wakes both threads and joins them: it returns within
//    one mini-batch and one chunk (1,000 images) of the analysis.
//
// The engine's pool stays at ONE thread by default, so the second core is left to the analysis and
// the GUI. Measured figures are in the README (Performance).
#include "ui/training/DataBundle.h"
#include "ui/training/Snapshot.h"
#include "core/nn/Architecture.h"
#include "core/train/Settings.h"

#include <QMutex>
#include <QObject>
#include <QWaitCondition>

#include <atomic>
#include <memory>
#include <thread>

/// How the scatter shows a code with k > 2 dimensions.
struct LatentConfig {
    enum Mode { Pca, Dims } mode = Pca;  ///< PCA of the codes (default), or two chosen units
    int dimX = 0, dimY = 1;              ///< 0-based units for Dims
    bool operator==(const LatentConfig &) const = default;
};

struct AnalysisJob;
struct AnalysisResult;
namespace ael {
struct TrainerState;
}

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    struct Options {
        int trainThreads = 1;         ///< threads of the engine's pool (ael::ThreadPool, process-wide)
        int snapshotIntervalMs = 66;  ///< at most one Snapshot per interval
        int visualsIntervalMs = 150;  ///< how often the analysis thread gets fresh weights
        int testIntervalMs = 100;     ///< test-set evaluation period (longer for a slow pass: TrainingLoop::handJob)
        int analysisNice = 4;         ///< Linux nice of the analysis thread (the GUI goes first)
    };

    /// A new run: what reset()/resetWith() asked for.
    struct Run {
        quint64 id = 0;  ///< counts up with every reset; Snapshots carry it
        std::shared_ptr<const DataBundle> data;
        ael::Architecture arch;
        ael::TrainSettings settings;
        quint64 settingsId = 0;  ///< the settings id this reset made
        quint64 seed = 0;
        std::shared_ptr<const ael::Model<float>> weights;  ///< resume from these (null: fresh weights)
        qint64 step = 0;
        int epoch = 0;
        std::shared_ptr<const ael::TrainerState> state;  ///< and go on with this optimizer state (null: it restarts)
    };
    /// Everything the GUI asks of the trainer thread (see the top of this file).
    struct Request {
        quint64 serial = 0;  ///< counts every change: the trainer sleeps once it has seen this one
        Run run;
        ael::TrainSettings settings;  ///< the latest settings, for the next mini-batch
        quint64 settingsId = 0;       ///< counts setSettings() and reset() calls
        LatentConfig latent;
        bool playing = false;
        quint64 stepsOrdered = 0, stepsCancelled = 0;    ///< stepBatches(n) adds n; pause() cancels
        quint64 epochsOrdered = 0, epochsCancelled = 0;  ///< stepEpoch() adds 1; pause() cancels
        quint64 capturesOrdered = 0;                     ///< capture() adds 1
    };
    /// A run as Save session needs it, taken by the trainer thread between two mini-batches: weights,
    /// optimizer state and data stream at one step (a Snapshot's model has no optimizer state).
    struct Capture {
        quint64 runId = 0;
        std::shared_ptr<const ael::Model<float>> model;
        std::shared_ptr<const ael::TrainerState> state;
        ael::TrainSettings settings;
        qint64 step = 0;
        int epoch = 0;
    };
    /// What the trainer thread reports for the accessors (published at the top of each iteration).
    struct EngineState {
        ael::TrainSettings settings;
        quint64 settingsId = 0;  ///< the last settings id applied or rejected
        ael::Architecture arch;
        quint64 seed = 0, runId = 0;
        qint64 step = 0, samples = 0;
        double seconds = 0;
        QString dataId;
    };

    explicit TrainingWorker(QObject *parent = nullptr);
    explicit TrainingWorker(const Options &o, QObject *parent = nullptr);
    ~TrainingWorker() override;  ///< stop()

    /// Launches the threads (idempotent).
    void start();
    /// Aborts both threads, wakes them and waits (returns within one batch / one analysis chunk).
    void stop();

    /// A new run: a fresh Trainer on `data` (built in the trainer thread before its next batch).
    /// Returns the run id that the new run's Snapshots carry.
    quint64 reset(std::shared_ptr<const DataBundle> data, const ael::Architecture &arch, const ael::TrainSettings &s,
                  quint64 seed);
    /// The same, continuing from `weights` (a model or session file's; they must fit `arch`, else
    /// resetFailed()) at `step` and `epoch` (ael::Trainer::resume).
    quint64 resetWith(std::shared_ptr<const DataBundle> data, const ael::Architecture &arch, const ael::TrainSettings &s,
                      quint64 seed, std::shared_ptr<const ael::Model<float>> weights, qint64 step, int epoch,
                      std::shared_ptr<const ael::TrainerState> state = nullptr);
    /// Asks the trainer thread for a Capture of its run and waits for it (one mini-batch at most, and
    /// never longer than `timeoutMs`). Null when there is no run, the threads are not running, or on timeout.
    std::shared_ptr<const Capture> capture(int timeoutMs = 10000);
    /// New settings for the next batch. Returns their id; a rejection is reported by
    /// settingsRejected() with that id.
    quint64 setSettings(const ael::TrainSettings &s);
    void setLatentConfig(const LatentConfig &c);
    /// The current data set's PCA has been fitted (DataLoader::fitPca): show it.
    void pcaReady();

    void play();
    void pause();
    void setPlaying(bool on) { on ? play() : pause(); }
    bool isPlaying() const;
    void stepBatches(int n = 1);
    void stepEpoch();  ///< train to the end of the current epoch

    // The engine's side (EngineState), for tests and the status bar:
    ael::TrainSettings engineSettings() const;
    quint64 engineSettingsGeneration() const;     ///< the last settings id applied or rejected
    quint64 requestedSettingsGeneration() const;  ///< the last settings id setSettings()/reset() returned or made
    ael::Architecture engineArchitecture() const;
    quint64 engineSeed() const;
    quint64 engineRunId() const;
    qint64 engineStep() const;
    QString engineDataId() const;
    double trainingSeconds() const;  ///< training time of the current run (pauses excluded)
    qint64 trainedSamples() const;   ///< samples trained in the current run

    const Options &options() const { return m_opts; }

signals:
    void snapshotReady(const Snapshot &s);
    void settingsRejected(quint64 generation, const QString &reason);
    void resetFailed(quint64 runId, const QString &reason);
    void playingChanged(bool playing);

private:
    class Loop;  // the trainer thread's state (TrainingLoop.cpp)
    void trainLoop();
    template <class F> auto request(F edit);  // edits the Request under the mutex, bumps it, wakes the trainer
    EngineState engine() const;
    void analysisLoop();
    void post(Snapshot s);  // trainer thread: queues snapshotReady

    Options m_opts;
    std::thread m_trainThread, m_analysisThread;
    std::atomic<bool> m_abort{false};

    mutable QMutex m_mutex;  // guards everything below
    QWaitCondition m_trainerWake, m_analysisWake, m_captured;
    quint64 m_capturesDone = 0;             // the last capture() the trainer answered
    std::shared_ptr<const Capture> m_capture;  // its answer
    Request m_request;
    EngineState m_engine;
    int m_unread = 0;                          // Snapshots posted, not yet delivered
    std::unique_ptr<AnalysisJob> m_job;        // waiting for the analysis thread
    bool m_analysisBusy = false;
    std::unique_ptr<AnalysisResult> m_result;  // waiting for the trainer thread
};

Q_DECLARE_METATYPE(ael::TrainSettings)
