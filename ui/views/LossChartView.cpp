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
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace ael::ui;

// ---------------------------------------------------------------------------------------------
// LossChartView

namespace {

constexpr double kTopIgnoresFirst = 0.03;

}  // namespace

LossChartView::LossChartView(QWidget *parent) : QWidget(parent)
{
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundBrush(kBackground);
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(6, 6, 10, 6));
    m_chart->legend()->hide();  // LegendRow below the chart: it re-lays itself out when a term appears

    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setBackgroundBrush(kBackground);

    m_title = new QLabel(tr("Training loss (per pixel)"), this);
    m_title->setMinimumWidth(0);  // clipped, never pushing the log-scale box away
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_logBox = new QCheckBox(tr("log scale"), this);
    m_logBox->setToolTip(tr("Logarithmic loss axis: shows the slow late progress and the terms "
                            "of very different size"));
    connect(m_logBox, &QCheckBox::toggled, this, &LossChartView::setLogY);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(8, 4, 8, 0);
    top->addWidget(m_title, 1);
    top->addWidget(m_logBox);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(0);
    lay->addLayout(top);
    lay->addWidget(m_view, 1);
    m_legend = new LegendRow(this);
    lay->addWidget(m_legend);
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, kBackground);
    pal.setColor(QPalette::WindowText, kText);
    setPalette(pal);

    auto *ax = new QValueAxis;
    ax->setTitleText(tr("training step"));
    ax->setLabelFormat("%.0f");
    ax->setTickType(QValueAxis::TicksDynamic);
    ax->setTickAnchor(0);
    ax->setRange(0, 1000);
    ax->setTickInterval(200);
    ax->setGridLineColor(kGrid);
    ax->setLinePenColor(kAxis);
    ax->setLabelsColor(kText);
    ax->setTitleBrush(kText);
    m_chart->addAxis(ax, Qt::AlignBottom);
    m_axisX = ax;

    curve("objective", term_names::displayName("objective"), kText, 2.0, Qt::DotLine);
    curve("train", term_names::displayName("train"), kAeColor, 2.5);
    Curve &test = curve("test", term_names::displayName("test"), kTestColor, 3.0);
    test.series->setPointsVisible(true);
    test.series->setMarkerSize(6);
    curve("pca", tr("PCA-k test MSE"), kPcaColor, 2.5, Qt::DashLine);
    // The floor is labelled on the line itself (not in the legend, which stays short).
    m_floorBox = new QGraphicsRectItem(m_chart);
    m_floorBox->setBrush(QColor(255, 255, 255, 215));
    m_floorBox->setPen(Qt::NoPen);
    m_floorBox->setZValue(19);
    m_floorBox->setVisible(false);
    m_floorText = new QGraphicsSimpleTextItem(m_floorBox);
    m_floorText->setBrush(kPcaColor);

    rebuildYAxis();
    connect(m_chart, &QChart::plotAreaChanged, this, [this] { updateMarkers(); });
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &LossChartView::refresh);
    m_sinceRefresh.start();
    updateFonts();
    updateAxes();
    setMinimumSize(320, 240);
}

LossChartView::~LossChartView()
{
    qDeleteAll(m_curves);
}

LossChartView::Curve &LossChartView::curve(const QString &key, const QString &displayName,
                                           const QColor &color, double width, Qt::PenStyle style)
{
    if (Curve *c = m_curves.value(key)) return *c;
    auto *c = new Curve;
    c->series = new QLineSeries;
    c->series->setName(displayName);
    c->width = width;
    QPen pen(color, width * lineScale(), style, Qt::FlatCap, Qt::BevelJoin);  // round joins cost a Bézier per vertex
    c->series->setPen(pen);
    c->series->setColor(color);
    m_chart->addSeries(c->series);
    if (m_axisX) c->series->attachAxis(m_axisX);
    if (m_axisY) c->series->attachAxis(m_axisY);
    m_curves.insert(key, c);
    m_order.append(key);
    return *c;
}

QLineSeries *LossChartView::series(const QString &key) const
{
    if (Curve *c = m_curves.value(key)) return c->series;
    if (Curve *c = m_curves.value(QStringLiteral("term:") + key)) return c->series;
    return nullptr;
}

void LossChartView::highlight(const QString &key)
{
    QLineSeries *s = series(key);
    if (!s) return;
    const QPen normal = s->pen();
    QPen wide = normal;
    wide.setWidthF(normal.widthF() * 2.5);
    s->setPen(wide);
    QTimer::singleShot(1500, s, [s, normal] { s->setPen(normal); });
}

QStringList LossChartView::markerLabels() const
{
    QStringList out;
    for (const Marker &m : m_markers) out << m.label;
    return out;
}

bool LossChartView::markerVisible(int i) const
{
    return i >= 0 && i < m_markers.size() && m_markers[i].line->isVisible();
}

void LossChartView::setLogY(bool on)
{
    if (on == m_logY) return;
    m_logY = on;
    {
        const QSignalBlocker block(m_logBox);
        m_logBox->setChecked(on);
    }
    // The log axis must never see values ≤ 0 (it warns): clamp the data before attaching it, and
    // detach it before the unclamped data comes back.
    for (Curve *c : std::as_const(m_curves)) c->dirty = true;
    if (on) flush();
    rebuildYAxis();
    refresh();
    emit logYChanged(on);
}

void LossChartView::rebuildYAxis()
{
    if (m_axisY) {
        for (Curve *c : std::as_const(m_curves)) c->series->detachAxis(m_axisY);
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
    m_axisY->setTitleText(tr("loss"));
    m_axisY->setGridLineColor(kGrid);
    m_axisY->setLinePenColor(kAxis);
    // The log axis's own labels (powers of ten only) keep their room but are drawn by updateLogLabels().
    m_axisY->setLabelsColor(m_logY ? QColor(0, 0, 0, 0) : kText);
    m_axisY->setTitleBrush(kText);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    for (Curve *c : std::as_const(m_curves)) c->series->attachAxis(m_axisY);
    updateFonts();
}

void LossChartView::reset()
{
    for (const QString &key : QStringList(m_order)) {
        Curve *c = m_curves.value(key);
        if (key.startsWith(QStringLiteral("term:"))) {
            m_chart->removeSeries(c->series);
            delete c->series;
            delete c;
            m_curves.remove(key);
            m_order.removeAll(key);
        } else {
            c->data.clear();
            c->series->clear();
            c->dirty = false;
        }
    }
    m_termCount = 0;
    for (Marker &m : m_markers) {
        delete m.line;
        delete m.box;  // owns the text
    }
    m_markers.clear();
    m_pending = false;
    m_refreshTimer.stop();
    m_lastStep = -1;
    m_lastTestStep = 0;
    m_pcaMse = 0;
    m_codeSize = 0;
    m_pcaExact = false;
    updateAxes();
    updateLegend();
}

void LossChartView::push(Curve &c, QPointF p)
{
    if (!std::isfinite(p.x()) || !std::isfinite(p.y())) return;  // a diverged step: leave a gap
    c.data.append(p);
    c.dirty = true;
}

QList<QPointF> LossChartView::displayed(const QList<QPointF> &pts) const
{
    if (!m_logY) return pts;
    QList<QPointF> out = pts;
    for (QPointF &p : out)
        if (!(p.y() > m_logFloor)) p.setY(m_logFloor);
    return out;
}

void LossChartView::applySnapshot(const Snapshot &s)
{
    // A new run (the step went back) starts new curves.
    if (!s.losses.isEmpty() && m_lastStep >= 0 && s.losses.front().step < m_lastStep) reset();

    for (const LossPoint &lp : s.losses) {
        const double x = double(lp.step);
        push(*m_curves.value("train"), QPointF(x, lp.reconstruction));
        const qsizetype nt = std::min(lp.terms.size(), s.termNames.size());
        double objective = lp.reconstruction;
        for (qsizetype i = 0; i < nt; ++i) {
            const QString key = QStringLiteral("term:") + s.termNames[i];
            if (!m_curves.contains(key)) {
                const QColor col = QColor::fromRgb(kTermRgb[size_t(m_termCount++) % kTermRgb.size()]);
                curve(key, term_names::displayName(s.termNames[i]), col, 2.0);
            }
            push(*m_curves.value(key), QPointF(x, lp.terms[i]));
            objective += lp.terms[i];
        }
        // L + Ω only where there is an Ω (without one it is the reconstruction curve itself).
        if (nt > 0) push(*m_curves.value("objective"), QPointF(x, objective));
        m_lastStep = std::max(m_lastStep, lp.step);
    }

    if (s.testStep > 0 && s.testStep != m_lastTestStep) {
        m_lastTestStep = s.testStep;
        push(*m_curves.value("test"), QPointF(double(s.testStep), s.testMse));
    }
    if (s.pcaK > 0) {  // the floor: PCA with k capped at min(k, d, n − 1)
        m_pcaMse = s.pcaTestMse;
        m_codeSize = s.pcaK;
        m_pcaExact = s.pcaExact;
    }

    for (const ChangeMarker &m : s.markers) {
        const bool known = std::any_of(m_markers.cbegin(), m_markers.cend(), [&](const Marker &o) {
            return o.step == m.step && o.label == m.label;
        });
        if (!known) addMarker(m);
    }

    scheduleRefresh();
}

void LossChartView::setRefreshInterval(int ms)
{
    m_refreshMs = std::max(0, ms);
    if (m_pending) scheduleRefresh();
}

void LossChartView::scheduleRefresh()
{
    m_pending = true;
    if (m_refreshMs == 0) {
        refresh();
        return;
    }
    if (!isVisible() || m_refreshTimer.isActive()) return;  // showEvent or the timer will do it
    m_refreshTimer.start(int(std::max<qint64>(0, m_refreshMs - m_sinceRefresh.elapsed())));
}

void LossChartView::refresh()
{
    m_refreshTimer.stop();
    m_pending = false;
    flush();
    updateAxes();
    m_sinceRefresh.restart();
}

void LossChartView::showEvent(QShowEvent *e)
{
    QWidget::showEvent(e);
    if (m_pending) refresh();
}

void LossChartView::flush()
{
    for (const QString &key : std::as_const(m_order)) {
        Curve *c = m_curves.value(key);
        if (!c->dirty || key == QLatin1String("pca")) continue;
        c->series->replace(displayed(c->data.points()));
        c->dirty = false;
        if (key == QLatin1String("test"))  // dots while they are few; a line once they are many
            c->series->setPointsVisible(c->data.size() <= 60);
    }
    updateLegend();
}

void LossChartView::updateLegend()
{
    // Every curve with points, in the order objective, reconstruction, terms, test; the PCA floor
    // is labelled on its line instead.
    QVector<LegendRow::Entry> entries;
    for (const QString &key : std::as_const(m_order)) {
        const Curve *c = m_curves.value(key);
        if (key == QLatin1String("pca") || c->data.isEmpty()) continue;
        const QString id = key.startsWith(QLatin1String("term:")) ? key.mid(5) : key;
        entries.append({id, c->series->name(), c->series->pen().color(), c->series->pen().style(),
                        term_names::tooltip(id)});
    }
    std::stable_sort(entries.begin(), entries.end(), [](const LegendRow::Entry &a, const LegendRow::Entry &b) {
        auto rank = [](const QString &k) { return k == QLatin1String("objective") ? 0 : k == QLatin1String("train") ? 1 : k == QLatin1String("test") ? 3 : 2; };
        return rank(a.key) < rank(b.key);
    });
    m_legend->setEntries(entries);
}

void LossChartView::updateFloor()
{
    Curve *c = m_curves.value("pca");
    // An exact PCA (k ≥ d) has MSE 0: its floor lies on the axis, which stays in range for it.
    const bool valid = m_codeSize > 0 && m_pcaMse >= 0 && std::isfinite(m_pcaMse);
    if (valid) {
        const double y = m_logY ? std::max(m_pcaMse, m_logFloor) : m_pcaMse;
        c->series->replace(QList<QPointF>{{m_xMin, y}, {m_xMax, y}});
        c->series->setName(m_pcaExact ? tr("PCA-%1: exact").arg(m_codeSize) : tr("PCA-%1 test MSE").arg(m_codeSize));
    } else if (c->series->count() > 0) {
        c->series->clear();
    }
    m_floorText->setText(valid ? c->series->name() : QString());
}

QString LossChartView::floorLabel() const
{
    return m_floorText->text();
}

void LossChartView::updateFloorLabel()
{
    QLineSeries *pca = m_curves.value("pca")->series;
    const QRectF plot = m_chart->plotArea();
    const bool valid = !m_floorText->text().isEmpty() && pca->count() == 2 && plot.width() > 0;
    m_floorBox->setVisible(valid);
    if (!valid) return;
    const double y = m_chart->mapToPosition(pca->at(1), pca).y();
    const QRectF tr = m_floorText->boundingRect();
    const double pad = 3, w = tr.width() + 2 * pad, h = tr.height() + 2 * pad;
    double top = y - h - 2;  // above the line, at its right end; below it if there is no room
    if (top < plot.top()) top = y + 3;
    m_floorBox->setRect(0, 0, w, h);
    m_floorBox->setPos(plot.right() - w - 6, top);
    m_floorText->setPos(pad, pad);
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
    const double yFrom = m_logY || !std::isfinite(x0) ? -std::numeric_limits<double>::infinity()
                                                      : x0 + kTopIgnoresFirst * (x1 - x0);
    for (const QString &key : std::as_const(m_order)) {
        if (key == QLatin1String("pca")) continue;
        double cy0 = y0, cy1 = -std::numeric_limits<double>::infinity();
        for (const QPointF &p : m_curves.value(key)->data.points()) {
            if (m_logY && !(p.y() > 0)) continue;  // drawn at the bottom edge instead
            cy0 = std::min(cy0, p.y());
            if (p.x() >= yFrom) cy1 = std::max(cy1, p.y());
        }
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
    const double targetTicks = std::clamp(m_view->width() / 140.0, 3.0, 10.0);
    ax->setTickAnchor(0);
    ax->setTickInterval(axis_ticks::niceStep(x1 - x0, targetTicks));
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
        ay->setTickAnchor(0);
        ay->setTickInterval(axis_ticks::niceStep(hi - lo, targetY));
        ay->setRange(lo, hi);
    }
    updateFloor();
    updateMarkers();
}

void LossChartView::addMarker(const ChangeMarker &cm)
{
    Marker m;
    m.step = cm.step;
    m.label = cm.label;
    m.line = new QGraphicsLineItem(m_chart);
    QPen pen(kMarkerColor, 2 * lineScale(), Qt::DashLine);
    pen.setCosmetic(true);
    m.line->setPen(pen);
    m.line->setZValue(20);
    m.box = new QGraphicsRectItem(m_chart);
    m.box->setBrush(QColor(255, 255, 255, 225));
    m.box->setPen(QPen(kMarkerColor, 1));
    m.box->setZValue(21);
    m.text = new QGraphicsSimpleTextItem(cm.label, m.box);
    m.text->setBrush(kText);
    m.text->setFont(uiFont(basePixelSize(size()) * 0.8));
    m.line->setVisible(false);  // placed by updateMarkers()
    m.box->setVisible(false);
    m_markers.append(m);
    std::sort(m_markers.begin(), m_markers.end(),
              [](const Marker &a, const Marker &b) { return a.step < b.step; });
}

void LossChartView::updateMarkers()
{
    updateFloorLabel();
    updateLogLabels();
    const QRectF plot = m_chart->plotArea();
    // Lines first, then every label beside its own line, clear of each other and of the floor label.
    QVector<label_placement::Request> requests;
    const double pad = 4;
    for (Marker &m : m_markers) {
        const double t = (double(m.step) - m_xMin) / std::max(m_xMax - m_xMin, 1e-12);
        const double x = plot.left() + t * plot.width();
        const bool visible = plot.width() > 0 && t >= -1e-9 && t <= 1 + 1e-9;
        m.line->setVisible(visible);
        if (visible) m.line->setLine(x, plot.top(), x, plot.bottom());
        const QRectF tr = m.text->boundingRect();
        requests.append({visible ? x : -1e9, QSizeF(tr.width() + 2 * pad, tr.height() + 2 * pad)});
    }
    QVector<QRectF> obstacles;
    if (m_floorBox->isVisible()) obstacles.append(m_floorBox->mapRectToParent(m_floorBox->rect()));
    const QVector<QRectF> rects = label_placement::place(requests, plot, obstacles);
    for (int i = 0; i < m_markers.size(); ++i) {
        Marker &m = m_markers[i];
        const QRectF r = rects.value(i);
        m.box->setVisible(m.line->isVisible() && r.isValid());
        if (!m.box->isVisible()) continue;
        m.box->setRect(0, 0, r.width(), r.height());
        m.box->setPos(r.topLeft());
        m.text->setPos(pad, pad);
    }
}

QRectF LossChartView::markerLabelRect(int i) const
{
    if (i < 0 || i >= m_markers.size() || !m_markers[i].box->isVisible()) return {};
    return m_markers[i].box->mapRectToParent(m_markers[i].box->rect());
}

QRectF LossChartView::floorLabelRect() const
{
    return m_floorBox->isVisible() ? m_floorBox->mapRectToParent(m_floorBox->rect()) : QRectF();
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
    m_logBox->setFont(uiFont(px * 0.9));
    m_chart->legend()->setFont(uiFont(px * 0.9));
    for (QAbstractAxis *a : {m_axisX, m_axisY}) {
        if (!a) continue;
        a->setLabelsFont(uiFont(px * 0.88));
        a->setTitleFont(uiFont(px * 0.9));
    }
    for (Marker &m : m_markers) m.text->setFont(uiFont(px * 0.8));
    QFont ff = uiFont(px * 0.85, true);
    m_floorText->setFont(ff);
    m_legend->setPixelSize(px * 0.85);
}

void LossChartView::changeEvent(QEvent *e)
{
    QWidget::changeEvent(e);
    if (e->type() != QEvent::FontChange) return;
    for (Curve *c : std::as_const(m_curves)) {
        QPen pen = c->series->pen();
        pen.setWidthF(c->width * lineScale());
        c->series->setPen(pen);
    }
    for (Marker &m : m_markers) {
        QPen pen = m.line->pen();
        pen.setWidthF(2 * lineScale());
        m.line->setPen(pen);
    }
    updateFonts();
    updateAxes();
}

void LossChartView::resizeEvent(QResizeEvent *e)
{
    QWidget::resizeEvent(e);
    updateFonts();
    updateAxes();
}
