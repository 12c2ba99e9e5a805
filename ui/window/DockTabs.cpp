#include "DockTabs.h"

#include <QAction>
#include <QDockWidget>
#include <QTimer>

namespace ael::ui {

void raiseDockTab(QDockWidget *dock)
{
    dock->raise();
    QTimer::singleShot(0, dock, [dock] {
        if (!dock->isVisibleTo(dock->parentWidget())) return;  // closed again meanwhile
        dock->lower();
        dock->raise();
    });
}

void toggleToFront(QDockWidget *dock)
{
    // Whether the dock was on screen, from its visibility as its tab comes and goes. Not while it is being
    // closed: Qt has hidden it by then, and the toggle's own handler (connected first, at construction) hides
    // it before the one below runs.
    dock->setProperty("onScreen", false);
    QObject::connect(dock, &QDockWidget::visibilityChanged, dock, [dock](bool visible) {
        if (!dock->isHidden()) dock->setProperty("onScreen", visible);
    });
    QObject::connect(dock->toggleViewAction(), &QAction::triggered, dock, [dock](bool on) {
        if (on) {
            raiseDockTab(dock);
        } else if (!dock->property("onScreen").toBool() && !dock->isFloating()) {
            dock->show();  // it was behind another tab: to the front, not closed
            raiseDockTab(dock);
        }
    });
}

}  // namespace ael::ui
