#include "ReconstructionView.h"

#include "Palette.h"
#include "core/data/Dataset.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

namespace {

QString mseText(double v)
{
    if (!std::isfinite(v)) return QStringLiteral("MSE —");
    return QStringLiteral("MSE %1").arg(v >= 0.001 || v == 0 ? QString::number(v, 'f', 4)
                                                             : QString::number(v, 'g', 3));
}

}  // namespace

ReconstructionView::ReconstructionView(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(360, 200);
}

void ReconstructionView::reset()
{
    m_originals.clear();
    m_corrupted.clear();
    m_ae.clear();
    m_pca.clear();
    std::fill(std::begin(m_mse), std::end(m_mse), 0.0);
    m_codeSize = 0;
    m_classNames.clear();
    update();
}

void ReconstructionView::applySnapshot(const Snapshot &s)
{
    if (s.testSet && m_classNames.isEmpty())
        for (const std::string &n : s.testSet->classNames) m_classNames << QString::fromStdString(n);
    if (s.originals.isEmpty()) return;
    m_originals = s.originals;
    m_corrupted = s.corrupted;
    m_ae = s.reconstructions;
    m_pca = s.pcaReconstructions;
    std::copy(std::begin(s.rowMse), std::end(s.rowMse), std::begin(m_mse));
    m_codeSize = s.codeSize;
    update();
}

QList<ReconstructionView::Row> ReconstructionView::rows() const
{
    QList<Row> out;
    if (m_originals.isEmpty()) return out;
    out.append({tr("Original"), m_originals, -1, kText});
    if (!m_corrupted.isEmpty()) out.append({tr("Corrupted"), m_corrupted, m_mse[1], kSubtleText});
    if (!m_ae.isEmpty()) out.append({tr("Autoencoder"), m_ae, m_mse[2], kAeColor});
    if (!m_pca.isEmpty())
        out.append({m_codeSize > 0 ? tr("PCA-%1").arg(m_codeSize) : tr("PCA"), m_pca, m_mse[3], kPcaColor});
    return out;
}

QStringList ReconstructionView::columnNames() const
{
    QStringList names = m_classNames;
    for (int c = int(names.size()); c < 10; ++c) names << QString::number(c);
    return names;
}

ReconstructionView::Geometry ReconstructionView::geometry(int nRows) const
{
    Geometry g;
    g.px = basePixelSize(size());
    const QFontMetricsF title(uiFont(g.px * 1.05, true)), name(uiFont(g.px, true)),
        mse(uiFont(g.px * 0.9)), header(uiFont(g.px * 0.8));
    g.titleH = title.height() + 8;
    g.headerH = header.height() + 4;
    double lw = mse.horizontalAdvance(QStringLiteral("MSE 0.0000"));
    for (const Row &r : rows()) lw = std::max(lw, name.horizontalAdvance(r.name));
    g.labelWidth = lw + 18;
    const int cols = 10;
    const double margin = 8;
    const double availW = width() - 2 * margin - g.labelWidth;
    const double availH = height() - 2 * margin - g.titleH - g.headerH;
    // cell + gap per column; rows separated a bit more so they read as rows.
    const double byW = availW / (cols + (cols - 1) * 0.06);
    const double byH = availH / (nRows + (nRows - 1) * 0.12);
    g.cell = std::max(4.0, std::floor(std::min(byW, byH)));
    g.gap = std::max(2.0, std::round(g.cell * 0.06));
    g.rowGap = std::max(4.0, std::round(g.cell * 0.12));
    const double gridW = g.labelWidth + cols * g.cell + (cols - 1) * g.gap;
    const double gridH = g.titleH + g.headerH + nRows * g.cell + (nRows - 1) * g.rowGap;
    const double left = std::max(margin, std::floor((width() - gridW) / 2));
    const double top = std::max(margin, std::floor((height() - gridH) / 2));
    g.origin = QPointF(left + g.labelWidth, top + g.titleH + g.headerH);
    return g;
}

QRect ReconstructionView::cellRect(int row, int col) const
{
    const QList<Row> rs = rows();
    if (row < 0 || row >= rs.size() || col < 0 || col >= 10) return {};
    const Geometry g = geometry(int(rs.size()));
    return QRectF(g.origin.x() + col * (g.cell + g.gap), g.origin.y() + row * (g.cell + g.rowGap), g.cell,
                  g.cell)
        .toRect();
}

void ReconstructionView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    const QList<Row> rs = rows();
    const double px0 = basePixelSize(size());
    if (rs.isEmpty()) {
        p.setFont(uiFont(px0 * 0.9));
        p.setPen(kSubtleText);
        p.drawText(rect(), Qt::AlignCenter, tr("waiting for the first reconstructions…"));
        return;
    }
    const Geometry g = geometry(int(rs.size()));
    const QFont titleFont = uiFont(g.px * 1.05, true), nameFont = uiFont(g.px, true),
                mseFont = uiFont(g.px * 0.9), headerFont = uiFont(g.px * 0.8);
    const QFontMetricsF nfm(nameFont), mfm(mseFont), hfm(headerFont);
    const double gridLeft = g.origin.x() - g.labelWidth;
    const double gridW = g.labelWidth + 10 * g.cell + 9 * g.gap;

    p.setRenderHint(QPainter::Antialiasing, true);
    p.setFont(titleFont);
    p.setPen(kText);
    p.drawText(QRectF(gridLeft, g.origin.y() - g.headerH - g.titleH, gridW, g.titleH),
               Qt::AlignLeft | Qt::AlignVCenter,
               tr("Ten test digits and their reconstructions"));

    const QStringList names = columnNames();
    p.setFont(headerFont);
    p.setPen(kSubtleText);
    for (int c = 0; c < 10; ++c) {
        const QRectF r(g.origin.x() + c * (g.cell + g.gap) - g.gap / 2, g.origin.y() - g.headerH,
                       g.cell + g.gap, g.headerH - 2);
        p.drawText(r, Qt::AlignHCenter | Qt::AlignBottom, hfm.elidedText(names.value(c), Qt::ElideRight, r.width()));
    }

    p.setRenderHint(QPainter::SmoothPixmapTransform, false);  // nearest neighbour: crisp pixels
    for (int r = 0; r < rs.size(); ++r) {
        const Row &row = rs[r];
        const double y = g.origin.y() + r * (g.cell + g.rowGap);
        // Label: the row's name in its colour, its MSE beneath.
        const double textH = nfm.height() + (row.mse >= 0 ? mfm.height() : 0);
        const double ty = y + (g.cell - textH) / 2;
        p.setFont(nameFont);
        p.setPen(row.color);
        p.drawText(QRectF(gridLeft, ty, g.labelWidth - 12, nfm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   row.name);
        if (row.mse >= 0) {
            p.setFont(mseFont);
            p.setPen(kText);
            p.drawText(QRectF(gridLeft, ty + nfm.height(), g.labelWidth - 12, mfm.height()),
                       Qt::AlignRight | Qt::AlignVCenter, mseText(row.mse));
        }
        // A coloured bar tying the row to its curve in the loss chart.
        p.fillRect(QRectF(g.origin.x() - 7, y, 4, g.cell), row.color);
        for (int c = 0; c < 10; ++c) {
            const QRectF cell(g.origin.x() + c * (g.cell + g.gap), y, g.cell, g.cell);
            const QImage img = row.images.value(c);
            if (img.isNull()) {
                p.fillRect(cell, QColor(0xee, 0xee, 0xee));
                continue;
            }
            p.drawImage(cell, img);
        }
    }
}
