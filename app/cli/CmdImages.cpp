// aelab-cli recon and sample: PNG grids of reconstructions and of decoded codes.
#include "Commands.h"
#include "Common.h"
#include "Images.h"

#include "core/train/Memory.h"

#include "core/Rng.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <iostream>
#include <optional>

namespace cli {

using namespace ael;

namespace {

void addImageOptions(CLI::App &c)
{
    value(c, "model", "MODEL", "the .safetensors file written by 'train --out'");
    value(c, "out", "PNG", "the image to write");
    value(c, "scale", "S", "each pixel becomes S x S (default 2)")->check(wholeIn(1, 32));
    value(c, "seed", "N", "random seed (default 1)")->check(wholeIn(0, INT64_MAX));
}

std::string requireOut(const CLI::App &a)
{
    if (!given(a, "out")) fail("out", "required: the PNG file to write");
    return outputPath(a, "out");
}

/// A model whose products overflow would draw white (or black) tiles, as if it worked: the codes and the
/// output layer's pre-activation must be finite, not only the sigmoid's outputs.
void requireFinite(const CLI::App &a, std::initializer_list<const Matrix *> stages, const std::string &what)
{
    for (const Matrix *m : stages)
        if (!m->allFinite())
            throw std::runtime_error(text(a, "model") + ": the " + what + " are not finite numbers (the weights overflow "
                                     "float arithmetic, e.g. after a divergence); nothing was written");
}

void report(const std::string &path, const GridLayout &g, int tiles)
{
    Json j = Json::object();
    j.set("out", path);
    j.set("width", gridWidth(g));
    j.set("height", gridHeight(g, tiles));
    j.set("tiles", tiles);
    printJsonLine(j);
}

int runRecon(const CLI::App &a)
{
    const std::string out = requireOut(a);
    const int count = get<int>(a, "count", 10);
    GridLayout g;
    g.scale = get<int>(a, "scale", 2);
    Rng rng(get<uint64_t>(a, "seed", 1));
    applyThreads(a);
    const LoadedModel m = loadModelOption(a);
    std::optional<Corruption> corruption;
    if (m.settings.corruptsInputs())
        corruption = m.settings.corruption;
    if (given(a, "corruption")) {
        Corruption c;
        std::string why;
        if (!parseCorruptionSpec(text(a, "corruption"), c, &why)) fail("corruption", why);
        corruption = c;
        if (c.kind == CorruptionKind::None) corruption.reset();
    }
    const Data data = loadData(a, modelDataId(m));
    const Dataset &test = data.split.test;
    if (test.dim() != m.arch.input)
        throw std::runtime_error(text(a, "model") + ": the model expects " + std::to_string(m.arch.input) +
                                 " inputs but the " + data.id + " images have " + std::to_string(test.dim()) + " pixels");

    // One image per class in turn: classes 0, 1, ..., 9, 0, 1, ... (their 1st, then 2nd, ... test image).
    std::vector<std::vector<int>> byClass(256);
    for (int i = 0; i < test.size(); ++i) byClass[test.labels[size_t(i)]].push_back(i);
    std::vector<std::vector<int> *> classes;
    for (auto &c : byClass)
        if (!c.empty()) classes.push_back(&c);
    std::vector<int> idx;
    for (int i = 0; i < count; ++i) {
        const auto &c = *classes[size_t(i) % classes.size()];
        const size_t k = size_t(i) / classes.size();
        if (k >= c.size()) break;
        idx.push_back(c[k]);
    }
    const int n = int(idx.size()), rows = corruption ? 3 : 2;
    g.imageRows = test.rows;
    g.imageCols = test.cols;
    g.columns = n;
    // Before the work, with recon's own flags (it has one row of tiles per stage, --count columns).
    if (std::string why = whyGridTooLarge(g, rows * n); !why.empty())
        throw std::runtime_error(out + ": " + why + "; use a smaller --scale or --count");
    if (n < count)
        std::cerr << "aelab-cli recon: note: only " << idx.size() << " images when taken one class at a time\n";

    Matrix X, Xt;
    test.batch(idx.data(), int(idx.size()), X);
    if (corruption) corrupt(X, Xt, *corruption, rng);
    const Matrix &input = corruption ? Xt : X;
    ForwardPass<float> pass;
    m.model->forward(input, pass, nullptr);

    requireFinite(a, {&pass.h, &pass.dec.back().z, &pass.output()}, "reconstructions");
    Matrix tiles(X.rows(), Eigen::Index(rows) * n);
    tiles.leftCols(n) = X;
    if (corruption) tiles.middleCols(n, n) = Xt;
    tiles.rightCols(n) = pass.output();
    writeGridPng(out, tiles, g);
    report(out, g, rows * n);
    return 0;
}

int runSample(const CLI::App &a)
{
    const std::string out = requireOut(a);
    if (given(a, "grid") && given(a, "count")) fail("count", "cannot be combined with --grid");
    const long long gridN = get<long long>(a, "grid", 15);
    const long long count = get<long long>(a, "count", 64);
    const double range = get<double>(a, "range", 3);
    GridLayout g;
    g.scale = get<int>(a, "scale", 2);
    Rng rng(get<uint64_t>(a, "seed", 1));
    applyThreads(a);
    const LoadedModel m = loadModelOption(a);
    const int k = m.arch.code;
    if (given(a, "grid") && k != 2)
        fail("grid", "needs a 2-D code; this model's code has " + std::to_string(k) + " dimensions (use --count)");
    const int side = int(std::lround(std::sqrt(double(m.arch.input))));
    if (side * side != m.arch.input)
        throw std::runtime_error(text(a, "model") + ": " + std::to_string(m.arch.input) + " outputs are not a square image");

    const bool grid = k == 2 && !given(a, "count");
    const long long tiles = grid ? gridN * gridN : count;
    // More columns than tiles would only add an empty margin.
    const long long columns = std::min(get<long long>(a, "columns", (long long)std::ceil(std::sqrt(double(count)))), count);
    g.columns = int(grid ? gridN : columns);
    g.imageRows = g.imageCols = side;
    // Before the work, with the flags that set this grid's size.
    if (std::string why = whyGridTooLarge(g, tiles); !why.empty())
        throw std::runtime_error(out + ": " + why + (grid ? "; use a smaller --scale or --grid"
                                                          : given(a, "columns") ? "; use a smaller --scale or --count, or other --columns"
                                                                                : "; use a smaller --scale or --count"));
    if (std::string why = whyTooLarge(forwardBytes(m.arch, tiles), "decoding " + std::to_string(tiles) + " samples of " +
                                                                     m.arch.spec());
        !why.empty())
        throw std::runtime_error(text(a, "model") + ": " + why + "; use a smaller --count");
    Matrix H;
    if (grid) {
        const int N = int(gridN);
        H.resize(2, N * N);
        for (int r = 0; r < N; ++r)
            for (int c = 0; c < N; ++c) {
                const double t = N > 1 ? 1.0 / (N - 1) : 0.5;
                H(0, r * N + c) = float(-range + 2 * range * c * t);
                H(1, r * N + c) = float(range - 2 * range * r * t);
            }
    } else {
        H.resize(k, count);
        for (Eigen::Index j = 0; j < H.cols(); ++j)
            for (int i = 0; i < k; ++i) H(i, j) = float(rng.normal());
    }
    Matrix X, Z;
    m.model->decode(H, X, &Z);
    requireFinite(a, {&Z, &X}, "decoded images");
    writeGridPng(out, X, g);
    report(out, g, int(X.cols()));
    return 0;
}

}  // namespace

Run addRecon(CLI::App &app)
{
    CLI::App *c = addCommand(
        app, "recon", "--model MODEL --out PNG [--count N] [options]",
        "PNG grid: originals / (corrupted) / reconstructions, one test image per class",
        "Draws test images, one per class in turn, in a grid: the originals in the first row, then the\n"
        "corrupted inputs (denoising models: with their stored corruption; or any model with --corruption),\n"
        "then the reconstructions (the variational model decodes μ).");
    addImageOptions(*c);
    value(*c, "count", "N", "images (default 10: one per class)")->check(wholeIn(1, 1000));
    value(*c, "corruption", "KIND:RATE", "corrupt the inputs first, e.g. masking:0.5 (default: the model's own if denoising)")
        ->check(corruptionSpecCheck());
    addDataOptions(*c);
    addThreadsOption(*c);
    return [c] { return runRecon(*c); };
}

Run addSample(CLI::App &app)
{
    CLI::App *c = addCommand(
        app, "sample", "--model MODEL --out PNG [--grid N | --count N] [options]",
        "PNG grid of decoded prior samples or of a 2-D latent grid",
        "Decodes codes into images: for a 2-D code an N x N grid over [-R, R]² (x left to right, y bottom to\n"
        "top); otherwise (or with --count) samples from the prior h ~ N(0, I), the variational model's p(h).");
    addImageOptions(*c);
    value(*c, "grid", "N", "2-D codes only: N x N grid (default 15 for 2-D codes)")->check(wholeIn(1, 200));
    value(*c, "count", "N", "decode N prior samples (default 64 for codes that are not 2-D)")->check(wholeIn(1, 40000));
    value(*c, "range", "R", "extent of the grid (default 3)")->check(numberIn(1e-6, 1e6));
    value(*c, "columns", "N", "tiles per row for --count (default ceil(sqrt(N)); at most N)")->check(wholeIn(1, 1000));
    addThreadsOption(*c);
    return [c] { return runSample(*c); };
}

}  // namespace cli
