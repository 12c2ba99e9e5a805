#include "ContractionCloudDemo.h"

#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/nn/Model.h"
#include "core/train/Settings.h"
#include "ui/lessons/demos/DemoCompute.h"
#include "ui/lessons/demos/DemoPaint.h"
#include "ui/training/DataBundle.h"
#include "ui/widgets/AxisTicks.h"
#include "ui/widgets/Palette.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

namespace {
constexpr int kMaxHistory = 400;
}

ContractionCloudDemo::ContractionCloudDemo(QWidget *parent) : DemoBase(parent) {}

void ContractionCloudDemo::clearResults()
{
    m_plainWorker.cancelAll();
    m_plainKey.clear();
    m_plain.reset();
    m_last = Snapshot();
    m_plainRadius = -1;
    m_radius = -1;
    m_noise = 0;
    m_cloud.clear();
    m_context.clear();
    m_history.clear();
}

ContractionCloudDemo::~ContractionCloudDemo() { m_plainWorker.cancelAll(); }

void ContractionCloudDemo::applySnapshot(const Snapshot &s)
{
    if (!s.model || !s.data || !s.data->test || !s.data->train || s.data->test->empty()) return;
    if (s.model->arch().input != s.data->dim()) return;
    if (!m_history.isEmpty() && m_history.last().step == s.step && m_radius >= 0 && s.model == m_last.model)
        return;  // nothing new
    m_last = s;
    ael::Architecture a = s.model->arch();
    a.variational = false;
    const QString key = QString::fromStdString(a.spec()) + QString::number(quintptr(s.data.get())) +
                        QString::number(int(a.output)) + QString::number(int(a.hidden));
    if (key != m_plainKey) {
        m_plainKey = key;
        startPlain(s);
    }
    evaluate(s);
}

void ContractionCloudDemo::startPlain(const Snapshot &s)
{
    m_plainWorker.cancelAll();
    m_plain.reset();
    m_plainRadius = -1;
    if (!s.settings) return;
    const quint64 gen = generation();
    const QString key = m_plainKey;
    const auto data = s.data;
    const ael::Architecture arch = s.model->arch();
    const ael::TrainSettings settings = *s.settings;
    const plain_twin::Budget budget = m_budget;
    m_plainWorker.post([=, this](const std::atomic<bool> &cancelled) {
        plain_twin::train(arch, settings, *data->train, budget, cancelled,
                          [&](std::shared_ptr<const ael::Model<float>> m, long long, bool) {
                              deliver(gen, [this, key, m] {
                                  if (key != m_plainKey) return;
                                  m_plain = m;
                                  evaluate(m_last);
                              });
                          });
    });
}

void ContractionCloudDemo::evaluate(const Snapshot &s)
{
    if (!s.model || !s.data) return;
    const auto model = s.model;
    const auto plain = m_plain;
    const auto data = s.data;
    const quint64 gen = generation();
    const qint64 step = s.step;
    const double lambda = s.settings && s.settings->variant == ael::Variant::Contractive ? s.settings->contractiveLambda : -1;
    const QVector<float> origin = s.latentOrigin, basis = s.latentBasis;
    if (!s.latent.isEmpty()) m_context = s.latent;
    m_variant = s.variant;
    schedule([=, this](const std::atomic<bool> &cancelled) {
        const ael::Dataset &test = *data->test;
        const int d = test.dim(), k = model->arch().code;
        // The digit: the showcase "3" when there is one (any class would do).
        const int which = data->showcase.size() > 3 ? data->showcase[3] : 0;
        ael::Matrix X(d, kNeighbours + 1);
        const ael::Matrix x = demo_compute::columns(test, {which});
        ael::Rng rng(kSeed);
        double noise = 0;
        X.col(0) = x.col(0);
        for (int j = 1; j <= kNeighbours; ++j) {
            for (int i = 0; i < d; ++i)  // x + ε, ε ~ N(0, σ²), clipped to [0, 1]
                X(i, j) = std::clamp(x(i, 0) + float(kSigma * rng.normal()), 0.0f, 1.0f);
            noise += (X.col(j) - X.col(0)).norm();
        }
        noise /= kNeighbours;
        ael::Matrix H;
        model->encode(X, H);
        if (cancelled) return;
        // r̄ = (1/n) Σ_j ‖f(x + ε_j) − f(x)‖
        double radius = 0;
        for (int j = 1; j <= kNeighbours; ++j) radius += (H.col(j) - H.col(0)).norm();
        radius /= kNeighbours;
        double plainRadius = -1;  // the same neighbours through the plain AE
        if (plain) {
            ael::Matrix Hp;
            plain->encode(X, Hp);
            plainRadius = 0;
            for (int j = 1; j <= kNeighbours; ++j) plainRadius += (Hp.col(j) - Hp.col(0)).norm();
            plainRadius /= kNeighbours;
        }
        // p = Bᵀ(h − origin) when the projection fits this code; the code itself when k = 2.
        QVector<QPointF> cloud;
        QPointF centre;
        const bool proj = origin.size() == k && basis.size() == 2 * k;
        if (proj || k == 2) {
            for (int j = 0; j <= kNeighbours; ++j) {
                double u = 0, v = 0;
                for (int i = 0; i < k; ++i) {
                    const double c = H(i, j) - (proj ? origin[i] : 0.0f);
                    u += (proj ? basis[i] : (i == 0)) * c;
                    v += (proj ? basis[k + i] : (i == 1)) * c;
                }
                if (j == 0) centre = {u, v};
                else cloud << QPointF(u, v);
            }
        }
        deliver(gen, [this, radius, plainRadius, noise, cloud, centre, step, lambda, cls = int(test.labels[size_t(which)])] {
            m_radius = radius, m_noise = noise, m_cloud = cloud, m_centre = centre, m_lambda = lambda;
            m_plainRadius = plainRadius;
            m_digitClass = cls;
            if (!m_history.isEmpty() && step < m_history.last().step) m_history.clear();  // a new run
            if (!m_history.isEmpty() && step == m_history.last().step) m_history.last() = {step, radius, lambda};
            else m_history.append({step, radius, lambda});
            if (m_history.size() > kMaxHistory) {  // keep every other point of the older half
                QVector<HistoryPoint> h;
                for (int i = 0; i < m_history.size(); ++i)
                    if (i >= m_history.size() / 2 || i % 2 == 0) h << m_history[i];
                m_history = h;
            }
        });
    });
}

QStringList ContractionCloudDemo::cloudHeader() const
{
    return {tr("latent plane, grey: test codes"), tr("grey: test codes")};
}

QStringList ContractionCloudDemo::cloudLegend() const
{
    return {tr("○ f(x) of a %1 · blue: f(x + ε)").arg(m_digitClass), tr("○ f(x) · blue: f(x + ε)"), tr("○ f(x) • f(x + ε)")};
}

void ContractionCloudDemo::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    p.setRenderHint(QPainter::Antialiasing);
    QRectF r = QRectF(rect()).adjusted(8, 6, -8, -6);
    const QStringList title = {tr("Codes of %1 noisy copies of one digit").arg(kNeighbours), tr("%1 noisy copies of a digit").arg(kNeighbours),
                               tr("Noisy copies")};
    if (m_radius < 0) {
        const double px = basePixelSize(size());
        demo_paint::drawMessage(p, demo_paint::drawTitle(p, r, title, px), tr("Waiting for the first model…"), px);
        return;
    }
    using demo_paint::number;
    const QString lambda = m_lambda >= 0 ? tr("λ = %1").arg(number(m_lambda)) : tr("%1 (no contractive term)").arg(m_variant);
    const QString plainText = m_plainRadius >= 0 ? tr(" · plain AE %1").arg(number(m_plainRadius)) : QString();
    // In presentation mode the verdict is the comparison alone (the ratio and "mean" go), so that it
    // takes two lines of readable text instead of three and leaves the pictures their room.
    const QString verdict = presentationMode()
                                ? tr("‖f(x+ε) − f(x)‖ = %1 for ‖ε‖ = %2%3").arg(number(m_radius), number(m_noise), plainText)
                                : tr("mean ‖f(x+ε) − f(x)‖ = %1 for mean ‖ε‖ = %2 (ratio %3)%4")
                                      .arg(number(m_radius), number(m_noise), number(m_noise > 0 ? m_radius / m_noise : 0), plainText);
    const QStringList lines = {verdict, tr("ε ~ N(0, σ²), σ = %1 per pixel, clipped to [0, 1] · %2").arg(kSigma).arg(lambda)};
    const double half = r.width() * 0.5 - 14;
    const double px = paintTitleAndFooter(p, r, title, lines, true, [&](double q) {
        // The panels' header and legend fit on one line of half the width, in their shortest forms.
        const QFontMetricsF small(uiFont(q * 0.85));
        const double wide = std::max(small.horizontalAdvance(cloudHeader().last()), small.horizontalAdvance(cloudLegend().last()));
        return 4 * q + 40 + (wide > half ? 1e6 : 0);
    });
    const double split = std::round(r.width() * 0.5);
    paintCloud(p, QRectF(r.left(), r.top(), split - 6, r.height()), px);
    paintHistory(p, QRectF(r.left() + split + 6, r.top(), r.width() - split - 6, r.height()), px);
}

void ContractionCloudDemo::paintCloud(QPainter &p, const QRectF &r, double px) const
{
    const QFont small = uiFont(px * 0.85);
    const double headerH = QFontMetricsF(small).height() + 2;
    p.setFont(small);
    p.setPen(kSubtleText);
    p.drawText(QRectF(r.left(), r.top(), r.width(), headerH), Qt::AlignLeft | Qt::AlignVCenter,
               firstFitting(cloudHeader(), QFontMetricsF(small), r.width()));
    const QRectF box = r.adjusted(0, headerH + 2, 0, 0);
    p.setPen(QPen(kGrid, 1));
    p.drawRect(box);
    if (m_cloud.isEmpty()) {
        demo_paint::drawMessage(p, box, tr("no 2-D projection of the code yet"), px * 0.9);
        return;
    }
    // The frame: centred on f(x), as wide as the test codes' spread (2.5 standard deviations), or the
    // cloud if that is wider — so a shrinking cloud shrinks against the map of all digits.
    double half = 0;
    if (m_context.size() > 1) {
        double mu = 0, mv = 0, vu = 0, vv = 0;
        for (const QPointF &q : m_context) mu += q.x(), mv += q.y();
        mu /= m_context.size(), mv /= m_context.size();
        for (const QPointF &q : m_context) vu += (q.x() - mu) * (q.x() - mu), vv += (q.y() - mv) * (q.y() - mv);
        half = 2.5 * std::sqrt((vu + vv) / (2.0 * m_context.size()));  // 2.5 × RMS spread per axis
    }
    for (const QPointF &q : m_cloud)
        half = std::max(half, 1.15 * std::max(std::abs(q.x() - m_centre.x()), std::abs(q.y() - m_centre.y())));
    if (!(half > 0)) half = 1;
    const double scale = std::min(box.width(), box.height()) / (2 * half);
    auto map = [&](QPointF q) {
        return QPointF(box.center().x() + (q.x() - m_centre.x()) * scale, box.center().y() - (q.y() - m_centre.y()) * scale);
    };
    p.save();
    p.setClipRect(box);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0xbb, 0xbb, 0xbb));
    const double cr = 1.3 * lineScale();
    for (const QPointF &q : m_context) p.drawEllipse(map(q), cr, cr);
    p.setBrush(kAeColor);
    const double pr = 2.6 * lineScale();
    for (const QPointF &q : m_cloud) p.drawEllipse(map(q), pr, pr);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(kText, 2 * lineScale()));
    const double ring = 6 * lineScale();
    p.drawEllipse(map(m_centre), ring, ring);
    p.restore();
    p.setFont(small);
    p.setPen(kText);
    p.drawText(box.adjusted(4, 2, -4, -2), Qt::AlignLeft | Qt::AlignBottom, firstFitting(cloudLegend(), QFontMetricsF(small), box.width() - 8));
}

void ContractionCloudDemo::paintHistory(QPainter &p, const QRectF &r, double px) const
{
    const QFont small = uiFont(px * 0.85);
    const QFontMetricsF fm(small);
    const double headerH = fm.height() + 2;
    p.setFont(small);
    p.setPen(kSubtleText);
    p.drawText(QRectF(r.left(), r.top(), r.width(), headerH), Qt::AlignLeft | Qt::AlignVCenter,
               firstFitting({tr("cloud radius over steps"), tr("cloud radius")}, fm, r.width()));
    double maxR = 0;
    for (const HistoryPoint &h : m_history) maxR = std::max(maxR, h.radius);
    maxR = std::max(maxR, m_plainRadius);
    if (!(maxR > 0)) maxR = 1;
    // About three ticks, fewer where the labels would crowd a short plot (presentation mode).
    const double plotH = r.height() - headerH - fm.height() * 1.5 - 4;
    const double step = axis_ticks::niceStep(maxR, std::clamp(int(plotH / (fm.height() * 1.8)), 1, 3));
    const double top = std::ceil(maxR / step) * step;
    const double labelW = fm.horizontalAdvance(axis_ticks::tickLabel(top, step)) + 6;
    const QRectF plot = r.adjusted(labelW, headerH + fm.height() / 2 + 2, -4, -fm.height() - 2);
    if (plot.width() < 10 || plot.height() < 10) return;
    p.setPen(QPen(kGrid, 1));
    for (double v = 0; v <= top + step / 2; v += step) {
        const double y = plot.bottom() - v / top * plot.height();
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(kText);
        p.drawText(QRectF(r.left(), y - fm.height() / 2, labelW - 4, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   axis_ticks::tickLabel(v, step));
        p.setPen(QPen(kGrid, 1));
    }
    if (m_history.isEmpty()) return;
    const double s0 = double(m_history.first().step), s1 = std::max(s0 + 1, double(m_history.last().step));
    auto map = [&](const HistoryPoint &h) {
        return QPointF(plot.left() + (h.step - s0) / (s1 - s0) * plot.width(), plot.bottom() - h.radius / top * plot.height());
    };
    // λ changes as dashed markers with the new value
    for (int i = 1; i < m_history.size(); ++i) {
        if (m_history[i].lambda == m_history[i - 1].lambda) continue;
        const double x = map(m_history[i]).x();
        p.setPen(QPen(kMarkerColor, lineScale(), Qt::DashLine));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(kMarkerColor);
        p.drawText(QRectF(x + 2, plot.top(), plot.right() - x, fm.height()), Qt::AlignLeft | Qt::AlignTop,
                   m_history[i].lambda >= 0 ? QStringLiteral("λ %1").arg(demo_paint::number(m_history[i].lambda)) : QString());
    }
    QPainterPath path;
    path.moveTo(map(m_history.first()));
    for (int i = 1; i < m_history.size(); ++i) path.lineTo(map(m_history[i]));
    p.setPen(QPen(kAeColor, 2 * lineScale()));
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
    if (m_plainRadius >= 0) {  // the plain AE's radius for the same neighbourhood, for reference
        const QColor plainColor = QColor::fromRgb(kPlainAeRgb);
        const double y = plot.bottom() - m_plainRadius / top * plot.height();
        p.setPen(QPen(plainColor, 1.5 * lineScale(), Qt::DashLine));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(plainColor);
        // Its label above the line, or below it when the line runs along the top of the plot.
        const double ty = y - fm.height() < plot.top() ? y + 1 : y - fm.height();
        p.drawText(QRectF(plot.left(), ty, plot.width() - 2, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   tr("plain AE"));
    }
    p.setPen(kText);
    p.drawText(QRectF(plot.left(), plot.bottom() + 1, plot.width(), fm.height()), Qt::AlignLeft | Qt::AlignTop,
               QString::number(m_history.first().step));
    p.drawText(QRectF(plot.left(), plot.bottom() + 1, plot.width(), fm.height()), Qt::AlignRight | Qt::AlignTop,
               tr("step %1").arg(m_history.last().step));
}
