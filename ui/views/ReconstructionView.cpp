#include "ui/views/ReconstructionView.h"

#include "ui/widgets/Palette.h"
#include "core/data/Dataset.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

namespace {

/// Splits a class name into at most two lines that fit `width`: at a space, '/' or '-' where both halves
/// fit; a single word too long for the column with a hyphen near its middle ("Pull-" / "over", "San-" /
/// "dal"); a name with alternatives ("T-shirt/top") by its first one ("T-" / "shirt"); only then at the
/// last break that fits, eliding the rest.
QStringList twoLines(const QString &name, const QFontMetricsF &fm, double width)
{
    const auto fits = [&](const QString &t) { return fm.horizontalAdvance(t) <= width; };
    if (fits(name)) return {name};
    const auto isBreak = [&](int i) { return name[i] == u' ' || name[i] == u'/' || name[i] == u'-'; };
    const auto split = [&](int at) { return QStringList{name.left(name[at] == u' ' ? at : at + 1).trimmed(), name.mid(at + 1).trimmed()}; };
    int best = -1;
    for (int i = 1; i < name.size() - 1; ++i)
        if (isBreak(i) && fits(split(i)[0])) best = i;
    if (best >= 0 && fits(split(best)[1])) return split(best);
    if (!name.contains(u' ') && !name.contains(u'/') && !name.contains(u'-')) {  // one word
        // Nearest the middle first: 4 | 3, 3 | 4, 5 | 2 … for a word of 7 letters; at least 2 letters a side.
        const int n = int(name.size());
        for (int d = 0; d <= n / 2; ++d)
            for (const int i : {(n + 1) / 2 + d, (n + 1) / 2 - d - 1})
                if (i >= 2 && i <= n - 2 && fits(name.left(i) + u'-') && fits(name.mid(i))) return {name.left(i) + u'-', name.mid(i)};
    } else if (name.contains(u'/')) {
        return twoLines(name.section(u'/', 0, 0), fm, width);
    }
    if (best < 0) return {fm.elidedText(name, Qt::ElideRight, width)};
    return {split(best)[0], fm.elidedText(split(best)[1], Qt::ElideRight, width)};
}

/// Whether every name, in at most two lines (twoLines), shows more than a stub: a column too narrow for
/// that (Fashion-MNIST in presentation mode beside the drawing dock) drew "T-" over a row of "…".
bool readableInTwoLines(const QStringList &names, const QFontMetricsF &fm, double width)
{
    for (const QString &n : names)
        for (const QString &line : twoLines(n, fm, width))
            if (line.endsWith(QChar(0x2026)) && line.size() < 4) return false;
    return true;
}

}  // namespace

ReconstructionView::ReconstructionView(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(300, 200);
}

void ReconstructionView::reset()
{
    m_originals.clear();
    m_corrupted.clear();
    m_ae.clear();
    m_pca.clear();
    std::fill(std::begin(m_mse), std::end(m_mse), 0.0);
    m_codeSize = m_pcaK = 0;
    m_pcaOfCorrupted = false;
    m_classNames.clear();
    update();
}

QString ReconstructionView::mseCaption(double v, bool split) { return (split ? tr("all 10: %1") : tr("these 10: %1")).arg(mseNumber(v)); }

QString ReconstructionView::mseNumber(double v) { return mseForms(v).first(); }

QStringList ReconstructionView::mseForms(double v)
{
    if (!std::isfinite(v)) return {QStringLiteral("—")};
    if (v >= 0.001 || v == 0) return {QString::number(v, 'f', 4), QString::number(v, 'f', 3)};
    // Below 0.001 in fewer characters: 4.31e-4, not 0.000431 (and never "0.0004…", which reads as a number).
    const auto sci = [v](int digits) {
        return QString::number(v, 'e', digits).replace(QRegularExpression(QStringLiteral("e([+-])0*(\\d)")), QStringLiteral("e\\1\\2"));
    };
    QStringList forms{QString::number(v, 'g', 3), sci(2), sci(1), sci(0)};
    forms.removeDuplicates();
    return forms;
}


QString ReconstructionView::title() const { return tr("Ten test %1 and their reconstructions").arg(m_noun); }

void ReconstructionView::applySnapshot(const Snapshot &s)
{
    if (s.testSet && m_classNames.isEmpty())
        for (const std::string &n : s.testSet->classNames) m_classNames << QString::fromStdString(n);
    if (!s.itemNoun.isEmpty()) m_noun = s.itemNoun;
    if (s.pcaK > 0) m_pcaK = s.pcaK;
    if (s.originals.isEmpty()) return;
    m_pcaOfCorrupted = s.pcaOfCorrupted;
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
        out.append({(m_pcaK > 0 ? tr("PCA-%1").arg(m_pcaK) : tr("PCA")) + (m_pcaOfCorrupted ? tr(" of x̃") : QString()),
                    m_pca, m_mse[3], kPcaColor});
    return out;
}

QList<QStringList> ReconstructionView::headerLines() const
{
    const Geometry g = geometry(std::max<int>(1, int(rows().size())));
    const QFontMetricsF hfm(uiFont(g.px * 0.8));
    QList<QStringList> out;
    for (const QString &n : columnNames())
        out << (g.headerLines == 0   ? QStringList()
                : g.headerLines == 2 ? twoLines(n, hfm, g.cell + g.gap)
                                     : QStringList{hfm.elidedText(n, Qt::ElideRight, g.cell + g.gap)});
    return out;
}

QStringList ReconstructionView::columnNames() const
{
    QStringList names = m_classNames;
    for (int c = int(names.size()); c < 10; ++c) names << QString::number(c);
    return names;
}

ReconstructionView::Geometry ReconstructionView::geometry(int nRows, double px, LabelMode mode, int trim) const
{
    Geometry g;
    g.px = px > 0 ? px : basePixelSize(size());
    const bool above = mode == LabelMode::Above, split = mode == LabelMode::NameBesideMseAfter;
    g.labelsAbove = above;
    const QFontMetricsF title(titleFont(g.px)), name(uiFont(g.px, true)),
        mse(uiFont(g.px * 0.9)), header(uiFont(g.px * 0.8));
    g.title = trim < 2;
    g.caption = trim < 1;
    g.titleH = g.title ? title.height() + 8 : 0;
    g.footH = g.caption ? mse.height() * 1.2 + 6 : 0;
    double lw = split ? 0 : mse.horizontalAdvance(mseCaption(0.0512)), rw = 0;
    for (const Row &r : rows()) {
        lw = std::max(lw, name.horizontalAdvance(r.name));
        if (r.mse < 0) continue;
        if (split) rw = std::max(rw, mse.horizontalAdvance(mseNumber(r.mse)));  // after the row
        else lw = std::max(lw, mse.horizontalAdvance(mseCaption(r.mse)));      // under the name
    }
    g.labelWidth = above ? 10 : lw + 18;  // above: only the coloured bar is left of the digits
    g.mseRight = split && rw > 0 ? rw + 10 : 0;
    g.stripH = above ? name.height() + 2 : 0;
    const double margin = 8;
    const double availW = width() - 2 * margin - g.labelWidth - g.mseRight;
    // Ten columns in one block, or two blocks of five stacked when the view is tall enough for that to
    // give larger digits (a tall cell would otherwise leave an empty band under the grid).
    auto layout = [&](int blocks, Geometry &t) {
        t = g;
        t.blocks = blocks;
        t.perBlock = 10 / blocks;
        const double cellByW = availW / (t.perBlock + (t.perBlock - 1) * 0.06);
        // Class names that do not fit their cell take two lines (decided at the final cell size); where two
        // lines would show only stubs of them, none: the images say what they are.
        for (int tryLines : {1, 2, 0}) {
            t.headerLines = tryLines;
            t.headerH = header.height() * t.headerLines + 4;
            const double availH = height() - 2 * margin - t.titleH - t.footH - blocks * t.headerH - (blocks - 1) * 10 -
                                  blocks * nRows * t.stripH;
            const double byH = availH / (blocks * nRows + (blocks * nRows - blocks) * 0.12);
            t.cell = std::max(4.0, std::floor(std::min(cellByW, byH)));
            t.gap = std::max(2.0, std::round(t.cell * 0.06));
            if (tryLines == 0) break;
            bool fits = true;
            for (const QString &n : columnNames()) fits = fits && header.horizontalAdvance(n) <= t.cell + t.gap;
            if (fits || (tryLines == 2 && readableInTwoLines(columnNames(), header, t.cell + t.gap))) break;
        }
        t.rowGap = std::max(4.0, std::round(t.cell * 0.12));
        t.blockH = t.headerH + nRows * (t.stripH + t.cell) + (nRows - 1) * t.rowGap + 10;
    };
    Geometry one, two;
    layout(1, one);
    layout(2, two);
    g = two.cell > 1.2 * one.cell ? two : one;
    const double gridW = g.labelWidth + g.perBlock * g.cell + (g.perBlock - 1) * g.gap + g.mseRight;
    const double gridH = g.titleH + g.blocks * g.blockH - 10 + g.footH;
    // Centred; with the labels above, left-aligned so that their lines have the width to the right.
    const double left = above ? margin : std::max(margin, std::floor((width() - gridW) / 2));
    // Anchored near the top: spare height goes below the caption, never into a band above the title.
    const double top = std::max(margin, std::floor(std::min((height() - gridH) / 2, 2 * margin)));
    g.origin = QPointF(left + g.labelWidth, top + g.titleH + g.headerH);
    // A row's label (its name over its MSE) must fit beside its digits: with large text in a short view
    // (presentation mode) the MSE goes after the row, then both on a line above it, at the same size.
    const double nameH = QFontMetricsF(uiFont(g.px, true)).height();
    const double labelH = nameH + (split ? 0 : QFontMetricsF(uiFont(g.px * 0.9)).height());
    if (mode == LabelMode::Beside && labelH > g.cell + g.rowGap) return geometry(nRows, px, LabelMode::NameBesideMseAfter);
    if (split && labelH > g.cell + g.rowGap) return geometry(nRows, px, LabelMode::Above);
    // Four rows with the labels above them beside the lesson panel at 1280 × 720 left digits of 17 px under
    // a 30-px title: where the digits would be smaller than a line of the labels, the caption goes, then
    // the title (the rows' names say what the view shows).
    if (above && trim < 2 && g.cell < nameH) return geometry(nRows, px, LabelMode::Above, trim + 1);
    return g;
}

QPointF ReconstructionView::cellOrigin(const Geometry &g, int row, int col)
{
    const int block = col / g.perBlock, c = col % g.perBlock;
    return {g.origin.x() + c * (g.cell + g.gap),
            g.origin.y() + block * g.blockH + row * (g.stripH + g.cell + g.rowGap) + g.stripH};
}

QRectF ReconstructionView::labelRect(const Geometry &g, int row, int block) const
{
    const QList<Row> rs = rows();
    if (row < 0 || row >= rs.size()) return {};
    const QFontMetricsF nfm(uiFont(g.px, true)), mfm(uiFont(g.px * 0.9));
    const QPointF o = cellOrigin(g, row, block * g.perBlock);
    // Above the row: the MSE alone after the name (the caption under the grid says what it is).
    const QString mse = rs[row].mse < 0 ? QString() : g.labelsAbove ? mseNumber(rs[row].mse) : mseCaption(rs[row].mse);
    if (g.labelsAbove) {  // name and MSE on one line above the digits
        const double w = std::min(nfm.horizontalAdvance(rs[row].name) + (mse.isEmpty() ? 0 : nfm.horizontalAdvance(QStringLiteral("  ")) + mfm.horizontalAdvance(mse)),
                                  width() - o.x() - 8);  // the digits are height-bound here: the line may run past them
        return {o.x(), o.y() - g.stripH, w, nfm.height()};
    }
    const double textH = nfm.height() + (mse.isEmpty() || g.mseRight > 0 ? 0 : mfm.height());
    return {o.x() - g.labelWidth, o.y() + (g.cell - textH) / 2, g.labelWidth - 12, textH};
}

QRectF ReconstructionView::mseRect(const Geometry &g, int row, int block) const
{
    const QRectF lr = labelRect(g, row, block);
    const QFontMetricsF nfm(uiFont(g.px, true)), mfm(uiFont(g.px * 0.9));
    if (g.labelsAbove) {  // after the name
        const double nameW = nfm.horizontalAdvance(rows().value(row).name + QStringLiteral("  "));
        return {lr.x() + nameW, lr.y(), std::max(0.0, lr.width() - nameW), nfm.height()};
    }
    if (g.mseRight > 0) {  // after the row's digits
        const double rowEnd = g.origin.x() + g.perBlock * g.cell + (g.perBlock - 1) * g.gap;
        return {rowEnd + 10, cellOrigin(g, row, block * g.perBlock).y(), g.mseRight - 10, g.cell};
    }
    return {lr.x(), lr.y() + nfm.height(), lr.width(), mfm.height()};  // under the name
}

QString ReconstructionView::mseText(const Geometry &g, int row, int block) const
{
    const double mse = rows().value(row).mse;
    if (mse < 0) return {};
    // Split in two blocks of five, the MSE over all ten once: under the first block's name, or after the last
    // block's digits. Beside each five, "these 10: …" read as the MSE of those five.
    if (block != (g.mseRight > 0 ? g.blocks - 1 : 0)) return {};
    QStringList forms = mseForms(mse);
    if (!g.labelsAbove && g.mseRight <= 0) forms.prepend(mseCaption(mse, g.blocks > 1));  // room for "these 10: …" under the name
    return firstFitting(forms, QFontMetricsF(uiFont(g.px * 0.9)), mseRect(g, row, block).width());
}

QString ReconstructionView::mseShown(int row, int block) const
{
    const Geometry g = geometry(std::max<int>(1, int(rows().size())));
    if (row < 0 || row >= rows().size()) return {};
    if (block >= 0) return block < g.blocks ? mseText(g, row, block) : QString();
    for (int b = 0; b < g.blocks; ++b)
        if (const QString t = mseText(g, row, b); !t.isEmpty()) return t;
    return {};
}

int ReconstructionView::blocks() const { return geometry(std::max<int>(1, int(rows().size()))).blocks; }

QRectF ReconstructionView::labelRect(int row) const { return labelRect(geometry(std::max<int>(1, int(rows().size()))), row, 0); }

double ReconstructionView::labelPixelSize() const { return geometry(std::max<int>(1, int(rows().size()))).px; }

bool ReconstructionView::labelsAbove() const { return geometry(std::max<int>(1, int(rows().size()))).labelsAbove; }

QRect ReconstructionView::cellRect(int row, int col) const
{
    const QList<Row> rs = rows();
    if (row < 0 || row >= rs.size() || col < 0 || col >= 10) return {};
    const Geometry g = geometry(int(rs.size()));
    return QRectF(cellOrigin(g, row, col), QSizeF(g.cell, g.cell)).toRect();
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
    const QFont titleFont = ael::ui::titleFont(g.px), nameFont = uiFont(g.px, true),
                mseFont = uiFont(g.px * 0.9), headerFont = uiFont(g.px * 0.8);
    const QFontMetricsF nfm(nameFont), mfm(mseFont), hfm(headerFont);
    const double gridLeft = g.origin.x() - g.labelWidth;
    const double gridW = g.labelWidth + g.perBlock * g.cell + (g.perBlock - 1) * g.gap + g.mseRight;
    // The title and the caption: as wide as the grid, or to the right edge when the labels are above.
    const double textW = g.labelsAbove ? width() - gridLeft - 4 : std::min(gridW, width() - gridLeft - 4);

    p.setRenderHint(QPainter::Antialiasing, true);
    p.setFont(titleFont);
    p.setPen(kText);
    if (g.title)
        p.drawText(QRectF(gridLeft, g.origin.y() - g.headerH - g.titleH, textW, g.titleH), Qt::AlignLeft | Qt::AlignVCenter,
                   firstFitting({title(), tr("Ten test %1, reconstructed").arg(m_noun), tr("Reconstructions")}, QFontMetricsF(titleFont), textW));

    const QList<QStringList> heads = headerLines();
    const double gridBottom = cellOrigin(g, int(rs.size()) - 1, 9).y() + g.cell;
    for (int block = 0; block < g.blocks; ++block) {
        p.setFont(headerFont);
        p.setPen(kSubtleText);
        for (int c = block * g.perBlock; c < (block + 1) * g.perBlock; ++c) {
            const QPointF o = cellOrigin(g, 0, c);
            const QRectF r(o.x() - g.gap / 2, o.y() - g.stripH - g.headerH, g.cell + g.gap, g.headerH - 2);
            p.drawText(r, Qt::AlignHCenter | Qt::AlignBottom, heads.value(c).join(QLatin1Char('\n')));
        }
        for (int r = 0; r < rs.size(); ++r) {
            const Row &row = rs[r];
            const double y = cellOrigin(g, r, block * g.perBlock).y();
            // Label: the row's name in its colour, its MSE over these ten beneath it (or after it, above the row).
            const QRectF lr = labelRect(g, r, block);
            const Qt::Alignment align = (g.labelsAbove ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter;
            p.setFont(nameFont);
            p.setPen(row.color);
            p.drawText(QRectF(lr.x(), lr.y(), lr.width(), nfm.height()), align, row.name);
            if (row.mse >= 0) {
                p.setFont(mseFont);
                p.setPen(kText);
                p.drawText(mseRect(g, r, block), g.mseRight > 0 ? Qt::AlignLeft | Qt::AlignVCenter : align, mseText(g, r, block));
            }
            // A coloured bar tying the row to its curve in the loss chart.
            p.fillRect(QRectF(g.origin.x() - 7, y, 4, g.cell), row.color);
            p.setRenderHint(QPainter::SmoothPixmapTransform, false);  // nearest neighbour: crisp pixels
            for (int c = block * g.perBlock; c < (block + 1) * g.perBlock; ++c) {
                const QRectF cell(cellOrigin(g, r, c), QSizeF(g.cell, g.cell));
                const QImage img = row.images.value(c);
                if (img.isNull()) p.fillRect(cell, QColor(0xee, 0xee, 0xee));
                else p.drawImage(cell, img);
            }
        }
    }
    // The caption says what the row numbers are measured on.
    if (!g.caption) return;
    p.setFont(mseFont);
    p.setPen(kSubtleText);
    p.drawText(QRectF(gridLeft, gridBottom + 4, textW, g.footH), Qt::AlignLeft | Qt::AlignVCenter,
               firstFitting({tr("Row MSE: mean over these ten %1 only; the test-set MSE is in the chart and the verdict").arg(m_noun),
                        tr("Row MSE: over these ten %1 only").arg(m_noun), tr("MSE of these ten")},
                       mfm, textW));
}
