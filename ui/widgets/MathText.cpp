#include "ui/widgets/MathText.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace math_text {

namespace {
/// The subscript font: 70 % of `f`.
QFont subFont(const QFont &f)
{
    QFont s = f;
    if (f.pixelSize() > 0) s.setPixelSize(std::max(1, int(std::lround(f.pixelSize() * 0.7))));
    else s.setPointSizeF(f.pointSizeF() * 0.7);
    return s;
}
}  // namespace

QList<Run> runs(const QString &plain)
{
    QList<Run> out;
    QString text;
    const auto flush = [&] {
        if (!text.isEmpty()) out.append({text, false});
        text.clear();
    };
    for (qsizetype i = 0; i < plain.size(); ++i) {
        const QChar c = plain[i];
        if (c != u'_' || i + 1 >= plain.size() || plain[i + 1].isSpace()) {
            text += c;
            continue;
        }
        QString sub;
        qsizetype last = 0;  // the mark's last character
        if (plain[i + 1] == u'{') {
            last = plain.indexOf(u'}', i + 2);
            if (last < 0) {  // unclosed: as written
                text += c;
                continue;
            }
            sub = plain.mid(i + 2, last - i - 2);
        } else {
            const qsizetype len = plain[i + 1].isHighSurrogate() && i + 2 < plain.size() ? 2 : 1;
            sub = plain.mid(i + 1, len);
            last = i + len;
        }
        flush();
        if (!sub.isEmpty()) out.append({sub, true});
        i = last;
    }
    flush();
    return out;
}

bool hasMarks(const QString &plain)
{
    for (const Run &r : runs(plain))
        if (r.sub) return true;
    return false;
}

QString toHtml(const QString &plain)
{
    // pre-wrap: the two-space gaps between formulas and the line breaks stay; lines still wrap at spaces.
    QString out = QStringLiteral("<span style=\"white-space:pre-wrap\">");
    for (const Run &r : runs(plain))
        out += r.sub ? QStringLiteral("<sub>%1</sub>").arg(r.text.toHtmlEscaped()) : r.text.toHtmlEscaped();
    return out + QStringLiteral("</span>");
}

double width(const QFont &font, const QString &plain)
{
    const QFontMetricsF fm(font), sm(subFont(font));
    double w = 0;
    for (const Run &r : runs(plain)) w += (r.sub ? sm : fm).horizontalAdvance(r.text);
    return w;
}

QRectF paint(QPainter &p, const QRectF &r, int alignment, const QString &plain)
{
    const QFont font = p.font(), small = subFont(font);
    const QFontMetricsF fm(font);
    const double w = width(font, plain), h = fm.height();
    double x = r.left();
    if (alignment & Qt::AlignRight) x = r.right() - w;
    else if (alignment & Qt::AlignHCenter) x = r.center().x() - w / 2;
    double top = r.top() + (r.height() - h) / 2;
    if (alignment & Qt::AlignTop) top = r.top();
    else if (alignment & Qt::AlignBottom) top = r.bottom() - h;
    const double left = x, baseline = top + fm.ascent();
    // A subscript sits a quarter of the ascent below the baseline, as in typeset formulas.
    const double subBaseline = baseline + fm.ascent() * 0.25;
    p.save();
    // Clipped at the sides, as QPainter::drawText(rect, …) would; a subscript's tail may hang below the line.
    p.setClipRect(r.adjusted(0, -h, 0, h), Qt::IntersectClip);
    for (const Run &run : runs(plain)) {
        p.setFont(run.sub ? small : font);
        p.drawText(QPointF(x, run.sub ? subBaseline : baseline), run.text);
        x += QFontMetricsF(p.font()).horizontalAdvance(run.text);
    }
    p.restore();
    return {left, top, w, h};
}

}  // namespace math_text
