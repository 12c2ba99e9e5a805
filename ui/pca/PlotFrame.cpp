#include "ui/pca/PlotFrame.h"

#include "ui/widgets/AxisTicks.h"
#include "ui/widgets/Palette.h"

#include <QFontMetricsF>
#include <QPainter>

#include <cmath>

using namespace ael::ui;

namespace pca_plot {

double Axes::px(double x) const
{
    double t;
    if (logX) t = (std::log(std::max(x, 1e-300)) - std::log(x0)) / (std::log(x1) - std::log(x0));
    else t = (x - x0) / (x1 - x0);
    return plot.left() + t * plot.width();
}

double Axes::py(double y) const { return plot.bottom() - (y - y0) / (y1 - y0) * plot.height(); }

double Axes::pyRight(double y) const { return plot.bottom() - (y - rightY0) / (rightY1 - rightY0) * plot.height(); }

int minimumHeight(double basePx, double headerLines)
{
    const QFontMetricsF tick(ael::ui::uiFont(basePx * 0.85));
    const double top = basePx * 1.3 * 1.5, bottom = tick.height() * 2.3;  // as layout() sets them
    return int(std::ceil(top + headerLines * basePx * 1.25 + bottom + 2 * tick.height()));  // two tick labels apart
}

void layout(Axes &a, const QRectF &w, double basePx, bool rightAxis)
{
    const double tick = basePx * 0.85;
    const QFontMetricsF fm(uiFont(tick));
    const double left = fm.horizontalAdvance(QStringLiteral("0.000")) + tick * 1.6;   // labels + rotated caption
    const double right = rightAxis ? fm.horizontalAdvance(QStringLiteral("100 %")) + tick * 1.6 : basePx * 0.8;
    const double top = basePx * 1.3 * 1.5;                                            // the title line
    const double bottom = fm.height() * 2.3;                                          // tick labels + caption
    a.plot = QRectF(w.left() + left, w.top() + top, std::max(10.0, w.width() - left - right),
                    std::max(10.0, w.height() - top - bottom));
}

namespace {

QString percent(double v, double step)
{
    return axis_ticks::tickLabel(v * 100, step * 100) + QStringLiteral(" %");
}

void yTicks(QPainter &p, const Axes &a, double lo, double hi, bool asPercent, bool rightSide, double tickPx)
{
    const QFontMetricsF fm(p.font());
    const double step = axis_ticks::niceStep(hi - lo, std::max(2.0, a.plot.height() / (fm.height() * 2.2)));
    for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-6; v += step) {
        const double y = a.plot.bottom() - (v - lo) / (hi - lo) * a.plot.height();
        const QString s = asPercent ? percent(v, step) : axis_ticks::tickLabel(v, step);
        if (!rightSide) {
            p.setPen(QPen(kGrid, 1));
            p.drawLine(QPointF(a.plot.left(), y), QPointF(a.plot.right(), y));
        }
        p.setPen(kText);
        const double w = fm.horizontalAdvance(s);
        const double x = rightSide ? a.plot.right() + tickPx * 0.35 : a.plot.left() - tickPx * 0.35 - w;
        p.drawText(QPointF(x, y + fm.ascent() * 0.4), s);
    }
}

}  // namespace

void drawFrame(QPainter &p, const Axes &a, const Captions &c, double basePx)
{
    const double tick = basePx * 0.85;
    p.setFont(uiFont(tick));
    const QFontMetricsF fm(p.font());
    yTicks(p, a, a.y0, a.y1, c.yPercent, false, tick);
    if (a.rightY1 > a.rightY0) yTicks(p, a, a.rightY0, a.rightY1, c.rightPercent, true, tick);
    // x ticks: 1-2-5 per decade on a log axis, else nice steps
    QVector<double> xs;
    if (a.logX) {
        for (double dec = std::pow(10.0, std::floor(std::log10(a.x0))); dec <= a.x1; dec *= 10)
            for (double m : {1.0, 2.0, 5.0})
                if (m * dec >= a.x0 - 1e-9 && m * dec <= a.x1 + 1e-9) xs.append(m * dec);
    } else {
        const double step = std::max(1.0, axis_ticks::niceStep(a.x1 - a.x0, std::max(2.0, a.plot.width() / (fm.horizontalAdvance(QStringLiteral("000")) * 2.5))));
        for (double v = std::ceil(a.x0 / step - 1e-9) * step; v <= a.x1 + 1e-9; v += step) xs.append(v);
    }
    double lastRight = -1e9;
    for (double v : xs) {
        const double x = a.px(v);
        p.setPen(QPen(kGrid, 1));
        p.drawLine(QPointF(x, a.plot.top()), QPointF(x, a.plot.bottom()));
        const QString s = QString::number(v, 'g', 6);
        const double w = fm.horizontalAdvance(s);
        if (x - w / 2 < lastRight + tick * 0.4) continue;  // no overlapping labels
        p.setPen(kText);
        p.drawText(QPointF(x - w / 2, a.plot.bottom() + fm.ascent() + tick * 0.2), s);
        lastRight = x + w / 2;
    }
    p.setPen(QPen(kAxis, 1.2 * lineScale()));
    p.drawLine(a.plot.bottomLeft(), a.plot.bottomRight());
    p.drawLine(a.plot.bottomLeft(), a.plot.topLeft());
    if (a.rightY1 > a.rightY0) p.drawLine(a.plot.bottomRight(), a.plot.topRight());
    // captions
    p.setPen(kSubtleText);
    if (!c.xLabel.isEmpty()) {
        const double w = fm.horizontalAdvance(c.xLabel);
        p.drawText(QPointF(a.plot.center().x() - w / 2, a.plot.bottom() + fm.height() * 2.1), c.xLabel);
    }
    auto vertical = [&](const QString &label, const QString &shortLabel, double x) {
        const QString s = shownAxisLabel(label, shortLabel, fm, a.plot.height());
        if (s.isEmpty()) return;
        p.save();
        p.translate(x, a.plot.center().y());
        p.rotate(-90);
        const double w = fm.horizontalAdvance(s);
        p.drawText(QRectF(-w / 2, -fm.height(), w, fm.height() * 1.2), Qt::AlignCenter, s);
        p.restore();
    };
    vertical(c.yLabel, c.shortYLabel, fm.height() * 1.05);
    if (a.rightY1 > a.rightY0) vertical(c.rightLabel, c.shortRightLabel, p.device()->width() - fm.height() * 0.25);
    p.setPen(kText);
    p.setFont(uiFont(basePx * 1.3, true));
    const QFontMetricsF tf(p.font());
    p.drawText(QPointF(basePx * 0.4, tf.ascent() + basePx * 0.15), shownTitle(c, tf, p.device()->width() - basePx * 0.8));
}

QString shownAxisLabel(const QString &label, const QString &shortLabel, const QFontMetricsF &fm, double length)
{
    for (const QString &s : {label, shortLabel})
        if (!s.isEmpty() && fm.horizontalAdvance(s) <= length) return s;
    return {};
}

QString shownTitle(const Captions &c, const QFontMetricsF &fm, double width)
{
    return c.shortTitle.isEmpty() ? fm.elidedText(c.title, Qt::ElideRight, width) : firstFitting({c.title, c.shortTitle}, fm, width);
}

}  // namespace pca_plot
