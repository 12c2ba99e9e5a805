#include "ui/pca/MseVsKPlot.h"

#include "ui/widgets/Palette.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

QSize MseVsKPlot::minimumSizeHint() const { return {220, std::max(120, pca_plot::minimumHeight(basePixelSize(QSize()), 1))}; }

MseVsKPlot::MseVsKPlot(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void MseVsKPlot::setCurve(QVector<double> curve)
{
    m_curve = std::move(curve);
    update();
}

void MseVsKPlot::setAutoencoder(int k, double testMse, double noisyMse, double pcaNoisyMse)
{
    m_k = k, m_ae = testMse, m_aeNoisy = noisyMse, m_pcaNoisy = pcaNoisyMse;
    update();
}

void MseVsKPlot::setMessage(const QString &m)
{
    m_message = m;
    update();
}

double MseVsKPlot::pcaMse(int k) const
{
    if (m_curve.isEmpty()) return 0;
    return m_curve[std::clamp<qsizetype>(k, 0, m_curve.size() - 1)];
}

int MseVsKPlot::pcaKFor(double mse) const
{
    for (qsizetype k = 1; k < m_curve.size(); ++k)
        if (m_curve[k] <= mse) return int(k);
    return -1;
}

namespace {
QString mseFigure(double v) { return QString::number(v, 'f', v < 0.1 ? 4 : 3); }
}  // namespace

QString MseVsKPlot::verdict() const { return verdicts().value(0); }

QStringList MseVsKPlot::verdicts() const
{
    if (m_curve.isEmpty() || m_k <= 0 || m_ae < 0) return {};
    const double pca = pcaMse(m_k);
    const QString cmp = m_ae < pca ? QStringLiteral("<") : m_ae > pca ? QStringLiteral(">") : QStringLiteral("=");
    const QString pair = tr("k = %1: AE %2 %3 PCA %4").arg(m_k).arg(mseFigure(m_ae), cmp, mseFigure(pca));
    QStringList forms;
    const int need = pcaKFor(m_ae);
    if (m_ae < pca && need > 0) forms << pair + tr("; PCA needs k = %1").arg(need);
    forms << pair << tr("AE %1 %2 PCA %3").arg(mseFigure(m_ae), cmp, mseFigure(pca));
    return forms;
}

QString MseVsKPlot::shownVerdict() const
{
    const double base = basePixelSize(size());
    return firstFitting(verdicts(), QFontMetricsF(uiFont(base, true)), width() - base * 0.8);
}

QString MseVsKPlot::noisyVerdict() const { return noisyVerdicts().value(0); }

QStringList MseVsKPlot::noisyVerdicts() const
{
    if (m_aeNoisy < 0 || m_pcaNoisy < 0) return {};
    const QString cmp = m_aeNoisy < m_pcaNoisy ? QStringLiteral("<") : m_aeNoisy > m_pcaNoisy ? QStringLiteral(">") : QStringLiteral("=");
    return {tr("on corrupted x̃: AE %1 %2 PCA %3").arg(mseFigure(m_aeNoisy), cmp, mseFigure(m_pcaNoisy)),
            tr("x̃: AE %1 %2 PCA %3").arg(mseFigure(m_aeNoisy), cmp, mseFigure(m_pcaNoisy))};
}

QStringList MseVsKPlot::legendTexts() const
{
    QStringList t{tr("PCA-k"), tr("autoencoder")};
    if (m_aeNoisy >= 0) t << tr("○ on corrupted x̃");
    return t;
}

QRectF MseVsKPlot::legendRect() const
{
    const pca_plot::Axes &a = m_axes;
    const int d = int(m_curve.size()) - 1;
    const double base = basePixelSize(size());
    const QFontMetricsF fm(uiFont(base * 0.9));
    double w = 0;
    const QStringList texts = legendTexts();
    for (const QString &t : texts) w = std::max(w, fm.horizontalAdvance(t));
    const QSizeF box(w + base * 2.8, fm.height() * texts.size());
    const QRectF bottomLeft(QPointF(a.plot.left() + base * 0.2, a.plot.bottom() - base * 0.3 - box.height()), box);
    const QRectF topRight(QPointF(a.plot.right() - base * 0.2 - box.width(), a.plot.top() + base * 0.2), box);
    if (d < 1) return bottomLeft;
    // The curve sampled evenly along the log axis (linear between whole k), and the marks at k.
    auto crossings = [&](const QRectF &r) {
        int n = 0;
        for (int i = 0; i <= 200; ++i) {
            const double k = std::exp(std::log(double(d)) * i / 200.0), f = k - std::floor(k);
            const int k0 = std::clamp(int(k), 1, d), k1 = std::min(k0 + 1, d);
            if (r.contains(a.map(k, m_curve[k0] * (1 - f) + m_curve[k1] * f))) ++n;
        }
        const double mark = 7 * lineScale();
        for (double mse : {pcaMse(m_k), m_ae, m_aeNoisy, m_pcaNoisy})
            if (m_k > 0 && mse >= 0 && r.adjusted(-mark, -mark, mark, mark).contains(a.map(m_k, mse))) n += 1000;
        return n;
    };
    const int atTopRight = crossings(topRight), atBottomLeft = crossings(bottomLeft);
    // A plot so small that the legend covers a mark either way (the PCA dock presenting at 1024 × 768: the box as
    // tall as the plot, over both dots at k = 16): no legend; the verdict above names both ("AE 0.0134 < PCA 0.0268").
    if (std::min(atTopRight, atBottomLeft) >= 1000) return {};
    return atTopRight < atBottomLeft ? topRight : bottomLeft;
}

void MseVsKPlot::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    p.setRenderHint(QPainter::Antialiasing);
    const double base = basePixelSize(size());
    pca_plot::Captions c;
    c.title = tr("Test MSE against k");
    c.shortTitle = tr("MSE against k");
    const int d = int(m_curve.size()) - 1;
    if (d < 1) {
        p.setPen(kText);
        p.setFont(uiFont(base * 1.3, true));
        p.drawText(QPointF(base * 0.4, base * 1.5), c.title);
        p.setFont(uiFont(base));
        p.setPen(kSubtleText);
        p.drawText(rect().adjusted(int(base), int(base * 2), -int(base), 0), Qt::AlignLeft | Qt::TextWordWrap, m_message);
        return;
    }
    pca_plot::Axes &a = m_axes;
    a.logX = true;
    a.x0 = 1;
    a.x1 = std::max({2, d, m_k});
    a.y0 = 0;
    a.y1 = std::max({m_curve[1], m_ae, m_aeNoisy, m_pcaNoisy, 1e-9}) * 1.1;
    c.xLabel = tr("code size k (log scale)");
    c.yLabel = tr("test MSE");
    c.shortYLabel = tr("MSE");
    // room for the verdict line under the title
    const QString noisy = noisyVerdict();
    pca_plot::layout(a, rect().adjusted(0, int(base * (noisy.isEmpty() ? 1.2 : 2.4)), 0, 0), base, false);
    pca_plot::drawFrame(p, a, c, base);

    // PCA-k test MSE for k = 1..d:  MSE(k) = mean‖x − μ‖² − Σ_{i≤k} mean (w_iᵀ(x − μ))²  (per pixel; core/pca)
    QPainterPath path;
    for (int k = 1; k <= d; ++k) {
        const QPointF pt = a.map(k, m_curve[k]);
        k == 1 ? path.moveTo(pt) : path.lineTo(pt);
    }
    if (a.x1 > d) path.lineTo(a.map(a.x1, m_curve[d]));  // k > d: PCA stays at its last value
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(kPcaColor, 2.5 * lineScale()));
    p.drawPath(path);

    const double r = 6.5 * lineScale();
    auto dot = [&](double k, double mse, const QColor &col, bool filled) {
        const QPointF pt = a.map(k, mse);
        p.setPen(QPen(filled ? Qt::white : col, (filled ? 1.5 : 2.5) * lineScale()));
        p.setBrush(filled ? QBrush(col) : Qt::NoBrush);
        p.drawEllipse(pt, r, r);
    };
    if (m_k > 0) {
        if (m_pcaNoisy >= 0) dot(m_k, m_pcaNoisy, kPcaColor, false);
        if (m_aeNoisy >= 0) dot(m_k, m_aeNoisy, kAeColor, false);
        dot(m_k, pcaMse(m_k), kPcaColor, true);
        if (m_ae >= 0) dot(m_k, m_ae, kAeColor, true);
    }

    // legend (where the curve and the marks are not) and the verdict (under the title)
    p.setFont(uiFont(base * 0.9));
    const QFontMetricsF fm(p.font());
    const QStringList texts = legendTexts();
    const QColor colours[] = {kPcaColor, kAeColor, kSubtleText};
    const QRectF box = legendRect();
    double y = box.top() + fm.ascent();
    for (int i = 0; i < texts.size() && !box.isNull(); ++i) {
        const QString &text = texts[i];
        const QColor &col = colours[i];
        const double w = fm.horizontalAdvance(text);
        const double x = box.left() + base * 1.4;
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(255, 255, 255, 220));
        p.drawRect(QRectF(x - base * 1.2, y - fm.ascent(), w + base * 1.4, fm.height()));
        p.setBrush(col);
        if (col != kSubtleText) p.drawEllipse(QPointF(x - base * 0.6, y - fm.ascent() * 0.35), base * 0.3, base * 0.3);
        p.setPen(col == kSubtleText ? kSubtleText : col.darker(115));
        p.drawText(QPointF(x, y), text);
        y += fm.height();
    }
    p.setFont(uiFont(base, true));
    p.setPen(m_ae >= 0 && m_ae < pcaMse(m_k) ? kAeColor.darker(115) : kPcaColor.darker(115));
    const QFontMetricsF vf(p.font());
    p.drawText(QPointF(base * 0.4, base * 1.3 * 1.5 + vf.ascent() * 0.9), shownVerdict());
    if (!noisy.isEmpty()) {
        p.setPen(m_aeNoisy < m_pcaNoisy ? kAeColor.darker(115) : kPcaColor.darker(115));
        p.drawText(QPointF(base * 0.4, base * 1.3 * 1.5 + vf.ascent() * 0.9 + vf.height()),
                   firstFitting(noisyVerdicts(), vf, width() - base * 0.8));
    }
}
