// `aelab --fresh` neither reads nor writes the stored settings (ui/files/ThrowawaySettings.h): a tester's
// "Don't ask again", ticked in a --fresh run, was stored and silenced the question in every later run.
#include "ui/files/ThrowawaySettings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

class TestFreshSettings : public QObject {
    Q_OBJECT
private slots:
    void theUsersSettingsAreNeitherReadNorWritten()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("AutoencoderLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("aelab"));
        QTemporaryDir user, throwaway;
        QVERIFY(user.isValid() && throwaway.isValid());
        // The user's settings, as a normal run stores them.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, user.path());
        QString userFile;
        {
            QSettings q;
            q.setValue(QStringLiteral("files/askToSave"), false);
            q.setValue(QStringLiteral("files/dir"), QStringLiteral("/lectures"));
            q.sync();
            userFile = q.fileName();
        }
        QVERIFY2(userFile.startsWith(user.path()), qPrintable(userFile));
        QFile f(userFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();

        ael::ui::useThrowawaySettings(throwaway.path());
        {
            QSettings q;
            QVERIFY2(q.fileName().startsWith(throwaway.path()), qPrintable(q.fileName()));
            QVERIFY(!q.contains(QStringLiteral("files/askToSave")));  // not read: the question is asked
            QCOMPARE(q.value(QStringLiteral("files/askToSave"), true).toBool(), true);
            q.setValue(QStringLiteral("files/askToSave"), false);  // "Don't ask again" in this run
            q.setValue(QStringLiteral("data/idxDir"), QStringLiteral("/tmp"));
        }
        QVERIFY(QSettings().value(QStringLiteral("files/askToSave"), true).toBool() == false);  // for the rest of the run
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);  // the user's file as it was
        f.close();
        QCOMPARE(QDir(user.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList{QStringLiteral("AutoencoderLabTest")});
    }
};

QTEST_GUILESS_MAIN(TestFreshSettings)
#include "tst_ui_freshsettings.moc"
