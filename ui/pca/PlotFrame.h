#pragma once
// The axes the PCA panel's plots share: a data box mapped into a pixel rectangle (x linear or
// logarithmic), tick labels from axis_ticks, a title line above and axis captions. Sizes come from
// basePixelSize / lineScale at paint time (presentation mode changes them).
#include <QPointF>
#include <QRectF>
#include <QString>

class QFontMetricsF;

class QPainter;

namespace pca_plot {

struct Axes {
    QRectF plot;                  ///< the data area in pixels
    double x0 = 0, x1 = 1;        ///< data range on x (x0 > 0 when logX)
    double y0 = 0, y1 = 1;        ///< left axis
    bool logX = false;
    double rightY0 = 0, rightY1 = 0;  ///< a second (right) axis when rightY1 > rightY0

    /// x: linear  px = l + (x − x0)/(x1 − x0)·w,  or log  px = l + (ln x − ln x0)/(ln x1 − ln x0)·w
    double px(double x) const;
    double py(double y) const;       ///< on the left axis (y0 at the bottom)
    double pyRight(double y) const;  ///< on the right axis
    QPointF map(double x, double y) const { return {px(x), py(y)}; }
};

struct Captions {
    QString title, xLabel, yLabel, rightLabel;
    QString shortTitle;  ///< where the title does not fit the width (empty: it is elided)
    QString shortYLabel, shortRightLabel;  ///< the same for the vertical captions along a short plot
    bool yPercent = false, rightPercent = false;
};

/// The least height at which a plot keeps a data area two tick labels tall under its title and `headerLines`
/// more lines of text, above its tick labels and caption, at text size `basePx`. The PCA panel's plots had
/// fixed minimums of 120 px: below a lesson in presentation mode each kept a 10-px sliver of data under
/// 28-px titles, its tick labels piled on one another.
int minimumHeight(double basePx, double headerLines);
/// Margins for the tick labels and captions of a widget of this size; sets a.plot.
void layout(Axes &a, const QRectF &widget, double basePx, bool rightAxis);
/// The title as drawn in `width`: the title, else the short one, else elided.
QString shownTitle(const Captions &c, const QFontMetricsF &fm, double width);
/// A vertical axis caption as drawn along `length` pixels: the caption, else the short one, else none. A
/// plot two tick labels tall under a lesson in presentation mode printed "sh…" for "share".
QString shownAxisLabel(const QString &label, const QString &shortLabel, const QFontMetricsF &fm, double length);
/// Grid, axes, ticks, tick labels and captions (the title at the top left).
void drawFrame(QPainter &p, const Axes &a, const Captions &c, double basePx);

}  // namespace pca_plot
