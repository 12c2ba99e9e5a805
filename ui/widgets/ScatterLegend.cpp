#include "ScatterLegend.h"

#include "Palette.h"

#include <algorithm>
#include <cmath>

namespace {
constexpr double kGap = 14;       // between the plot and the side legend
constexpr double kSwatchGap = 8;  // between a swatch and its name
constexpr double kEdge = 8;       // the canvas's edge

double widestName(const QFontMetricsF &lf, const QStringList &names)
{
    double w = 0;
    for (const QString &n : names) w = std::max(w, lf.horizontalAdvance(n));
    return w;
}
}  // namespace

ScatterLegend ScatterLegend::layOut(const QFontMetricsF &lf, const QStringList &names, QSizeF canvas, double left, double top,
                                    double bottom)
{
    ScatterLegend L;
    L.rowHeight = lf.height() * 1.2;
    L.swatch = lf.height() * 0.75;
    const double minName = lf.horizontalAdvance(QStringLiteral("MM")), widest = widestName(lf, names);
    const double plotH = canvas.height() - top - bottom, room = canvas.width() - left - kGap;

    // Beside the plot: one column, or two of five when ten rows do not fit its height; the names elided
    // beyond what leaves the plot half of the width.
    L.columns = 10 * lf.height() * 1.2 + 2 <= plotH ? 1 : 2;
    L.rows = 10 / L.columns;
    const double perColumn = kGap + L.swatch + kSwatchGap;
    L.nameWidth = std::max(minName, std::min(widest, room * 0.5 / L.columns - perColumn));
    L.columnWidth = perColumn + L.nameWidth;
    L.right = L.columnWidth * L.columns;
    if (room - L.right >= std::max(90.0, room * 0.4)) {
        L.place = Place::Side;
        return L;
    }

    // Under the plot: as many entries to a row as fit the width, names elided at half of it.
    L.right = 0;
    const double perEntry = L.swatch + kSwatchGap + 10;
    L.nameWidth = std::max(minName, std::min(widest, (canvas.width() - 2 * kEdge) / 2 - perEntry));
    L.columnWidth = perEntry + L.nameWidth;
    L.columns = std::clamp(int((canvas.width() - 2 * kEdge) / L.columnWidth), 1, 10);
    L.rows = (10 + L.columns - 1) / L.columns;
    L.bottom = L.rows * L.rowHeight + 4;
    // Not at all when the rows would take more than 40 % of the plot's height.
    if (L.bottom > 0.4 * plotH) {
        L = ScatterLegend();
        return L;
    }
    L.place = Place::Below;
    return L;
}

ScatterLegend ScatterLegend::layOutFitting(double pixelSize, const QStringList &names, QSizeF canvas, double left, double top,
                                           double bottom)
{
    ScatterLegend first;
    for (const double scale : {1.0, 0.9, 0.8, 0.7}) {
        const QFontMetricsF fm(ael::ui::uiFont(pixelSize * scale));
        ScatterLegend L = layOut(fm, names, canvas, left, top, bottom);
        L.fontPixels = pixelSize * scale;
        L.scale = scale;
        if (scale == 1.0) first = L;
        if (L.place == Place::None) break;
        bool whole = true;
        for (const QString &n : names) whole = whole && !L.shownName(fm, n).contains(QChar(0x2026));
        if (whole) return L;
    }
    return first;
}

QString ScatterLegend::shownName(const QFontMetricsF &lf, const QString &name) const
{
    QStringList longToShort{name};
    if (name.contains(QLatin1Char('/'))) longToShort << name.section(QLatin1Char('/'), 0, 0).trimmed();
    if (name.contains(QLatin1Char(' '))) {
        QString last = name.section(QLatin1Char(' '), -1);
        if (!last.isEmpty()) last[0] = last[0].toUpper();
        longToShort << last;
    }
    return ael::ui::firstFitting(longToShort, lf, nameWidth + 1);
}

QRectF ScatterLegend::entryRect(int c, const QRectF &plot, QSizeF canvas) const
{
    switch (place) {
    case Place::Side:
        return {plot.right() + kGap + columnWidth * (c / rows), plot.top() + 2 + rowHeight * (c % rows), columnWidth - kGap,
                rowHeight};
    case Place::Below: {
        const double left = std::max(kEdge, std::floor((canvas.width() - columns * columnWidth) / 2));
        return {left + columnWidth * (c % columns), canvas.height() - bottom + rowHeight * (c / columns), columnWidth, rowHeight};
    }
    case Place::None:
        break;
    }
    return {};
}
