#include "ui/widgets/ScatterCanvas.h"

#include "ui/widgets/Palette.h"
#include "ui/widgets/AxisTicks.h"
#include "ui/widgets/ScatterMarks.h"
#include "core/data/Dataset.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace ael::ui;

// ---------------------------------------------------------------------------------------------
// ScatterCanvas

namespace {

constexpr double kEaseSeconds = 0.25;  // time constant of the axis easing
constexpr int kFrameMs = 33;           // ~30 Hz while the axes move

}  // namespace

ScatterCanvas::ScatterCanvas(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(170, 170);
    m_emptyText = tr("waiting for the first codes…");
    m_anim.setInterval(kFrameMs);
    m_anim.setTimerType(Qt::PreciseTimer);
    connect(&m_anim, &QTimer::timeout, this, [this] {
        const qint64 now = m_clock.elapsed();
        const double dt = std::clamp((now - m_lastTick) / 1000.0, 0.001, 0.1);
        m_lastTick = now;
        advanceView(dt);
        update();
    });
    m_clock.start();
}

void ScatterCanvas::setData(const QVector<QPointF> &points, const QVector<quint8> &labels)
{
    m_points = points;
    m_labels = labels;
    m_grid.build(m_points);
    updateTarget();
    if (m_hover >= m_points.size()) m_hover = -1;
    if (m_hover >= 0) hoverAt(m_mouse);  // the point under the mouse may have moved
    update();
}

void ScatterCanvas::setTestSet(std::shared_ptr<const ael::Dataset> testSet)
{
    if (testSet == m_testSet) return;
    m_testSet = std::move(testSet);
    update();
}

void ScatterCanvas::setTitle(const QString &title, const QStringList &shorter)
{
    if (title == m_title && shorter == m_shorter) return;
    m_title = title;
    m_shorter = shorter;
    update();
}

void ScatterCanvas::setAxisTitles(const QString &x, const QString &y)
{
    if (x == m_xTitle && y == m_yTitle) return;
    m_xTitle = x;
    m_yTitle = y;
    update();
}

void ScatterCanvas::setClassNames(const QStringList &names)
{
    m_classNames = names;
    update();
}

void ScatterCanvas::setPriorCircles(bool on)
{
    if (on == m_prior) return;
    m_prior = on;
    updateTarget();
    update();
}

void ScatterCanvas::setFocusRange(const QRectF &r)
{
    const QRectF focus = r.isValid() ? r : QRectF();
    if (focus == m_focus) return;
    m_focus = focus;
    updateTarget();
    update();
}

void ScatterCanvas::setEqualAspect(bool on)
{
    if (on == m_equalAspect) return;
    m_equalAspect = on;
    update();
}

void ScatterCanvas::setLegendVisible(bool on)
{
    if (on == m_legend) return;
    m_legend = on;
    update();
}

void ScatterCanvas::setEmptyText(const QString &text)
{
    m_emptyText = text;
    update();
}

void ScatterCanvas::clear()
{
    m_points.clear();
    m_labels.clear();
    m_grid.clear();
    m_view = m_target = QRectF();
    m_anim.stop();
    m_hover = -1;
    m_backdrop = nullptr;
    m_marks.clear();
    update();
}

void ScatterCanvas::updateTarget()
{
    QRectF t = m_focus.isValid() ? m_focus : axis_ticks::robustRange(m_points);
    if (!t.isValid()) return;
    if (m_prior) t = t.united(QRectF(-2.3, -2.3, 4.6, 4.6));  // keep the prior's circles in view
    m_target = t;
    if (!m_view.isValid()) {
        snapView();
        return;
    }
    // Ease small changes; jump when easing would lose the data for a while: the data's box is far
    // smaller or larger than the view (a collapsing or exploding code), or its centre is outside it.
    const double rw = t.width() / m_view.width(), rh = t.height() / m_view.height();
    if (rw < 0.2 || rw > 5 || rh < 0.2 || rh > 5 || !m_view.contains(t.center())) {
        snapView();
        return;
    }
    startAnimation();
}

void ScatterCanvas::startAnimation()
{
    if (m_anim.isActive()) return;
    m_lastTick = m_clock.elapsed();
    m_anim.start();
}

void ScatterCanvas::snapView()
{
    m_view = m_target;
    m_anim.stop();
    update();
}

void ScatterCanvas::advanceView(double dt)
{
    if (!m_target.isValid()) return;
    if (!m_view.isValid()) {
        snapView();
        return;
    }
    const double a = 1.0 - std::exp(-std::max(dt, 0.0) / kEaseSeconds);
    double l = m_view.left(), r = m_view.right(), t = m_view.top(), b = m_view.bottom();
    l += (m_target.left() - l) * a;
    r += (m_target.right() - r) * a;
    t += (m_target.top() - t) * a;
    b += (m_target.bottom() - b) * a;
    m_view = QRectF(QPointF(l, t), QPointF(r, b));
    // Close enough (a thousandth of the span, well under a pixel): land and stop the timer.
    const double ex = 1e-3 * m_target.width(), ey = 1e-3 * m_target.height();
    if (std::abs(l - m_target.left()) < ex && std::abs(r - m_target.right()) < ex &&
        std::abs(t - m_target.top()) < ey && std::abs(b - m_target.bottom()) < ey) {
        m_view = m_target;
        m_anim.stop();
    }
}

QStringList ScatterCanvas::classNames() const
{
    QStringList names = m_classNames;
    if (names.isEmpty() && m_testSet)
        for (const std::string &n : m_testSet->classNames) names << QString::fromStdString(n);
    for (int c = int(names.size()); c < 10; ++c) names << QString::number(c);
    return names;
}

double ScatterCanvas::xTickStep() const { return xTickStep(drawnRange(), plotRect()); }

double ScatterCanvas::yTickStep() const { return yTickStep(drawnRange(), plotRect()); }

double ScatterCanvas::yTickStep(const QRectF &v, const QRectF &plot) const
{
    if (!v.isValid() || v.height() <= 0) return 1;
    const QFontMetricsF tfm(uiFont(basePixelSize(size()) * 0.88));
    // About one tick per 70 pixels, and fewer while neighbouring labels would touch (the 55-pixel plot left
    // beside the interpolation strip in presentation mode ran "−5", "−10", "−15" into each other).
    return axis_ticks::roomyStep(v.height(), plot.height(), 70, [&](double) { return tfm.height() + 4; });
}

double ScatterCanvas::xTickStep(const QRectF &v, const QRectF &plot) const
{
    if (!v.isValid() || v.width() <= 0) return 1;
    const QFontMetricsF tfm(uiFont(basePixelSize(size()) * 0.88));
    // About one tick per 100 pixels, and fewer while neighbouring labels would touch (a narrow plot ran
    // "−5", "0", "5", "10" together as "−50 510").
    return axis_ticks::roomyStep(v.width(), plot.width(), 100, [&](double xs) {
        double widest = 0;
        for (double t = std::ceil(v.left() / xs) * xs; t <= v.right() + 1e-9 * xs; t += xs)
            widest = std::max(widest, tfm.horizontalAdvance(axis_ticks::tickLabel(t, xs)));
        return widest + 8;
    });
}

ScatterLegend ScatterCanvas::legend() const
{
    if (!m_legend) return {};
    double left = 0, top = 0, bottom = 0;
    margins(left, top, bottom);
    return ScatterLegend::layOutFitting(basePixelSize(size()) * 0.85, classNames(), QSizeF(size()), left, top, bottom);
}

double ScatterCanvas::legendScale() const { return m_legend ? legend().scale : 1.0; }

QStringList ScatterCanvas::shownClassNames() const
{
    const ScatterLegend lg = legend();
    if (lg.place == ScatterLegend::Place::None) return {};
    const QFontMetricsF fm(uiFont(lg.fontPixels));
    const QStringList names = classNames();
    QStringList shown;
    for (int c = 0; c < 10; ++c) shown << lg.shownName(fm, names.value(c));
    return shown;
}

QString ScatterCanvas::legendNameAt(QPointF pos) const
{
    const ScatterLegend lg = legend();
    if (lg.place == ScatterLegend::Place::None) return {};
    const QRectF plot = plotRect();
    for (int c = 0; c < 10; ++c)
        if (lg.entryRect(c, plot, QSizeF(size())).contains(pos)) return classNames().value(c);
    return {};
}

bool ScatterCanvas::event(QEvent *e)
{
    // A legend entry's whole name where the entry shows it shortened ("T-…" in presentation mode).
    if (e->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(e);
        const QString name = legendNameAt(help->pos());
        if (!name.isEmpty()) {
            QToolTip::showText(help->globalPos(), name, this);
            return true;
        }
    }
    return QWidget::event(e);
}

void ScatterCanvas::margins(double &left, double &top, double &bottom) const
{
    const double px = basePixelSize(size());
    const QFontMetricsF tick(uiFont(px * 0.88)), title(titleFont(px / 1.05)), axis(uiFont(px * 0.85));
    top = 8 + (m_title.isEmpty() ? 0 : title.height() + 6);
    left = 10 + tick.horizontalAdvance(QStringLiteral("\u22120.00")) + 8 + (m_yTitle.isEmpty() ? 0 : axis.height() + 4);
    bottom = 12 + tick.height() + 6 + (m_xTitle.isEmpty() ? 0 : axis.height() + 4);
}

QRectF ScatterCanvas::axisTitleRect(Qt::Orientation o, QString *shown) const
{
    const QString &title = o == Qt::Horizontal ? m_xTitle : m_yTitle;
    if (title.isEmpty()) return {};
    const double px = basePixelSize(size());
    const QFontMetricsF afm(uiFont(px * 0.85)), tfm(uiFont(px * 0.88));
    const QRectF plot = plotRect();
    // Centred on the plot, moved inside the canvas where a narrow plot would push it out ("C1 of the
    // code"), elided only beyond the canvas's own width (height).
    const double room = (o == Qt::Horizontal ? width() : height()) - 16;
    const QString t = afm.elidedText(title, Qt::ElideRight, room);
    if (shown) *shown = t;
    const double len = std::min(room, afm.horizontalAdvance(t) + 2);
    if (o == Qt::Horizontal)
        return {std::clamp(plot.center().x() - len / 2, 8.0, width() - 8 - len), plot.bottom() + tfm.height() + 8, len, afm.height()};
    return {6, std::clamp(plot.center().y() - len / 2, 8.0, height() - 8 - len), afm.height(), len};
}

QString ScatterCanvas::shownTitle() const
{
    const QFontMetricsF fm(titleFont(basePixelSize(size()) / 1.05));
    // The short title when the full one does not fit the width (a narrow view, large text in presentation mode).
    QStringList titles{m_title};
    titles << m_shorter;
    return firstFitting(titles, fm, width() - 16);
}

QRectF ScatterCanvas::plotRect() const
{
    double left = 0, top = 0, bottom = 0;
    margins(left, top, bottom);
    const ScatterLegend lg = legend();
    QRectF r(left, top, width() - left - 14 - lg.right, height() - top - bottom - lg.bottom);
    if (r.width() < 10) r.setWidth(10);
    if (r.height() < 10) r.setHeight(10);
    return r;
}

QRectF ScatterCanvas::drawnRange() const
{
    if (!m_equalAspect || !m_view.isValid()) return m_view;
    const QRectF plot = plotRect();
    const double u = std::max(m_view.width() / plot.width(), m_view.height() / plot.height());
    const QPointF c = m_view.center();
    const double w = u * plot.width(), h = u * plot.height();
    return QRectF(c.x() - w / 2, c.y() - h / 2, w, h);
}

QPointF ScatterCanvas::dataToWidget(QPointF p) const
{
    const QRectF v = drawnRange(), plot = plotRect();
    if (!v.isValid()) return {};
    return {plot.left() + (p.x() - v.left()) / v.width() * plot.width(),
            plot.bottom() - (p.y() - v.top()) / v.height() * plot.height()};
}

QPointF ScatterCanvas::widgetToData(QPointF w) const
{
    const QRectF v = drawnRange(), plot = plotRect();
    if (!v.isValid()) return {};
    return {v.left() + (w.x() - plot.left()) / plot.width() * v.width(),
            v.top() + (plot.bottom() - w.y()) / plot.height() * v.height()};
}

int ScatterCanvas::hitTest(QPointF pos, double maxPixels) const
{
    const QRectF v = drawnRange(), plot = plotRect();
    if (!v.isValid() || m_grid.isEmpty()) return -1;
    const double sx = plot.width() / v.width(), sy = plot.height() / v.height();
    return m_grid.nearest(widgetToData(pos), sx, sy, maxPixels, v);
}

void ScatterCanvas::hoverAt(QPointF pos)
{
    m_mouse = pos;
    const int idx = plotRect().contains(pos) ? hitTest(pos) : -1;
    if (idx != m_hover || idx >= 0) {
        m_hover = idx;
        update();
    }
}

void ScatterCanvas::mouseMoveEvent(QMouseEvent *e)
{
    hoverAt(e->position());
    if (drawnRange().isValid() && plotRect().contains(e->position()))
        emit probeMoved(widgetToData(e->position()), e->buttons() != Qt::NoButton);
    QWidget::mouseMoveEvent(e);
}

void ScatterCanvas::mousePressEvent(QMouseEvent *e)
{
    if (e->button() == Qt::LeftButton && drawnRange().isValid() && plotRect().contains(e->position())) {
        emit clicked(widgetToData(e->position()), hitTest(e->position()), e->modifiers());
        emit probeMoved(widgetToData(e->position()), true);
    }
    QWidget::mousePressEvent(e);
}

void ScatterCanvas::setBackdrop(BackdropPainter painter, const QRectF &extent)
{
    m_backdrop = std::move(painter);
    m_backdropRect = extent;
    update();
}

void ScatterCanvas::setPointOpacity(double a)
{
    a = std::clamp(a, 0.0, 1.0);
    if (a == m_pointOpacity) return;
    m_pointOpacity = a;
    update();
}

void ScatterCanvas::setMarks(const QVector<ScatterMark> &marks)
{
    if (marks == m_marks) return;
    m_marks = marks;
    update();
}

// Resized or hidden (another dock opened, the interpolation strip appeared), the plot has moved from under
// the mouse: the card stayed where the mouse had been, over whatever was there now.
void ScatterCanvas::resizeEvent(QResizeEvent *e)
{
    m_hover = -1;
    QWidget::resizeEvent(e);
}

void ScatterCanvas::hideEvent(QHideEvent *e)
{
    m_hover = -1;
    QWidget::hideEvent(e);
}

void ScatterCanvas::leaveEvent(QEvent *e)
{
    if (m_hover >= 0) {
        m_hover = -1;
        update();
    }
    QWidget::leaveEvent(e);
}

QImage ScatterCanvas::digitImage(int i) const
{
    if (!m_testSet || i < 0 || i >= m_testSet->size() || m_testSet->rows <= 0) return {};
    const ael::Dataset &ds = *m_testSet;
    return QImage(ds.image(i), ds.cols, ds.rows, ds.cols, QImage::Format_Grayscale8).copy();
}

void ScatterCanvas::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);

    const double px = basePixelSize(size());
    const QFont tickFont = uiFont(px * 0.88), titleFont = ael::ui::titleFont(px / 1.05),
                axisFont = uiFont(px * 0.85);
    const QRectF plot = plotRect();

    if (!m_title.isEmpty()) {
        p.setFont(titleFont);
        p.setPen(kText);
        const QFontMetricsF fm(titleFont);
        const QString t = shownTitle();
        // Aligned with the plot if it fits there, else from the left edge.
        const double left = fm.horizontalAdvance(t) <= width() - plot.left() - 8 ? plot.left() : 8.0;
        p.drawText(QRectF(left, 6, width() - left - 8, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, t);
    }

    // Legend: one swatch per class, right of the plot or under it.
    const QStringList names = classNames();
    if (const ScatterLegend lg = legend(); lg.place != ScatterLegend::Place::None) {
        const QFont legendFont = uiFont(lg.fontPixels);
        p.setFont(legendFont);
        const QFontMetricsF fm(legendFont);
        for (int c = 0; c < 10; ++c) {
            const QRectF e = lg.entryRect(c, plot, QSizeF(size()));
            p.fillRect(QRectF(e.left(), e.top() + (e.height() - lg.swatch) / 2, lg.swatch, lg.swatch), classColor(c));
            p.setPen(kText);
            p.drawText(QRectF(e.left() + lg.swatch + 8, e.top(), lg.nameWidth + 1, e.height()), Qt::AlignLeft | Qt::AlignVCenter,
                       lg.shownName(fm, names.value(c)));
        }
    }

    const QRectF v = drawnRange();
    if (m_points.isEmpty() || !v.isValid()) {
        p.setPen(QPen(kAxis, 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(plot);
        p.setFont(axisFont);
        p.setPen(kSubtleText);
        p.drawText(plot, Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        return;
    }

    const double sx = plot.width() / v.width(), sy = plot.height() / v.height();
    const double ox = plot.left() - v.left() * sx, oy = plot.bottom() + v.top() * sy;
    auto X = [&](double x) { return ox + x * sx; };
    auto Y = [&](double y) { return oy - y * sy; };

    // Grid and tick labels.
    p.setFont(tickFont);
    const QFontMetricsF tfm(tickFont);
    const double xs = xTickStep(v, plot);
    const double ys = yTickStep(v, plot);
    for (double t = std::ceil(v.left() / xs) * xs; t <= v.right() + 1e-9 * xs; t += xs) {
        const double x = X(t);
        p.setPen(QPen(std::abs(t) < xs * 1e-6 ? kMarkerColor.lighter(170) : kGrid, 1));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(kText);
        p.drawText(QRectF(x - 60, plot.bottom() + 4, 120, tfm.height()), Qt::AlignHCenter | Qt::AlignTop,
                   axis_ticks::tickLabel(t, xs));
    }
    for (double t = std::ceil(v.top() / ys) * ys; t <= v.bottom() + 1e-9 * ys; t += ys) {
        const double y = Y(t);
        p.setPen(QPen(std::abs(t) < ys * 1e-6 ? kMarkerColor.lighter(170) : kGrid, 1));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(kText);
        p.drawText(QRectF(0, y - tfm.height() / 2, plot.left() - 6, tfm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, axis_ticks::tickLabel(t, ys));
    }
    if (!m_xTitle.isEmpty() || !m_yTitle.isEmpty()) {
        p.setFont(axisFont);
        p.setPen(kText);
        QString xt, yt;
        const QRectF xr = axisTitleRect(Qt::Horizontal, &xt), yr = axisTitleRect(Qt::Vertical, &yt);
        p.drawText(xr, Qt::AlignHCenter | Qt::AlignTop, xt);
        p.save();
        p.translate(yr.left(), yr.center().y());  // the y title reads upwards along the left edge
        p.rotate(-90);
        p.drawText(QRectF(-yr.height() / 2, 0, yr.height(), yr.width()), Qt::AlignHCenter | Qt::AlignTop, yt);
        p.restore();
    }

    p.setClipRect(plot);

    // The backdrop (the explorer's manifold of decoded images), under the points.
    if (m_backdrop) m_backdrop(p, [&](QPointF d) { return QPointF(X(d.x()), Y(d.y())); });

    // The points: one batch of squares per class colour.
    const double side = std::round(std::clamp(std::round(std::min(plot.width(), plot.height()) / 85.0), 3.0, 7.0) *
                                   lineScale()) - (m_points.size() > 5000 ? 1 : 0);
    const int s = int(side), h = s / 2;
    for (QVector<QRect> &b : m_batches) b.clear();
    const qsizetype n = m_points.size(), nl = m_labels.size();
    const QPointF *pts = m_points.constData();
    const quint8 *lab = m_labels.constData();
    const double xl = plot.left() - s, xr = plot.right() + s, yt = plot.top() - s, yb = plot.bottom() + s;
    for (qsizetype i = 0; i < n; ++i) {
        const double x = ox + pts[i].x() * sx, y = oy - pts[i].y() * sy;
        if (!(x >= xl && x <= xr && y >= yt && y <= yb)) continue;  // also drops NaN
        const int c = i < nl ? lab[i] % 10 : 0;
        m_batches[size_t(c)].append(QRect(int(x) - h, int(y) - h, s, s));
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(Qt::NoPen);
    for (int c = 0; c < 10; ++c) {
        const QVector<QRect> &b = m_batches[size_t(c)];
        if (b.isEmpty()) continue;
        QColor col = classColor(c);
        col.setAlphaF(float(m_pointOpacity));
        p.setBrush(col);
        p.drawRects(b.constData(), int(b.size()));
    }

    // The prior N(0, I): circles of radius 1 and 2 (ellipses unless the aspect is equal).
    if (m_prior) {
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setBrush(Qt::NoBrush);
        p.setFont(axisFont);
        for (int r = 1; r <= 2; ++r) {
            p.setPen(QPen(QColor(0x22, 0x22, 0x22), 2.5 * lineScale(), r == 1 ? Qt::DashLine : Qt::DotLine));
            const QRectF e(X(-r), Y(r), r * sx * 2, r * sy * 2);
            p.drawEllipse(e);
            const QString lbl = QStringLiteral("%1σ").arg(r);
            const QFontMetricsF afm(axisFont);
            const QRectF box = scatter_marks::ringLabelBox(e, QSizeF(afm.horizontalAdvance(lbl), afm.height()), plot);
            p.fillRect(box, QColor(255, 255, 255, 200));
            p.setPen(kText);
            p.drawText(box, Qt::AlignCenter, lbl);
        }
    }

    p.setClipping(false);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(kAxis, 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawRect(plot);

    // Marked codes (a drawn digit, the explorer's probe, interpolation endpoints).
    if (!m_marks.isEmpty()) {
        p.setClipRect(plot);
        scatter_marks::draw(p, m_marks, [&](QPointF d) { return QPointF(X(d.x()), Y(d.y())); }, px, plot);
        p.setClipping(false);
    }

    // Hover: ring the point, show its image and class beside the mouse (on screen, not in an exported figure).
    if (m_hover >= 0 && m_hover < m_points.size() && !renderingFigure()) {
        const QPointF c(X(m_points[m_hover].x()), Y(m_points[m_hover].y()));
        const int cls = m_hover < nl ? lab[m_hover] % 10 : 0;
        p.setPen(QPen(kText, 2.5));
        p.drawEllipse(c, s + 5.0, s + 5.0);
        scatter_marks::drawHoverCard(p, m_mouse, rect(), digitImage(m_hover), names.value(cls),
                                     tr("test image %1").arg(m_hover), classColor(cls), px);
    }
}
