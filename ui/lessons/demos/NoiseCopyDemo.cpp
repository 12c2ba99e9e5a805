#include "NoiseCopyDemo.h"

#include "core/data/Dataset.h"
#include "core/nn/Model.h"
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
    m_noise.clear(), m_noiseOut.clear(), m_digits.clear(), m_digitsOut.clear();
}

struct NoiseCopyDemo::NoiseInput {
    ael::Matrix images;
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
    if (m_noiseData != data) {
        // Noise where the training images have ink: elsewhere no weight ever learns anything.
        const ael::Dataset &inked = data->train && !data->train->empty() ? *data->train : *data->test;
        m_noiseInput = std::make_shared<const NoiseInput>(
            NoiseInput{demo_compute::uniformNoiseOn(demo_compute::inkMask(inked), kNoiseImages, kNoiseSeed)});
        m_noiseData = data;
    }
    schedule([this, gen, model, data, step, arch, noiseIn = m_noiseInput](const std::atomic<bool> &cancelled) {
        const ael::Dataset &test = *data->test;
        const ael::Matrix &noise = noiseIn->images;
        const ael::Matrix noiseOut = demo_compute::reconstruct(*model, noise);
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
                      noun = data->noun(), step, arch] {
            m_noiseMse = nm, m_digitMse = dm;
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
    const QString title = tr("Does it copy anything, even noise?");
    if (m_noiseMse < 0) {
        const double px = basePixelSize(size());
        demo_paint::drawMessage(p, demo_paint::drawTitle(p, r, title, px), tr("Waiting for the first model…"), px);
        return;
    }
    using demo_paint::number;
    const double ratio = m_digitMse > 0 ? m_noiseMse / m_digitMse : 0;
    // An identity-like model copies noise about as well as digits (ratio near 1); a model that learned
    // the digits maps noise to digit-like blobs (ratio ≫ 1).
    const QString verdict = ratio < 2 ? tr("Noise is copied as well as the %1: an identity map").arg(m_noun)
                                      : tr("Noise comes out as %1-like blobs: MSE ×%2").arg(m_noun.chopped(m_noun.endsWith('s') ? 1 : 0),
                                                                                       number(ratio));
    const QStringList lines = {verdict, tr("Mean MSE per pixel against the input: %1 noise images, %2 test %3 (%4)")
                                            .arg(kNoiseImages)
                                            .arg(kDigitImages)
                                            .arg(m_noun, m_arch)};
    const double px = demo_paint::fitPx(basePixelSize(size()), r.height(), [&](double q) {
        return demo_paint::titleHeight(q, title, r.width()) + demo_paint::footerHeight(lines, q, r.width(), true) +
               demo_paint::rowsTextHeight(4, q);
    });
    r = demo_paint::drawTitle(p, r, title, px);
    r = demo_paint::drawFooter(p, r, lines, px, true);
    demo_paint::drawImageRows(
        p, r,
        {{tr("noise x"), tr("U[0, 1] where digits have ink"), QColor(), m_noise},
         {tr("g(f(x))"), tr("MSE %1").arg(number(m_noiseMse)), kAeColor, m_noiseOut},
         {tr("%1 x").arg(m_noun), tr("test set"), QColor(), m_digits},
         {tr("g(f(x))"), tr("MSE %1").arg(number(m_digitMse)), kAeColor, m_digitsOut}},
        px);
}
