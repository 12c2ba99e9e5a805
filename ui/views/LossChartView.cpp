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

namespace {
/// The test curve's dots are drawn while they are at least this many diameters apart (half a dot of air).
constexpr double kDotsApart = 1.5;
}  // namespace

// ---------------------------------------------------------------------------------------------
// LossChartView

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
    m_title->setObjectName(QStringLiteral("lossTitle"));
    m_title->setMinimumWidth(0);  // a shorter title when narrow (updateFonts), never pushing the log-scale box away
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
    ax->setTruncateLabels(false);  // a narrow chart's numbers whole, as on the y axis (LossChartAxes.cpp)
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

    // The chart draws its series in the order they are added: the thickest first, so that where the curves
    // meet (a training loss L equal to the test MSE, as in the contractive lesson) the thinner ones stay visible
    // on top of it. The legend has its own order (updateLegend).
    for (const char *key : {"test", "testNoisy"}) {  // the clean test MSE; a denoising run's from x̃ (dashed)
        Curve &test = curve(key, term_names::displayName(key), kTestColor, 4.0, key[4] ? Qt::DashLine : Qt::SolidLine);
        test.series->setPointsVisible(true);
        test.series->setMarkerSize(6);
    }
    curve("pca", tr("PCA-k test MSE"), kPcaColor, 2.5, Qt::DashLine);
    curve("train", term_names::displayName("train"), kAeColor, 2.0);
    curve("objective", term_names::displayName("objective"), kText, 2.0, Qt::DotLine);
    // The floor is labelled on the line itself (not in the legend, which stays short).
    m_floorBox = new QGraphicsRectItem(m_chart);
    m_floorBox->setBrush(QColor(255, 255, 255, 215));
    m_floorBox->setPen(Qt::NoPen);
    m_floorBox->setZValue(19);
    m_floorBox->setVisible(false);
    m_floorText = new QGraphicsSimpleTextItem(m_floorBox);
    m_floorText->setBrush(kPcaColor);
    m_floorSwatch = new QGraphicsLineItem(m_floorBox);
    m_floorSwatch->setVisible(false);
    m_floorLeader = new QGraphicsLineItem(m_chart);
    m_floorLeader->setPen(QPen(kPcaColor, 1.5));
    m_floorLeader->setZValue(18);
    m_floorLeader->setVisible(false);
    m_lowest = makeMarker(QString(), QPen(kTestColor, 2.5 * lineScale(), Qt::DotLine));

    rebuildYAxis();
    connect(m_chart, &QChart::plotAreaChanged, this, [this] {
        updateMarkers();
        updateXTitle();
        updateTestDots();
    });
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &LossChartView::refresh);
    m_sinceRefresh.start();
    updateFonts();
    updateAxes();
    setMinimumSize(280, 220);
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

QList<QLineSeries *> LossChartView::Curve::segments() const
{
    QList<QLineSeries *> out{series};
    for (QLineSeries *m : more)
        if (m->count() > 0) out << m;
    return out;
}

QLineSeries *LossChartView::series(const QString &key) const
{
    if (Curve *c = m_curves.value(key)) return c->series;
    if (Curve *c = m_curves.value(QStringLiteral("term:") + key)) return c->series;
    return nullptr;
}

void LossChartView::highlight(const QString &key)
{
    const Curve *c = m_curves.value(key, m_curves.value(QStringLiteral("term:") + key));
    if (!c) return;
    for (QLineSeries *s : c->segments()) {
        const QPen normal = s->pen();
        QPen wide = normal;
        wide.setWidthF(normal.widthF() * 2.5);
        s->setPen(wide);
        QTimer::singleShot(1500, s, [s, normal] { s->setPen(normal); });
    }
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

void LossChartView::reset()
{
    for (const QString &key : QStringList(m_order)) {
        Curve *c = m_curves.value(key);
        if (key.startsWith(QStringLiteral("term:"))) {
            for (QLineSeries *s : c->allSeries()) {
                m_chart->removeSeries(s);
                delete s;
            }
            delete c;
            m_curves.remove(key);
            m_order.removeAll(key);
        } else {
            c->data.clear();
            c->series->clear();
            for (QLineSeries *s : std::as_const(c->more)) s->clear();
            c->gaps.clear();
            c->dirty = false;
        }
    }
    m_termCount = 0;
    for (Marker &m : m_markers) {
        delete m.line;
        delete m.box;  // owns the text
    }
    m_markers.clear();
    m_overfit.reset();
    m_trainSum = 0;
    m_trainCount = 0;
    m_lastTrain = std::numeric_limits<double>::quiet_NaN();  // (the marker goes with updateAxes below)
    m_pending = false;
    m_refreshTimer.stop();
    m_lastStep = -1;
    m_lastTestStep = 0;
    m_pcaMse = 0;
    m_codeSize = 0;
    m_pcaExact = false;
    m_floorOfNoisy = false;
    updateAxes();
    updateLegend();
}

void LossChartView::push(Curve &c, QPointF p)
{
    if (!std::isfinite(p.x()) || !std::isfinite(p.y())) {  // a diverged step: leave a gap
        gap(c);
        return;
    }
    c.data.append(p);
    c.lastX = p.x();
    c.dirty = true;
}

void LossChartView::gap(Curve &c)
{
    if (c.data.isEmpty() || (!c.gaps.isEmpty() && c.gaps.back() >= c.lastX)) return;
    c.gaps.append(c.lastX);
}

void LossChartView::drawSegments(Curve &c, const QList<QPointF> &points)
{
    // Runs of points between the gaps; a decimated bin that straddles a gap stays in the run before it.
    QList<QList<QPointF>> runs{{}};
    qsizetype g = 0;
    for (const QPointF &p : points) {
        bool broke = false;
        while (g < c.gaps.size() && p.x() > c.gaps[g]) {
            ++g;
            broke = true;
        }
        if (broke && !runs.back().isEmpty()) runs.append(QList<QPointF>());
        runs.back().append(p);
    }
    c.series->replace(runs[0]);
    for (qsizetype i = 1; i < runs.size(); ++i) {
        if (c.more.size() < i) {
            auto *s = new QLineSeries;
            s->setPen(c.series->pen());
            s->setColor(c.series->color());
            m_chart->addSeries(s);
            if (m_axisX) s->attachAxis(m_axisX);
            if (m_axisY) s->attachAxis(m_axisY);
            c.more.append(s);
        }
        c.more[i - 1]->replace(runs[i]);
    }
    for (qsizetype i = runs.size() - 1; i < c.more.size(); ++i) c.more[i]->clear();
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
    // L in BCE (≈ 0.2 on digits) shares the axis with the test MSE (≈ 0.05): the name says which is which.
    if (s.bceLoss != m_bce) {
        m_bce = s.bceLoss;
        m_curves.value("train")->series->setName(term_names::displayName("train") + lossKindSuffix());
        updateLegend();
    }

    for (const LossPoint &lp : s.losses) {
        const double x = double(lp.step);
        push(*m_curves.value("train"), QPointF(x, lp.reconstruction));
        if (std::isfinite(lp.reconstruction)) {
            m_trainSum += lp.reconstruction;
            ++m_trainCount;
        }
        const qsizetype nt = std::min(lp.terms.size(), s.termNames.size());
        double objective = lp.reconstruction;
        QStringList present;
        for (qsizetype i = 0; i < nt; ++i) {
            const QString key = QStringLiteral("term:") + s.termNames[i];
            if (!m_curves.contains(key)) {
                const QColor col = QColor::fromRgb(kTermRgb[size_t(m_termCount++) % kTermRgb.size()]);
                curve(key, term_names::displayName(s.termNames[i]), col, 2.0);
            }
            push(*m_curves.value(key), QPointF(x, lp.terms[i]));
            objective += lp.terms[i];
            present << key;
        }
        // A term of an earlier variant that this one has not: its curve breaks here, rather than
        // joining its last value to its next one across the stretch without it.
        for (auto it = m_curves.begin(); it != m_curves.end(); ++it)
            if (it.key().startsWith(QLatin1String("term:")) && !present.contains(it.key())) gap(*it.value());
        // L + Ω only where there is an Ω (without one it is the reconstruction curve itself).
        if (nt > 0) push(*m_curves.value("objective"), QPointF(x, objective));
        else gap(*m_curves.value("objective"));
        m_lastStep = std::max(m_lastStep, lp.step);
    }

    // Denoising: the test MSE and the floor are measured as the training loss is, from x̃ against the clean
    // x (as the verdict and the PCA row of x̃ are), on a curve of its own: a switch of variant mid-run
    // does not join the two measures. PCA-k of a clean x, nearly exact at a large k, says nothing about
    // removing noise.
    const bool noisy = s.testMseNoisy >= 0;
    // A change of variant or setting moves both curves: overfitting is judged afresh after it. (A switch to
    // or from denoising changes which test MSE is drawn, and comes with such a marker.)
    for (const ChangeMarker &m : s.markers) {
        const bool known = std::any_of(m_markers.cbegin(), m_markers.cend(), [&](const Marker &o) {
            return o.step == m.step && o.label == m.label;
        });
        if (!known) {
            addMarker(m);
            m_overfit.reset();
        }
    }
    if (s.testStep > 0 && s.testStep != m_lastTestStep) {
        m_lastTestStep = s.testStep;
        const double test = noisy ? s.testMseNoisy : s.testMse;
        push(*m_curves.value(noisy ? "testNoisy" : "test"), QPointF(double(s.testStep), test));
        // The watch: this evaluation with the mean training loss since the last one.
        if (m_trainCount > 0) m_lastTrain = m_trainSum / m_trainCount;
        m_trainSum = 0;
        m_trainCount = 0;
        m_overfit.add(s.testStep, test, m_lastTrain);
    }
    if (s.pcaK > 0) {  // the floor: PCA with k capped at min(k, d, n − 1)
        // (until PCA of x̃ is measured, a denoising run draws no floor rather than the clean one)
        m_floorOfNoisy = noisy;
        m_pcaMse = !m_floorOfNoisy ? s.pcaTestMse : s.pcaTestMseNoisy >= 0 ? s.pcaTestMseNoisy : -1;
        m_codeSize = s.pcaK;
        m_pcaExact = !m_floorOfNoisy && s.pcaExact;
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
        drawSegments(*c, displayed(c->data.points()));
        c->dirty = false;
    }
    updateLegend();
}

// A dot per test evaluation while the dots stand apart, the line alone once they would run together. Qt
// draws a line series' points with a pen twice the line's width: in presentation mode a dot is 14 px, and at
// 1280 × 720 the default model's 45 evaluations, 8 px apart, had merged into one thick green band.
void LossChartView::updateTestDots()
{
    const double plotW = m_chart->plotArea().width();
    for (const char *key : {"test", "testNoisy"}) {
        const Curve *c = m_curves.value(QLatin1String(key));
        const QList<QPointF> &pts = c->data.points();
        bool dots = true;
        if (pts.size() > 1 && plotW > 0 && m_xMax > m_xMin) {
            const double apart = plotW * (pts.back().x() - pts.front().x()) / (double(pts.size() - 1) * (m_xMax - m_xMin));
            dots = apart >= kDotsApart * 2 * c->series->pen().widthF();
        }
        for (QLineSeries *s : c->allSeries())
            if (s->pointsVisible() != dots) s->setPointsVisible(dots);
    }
}

QString LossChartView::lossKindSuffix() const { return m_bce ? tr(" (BCE)") : QString(); }

void LossChartView::updateLegend()
{
    // Every curve with points, in the order objective, reconstruction, terms, test; the PCA floor
    // is labelled on its line instead.
    QVector<LegendRow::Entry> entries;
    for (const QString &key : std::as_const(m_order)) {
        const Curve *c = m_curves.value(key);
        if (key == QLatin1String("pca") || c->data.isEmpty()) continue;
        const QString id = key.startsWith(QLatin1String("term:")) ? key.mid(5) : key;
        const QString shortName = term_names::shortName(id) + (key == QLatin1String("train") ? lossKindSuffix() : QString());
        entries.append({id, c->series->name(), c->series->pen().color(), c->series->pen().style(), term_names::tooltip(id), shortName});
    }
    std::stable_sort(entries.begin(), entries.end(), [](const LegendRow::Entry &a, const LegendRow::Entry &b) {
        auto rank = [](const QString &k) { return k == QLatin1String("objective") ? 0 : k == QLatin1String("train") ? 1 : k.startsWith(QLatin1String("test")) ? 3 : 2; };
        return rank(a.key) < rank(b.key);
    });
    m_legend->setEntries(entries);
}

void LossChartView::changeEvent(QEvent *e)
{
    QWidget::changeEvent(e);
    if (e->type() != QEvent::FontChange) return;
    for (Curve *c : std::as_const(m_curves))
        for (QLineSeries *s : c->allSeries()) {
            QPen pen = s->pen();
            pen.setWidthF(c->width * lineScale());
            s->setPen(pen);
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
