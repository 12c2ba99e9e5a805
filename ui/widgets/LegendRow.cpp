#include "ui/widgets/LegendRow.h"

#include "ui/widgets/MathText.h"
#include "ui/widgets/Palette.h"

#include <QFontMetrics>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

using namespace ael::ui;

namespace {
constexpr int kSwatch = 26, kPad = 6, kSpacing = 18, kRowGap = 2;
}

LegendRow::LegendRow(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void LegendRow::setEntries(const QVector<Entry> &entries)
{
    if (entries == m_entries) return;
    m_entries = entries;
    updateGeometry();
    update();
}

void LegendRow::setPixelSize(double px)
{
    if (px == m_px) return;
    m_px = px;
    updateGeometry();
    update();
}

QVector<QRect> LegendRow::layoutFor(int width, bool shortTexts) const
{
    const QFont font = uiFont(m_px);
    const int h = QFontMetrics(font).height() + 2;
    QVector<QRect> out;
    int x = kPad, y = 0;
    for (const Entry &e : m_entries) {
        const int w = kSwatch + kPad + int(std::ceil(math_text::width(font, textOf(e, shortTexts))));
        if (x > kPad && x + w > width - kPad) {  // wrap
            x = kPad;
            y += h + kRowGap;
        }
        out.append(QRect(x, y, w, h));
        x += w + kSpacing;
    }
    return out;
}

bool LegendRow::shortAt(int width) const
{
    const auto rows = [](const QVector<QRect> &r) { return r.isEmpty() ? 0 : r.back().top(); };
    return rows(layoutFor(width, true)) < rows(layoutFor(width, false));
}

QStringList LegendRow::shownTexts() const
{
    const bool shortTexts = shortAt(width());
    QStringList out;
    for (const Entry &e : m_entries) out << textOf(e, shortTexts);
    return out;
}

int LegendRow::rowCount() const
{
    QVector<int> tops;
    for (const QRect &r : layoutFor(width()))
        if (!tops.contains(r.top())) tops << r.top();
    return int(tops.size());
}

int LegendRow::heightForWidth(int w) const
{
    const QVector<QRect> r = layoutFor(w);
    return r.isEmpty() ? 0 : r.back().bottom() + 1 + kRowGap;
}

QSize LegendRow::sizeHint() const { return {400, heightForWidth(std::max(width(), 200))}; }
QSize LegendRow::minimumSizeHint() const { return {100, heightForWidth(std::max(width(), 200))}; }

QRect LegendRow::entryRect(int i) const
{
    const QVector<QRect> r = layoutFor(width());
    return i >= 0 && i < r.size() ? r[i] : QRect();
}

void LegendRow::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setFont(uiFont(m_px));
    const bool shortTexts = shortAt(width());
    const QVector<QRect> rects = layoutFor(width(), shortTexts);
    // Center the whole block's rows is not needed: left-aligned rows read like a sentence.
    for (int i = 0; i < m_entries.size(); ++i) {
        const Entry &e = m_entries[i];
        const QRect r = rects[i];
        QPen pen(e.color, 3 * ael::ui::lineScale(), e.style, Qt::FlatCap);
        p.setPen(pen);
        const int cy = r.center().y();
        p.drawLine(r.left(), cy, r.left() + kSwatch, cy);
        p.setPen(kText);
        math_text::paint(p, QRect(r.left() + kSwatch + kPad, r.top(), r.width() - kSwatch - kPad, r.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, textOf(e, shortTexts));  // "‖J‖²_F": F as a subscript
    }
}

bool LegendRow::event(QEvent *e)
{
    if (e->type() == QEvent::ToolTip) {
        auto *he = static_cast<QHelpEvent *>(e);
        const QVector<QRect> rects = layoutFor(width());
        for (int i = 0; i < rects.size(); ++i)
            if (rects[i].contains(he->pos()) && !m_entries[i].tooltip.isEmpty()) {
                const QString &tip = m_entries[i].tooltip;
                QToolTip::showText(he->globalPos(), math_text::hasMarks(tip) ? math_text::toHtml(tip) : tip, this, rects[i]);
                return true;
            }
        QToolTip::hideText();
        e->ignore();
        return true;
    }
    return QWidget::event(e);
}
