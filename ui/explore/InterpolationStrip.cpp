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

InterpolationStrip::Geometry InterpolationStrip::placement() const
{
    // The view's text size where the images leave room for it; in a short strip (presentation mode's large
    // text in a 1280 × 720 window) a smaller one, so that a row's name is no taller than its images' pitch,
    // and without the title where even that leaves images under 24 pixels.
    const double base = basePixelSize(size());
    Geometry g;
    for (const bool title : {true, false}) {
        for (double px = base;; px *= 0.9) {
            g = placementAt(px, title);
            if (QFontMetricsF(uiFont(px, true)).height() <= g.cell * 1.15 || px < 8) break;
        }
        if (g.cell >= 24) break;
    }
    return g;
}

QRectF InterpolationStrip::rowLabelRect(int row) const
{
    if (row < 0 || row > 1 || columns() == 0) return {};
    const Geometry g = placement();
    const double h = QFontMetricsF(uiFont(g.px, true)).height(), centre = g.origin.y() + row * g.cell * 1.15 + g.cell / 2;
    return QRectF(g.origin.x() - g.labelW, centre - h / 2, g.labelW - 12, h);
}

bool InterpolationStrip::titleShown() const { return placement().titleH > 0; }

InterpolationStrip::Geometry InterpolationStrip::placementAt(double px, bool withTitle) const
{
    Geometry g;
    g.px = px;
    const QFontMetricsF title(titleFont(g.px)), name(uiFont(g.px, true)), header(uiFont(g.px * 0.8));
    g.titleH = withTitle ? title.height() + 8 : 0;
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

QString InterpolationStrip::shownTitle() const
{
    if (!titleShown()) return QString();
    const QFontMetricsF fm(titleFont(placement().px));
    return firstFitting({tr("From one digit to another: a straight line in code space vs. a pixel blend"),
                         tr("A straight line in code space vs. a pixel blend"), tr("Code line vs. pixel blend")},
                        fm, width() - 20);
}

namespace {
QString tLabel(int c, int n) { return (c == 0 ? QStringLiteral("t=") : QString()) + QString::number(n > 1 ? double(c) / (n - 1) : 0.0, 'g', 2); }
}  // namespace

int InterpolationStrip::labelStride(const Geometry &g) const
{
    const int n = columns();
    const QFontMetricsF fm(uiFont(g.px * 0.8));
    double widest = 0;
    for (int c = 0; c < n; ++c) widest = std::max(widest, fm.horizontalAdvance(tLabel(c, n)));
    const double pitch = g.cell + g.gap;
    return std::max(1, int(std::ceil((widest + 6) / std::max(1.0, pitch))));
}

QStringList InterpolationStrip::stepLabels() const
{
    const int n = columns(), stride = labelStride(placement());
    QStringList out;
    for (int c = 0; c < n; ++c) out << QString();
    for (int c = 0; c < n; c += stride) out[c] = tLabel(c, n);
    // The last t (= 1) always: it takes the place of a shown one too close before it.
    if (n > 1 && out[n - 1].isEmpty()) {
        const int before = (n - 1) / stride * stride;
        if (n - 1 - before < stride && before > 0) out[before].clear();
        out[n - 1] = tLabel(n - 1, n);
    }
    return out;
}

QRectF InterpolationStrip::cellRect(int row, int col) const
{
    const std::vector<QImage> &r = row == 0 ? m_code : m_blend;
    if (row < 0 || row > 1 || col < 0 || col >= int(r.size())) return {};
    const Geometry g = placement();
    return QRectF(g.origin.x() + col * (g.cell + g.gap), g.origin.y() + row * (g.cell * 1.15), g.cell, g.cell);
}

void InterpolationStrip::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    const Geometry g = placement();
    const QFont titleFont = ael::ui::titleFont(g.px), nameFont = uiFont(g.px, true), headerFont = uiFont(g.px * 0.8);
    p.setFont(titleFont);
    p.setPen(kText);
    p.drawText(QRectF(10, g.top, width() - 20, g.titleH), Qt::AlignHCenter | Qt::AlignVCenter, shownTitle());
    const int n = columns();
    if (n == 0) {
        p.setPen(kSubtleText);
        p.drawText(rect(), Qt::AlignCenter, tr("pick two digits"));
        return;
    }
    // t = i / (n − 1) above the columns, centred on each, as many as fit side by side
    p.setFont(headerFont);
    p.setPen(kSubtleText);
    const QStringList labels = stepLabels();
    const double span = labelStride(g) * (g.cell + g.gap);
    for (int c = 0; c < n; ++c) {
        if (labels.value(c).isEmpty()) continue;
        const double centre = g.origin.x() + c * (g.cell + g.gap) + g.cell / 2;
        p.drawText(QRectF(centre - span / 2, g.origin.y() - g.headerH, span, g.headerH - 2), Qt::AlignHCenter | Qt::AlignBottom,
                   labels.value(c));
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
