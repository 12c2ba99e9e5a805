// The trainer thread of TrainingWorker (see TrainingWorker.h).
#include "ui/training/TrainingWorker.h"

#include "ui/training/SettingsChange.h"
#include "ui/training/TrainingWorkerState.h"
#include "core/data/Dataset.h"
#include "core/train/Trainer.h"

#include <QDeadlineTimer>
#include <QMetaObject>

#include <algorithm>
#include <exception>
#include <stdexcept>

using training_worker::Clock;
using training_worker::seconds;
using namespace settings_change;

namespace {

constexpr double kMarkerSettleSeconds = 0.3;  // a slider drag becomes one marker once it rests

}  // namespace

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
            s.testMseNoisy = e.vis.testMseNoisy;
            s.pcaTestMseNoisy = e.vis.pcaTestMseNoisy;
        }
        if (e.pca) {
            s.pcaK = e.pca->cappedK(s.codeSize);
            s.pcaExact = e.pca->exact(s.codeSize);
            s.pcaTestMse = e.pca->testMse(s.pcaK);
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
            s.pcaOfCorrupted = e.vis.pcaOfCorrupted;
        }
        e.imagesDirty = false;
        if (e.vis.latent) {  // the axes and the frame in every Snapshot, the points when new
            s.latentAxes = e.vis.axes;
            s.latentOrigin = e.vis.origin;
            s.latentBasis = e.vis.basis;
            s.latentMean = e.vis.mean;
            if (e.latentDirty) {
                s.latent = e.vis.points;
                s.testCodes = e.vis.codes;
            }
        }
        e.latentDirty = false;
        // An immutable copy of the weights for the window (drawing, exploring, filters): renewed
        // only when they changed, so a paused run hands out the same copy.
        if (e.modelChanged || !e.published || e.publishedStep != t.steps()) {
            e.published = std::make_shared<const ael::Model<float>>(t.model());
            e.publishedSettings = std::make_shared<const ael::TrainSettings>(t.settings());
            e.publishedStep = t.steps();
            e.modelChanged = false;
        }
        s.model = e.published;
        s.settings = e.publishedSettings;
        s.data = e.data;
        s.message = e.messages.join(QStringLiteral(" · "));
        e.messages.clear();
        s.variant = QString::fromUtf8(ael::toString(t.settings().variant));
        s.architecture = QString::fromStdString(t.architecture().spec());
        s.dataName = e.data->label;
        s.itemNoun = e.data->noun();
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
        std::shared_ptr<const ael::Model<float>> resetModel;
        qint64 resetStep = 0;
        int resetEpoch = 0;
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
                resetModel = m_resetModel;
                resetStep = m_resetStep;
                resetEpoch = m_resetEpoch;
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
                if (resetModel) t->resume(*resetModel, resetStep, resetEpoch);  // an opened model or session
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
                e.published.reset();
                e.modelChanged = true;
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
            e.modelChanged = true;
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
