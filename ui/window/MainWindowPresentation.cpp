// Presentation mode: what a lecture hall needs from the same window. F5 toggles large text (titles
// ≥ 28 px and tick labels ≥ 18 px on a 1280×720 projector, see ael::ui::basePixelSize), thicker lines
// and larger points, and hides the secondary controls; F11 toggles full screen.
#include "ui/explore/LatentExplorer.h"
#include "ui/lessons/LessonPanel.h"
#include "ui/lessons/Lessons.h"
#include "ui/widgets/StatusMessage.h"
#include "ui/window/ControlPanel.h"
#include "ui/window/MainWindow.h"
#include "ui/window/PresentingLesson.h"
#include "ui/views/PcaComparisonView.h"
#include "ui/widgets/Palette.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QLayout>
#include <QMenu>
#include <QResizeEvent>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

#include <algorithm>

void MainWindow::buildPresentationActions()
{
    m_presentation = new QAction(tr("Presentation mode"), this);
    m_presentation->setCheckable(true);
    m_presentation->setShortcut(Qt::Key_F5);
    m_presentation->setToolTip(tr("Large text and thick lines for a projector; secondary controls hidden (F5)"));
    connect(m_presentation, &QAction::toggled, this, &MainWindow::setPresentation);
    m_fullScreen = new QAction(tr("Full screen"), this);
    m_fullScreen->setCheckable(true);
    m_fullScreen->setShortcut(Qt::Key_F11);
    connect(m_fullScreen, &QAction::toggled, this, [this](bool on) { on ? showFullScreen() : showNormal(); });
    // Added to the View menu by the constructor, after every panel's toggle.
}

bool MainWindow::isPresentation() const { return ael::ui::presentationMode(); }

double MainWindow::presentationPt(double normalPt) { return std::clamp(normalPt * 1.35, 14.0, 28.0); }

void MainWindow::setPresentationFont(bool on)
{
    // The application font carries the controls, labels and menus; a font change also tells every
    // view to re-size its text and pens (FontChange).
    if (on) {
        m_normalFontPt = QApplication::font().pointSizeF();
        setApplicationFontPt(presentationPt(m_normalFontPt));
    } else if (m_normalFontPt > 0) {
        setApplicationFontPt(m_normalFontPt);
    }
}

void MainWindow::setPresentation(bool on)
{
    if (on == ael::ui::presentationMode()) return;
    {
        const QSignalBlocker block(m_presentation);
        m_presentation->setChecked(on);
    }
    ael::ui::presentationMode() = on;
    const bool framed = !isFullScreen() && !isMaximized();
    if (on) m_sizeBeforePresentation = framed ? size() : QSize();
    setPresentationFont(on);
    m_controls->setPresentation(on);
    scrollDrawPanel();
    if (m_lessonPanel) m_lessonPanel->setPresentation(on);
    if (on && m_lessonDock) widenLessonColumnLater();
    // The controls dock gives its width to the views (View ▸ Controls brings it back, with only the
    // variant and its own knobs); leaving presentation mode restores what was shown before.
    if (auto *dock = findChild<QDockWidget *>(QStringLiteral("controlsDock"))) {
        if (on) {
            m_controlsShownBefore = dock->isVisible();
            dock->hide();
        } else if (m_controlsShownBefore) {
            dock->show();
        }
    }
    // A lesson on show gets its presenting docks (the controls, for a variant with knobs); leaving the
    // mode, the controls are the window's again, not the lesson's to close.
    if (on && m_lessonIndex >= 0 && m_lessonDock && !m_lessonDock->isHidden() && size_t(m_lessonIndex) < builtinLessons().size())
        placeLessonDocks(builtinLessons()[size_t(m_lessonIndex)]);
    if (!on) m_lessonDocks.removeAll(QStringLiteral("controlsDock"));
    if (auto *bar = findChild<QToolBar *>(QStringLiteral("trainingToolBar"))) bar->setIconSize(on ? QSize(32, 32) : QSize(24, 24));
    updatePresentationLayout();
    // Back to the size it had: larger text can have grown the window, and the smaller text no longer
    // needs it (a window left taller than the screen hid the status bar).
    // (Once the smaller text has been laid out: until then the minimum is still presentation mode's.)
    if (!on && framed && m_sizeBeforePresentation.isValid())
        QTimer::singleShot(0, this, [this, before = m_sizeBeforePresentation] {
            if (isFullScreen() || isMaximized() || ael::ui::presentationMode()) return;
            if (layout()) layout()->activate();  // the window's minimum as the smaller text needs it
            resize(before);
        });
    for (QWidget *w : findChildren<QWidget *>()) w->update();
    status_message::show(statusBar(),
                         on ? QStringList{tr("Presentation mode — F5 to leave, F11 for full screen"), tr("Presentation — F5 leaves, F11: full screen"),
                                          tr("F5 leaves presentation mode"), tr("F5: leave presentation")}
                            : QStringList{},
                         6000);
}

void MainWindow::resizeEvent(QResizeEvent *e)
{
    QMainWindow::resizeEvent(e);
    updatePresentationLayout();
}

// With projector-sized text, four views and the lesson column do not fit a 1280-px screen: below
// 1600 px presentation mode gives the lower row to one view, the code scatter (the PCA comparison's
// verdict is also on the loss chart's floor line, in the reconstructions' PCA row and in the PCA panel),
// or the comparison where the lesson on show says to watch it (lesson 1: "the code plane next to
// PC1/PC2" — its AE plot is the same code, beside PCA's).
void MainWindow::updatePresentationLayout()
{
    if (!m_pcaView) return;
    const bool presenting = ael::ui::presentationMode();
    const bool narrow = presenting && width() < 1600;
    const bool lessonOnShow = m_lessonIndex >= 0 && size_t(m_lessonIndex) < builtinLessons().size() && m_lessonDock &&
                              !m_lessonDock->isHidden();
    const bool comparison = narrow && lessonOnShow &&
                            builtinLessons()[size_t(m_lessonIndex)].views.contains(QLatin1String("pcaComparison"));
    m_pcaView->setVisible(!narrow || comparison);
    m_latentView->setVisible(!comparison);
    // Nor does the comparison hold a presenting window wide: moved in one step from a 1600-px screen to a
    // 1024-px projector, the window kept the view's 352 px of minimum and could not go below 1,054 px (the
    // view hides only once the window is narrower). A minimum of 1 px instead of its size hint; 0 restores it.
    m_pcaView->setMinimumWidth(presenting ? 1 : 0);
    // A window that crosses 1,700 px while a lesson with knobs is presented (F5 in a 1280-px window, then F11):
    // its docks again, the controls below it shown or taken back (PresentingLesson.h).
    if (presenting && lessonOnShow) {
        const Lesson &l = builtinLessons()[size_t(m_lessonIndex)];
        const bool want = controlsBelowLesson(l.settings.variant, width(), wideScreen());
        const auto *controls = findChild<QDockWidget *>(QStringLiteral("controlsDock"));
        const bool placed = m_lessonDocks.contains(QStringLiteral("controlsDock"));
        if (controls && ((want && controls->isHidden()) || (!want && placed)))
            QTimer::singleShot(0, this, [this, index = m_lessonIndex] {
                if (ael::ui::presentationMode() && m_lessonIndex == index && m_lessonDock && !m_lessonDock->isHidden())
                    placeLessonDocks(builtinLessons()[size_t(index)]);
            });
    }
}
