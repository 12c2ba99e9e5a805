#include "DrawPanel.h"

#include "DigitTiles.h"
#include "DrawingPad.h"
#include "core/data/Dataset.h"
#include "core/nn/Model.h"
#include "core/train/Corruption.h"
#include "ui/training/DataBundle.h"
#include "ui/training/SettingsChange.h"
#include "ui/widgets/Palette.h"

#include <QCheckBox>
#include <QEvent>
#include <QFontMetricsF>
#include <QFileDialog>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QStyle>
#include <QVBoxLayout>

#include <cmath>

using namespace ael::ui;

namespace {

/// "0.0123" (empty before there is one); mseText: "MSE 0.0123".
QString mseNumber(double v)
{
    if (v < 0) return {};
    if (!std::isfinite(v)) return QStringLiteral("—");
    return v >= 0.001 || v == 0 ? QString::number(v, 'f', 4) : QString::number(v, 'g', 3);
}

QString mseText(double v)
{
    const QString n = mseNumber(v);
    return n.isEmpty() ? n : QStringLiteral("MSE ") + n;
}

}  // namespace

DrawPanel::DrawPanel(QWidget *parent) : QWidget(parent)
{
    m_pad = new DrawingPad(this);
    m_tiles = new DigitTiles(this);

    m_title = new QLabel(title(), this);
    auto button = [&](const QString &text, const QString &tip) {
        auto *b = new QPushButton(text, this);
        b->setToolTip(tip);
        b->setFocusPolicy(Qt::NoFocus);  // the pad keeps the keyboard (Esc, Ctrl+Z)
        return b;
    };
    m_clear = button(tr("Clear"), tr("Wipe the pad (Esc)"));
    m_undo = button(tr("Undo"), tr("Remove the last stroke (Ctrl+Z)"));
    m_eraser = button(tr("Eraser"), tr("Erase with the left button too (the right button always erases)"));
    m_eraser->setCheckable(true);
    m_open = button(tr("Open image…"), tr("A photo or scan of a digit (PNG, JPEG): dark ink on light paper is inverted\n"
                                          "and the background levelled, then the MNIST recipe applies. You can also drop a file on the pad."));
    m_corrupt = new QCheckBox(this);
    m_corrupt->setFocusPolicy(Qt::NoFocus);
    m_corrupt->installEventFilter(this);  // its text follows its width
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    applyFonts();

    m_buttons = new QGridLayout;
    auto *left = new QVBoxLayout;
    left->addWidget(m_title);
    left->addWidget(m_pad, 1);
    left->addLayout(m_buttons);
    left->addWidget(m_corrupt);
    left->addWidget(m_status);
    m_layout = new QBoxLayout(QBoxLayout::LeftToRight, this);
    m_layout->addLayout(left, 5);
    m_layout->addWidget(m_tiles, 6);

    connect(m_clear, &QPushButton::clicked, m_pad, &DrawingPad::clear);
    connect(m_undo, &QPushButton::clicked, m_pad, &DrawingPad::undo);
    connect(m_eraser, &QPushButton::toggled, m_pad, &DrawingPad::setEraser);
    connect(m_pad, &DrawingPad::eraserChanged, m_eraser, &QPushButton::setChecked);
    connect(m_open, &QPushButton::clicked, this, &DrawPanel::openImage);
    connect(m_corrupt, &QCheckBox::toggled, this, [this](bool on) {
        m_analysis.setCorruption(m_analysis.corruption(), on);
        recompute();
    });
    connect(m_pad, &DrawingPad::inputChanged, this, [this] {
        m_loadError.clear();  // a message about a file stays until the ink changes
        recompute();
    });
    connect(m_pad, &DrawingPad::loadFailed, this, [this](const QString &msg) {
        m_loadError = msg;
        recompute();
    });
    // Esc and Ctrl+Z anywhere in the panel (not window-wide: the window has its own shortcuts).
    auto *esc = new QShortcut(QKeySequence(Qt::Key_Escape), this, m_pad, &DrawingPad::clear);
    esc->setContext(Qt::WidgetWithChildrenShortcut);
    auto *undo = new QShortcut(QKeySequence::Undo, this, m_pad, &DrawingPad::undo);
    undo->setContext(Qt::WidgetWithChildrenShortcut);

    setTall(false);
    updateCorruptionLabel();
    recompute();
}

void DrawPanel::applyFonts()
{
    // Larger than the window's text (the panel is demonstrated), and as much larger again as Text ▸ Larger text asks.
    const double zoom = textZoom();
    const QFont big = uiFont(17 * zoom), bold = uiFont(20 * zoom, true);
    m_title->setFont(bold);
    for (QWidget *w : std::initializer_list<QWidget *>{m_clear, m_undo, m_eraser, m_open, m_corrupt, m_status}) w->setFont(big);
}

void DrawPanel::changeEvent(QEvent *e)
{
    QWidget::changeEvent(e);
    if (e->type() == QEvent::FontChange) applyFonts();  // the window's text size changed (textZoom is set first)
}

void DrawPanel::setTall(bool tall)
{
    m_tall = tall;
    m_layout->setDirection(tall ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
    m_title->setVisible(!tall);  // a column's tab or dock title already says it; the height goes to the pad
    const int columns = tall ? 2 : 4;
    int i = 0;
    for (QPushButton *b : {m_clear, m_undo, m_eraser, m_open}) {
        m_buttons->removeWidget(b);
        m_buttons->addWidget(b, i / columns, i % columns);
        ++i;
    }
    // The new minimum now, not at the next layout pass: before the window is first shown, the dock (and
    // the window's minimum width) would still see the four buttons in a row.
    for (QLayout *l = m_buttons; l; l = qobject_cast<QLayout *>(l->parent())) l->invalidate();
    updateGeometry();
}

DrawPanel::~DrawPanel() = default;

void DrawPanel::resizeEvent(QResizeEvent *e)
{
    // Wide (a bottom dock, a window): pad | results. Tall (a side column): pad above the results.
    // Between 1:1 and 1.3:1 it stays as it is, so a switch cannot make the next one.
    if (m_tall && width() >= 1.3 * height()) setTall(false);
    else if (!m_tall && width() < height()) setTall(true);
    QWidget::resizeEvent(e);
}

void DrawPanel::setModel(std::shared_ptr<const ael::Model<float>> model)
{
    m_analysis.setModel(std::move(model));
    recompute();
}

void DrawPanel::setPca(std::shared_ptr<const PcaSummary> pca)
{
    m_analysis.setPca(std::move(pca));
    recompute();
}

QString DrawPanel::title() const
{
    return m_noun == QLatin1String("digits") ? tr("Draw a digit") : tr("Draw an image");
}

void DrawPanel::setData(std::shared_ptr<const ael::Dataset> train)
{
    if (train && !train->empty()) m_pad->setTargetSize(train->rows, train->cols);  // recomputes the input
    m_noun = train ? nounOf(train.get()) : QStringLiteral("digits");
    m_pad->setAsksForDigits(m_noun == QLatin1String("digits"));
    m_title->setText(title());
    m_analysis.setData(std::move(train));
    recompute();
}

void DrawPanel::setCorruption(const ael::Corruption &c, bool variantIsDenoising)
{
    m_denoising = variantIsDenoising;
    m_analysis.setCorruption(c, corruptFirst());
    updateCorruptionLabel();
    recompute();
}

bool DrawPanel::corruptFirst() const { return m_corrupt->isChecked() && m_corrupt->isEnabled(); }
void DrawPanel::setCorruptFirst(bool on) { m_corrupt->setChecked(on); }

void DrawPanel::updateCorruptionLabel()
{
    const ael::Corruption &c = m_analysis.corruption();
    const bool any = c.kind != ael::CorruptionKind::None;
    m_corrupt->setEnabled(any);
    // Long to short: the check box does not hold the column wider than the shortest needs.
    m_corruptTexts = any ? QStringList{tr("Corrupt first: x̃ ~ C(x̃|x), %1").arg(settings_change::describeCorruption(c)),
                                       tr("Corrupt first: %1").arg(settings_change::describeCorruption(c)), tr("Corrupt first")}
                         : QStringList{tr("Corrupt first (no corruption set)"), tr("Corrupt first")};
    fitCorruptionLabel();
    m_corrupt->setToolTip(m_corruptTexts.first() + QLatin1Char('\n') +
                          (m_denoising ? tr("Feed the drawing through the trainer's corruption; the denoising AE\n"
                                            "was trained to reconstruct the clean x from such x̃.")
                                       : tr("Feed the drawing through the corruption. This variant was not trained\n"
                                            "on corrupted inputs: compare with the denoising AE.")));
    m_analysis.setCorruption(c, corruptFirst());
}

void DrawPanel::fitCorruptionLabel()
{
    if (m_corruptTexts.isEmpty()) return;
    // The box and the gap before the text (the style's), then the text.
    const int box = style()->pixelMetric(QStyle::PM_IndicatorWidth, nullptr, m_corrupt) +
                    style()->pixelMetric(QStyle::PM_CheckBoxLabelSpacing, nullptr, m_corrupt) + 4;
    const QFontMetricsF fm(m_corrupt->font());
    m_corrupt->setMinimumWidth(box + int(std::ceil(fm.horizontalAdvance(m_corruptTexts.last()))));
    const QString text = firstFitting(m_corruptTexts, fm, m_corrupt->width() - box);
    if (text != m_corrupt->text()) m_corrupt->setText(text);
}

bool DrawPanel::eventFilter(QObject *o, QEvent *e)
{
    if (o == m_corrupt && (e->type() == QEvent::Resize || e->type() == QEvent::FontChange)) fitCorruptionLabel();
    return QWidget::eventFilter(o, e);
}

void DrawPanel::setStatus(const QString &text, bool error)
{
    // Only on a change: this runs on every mouse move and every new model.
    if (text == m_status->text() && error == m_statusIsError) return;
    m_statusIsError = error;
    QPalette pal = m_status->palette();
    pal.setColor(QPalette::WindowText, error ? QColor(0xb0, 0x00, 0x20) : kText);
    m_status->setPalette(pal);
    m_status->setText(text);
}

void DrawPanel::openImage()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open an image of a digit"), QString(),
                                                      tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp);;All files (*)"));
    if (path.isEmpty()) return;
    QString error;
    if (!m_pad->loadImage(path, &error)) {
        m_loadError = error;
        recompute();
    }
}

void DrawPanel::recompute()
{
    const DigitInput &x = m_pad->input();
    m_result = m_analysis.analyze(x);
    const DrawingResult &r = m_result;
    const int rows = x.rows, cols = x.cols;

    QVector<DigitTiles::Row> out;
    DigitTiles::Row top;
    // Each with a short form for a narrow column (presentation mode beside the views).
    DigitTiles::Tile input{tr("Input %1×%2").arg(cols).arg(rows), x.empty ? QImage() : digitImage(x),
                           x.empty ? tr("nothing drawn") : QString(), kText};
    input.shortTitle = tr("Input");
    input.shortCaption = x.empty ? tr("blank") : QString();
    top.tiles << input;
    if (r.corrupted) {
        DigitTiles::Tile xt{tr("Corrupted x̃"), digitImage(r.xt.data(), rows, cols), mseText(r.xtMse), kSubtleText};
        xt.shortTitle = tr("x̃");
        xt.shortCaption = mseNumber(r.xtMse);
        top.tiles << xt;
    }
    const bool hasModel = m_analysis.model() != nullptr;
    DigitTiles::Tile ae{tr("Autoencoder"), r.ae.empty() ? QImage() : digitImage(r.ae.data(), rows, cols),
                        r.ae.empty() ? (hasModel ? QString() : tr("no model yet")) : mseText(r.aeMse), kAeColor};
    ae.shortTitle = tr("AE");
    ae.shortCaption = r.ae.empty() ? (hasModel ? QString() : tr("no model")) : mseNumber(r.aeMse);
    top.tiles << ae;
    DigitTiles::Tile pca{r.pca.empty() ? tr("PCA") : tr("PCA-%1").arg(r.pcaK), r.pca.empty() ? QImage() : digitImage(r.pca.data(), rows, cols),
                         r.pca.empty() ? (x.empty ? QString() : tr("fitting…")) : mseText(r.pcaMse), kPcaColor};
    pca.shortCaption = r.pca.empty() ? QString() : mseNumber(r.pcaMse);
    top.tiles << pca;
    out << top;

    DigitTiles::Row nn;
    nn.title = tr("Nearest training %1").arg(m_noun);
    nn.scale = 0.62;
    const std::shared_ptr<const ael::Dataset> &data = m_analysis.data();
    for (size_t i = 0; i < 5; ++i) {
        if (i < r.nearest.size() && data) {
            const int j = r.nearest[i];
            const int label = data->labels[size_t(j)];
            const QString name = size_t(label) < data->classNames.size() ? QString::fromStdString(data->classNames[size_t(label)])
                                                                        : QString::number(label);
            // "d = 6.12", or the number alone where five of those do not fit a row (not "d = 6…." five times).
            nn.tiles << DigitTiles::Tile{name, QImage(data->image(j), data->cols, data->rows, data->cols, QImage::Format_Grayscale8).copy(),
                                         tr("d = %1").arg(r.nearestDistance[i], 0, 'f', 2), classColor(label), QString(),
                                         QString::number(r.nearestDistance[i], 'f', 2)};
        } else {
            nn.tiles << DigitTiles::Tile{QString(), QImage(), QString(), QColor()};
        }
    }
    out << nn;
    m_tiles->setRows(out);

    if (!m_loadError.isEmpty()) setStatus(m_loadError, true);
    else if (!r.why.isEmpty() && !x.empty) setStatus(r.why, true);  // e.g. a model for another image size
    else setStatus(x.empty ? tr("Left button draws, right button erases; Esc clears, Ctrl+Z undoes.") : QString(), false);
    emit codeChanged(r.valid && (!r.ae.empty() || !r.pca.empty()), r.aeCode2d, r.pcaCode2d);
}
