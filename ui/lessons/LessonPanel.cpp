#include "ui/lessons/LessonPanel.h"

#include "ui/lessons/LessonDemo.h"
#include "ui/widgets/MathText.h"
#include "ui/widgets/Palette.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QLabel>
#include <QLayout>
#include <QPushButton>
#include <QRegularExpression>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

using namespace ael::ui;

namespace {
/// The scrolled text: its height is the height its wrapped lines need at its width. (A word-wrapped
/// label's minimum size hint is its height at a narrow width; QScrollArea sized the text at least that
/// tall, and lesson 4's 273 px of text scrolled in a 462-px page, the rest blank.)
class TextBody : public QWidget {
public:
    QSize minimumSizeHint() const override { return {QWidget::minimumSizeHint().width(), 0}; }
};

/// The text's scroll area, asking for the text's height once that is known to fit (LessonPanel::
/// shareSpareHeight): the layout gives it that, and the demo below the rest.
class TextScroll : public QScrollArea {
public:
    int wantedHeight = 0;  ///< 0: QScrollArea's own hint
    QSize sizeHint() const override
    {
        const QSize own = QScrollArea::sizeHint();
        return wantedHeight > 0 ? QSize(own.width(), wantedHeight) : own;
    }
};

QLabel *wrapped(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);  // the lecturer may copy a formula
    l->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    return l;
}

/// Splits a formula line at its gaps of two or more spaces (between one formula and the next).
QStringList piecesOf(const QString &line)
{
    QStringList out;
    for (const QString &p : line.split(QRegularExpression(QStringLiteral(" {2,}")), Qt::SkipEmptyParts)) out << p.trimmed();
    return out;
}
}  // namespace

LessonPanel::FormulaLayout LessonPanel::layOutFormula(const QString &formula, double maxPx, double minPx,
                                                      const std::function<bool(const QString &, double)> &fits)
{
    const QStringList lines = formula.split(QLatin1Char('\n'));
    for (double px = maxPx;; px = std::max(minPx, px - 1)) {
        // Whole lines where they fit; a line too wide goes one formula to a line.
        QStringList shown;
        bool all = true;
        for (const QString &l : lines) {
            if (fits(l, px)) {
                shown << l;
                continue;
            }
            for (const QString &piece : piecesOf(l)) {
                shown << piece;
                all = all && fits(piece, px);
            }
        }
        if (all) return {shown.join(QLatin1Char('\n')), px};
        if (px <= minPx) {
            // Still too wide at the smallest size: a formula that does not fit may break at its own
            // (non-breaking) spaces, rather than stand wider than its column and be cut off.
            for (QString &piece : shown)
                if (!fits(piece, px)) piece.replace(QChar(0x00a0), QLatin1Char(' '));
            return {shown.join(QLatin1Char('\n')), px};
        }
    }
}

LessonPanel::LessonPanel(QWidget *parent) : QWidget(parent)
{
    // The text scrolls (presentation mode makes it long); buttons and demo stay in view below it.
    auto *body = new TextBody;
    auto *text = new QVBoxLayout(body);
    text->setContentsMargins(8, 6, 8, 6);
    text->setSpacing(10);
    m_title = wrapped(body);
    m_title->setObjectName(QStringLiteral("lessonTitle"));
    m_formula = wrapped(body);
    m_formula->setObjectName(QStringLiteral("lessonFormula"));
    m_formula->setTextFormat(Qt::RichText);  // subscripts: "‖∂f(x)/∂x‖²_F" shows a small lowered F (MathText.h)
    m_formula->installEventFilter(this);
    m_formula->setStyleSheet(QStringLiteral("QLabel { color: %1; background: #f3f6fa; padding: 6px; }").arg(kAeColor.darker(130).name()));
    m_text = wrapped(body);
    m_text->setObjectName(QStringLiteral("lessonText"));
    m_watch = wrapped(body);
    m_watch->setObjectName(QStringLiteral("lessonWatch"));
    for (QLabel *l : {m_title, m_formula, m_text, m_watch}) text->addWidget(l);
    text->addStretch(1);
    auto *scroll = m_scroll = new TextScroll;
    scroll->setWidget(body);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->viewport()->installEventFilter(this);

    m_prev = new QPushButton(style()->standardIcon(QStyle::SP_ArrowBack), tr("Previous"));
    m_next = new QPushButton(style()->standardIcon(QStyle::SP_ArrowForward), tr("Next"));
    m_prev->setToolTip(tr("Previous lesson (Page Up)"));
    m_next->setToolTip(tr("Next lesson (Page Down)"));
    for (QPushButton *b : {m_prev, m_next}) b->setFocusPolicy(Qt::NoFocus);  // keys stay with the views
    connect(m_prev, &QPushButton::clicked, this, &LessonPanel::previousRequested);
    connect(m_next, &QPushButton::clicked, this, &LessonPanel::nextRequested);
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(8, 0, 8, 0);
    buttons->addWidget(m_prev);
    buttons->addStretch(1);
    buttons->addWidget(m_next);

    m_demoBox = new QWidget;
    m_demoLayout = new QVBoxLayout(m_demoBox);
    m_demoLayout->setContentsMargins(4, 4, 4, 4);
    m_demoBox->hide();

    auto *root = new QVBoxLayout(this);
    root->setContentsMargins(0, 0, 0, 4);
    root->addWidget(scroll, 1);
    root->addLayout(buttons);
    root->addWidget(m_demoBox);
    // Before the first lesson (e.g. the dock restored from the last session): how to start.
    m_title->setText(tr("Lessons"));
    m_text->setText(tr("One lesson per section of the lecture on autoencoders: each sets the data, the model and "
                       "its settings, starts training and says what to watch. Choose one in the Lessons menu "
                       "(Ctrl+1 … Ctrl+8), or press Next (Page Down) for the first."));
    m_formula->hide();
    m_prev->setEnabled(false);
    setPresentation(presentationMode());
}

void LessonPanel::setLesson(const Lesson &l, int count)
{
    m_number = l.number;
    m_count = count;
    m_title->setText(l.title);
    fitTitle();
    m_formulaSource = QString(l.formula).replace(QRegularExpression(QStringLiteral(" {3,}")), QStringLiteral("\n"));
    m_formula->show();
    fitFormula();
    m_text->setText(l.text);
    m_watch->setText(tr("Watch: %1").arg(l.watch));
    m_scroll->verticalScrollBar()->setValue(0);  // at its title, not where the previous lesson was read to
    m_prev->setEnabled(l.number > 1);
    m_next->setEnabled(l.number < count);

    delete m_demo;  // the previous lesson's demo (and any work it owns)
    m_demo = makeLessonDemo(l.demo, m_demoBox);
    m_runId = 0;
    if (m_demo) {
        m_demo->setMinimumSize(m_demo->minimumSizeHint());  // 320×200: the column stays narrow enough for 1280 px
        m_demoLayout->addWidget(m_demo);
    }
    m_demoBox->setVisible(m_demo != nullptr);
    // The dock's copy of the panel's size hints renewed at once, not after the posted layout requests: the
    // window measures the column right away to place the lesson's docks (lesson 3's demo still counted for
    // lesson 4, whose Inside dock then stayed a tab behind it).
    updateGeometry();
    shareSpareHeight();
}

int LessonPanel::textHeight(int width) const
{
    QLayout *body = m_scroll->widget()->layout();
    // The text's column: the panel's width less the scroll bar that may show beside it and the margins.
    const QMargins bm = body->contentsMargins();
    const int inner = std::max(100, width - m_scroll->verticalScrollBar()->sizeHint().width() - bm.left() - bm.right());
    int text = bm.top() + bm.bottom(), shown = 0;
    for (QLabel *l : {m_title, m_formula, m_text, m_watch}) {
        if (l->isHidden()) continue;
        const int h = l->hasHeightForWidth() ? l->heightForWidth(inner) : l->sizeHint().height();
        text += std::max(h, l->minimumSizeHint().height());
        ++shown;
    }
    return text + std::max(0, shown - 1) * body->spacing();
}

int LessonPanel::heightToShowAll(int width) const
{
    const int text = textHeight(width);
    // What is not the text (the buttons, the demo at its own size, margins): as laid out now, or as the layout would.
    int rest = height() - m_scroll->height() - std::max(0, m_demoBox->height() - m_demoBox->sizeHint().height());
    if (rest <= 0) {
        const QMargins m = layout()->contentsMargins();
        rest = m.top() + m.bottom() + 2 * layout()->spacing() + m_prev->sizeHint().height();
        if (m_demoBox->isVisibleTo(const_cast<LessonPanel *>(this))) rest += m_demoBox->sizeHint().height();
    }
    return text + rest;
}

QString LessonPanel::heading() const
{
    return m_number > 0 ? tr("Lesson %1 of %2").arg(m_number).arg(m_count) : tr("Lesson");
}

void LessonPanel::applySnapshot(const Snapshot &s)
{
    if (!m_demo) return;
    if (s.runId != m_runId) {
        if (m_runId != 0) m_demo->reset();
        m_runId = s.runId;
    }
    m_demo->applySnapshot(s);
}

void LessonPanel::setPresentation(bool on)
{
    m_presentation = on;
    m_zoom = textZoom();
    // Normal: readable beside the views; presentation: from the back of a hall (text ≥ 24 px). Text ▸
    // Larger text scales both.
    const double text = (on ? 26 : 15) * m_zoom;
    m_titlePx = text * 1.2;
    m_titleMinPx = text;
    fitTitle();
    m_formulaPx = text * 1.3;
    m_formulaMinPx = text * 0.92;  // 24 px in presentation mode
    fitFormula();
    m_text->setFont(uiFont(text));
    m_watch->setFont(uiFont(text));
    QFont buttons = uiFont(on ? 22 : 14);
    m_prev->setFont(buttons);
    m_next->setFont(buttons);
    updateGeometry();
    shareSpareHeight();
}

int LessonPanel::columnWidth() const
{
    // As wide as the column is with the text's scroll bar shown, whether it shows now or not: otherwise a
    // larger font could bring the scroll bar, a narrower column a smaller font, no scroll bar, and so on.
    const QScrollBar *bar = m_scroll->verticalScrollBar();
    const QMargins margins = m_scroll->widget()->layout()->contentsMargins();
    return m_scroll->viewport()->width() - (bar->isVisible() ? 0 : bar->sizeHint().width()) - margins.left() - margins.right();
}

void LessonPanel::fitTitle()
{
    // Full size where the title takes at most two lines; else smaller, down to the text's size, until it does
    // (presenting lesson 7 in a 1280-px window, its title took four lines of a 600-px column and left one line
    // of the lesson's text above the demo).
    double px = m_titlePx;
    if (m_title->isVisible()) {
        const int width = columnWidth();
        const auto lines = [&](double size) {
            const QFontMetrics fm(uiFont(size, true));
            return qRound(double(fm.boundingRect(QRect(0, 0, width, 1 << 20), Qt::TextWordWrap, m_title->text()).height()) / fm.lineSpacing());
        };
        while (px > m_titleMinPx && lines(px) > 2) px = std::max(m_titleMinPx, px - 1);
    }
    if (m_title->font().pixelSize() != int(std::lround(px))) m_title->setFont(uiFont(px, true));
}

void LessonPanel::fitFormula()
{
    // Until the label is on screen with a width of its own, the formula as written, at full size.
    if (m_formulaSource.isEmpty() || !m_formula->isVisible()) {
        setFormulaText(m_formulaSource);
        m_formula->setFont(uiFont(m_formulaPx));
        return;
    }
    // How wide a line stands: asked of a hidden, unwrapped label like the formula's (its padding and the
    // margins of the text document a selectable label lays its text out in are the label's business).
    if (!m_formulaProbe) {
        m_formulaProbe = wrapped(this);
        m_formulaProbe->setWordWrap(false);
        m_formulaProbe->setTextFormat(Qt::RichText);
        m_formulaProbe->setStyleSheet(m_formula->styleSheet());
        m_formulaProbe->hide();
    }
    m_formulaProbe->ensurePolished();
    // The column's width, not the label's: a line wider than the column (its formulas joined by
    // non-breaking spaces) widens the label past the column, and measured against itself it would fit.
    const int width = columnWidth();
    const auto fits = [&](const QString &line, double px) {
        m_formulaProbe->setFont(uiFont(px));
        m_formulaProbe->setText(math_text::toHtml(line));
        return m_formulaProbe->sizeHint().width() <= width;
    };
    const FormulaLayout f = layOutFormula(m_formulaSource, m_formulaPx, m_formulaMinPx, fits);
    setFormulaText(f.text);
    if (m_formula->font().pixelSize() != int(std::lround(f.px))) m_formula->setFont(uiFont(f.px));
}

void LessonPanel::setFormulaText(const QString &plain)
{
    if (plain == m_formulaShown) return;
    m_formulaShown = plain;
    m_formula->setText(math_text::toHtml(plain));
}

void LessonPanel::resizeEvent(QResizeEvent *e)
{
    QWidget::resizeEvent(e);
    shareSpareHeight();
}

void LessonPanel::shareSpareHeight()
{
    auto *root = static_cast<QBoxLayout *>(layout());
    auto *scroll = static_cast<TextScroll *>(m_scroll);
    int wanted = 0;  // the scroll area's own hint, and all the height the demo does not need
    if (m_demoBox->isVisibleTo(this)) {
        const int all = heightToShowAll(width()), text = textHeight(width());
        if (all <= height()) {
            wanted = text + 2 * m_scroll->frameWidth() + 4;  // all of it; the demo gets the rest
        } else {
            // The text scrolls either way: it keeps 55 % of the height, and the demo (the lesson's picture,
            // its captions fitted to its box: 10 px in lesson 3's at 1080p) gets the rest, not only its hint.
            const int demoHint = m_demoBox->sizeHint().height();
            const int both = height() - all + text + demoHint;  // text area + demo
            wanted = std::max(both * 55 / 100, both - std::max(demoHint, both * 45 / 100));
        }
    }
    if (wanted == scroll->wantedHeight) return;
    scroll->wantedHeight = wanted;
    scroll->setMaximumHeight(wanted > 0 ? wanted : QWIDGETSIZE_MAX);
    root->setStretchFactor(m_scroll, wanted > 0 ? 0 : 1);
    root->setStretchFactor(m_demoBox, wanted > 0 ? 1 : 0);
    scroll->updateGeometry();
}

bool LessonPanel::eventFilter(QObject *o, QEvent *e)
{
    // The title's size and the formula's lines follow the column's width (a narrower column breaks them).
    if ((o == m_formula && e->type() == QEvent::Show) ||
        (m_scroll && o == m_scroll->viewport() && e->type() == QEvent::Resize &&
         static_cast<QResizeEvent *>(e)->oldSize().width() != static_cast<QResizeEvent *>(e)->size().width())) {
        fitTitle();
        fitFormula();
    }
    return QWidget::eventFilter(o, e);
}

bool LessonPanel::event(QEvent *e)
{
    switch (e->type()) {
    case QEvent::Polish:
    case QEvent::StyleChange:
    case QEvent::FontChange:
    case QEvent::ApplicationFontChange:
    case QEvent::Show:
        if (presentationMode() != m_presentation || textZoom() != m_zoom) setPresentation(presentationMode());
        break;
    default:
        break;
    }
    return QWidget::event(e);
}
