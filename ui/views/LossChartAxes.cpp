// LossChartView: the axes — linear or 1-2-5 log loss axis, the range (ignoring the first 3 % of the
// run, whose loss is far above the rest), and the fonts of every text on the chart.
#include "ui/views/LossChartView.h"

#include "ui/widgets/Palette.h"
#include "ui/views/LabelPlacement.h"
#include "ui/widgets/AxisTicks.h"
#include "ui/views/TermNames.h"
#include "ui/widgets/LegendRow.h"

#include <QBrush>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QFontMetricsF>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QStyle>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace ael::ui;

namespace {

constexpr double kTopIgnoresFirst = 0.03;  // of the x range: the first steps' loss is far above the rest
constexpr int kSpikeReach = 8;             // neighbours on each side a point is judged against
constexpr double kSpikeFactor = 4;         // a spike: above this many times their median

/// The top of pts[from …] on the linear axis, spikes left out: a point above kSpikeFactor × the median of its
/// kSpikeReach neighbours on each side. An optimizer's blow-up for a step or two (lesson 3's linear copy under
/// Adam: 14 at step ~2,300 against 0.0005 around it) then runs off the top of the plot instead of squashing
/// the rest of the run into its bottom rows; the log axis shows it whole. A rise that lasts is no spike.
double topWithoutSpikes(const QList<QPointF> &pts, qsizetype from)
{
    double top = -std::numeric_limits<double>::infinity();
    std::vector<double> around;
    around.reserve(2 * kSpikeReach);
    for (qsizetype i = from; i < pts.size(); ++i) {
        const double y = pts[i].y();
        around.clear();
        for (qsizetype j = std::max<qsizetype>(0, i - kSpikeReach); j <= std::min(pts.size() - 1, i + kSpikeReach); ++j)
            if (j != i) around.push_back(pts[j].y());
        if (!around.empty()) {
            std::nth_element(around.begin(), around.begin() + around.size() / 2, around.end());
            const double median = around[around.size() / 2];
            if (median > 0 && y > kSpikeFactor * median) continue;
        }
        top = std::max(top, y);
    }
    return top;
}

}  // namespace
void LossChartView::rebuildYAxis()
{
    if (m_axisY) {
        for (Curve *c : std::as_const(m_curves))
            for (QLineSeries *s : c->allSeries()) s->detachAxis(m_axisY);
        m_chart->removeAxis(m_axisY);
        delete m_axisY;
        m_axisY = nullptr;
    }
    if (m_logY) {
        auto *a = new QLogValueAxis;
        a->setBase(10);
        a->setLabelFormat("%g");
        a->setMinorTickCount(8);
        a->setMinorGridLineColor(QColor(0xee, 0xee, 0xee));
        m_axisY = a;
    } else {
        auto *a = new QValueAxis;
        a->setLabelFormat("%.3g");
        a->setTickType(QValueAxis::TicksDynamic);
        m_axisY = a;
    }
    m_axisY->setTruncateLabels(false);  // never "..." in place of a tick label: a 280-px chart beside a lesson
    m_axisY->setTitleText(tr("loss"));
    m_axisY->setGridLineColor(kGrid);
    m_axisY->setLinePenColor(kAxis);
    // The log axis's own labels (powers of ten only) keep their room but are drawn by updateLogLabels().
    m_axisY->setLabelsColor(m_logY ? QColor(0, 0, 0, 0) : kText);
    m_axisY->setTitleBrush(kText);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    for (Curve *c : std::as_const(m_curves))
        for (QLineSeries *s : c->allSeries()) s->attachAxis(m_axisY);
    updateFonts();
}

void LossChartView::updateAxes()
{
    // x: from the first to the last step seen (markers included).
    double x0 = std::numeric_limits<double>::infinity(), x1 = -x0;
    double y0 = x0, y1 = -x0;
    for (const QString &key : std::as_const(m_order)) {
        if (key == QLatin1String("pca")) continue;
        const QList<QPointF> &pts = m_curves.value(key)->data.points();
        if (pts.isEmpty()) continue;
        x0 = std::min(x0, pts.front().x());
        x1 = std::max(x1, pts.back().x());
    }
    // y: every curve and the floor. On the linear axis the first 3 % of the run do not count
    // toward the top: the initial loss is often several times the rest and would squash the
    // interesting part (the curve then enters from the top edge; the log axis shows it all).
    // Nor do spikes (topWithoutSpikes).
    const double yFrom = m_logY || !std::isfinite(x0) ? -std::numeric_limits<double>::infinity()
                                                      : x0 + kTopIgnoresFirst * (x1 - x0);
    for (const QString &key : std::as_const(m_order)) {
        if (key == QLatin1String("pca")) continue;
        double cy0 = y0, cy1 = -std::numeric_limits<double>::infinity();
        const QList<QPointF> &pts = m_curves.value(key)->data.points();
        qsizetype from = pts.size();
        for (qsizetype i = 0; i < pts.size(); ++i) {
            const QPointF &p = pts[i];
            if (m_logY && !(p.y() > 0)) continue;  // drawn at the bottom edge instead
            cy0 = std::min(cy0, p.y());
            if (p.x() < yFrom) continue;
            if (from == pts.size()) from = i;  // the points are in step order
            if (m_logY) cy1 = std::max(cy1, p.y());
        }
        if (!m_logY && from < pts.size()) cy1 = topWithoutSpikes(pts, from);
        if (!std::isfinite(cy1))  // nothing after the first 3 %: all of it counts
            for (const QPointF &p : m_curves.value(key)->data.points())
                if (!m_logY || p.y() > 0) cy1 = std::max(cy1, p.y());
        y0 = cy0;
        y1 = std::max(y1, cy1);
    }
    for (const Marker &m : std::as_const(m_markers)) {
        x0 = std::min(x0, double(m.step));
        x1 = std::max(x1, double(m.step));
    }
    // The floor is always in view; an exact PCA (MSE 0) pulls the linear axis down to 0 (the log axis
    // draws it on its bottom edge).
    if (m_codeSize > 0 && std::isfinite(m_pcaMse) && (m_pcaMse > 0 || (m_pcaMse == 0 && !m_logY))) {
        y0 = std::min(y0, m_pcaMse);
        y1 = std::max(y1, m_pcaMse);
    }
    if (!std::isfinite(x0)) {
        x0 = 0;
        x1 = 1000;
    }
    if (x1 - x0 < 10) x1 = x0 + 10;
    m_xMin = x0;
    m_xMax = x1;

    auto *ax = static_cast<QValueAxis *>(m_axisX);
    // About one tick per 140 pixels, and never so many that their labels touch: in presentation mode a
    // chart beside the lesson column printed "100200300400".
    const QFontMetricsF tickFm(ax->labelsFont());
    const double plotW = m_chart->plotArea().width() > 0 ? m_chart->plotArea().width() : m_view->width() * 0.75;
    const double labelW = tickFm.horizontalAdvance(QString::number(std::max(std::abs(x0), std::abs(x1)), 'f', 0)) + 12;
    double step = 0;
    for (double target = std::clamp(m_view->width() / 140.0, 3.0, 10.0); target >= 1; target -= 1) {
        step = axis_ticks::niceStep(x1 - x0, target);
        if (step / (x1 - x0) * plotW >= labelW) break;
    }
    // Room for one label only, and no multiple of the step in the range (43,259 steps: 50,000): the axis had no
    // number at all. Then the one tick is the largest round number in it (40,000).
    // (With fewer round digits first: 40,000 of 0 … 43,259; 43,000 of 41,000 … 43,259.)
    for (double p = std::pow(10.0, std::floor(std::log10(std::max(x1, 1.0)))); x1 > 0 && p >= 1 && std::ceil(x0 / step) * step > x1; p /= 10)
        if (const double round = std::floor(x1 / p) * p; round >= x0 && round > 0) step = round;
    ax->setTickAnchor(0);
    ax->setTickInterval(step);
    ax->setRange(x0, x1);

    if (!std::isfinite(y0)) {
        y0 = m_logY ? 0.01 : 0;
        y1 = m_logY ? 1 : 0.1;
    }
    if (m_logY) {
        // A little room around the data, but at least two labelled decades (the log axis labels
        // only powers of ten) so the scale can be read.
        double lo = y0 / 1.3, hi = y1 * 1.3;
        if (std::floor(std::log10(hi)) - std::ceil(std::log10(lo)) < 1) {
            lo = std::pow(10.0, std::floor(std::log10(y0)));
            hi = std::pow(10.0, std::ceil(std::log10(y1)));
            if (hi <= lo * 1.0001) hi = lo * 10;
        }
        if (lo != m_logFloor) {  // values ≤ 0 sit on the bottom edge: redo the clamped copies
            m_logFloor = lo;
            for (Curve *c : std::as_const(m_curves)) c->dirty = true;
            flush();
        }
        // A hair wider than the decades, so their end labels survive rounding.
        static_cast<QLogValueAxis *>(m_axisY)->setRange(lo * 0.999, hi * 1.001);
    } else {
        double span = y1 - y0;
        if (span <= 0) span = std::max(std::abs(y1), 1e-3);
        double lo = y0 - 0.05 * span, hi = y1 + 0.08 * span;
        if (y0 >= 0) lo = std::max(lo, 0.0);
        auto *ay = static_cast<QValueAxis *>(m_axisY);
        const double targetY = std::clamp(m_view->height() / 70.0, 3.0, 8.0);
        const double step = axis_ticks::niceStep(hi - lo, targetY);
        ay->setTickAnchor(0);
        ay->setTickInterval(step);
        ay->setLabelFormat(axis_ticks::labelFormat(step));  // a narrow range must not print 0.123 twice
        ay->setRange(lo, hi);
    }
    updateFloor();
    updateMarkers();
    updateTestDots();
}

QStringList LossChartView::logTickLabels() const
{
    QStringList out;
    for (const QGraphicsSimpleTextItem *t : m_logLabels)
        if (t->isVisible()) out << t->text();
    return out;
}

void LossChartView::updateLogLabels()
{
    // Qt's log axis labels only the powers of ten; a loss curve spans one or two decades, so 1, 2 and
    // 5 times each power are labelled here (the axis's own labels are transparent but keep their room).
    auto *log = qobject_cast<QLogValueAxis *>(m_axisY);
    QLineSeries *ref = m_curves.value("train")->series;
    int used = 0;
    if (log && log->max() > log->min() && log->min() > 0 && m_chart->plotArea().width() > 0) {
        const QRectF plot = m_chart->plotArea();
        const QFont f = uiFont(basePixelSize(size()) * 0.88);
        const QFontMetricsF fm(f);
        for (int e = int(std::floor(std::log10(log->min()))); e <= int(std::ceil(std::log10(log->max()))); ++e)
            for (double m : {1.0, 2.0, 5.0}) {
                const double v = m * std::pow(10.0, e);
                if (v < log->min() * 0.999 || v > log->max() * 1.001) continue;
                if (used == m_logLabels.size()) {
                    auto *t = new QGraphicsSimpleTextItem(m_chart);
                    t->setBrush(kText);
                    t->setZValue(18);
                    m_logLabels.append(t);
                }
                QGraphicsSimpleTextItem *t = m_logLabels[used++];
                t->setFont(f);
                t->setText(QString::number(v, 'g', 3));
                const double y = m_chart->mapToPosition(QPointF(m_xMin, v), ref).y();
                const double w = fm.horizontalAdvance(t->text());
                t->setPos(plot.left() - 8 - w, y - fm.height() / 2);
                t->setVisible(true);
            }
    }
    for (int i = used; i < m_logLabels.size(); ++i) m_logLabels[i]->setVisible(false);
}

void LossChartView::updateFonts()
{
    const double px = basePixelSize(size());
    m_title->setFont(titleFont(px));
    // The qualifier goes first when projector-sized text leaves no room for it, then "Training".
    const QStringList titles{tr("Training loss (per pixel)"), tr("Training loss"), tr("Loss")};
    // The title's room is the row's width less its margins (8 + 8), the log-scale box and the spacing, known
    // from this view's own new size (the label's is not laid out yet in a resize), and half an em of air before
    // the box: flush against it the title's ")" ran into the box's square (presentation mode, 1024 × 768).
    m_logBox->setFont(uiFont(px * 0.9));
    const QFontMetricsF titleFm(m_title->font());
    const int spacing = std::max(0, style()->layoutSpacing(QSizePolicy::Label, QSizePolicy::CheckBox, Qt::Horizontal));
    const double room = width() - 16 - m_logBox->sizeHint().width() - spacing - 0.5 * titleFm.height();
    m_title->setText(width() <= 0 ? titles.first() : firstFitting(titles, titleFm, room));
    m_chart->legend()->setFont(uiFont(px * 0.9));
    for (QAbstractAxis *a : {m_axisX, m_axisY}) {
        if (!a) continue;
        a->setLabelsFont(uiFont(px * 0.88));
        a->setTitleFont(uiFont(px * 0.9));
    }
    for (Marker &m : m_markers) m.text->setFont(uiFont(px * 0.8));
    m_lowest.text->setFont(uiFont(px * 0.8));
    QFont ff = uiFont(px * 0.85, true);
    m_floorText->setFont(ff);
    m_legend->setPixelSize(px * 0.85);
    updateXTitle();
}

void LossChartView::updateXTitle()
{
    // On one line: "step" where "training step" would wrap under a narrow plot (and its second line be cut).
    if (!m_axisX || m_chart->plotArea().width() <= 0) return;
    const QString t = firstFitting({tr("training step"), tr("step")}, QFontMetricsF(m_axisX->titleFont()), m_chart->plotArea().width());
    if (t != m_axisX->titleText()) m_axisX->setTitleText(t);
}
