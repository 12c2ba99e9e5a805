#include "ui/widgets/Ask.h"

#include <QMessageBox>
#include <QPushButton>

namespace ask {

namespace {
Handler &handler()
{
    static Handler h;
    return h;
}
}  // namespace

void setHandler(Handler h) { handler() = std::move(h); }

int question(QWidget *parent, const QString &title, const QString &text, const QStringList &buttons)
{
    if (handler()) return handler()(title, text, buttons);
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::NoButton, parent);
    QList<QAbstractButton *> added;
    for (int i = 0; i < buttons.size(); ++i) {
        const bool cancel = i == buttons.size() - 1 && buttons.size() > 1;
        QPushButton *b = box.addButton(buttons[i], cancel ? QMessageBox::RejectRole : QMessageBox::AcceptRole);
        if (i == 0) box.setDefaultButton(b);
        if (cancel) box.setEscapeButton(b);
        added.push_back(b);
    }
    box.exec();
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
