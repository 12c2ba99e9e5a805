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

#include <functional>

class QPainter;

namespace demo_paint {

struct ImageRow {
    QString label;          ///< what the row is, e.g. "g(f(x̃))"
    QString detail;         ///< its figure, e.g. "MSE 0.021"
    QColor color;           ///< label colour and the bar left of the images (invalid: text colour, no bar)
    QVector<QImage> images;
    QString shortDetail = {};  ///< drawn where `detail` does not fit, e.g. "MSE 0.021" for "MSE 0.021 (μ: 0.08)"
};

/// The title (bold, ~1.2× px) at the top of r, the first of its forms (long to short) that fits; returns
/// the rest of r.
QRectF drawTitle(QPainter &p, const QRectF &r, const QStringList &title, double px);
/// Lines of text at the bottom of r (the first may be bold); returns the rest of r above them.
QRectF drawFooter(QPainter &p, const QRectF &r, const QStringList &lines, double px, bool firstBold = false,
                  const QColor &firstColor = QColor());
/// Rows of square images in r with a label column on the left; images as large as both fit.
void drawImageRows(QPainter &p, const QRectF &r, const QVector<ImageRow> &rows, double px);
/// A header line (the first of its forms that fits) and a grid of images (cols per row) in r, the
/// header in `color`.
void drawImageGrid(QPainter &p, const QRectF &r, const QStringList &header, const QVector<QImage> &images, int cols,
                   const QColor &color, double px);
/// Heights the pieces above need at text size px (footer lines wrapped to `width`; rows: their text).
/// titleHeight is huge when no form of the title fits on one line of `width`.
double titleHeight(double px, const QStringList &title, double width);
double footerHeight(const QStringList &lines, double px, double width, bool firstBold = false);
double rowsTextHeight(int rows, double px);
/// The largest text size ≤ px (down to 9 px) at which need(size) ≤ available: a small demo in
/// presentation mode shrinks its text rather than letting it overlap.
double fitPx(double px, double available, const std::function<double(double)> &need);
/// The text size and footer lines a demo draws. In presentation mode a demo whose text would have to
/// shrink below kReadablePx to fit first leaves out its footer's detail lines, the last first (the
/// first `keep` lines, its verdict, always stay): from the back of a hall a larger verdict and larger
/// images say more than small print. need(px, lines): the height everything takes with those lines.
struct FooterFit {
    double px = 0;
    QStringList lines;    ///< drawn
    QStringList dropped;  ///< left out (the demo's tooltip)
};
inline constexpr double kReadablePx = 20;  // its details at 0.85-0.9x: the 18 px of presentation's tick labels
FooterFit fitFooter(double px, double available, const QStringList &lines, int keep,
                    const std::function<double(double, const QStringList &)> &need);
/// Grey wrapped text centred in r.
void drawMessage(QPainter &p, const QRectF &r, const QString &text, double px);
/// "0.0123" with three significant digits (scientific below 0.001).
QString number(double v);

}  // namespace demo_paint
