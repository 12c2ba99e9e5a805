#include "FiltersView.h"

#include "core/nn/Model.h"
#include "ui/widgets/Palette.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontMetricsF>
#include <QGridLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QLinearGradient>
#include <QPainter>
#include <QSpinBox>
#include <QToolTip>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

namespace {
constexpr int kThrottleMs = 200;  // at most 5 rebuilds a second
}

FiltersView::FiltersView(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 260);
    m_throttle.setSingleShot(true);
    m_throttle.setInterval(kThrottleMs);
    connect(&m_throttle, &QTimer::timeout, this, &FiltersView::onThrottle);

    m_bar = new QWidget(this);
    m_bar->setFont(uiFont(15));  // legible from the back of the room, like the views' text
    m_barGrid = new QGridLayout(m_bar);
    m_barGrid->setContentsMargins(8, 4, 8, 4);
    m_barGrid->setHorizontalSpacing(16);
    m_panelsBox = new QComboBox(m_bar);
    m_panelsBox->addItems({tr("Encoder and decoder"), tr("Encoder filters"), tr("Decoder columns")});
    m_panelsBox->setToolTip(tr("Encoder filters: row j of W\u2081, the weights unit j puts on each pixel "
                             "(z_j = \u03a3\u1d62 W\u2081[j, i]\u00b7x\u1d62 + b_j).\nDecoder columns: column j of the "
                             "last layer's W, what unit j adds to the reconstruction."));
    m_sharedBox = new QCheckBox(tr("One colour scale for all tiles"), m_bar);
    m_sharedBox->setObjectName(QStringLiteral("sharedScale"));
    m_sharedBox->setToolTip(tr("On: every tile uses \u00b1 the largest |w| of all shown tiles, so strong "
                               "and weak units compare.\nOff: each tile uses \u00b1 its own max |w|, "
                               "so every unit's pattern is visible."));
    m_countBox = new QSpinBox(m_bar);
    m_countBox->setObjectName(QStringLiteral("tileCount"));
    m_countBox->setRange(1, 256);
    m_countBox->setValue(m_max);
    m_countBox->setPrefix(tr("tiles: "));
    m_showLabel = new QLabel(tr("Show:"), m_bar);
    m_showLabel->setBuddy(m_panelsBox);
    m_barGrid->addWidget(m_showLabel, 0, 0);
    m_barGrid->addWidget(m_panelsBox, 0, 1);
    layOutBar();
    connect(m_panelsBox, &QComboBox::currentIndexChanged, this, [this](int i) { setPanels(Panels(i)); });
    connect(m_sharedBox, &QCheckBox::toggled, this, &FiltersView::setSharedScale);
    connect(m_countBox, &QSpinBox::valueChanged, this, &FiltersView::setMaxFilters);
}

FiltersView::~FiltersView() = default;

void FiltersView::setModel(std::shared_ptr<const ael::Model<float>> model, int rows, int cols)
{
    m_model = std::move(model);
    m_rows = rows;
    m_cols = cols;
    if (!isVisible() || m_throttle.isActive()) {  // hidden (e.g. another tab): rebuilt when shown
        m_dirty = true;
        return;
    }
    rebuild();
    m_throttle.start();
}

void FiltersView::onThrottle()
{
    if (!m_dirty) return;
    rebuild();
    m_throttle.start();
}

void FiltersView::flush()
{
    if (m_model) rebuild();
}

void FiltersView::rebuild()
{
    m_dirty = false;
    if (!m_model) return;
    const ael::Model<float> &m = *m_model;
    m_tied = m.arch().tied;
    m_variational = m.arch().variational;
    m_codeSize = m.arch().code;
    if (m_rows * m_cols != m.arch().input) {
        m_enc = {};
        m_dec = {};
        m_message = tr("The inputs (%1) are not %2 \u00d7 %3 images.").arg(m.arch().input).arg(m_rows).arg(m_cols);
    } else {
        m_enc = encoderFilters(m, m_rows, m_cols, m_max, m_shared);
        m_dec = decoderFilters(m, m_rows, m_cols, m_max, m_shared);
        m_message.clear();
    }
    update();
}

void FiltersView::clear()
{
    m_model.reset();
    m_throttle.stop();
    m_dirty = false;
    m_enc = {};
    m_dec = {};
    m_message.clear();
    update();
}

void FiltersView::setSharedScale(bool on)
{
    if (on == m_shared) return;
    m_shared = on;
    const QSignalBlocker block(m_sharedBox);
    m_sharedBox->setChecked(on);
    if (m_model) rebuild();  // recolour the newest model at once (training may be paused)
    update();
}

void FiltersView::setPanels(Panels s)
{
    m_panels = s;
    const QSignalBlocker block(m_panelsBox);
    m_panelsBox->setCurrentIndex(int(s));
    update();
}

void FiltersView::setMaxFilters(int n)
{
    n = std::clamp(n, 1, 256);
    if (n == m_max) return;
    m_max = n;
    const QSignalBlocker block(m_countBox);
    m_countBox->setValue(n);
    if (m_model) rebuild();
    update();
}

QImage FiltersView::tile(int i, bool decoder) const { return filters(decoder).tiles.value(i); }

int FiltersView::tileCount(bool decoder) const { return int(filters(decoder).tiles.size()); }

QString FiltersView::caption() const { return captions().front(); }

QStringList FiltersView::captions() const
{
    if (!m_message.isEmpty()) return {m_message};
    if (!m_enc.valid()) return {tr("waiting for the model\u2026")};
    QStringList c = m_tied ? QStringList{tr("Tied weights: the decoder's matrix is the encoder's W\u2081 transposed \u2014 "
                                            "decoder column j is encoder row j, the same picture."),
                                         tr("Tied weights: decoder column j is encoder row j.")}
                           : QStringList{tr("Encoder row j: the pixels unit j responds to. Decoder column j: the stroke unit j adds."),
                                         tr("Row j: what unit j responds to. Column j: what it adds.")};
    if (m_variational && m_enc.units == 2 * m_codeSize) {
        c[0] += tr(" Rows 1\u2013%1 give \u03bc, rows %2\u2013%3 log \u03c3\u00b2.").arg(m_codeSize).arg(m_codeSize + 1).arg(2 * m_codeSize);
        c[1] += tr(" Rows 1\u2013%1: \u03bc, %2\u2013%3: log \u03c3\u00b2.").arg(m_codeSize).arg(m_codeSize + 1).arg(2 * m_codeSize);
    }
    return c;
}

QString FiltersView::shownTitle() const
{
    const QFontMetricsF fm(titleFont(basePixelSize(size())));
    return firstFitting({tr("Inside the network: first-layer filters and last-layer columns"),
                         tr("First-layer filters and last-layer columns"), tr("Filters and columns")},
                        fm, contentRect().width() - 20);
}

QString FiltersView::shownPanelTitle(bool decoder) const
{
    const ael::ui::FilterSet &set = decoder ? m_dec : m_enc;
    const QRectF area = panelAreas()[decoder ? 1 : 0];
    if (!set.valid() || area.isEmpty()) return {};
    QString title = set.title;
    if (set.units > set.tiles.size()) title += tr(", units 1\u2013%1 of %2").arg(set.tiles.size()).arg(set.units);
    const QFontMetricsF fm(uiFont(basePixelSize(size()) * 0.95, true));
    return firstFitting({title, set.title, set.shortTitle, set.tinyTitle}, fm, area.width());
}

QString FiltersView::shownCaption() const
{
    const QFontMetricsF fm(uiFont(basePixelSize(size()) * 0.85));
    const double w = contentRect().width() - 20, twoLines = fm.height() * 2 + 4;
    const QStringList forms = captions();
    for (const QString &c : forms)
        if (fm.boundingRect(QRectF(0, 0, w, 1e6), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, c).height() <= twoLines) return c;
    return fm.elidedText(forms.back(), Qt::ElideRight, w);  // one line, then
}

void FiltersView::showEvent(QShowEvent *)
{
    if (m_dirty) rebuild();
}

// A narrow dock clipped the check box's text under the count ("One colour scale for all tile"): when the
// four controls do not fit in one row, the check box and the count go to a second.
void FiltersView::layOutBar()
{
    const int spacing = m_barGrid->horizontalSpacing();
    int oneRow = m_barGrid->contentsMargins().left() + m_barGrid->contentsMargins().right() + 3 * spacing;
    for (const QWidget *w : {static_cast<QWidget *>(m_showLabel), static_cast<QWidget *>(m_panelsBox),
                             static_cast<QWidget *>(m_sharedBox), static_cast<QWidget *>(m_countBox)})
        oneRow += w->sizeHint().width();
    const bool wide = width() >= oneRow;
    if (m_barRows == (wide ? 1 : 2)) return;  // already so
    m_barRows = wide ? 1 : 2;
    m_barGrid->removeWidget(m_sharedBox);
    m_barGrid->removeWidget(m_countBox);
    m_barGrid->addWidget(m_sharedBox, wide ? 0 : 1, wide ? 2 : 0, 1, wide ? 1 : 2, Qt::AlignLeft);
    m_barGrid->addWidget(m_countBox, wide ? 0 : 1, wide ? 3 : 2, Qt::AlignLeft);
    for (int c = 0; c < 5; ++c) m_barGrid->setColumnStretch(c, c == 4 ? 1 : 0);
    m_barGrid->activate();
}

void FiltersView::resizeEvent(QResizeEvent *)
{
    layOutBar();
    m_bar->setGeometry(0, 0, width(), m_bar->sizeHint().height());  // the controls across the top
}

bool FiltersView::event(QEvent *e)
{
    if (e->type() != QEvent::ToolTip) return QWidget::event(e);
    const QPoint pos = static_cast<QHelpEvent *>(e)->pos();
    for (bool dec : {false, true})
        for (int i = 0; i < tileCount(dec); ++i)
            if (tileRect(i, dec).contains(pos)) {
                const float w = filters(dec).scales.value(i);
                QToolTip::showText(static_cast<QHelpEvent *>(e)->globalPos(),
                                   (dec ? tr("Decoder column %1") : tr("Encoder row %1 (hidden unit %1)")).arg(i + 1) +
                                       tr("\ncolour scale \u00b1%1").arg(double(w), 0, 'g', 3),
                                   this);
                return true;
            }
    QToolTip::hideText();
    e->ignore();
    return true;
}

QRectF FiltersView::contentRect() const
{
    const int top = m_bar->sizeHint().height();
    return QRectF(0, top, width(), height() - top);
}

QVector<QRectF> FiltersView::panelAreas() const
{
    const double px = basePixelSize(size());
    const QFontMetricsF title(titleFont(px)), cap(uiFont(px * 0.85));
    QRectF r = contentRect().adjusted(10, 0, -10, -8);
    r.setTop(r.top() + title.height() + cap.height() * 2 + 10);  // the caption may wrap once
    r.setBottom(r.bottom() - cap.height() * 1.9 - 14);              // the colour bar and its labels
    QVector<QRectF> out(2);
    if (m_panels == Panels::Both) {
        const double w = (r.width() - 24) / 2;
        out[0] = QRectF(r.left(), r.top(), w, r.height());
        out[1] = QRectF(r.left() + w + 24, r.top(), w, r.height());
    } else {
        out[m_panels == Panels::Decoder ? 1 : 0] = r;
    }
    return out;
}

FiltersView::Panel FiltersView::panelLayout(const QRectF &area, int n) const
{
    Panel p;
    p.area = area;
    if (n <= 0 || area.isEmpty()) return p;
    const double px = basePixelSize(size());
    const double titleH = QFontMetricsF(uiFont(px * 0.95, true)).height() + 6;
    const QRectF avail = area.adjusted(0, titleH, 0, 0);
    // The tile grid as square as the area allows: try each column count, keep the largest cells — unless
    // that leaves a last row less than half full (64 tiles as 7 × 9 and a stray one) and a tidier grid
    // (8 × 8) keeps cells at least 85 % as large.
    const auto cellFor = [&](int c) {
        const int r = (n + c - 1) / c;
        return std::floor(std::min(avail.width() / (c + (c - 1) * 0.08), avail.height() / (r + (r - 1) * 0.08)));
    };
    const auto tidy = [&](int c) { return 2 * (n - (n - 1) / c * c) >= c; };  // the last row at least half full
    double best = 0, bestTidy = 0;
    int bestCols = 1, tidyCols = 1;
    for (int c = 1; c <= n; ++c) {
        const double cell = cellFor(c);
        if (cell > best) best = cell, bestCols = c;
        if (tidy(c) && cell > bestTidy) bestTidy = cell, tidyCols = c;
    }
    p.gridCols = bestTidy >= 0.85 * best ? tidyCols : bestCols;
    p.cell = std::max(0.0, cellFor(p.gridCols));  // no room under the title: no tiles
    p.gap = std::max(1.0, std::round(p.cell * 0.08));
    const int r = (n + p.gridCols - 1) / p.gridCols;
    const double gw = p.gridCols * p.cell + (p.gridCols - 1) * p.gap, gh = r * p.cell + (r - 1) * p.gap;
    p.grid = QRectF(avail.left() + (avail.width() - gw) / 2, avail.top(), gw, gh);
    return p;
}

QRectF FiltersView::tileRect(int i, bool decoder) const
{
    const QRectF area = panelAreas()[decoder ? 1 : 0];
    const int n = tileCount(decoder);
    if (i < 0 || i >= n || area.isEmpty()) return {};
    const Panel p = panelLayout(area, n);
    const int r = i / p.gridCols, c = i % p.gridCols;
    return QRectF(p.grid.left() + c * (p.cell + p.gap), p.grid.top() + r * (p.cell + p.gap), p.cell, p.cell);
}

void FiltersView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    const double px = basePixelSize(size());
    const QFont titleFont = ael::ui::titleFont(px), capFont = uiFont(px * 0.85), panelFont = uiFont(px * 0.95, true);
    const QFontMetricsF tfm(titleFont), cfm(capFont), pfm(panelFont);
    const QRectF content = contentRect().adjusted(10, 0, -10, -8);

    p.setFont(titleFont);
    p.setPen(kText);
    p.drawText(QRectF(content.left(), content.top(), content.width(), tfm.height()), Qt::AlignLeft | Qt::AlignVCenter, shownTitle());
    p.setFont(capFont);
    p.setPen(m_tied ? kAeColor : kSubtleText);
    p.drawText(QRectF(content.left(), content.top() + tfm.height() + 4, content.width(), cfm.height() * 2 + 4),
               Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, shownCaption());
    if (!m_enc.valid()) return;

    const QVector<QRectF> areas = panelAreas();
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);  // nearest neighbour: weights stay pixels
    for (int d = 0; d < 2; ++d) {
        const ael::ui::FilterSet &set = d ? m_dec : m_enc;
        if (areas[d].isEmpty() || !set.valid()) continue;
        const Panel pl = panelLayout(areas[d], int(set.tiles.size()));
        p.setFont(panelFont);
        p.setPen(kText);
        p.drawText(QRectF(areas[d].left(), areas[d].top(), areas[d].width(), pfm.height()), Qt::AlignHCenter | Qt::AlignVCenter,
                   shownPanelTitle(d == 1));
        p.setPen(QPen(kGrid, 1));
        for (int i = 0; i < set.tiles.size(); ++i) {
            const int r = i / pl.gridCols, c = i % pl.gridCols;
            const QRectF cell(pl.grid.left() + c * (pl.cell + pl.gap), pl.grid.top() + r * (pl.cell + pl.gap), pl.cell,
                              pl.cell);
            p.drawImage(cell, set.tiles[i]);
            p.drawRect(cell.adjusted(-0.5, -0.5, 0.5, 0.5));
        }
    }

    // The colour bar: −s … 0 … +s, with s the shared scale, or "each tile's own max |w|".
    const double barH = cfm.height() * 0.7;
    const double barW = std::min(360.0, content.width() * 0.35);
    const QRectF bar(content.left() + (content.width() - barW) / 2, content.bottom() - cfm.height() - barH - 2, barW,
                     barH);
    QLinearGradient grad(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 20; ++i) grad.setColorAt(i / 20.0, QColor::fromRgb(divergingColor(float(i - 10), 10.f)));
    p.fillRect(bar, grad);
    p.setPen(QPen(kAxis, 1));
    p.drawRect(bar);
    p.setFont(capFont);
    p.setPen(kText);
    const QRectF under(bar.left() - 40, bar.bottom() + 2, bar.width() + 80, cfm.height());
    p.drawText(under, Qt::AlignLeft, QStringLiteral("\u2212s"));
    p.drawText(under, Qt::AlignHCenter, QStringLiteral("0"));
    p.drawText(under, Qt::AlignRight, QStringLiteral("+s"));
    auto largest = [](const ael::ui::FilterSet &f) {
        float m = 0;
        for (float v : f.scales) m = std::max(m, v);
        return double(m);
    };
    QStringList what{tr("s = each tile's own max |w|"), tr("s = own max |w|"), tr("per tile")};
    if (m_shared) {
        const bool both = m_dec.valid() && !m_tied;
        what = QStringList{tr("s = %1 (encoder)").arg(largest(m_enc), 0, 'g', 2)};
        if (both) what[0] += tr(", %1 (decoder)").arg(largest(m_dec), 0, 'g', 2);
        what << (both ? tr("s = %1, %2").arg(largest(m_enc), 0, 'g', 2).arg(largest(m_dec), 0, 'g', 2)
                      : tr("s = %1").arg(largest(m_enc), 0, 'g', 2));
    }
    const double whatW = content.right() - under.right() - 12;
    p.setPen(kSubtleText);
    p.drawText(QRectF(under.right() + 12, bar.top() - cfm.height() / 2 + barH / 2, whatW, cfm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, firstFitting(what, cfm, whatW));
}
