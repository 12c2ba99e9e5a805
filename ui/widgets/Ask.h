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
/// The same with a checkbox below the text (e.g. "Don't ask again") and another default button (still
/// the last is Escape); `checked` gets the checkbox's state. With a
/// handler installed, `checked` gets the value last given to setCheckAnswer (default false).
int question(QWidget *parent, const QString &title, const QString &text, const QStringList &buttons,
             const QString &checkLabel, bool *checked, int defaultButton = 0);
void setCheckAnswer(bool on);

/// File names: a file dialog, or — once a handler (tests) or a question handler (unattended runs) is
/// installed — the file handler's answer, never a dialog ("" = cancelled; no file handler: "").
using FileHandler = std::function<QString(const QString &title, bool save)>;
void setFileHandler(FileHandler h);
QString openFileName(QWidget *parent, const QString &title, const QString &dir, const QString &filter);
/// `suffix` (".png") is added to a name typed without one before the dialog asks whether to replace an
/// existing file, so that the question is about the file that will be written.
QString saveFileName(QWidget *parent, const QString &title, const QString &dir, const QString &filter, const QString &suffix);

/// An error or warning box with one OK button.
void warning(QWidget *parent, const QString &title, const QString &text);

}  // namespace ask
