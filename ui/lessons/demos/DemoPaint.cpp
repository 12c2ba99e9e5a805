#include "DemoPaint.h"

#include "ui/widgets/Palette.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

namespace demo_paint {

QString number(double v)
{
    if (!std::isfinite(v)) return QStringLiteral("—");
    if (v != 0 && std::abs(v) < 1e-3) return QString::number(v, 'e', 1);
    return QString::number(v, 'g', 3);
}

double titleHeight(double px, const QStringList &title, double width)
{
    const QFontMetricsF fm(uiFont(px * 1.2, true));
    return fm.horizontalAdvance(title.last()) > width ? 1e6 : fm.height() + 6;
}

double footerHeight(const QStringList &lines, double px, double width, bool firstBold)
{
    double h = 4;
    for (int i = 0; i < lines.size(); ++i) {
        const bool bold = firstBold && i == 0;
        const QFontMetricsF fm(uiFont(bold ? px * 1.05 : px * 0.9, bold));
        h += std::ceil(fm.boundingRect(QRectF(0, 0, width, 1e6), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, lines[i])
                           .height()) + 1;
    }
    return h;
}

double rowsTextHeight(int rows, double px)
{
    const double line = QFontMetricsF(uiFont(px * 0.95, true)).height() + QFontMetricsF(uiFont(px * 0.85)).height();
    return rows * line + (rows - 1) * std::max(2.0, std::round(px * 0.25));
}

double fitPx(double px, double available, const std::function<double(double)> &need)
{
    while (px > 9 && need(px) > available) px = std::max(9.0, px * 0.92);
    return px;
}

FooterFit fitFooter(double px, double available, const QStringList &lines, int keep,
                    const std::function<double(double, const QStringList &)> &need)
{
    FooterFit f;
    f.lines = lines;
    f.px = fitPx(px, available, [&](double q) { return need(q, f.lines); });
    while (ael::ui::presentationMode() && f.px < std::min(px, kReadablePx) && f.lines.size() > std::max(0, keep)) {
        QStringList fewer = f.lines;
        const QString last = fewer.takeLast();
        const double q = fitPx(px, available, [&](double s) { return need(s, fewer); });
        if (q <= f.px) break;  // something else holds the text small: keep the line
        f.lines = fewer;
        f.dropped.prepend(last);
        f.px = q;
    }
    return f;
}

QRectF drawTitle(QPainter &p, const QRectF &r, const QStringList &title, double px)
{
    const QFont f = uiFont(px * 1.2, true);
    const double h = QFontMetricsF(f).height() + 4;
    p.setFont(f);
    p.setPen(kText);
    const QRectF line(r.left(), r.top(), r.width(), h);
    p.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, firstFitting(title, QFontMetricsF(f), r.width()));
    return r.adjusted(0, h + 2, 0, 0);
}

QRectF drawFooter(QPainter &p, const QRectF &r, const QStringList &lines, double px, bool firstBold,
                  const QColor &firstColor)
{
    // Bottom up; each line wraps at word boundaries rather than being cut off.
    double y = r.bottom();
    for (int i = int(lines.size()) - 1; i >= 0; --i) {
        const bool bold = firstBold && i == 0;
        const QFont f = uiFont(bold ? px * 1.05 : px * 0.9, bold);
        const QFontMetricsF fm(f);
        const int flags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;
        const double h = std::ceil(fm.boundingRect(QRectF(0, 0, r.width(), 1e6), flags, lines[i]).height()) + 1;
        y -= h;
        p.setFont(f);
        p.setPen(i == 0 && firstColor.isValid() ? firstColor : (bold ? kText : kSubtleText));
        p.drawText(QRectF(r.left(), y, r.width(), h), flags, lines[i]);
    }
    return QRectF(r.left(), r.top(), r.width(), std::max(0.0, y - r.top() - 4));
}

void drawImageRows(QPainter &p, const QRectF &r, const QVector<ImageRow> &rows, double px)
{
    if (rows.isEmpty()) return;
    const QFont labelFont = uiFont(px * 0.95, true), detailFont = uiFont(px * 0.85);
    const QFontMetricsF lfm(labelFont), dfm(detailFont);
    double labelW = 0;
    int maxImages = 1;
    for (const ImageRow &row : rows) {
        labelW = std::max({labelW, lfm.horizontalAdvance(row.label), dfm.horizontalAdvance(row.detail)});
        maxImages = std::max(maxImages, int(row.images.size()));
    }
    labelW = std::min(std::ceil(labelW) + 8, r.width() * 0.45);
    const double bar = std::max(2.0, std::round(3 * lineScale()));
    const double gap = std::max(2.0, std::round(px * 0.25));
    const double left = r.left() + labelW + bar + gap;
    const int n = int(rows.size());
    // Square cells: n·cell + (n − 1)·gap ≤ height and maxImages·cell + (maxImages − 1)·gap ≤ width.
    const double byH = (r.height() - (n - 1) * gap) / n;
    const double byW = (r.right() - left - (maxImages - 1) * gap) / maxImages;
    const double cell = std::max(6.0, std::floor(std::min(byH, byW)));
    // The label column needs its two lines; rows as tall as the cell or the text, whichever is more.
    const double rowH = std::max(cell, lfm.height() + dfm.height());
    double y = r.top() + std::max(0.0, (r.height() - (n * rowH + (n - 1) * gap)) / 2);
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    for (const ImageRow &row : rows) {
        const QColor c = row.color.isValid() ? row.color : kText;
        const double textTop = y + (rowH - lfm.height() - (row.detail.isEmpty() ? 0 : dfm.height())) / 2;
        p.setFont(labelFont);
        p.setPen(c);
        p.drawText(QRectF(r.left(), textTop, labelW, lfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   lfm.elidedText(row.label, Qt::ElideRight, labelW));
        if (!row.detail.isEmpty()) {
            p.setFont(detailFont);
            p.setPen(kText);
            p.drawText(QRectF(r.left(), textTop + lfm.height(), labelW, dfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                       firstFitting(row.shortDetail.isEmpty() ? QStringList{row.detail} : QStringList{row.detail, row.shortDetail}, dfm, labelW));
        }
        const double imgTop = y + (rowH - cell) / 2;
        if (row.color.isValid()) p.fillRect(QRectF(r.left() + labelW, imgTop, bar, cell), row.color);
        for (int i = 0; i < row.images.size(); ++i) {
            const QRectF cellR(left + i * (cell + gap), imgTop, cell, cell);
            if (row.images[i].isNull()) p.fillRect(cellR, QColor(0xee, 0xee, 0xee));
            else p.drawImage(cellR, row.images[i]);
        }
        y += rowH + gap;
    }
}

void drawImageGrid(QPainter &p, const QRectF &r, const QStringList &header, const QVector<QImage> &images, int cols,
                   const QColor &color, double px)
{
    const QFont f = uiFont(px * 0.95, true);
    const QFontMetricsF fm(f);
    const double headerH = fm.height() + 2;
    p.setFont(f);
    p.setPen(color.isValid() ? color : kText);
    p.drawText(QRectF(r.left(), r.top(), r.width(), headerH), Qt::AlignLeft | Qt::AlignVCenter,
               firstFitting(header, fm, r.width()));
    if (images.isEmpty() || cols < 1) return;
    const int rowsN = (int(images.size()) + cols - 1) / cols;
    const double gap = std::max(2.0, std::round(px * 0.2));
    const double bar = std::max(2.0, std::round(3 * lineScale()));
    const QRectF area = r.adjusted(0, headerH + bar + 2, 0, 0);
    const double cell = std::max(4.0, std::floor(std::min((area.width() - (cols - 1) * gap) / cols,
                                                          (area.height() - (rowsN - 1) * gap) / rowsN)));
    const double gridW = cols * cell + (cols - 1) * gap;
    if (color.isValid()) p.fillRect(QRectF(area.left(), area.top() - bar - 1, gridW, bar), color);
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    for (int i = 0; i < images.size(); ++i) {
        const QRectF cellR(area.left() + (i % cols) * (cell + gap), area.top() + (i / cols) * (cell + gap), cell, cell);
        p.drawImage(cellR, images[i]);
    }
}

void drawMessage(QPainter &p, const QRectF &r, const QString &text, double px)
{
    p.setFont(uiFont(px * 0.95));
    p.setPen(kSubtleText);
    p.drawText(r.adjusted(4, 4, -4, -4), Qt::AlignCenter | Qt::TextWordWrap, text);
}

}  // namespace demo_paint
