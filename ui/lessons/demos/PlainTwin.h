#pragma once
// A plain autoencoder of the same architecture as the lesson's model, trained on clean x (no
// corruption, no regularizer) for a bounded budget on a demo's worker thread with core's Trainer:
// what the denoising model is compared with on the same corrupted inputs.
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace ael {
struct Architecture;
struct Dataset;
struct TrainSettings;
template <class S> class Model;
}  // namespace ael

namespace plain_twin {

struct Budget {
    long long maxSteps = 3000;
    double maxSeconds = 6;        ///< training time on the worker thread
    double publishSeconds = 0.75;  ///< hand over a copy of the weights this often
};

/// The settings of the twin: `from` with the variant undercomplete (or overcomplete when k ≥ d) and
/// no regularizer or corruption; loss, optimizer, learning rate and batch size kept.
ael::TrainSettings plainSettings(const ael::TrainSettings &from, const ael::Architecture &a);

/// Trains on `train` until the budget is spent or `cancelled`; calls publish(model, steps, done) with
/// a copy of the weights every publishSeconds and once at the end (done = true unless cancelled).
/// Returns an empty string, or why it could not train (a bad architecture or settings).
using Publish = std::function<void(std::shared_ptr<const ael::Model<float>>, long long steps, bool done)>;
QString train(const ael::Architecture &arch, const ael::TrainSettings &settings, const ael::Dataset &train,
              const Budget &budget, const std::atomic<bool> &cancelled, const Publish &publish);

}  // namespace plain_twin
