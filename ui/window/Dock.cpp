#include "ui/window/Dock.h"

#include <QStyleOptionDockWidget>
#include <QStylePainter>

namespace ael::ui {

void Dock::paintEvent(QPaintEvent *e)
{
    if (titleBarWidget() || isFloating()) {  // a floating dock: Qt's frame, or the system's title bar
        QDockWidget::paintEvent(e);
        return;
    }
    // As QDockWidget::paintEvent for a docked dock, but the title in this widget's font: the painter's and the
    // option's font metrics start from it.
    QStylePainter p(this);
    QStyleOptionDockWidget title;
    initStyleOption(&title);
    p.drawControl(QStyle::CE_DockWidgetTitle, title);
}

}  // namespace ael::ui
