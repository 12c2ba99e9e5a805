// The Snapshots of TrainingWorker's trainer thread: progress, averaged losses, markers, the latest
// analysis results and an immutable copy of the weights.
#include "ui/training/TrainingLoop.h"

#include "core/data/Dataset.h"

Snapshot TrainingWorker::Loop::snapshot(bool running)
{
    if (running || !losses.thin()) losses.flush();
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
    s.bceLoss = t.settings().loss == ael::LossKind::BCE;
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
