// LossChartView: the change markers (a dashed line and a label per variant or setting change) and
// the PCA floor line with its label, placed so that no two labels overlap (LabelPlacement).
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
#include <QLocale>
#include <QLogValueAxis>
#include <QPen>
#include <QPolygonF>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace ael::ui;
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

void LossChartView::updateFloor()
{
    Curve *c = m_curves.value("pca");
    // An exact PCA (k ≥ d) has MSE 0: its floor lies on the axis, which stays in range for it.
    const bool valid = m_codeSize > 0 && m_pcaMse >= 0 && std::isfinite(m_pcaMse);
    if (valid) {
        const double y = m_logY ? std::max(m_pcaMse, m_logFloor) : m_pcaMse;
        c->series->replace(QList<QPointF>{{m_xMin, y}, {m_xMax, y}});
        c->series->setName(m_pcaExact       ? tr("PCA-%1: exact").arg(m_codeSize)
                           : m_floorOfNoisy ? tr("PCA-%1 of x̃").arg(m_codeSize)
                                            : tr("PCA-%1 test MSE").arg(m_codeSize));
    } else if (c->series->count() > 0) {
        c->series->clear();
    }
    // The label on the floor line: its name, or in a plot too narrow for that "PCA-2" ("PCA-784 = 0",
    // "PCA-784"), or "PCA" (never "PCA-784 …": an elided label reads as another name).
    m_floorForms.clear();
    if (valid) {
        m_floorForms << c->series->name();
        if (m_pcaExact) m_floorForms << tr("PCA-%1 = 0").arg(m_codeSize);
        if (m_floorOfNoisy) m_floorForms << tr("PCA-%1(x̃)").arg(m_codeSize) << tr("PCA(x̃)");
        else m_floorForms << tr("PCA-%1").arg(m_codeSize) << tr("PCA");
        m_floorForms.removeDuplicates();
    }
    m_floorText->setText(m_floorForms.value(0));
    updateFloorLabel();
}

QString LossChartView::floorLabel() const
{
    return m_floorForms.value(0);
}

QString LossChartView::shownFloorLabel() const
{
    return m_floorBox->isVisible() ? m_floorText->text() : QString();
}

namespace {
/// A test MSE segment under the floor's label costs as much as a thousand of the training loss's.
constexpr double kTestWeight = 1000.0;
}  // namespace

void LossChartView::updateFloorLabel()
{
    QLineSeries *pca = m_curves.value("pca")->series;
    const QRectF plot = m_chart->plotArea();
    const bool valid = !m_floorForms.isEmpty() && pca->count() == 2 && plot.width() > 0;
    m_floorBox->setVisible(valid);
    m_floorLeader->setVisible(false);
    m_floorSwatch->setVisible(false);
    if (!valid) return;
    // Inside the plot: over the tick labels it would hide them (a narrow chart beside a lesson).
    const double pad = 3, inset = 6;  // the text in its box; the box from the plot's right edge
    const QFontMetricsF fm(m_floorText->font());
    const double room = plot.width() - 2 * inset - 2 * pad;
    const QString beside = firstFitting(m_floorForms, fm, room);
    m_floorText->setText(beside);
    const double y = m_chart->mapToPosition(pca->at(1), pca).y();
    const QRectF tr = m_floorText->boundingRect();
    const double w = tr.width() + 2 * pad, h = tr.height() + 2 * pad;
    // Above the line at its right end, unless the curves run through the box there (lesson 2's test MSE
    // settling on the floor, lesson 3's near 0): then below the line, or lifted above the curves' ends
    // (in steps of half its height), then the same in the middle and at the left end; wherever the fewest
    // of their segments pass, the test MSE's first (what the lessons ask to watch; the training loss is
    // noisy and dense, and near the floor some of it is under any place on the line).
    QVector<QRectF> candidates;
    const double above = y - h - 2, lift = h / 2;
    for (double left : {plot.right() - w - inset, plot.center().x() - w / 2, plot.left() + inset})
        for (double top : {above, y + 3, above - lift, above - 2 * lift, above - 3 * lift})
            if (top >= plot.top() && top + h <= plot.bottom()) candidates.append(QRectF(left, top, w, h));
    if (candidates.isEmpty()) candidates.append(QRectF(plot.right() - w - inset, y - h - 2 >= plot.top() ? y - h - 2 : y + 3, w, h));
    QVector<QPolygonF> lines;
    QVector<double> weights;
    for (auto it = m_curves.cbegin(); it != m_curves.cend(); ++it)
        for (QLineSeries *series : it.value()->segments()) {
            if (it.key() == QLatin1String("pca") || !series->isVisible() || series->count() == 0) continue;
            QPolygonF line;
            line.reserve(series->count());
            for (const QPointF &p : series->points()) line << m_chart->mapToPosition(p, series);
            lines << line;
            weights << (it.key().startsWith(QLatin1String("test")) ? kTestWeight : 1.0);
        }
    // A curve passing just outside the box still touches it with its pen and its points' dots.
    const double air = 4 * lineScale();
    QVector<QRectF> tested;
    for (const QRectF &r : std::as_const(candidates)) tested << r.adjusted(-air, -air, air, air);
    // Where every place by the line still covers the test MSE (a short chart in presentation mode, the curves
    // coming down onto an exact floor at 0: lesson 4 at 1024 × 768 had the label on its dots), the top of the
    // plot, which the falling curves have left, if clearer there. The orange text still names its line.
    // There, a leader down to the line crossed the whole plot and read as a change marker: the label carries a
    // sample of the floor's dashes instead, as a legend entry does.
    // The dashes take room from the text there: its form (a shorter one in a narrow plot) fits what is left, so
    // the label stays inside the plot ("PCA-128 test MSE" with its dashes ran over the y axis's "0.04").
    const double swatch = 2.2 * h, sw = swatch + pad;
    const QString top = firstFitting(m_floorForms, fm, room - sw);
    const double wTop = w + fm.horizontalAdvance(top) - fm.horizontalAdvance(beside);
    const QVector<QRectF> corners{QRectF(plot.right() - wTop - sw - inset, plot.top() + inset, wTop + sw, h),
                                  QRectF(plot.center().x() - (wTop + sw) / 2, plot.top() + inset, wTop + sw, h)};
    QVector<QRectF> cornersTested;
    for (const QRectF &r : corners) cornersTested << r.adjusted(-air, -air, air, air);
    const int chosen = std::max(0, label_placement::leastCoveredOr(tested, cornersTested, lines, weights, kTestWeight));
    const bool atTop = chosen >= candidates.size();
    const QRectF box = atTop ? corners[chosen - int(candidates.size())] : candidates[chosen];
    m_floorBox->setRect(0, 0, box.width(), h);
    m_floorBox->setPos(box.topLeft());
    m_floorText->setPos(atTop ? pad + sw : pad, pad);
    if (atTop) {
        m_floorText->setText(top);
        QPen dashes = pca->pen();
        dashes.setCosmetic(false);
        m_floorSwatch->setPen(dashes);
        m_floorSwatch->setLine(pad, h / 2, pad + swatch, h / 2);
        m_floorSwatch->setVisible(true);
        return;
    }
    // Lifted over the curves, the label would read as a level of its own (a floor at 0.4 over a sparse run's
    // spikes, its dashed line at 0): a short thin line in its colour ties it to its line.
    const double off = box.bottom() <= y ? y - box.bottom() : box.top() > y ? box.top() - y : 0;
    if (off > 4) {
        const double x = box.center().x(), from = box.bottom() <= y ? box.bottom() : box.top();
        QPen pen = m_floorLeader->pen();
        pen.setWidthF(1.5 * lineScale());
        m_floorLeader->setPen(pen);
        m_floorLeader->setLine(x, from, x, y);
        m_floorLeader->setVisible(true);
    }
}

QLineF LossChartView::floorLeader() const
{
    return m_floorLeader->isVisible() ? m_floorLeader->line() : QLineF();
}

QLineF LossChartView::floorSwatch() const
{
    return m_floorSwatch->isVisible() && m_floorBox->isVisible()
               ? QLineF(m_floorBox->mapToParent(m_floorSwatch->line().p1()), m_floorBox->mapToParent(m_floorSwatch->line().p2()))
               : QLineF();
}

LossChartView::Marker LossChartView::makeMarker(const QString &label, const QPen &linePen)
{
    Marker m;
    m.label = label;
    m.line = new QGraphicsLineItem(m_chart);
    QPen pen = linePen;
    pen.setCosmetic(true);
    m.line->setPen(pen);
    m.line->setZValue(20);
    m.box = new QGraphicsRectItem(m_chart);
    m.box->setBrush(QColor(255, 255, 255, 225));
    m.box->setPen(QPen(linePen.color(), 1));
    m.box->setZValue(21);
    m.text = new QGraphicsSimpleTextItem(label, m.box);
    m.text->setBrush(kText);
    m.text->setFont(uiFont(basePixelSize(size()) * 0.8));
    m.line->setVisible(false);  // placed by updateMarkers()
    m.box->setVisible(false);
    return m;
}

void LossChartView::addMarker(const ChangeMarker &cm)
{
    Marker m = makeMarker(cm.label, QPen(kMarkerColor, 2 * lineScale(), Qt::DashLine));
    m.step = cm.step;
    m_markers.append(m);
    std::sort(m_markers.begin(), m_markers.end(),
              [](const Marker &a, const Marker &b) { return a.step < b.step; });
}

QStringList LossChartView::overfitForms() const
{
    const auto low = m_overfit.overfitting();
    if (!low) return {};
    const QString rise = QString::number(100 * low->rise(), 'f', 1);
    // The word that names it stays in every form.
    return {tr("lowest test MSE, +%1 % since: overfitting").arg(rise), tr("overfitting: test MSE +%1 % since").arg(rise),
            tr("overfitting: +%1 %").arg(rise), tr("overfitting")};
}

QString LossChartView::overfitLabel() const
{
    return m_lowest.box->isVisible() ? m_lowest.text->text() : QString();
}

qint64 LossChartView::overfitStep() const
{
    return m_overfit.overfitting() ? qint64(m_overfit.overfitting()->step) : -1;
}

QRectF LossChartView::overfitLabelRect() const
{
    return m_lowest.box->isVisible() ? m_lowest.box->mapRectToParent(m_lowest.box->rect()) : QRectF();
}

void LossChartView::updateMarkers()
{
    updateFloorLabel();
    updateLogLabels();
    const QRectF plot = m_chart->plotArea();
    // The overfitting marker (its text as long as the plot allows) goes with the change markers: lines
    // first, then every label beside its own line, clear of each other and of the floor label.
    const double pad = 4;
    const auto share = [&](qint64 step) { return (double(step) - m_xMin) / std::max(m_xMax - m_xMin, 1e-12); };  // of the x range
    const auto low = m_overfit.overfitting();
    m_lowest.step = low ? qint64(low->step) : 0;
    if (low) {
        // As long as the wider side of its line allows (a label goes beside its line: LabelPlacement.h).
        const double x = plot.left() + share(m_lowest.step) * plot.width();
        const double room = std::max(plot.right() - x, x - plot.left()) - 2 * pad - 2;
        m_lowest.text->setText(firstFitting(overfitForms(), QFontMetricsF(m_lowest.text->font()), room));
        m_lowest.box->setToolTip(tr("The test MSE was lowest here, at step %2 (%1, the median of seven evaluations), and is %3 now "
                                    "(+%4 %), while the training loss went from %5 to %6: the model fits its training images "
                                    "ever better and images it has not seen worse. It has begun to memorise them (overfitting).")
                                     .arg(low->testMse, 0, 'g', 4)
                                     .arg(QLocale().toString(qlonglong(low->step)))
                                     .arg(low->testNow, 0, 'g', 4)
                                     .arg(100 * low->rise(), 0, 'f', 1)
                                     .arg(low->trainLoss, 0, 'g', 4)
                                     .arg(low->trainNow, 0, 'g', 4));
    }
    QList<Marker *> all;
    for (Marker &m : m_markers) all << &m;
    if (low) all << &m_lowest;
    m_lowest.line->setVisible(false);
    m_lowest.box->setVisible(false);
    QVector<label_placement::Request> requests;
    for (Marker *m : all) {
        const double t = share(m->step);
        const double x = plot.left() + t * plot.width();
        const bool visible = plot.width() > 0 && t >= -1e-9 && t <= 1 + 1e-9;
        m->line->setVisible(visible);
        if (visible) m->line->setLine(x, plot.top(), x, plot.bottom());
        const QRectF tr = m->text->boundingRect();
        requests.append({visible ? x : -1e9, QSizeF(tr.width() + 2 * pad, tr.height() + 2 * pad)});
    }
    QVector<QRectF> obstacles;
    if (m_floorBox->isVisible()) obstacles.append(m_floorBox->mapRectToParent(m_floorBox->rect()));
    const QVector<QRectF> rects = label_placement::place(requests, plot, obstacles);
    for (int i = 0; i < all.size(); ++i) {
        Marker &m = *all[i];
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
