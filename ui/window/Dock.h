#pragma once
// A dock whose title follows the window's text size.
#include <QDockWidget>

namespace ael::ui {

/// QDockWidget paints its title in the font its class had when the dock was built (Qt 6.4 keeps
/// QApplication::font("QDockWidgetTitle") from construction), while the title bar's height follows the dock's
/// font: Larger text and presentation mode gave tall title bars with the old small text. This dock paints its
/// title in its own font, which follows the application's.
class Dock : public QDockWidget {
public:
    explicit Dock(const QString &title, QWidget *parent = nullptr) : QDockWidget(title, parent) {}

protected:
    void paintEvent(QPaintEvent *e) override;
};

}  // namespace ael::ui
