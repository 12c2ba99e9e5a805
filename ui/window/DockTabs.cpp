#include "DockTabs.h"

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

}  // namespace ael::ui
