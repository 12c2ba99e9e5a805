// MainWindow's lesson wiring: the Lessons menu (Ctrl+1 … Ctrl+8, Page Up / Page Down for presenter
// remotes), the lesson dock, and applyLesson(), the one place a lesson's preset reaches the window.
#include "ui/window/MainWindow.h"

#include "ui/window/Dock.h"
#include "ui/window/DockTabs.h"
#include "ui/window/PresentingLesson.h"

#include "ui/lessons/LessonPanel.h"
#include "ui/lessons/Lessons.h"
#include "ui/views/StatusPanel.h"
#include "ui/widgets/Palette.h"
#include "ui/widgets/StatusMessage.h"
#include "ui/window/ControlPanel.h"
#include "core/data/Catalog.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QPointer>
#include <QScrollArea>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>

#include <algorithm>
#include <utility>

namespace {
QString lessonToggleText() { return MainWindow::tr("Show lesson panel"); }
}  // namespace

void MainWindow::buildLessons()
{
    m_lessonPanel = new LessonPanel;
    m_lessonDock = new ael::ui::Dock(m_lessonPanel->heading(), this);
    m_lessonDock->setObjectName(QStringLiteral("lessonDock"));
    m_lessonDock->setWidget(m_lessonPanel);
    m_lessonDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable |
                              QDockWidget::DockWidgetFloatable);
    // At 1280×720 the views leave room for one side column: the lesson shares it with the controls
    // (a tab each); the right-hand side stays free for the docks a lesson opens.
    addDockWidget(Qt::LeftDockWidgetArea, m_lessonDock);
    if (auto *controls = findChild<QDockWidget *>(QStringLiteral("controlsDock"))) tabifyDockWidget(controls, m_lessonDock);
    m_lessonDock->hide();
    ael::ui::toggleToFront(m_lessonDock);  // behind the Draw panel's tab, "Show lesson panel" brings it back
    // Closed or reopened, the lesson no longer or again chooses the lower row's view (presenting, narrow).
    connect(m_lessonDock, &QDockWidget::visibilityChanged, this, [this] { updatePresentationLayout(); });
    QAction *show = m_lessonDock->toggleViewAction();
    show->setText(lessonToggleText());
    show->setToolTip(tr("The lesson's formula, explanation and what to watch"));
    m_viewMenu->addAction(show);

    QMenu *menu = menuBar()->addMenu(tr("&Lessons"));
    const std::vector<Lesson> &lessons = builtinLessons();
    if (lessons.empty()) {
        qWarning("Lessons unavailable: %s", qPrintable(builtinLessonsError()));
        menu->addAction(tr("Lessons unavailable: %1").arg(builtinLessonsError()))->setEnabled(false);
    }
    for (const Lesson &l : lessons) {
        QAction *a = menu->addAction(tr("&%1  %2").arg(l.number).arg(l.title));
        a->setObjectName(QStringLiteral("lesson%1").arg(l.number));
        a->setToolTip(l.formula);
        if (l.number <= 9) a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + l.number)));
        connect(a, &QAction::triggered, this, [this, i = l.number - 1] { applyLesson(i); });
    }
    menu->addSeparator();
    // Presenter remotes send Page Up / Page Down. A focused spin box, list or text field keeps them
    // (ShortcutGuard); everywhere else, sliders and the views included, they move between lessons.
    QAction *prev = menu->addAction(tr("Previous lesson"));
    prev->setObjectName(QStringLiteral("previousLesson"));
    prev->setShortcut(Qt::Key_PageUp);
    connect(prev, &QAction::triggered, this, [this] { applyLesson(std::max(0, m_lessonIndex - 1)); });
    QAction *next = menu->addAction(tr("Next lesson"));
    next->setObjectName(QStringLiteral("nextLesson"));
    next->setShortcut(Qt::Key_PageDown);
    connect(next, &QAction::triggered, this, [this] {
        if (m_lessonIndex + 1 < int(builtinLessons().size())) applyLesson(m_lessonIndex + 1);
    });
    menu->addSeparator();
    menu->addAction(show);

    connect(m_lessonPanel, &LessonPanel::previousRequested, prev, &QAction::trigger);
    connect(m_lessonPanel, &LessonPanel::nextRequested, next, &QAction::trigger);
    connect(this, &MainWindow::snapshotApplied, m_lessonPanel, &LessonPanel::applySnapshot);
    // A lesson on another data set waits for it; the window's own handler (useData) runs first.
    connect(m_loader, &DataLoader::loaded, this, [this](std::shared_ptr<const DataBundle> b) {
        QTimer::singleShot(0, this, [this, b] {
            const int i = std::exchange(m_pendingLesson, -1);
            if (i < 0 || m_data != b) return;
            if (b->id == builtinLessons()[size_t(i)].dataId) finishLesson(i);
            else applyLesson(i);  // a load the lesson did not ask for (e.g. the last session's data) replaced its data
        });
    });
    connect(m_loader, &DataLoader::failed, this, [this] { m_pendingLesson = -1; });
}

// Presenting on a wide screen, the lesson had the column its panel asked for (430 of 1,920 px): its
// 24-px text ran ~25 characters a line, and its demo's captions shrank to 13 px to fit. Presenting, the
// column takes at least 3/10 of the window (a column it shares with a dock already gets 2/5).
void MainWindow::widenLessonColumnLater()
{
    QTimer::singleShot(0, this, [this] {
        if (!ael::ui::presentationMode() || !m_lessonDock->isVisible() || m_lessonDock->isFloating()) return;
        const int want = width() * 3 / 10;
        if (m_lessonDock->width() < want) resizeDocks({m_lessonDock}, {want}, Qt::Horizontal);
        keepCentralRoomLater();  // the width came from the views
    });
}

void MainWindow::applyLesson(int index)
{
    const std::vector<Lesson> &lessons = builtinLessons();
    if (index < 0 || index >= int(lessons.size())) return;
    // No question between lessons: a lecturer moves between them in front of the class (Save session keeps a
    // prepared state; quitting and Ctrl+R still ask about an unsaved model). Leaving a run of one's own for a
    // lesson (Ctrl+1, or Page Down meant for a slider) asks as Reset does: it threw 8,942 unsaved steps away.
    const Lesson &l = lessons[size_t(index)];
    if (m_run != m_lessonRun && !mayDiscardModel(tr("Opening lesson %1").arg(l.number))) return;
    m_lessonIndex = index;
    // A dock the user had opened, which the previous lesson moved below it and this one does not open, goes
    // back among the lesson's tabs where it was: below this lesson's demo it asked for more than a 720-px
    // column (the user's Inside dock below lesson 4, then lesson 3's demo: the window grew to 797 px).
    QStringList keep;  // (on a narrow screen a lesson opens only its own docks)
    for (const QString &entry : l.docks) keep << lessonDockName(entry);
    if (!wideScreen() && !m_lessonDock->isFloating())
        for (QDockWidget *dock : findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly))
            if (dock != m_lessonDock && !dock->isHidden() && !dock->isFloating() && !keep.contains(dock->objectName()) &&
                dockWidgetArea(dock) == dockWidgetArea(m_lessonDock) && !tabifiedDockWidgets(m_lessonDock).contains(dock))
                tabifyDockWidget(m_lessonDock, dock);
    m_lessonPanel->setLesson(l, int(lessons.size()));
    if (m_lessonDock->windowTitle() != m_lessonPanel->heading()) {
        m_lessonDock->setWindowTitle(m_lessonPanel->heading());             // and its tab
        m_lessonDock->toggleViewAction()->setText(lessonToggleText());  // which the title had renamed
    }
    m_lessonDock->show();
    ael::ui::raiseDockTab(m_lessonDock);
    updatePresentationLayout();  // the lower row's view, as this lesson's "watch" needs it
    widenLessonColumnLater();
    if (!m_data || m_data->id != l.dataId) {
        if (auto cached = m_loader->cached(l.dataId)) {
            useData(cached);
        } else {
            const auto sources = ael::availableDataSources();
            const bool known = std::any_of(sources.begin(), sources.end(),
                                           [&](const ael::DataSource &s) { return QString::fromStdString(s.id) == l.dataId; });
            if (!known) {
                status_message::show(statusBar(), tr("Lesson %1 needs the data set '%2', which is not installed; using %3.")
                                             .arg(l.number).arg(l.dataId, m_data ? m_data->label : tr("none")), 15000);
                if (m_data) finishLesson(index);
                return;
            }
            m_pendingLesson = index;
            m_controls->setDataBusy(true, tr("Loading %1…").arg(l.dataId));
            m_loader->loadAsync(l.dataId);
            return;
        }
    }
    finishLesson(index);
}

void MainWindow::placeLessonDocks(const Lesson &l)
{
    // The docks this lesson needs; those the previous lesson opened and this one does not, close.
    // Presenting, the controls are hidden (the views get their width); a lesson on a variant with knobs of
    // its own (sparsity weight, corruption, λ, β) asks the class to move them, so on a wide screen (the other
    // docks on the right) the controls show below the lesson, with only the variant and those knobs (lesson 4:
    // "move the sparsity weight slider"). Below 1,700 px the column holds the lesson and its dock already. The
    // window's width counts, not only the screen's (PresentingLesson.h); a window that crosses it while
    // presenting gets its lesson's docks placed again (updatePresentationLayout).
    QStringList docks = l.docks;
    if (ael::ui::presentationMode() && controlsBelowLesson(l.settings.variant, width(), wideScreen()))
        docks << QStringLiteral("controlsDock");
    QStringList opened;
    for (const QString &entry : std::as_const(docks)) {
        auto *dock = findChild<QDockWidget *>(lessonDockName(entry));
        if (!dock) continue;  // a panel this build does not have
        if (!dock->isVisible() || m_lessonDocks.contains(dock->objectName())) opened << dock->objectName();
        dock->show();
        // A dock that shares the lesson's column (a screen under 1,700 pixels wide) goes below the
        // lesson, where it fits there, instead of in front of it: the lesson says what to watch, the dock
        // shows it. One that does not fit (the PCA panel's three plots) stays a tab behind the lesson.
        if (tabifiedDockWidgets(m_lessonDock).contains(dock)) {
            // The column's height from the window's (before the window is first shown, as with --lesson,
            // its central widget has no height yet): less the menu, tool and status bars.
            int bars = menuBar()->sizeHint().height() + statusBar()->sizeHint().height();
            for (const QToolBar *bar : findChildren<QToolBar *>())
                if (toolBarArea(bar) == Qt::TopToolBarArea) bars += bar->sizeHint().height();
            // No taller than on the smallest screen the window must still fit (XGA less a task bar: 720 px):
            // the window is often laid out on a laptop, then moved to the projector.
            int column = std::min(height(), 720) - bars;
            // What stays in the tabs above it must fit as well: the PCA panel the user opened among them asks
            // for 552 px presenting, and with lesson 4's Inside dock below, the window grew to 1,033.
            int tabs = m_lessonDock->minimumSizeHint().height();
            for (QDockWidget *other : tabifiedDockWidgets(m_lessonDock))
                if (other != dock && !other->isHidden()) tabs = std::max(tabs, other->minimumSizeHint().height());
            const int tabBar = 2 * fontMetrics().height();  // the tabs under the column, about two lines of text
            if (column * 3 / 5 >= dock->minimumSizeHint().height() && tabs + tabBar + dock->minimumSizeHint().height() <= column) {
                const int columnWidth = m_lessonDock->width();
                removeDockWidget(dock);  // out of the tabs (splitDockWidget leaves a dock in its tab group)
                addDockWidget(dockWidgetArea(m_lessonDock), dock, Qt::Vertical);
                dock->show();
                resizeDocks({m_lessonDock, dock}, {column * 2 / 5, column * 3 / 5}, Qt::Vertical);
                if (columnWidth > 0) resizeDocks({m_lessonDock}, {columnWidth}, Qt::Horizontal);  // as wide as before
                // Projector-sized text needs a wider column to be read without scrolling: 2/5 of the window
                // (the views get the rest), once the window and its presentation mode are set up.
                QTimer::singleShot(0, this, [this, dock = QPointer<QDockWidget>(dock)] {
                    if (ael::ui::presentationMode() && m_lessonDock->isVisible() && m_lessonDock->width() < width() * 2 / 5)
                        resizeDocks({m_lessonDock}, {width() * 2 / 5}, Qt::Horizontal);
                    // Then, at the column's final width, the lesson as tall as its text needs (it says what to
                    // watch: lesson 4's instruction to move the slider was below the fold), the dock below
                    // keeping at least 2/5 of the column and its minimum.
                    if (!dock || !dock->isVisible() || !m_lessonDock->isVisible() || dockWidgetArea(dock) != dockWidgetArea(m_lessonDock))
                        return;
                    const int column = m_lessonDock->height() + dock->height();
                    // (2/5, or less for a dock that asks for less: the presenting controls' one variant; a
                    // scroll area asks for more than its panel, so the panel's own height counts there)
                    int asks = dock->sizeHint().height();
                    if (auto *sa = qobject_cast<QScrollArea *>(dock->widget()); sa && sa->widget())
                        asks += sa->widget()->sizeHint().height() + 2 * sa->frameWidth() - sa->sizeHint().height();
                    const int below = std::max(std::min(column * 2 / 5, asks), dock->minimumSizeHint().height());
                    const int chrome = m_lessonDock->height() - m_lessonPanel->height();  // the dock's title bar
                    const int lesson = std::clamp(m_lessonPanel->heightToShowAll(m_lessonPanel->width()) + chrome, column * 2 / 5,
                                                  std::max(column * 2 / 5, column - below));
                    resizeDocks({m_lessonDock, dock}, {lesson, column - lesson}, Qt::Vertical);
                });
            }
        } else {
            ael::ui::raiseDockTab(dock);
        }
        auto *tabs = qobject_cast<QTabWidget *>(dock->widget());
        if (!tabs && dock->widget()) tabs = dock->widget()->findChild<QTabWidget *>();
        for (int t = 0; tabs && t < tabs->count(); ++t)
            if (tabs->tabText(t).remove(QLatin1Char('&')) == lessonDockTab(entry)) tabs->setCurrentIndex(t);
    }
    for (const QString &name : std::as_const(m_lessonDocks))
        if (!opened.contains(name))
            if (auto *dock = findChild<QDockWidget *>(name)) dock->hide();
    m_lessonDocks = opened;
    ael::ui::raiseDockTab(m_lessonDock);  // last: in front of the docks just opened among its tabs (the PCA panel)
}

void MainWindow::finishLesson(int index)
{
    const Lesson &l = builtinLessons()[size_t(index)];
    m_pendingLesson = -1;
    m_controls->setSettings(l.settings);
    ael::Architecture a = l.arch;
    a.input = m_data->dim();
    startRun(a);  // the settings come from the controls, just set
    m_lessonRun = m_run;

    placeLessonDocks(l);

    status_message::show(statusBar(), tr("Lesson %1: %2").arg(l.number).arg(l.title), 8000);
    m_worker->play();
    if (m_loader->busy()) m_pendingLesson = index;  // another data set is on its way: come back to this lesson
}
