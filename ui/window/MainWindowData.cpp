// MainWindow: a data set handed over already loaded (the command line's --images/--labels).
#include "ui/window/MainWindow.h"

void MainWindow::openData(std::shared_ptr<const DataBundle> b)
{
    if (!b) return;
    m_loader->insert(b);
    useData(std::move(b));
}
