#pragma once
// The training thread adapter, after Qt's Mandelbrot example: the GUI stores the latest request
// (settings, reset, play/pause/step) under a mutex and wakes the worker; the worker copies the
// settings into locals ONCE PER BATCH, so a control change takes effect on the next mini-batch.
//
// Two threads:
//   trainer thread   owns the ael::Trainer; runs Trainer::step() back to back, averages the losses
//                    between snapshots and sends a Snapshot every ~66 ms (time-based, never per batch;
//                    not while the previous one is still unread). The engine's pool stays at ONE thread
//                    by default, so the second core is left to the analysis and the GUI.
//   analysis thread  (nice 10) works on a copy of the weights handed over a few times a second: the
//                    ten showcase digits (original / corrupted / AE / PCA-k), the 2-D codes of the test
//                    digits and the test MSE about once a second. (The PCA of each data set is fitted
//                    once, on the DataLoader's pool: DataLoader::fitPca.)
//                    So the trainer thread never pays for the pictures (≥ 90 % of headless speed).
// Everything this object emits is emitted in the GUI thread (results are posted, then emitted), so
// receivers and QSignalSpy see plain direct calls.
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

namespace ael {
class Trainer;
}

/// How the scatter shows a code with k > 2 dimensions.
struct LatentConfig {
    enum Mode { Pca, Dims } mode = Pca;  ///< PCA of the codes (default), or two chosen units
    int dimX = 0, dimY = 1;              ///< 0-based units for Dims
    bool operator==(const LatentConfig &) const = default;
};

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    struct Options {
        int trainThreads = 1;         ///< threads of the engine's pool (ael::ThreadPool, process-wide)
        int snapshotIntervalMs = 66;  ///< at most one Snapshot per interval
        int visualsIntervalMs = 150;  ///< how often the analysis thread gets fresh weights
        int testIntervalMs = 1000;    ///< test-set evaluation period
        int analysisNice = 4;         ///< Linux nice of the analysis thread (the GUI goes first)
    };

    explicit TrainingWorker(QObject *parent = nullptr);
    explicit TrainingWorker(const Options &o, QObject *parent = nullptr);
    ~TrainingWorker() override;  ///< stop()

    /// Launches the threads (idempotent).
    void start();
    /// Aborts both threads, wakes them and waits (returns within one batch / one analysis job).
    void stop();

    /// A new run: a fresh Trainer on `data` (built in the trainer thread before its next batch).
    /// Returns the run id that the new run's Snapshots carry.
    quint64 reset(std::shared_ptr<const DataBundle> data, const ael::Architecture &arch, const ael::TrainSettings &s,
                  quint64 seed);
    /// The same, continuing from `weights` (a model or session file's; they must fit `arch`, else
    /// resetFailed()) at `step` and `epoch` (ael::Trainer::resume).
    quint64 resetWith(std::shared_ptr<const DataBundle> data, const ael::Architecture &arch, const ael::TrainSettings &s,
                      quint64 seed, std::shared_ptr<const ael::Model<float>> weights, qint64 step, int epoch);
    /// New settings for the next batch. Returns their generation; a rejection is reported by
    /// settingsRejected() with that generation.
    quint64 setSettings(const ael::TrainSettings &s);
    void setLatentConfig(const LatentConfig &c);
    /// The current data set's PCA has been fitted (DataLoader::fitPca): show it.
    void pcaReady();

    void play();
    void pause();
    void setPlaying(bool on) { on ? play() : pause(); }
    bool isPlaying() const { return m_playing.load(); }
    void stepBatches(int n = 1);
    void stepEpoch();  ///< train to the end of the current epoch

    // The engine's side, copied under the mutex whenever the trainer thread applied something and
    // after every batch (for tests and the status bar):
    ael::TrainSettings engineSettings() const;
    quint64 engineSettingsGeneration() const;  ///< the last generation applied or rejected
    quint64 requestedSettingsGeneration() const;  ///< the last generation setSettings()/reset() returned or made
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
    struct Job;
    struct Results;
    struct Engine;  // the trainer thread's locals
    void trainLoop();
    void analysisLoop();
    void post(Snapshot s);

    Options m_opts;
    std::thread m_trainThread, m_analysisThread;

    std::atomic<bool> m_abort{false};
    std::atomic<bool> m_playing{false};
    std::atomic<int> m_stepBatches{0};
    std::atomic<bool> m_stepEpoch{false};
    std::atomic<int> m_inflight{0};  // Snapshots posted but not yet delivered

    mutable QMutex m_mutex;
    QWaitCondition m_workCond;      // wakes the trainer thread
    QWaitCondition m_analysisCond;  // wakes the analysis thread
    // --- guarded by m_mutex ---
    // requests from the GUI
    ael::TrainSettings m_settings;
    quint64 m_settingsGen = 0;
    quint64 m_resetGen = 0;
    std::shared_ptr<const DataBundle> m_resetData;
    ael::Architecture m_resetArch;
    ael::TrainSettings m_resetSettings;
    quint64 m_resetSeed = 0;
    std::shared_ptr<const ael::Model<float>> m_resetModel;
    qint64 m_resetStep = 0;
    int m_resetEpoch = 0;
    LatentConfig m_latent;
    quint64 m_latentGen = 0;
    bool m_pcaPoke = false;
    // the analysis hand-over
    std::unique_ptr<Job> m_job;
    bool m_analysisBusy = false;
    std::unique_ptr<Results> m_results;  // waiting for the trainer thread
    // the engine's state (see the accessors)
    ael::TrainSettings m_engSettings;
    quint64 m_engSettingsGen = 0;
    ael::Architecture m_engArch;
    quint64 m_engSeed = 0, m_engRun = 0;
    qint64 m_engStep = 0, m_engSamples = 0;
    double m_engSeconds = 0;
    QString m_engData;
};

Q_DECLARE_METATYPE(ael::TrainSettings)
