#include "ui/widgets/Ask.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>

namespace ask {

namespace {
Handler &handler()
{
    static Handler h;
    return h;
}
FileHandler &fileHandler()
{
    static FileHandler h;
    return h;
}
bool g_checkAnswer = false;

QString fileName(QWidget *parent, const QString &title, const QString &dir, const QString &filter, bool save,
                 const QString &suffix = {})
{
    if (fileHandler()) return fileHandler()(title, save);
    if (handler()) return {};
    if (!save) return QFileDialog::getOpenFileName(parent, title, dir, filter);
    // Not getSaveFileName: the window added the suffix after the dialog had checked the name as typed, so
    // "lecture" replaced lecture.safetensors without a question (and "/dev/full" was asked about, but
    // "/dev/full.safetensors" written).
    QFileDialog d(parent, title, dir, filter);
    d.setAcceptMode(QFileDialog::AcceptSave);
    d.setDefaultSuffix(suffix.startsWith(QLatin1Char('.')) ? suffix.mid(1) : suffix);
    return d.exec() == QDialog::Accepted ? d.selectedFiles().value(0) : QString();
}
}  // namespace

void setCheckAnswer(bool on) { g_checkAnswer = on; }
void setFileHandler(FileHandler h) { fileHandler() = std::move(h); }
QString openFileName(QWidget *parent, const QString &title, const QString &dir, const QString &filter)
{
    return fileName(parent, title, dir, filter, false);
}
QString saveFileName(QWidget *parent, const QString &title, const QString &dir, const QString &filter, const QString &suffix)
{
    return fileName(parent, title, dir, filter, true, suffix);
}

void setHandler(Handler h) { handler() = std::move(h); }

int question(QWidget *parent, const QString &title, const QString &text, const QStringList &buttons)
{
    return question(parent, title, text, buttons, QString(), nullptr, 0);
}

int question(QWidget *parent, const QString &title, const QString &text, const QStringList &buttons,
             const QString &checkLabel, bool *checked, int defaultButton)
{
    if (handler()) {
        if (checked) *checked = g_checkAnswer;
        return handler()(title, text, buttons);
    }
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::NoButton, parent);
    auto *check = checkLabel.isEmpty() ? nullptr : new QCheckBox(checkLabel);
    if (check) box.setCheckBox(check);
    QList<QAbstractButton *> added;
    for (int i = 0; i < buttons.size(); ++i) {
        const bool cancel = i == buttons.size() - 1 && buttons.size() > 1;
        QPushButton *b = box.addButton(buttons[i], cancel ? QMessageBox::RejectRole : QMessageBox::AcceptRole);
        if (i == defaultButton) box.setDefaultButton(b);
        if (cancel) box.setEscapeButton(b);
        added.push_back(b);
    }
    box.exec();
    if (checked) *checked = check && check->isChecked();
    const int idx = int(added.indexOf(box.clickedButton()));
    return idx;
}

void warning(QWidget *parent, const QString &title, const QString &text)
{
    if (handler()) {
        handler()(title, text, {QStringLiteral("OK")});
        return;
    }
    QMessageBox::warning(parent, title, text);
}

}  // namespace ask
