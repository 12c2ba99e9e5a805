// MainWindow's PCA wiring: the "PCA" dock (scree plot, test MSE against k with the autoencoder's
// point, principal angles of the decoder's span), its View-menu entry and toolbar toggle. The panel
// gets the window's Snapshots while it is visible (and the newest one when it is opened).
#include "ui/window/MainWindow.h"

#include "ui/pca/PcaPanel.h"
#include "ui/window/Dock.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QToolBar>

void MainWindow::buildPcaDock()
{
    m_pcaPanel = new PcaPanel;
    m_pcaDock = new ael::ui::Dock(tr("PCA"), this);
    m_pcaDock->setObjectName(QStringLiteral("pcaDock"));
    m_pcaDock->setWidget(m_pcaPanel);
    m_pcaDock->toggleViewAction()->setText(tr("PCA"));
    m_pcaDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_pcaDock->toggleViewAction()->setToolTip(
        tr("Scree plot, test MSE against k, and the angles between the decoder's span and PCA-k (Ctrl+P)"));
    // As Draw and Inside: a tab beside the controls at 1280×720, where the central views leave no room for a
    // third column; on a wide screen a tab of the column on the right, as tall as the window (on the left,
    // below a lesson in presentation mode, its three plots had 10 px each).
    placeSideDock(m_pcaDock);
    connect(m_pcaDock->toggleViewAction(), &QAction::toggled, m_pcaDock, [this](bool on) {
        if (on && dockWidgetArea(m_pcaDock) == Qt::LeftDockWidgetArea)
            resizeDocks({m_pcaDock}, {400}, Qt::Horizontal);  // as wide as the central views allow
    });
    if (auto *bar = findChild<QToolBar *>(QStringLiteral("trainingToolBar"))) bar->addAction(m_pcaDock->toggleViewAction());
    if (m_viewMenu) m_viewMenu->addAction(m_pcaDock->toggleViewAction());

    connect(this, &MainWindow::snapshotApplied, m_pcaPanel, [this](const Snapshot &s) {
        if (m_pcaDock->isVisible()) m_pcaPanel->applySnapshot(s);
    });
    connect(m_pcaDock, &QDockWidget::visibilityChanged, this, [this](bool on) {
        if (on && m_last.runId == m_run && m_last.runId != 0) m_pcaPanel->applySnapshot(m_last);
    });
}
