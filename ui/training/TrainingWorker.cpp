// The GUI side of TrainingWorker (the Request, the accessors, the Snapshot delivery) and the analysis
// thread. The trainer thread is in TrainingLoop.cpp.
#include "ui/training/TrainingWorker.h"

#include "ui/training/Analysis.h"
#include "core/parallel/ThreadPool.h"

#include <QMetaObject>

#include <algorithm>
#include <utility>

#ifdef __linux__
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

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
        m_trainerWake.wakeAll();
        m_analysisWake.wakeAll();
    }
    if (m_trainThread.joinable()) m_trainThread.join();
    if (m_analysisThread.joinable()) m_analysisThread.join();
}

template <class F> auto TrainingWorker::request(F edit)
{
    QMutexLocker lock(&m_mutex);
    ++m_request.serial;
    m_trainerWake.wakeAll();
    return edit(m_request);
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
    return request([&](Request &r) {
        r.settings = s;  // a reset's settings are also the latest settings
        r.run = Run{r.run.id + 1, std::move(data), arch, s, ++r.settingsId, seed, std::move(weights), step, epoch};
        return r.run.id;
    });
}

quint64 TrainingWorker::setSettings(const ael::TrainSettings &s)
{
    return request([&](Request &r) {
        r.settings = s;
        return ++r.settingsId;
    });
}

void TrainingWorker::setLatentConfig(const LatentConfig &c)
{
    request([&](Request &r) { r.latent = c; });
}

void TrainingWorker::pcaReady()
{
    request([](Request &) {});  // the trainer looks at the bundle's PCA when it wakes
}

void TrainingWorker::play()
{
    if (!request([](Request &r) { return std::exchange(r.playing, true); })) emit playingChanged(true);
}

void TrainingWorker::pause()
{
    const bool was = request([](Request &r) {
        r.stepsCancelled = r.stepsOrdered;
        r.epochsCancelled = r.epochsOrdered;
        return std::exchange(r.playing, false);
    });
    if (was) emit playingChanged(false);
}

void TrainingWorker::stepBatches(int n)
{
    request([n](Request &r) { r.stepsOrdered += quint64(std::max(0, n)); });
}

void TrainingWorker::stepEpoch()
{
    request([](Request &r) { ++r.epochsOrdered; });
}

bool TrainingWorker::isPlaying() const
{
    QMutexLocker lock(&m_mutex);
    return m_request.playing;
}

quint64 TrainingWorker::requestedSettingsGeneration() const
{
    QMutexLocker lock(&m_mutex);
    return m_request.settingsId;
}

TrainingWorker::EngineState TrainingWorker::engine() const
{
    QMutexLocker lock(&m_mutex);
    return m_engine;
}

ael::TrainSettings TrainingWorker::engineSettings() const { return engine().settings; }
quint64 TrainingWorker::engineSettingsGeneration() const { return engine().settingsId; }
ael::Architecture TrainingWorker::engineArchitecture() const { return engine().arch; }
quint64 TrainingWorker::engineSeed() const { return engine().seed; }
quint64 TrainingWorker::engineRunId() const { return engine().runId; }
qint64 TrainingWorker::engineStep() const { return engine().step; }
QString TrainingWorker::engineDataId() const { return engine().dataId; }
double TrainingWorker::trainingSeconds() const { return engine().seconds; }
qint64 TrainingWorker::trainedSamples() const { return engine().samples; }

void TrainingWorker::post(Snapshot s)
{
    {
        QMutexLocker lock(&m_mutex);
        ++m_unread;
    }
    QMetaObject::invokeMethod(
        this,
        [this, s = std::move(s)] {
            emit snapshotReady(s);
            QMutexLocker lock(&m_mutex);  // only now: the views' work counts against the worker's pace
            --m_unread;
            m_trainerWake.wakeAll();
        },
        Qt::QueuedConnection);
}

// The analysis thread: waits for a job, runs it, hands the result to the trainer thread (merged with
// one it has not taken yet).
void TrainingWorker::analysisLoop()
{
    // With an engine pool of several threads (--threads 2) the pictures must not take the pool from
    // the trainer: this thread's products run on this thread.
    ael::ThreadPool::setSerialOnThisThread(true);
#ifdef __linux__
    if (m_opts.analysisNice > 0) setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), m_opts.analysisNice);
#endif
    Analysis analysis;
    for (;;) {
        std::unique_ptr<AnalysisJob> job;
        {
            QMutexLocker lock(&m_mutex);
            while (!m_abort && !m_job) m_analysisWake.wait(&m_mutex);
            if (m_abort) return;
            job = std::move(m_job);
            m_analysisBusy = true;
        }
        auto result = std::make_unique<AnalysisResult>();
        if (!analysis.run(*job, *result, &m_abort)) return;
        QMutexLocker lock(&m_mutex);
        if (m_result) m_result->mergeNewer(std::move(*result));
        else m_result = std::move(result);
        m_analysisBusy = false;
        m_trainerWake.wakeAll();
    }
}
