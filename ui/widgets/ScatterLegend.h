#pragma once
// The code scatter's class legend: ten swatches with their names, beside the plot in one or two columns,
// or — when beside it would leave the plot a sliver (a 1024-pixel window, a narrow dock) — in rows under
// it, or not at all when there is no room for either. Geometry only: ScatterCanvas lays its plot out
// around it and paints the entries where entryRect() says.
#include <QFontMetricsF>
#include <QRectF>
#include <QSizeF>
#include <QStringList>

struct ScatterLegend {
    enum class Place { None, Side, Below };
    Place place = Place::None;
    /// The ten entries in a grid: beside the plot column by column, under it row by row.
    int columns = 1, rows = 10;
    double nameWidth = 0, columnWidth = 0, rowHeight = 0, swatch = 0;
    /// The room it takes right of the plot (Side) or along the bottom edge (Below).
    double right = 0, bottom = 0;
    /// Its font's pixel size (layOutFitting), and that as a share of the size it was asked for.
    double fontPixels = 0, scale = 1;

    /// The legend of ten `names` in `lf` for a canvas of size `canvas` whose plot, without a legend,
    /// would have these margins: left (ticks and y title), top (title) and bottom (ticks and x title).
    static ScatterLegend layOut(const QFontMetricsF &lf, const QStringList &names, QSizeF canvas, double left, double top,
                                double bottom);
    /// The same with the largest font, from `pixelSize` down to 0.7 × of it, at which every class shows its
    /// name whole or in its shorter form ("T-shirt", "Boot"): a name elided to a few letters ("Tr…", "Pu…")
    /// tells a class nothing on a projector. At `pixelSize` where none does, or where there is no room.
    static ScatterLegend layOutFitting(double pixelSize, const QStringList &names, QSizeF canvas, double left, double top,
                                       double bottom);
    /// Where entry c (0–9) goes, swatch and name: a row of rowHeight, columnWidth wide.
    QRectF entryRect(int c, const QRectF &plot, QSizeF canvas) const;
    /// A class's name as its entry shows it in nameWidth: whole if it fits, else a shorter name of the same
    /// class before an elided one: the first of "T-shirt/top", the last word of "Ankle boot" ("Boot").
    QString shownName(const QFontMetricsF &lf, const QString &name) const;
};
