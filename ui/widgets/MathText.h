#pragma once
// Formulas are written in plain text with TeX's subscript mark: "λ‖∂f(x)/∂x‖²_F", "E_q[…]", "x_{ij}" (the
// character after '_', or the group in braces). Where they are shown, in a label (as HTML) or painted
// (in runs), the mark becomes a real subscript: a projector shows ‖J‖² with a small lowered F, not "²_F".
// The engine and the command line keep the plain form.
#include <QList>
#include <QRectF>
#include <QString>

class QFont;
class QPainter;

namespace math_text {

struct Run {
    QString text;
    bool sub = false;  ///< a subscript
    bool operator==(const Run &) const = default;
};

/// The text in runs: "‖J‖²_F (estimate)" → "‖J‖²", sub "F", " (estimate)". A '_' before a space, at
/// the end or before an unclosed brace stays as it is.
QList<Run> runs(const QString &plain);
/// Whether the text has a subscript mark at all.
bool hasMarks(const QString &plain);
/// Rich text for a QLabel or a tooltip: escaped, subscripts as <sub>, spaces and line breaks kept as written.
QString toHtml(const QString &plain);

/// How wide the painted text is in `font` (the painter's font for paint()).
double width(const QFont &font, const QString &plain);
/// Paints one line in the painter's font, aligned in `r` (left, right or horizontally centred; top,
/// bottom or vertically centred), subscripts smaller and lowered, clipped at `r`'s sides. Returns the rectangle
/// the whole line takes (wider than `r` if it does not fit).
QRectF paint(QPainter &p, const QRectF &r, int alignment, const QString &plain);

}  // namespace math_text
