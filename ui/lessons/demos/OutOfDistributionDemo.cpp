#include "OutOfDistributionDemo.h"

#include "core/data/Dataset.h"
#include "core/nn/Model.h"
#include "ui/lessons/demos/DemoCompute.h"
#include "ui/lessons/demos/DemoPaint.h"
#include "ui/lessons/demos/OutOfDistributionSet.h"
#include "ui/training/DataBundle.h"
#include "ui/widgets/Palette.h"

#include <QPainter>

#include <algorithm>

using namespace ael::ui;

namespace {
const QColor kOtherColor = kPcaColor;  // the foreign images' reconstructions stand out in vermillion

// Up to n indices: the first image of each class, then the rest in order.
std::vector<int> pick(const ael::Dataset &d, int n)
{
    std::vector<int> idx;
    bool seen[256] = {};
    for (int i = 0; i < d.size() && int(idx.size()) < 10; ++i)
        if (!seen[d.labels[size_t(i)]]) seen[d.labels[size_t(i)]] = true, idx.push_back(i);
    for (int i = 0; i < d.size() && int(idx.size()) < n; ++i)
        if (std::find(idx.begin(), idx.end(), i) == idx.end()) idx.push_back(i);
    return idx;
}
}  // namespace

OutOfDistributionDemo::OutOfDistributionDemo(QWidget *parent) : DemoBase(parent) {}

void OutOfDistributionDemo::clearResults()
{
    m_inMse = m_outMse = -1;
    m_in.clear(), m_inOut.clear(), m_out.clear(), m_outOut.clear();
}

void OutOfDistributionDemo::applySnapshot(const Snapshot &s)
{
    if (!s.model || !s.data || !s.data->test || s.data->test->empty()) return;
    if (s.model->arch().input != s.data->dim()) return;
    const auto model = s.model;
    const auto data = s.data;
    const quint64 gen = generation();
    const bool builtIn = m_builtInOnly;
    schedule([=, this](const std::atomic<bool> &cancelled) {
        const ael::Dataset &test = *data->test;
        const ood_set::Set other = ood_set::forRun(data->id, test.rows, test.cols, builtIn);  // cached after the first
        if (cancelled || !other.images || other.images->empty()) return;
        std::vector<int> inIdx(data->showcase.begin(), data->showcase.end());
        for (int i = 0; int(inIdx.size()) < std::min(kImages, test.size()); ++i)
            if (std::find(inIdx.begin(), inIdx.end(), i) == inIdx.end()) inIdx.push_back(i);
        const ael::Matrix Xin = demo_compute::columns(test, inIdx);
        const ael::Matrix Xout = demo_compute::columns(*other.images, pick(*other.images, kImages));
        const ael::Matrix Rin = demo_compute::reconstruct(*model, Xin);
        if (cancelled) return;
        const ael::Matrix Rout = demo_compute::reconstruct(*model, Xout);
        const double mi = demo_compute::mse(Rin, Xin), mo = demo_compute::mse(Rout, Xout);
        const int r = test.rows, c = test.cols;
        auto shown = [&](const ael::Matrix &M) { return demo_compute::toImages(M, r, c, kShown); };
        deliver(gen, [=, this, a = shown(Xin), b = shown(Rin), e = shown(Xout), f = shown(Rout)] {
            m_inMse = mi, m_outMse = mo;
            m_inCount = int(Xin.cols()), m_outCount = int(Xout.cols());
            m_in = a, m_inOut = b, m_out = e, m_outOut = f;
            m_otherName = other.name, m_why = other.why, m_noun = data->noun();
        });
    });
}

void OutOfDistributionDemo::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    p.setRenderHint(QPainter::Antialiasing);
    QRectF r = QRectF(rect()).adjusted(8, 6, -8, -6);
    const QString noun = m_noun.chopped(m_noun.endsWith('s') ? 1 : 0);
    const QStringList title = {tr("A %1 model on other images").arg(noun), tr("Other images")};
    if (m_inMse < 0) {
        const double px = basePixelSize(size());
        demo_paint::drawMessage(p, demo_paint::drawTitle(p, r, title, px), tr("Waiting for the first model…"), px);
        return;
    }
    using demo_paint::number;
    const double q = ratio();
    QStringList lines;
    lines << (q >= 1 ? tr("×%1 worse on %2 than on %3").arg(number(q), m_otherName, m_noun)
                     : tr("×%1: %2 reconstructed as well as test %3").arg(number(q), m_otherName, m_noun));
    QString source = tr("MSE per pixel, %1 test %2 and %3 %4").arg(m_inCount).arg(m_noun).arg(m_outCount).arg(m_otherName);
    if (!m_why.isEmpty()) source += tr(" (%1)").arg(m_why);
    lines << source;
    const double px = paintTitleAndFooter(p, r, title, lines, true, [](double q) { return demo_paint::rowsTextHeight(4, q); });
    demo_paint::drawImageRows(p, r,
                              {{tr("test %1").arg(m_noun), QString(), QColor(), m_in},
                               {tr("g(f(x))"), tr("MSE %1").arg(number(m_inMse)), kAeColor, m_inOut},
                               {m_otherName, QString(), QColor(), m_out},
                               {tr("g(f(x))"), tr("MSE %1").arg(number(m_outMse)), kOtherColor, m_outOut}},
                              px);
}
