#pragma once
// A status-bar message that fits. The window's training status (a permanent widget) takes the bar's
// right part, and QStatusBar cuts a longer message off at it, mid-word and without a sign ("Presentation
// mode — F5 to leave, F11" at 1024 pixels). show() picks the longest of the message's forms that fits
// the room left of the permanent widgets; when none does, the message covers them for as long as it
// shows (an error's words matter more than the step counter), elided only beyond the bar's width with
// the whole text as the tooltip. It is fitted again when the bar's width or the permanent widgets'
// sizes change.
#include <QStringList>

class QStatusBar;

namespace status_message {

void show(QStatusBar *bar, const QStringList &longToShort, int timeoutMs = 0);
inline void show(QStatusBar *bar, const QString &text, int timeoutMs = 0) { show(bar, QStringList{text}, timeoutMs); }
/// The width a message may take: from the bar's left edge to its leftmost permanent widget.
int room(QStatusBar *bar);

}  // namespace status_message
