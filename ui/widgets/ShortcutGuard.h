#pragma once
// Keeps the window's single-key shortcuts (→ steps training, Space plays) from stealing keys that the
// focused control needs: → moves a focused slider, Space presses a focused button, a digit goes into
// a focused spin box. Installed once on the application; Ctrl/Alt shortcuts always work.
//
// Space is a button's only when the keyboard brought the focus there (Tab) and it was not clicked since: a
// button, check box or combo box clicked, or focused by the program, leaves Space to Play. A lecturer ticks
// "Prior quantiles" with the mouse, presses Space to pause, and the box unticked while training went on (and a
// clicked Data box opened its list).
#include <QObject>

class QKeyEvent;
class QWidget;

class ShortcutGuard : public QObject {
    Q_OBJECT
public:
    explicit ShortcutGuard(QObject *parent = nullptr);

    /// Whether `focus` uses this key itself (so a shortcut must not take it).
    static bool controlWantsKey(const QWidget *focus, const QKeyEvent *key);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};
