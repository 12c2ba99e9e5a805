#include "ui/training/TrainingWorker.h"

#include "ui/training/TrainingWorkerState.h"
#include "core/parallel/ThreadPool.h"

#include <QMetaObject>

#include <algorithm>

#ifdef __linux__
#include <pthread.h>
#endif

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
    return resetWith(std::move(data), arch, s, seed, nullptr, 0, 0);
}

quint64 TrainingWorker::resetWith(std::shared_ptr<const DataBundle> data, const ael::Architecture &arch,
                                  const ael::TrainSettings &s, quint64 seed,
                                  std::shared_ptr<const ael::Model<float>> weights, qint64 step, int epoch)
{
    QMutexLocker lock(&m_mutex);
    m_resetModel = std::move(weights);
    m_resetStep = step;
    m_resetEpoch = epoch;
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
