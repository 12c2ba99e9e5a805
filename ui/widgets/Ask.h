#pragma once
// Questions and error boxes of the window go through here, so that tests (and the screenshot
// and measurement modes) can answer them instead of a modal QMessageBox.
#include <QString>
#include <QStringList>

#include <functional>

class QWidget;

namespace ask {

/// Returns the index of the chosen button, or −1 for Escape / closing the box.
using Handler = std::function<int(const QString &title, const QString &text, const QStringList &buttons)>;

/// Replaces the message boxes (an empty handler restores them).
void setHandler(Handler h);

/// A question with the given buttons (the first is the default). Returns the chosen index or −1.
int question(QWidget *parent, const QString &title, const QString &text, const QStringList &buttons);
/// An error or warning box with one OK button.
void warning(QWidget *parent, const QString &title, const QString &text);

}  // namespace ask
