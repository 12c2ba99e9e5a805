#pragma once
// Keeps the window's single-key shortcuts (→ steps training, Space plays) from stealing keys that the
// focused control needs: → moves a focused slider, Space presses a focused button, a digit goes into
// a focused spin box. Installed once on the application; Ctrl/Alt shortcuts always work.
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
