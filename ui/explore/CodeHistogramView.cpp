#include "CodeHistogramView.h"

#include "ui/widgets/AxisTicks.h"
#include "ui/widgets/MathText.h"
#include "ui/widgets/Palette.h"

#include <QFontMetricsF>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

namespace {

const QColor kRhoColor{0xe6, 0x9f, 0x00};   // Okabe-Ito orange: the target ρ and the ρ̂_j ticks
const QColor kMeanColor{0x1a, 0x1a, 0x1a};  // the mean activation
constexpr double kLegendSwatch = 30;        // a legend line's length
constexpr double kLegendMaxShare = 0.7;     // of the plot's width, for the legend's shortest texts

QString shortNumber(double v) { return QString::number(std::abs(v) < 1e-12 ? 0.0 : v, 'g', 3); }

/// A count as a short label: 950, 9,500, 200k, 1.2M (a code of 1024 units over 1000 digits has a million values).
QString countLabel(double c)
{
    const QLocale loc;
    if (c >= 1e6) return loc.toString(c / 1e6, 'g', 3) + QLatin1Char('M');
    if (c >= 1e4) return loc.toString(c / 1e3, 'g', 3) + QLatin1Char('k');
    return loc.toString(qlonglong(c));
}

}  // namespace

CodeHistogramView::CodeHistogramView(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
    recompute();
}

void CodeHistogramView::setCodes(const std::vector<float> &codes, int k, int n, double activeThreshold)
{
    m_k = std::max(0, k);
    m_n = std::max(0, n);
    const size_t count = std::min(codes.size(), size_t(m_k) * size_t(m_n));
    m_codes.assign(codes.begin(), codes.begin() + std::ptrdiff_t(count));
    m_threshold = activeThreshold;
    recompute();
}

void CodeHistogramView::setSparseTarget(std::optional<double> rho)
{
    m_rho = rho;
    update();
}

void CodeHistogramView::setExtraTerms(const QVector<ExtraTerm> &terms)
{
    m_terms = terms;
    update();
}

void CodeHistogramView::setFixedRange(double lo, double hi)
{
    m_fixedLo = lo;
    m_fixedHi = hi;
    recompute();
}

void CodeHistogramView::setBins(int bins)
{
    m_bins = std::clamp(bins, 5, 200);
    recompute();
}

void CodeHistogramView::setLogCounts(bool on)
{
    m_log = on;
    update();
}

void CodeHistogramView::clear()
{
    m_codes.clear();
    m_k = m_n = 0;
    m_rho.reset();
    m_terms.clear();
    recompute();
}

void CodeHistogramView::recompute()
{
    m_hist = codeHistogram(m_codes.data(), m_codes.size(), m_bins, m_threshold, m_fixedLo, m_fixedHi);
    m_unitMeans = ael::ui::unitMeans(m_codes.data(), m_k, int(m_codes.size() / size_t(std::max(1, m_k))));
    update();
}

QString CodeHistogramView::statsText() const { return statsForms().first(); }

QStringList CodeHistogramView::statsForms() const
{
    if (m_hist.finite == 0) return {tr("no codes yet")};
    const QString mean = shortNumber(m_hist.mean), active = QString::number(100.0 * m_hist.activeFraction, 'f', 1);
    return {tr("mean h = %1   \u00b7   active (|h| > %2): %3 % of %4")
                .arg(mean, shortNumber(m_threshold), active, QLocale().toString(qulonglong(m_hist.finite))),
            tr("mean h = %1  \u00b7  active (|h| > %2): %3 %").arg(mean, shortNumber(m_threshold), active),
            tr("mean h = %1 \u00b7 %2 % active").arg(mean, active), tr("mean h = %1").arg(mean)};
}

QStringList CodeHistogramView::titleForms() const
{
    if (m_hist.finite == 0) return {tr("Code activations h = f(x)")};
    return {tr("Code activations h = f(x): %1 units \u00d7 %2 test digits").arg(m_k).arg(QLocale().toString(m_n)),
            tr("Code activations h = f(x): %1 units").arg(m_k), tr("Code activations h = f(x)"), tr("Code activations")};
}

QString CodeHistogramView::shownTitle() const
{
    return firstFitting(titleForms(), QFontMetricsF(titleFont(basePixelSize(size()))), width() - 28);
}

CodeHistogramView::StatsLine CodeHistogramView::statsLine() const
{
    // The share of active units is what the sparse lesson asks the class to watch ("most units off"): a
    // smaller size keeps it on the line before the short form drops it.
    const QStringList forms = statsForms();
    const double px = basePixelSize(size()), room = width() - 28;
    const QString full = firstFitting(forms, QFontMetricsF(uiFont(px, true)), room);
    if (forms.size() < 2 || full != forms.last()) return {full, px};
    const QString withShare = forms[forms.size() - 2];
    for (double scale : {0.9, 0.8, 0.75})
        if (QFontMetricsF(uiFont(px * scale, true)).horizontalAdvance(withShare) <= room) return {withShare, px * scale};
    return {full, px};
}

QString CodeHistogramView::shownStats() const { return statsLine().text; }

QStringList CodeHistogramView::axisTitleForms() const
{
    return m_log ? QStringList{tr("activation h (bar height: log(1 + count))"), tr("activation h (bars: log(1 + count))"),
                               tr("activation h (log counts)"), tr("activation h")}
                 : QStringList{tr("activation h (bar height: count)"), tr("activation h (bars: counts)"), tr("activation h")};
}

// Presenting, the Inside dock at 1920 × 1080 is ~350 px wide: the long title, centred under the plot,
// ran off both edges (":tivation h (bar height: cour").
QString CodeHistogramView::shownAxisTitle() const
{
    return firstFitting(axisTitleForms(), QFontMetricsF(uiFont(basePixelSize(size()) * 0.8)), width() - 8);
}

QRectF CodeHistogramView::axisTitleRect() const
{
    const QFontMetricsF kfm(uiFont(basePixelSize(size()) * 0.8));
    const QRectF r = plotRect();
    const double w = kfm.horizontalAdvance(shownAxisTitle()) + 2;
    // Centred under the plot, moved left or right as far as it must to stay inside the view.
    const double left = std::clamp(r.center().x() - w / 2, 4.0, std::max(4.0, width() - 4 - w));
    return QRectF(left, r.bottom() + 6 + kfm.height() + (m_rho ? 14 : 0), w, kfm.height());
}

double CodeHistogramView::shownStatsPixelSize() const { return statsLine().px; }

QVector<double> CodeHistogramView::tickCounts() const
{
    QVector<double> out;
    if (m_hist.finite == 0 || m_hist.counts.empty()) return out;
    const int maxCount = *std::max_element(m_hist.counts.begin(), m_hist.counts.end());
    if (m_log)
        for (double c = 1; c <= maxCount; c *= 10) out << c;
    else
        for (double c = 0, step = axis_ticks::niceStep(maxCount, 4); c <= maxCount; c += step) out << c;
    return out;
}

CodeHistogramView::CountTicks CodeHistogramView::countTicks() const
{
    CountTicks t;
    t.counts = tickCounts();
    if (t.counts.isEmpty()) return t;
    for (double c : t.counts) t.labels << countLabel(c);
    const QRectF r = plotRect();
    const QFontMetricsF kfm(uiFont(basePixelSize(size()) * 0.8));
    for (int i = 0; i < t.counts.size(); ++i) {
        const double w = kfm.horizontalAdvance(t.labels[i]);
        t.rects << QRectF(r.left() - 6 - w, countY(t.counts[i], r) - kfm.height() / 2, w, kfm.height());
    }
    return t;
}

double CodeHistogramView::countY(double count, const QRectF &r) const
{
    const int maxCount = m_hist.counts.empty() ? 0 : *std::max_element(m_hist.counts.begin(), m_hist.counts.end());
    const double top = m_log ? std::log1p(double(maxCount)) : double(maxCount);
    const double v = m_log ? std::log1p(count) : count;
    return r.bottom() - (top > 0 ? v / top : 0) * r.height() * 0.95;
}

QRectF CodeHistogramView::plotRect() const
{
    const double px = basePixelSize(size());
    const QFontMetricsF title(titleFont(px)), stats(uiFont(px, true)), tick(uiFont(px * 0.8)),
        terms(uiFont(px * 0.85));
    double labels = tick.horizontalAdvance(QStringLiteral("000"));
    for (double c : tickCounts()) labels = std::max(labels, tick.horizontalAdvance(countLabel(c)));
    const double left = 14 + labels + 8;
    const double top = 10 + title.height() + 4 + stats.height() + 10;
    double bottom = height() - 10 - tick.height() * 2 - 8;  // tick labels + axis title
    if (m_rho) bottom -= 14;                                  // the ρ̂_j ticks under the axis
    bottom -= m_terms.size() * (terms.height() + 4);
    return QRectF(QPointF(left, top), QPointF(width() - 14 - tick.horizontalAdvance(QStringLiteral("0.00")) / 2,
                                              std::max(top + 40, bottom)));
}

double CodeHistogramView::xToWidget(double v) const { return xToWidget(v, plotRect()); }

double CodeHistogramView::xToWidget(double v, const QRectF &r) const
{
    const double span = m_hist.hi - m_hist.lo;
    return r.left() + (span > 0 ? (v - m_hist.lo) / span : 0.5) * r.width();
}

QRectF CodeHistogramView::termRect(int i) const
{
    const QFontMetricsF terms(uiFont(basePixelSize(size()) * 0.85));
    const double y0 = height() - 10 - m_terms.size() * (terms.height() + 4);
    return QRectF(14, y0 + i * (terms.height() + 4), width() - 28, terms.height());
}

void CodeHistogramView::mousePressEvent(QMouseEvent *e)
{
    for (int i = 0; i < m_terms.size(); ++i)
        if (termRect(i).contains(e->position())) {
            emit termActivated(m_terms[i].key);
            return;
        }
    QWidget::mousePressEvent(e);
}

CodeHistogramView::Legend CodeHistogramView::legend() const
{
    QVector<QStringList> entries{{tr("mean h = %1").arg(shortNumber(m_hist.mean)), tr("mean h")}};  // each long to short
    if (m_rho) {
        entries.append({tr("sparsity target ρ = %1").arg(shortNumber(*m_rho)), tr("target ρ = %1").arg(shortNumber(*m_rho)), tr("ρ = %1").arg(shortNumber(*m_rho))});
        entries.append({tr("each unit's mean ρ̂ⱼ (under the axis)"), tr("units' ρ̂ⱼ (below)"), tr("ρ̂ⱼ")});
    }
    const QFontMetricsF lfm(uiFont(basePixelSize(size()) * 0.85, true));
    const QRectF r = plotRect();
    Legend L;
    L.rowHeight = lfm.height() + 2;
    // At most half the plot's width: the texts take their short forms to fit. Where even a short form does not
    // fit there (the Inside dock at 1280 × 720 in presentation mode cut "ρ = 0.05" to "ρ = 0.…", the lesson's
    // number), up to kLegendMaxShare of it: a sparse code's tall bars are at the left, near 0.
    double room = std::max(40.0, r.width() * 0.5 - kLegendSwatch - 24);
    for (const QStringList &e : entries)
        room = std::max(room, std::min(lfm.horizontalAdvance(e.last()) + 1, r.width() * kLegendMaxShare - kLegendSwatch - 24));
    for (const QStringList &e : entries) {
        L.texts << firstFitting(e, lfm, room);
        L.textWidth = std::max(L.textWidth, lfm.horizontalAdvance(L.texts.last()));
    }
    L.box = QRectF(std::max(2.0, r.right() - L.textWidth - kLegendSwatch - 24), r.top() + 4, L.textWidth + kLegendSwatch + 18,
                   L.texts.size() * L.rowHeight + 8);
    return L;
}

void CodeHistogramView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    p.setRenderHint(QPainter::Antialiasing, true);
    const double px = basePixelSize(size());
    const QFont titleFont = ael::ui::titleFont(px), statsFont = uiFont(px, true), tickFont = uiFont(px * 0.8),
                termFont = uiFont(px * 0.85), labelFont = uiFont(px * 0.85, true);
    const QFontMetricsF tfm(titleFont), sfm(statsFont), kfm(tickFont), lfm(labelFont);

    p.setFont(titleFont);
    p.setPen(kText);
    p.drawText(QRectF(14, 10, width() - 28, tfm.height()), Qt::AlignLeft | Qt::AlignVCenter, shownTitle());
    const StatsLine stats = statsLine();
    p.setFont(uiFont(stats.px, true));
    p.setPen(kAeColor);
    p.drawText(QRectF(14, 14 + tfm.height(), width() - 28, sfm.height()), Qt::AlignLeft | Qt::AlignVCenter, stats.text);
    if (m_hist.finite == 0) return;

    const QRectF r = plotRect();
    const int nb = int(m_hist.counts.size());

    // Grid and y ticks (counts).
    p.setFont(tickFont);
    const CountTicks ticks = countTicks();
    for (int i = 0; i < ticks.counts.size(); ++i) {
        const double y = countY(ticks.counts[i], r);
        p.setPen(QPen(kGrid, 1));
        p.drawLine(QPointF(r.left(), y), QPointF(r.right(), y));
        p.setPen(kSubtleText);
        p.drawText(ticks.rects[i], Qt::AlignRight | Qt::AlignVCenter, ticks.labels[i]);
    }

    // Bars.
    const double bw = r.width() / nb;
    for (int b = 0; b < nb; ++b) {
        if (!m_hist.counts[size_t(b)]) continue;
        const double y = countY(m_hist.counts[size_t(b)], r);
        p.fillRect(QRectF(r.left() + b * bw + 0.5, y, std::max(1.0, bw - 1), r.bottom() - y), kAeColor);
    }

    // Axes and x ticks.
    p.setPen(QPen(kAxis, 1.5));
    p.drawLine(r.bottomLeft(), r.bottomRight());
    p.drawLine(r.bottomLeft(), r.topLeft());
    const double xStep = axis_ticks::niceStep(m_hist.hi - m_hist.lo, 6);
    p.setFont(tickFont);
    for (double v = std::ceil(m_hist.lo / xStep) * xStep; v <= m_hist.hi + 1e-9 * xStep; v += xStep) {
        const double x = xToWidget(v, r);
        p.setPen(QPen(kAxis, 1.5));
        p.drawLine(QPointF(x, r.bottom()), QPointF(x, r.bottom() + 5));
        p.setPen(kSubtleText);
        p.drawText(QRectF(x - 50, r.bottom() + 5, 100, kfm.height()), Qt::AlignHCenter | Qt::AlignTop, shortNumber(v));
    }
    p.setPen(kText);
    p.drawText(axisTitleRect(), Qt::AlignHCenter | Qt::AlignTop, shownAxisTitle());

    // The mean activation (dashed) and, for the sparse KL penalty, its target ρ (solid) with each unit's
    // mean activation ρ̂_j as a tick under the axis. Named in a legend box, top right.
    const double xm = xToWidget(m_hist.mean, r);
    p.setPen(QPen(kMeanColor, 2.5, Qt::DashLine));
    p.drawLine(QPointF(xm, r.top()), QPointF(xm, r.bottom()));
    if (m_rho) {
        const double xr = xToWidget(*m_rho, r);
        p.setPen(QPen(kRhoColor, 3));
        p.drawLine(QPointF(xr, r.top()), QPointF(xr, r.bottom()));
        p.setPen(QPen(kRhoColor, 2));
        const double y0 = r.bottom() + 5 + kfm.height() + 2;
        for (double m : m_unitMeans)
            if (std::isfinite(m)) {
                const double x = std::clamp(xToWidget(m, r), r.left(), r.right());
                p.drawLine(QPointF(x, y0), QPointF(x, y0 + 10));
            }
    }
    // The legend: mean h dashed, the target ρ as a line, the units' ρ̂ⱼ as a tick.
    const Legend lg = legend();
    const QPen pens[] = {QPen(kMeanColor, 2.5, Qt::DashLine), QPen(kRhoColor, 3), QPen(kRhoColor, 2)};
    p.setFont(labelFont);
    p.setPen(QPen(kGrid, 1));
    p.setBrush(QColor(255, 255, 255, 230));
    p.drawRect(lg.box);
    p.setBrush(Qt::NoBrush);
    for (int i = 0; i < lg.texts.size(); ++i) {
        const double y = lg.box.top() + 4 + i * lg.rowHeight + lg.rowHeight / 2;
        p.setPen(pens[i]);
        if (i == 2)
            p.drawLine(QPointF(lg.box.left() + 8 + kLegendSwatch / 2, y - 5), QPointF(lg.box.left() + 8 + kLegendSwatch / 2, y + 5));
        else
            p.drawLine(QPointF(lg.box.left() + 8, y), QPointF(lg.box.left() + 8 + kLegendSwatch, y));
        p.setPen(i == 0 ? kMeanColor : kRhoColor.darker(140));
        p.drawText(QRectF(lg.box.left() + kLegendSwatch + 14, y - lg.rowHeight / 2, lg.textWidth + 1, lg.rowHeight),
                   Qt::AlignLeft | Qt::AlignVCenter, lg.texts[i]);
    }

    // The contractive / variational terms: values here, curves in the loss chart.
    p.setFont(termFont);
    for (int i = 0; i < m_terms.size(); ++i) {
        const QRectF tr_ = termRect(i);
        const ExtraTerm &t = m_terms[i];
        p.fillRect(QRectF(tr_.left(), tr_.center().y() - 2, 22, 4), t.color);
        p.setPen(kText);
        math_text::paint(p, tr_.adjusted(30, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                         tr("%1 = %2   (its curve: loss chart \u2014 click)").arg(t.label, shortNumber(t.value)));
    }
}
