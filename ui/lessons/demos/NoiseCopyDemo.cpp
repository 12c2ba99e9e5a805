#include "NoiseCopyDemo.h"

#include "core/data/Dataset.h"
#include "core/nn/Model.h"
#include "core/pca/Pca.h"
#include "ui/lessons/demos/DemoCompute.h"
#include "ui/lessons/demos/DemoPaint.h"
#include "ui/training/DataBundle.h"
#include "ui/widgets/Palette.h"

#include <QPainter>

#include <algorithm>

using namespace ael::ui;

NoiseCopyDemo::NoiseCopyDemo(QWidget *parent) : DemoBase(parent) {}

void NoiseCopyDemo::clearResults()
{
    m_noiseMse = m_digitMse = -1;
    m_noiseBase = m_rawMse = m_rawBase = 0;
    m_components = 0;
    m_noise.clear(), m_noiseOut.clear(), m_digits.clear(), m_digitsOut.clear();
}

struct NoiseCopyDemo::NoiseInput {
    ael::Matrix raw;      ///< n: uniform noise on the inked pixels
    ael::Matrix images;   ///< x = μ + W_m W_mᵀ (n − μ)
    int m = 0;
    double base = 0, rawBase = 0;  ///< the MSE of predicting μ for x and for n
};

void NoiseCopyDemo::applySnapshot(const Snapshot &s)
{
    if (!s.model || !s.data || !s.data->test || s.data->test->empty()) return;
    if (s.model->arch().input != s.data->dim()) return;
    const auto model = s.model;
    const auto data = s.data;
    const quint64 gen = generation();
    const qint64 step = s.step;
    const QString arch = s.architecture.isEmpty() ? QString::fromStdString(model->arch().spec()) : s.architecture;
    const auto pca = data->pca();
    if (!pca || pca->pca.dim() != data->dim()) return;  // the noise's subspace needs the PCA (fitted in the background)
    if (m_noiseData != data) {
        // Noise where the training images have ink (elsewhere no weight ever learns anything), kept to
        // the principal subspace holding kVarianceKept of the digits' variance.
        const ael::Dataset &inked = data->train && !data->train->empty() ? *data->train : *data->test;
        auto in = std::make_shared<NoiseInput>();
        in->raw = demo_compute::uniformNoiseOn(demo_compute::inkMask(inked), kNoiseImages, kNoiseSeed);
        in->m = demo_compute::componentsHolding(pca->pca, kVarianceKept);
        in->images = demo_compute::inPrincipalSubspace(pca->pca, in->raw, in->m);
        in->base = demo_compute::mseOfMean(pca->pca, in->images);
        in->rawBase = demo_compute::mseOfMean(pca->pca, in->raw);
        m_noiseInput = std::move(in);
        m_noiseData = data;
    }
    schedule([this, gen, model, data, step, arch, noiseIn = m_noiseInput](const std::atomic<bool> &cancelled) {
        const ael::Dataset &test = *data->test;
        const ael::Matrix &noise = noiseIn->images;
        const ael::Matrix noiseOut = demo_compute::reconstruct(*model, noise);
        const double rawMse = demo_compute::mse(demo_compute::reconstruct(*model, noiseIn->raw), noiseIn->raw);
        if (cancelled) return;
        // The showcase digits first (one per class), then the rest of the first kDigitImages test images.
        std::vector<int> idx(data->showcase.begin(), data->showcase.end());
        for (int i = 0; int(idx.size()) < std::min(kDigitImages, test.size()); ++i)
            if (std::find(data->showcase.begin(), data->showcase.end(), i) == data->showcase.end()) idx.push_back(i);
        const ael::Matrix digits = demo_compute::columns(test, idx);
        const ael::Matrix digitsOut = demo_compute::reconstruct(*model, digits);
        if (cancelled) return;
        const double nm = demo_compute::mse(noiseOut, noise), dm = demo_compute::mse(digitsOut, digits);
        const int r = test.rows, c = test.cols;
        auto shown = [&](const ael::Matrix &X) { return demo_compute::toImages(X, r, c, kShown); };
        deliver(gen, [this, nm, dm, a = shown(noise), b = shown(noiseOut), e = shown(digits), f = shown(digitsOut),
                      noun = data->noun(), step, arch, rawMse, noiseIn] {
            m_noiseMse = nm, m_digitMse = dm;
            m_noiseBase = noiseIn->base, m_rawMse = rawMse, m_rawBase = noiseIn->rawBase, m_components = noiseIn->m;
            m_noise = a, m_noiseOut = b, m_digits = e, m_digitsOut = f;
            m_noun = noun, m_step = step, m_arch = arch;
        });
    });
}

void NoiseCopyDemo::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    p.setRenderHint(QPainter::Antialiasing);
    QRectF r = QRectF(rect()).adjusted(8, 6, -8, -6);
    const QStringList title = {tr("Does it copy anything, even noise?"), tr("Does it copy noise?")};
    if (m_noiseMse < 0) {
        const double px = basePixelSize(size());
        demo_paint::drawMessage(p, demo_paint::drawTitle(p, r, title, px), tr("Waiting for the first model…"), px);
        return;
    }
    using demo_paint::number;
    const auto percent = [](double a, double b) { return b > 0 ? QString::number(100 * a / b, 'f', 1) : QStringLiteral("–"); };
    // Copying: the error is a small part of what predicting the mean image scores (the noise's own
    // variance about μ); a model that learned the digits maps noise to digit-like blobs instead.
    const bool copies = m_noiseBase > 0 && m_noiseMse < 0.1 * m_noiseBase;
    const QString verdict = copies ? tr("Noise is copied: %1 % of its variance is left — a copy, not a %2 model")
                                         .arg(percent(m_noiseMse, m_noiseBase), m_noun.chopped(m_noun.endsWith('s') ? 1 : 0))
                                   : tr("Noise is not copied (yet): %1 % of its variance is left").arg(percent(m_noiseMse, m_noiseBase));
    const QStringList lines = {
        verdict,
        tr("Noise kept to the %1 principal directions that hold %2 % of the %3' variance; raw noise on all inked pixels: "
           "MSE %4 (%5 %) — directions the %3 hardly use get little gradient")
            .arg(m_components)
            .arg(qRound(100 * kVarianceKept))
            .arg(m_noun, number(m_rawMse), percent(m_rawMse, m_rawBase)),
        tr("Mean MSE per pixel against the input: %1 noise images, %2 test %3 (%4)").arg(kNoiseImages).arg(kDigitImages).arg(m_noun, m_arch)};
    const double px = paintTitleAndFooter(p, r, title, lines, true, [](double q) { return demo_paint::rowsTextHeight(4, q); });
    demo_paint::drawImageRows(
        p, r,
        {{tr("noise x"), tr("μ + WWᵀ(U[0, 1] − μ), %1 PCs").arg(m_components), QColor(), m_noise, tr("in %1 PCs").arg(m_components)},
         {tr("g(f(x))"), tr("MSE %1 (μ: %2)").arg(number(m_noiseMse), number(m_noiseBase)), kAeColor, m_noiseOut,
          tr("MSE %1").arg(number(m_noiseMse))},
         {tr("%1 x").arg(m_noun), tr("test set"), QColor(), m_digits},
         {tr("g(f(x))"), tr("MSE %1").arg(number(m_digitMse)), kAeColor, m_digitsOut}},
        px);
}
