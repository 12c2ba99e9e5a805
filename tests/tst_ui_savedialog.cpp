// The window's save dialogs (ask::saveFileName) ask before replacing the file that will be written: a name
// typed without its suffix gets it before the dialog checks for an existing file, not after.
#include "ui/widgets/Ask.h"

#include <QAbstractButton>
#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

class TestSaveDialog : public QObject {
    Q_OBJECT
private slots:
    void init()
    {
        ask::setHandler({});
        ask::setFileHandler({});
    }

    void asksAboutTheFileItWrites_data()
    {
        QTest::addColumn<QString>("existing");  // in the folder before the dialog
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<bool>("asks");
        QTest::addColumn<QString>("chosen");  // the name returned when the question is answered Yes (or not asked)
        QTest::newRow("typed without its suffix") << "lecture.safetensors" << "lecture" << ".safetensors" << true << "lecture.safetensors";
        QTest::newRow("a figure") << "loss.png" << "loss" << ".png" << true << "loss.png";
        QTest::newRow("typed with it") << "lecture.safetensors" << "lecture.safetensors" << ".safetensors" << true << "lecture.safetensors";
        // Only "lecture" exists: the file written is lecture.safetensors, which does not.
        QTest::newRow("the bare name exists") << "lecture" << "lecture" << ".safetensors" << false << "lecture.safetensors";
        QTest::newRow("a new name") << "other.safetensors" << "new" << ".safetensors" << false << "new.safetensors";
    }
    void asksAboutTheFileItWrites()
    {
        QFETCH(QString, existing);
        QFETCH(QString, typed);
        QFETCH(QString, suffix);
        QFETCH(bool, asks);
        QFETCH(QString, chosen);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            QFile f(dir.filePath(existing));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("old");
        }
        // The user: types the name and presses Enter in the dialog; answers the replace question Yes.
        QString question;
        bool typedIt = false;
        QTimer user;
        user.setInterval(20);
        connect(&user, &QTimer::timeout, this, [&] {
            QWidget *modal = QApplication::activeModalWidget();
            if (auto *box = qobject_cast<QMessageBox *>(modal)) {
                question = box->text();
                box->button(QMessageBox::Yes) ? box->button(QMessageBox::Yes)->click() : box->accept();
            } else if (auto *d = qobject_cast<QFileDialog *>(modal); d && !typedIt) {
                auto *edit = d->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
                if (!edit) return;
                typedIt = true;
                edit->setText(typed);
                // Later, not in this tick: Enter opens the question's own event loop, where this timer
                // (still in its slot) would not fire again to answer it.
                QTimer::singleShot(0, edit, [edit] { QTest::keyClick(edit, Qt::Key_Return); });
            }
        });
        user.start();
        const QString path = ask::saveFileName(nullptr, QStringLiteral("Save"), dir.filePath(QStringLiteral("model") + suffix),
                                               QStringLiteral("Files (*%1)").arg(suffix), suffix);
        user.stop();
        QVERIFY(typedIt);
        QCOMPARE(!question.isEmpty(), asks);
        if (asks) QVERIFY2(question.contains(chosen), qPrintable(question));
        QCOMPARE(QFileInfo(path).fileName(), chosen);
        QCOMPARE(QFileInfo(path).absolutePath(), QFileInfo(dir.path()).absoluteFilePath());
    }
};

QTEST_MAIN(TestSaveDialog)
#include "tst_ui_savedialog.moc"
