#include "InterpolationStrip.h"

#include "LatentDecode.h"
#include "core/nn/Model.h"
#include "ui/widgets/Palette.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

InterpolationStrip::InterpolationStrip(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(400, 160);
}

void InterpolationStrip::setEndpoints(const ael::Model<float> &model, const float *a, const float *b, int rows,
                                      int cols, int steps)
{
    steps = std::clamp(steps, 2, 24);
    const int d = rows * cols;
    const std::vector<float> ha = encodeImage(model, a, d), hb = encodeImage(model, b, d);
    setRows(interpolate(model, ha, hb, steps, rows, cols), ael::ui::pixelBlend(a, b, rows, cols, steps));
}

void InterpolationStrip::setRows(const std::vector<QImage> &codeLine, const std::vector<QImage> &pixelBlend)
{
    m_code = codeLine;
    m_blend = pixelBlend;
    update();
}

void InterpolationStrip::clear() { setRows({}, {}); }

int InterpolationStrip::columns() const { return int(std::max(m_code.size(), m_blend.size())); }

InterpolationStrip::Geometry InterpolationStrip::geometry() const
{
    Geometry g;
    g.px = basePixelSize(size());
    const QFontMetricsF title(titleFont(g.px)), name(uiFont(g.px, true)), header(uiFont(g.px * 0.8));
    g.titleH = title.height() + 8;
    g.headerH = header.height() + 4;
    g.labelW = std::max(name.horizontalAdvance(tr("through the code")), name.horizontalAdvance(tr("pixel blend"))) + 18;
    const int n = std::max(1, columns());
    const double margin = 10;
    const double byW = (width() - 2 * margin - g.labelW) / (n + (n - 1) * 0.06);
    const double byH = (height() - 2 * margin - g.titleH - g.headerH) / (2 + 0.15);
    g.cell = std::max(4.0, std::floor(std::min(byW, byH)));
    g.gap = std::max(2.0, std::round(g.cell * 0.06));
    const double gridW = g.labelW + n * g.cell + (n - 1) * g.gap;
    const double blockH = g.titleH + g.headerH + g.cell * 2.15;  // centred vertically, title included
    g.top = std::max(margin, std::floor((height() - blockH) / 2));
    g.origin = QPointF(std::max(margin, std::floor((width() - gridW) / 2)) + g.labelW, g.top + g.titleH + g.headerH);
    return g;
}

QRectF InterpolationStrip::cellRect(int row, int col) const
{
    const std::vector<QImage> &r = row == 0 ? m_code : m_blend;
    if (row < 0 || row > 1 || col < 0 || col >= int(r.size())) return {};
    const Geometry g = geometry();
    return QRectF(g.origin.x() + col * (g.cell + g.gap), g.origin.y() + row * (g.cell * 1.15), g.cell, g.cell);
}

void InterpolationStrip::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    const Geometry g = geometry();
    const QFont titleFont = ael::ui::titleFont(g.px), nameFont = uiFont(g.px, true), headerFont = uiFont(g.px * 0.8);
    p.setFont(titleFont);
    p.setPen(kText);
    p.drawText(QRectF(10, g.top, width() - 20, g.titleH), Qt::AlignHCenter | Qt::AlignVCenter,
               tr("From one digit to another: a straight line in code space vs. a pixel blend"));
    const int n = columns();
    if (n == 0) {
        p.setPen(kSubtleText);
        p.drawText(rect(), Qt::AlignCenter, tr("pick two digits"));
        return;
    }
    // t = i / (n − 1) above each column
    p.setFont(headerFont);
    p.setPen(kSubtleText);
    for (int c = 0; c < n; ++c) {
        const double x = g.origin.x() + c * (g.cell + g.gap);
        p.drawText(QRectF(x - g.gap, g.origin.y() - g.headerH, g.cell + 2 * g.gap, g.headerH - 2),
                   Qt::AlignHCenter | Qt::AlignBottom,
                   QStringLiteral("t=%1").arg(n > 1 ? double(c) / (n - 1) : 0.0, 0, 'g', 2));
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    const QColor colors[2] = {kAeColor, kSubtleText};
    const QString names[2] = {tr("through the code"), tr("pixel blend")};
    for (int row = 0; row < 2; ++row) {
        const std::vector<QImage> &imgs = row == 0 ? m_code : m_blend;
        const double y = g.origin.y() + row * g.cell * 1.15;
        p.setFont(nameFont);
        p.setPen(colors[row]);
        p.drawText(QRectF(g.origin.x() - g.labelW, y, g.labelW - 12, g.cell), Qt::AlignRight | Qt::AlignVCenter,
                   names[row]);
        p.fillRect(QRectF(g.origin.x() - 7, y, 4, g.cell), colors[row]);
        for (int c = 0; c < int(imgs.size()); ++c) p.drawImage(cellRect(row, c), imgs[size_t(c)]);
    }
}
