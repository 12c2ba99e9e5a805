// MainWindow's PCA wiring: the "PCA" dock (scree plot, test MSE against k with the autoencoder's
// point, principal angles of the decoder's span), its View-menu entry and toolbar toggle. The panel
// gets the window's Snapshots while it is visible (and the newest one when it is opened).
#include "ui/window/MainWindow.h"
#include "ui/window/DockTabs.h"

#include "ui/pca/PcaPanel.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QToolBar>

void MainWindow::buildPcaDock()
{
    m_pcaPanel = new PcaPanel;
    m_pcaDock = new QDockWidget(tr("PCA"), this);
    m_pcaDock->setObjectName(QStringLiteral("pcaDock"));
    m_pcaDock->setWidget(m_pcaPanel);
    m_pcaDock->toggleViewAction()->setText(tr("PCA"));
    m_pcaDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_pcaDock->toggleViewAction()->setToolTip(
        tr("Scree plot, test MSE against k, and the angles between the decoder's span and PCA-k (Ctrl+P)"));
    // A tab beside the controls: at 1280×720 the central views leave no room for a third column.
    addDockWidget(Qt::LeftDockWidgetArea, m_pcaDock);
    if (auto *controls = findChild<QDockWidget *>(QStringLiteral("controlsDock"))) tabifyDockWidget(controls, m_pcaDock);
    m_pcaDock->hide();
    connect(m_pcaDock->toggleViewAction(), &QAction::toggled, m_pcaDock, [this](bool on) {
        if (on) resizeDocks({m_pcaDock}, {400}, Qt::Horizontal);  // as wide as the central views allow
    });
    // Opened by the user (tool bar, menu, Ctrl+P): to the front. A lesson or --show places it itself.
    connect(m_pcaDock->toggleViewAction(), &QAction::triggered, m_pcaDock, [this](bool on) {
        if (on) ael::ui::raiseDockTab(m_pcaDock);
    });
    if (auto *bar = findChild<QToolBar *>(QStringLiteral("trainingToolBar"))) bar->addAction(m_pcaDock->toggleViewAction());
    if (m_viewMenu) m_viewMenu->addAction(m_pcaDock->toggleViewAction());

    connect(this, &MainWindow::snapshotApplied, m_pcaPanel, [this](const Snapshot &s) {
        if (m_pcaDock->isVisible()) m_pcaPanel->applySnapshot(s);
    });
    connect(m_pcaDock, &QDockWidget::visibilityChanged, this, [this](bool on) {
        if (on) keepCentralRoomLater();  // its column widens at the central views' cost
        if (on && m_last.runId == m_run && m_last.runId != 0) m_pcaPanel->applySnapshot(m_last);
    });
}
