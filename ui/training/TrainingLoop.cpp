// The trainer thread of TrainingWorker (the contract is at the top of TrainingWorker.h).
#include "ui/training/TrainingLoop.h"

#include "core/data/Dataset.h"

#include <QDeadlineTimer>

#include <exception>
#include <stdexcept>

using training_loop::Clock;
using training_loop::LossAverage;
using training_loop::Throughput;
using training_loop::seconds;

void TrainingWorker::trainLoop() { Loop(*this).run(); }

void TrainingWorker::Loop::run()
{
    for (;;) {
        std::unique_ptr<AnalysisResult> result;
        if (!next(result)) return;
        if (r.run.id != triedRun) startRun();
        if (trainer && r.settingsId != seenSettings) applySettings();
        if (trainer && !(r.latent == latent)) {
            latent = r.latent;
            jobWanted = true;
        }
        if (data && !pca && (pca = data->pca())) {
            pcaDirty = emitWanted = true;
            jobWanted = true;  // the pictures again, now with the PCA-k row
        }
        if (result) takeResult(std::move(*result));
        if (r.capturesOrdered > capturesDone) captureNow();
        if (training()) trainOne();
        else wasTraining = false;
        if (!trainer) continue;
        const bool running = training();
        if (running != lastRunning) {
            lastRunning = running;
            emitWanted = true;
            if (!running) jobWanted = testWanted = true;  // show the final state of a step
        }
        const auto now = Clock::now();
        for (const ChangeMarker &m : debounce.tick(trainer->settings(), seconds(now.time_since_epoch()))) {
            markers.push_back(m);
            emitWanted = true;
        }
        handJob(now, running);
        maybeSnapshot(now, running);
    }
}

// The top of an iteration, under the mutex: publish the engine's state, sleep until there is work,
// copy the Request, take the analysis result. False: stop() was called.
bool TrainingWorker::Loop::next(std::unique_ptr<AnalysisResult> &result)
{
    QMutexLocker lock(&w.m_mutex);
    publish();
    for (;;) {
        if (w.m_abort) return false;
        if (w.m_request.serial != r.serial) r = w.m_request;
        analysisFree = !w.m_job && !w.m_analysisBusy;
        unread = w.m_unread;
        if (r.serial != handled || hasWork()) break;
        const double left = debounce.secondsLeft(seconds(Clock::now().time_since_epoch()));
        if (left == 0) break;
        if (left > 0) w.m_trainerWake.wait(&w.m_mutex, QDeadlineTimer(qint64(left * 1000) + 1));
        else w.m_trainerWake.wait(&w.m_mutex);
    }
    handled = r.serial;
    result = std::move(w.m_result);
    return true;
}

bool TrainingWorker::Loop::hasWork() const
{
    return training() || w.m_result || (trainer && emitWanted && unread == 0) ||
           (trainer && jobWanted && analysisFree);
}

void TrainingWorker::Loop::publish()
{
    if (!trainer) return;
    EngineState &e = w.m_engine;
    e.settings = trainer->settings();
    e.settingsId = seenSettings;
    e.arch = trainer->architecture();
    e.seed = seed;
    e.runId = runId;
    e.step = trainer->steps();
    e.samples = speed.samples;
    e.seconds = speed.seconds;
    e.dataId = data->id;
}

static std::unique_ptr<ael::Trainer> newTrainer(const TrainingWorker::Run &run, const ael::TrainSettings &s)
{
    if (!run.data || !run.data->train) throw std::invalid_argument("no data set");
    auto t = std::make_unique<ael::Trainer>(run.arch, s, *run.data->train, run.seed);
    if (run.weights) t->resume(*run.weights, run.step, run.epoch);  // an opened model or session
    return t;
}

// A new Trainer for the Request's run (resumed from its weights if any). Settings the new model cannot
// take (KL sparsity on a linear code) are rejected like any settings change: the run starts with the
// engine's settings. If it cannot be built at all, the old run goes on (resetFailed).
void TrainingWorker::Loop::startRun()
{
    const Run &run = r.run;
    triedRun = run.id;
    std::unique_ptr<ael::Trainer> t;
    QString rejected;
    try {
        t = newTrainer(run, run.settings);
    } catch (const std::exception &ex) {
        try {
            if (trainer) t = newTrainer(run, trainer->settings());
        } catch (const std::exception &) {
        }
        if (!t) {
            postLater([self = &w, id = run.id, why = QString::fromUtf8(ex.what())] { emit self->resetFailed(id, why); });
            return;
        }
        rejected = QString::fromUtf8(ex.what());
    }
    trainer = std::move(t);  // the old trainer goes first, then its data
    data = run.data;
    runId = run.id;
    seed = run.seed;
    seenSettings = run.settingsId;
    losses = LossAverage{};
    markers.clear();
    messages.clear();
    debounce.clear();
    if (run.state && rejected.isEmpty()) {  // a session's optimizer state and data stream (all or nothing)
        const std::string why = trainer->restoreState(*run.state);
        if (!why.empty())
            messages << QStringLiteral("The session's optimizer state was not restored (%1); the optimizer starts afresh.")
                            .arg(QString::fromStdString(why));
    }
    speed = Throughput{};
    wasTraining = false;
    vis = AnalysisResult{};
    imagesDirty = latentDirty = false;
    published.reset();
    modelChanged = true;
    pca = data->pca();
    pcaDirty = pca != nullptr;
    emitWanted = jobWanted = testWanted = true;
    // The new run's first point a whole interval of batches, as every other: counted from the last Snapshot
    // of the old run (the window busy opening a session, that was long ago), it was its first batch alone, a
    // spike at the start of every reopened session's curve. (Paused, the run is shown at once all the same.)
    lastEmit = Clock::now();
    {
        QMutexLocker lock(&w.m_mutex);
        publish();  // before the rejection: the window then reads the engine's settings
    }
    if (!rejected.isEmpty())
        postLater([self = &w, id = run.settingsId, rejected] { emit self->settingsRejected(id, rejected); });
}

void TrainingWorker::Loop::captureNow()
{
    capturesDone = r.capturesOrdered;
    std::shared_ptr<Capture> c;
    if (trainer) {
        c = std::make_shared<Capture>();
        c->runId = runId;
        c->model = std::make_shared<const ael::Model<float>>(trainer->model());
        c->state = std::make_shared<const ael::TrainerState>(trainer->state());
        c->settings = trainer->settings();
        c->step = trainer->steps();
        c->epoch = trainer->epoch();
    }
    QMutexLocker lock(&w.m_mutex);
    w.m_capture = std::move(c);
    w.m_capturesDone = capturesDone;
    w.m_captured.wakeAll();
}

// The Request's settings for the next mini-batch, or a rejection (the engine keeps the previous ones).
void TrainingWorker::Loop::applySettings()
{
    const quint64 id = seenSettings = r.settingsId;
    const ael::TrainSettings before = trainer->settings();
    const std::string why = trainer->setSettings(r.settings);
    if (!why.empty()) {
        // Earlier news (e.g. "switched to sparse") must not arrive after, and hide, the rejection.
        if (!messages.isEmpty()) post(training());
    } else if (!settings_change::describeChange(before, r.settings).isEmpty()) {
        if (!training()) losses.flush();  // batches held back by a pause belong before the change
        const QString news = settings_change::switchMessage(before, r.settings);
        if (!news.isEmpty()) messages << news;
        markers += debounce.change(before, r.settings, trainer->steps(), seconds(Clock::now().time_since_epoch()));
        emitWanted = true;
        jobWanted = true;  // corruption and variant show in the pictures at once
    }
    modelChanged = true;
    {
        QMutexLocker lock(&w.m_mutex);
        publish();  // before the rejection: the window then reads the engine's settings
    }
    if (!why.empty())
        postLater([self = &w, id, reason = QString::fromStdString(why)] { emit self->settingsRejected(id, reason); });
}

void TrainingWorker::Loop::takeResult(AnalysisResult &&res)
{
    if (res.spare && !spare) spare = std::move(res.spare);
    jobSeconds = res.jobSeconds;
    if (res.test) testSeconds = res.jobSeconds;
    if (res.runId != runId) return;  // an older run's
    imagesDirty |= res.images;
    latentDirty |= res.latent;
    vis.mergeNewer(std::move(res));
    emitWanted = true;
}

// One mini-batch: its losses into the running average, its time into the throughput.
void TrainingWorker::Loop::trainOne()
{
    const auto t0 = Clock::now();
    const ael::StepResult res = trainer->step();
    const auto t1 = Clock::now();
    // Wall time between consecutive batches counts (it includes our own bookkeeping); a gap after a
    // pause does not.
    const double dt = wasTraining ? std::min(seconds(t1 - lastIterEnd), 0.5) : seconds(t1 - t0);
    wasTraining = true;
    lastIterEnd = t1;
    const bool ordered = !r.playing;  // → or Shift+→
    if (stepsPending()) stepsDone = std::max(stepsDone, r.stepsCancelled) + 1;
    if (res.diverged) return halt(res.message);
    speed.add(dt, res.batchSize);
    QStringList names;
    for (const ael::TermValue &tv : res.terms) names << QString::fromStdString(tv.name);
    if (names != losses.termNames) {
        // One Snapshot carries one list of term names: send what was averaged so far.
        if (losses.n > 0 || !losses.points.isEmpty()) post(true);
        losses.termNames = names;
        losses.terms.assign(size_t(names.size()), 0.0);
    }
    const int n = trainer->data().size();
    losses.add(res, res.epoch + (n ? double(trainer->positionInEpoch()) / n : 0.0), ordered);
    if (res.epochEnded) epochsDone = r.epochsOrdered;
    emitWanted = true;
}

// A diverged run stops playing and its step orders are cancelled: the one write this thread makes
// to the Request.
void TrainingWorker::Loop::halt(const std::string &why)
{
    messages << QString::fromStdString(why);
    // The status bar's explanation goes after a few seconds; the chart keeps where it happened (a student who
    // looked away saw only "Paused").
    losses.flush();  // the batches before it belong before the marker
    markers << ChangeMarker{trainer->steps(), TrainingWorker::tr("diverged: back to step %1").arg(trainer->restoredStep())};
    bool was = false;
    {
        QMutexLocker lock(&w.m_mutex);
        Request &q = w.m_request;
        was = std::exchange(q.playing, false);
        q.stepsCancelled = q.stepsOrdered;
        q.epochsCancelled = q.epochsOrdered;
        r = q;
    }
    if (was) postLater([self = &w] { emit self->playingChanged(false); });
    wasTraining = false;
    emitWanted = jobWanted = testWanted = true;
}

// Fresh weights for the analysis thread: when asked, or every visualsIntervalMs while training.
// Big models and data sets make a job slower: then jobs come less often, so the analysis thread keeps
// to about a third of a core.
void TrainingWorker::Loop::handJob(Clock::time_point now, bool running)
{
    const double interval = std::max(w.m_opts.visualsIntervalMs / 1000.0, 3 * jobSeconds);
    if (!analysisFree || !(jobWanted || (running && seconds(now - lastJob) >= interval))) return;
    auto job = std::make_unique<AnalysisJob>();
    const ael::Model<float> &m = trainer->model();
    if (spare && spare->arch() == m.arch()) spare->adoptWeights(m);
    else spare = std::make_unique<ael::Model<float>>(m);
    job->model = std::move(spare);
    job->runId = runId;
    job->step = trainer->steps();
    job->data = data;
    job->settings = trainer->settings();
    job->latent = latent;
    // The test losses every testIntervalMs, or less often when a pass over the test set is slow (a large
    // test set or model): the analysis thread stays at about a third of a core.
    job->test = testWanted || seconds(now - lastTest) >= std::max(w.m_opts.testIntervalMs / 1000.0, 3 * testSeconds);
    if (job->test) {
        lastTest = now;
        testWanted = false;
    }
    lastJob = now;
    jobWanted = false;
    analysisFree = false;  // only this thread hands out jobs
    QMutexLocker lock(&w.m_mutex);
    w.m_job = std::move(job);
    w.m_analysisWake.wakeOne();
}

// At most one Snapshot per interval while training, none while the last one is unread.
void TrainingWorker::Loop::maybeSnapshot(Clock::time_point now, bool running)
{
    if (!emitWanted || unread > 0) return;
    if (running && seconds(now - lastEmit) < w.m_opts.snapshotIntervalMs / 1000.0) return;
    lastEmit = now;
    emitWanted = false;
    post(running);
}

void TrainingWorker::Loop::post(bool running)
{
    ++unread;
    w.post(snapshot(running));
}
