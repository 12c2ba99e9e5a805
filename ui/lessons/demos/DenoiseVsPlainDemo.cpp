#include "DenoiseVsPlainDemo.h"

#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/nn/Model.h"
#include "core/train/Corruption.h"
#include "core/train/Settings.h"
#include "ui/lessons/demos/DemoCompute.h"
#include "ui/lessons/demos/DemoPaint.h"
#include "ui/training/DataBundle.h"
#include "ui/training/SettingsChange.h"
#include "ui/widgets/Palette.h"

#include <QPainter>

#include <algorithm>

using namespace ael::ui;

namespace {
const QColor kPlainColor = QColor::fromRgb(ael::ui::kPlainAeRgb);  // orange: the plain AE
}  // namespace

DenoiseVsPlainDemo::DenoiseVsPlainDemo(QWidget *parent) : DemoBase(parent) {}

DenoiseVsPlainDemo::~DenoiseVsPlainDemo() { m_plainWorker.cancelAll(); }

void DenoiseVsPlainDemo::clearResults()
{
    m_plainWorker.cancelAll();
    m_plainKey.clear();
    m_plainError.clear();
    m_plain.reset();
    m_plainShown.reset();
    m_plainSteps = 0;
    m_plainDone = false;
    m_model.reset();
    m_data.reset();
    m_settings.reset();
    std::fill(std::begin(m_mse), std::end(m_mse), -1.0);
    m_x.clear(), m_xt.clear(), m_out.clear(), m_plainOut.clear();
    m_clean.reset(), m_corrupted.reset();
}

void DenoiseVsPlainDemo::applySnapshot(const Snapshot &s)
{
    if (!s.model || !s.data || !s.settings || !s.data->test || !s.data->train || s.data->test->empty()) return;
    if (s.model->arch().input != s.data->dim()) return;
    m_model = s.model;
    m_data = s.data;
    m_settings = s.settings;
    m_variant = s.variant;
    // The plain model matches the architecture, data and loss; anything else is the same for it.
    ael::Architecture a = s.model->arch();
    a.variational = false;
    const QString key = QString::fromStdString(a.spec()) + QString::number(quintptr(s.data.get())) +
                        QString::number(int(s.settings->loss)) + QString::number(int(a.output));
    if (key != m_plainKey) {
        m_plainKey = key;
        startPlain();
    }
    evaluate();
}

void DenoiseVsPlainDemo::startPlain()
{
    m_plainWorker.cancelAll();
    m_plain.reset();
    m_plainSteps = 0;
    m_plainDone = false;
    m_plainError.clear();
    const quint64 gen = generation();
    const QString key = m_plainKey;
    const auto data = m_data;
    const ael::Architecture arch = m_model->arch();
    const ael::TrainSettings settings = *m_settings;
    const plain_twin::Budget budget = m_budget;
    m_plainWorker.post([=, this](const std::atomic<bool> &cancelled) {
        const QString err = plain_twin::train(
            arch, settings, *data->train, budget, cancelled,
            [&](std::shared_ptr<const ael::Model<float>> m, long long steps, bool done) {
                deliver(gen, [this, key, m, steps, done] {
                    if (key != m_plainKey) return;
                    m_plain = m, m_plainSteps = steps, m_plainDone = done;
                    evaluate();
                });
            });
        if (!err.isEmpty()) deliver(gen, [this, err] { m_plainError = err; });
    });
}

void DenoiseVsPlainDemo::evaluate()
{
    if (!m_model || !m_data) return;
    const quint64 gen = generation();
    const auto model = m_model, plain = m_plain;
    const auto data = m_data;
    const ael::Corruption corruption = m_settings->corruption;
    m_corruptionText = settings_change::describeCorruption(corruption);
    schedule([=, this](const std::atomic<bool> &cancelled) {
        const ael::Dataset &test = *data->test;
        std::vector<int> idx(data->showcase.begin(), data->showcase.end());
        for (int i = 0; int(idx.size()) < std::min(kImages, test.size()); ++i)
            if (std::find(data->showcase.begin(), data->showcase.end(), i) == data->showcase.end()) idx.push_back(i);
        const ael::Matrix X = demo_compute::columns(test, idx);
        ael::Matrix Xt;
        ael::Rng rng(kCorruptionSeed);  // the same x̃ every time for the same corruption
        ael::corrupt(X, Xt, corruption, rng);
        const ael::Matrix out = demo_compute::reconstruct(*model, Xt);
        if (cancelled) return;
        ael::Matrix plainOut;
        if (plain) plainOut = demo_compute::reconstruct(*plain, Xt);
        // Every MSE against the clean x.
        const double m0 = demo_compute::mse(Xt, X), m1 = demo_compute::mse(out, X);
        const double m2 = plain ? demo_compute::mse(plainOut, X) : -1.0;
        const int r = test.rows, c = test.cols;
        auto shown = [&](const ael::Matrix &M) { return demo_compute::toImages(M, r, c, kShown); };
        auto clean = std::make_shared<const std::vector<float>>(X.data(), X.data() + X.size());
        auto noisy = std::make_shared<const std::vector<float>>(Xt.data(), Xt.data() + Xt.size());
        deliver(gen, [this, m0, m1, m2, x = shown(X), xt = shown(Xt), o = shown(out),
                      po = plain ? shown(plainOut) : QVector<QImage>(), plain, clean, noisy] {
            m_mse[0] = m0, m_mse[1] = m1, m_mse[2] = m2;
            m_x = x, m_xt = xt, m_out = o, m_plainOut = po;
            m_plainShown = plain;
            m_clean = clean, m_corrupted = noisy;
        });
    });
}

void DenoiseVsPlainDemo::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    p.setRenderHint(QPainter::Antialiasing);
    QRectF r = QRectF(rect()).adjusted(8, 6, -8, -6);
    const QStringList title = {tr("Same x̃: denoising vs plain autoencoder"), tr("Denoising vs plain AE")};
    if (m_mse[1] < 0) {
        const double px = basePixelSize(size());
        demo_paint::drawMessage(p, demo_paint::drawTitle(p, r, title, px), tr("Waiting for the first model…"), px);
        return;
    }
    using demo_paint::number;
    const bool denoising = m_variant.isEmpty() || m_variant == QLatin1String("denoising");
    QString plainState;
    if (!m_plainError.isEmpty()) plainState = tr("plain AE failed: %1").arg(m_plainError);
    else if (!m_plainShown) plainState = tr("plain AE: training…");
    else plainState = tr("plain AE: %1 steps on clean x%2").arg(m_plainSteps).arg(m_plainDone ? QString() : tr(", training…"));
    QString verdict;
    if (m_mse[2] >= 0 && m_mse[1] > 0)
        verdict = m_mse[2] > m_mse[1] ? tr("Plain AE: ×%1 the error of the denoising model").arg(number(m_mse[2] / m_mse[1]))
                                      : tr("The plain AE does as well here (×%1)").arg(number(m_mse[2] / m_mse[1]));
    QStringList lines;
    if (!verdict.isEmpty()) lines << verdict;
    lines << tr("MSE vs the clean x, %1 test images · x̃: %2 · %3").arg(kImages).arg(m_corruptionText, plainState);
    const double px = paintTitleAndFooter(p, r, title, lines, !verdict.isEmpty(), [](double q) { return demo_paint::rowsTextHeight(4, q); });
    demo_paint::drawImageRows(
        p, r,
        {{tr("clean x"), QString(), QColor(), m_x},
         {tr("x̃"), tr("MSE %1").arg(number(m_mse[0])), QColor(), m_xt},
         {denoising ? tr("denoising") : tr("this model"), tr("MSE %1").arg(number(m_mse[1])), kAeColor, m_out},
         {tr("plain AE"), m_mse[2] >= 0 ? tr("MSE %1").arg(number(m_mse[2])) : tr("training…"), kPlainColor,
          m_plainOut}},
        px);
}
