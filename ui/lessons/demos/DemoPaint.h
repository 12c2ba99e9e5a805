#pragma once
// Painting shared by the lesson demos: a title line, a few lines of figures at the bottom, rows of
// images with a label column (e.g. "x̃ corrupted" above "MSE 0.094"), grids of samples and a
// centred message. Sizes follow ael::ui::basePixelSize and lineScale (read at paint time).
#include <QColor>
#include <QImage>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QVector>

class QPainter;

namespace demo_paint {

struct ImageRow {
    QString label;          ///< what the row is, e.g. "g(f(x̃))"
    QString detail;         ///< its figure, e.g. "MSE 0.021"
    QColor color;           ///< label colour and the bar left of the images (invalid: text colour, no bar)
    QVector<QImage> images;
};

/// The title (bold, ~1.2× px) at the top of r; returns the rest of r.
QRectF drawTitle(QPainter &p, const QRectF &r, const QString &title, double px);
/// Lines of text at the bottom of r (the first may be bold); returns the rest of r above them.
QRectF drawFooter(QPainter &p, const QRectF &r, const QStringList &lines, double px, bool firstBold = false,
                  const QColor &firstColor = QColor());
/// Rows of square images in r with a label column on the left; images as large as both fit.
void drawImageRows(QPainter &p, const QRectF &r, const QVector<ImageRow> &rows, double px);
/// A header line and a grid of images (cols per row) in r, the header in `color`.
void drawImageGrid(QPainter &p, const QRectF &r, const QString &header, const QVector<QImage> &images, int cols,
                   const QColor &color, double px);
/// Grey wrapped text centred in r.
void drawMessage(QPainter &p, const QRectF &r, const QString &text, double px);
/// "0.0123" with three significant digits (scientific below 0.001).
QString number(double v);

}  // namespace demo_paint
