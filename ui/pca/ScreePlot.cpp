#include "ui/pca/ScreePlot.h"

#include "ui/pca/PlotFrame.h"
#include "ui/widgets/Palette.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

using namespace ael::ui;

QSize ScreePlot::minimumSizeHint() const { return {220, std::max(120, pca_plot::minimumHeight(basePixelSize(QSize()), 1))}; }

ScreePlot::ScreePlot(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void ScreePlot::setRatios(QVector<double> ratios)
{
    m_ratios = std::move(ratios);
    m_cumulative.resize(m_ratios.size() + 1);
    m_cumulative[0] = 0;
    for (qsizetype i = 0; i < m_ratios.size(); ++i) m_cumulative[i + 1] = m_cumulative[i] + m_ratios[i];
    update();
}

void ScreePlot::setCodeSize(int k)
{
    if (k == m_k) return;
    m_k = k;
    update();
}

void ScreePlot::setMessage(const QString &m)
{
    m_message = m;
    update();
}

double ScreePlot::cumulative(int k) const
{
    if (m_cumulative.isEmpty()) return 0;
    return m_cumulative[std::clamp<qsizetype>(k, 0, m_cumulative.size() - 1)];
}

QString ScreePlot::markerText() const
{
    if (m_ratios.isEmpty() || m_k <= 0) return {};
    const int k = std::min<int>(m_k, int(m_ratios.size()));
    const QString pcs = k == 1 ? tr("PC1") : tr("PC1…PC%1").arg(k);
    return tr("%1 explain %2 %").arg(pcs, QString::number(cumulative(k) * 100, 'f', cumulative(k) < 0.995 ? 0 : 1));
}

void ScreePlot::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    p.setRenderHint(QPainter::Antialiasing);
    const double base = basePixelSize(size());
    pca_plot::Captions c;
    c.title = tr("Variance per component");
    c.shortTitle = tr("Variance");
    if (m_ratios.isEmpty()) {
        p.setPen(kText);
        p.setFont(uiFont(base * 1.3, true));
        p.drawText(QPointF(base * 0.4, base * 1.5), c.title);
        p.setFont(uiFont(base));
        p.setPen(kSubtleText);
        p.drawText(rect().adjusted(int(base), int(base * 2), -int(base), 0), Qt::AlignLeft | Qt::TextWordWrap, m_message);
        return;
    }
    const int n = std::min<int>(kMaxBars, int(m_ratios.size()));
    pca_plot::Axes a;
    a.x0 = 0.5;
    a.x1 = n + 0.5;
    a.y0 = 0;
    a.y1 = std::max(1e-9, *std::max_element(m_ratios.begin(), m_ratios.begin() + n) * 1.08);
    a.rightY0 = 0;
    a.rightY1 = 1;
    c.xLabel = tr("component i");
    c.yLabel = tr("share");
    c.rightLabel = tr("cumulative");
    c.shortRightLabel = tr("cum.");
    c.yPercent = c.rightPercent = true;
    pca_plot::layout(a, rect().adjusted(0, int(base * 1.2), 0, 0), base, true);
    pca_plot::drawFrame(p, a, c, base);

    // bars: ratio_i (left axis); the first k (the PCs PCA-k uses) in the PCA colour, the rest pale
    const double bw = a.plot.width() / n * 0.75;
    p.setPen(Qt::NoPen);
    for (int i = 0; i < n; ++i) {
        const double x = a.px(i + 1);
        QColor col = kPcaColor;
        if (i >= m_k) col.setAlphaF(0.35);
        p.setBrush(col);
        p.drawRect(QRectF(QPointF(x - bw / 2, a.py(m_ratios[i])), QPointF(x + bw / 2, a.py(0))));
    }
    // cumulative Σ_{i≤k} ratio_i (right axis, 0–100 %)
    QPainterPath path;
    for (int i = 1; i <= n; ++i) {
        const QPointF pt(a.px(i), a.pyRight(m_cumulative[i]));
        i == 1 ? path.moveTo(pt) : path.lineTo(pt);
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(kText, 2.0 * lineScale()));
    p.drawPath(path);

    // the marker at k
    if (m_k > 0 && m_k <= n) {
        const double x = a.px(m_k), y = a.pyRight(cumulative(m_k));
        p.setPen(QPen(kAeColor, 1.5 * lineScale(), Qt::DashLine));
        p.drawLine(QPointF(x, a.plot.top()), QPointF(x, a.plot.bottom()));
        p.setPen(Qt::NoPen);
        p.setBrush(kAeColor);
        const double r = 4.5 * lineScale();
        p.drawEllipse(QPointF(x, y), r, r);
    }
    // the caption of the marker, under the title
    p.setFont(uiFont(base, true));
    const QFontMetricsF fm(p.font());
    QString text = markerText();
    if (m_k > n) text = tr("k = %1: %2").arg(m_k).arg(text);
    p.setPen(kAeColor.darker(115));
    p.drawText(QPointF(base * 0.4, base * 1.3 * 1.5 + fm.ascent() * 0.9), fm.elidedText(text, Qt::ElideRight, width() - base * 0.8));
}
