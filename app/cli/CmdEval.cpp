// aelab-cli eval: a saved model's test metrics as JSON.
#include "Commands.h"
#include "Common.h"


#include <cmath>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

namespace cli {

using namespace ael;

namespace {

int runEval(const CLI::App &a)
{
    const std::string split = text(a, "split", "test");
    applyThreads(a);
    const LoadedModel m = loadModelOption(a);
    const Data data = loadData(a, modelDataId(m));
    checkImageSize(a, data, m.arch.input, text(a, "model"));
    Trainer t(m.arch, m.settings, data.split.train, 0);
    t.loadWeights(*m.model);
    Dataset all;
    const Metrics r = t.evaluate(selectSplit(data.split, split, all));
    // Every metric: JSON has no NaN or infinity, and a null would pass for a result; and the forward pass
    // itself, whose overflow the output's sigmoid hides (the same check as recon's and sample's).
    if (!r.finite || !std::isfinite(r.mse) || !std::isfinite(r.bce) || !std::isfinite(r.meanCode) || !std::isfinite(r.activeFraction) ||
        !std::isfinite(r.jacobianFro) || !std::isfinite(r.kl) || !std::isfinite(r.mseFromCorrupted))  // (−1: not corrupted)
        throw std::runtime_error(text(a, "model") + ": the model's outputs are not finite numbers on the " + split +
                                 " split (its weights overflow float arithmetic, e.g. after a divergence); "
                                 "it cannot be evaluated");

    Json j = Json::object();
    j.set("model", text(a, "model"));
    j.set("architecture", m.arch.spec());
    j.set("variant", toString(m.settings.variant));
    for (const char *key : {"steps", "epoch"})
        if (auto it = m.metadata.find(key); it != m.metadata.end()) {
            const std::optional<long long> v = metadataInteger(m, key);
            j.set(key, v ? Json(*v) : Json(it->second));
        }
    j.set("data", data.id);
    j.set("split", split);
    j.set("samples", r.samples);
    addMetrics(j, r, "", m.arch.variational);
    printJsonLine(j);
    return 0;
}

}  // namespace

Run addEval(CLI::App &app)
{
    CLI::App *c = addCommand(
        app, "eval", "--model MODEL [options]", "test metrics of a saved model as JSON",
        "Prints the metrics of a saved model on the test split (Trainer::evaluate) as one JSON object:\n"
        "per-pixel MSE and BCE, mean |h|, the fraction of active code units (|h| > 0.1), ‖∂f/∂x‖²_F\n"
        "(mean over 256 images), for the variational model the KL term in nats per image, and for a\n"
        "denoising model mse_from_corrupted: the MSE of its reconstructions of corrupted test images x~\n"
        "against the clean ones, the x~ the window draws its test curve from (mse is from clean inputs).");
    value(*c, "model", "MODEL", "the .safetensors file written by 'train --out'");
    addDataOptions(*c);
    value(*c, "split", "test|train|all", "which images to evaluate on (default test)")->check(oneOf({"test", "train", "all"}));
    addThreadsOption(*c);
    return [c] { return runEval(*c); };
}

}  // namespace cli
