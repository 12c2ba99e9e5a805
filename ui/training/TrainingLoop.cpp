// The trainer thread of TrainingWorker (the contract is at the top of TrainingWorker.h).
#include "ui/training/TrainingWorker.h"

#include "ui/training/Analysis.h"
#include "ui/training/SettingsChange.h"
#include "core/data/Dataset.h"
#include "core/train/Trainer.h"

#include <QDeadlineTimer>
#include <QMetaObject>

#include <algorithm>
#include <chrono>
#include <deque>
#include <exception>
#include <stdexcept>

using settings_change::MarkerDebounce;

namespace {

using Clock = std::chrono::steady_clock;
double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

/// The training losses since the last Snapshot, averaged into one LossPoint.
struct LossAverage {
    QStringList termNames;
    double reconstruction = 0;
    std::vector<double> terms;
    int n = 0;
    qint64 step = 0;
    double epoch = 0;
    QVector<LossPoint> points;  // averaged, not yet sent

    void add(const ael::StepResult &r, double fractionalEpoch)
    {
        reconstruction += r.reconstruction;
        for (size_t i = 0; i < r.terms.size(); ++i) terms[i] += r.terms[i].value;
        ++n;
        step = r.step;
        epoch = fractionalEpoch;
    }
    void flush()  // the mean of what was added: Σ loss / n
    {
        if (n == 0) return;
        LossPoint p{step, epoch, reconstruction / n, {}};
        for (double t : terms) p.terms.push_back(t / n);
        points.push_back(std::move(p));
        reconstruction = 0;
        std::fill(terms.begin(), terms.end(), 0.0);
        n = 0;
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

}  // namespace

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
    void halt(const std::string &why);
    void handJob(Clock::time_point now, bool running);
    void maybeSnapshot(Clock::time_point now, bool running);
    void post(bool running);
    Snapshot snapshot(bool running);
    void analysisInto(Snapshot &s);
    template <class F> void postLater(F fn) { QMetaObject::invokeMethod(&w, std::move(fn), Qt::QueuedConnection); }

    TrainingWorker &w;
    Request r;  // this iteration's copy of the GUI's Request
    quint64 handled = 0;  // the Request serial acted on
    quint64 triedRun = 0;     // the last run id acted on (built or failed)
    quint64 runId = 0, seed = 0;  // the trainer's run
    quint64 seenSettings = 0, stepsDone = 0, epochsDone = 0;
    bool analysisFree = true;  // no job waiting or running (read with the Request)
    int unread = 0;            // Snapshots not yet delivered (read with the Request)

    std::unique_ptr<ael::Trainer> trainer;
    std::shared_ptr<const DataBundle> data;  // outlives the trainer that refers to it
    LatentConfig latent;
    LossAverage losses;
    QVector<ChangeMarker> markers;
    QStringList messages;
    MarkerDebounce debounce;
    Throughput speed;
    bool wasTraining = false, lastRunning = false;
    Clock::time_point lastIterEnd, lastEmit, lastJob, lastTest;
    double jobSeconds = 0;  // what the last analysis job took
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
    speed = Throughput{};
    wasTraining = false;
    vis = AnalysisResult{};
    imagesDirty = latentDirty = false;
    published.reset();
    modelChanged = true;
    pca = data->pca();
    pcaDirty = pca != nullptr;
    emitWanted = jobWanted = testWanted = true;
    {
        QMutexLocker lock(&w.m_mutex);
        publish();  // before the rejection: the window then reads the engine's settings
    }
    if (!rejected.isEmpty())
        postLater([self = &w, id = run.settingsId, rejected] { emit self->settingsRejected(id, rejected); });
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
    losses.add(res, res.epoch + (n ? double(trainer->positionInEpoch()) / n : 0.0));
    if (res.epochEnded) epochsDone = r.epochsOrdered;
    emitWanted = true;
}

// A diverged run stops playing and its step orders are cancelled: the one write this thread makes
// to the Request.
void TrainingWorker::Loop::halt(const std::string &why)
{
    messages << QString::fromStdString(why);
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
    job->test = testWanted || seconds(now - lastTest) >= w.m_opts.testIntervalMs / 1000.0;
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

Snapshot TrainingWorker::Loop::snapshot(bool running)
{
    losses.flush();
    Snapshot s;
    const ael::Trainer &t = *trainer;
    const int n = t.data().size(), batch = std::max(1, t.settings().batchSize);
    s.runId = runId;
    s.step = t.steps();
    s.epoch = t.epoch();
    s.epochProgress = n ? double(t.positionInEpoch()) / n : 0.0;
    s.stepsPerEpoch = (n + batch - 1) / batch;
    s.samplesPerSecond = speed.perSecond();
    s.elapsedSeconds = speed.seconds;
    s.running = running;
    s.termNames = losses.termNames;
    s.losses = std::exchange(losses.points, {});
    s.markers = std::exchange(markers, {});
    s.message = messages.join(QStringLiteral(" · "));
    messages.clear();
    s.codeSize = t.architecture().code;
    s.variational = t.architecture().variational;
    s.variant = QString::fromUtf8(ael::toString(t.settings().variant));
    s.architecture = QString::fromStdString(t.architecture().spec());
    s.data = data;
    s.testSet = data->test;
    s.labels = data->testLabels;
    s.dataName = data->label;
    s.itemNoun = data->noun();
    analysisInto(s);
    // An immutable copy of the weights for the window (drawing, exploring, filters): renewed only
    // when they changed, so a paused run hands out the same copy.
    if (modelChanged || !published || publishedStep != t.steps()) {
        published = std::make_shared<const ael::Model<float>>(t.model());
        publishedSettings = std::make_shared<const ael::TrainSettings>(t.settings());
        publishedStep = t.steps();
        modelChanged = false;
    }
    s.model = published;
    s.settings = publishedSettings;
    return s;
}

// The test metrics and the PCA in every Snapshot; the pictures and the codes' points only when new.
void TrainingWorker::Loop::analysisInto(Snapshot &s)
{
    if (vis.test && vis.runId == runId) {
        s.testStep = vis.testStep;
        s.testMse = vis.testMse;
        s.testBce = vis.testBce;
        s.testMseNoisy = vis.testMseNoisy;
        s.pcaTestMseNoisy = vis.pcaTestMseNoisy;
    }
    if (pca) {
        s.pcaK = pca->cappedK(s.codeSize);
        s.pcaExact = pca->exact(s.codeSize);
        s.pcaTestMse = pca->testMse(s.pcaK);
        s.pcaExplained2 = pca->explained2;
        if (pcaDirty) s.pcaLatent = pca->testPc12;
    }
    if (imagesDirty && vis.images) {
        s.originals = vis.originals;
        s.corrupted = vis.corrupted;
        s.reconstructions = vis.reconstructions;
        s.pcaReconstructions = vis.pcaReconstructions;
        std::copy(vis.rowMse, vis.rowMse + 4, s.rowMse);
        s.pcaOfCorrupted = vis.pcaOfCorrupted;
    }
    if (vis.latent) {  // the axes and the frame in every Snapshot, the points when new
        s.latentAxes = vis.axes;
        s.latentOrigin = vis.origin;
        s.latentBasis = vis.basis;
        s.latentMean = vis.mean;
        if (latentDirty) {
            s.latent = vis.points;
            s.testCodes = vis.codes;
        }
    }
    pcaDirty = imagesDirty = latentDirty = false;
}
