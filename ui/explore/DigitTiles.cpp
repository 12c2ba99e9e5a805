#include "DigitTiles.h"

#include "ui/widgets/Palette.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

DigitTiles::DigitTiles(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void DigitTiles::setRows(const QVector<Row> &rows)
{
    m_rows = rows;
    update();
}

void DigitTiles::setAllRowsShown(bool on)
{
    m_allRows = on;
    update();
}

// A grid of equals leaves out the text lines none of its tiles has. The drawing panel's rows keep them:
// its neighbours' row is blank until something is drawn, and must not grow when the texts arrive.
double DigitTiles::titleHeight(const Layout &L, const Row &r) const
{
    return !m_allRows || std::any_of(r.tiles.begin(), r.tiles.end(), [](const Tile &t) { return !t.title.isEmpty(); }) ? L.tileTitleH : 0;
}

double DigitTiles::captionHeight(const Layout &L, const Row &r) const
{
    return !m_allRows || std::any_of(r.tiles.begin(), r.tiles.end(), [](const Tile &t) { return !t.caption.isEmpty(); }) ? L.captionH : 0;
}

DigitTiles::Layout DigitTiles::layout() const
{
    Layout L;
    L.px = basePixelSize(size());
    L.rowTitleH = QFontMetricsF(uiFont(L.px, true)).height() + 6;
    L.tileTitleH = QFontMetricsF(uiFont(L.px * 0.95, true)).height() + 2;
    L.captionH = QFontMetricsF(uiFont(L.px * 0.9)).height() + 2;
    L.gap = std::round(L.px * 0.8);
    // Fewer rows when all of them would leave the first row's tiles smaller than kMinCell.
    for (int rows = int(m_rows.size()); rows >= 1; --rows) {
        place(L, rows);
        if (L.cell >= kMinCell || m_allRows) break;
    }
    return L;
}

// The first `rows` rows: the first row's cell c such that every row r (scale s_r, n_r tiles) fits
// n_r·s_r·c + (n_r − 1)·gap ≤ W, and all rows together  Σ (s_r·c + texts) ≤ H; centred vertically.
void DigitTiles::place(Layout &L, int rows) const
{
    const double margin = 8;
    double byW = 1e9, texts = 0, scales = 0;
    for (int i = 0; i < rows; ++i) {
        const Row &r = m_rows[i];
        const int n = std::max<int>(1, int(r.tiles.size()));
        // n images, n − 1 gaps between them, and half a gap beyond each end: the outer texts' least overhang.
        byW = std::min(byW, (width() - 2 * margin - n * L.gap) / (n * r.scale));
        texts += (r.title.isEmpty() ? 0 : L.rowTitleH) + titleHeight(L, r) + captionHeight(L, r) + L.gap;
        scales += r.scale;
    }
    const double byH = scales > 0 ? (height() - 2 * margin - texts) / scales : 0;
    L.cell = std::max(8.0, std::floor(std::min(byW, byH)));
    auto rowHeight = [&](const Row &r) {
        return (r.title.isEmpty() ? 0 : L.rowTitleH) + titleHeight(L, r) + std::floor(L.cell * r.scale) + captionHeight(L, r) + L.gap;
    };
    double total = 0;
    for (int i = 0; i < rows; ++i) total += rowHeight(m_rows[i]);
    double y = std::max(margin, std::floor((height() - total + L.gap) / 2));
    L.rowTop.clear();
    L.pitch.clear();
    // Tiles kept small by the height leave width over: the images move apart until the row's
    // longest title or caption fits between two neighbours (a column too narrow still elides).
    const QFontMetricsF titleFm(uiFont(L.px * 0.95, true)), capFm(uiFont(L.px * 0.9));
    for (int i = 0; i < rows; ++i) {
        const Row &r = m_rows[i];
        L.rowTop << y;
        y += rowHeight(r);
        const double cell = std::floor(L.cell * r.scale);
        const int n = int(r.tiles.size());
        double text = 0;
        for (const Tile &t : r.tiles) text = std::max({text, titleFm.horizontalAdvance(t.title), capFm.horizontalAdvance(t.caption)});
        // The row's texts, centred on their images and as wide as the pitch, stay inside the margins too:
        // (n − 1)·pitch + max(pitch, cell) ≤ W − 2·margin (the first tile's title had run off the left edge).
        const double inside = width() - 2 * margin;
        const double widest = n > 1 ? std::floor(std::max(inside / n, std::min(cell, (inside - cell) / (n - 1)))) : inside;
        L.pitch << std::max(cell + L.gap, std::min(std::ceil(text + L.gap / 2), widest));
    }
}

double DigitTiles::textWidth(int row) const
{
    const Layout L = layout();
    return row >= 0 && row < L.pitch.size() ? L.pitch[row] : 0;
}

QRect DigitTiles::imageRect(int row, int col) const { return imageRect(layout(), row, col); }

namespace {
/// The long text where it fits, else the short one (elided if need be).
QString shown(const QString &text, const QString &shortText, const QFont &font, double width)
{
    const QStringList forms = shortText.isEmpty() ? QStringList{text} : QStringList{text, shortText};
    return firstFitting(forms, QFontMetricsF(font), width);
}
}  // namespace

QString DigitTiles::shownTitle(int row, int col) const
{
    const Layout L = layout();
    if (row < 0 || row >= L.pitch.size() || col < 0 || col >= m_rows[row].tiles.size()) return {};
    const Tile &t = m_rows[row].tiles[col];
    return shown(t.title, t.shortTitle, uiFont(L.px * 0.95, true), L.pitch[row]);
}

QString DigitTiles::shownCaption(int row, int col) const
{
    const Layout L = layout();
    if (row < 0 || row >= L.pitch.size() || col < 0 || col >= m_rows[row].tiles.size()) return {};
    const Tile &t = m_rows[row].tiles[col];
    return shown(t.caption, t.shortCaption, uiFont(L.px * 0.9), L.pitch[row]);
}

QRect DigitTiles::imageRect(const Layout &L, int row, int col) const
{
    if (row < 0 || row >= m_rows.size() || col < 0 || col >= m_rows[row].tiles.size()) return {};
    if (row >= L.rowTop.size()) return {};  // left out: no room
    const Row &r = m_rows[row];
    const double cell = std::floor(L.cell * r.scale);
    const int n = int(r.tiles.size());
    // The row's extent: its images, and its first and last texts where they are wider than an image.
    const double overhang = std::max(0.0, L.pitch[row] - cell) / 2;
    const double rowW = (n - 1) * L.pitch[row] + cell + 2 * overhang;
    const double left = std::max(8.0, std::floor((width() - rowW) / 2)) + overhang;
    const double top = L.rowTop[row] + (r.title.isEmpty() ? 0 : L.rowTitleH) + titleHeight(L, r);
    return QRectF(left + col * L.pitch[row], top, cell, cell).toRect();
}

void DigitTiles::paintEvent(QPaintEvent *)
{
    ++m_paints;
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    if (m_rows.isEmpty()) return;
    const Layout L = layout();
    const QFont rowFont = uiFont(L.px, true), titleFont = uiFont(L.px * 0.95, true), capFont = uiFont(L.px * 0.9);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);  // crisp pixels
    for (int ri = 0; ri < L.rowTop.size(); ++ri) {
        const Row &r = m_rows[ri];
        if (!r.title.isEmpty()) {
            p.setFont(rowFont);
            p.setPen(kText);
            p.drawText(QRectF(8, L.rowTop[ri], width() - 16, L.rowTitleH), Qt::AlignLeft | Qt::AlignVCenter, r.title);
        }
        for (int c = 0; c < r.tiles.size(); ++c) {
            const Tile &t = r.tiles[c];
            const QRect img = imageRect(L, ri, c);  // one layout per paint
            const double textW = L.pitch[ri], textLeft = img.center().x() + 0.5 - textW / 2;
            const QRectF titleR(textLeft, img.top() - L.tileTitleH, textW, L.tileTitleH);
            const QRectF capR(textLeft, img.bottom() + 1, textW, L.captionH);
            p.setFont(titleFont);
            p.setPen(t.color.isValid() ? legibleOnWhite(t.color) : kText);  // the bar below keeps the colour itself
            p.drawText(titleR, Qt::AlignHCenter | Qt::AlignBottom, shown(t.title, t.shortTitle, titleFont, titleR.width()));
            if (t.image.isNull()) p.fillRect(img, QColor(0xee, 0xee, 0xee));
            else p.drawImage(img, t.image);
            if (t.color.isValid()) p.fillRect(QRectF(img.left(), img.bottom() + 1, img.width(), 3), t.color);
            p.setFont(capFont);
            p.setPen(kText);
            p.drawText(capR.adjusted(0, 3, 0, 0), Qt::AlignHCenter | Qt::AlignTop, shown(t.caption, t.shortCaption, capFont, capR.width()));
        }
    }
}
