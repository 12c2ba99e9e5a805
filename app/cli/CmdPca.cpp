// aelab-cli pca: the closed-form PCA baseline.
#include "Commands.h"
#include "Common.h"

#include "core/pca/Pca.h"

#include <iostream>

namespace cli {

using namespace ael;

namespace {

int runPca(const CLI::App &a)
{
    const auto ks = get<std::vector<long long>>(a, "k", {2, 32});
    applyThreads(a);
    const Data data = loadData(a);
    const int d = data.split.train.dim();
    for (long long k : ks)
        if (k > d) fail("k", std::to_string(k) + " is more than the " + std::to_string(d) + " input dimensions");
    Pca pca;
    pca.fit(data.split.train);
    const Eigen::VectorXd test = pca.reconstructionMseCurve(data.split.test);
    const Eigen::VectorXd train = pca.reconstructionMseCurve(data.split.train);
    for (long long k : ks) {
        Json j = Json::object();
        j.set("k", k);
        j.set("explained_variance_ratio", jsonNumber(pca.cumulativeRatio(int(k))));
        j.set("test_mse", jsonNumber(test(Eigen::Index(k))));
        j.set("train_mse", jsonNumber(train(Eigen::Index(k))));
        j.set("data", data.id);
        printJsonLine(j);
    }
    return 0;
}

}  // namespace

Run addPca(CLI::App &app)
{
    CLI::App *c = addCommand(
        app, "pca", "[--k K...] [options]", "the PCA baseline: explained variance and test MSE for each k",
        "The closed-form baseline: fits PCA on the training split and prints one JSON line per k with the\n"
        "cumulative explained variance ratio and the per-pixel reconstruction MSE on the test and train splits.");
    list(*c, "k", "K", "numbers of components (default 2 32); repeatable: --k 2 --k 32 or --k 2 32")
        ->check(wholeIn(0, 100000));
    addDataOptions(*c);
    addThreadsOption(*c);
    return [c] { return runPca(*c); };
}

}  // namespace cli
