#include "ui/widgets/ShortcutGuard.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextEdit>

namespace {
constexpr const char *kByKeyboard = "aelFocusByKeyboard";  ///< a widget's property: the keyboard focused it
}  // namespace

ShortcutGuard::ShortcutGuard(QObject *parent) : QObject(parent) {}

bool ShortcutGuard::controlWantsKey(const QWidget *w, const QKeyEvent *e)
{
    if (!w || !e) return false;
    if (e->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) return false;
    const int k = e->key();
    const bool arrows = k == Qt::Key_Left || k == Qt::Key_Right || k == Qt::Key_Up || k == Qt::Key_Down;
    // Page Up / Page Down are what a presenter's remote sends: a slider or a combo box touched a minute
    // ago must not swallow them (arrows, Home and End still move it); lists and text fields keep them.
    const bool paging = k == Qt::Key_PageUp || k == Qt::Key_PageDown;
    const bool ends = k == Qt::Key_Home || k == Qt::Key_End;
    if (qobject_cast<const QLineEdit *>(w) || qobject_cast<const QTextEdit *>(w) ||
        qobject_cast<const QPlainTextEdit *>(w))
        return true;  // every plain key types or moves the cursor
    if (qobject_cast<const QAbstractSpinBox *>(w)) return true;
    if (qobject_cast<const QAbstractSlider *>(w)) return arrows || ends;
    if (qobject_cast<const QComboBox *>(w)) return arrows || ends || k == Qt::Key_Space;
    if (qobject_cast<const QAbstractItemView *>(w)) return arrows || paging || ends || k == Qt::Key_Space;
    if (qobject_cast<const QAbstractButton *>(w)) return k == Qt::Key_Space;
    return false;
}

bool ShortcutGuard::eventFilter(QObject *watched, QEvent *event)
{
    // Each button's and combo box's own state: whether the keyboard brought the focus to it (Tab, Shift+Tab, a
    // mnemonic) since it was last clicked. The focus coming back (a dialog closed, a combo box's list, the window
    // active again) changes nothing.
    if (event->type() == QEvent::FocusIn && watched->isWidgetType()) {
        const Qt::FocusReason r = static_cast<QFocusEvent *>(event)->reason();
        if (r == Qt::TabFocusReason || r == Qt::BacktabFocusReason || r == Qt::ShortcutFocusReason) watched->setProperty(kByKeyboard, true);
        else if (r == Qt::MouseFocusReason) watched->setProperty(kByKeyboard, false);
    }
    if (event->type() == QEvent::MouseButtonPress && watched->isWidgetType()) watched->setProperty(kByKeyboard, false);
    if (event->type() == QEvent::ShortcutOverride && watched->isWidgetType()) {
        auto *ke = static_cast<QKeyEvent *>(event);
        // Not reached with the keyboard: Space plays (a button or combo box takes it only from Tab's focus).
        const bool clickedButton = ke->key() == Qt::Key_Space && !watched->property(kByKeyboard).toBool() &&
                                   (qobject_cast<QAbstractButton *>(watched) || qobject_cast<QComboBox *>(watched));
        if (!clickedButton && controlWantsKey(static_cast<QWidget *>(watched), ke)) {
            ke->accept();  // the key goes to the control as a key press, not to the shortcut
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}
