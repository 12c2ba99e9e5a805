#include "PpcaVsVaeDemo.h"

#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/nn/Model.h"
#include "core/pca/ProbabilisticPca.h"
#include "ui/explore/LatentDecode.h"
#include "ui/lessons/demos/DemoCompute.h"
#include "ui/lessons/demos/DemoPaint.h"
#include "ui/training/DataBundle.h"
#include "ui/widgets/Palette.h"

#include <QPainter>

#include <algorithm>
#include <exception>

using namespace ael::ui;

PpcaVsVaeDemo::PpcaVsVaeDemo(QWidget *parent) : DemoBase(parent) {}

void PpcaVsVaeDemo::clearResults()
{
    m_ppca.clear();
    m_prior.clear();
    m_sigma2 = -1;
    m_k = 0;
    m_haveModel = m_variational = m_pcaFailed = false;
    m_pcaFor.reset();
    m_kFor = -1;
}

void PpcaVsVaeDemo::applySnapshot(const Snapshot &s)
{
    if (!s.model || !s.data || !s.data->test) return;
    if (s.model->arch().input != s.data->dim()) return;
    const auto model = s.model;
    const auto data = s.data;
    const auto pca = s.data->pca();
    m_pcaFailed = !pca && !s.data->pcaError().isEmpty();
    m_variant = s.variant;
    const int k = model->arch().code;
    const bool newPpca = pca && (pca != m_pcaFor || k != m_kFor);
    const quint64 gen = generation();
    schedule([=, this](const std::atomic<bool> &cancelled) {
        const int rows = data->test->rows, cols = data->test->cols;
        QVector<QImage> prior;
        if (model->arch().variational)  // g(h), h ~ N(0, I): the same codes every time, so training shows
            for (const QImage &img : samplePrior(*model, kSamples, kSeed, rows, cols)) prior << img;
        QVector<QImage> ppca;
        double sigma2 = -1;
        int kUsed = 0, discarded = 0;
        if (newPpca && !cancelled) {
            try {
                kUsed = std::clamp(k, 0, pca->pca.stored());
                const ael::ProbabilisticPca pp(pca->pca, kUsed);
                ael::Rng rng(kSeed);
                ppca = demo_compute::toImages(pp.sample(kSamples, rng), rows, cols, kSamples);
                sigma2 = pp.noiseVariance();
                discarded = pp.dim() - kUsed;
            } catch (const std::exception &) {
                sigma2 = -1;
            }
        }
        deliver(gen, [=, this] {
            m_haveModel = true;
            m_variational = model->arch().variational;
            m_prior = prior;
            if (newPpca && sigma2 >= 0) {
                m_ppca = ppca, m_sigma2 = sigma2, m_k = kUsed, m_discarded = discarded;
                m_pcaFor = pca, m_kFor = k;
            }
        });
    });
}

void PpcaVsVaeDemo::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    p.setRenderHint(QPainter::Antialiasing);
    QRectF r = QRectF(rect()).adjusted(8, 6, -8, -6);
    const QStringList title = {tr("Sampling two generative models"), tr("Two generative models")};
    if (!m_haveModel) {
        const double px = basePixelSize(size());
        demo_paint::drawMessage(p, demo_paint::drawTitle(p, r, title, px), tr("Waiting for the first model…"), px);
        return;
    }
    using demo_paint::number;
    QStringList lines;
    if (m_sigma2 >= 0)
        lines << tr("PPCA: h ~ N(0, I), k = %1; σ² = %2, the mean of the %3 discarded eigenvalues")
                     .arg(m_k)
                     .arg(number(m_sigma2))
                     .arg(m_discarded);
    if (m_variational) lines << tr("VAE: the decoder's mean image g(h) for h ~ N(0, I)");
    // The grids' headers say what each model is; the footer only adds how (its lines may go). The
    // samples are the point: on a projector, cells of at least 36 px.
    const double cellMin = presentationMode() ? 36 : 24;
    const double px = paintTitleAndFooter(p, r, title, lines, false, [&](double q) { return q * 1.3 + 3 * cellMin; });
    const double half = std::floor((r.width() - 12) / 2);
    const QRectF left(r.left(), r.top(), half, r.height()), right(r.left() + half + 12, r.top(), half, r.height());
    if (m_sigma2 >= 0)
        demo_paint::drawImageGrid(p, left, {tr("PPCA  x = W h + μ + σ ε"), tr("PPCA")}, m_ppca, 4, kPcaColor, px);
    else
        demo_paint::drawMessage(p, left, m_pcaFailed ? tr("PCA could not be fitted") : tr("PCA is being fitted…"), px);
    if (m_variational)
        demo_paint::drawImageGrid(p, right, {tr("VAE  x = g(h)"), tr("VAE")}, m_prior, 4, kAeColor, px);
    else
        demo_paint::drawMessage(p, right,
                                tr("This model (%1) has no prior to sample: train the variational model.")
                                    .arg(m_variant.isEmpty() ? tr("not variational") : m_variant),
                                px);
}
