// The question before a trained model with unsaved steps is thrown away (Discard / Save session… / Cancel,
// "don't ask again"): on reset, quit, leaving one's own run for a lesson, a switch of the data set, an
// architecture applied and a variant's default taken — and, when the model is saved, none.
#include "core/io/SessionFile.h"
#include "ui/files/WindowFiles.h"
#include "ui/window/ControlPanel.h"
#include "ui/window/MainWindow.h"
#include "WindowTestKit.h"

#include <QDockWidget>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

using namespace windowtest;

class TestUiUnsaved : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        setUp("tst_ui_unsaved");
        g_recordSaveQuestion = true;
    }
    void init() { forgetQuestions(); }
    void cleanupTestCase() { QSettings().clear(); }

    void unsavedModelAsksOnResetAndQuit()
    {
        QTemporaryDir dir;
        {
            MainWindow w(testOptions());
            useSmallModel(w);
            w.show();
            QVERIFY(trainTo(w, 900));
            w.resetAction()->trigger();  // below 1000 steps: no question
            QCOMPARE(g_asked.size(), 0);
            QVERIFY(trainTo(w, kAskToSaveAfterSteps));
            g_answer = 2;  // Cancel
            const quint64 run = w.runId();
            w.resetAction()->trigger();
            QCOMPARE(g_asked.size(), 1);
            QCOMPARE(g_asked.front().buttons, (QStringList{"Discard", "Save session…", "Cancel"}));
            QCOMPARE(g_asked.front().text, QStringLiteral("The model has trained 1,000 steps and was never saved. Resetting throws it away."));
            QCOMPARE(w.runId(), run);
            QVERIFY(!w.close());
            QCOMPARE(g_asked.size(), 2);
            // Saved: no question, the reset happens.
            QString why;
            QVERIFY(w.saveSessionTo(dir.filePath(QStringLiteral("s.safetensors")), &why));
            w.resetAction()->trigger();
            QCOMPARE(g_asked.size(), 2);
            QVERIFY(w.runId() > run);
            // Saved, then trained on: the question counts the steps since the save (it said "trained 1,300
            // steps and was not saved since", as if the save had not been).
            QVERIFY(trainTo(w, kAskToSaveAfterSteps));
            QVERIFY(w.saveModelTo(dir.filePath(QStringLiteral("m.safetensors")), &why));
            QVERIFY(trainTo(w, kAskToSaveAfterSteps + 300));
            g_answer = 2;
            QVERIFY(!w.close());
            QCOMPARE(g_asked.size(), 3);
            QCOMPARE(g_asked.back().text, QStringLiteral("The model has trained 300 steps since it was last saved or opened (at step 1,000). "
                                                       "Quitting throws them away."));
            g_answer = 0;  // Discard: a new run
            w.resetAction()->trigger();
            QCOMPARE(g_asked.size(), 4);
            // "Save session…" on quit: the file is written, then the window closes.
            QVERIFY(trainTo(w, kAskToSaveAfterSteps));
            g_answer = 1;
            const QString quitPath = dir.filePath(QStringLiteral("on-quit.safetensors"));
            ask::setFileHandler([&](const QString &, bool save) { return save ? quitPath : QString(); });
            QVERIFY(w.close());
            QCOMPARE(g_asked.size(), 5);
            QCOMPARE(ael::loadSession(quitPath.toStdString()).info.step, kAskToSaveAfterSteps);
        }
        {
            MainWindow w(testOptions());
            useSmallModel(w);
            w.show();
            QVERIFY(trainTo(w, kAskToSaveAfterSteps));
            g_answer = 0;  // Discard, and don't ask again
            ask::setCheckAnswer(true);
            QVERIFY(w.close());
            QCOMPARE(g_asked.size(), 6);
            QCOMPARE(QSettings().value(QLatin1String(kAskToSaveKey)).toBool(), false);
        }
        {
            MainWindow w(testOptions());
            useSmallModel(w);
            w.show();
            QVERIFY(trainTo(w, kAskToSaveAfterSteps));
            const quint64 run = w.runId();
            w.resetAction()->trigger();
            QVERIFY(w.runId() > run);
            QVERIFY(w.close());
            QCOMPARE(g_asked.size(), 6);  // not asked again
        }
        {
            // File ▸ Ask to save… undoes "Don't ask again" (before: nothing did).
            MainWindow w(testOptions());
            useSmallModel(w);
            w.show();
            auto *again = w.findChild<QAction *>(QStringLiteral("askToSaveAction"));
            QVERIFY(again);
            QMenu *file = w.menuBar()->actions().value(0)->menu();
            QVERIFY(file);
            emit file->aboutToShow();
            QVERIFY(!again->isChecked());
            again->trigger();
            QVERIFY(again->isChecked());
            QVERIFY(trainTo(w, kAskToSaveAfterSteps));
            g_answer = 0;
            ask::setCheckAnswer(false);
            QVERIFY(w.close());
            QCOMPARE(g_asked.size(), 7);
        }
        QSettings().remove(QLatin1String(kAskToSaveKey));
    }

    // A student's own run of 1,800 steps, then Ctrl+1 (or Page Down, which a focused slider does not keep): the
    // lesson started and the run was gone, unasked. Leaving one's own run for a lesson asks as Reset does;
    // moving between lessons does not (the lecturer, in front of the class).
    void leavingOwnRunForALessonAsks()
    {
        MainWindow w(testOptions());
        useSmallModel(w);
        w.show();
        QVERIFY(trainTo(w, kAskToSaveAfterSteps));
        const quint64 run = w.runId();
        g_answer = 2;  // Cancel
        w.findChild<QAction *>(QStringLiteral("lesson1"))->trigger();
        QCOMPARE(g_asked.size(), 1);
        QCOMPARE(g_asked.front().text, QStringLiteral("The model has trained 1,000 steps and was never saved. Opening lesson 1 throws it away."));
        QCOMPARE(w.runId(), run);
        QCOMPARE(w.currentLesson(), -1);
        w.findChild<QAction *>(QStringLiteral("nextLesson"))->trigger();
        QCOMPARE(g_asked.size(), 2);
        QCOMPARE(w.runId(), run);
        g_answer = 0;  // Discard: the lesson opens
        w.findChild<QAction *>(QStringLiteral("lesson1"))->trigger();
        QCOMPARE(g_asked.size(), 3);
        QCOMPARE(w.currentLesson(), 0);
        QTRY_VERIFY(w.runId() > run);
        // Between lessons: no question, however long the lesson's run.
        QVERIFY(trainMore(w, kAskToSaveAfterSteps));
        w.findChild<QAction *>(QStringLiteral("nextLesson"))->trigger();
        QCOMPARE(w.currentLesson(), 1);
        QCOMPARE(g_asked.size(), 3);
        // The lesson panel still open, a run of one's own (Ctrl+R: a new run) is not the lesson's: Page Down asks.
        QVERIFY(trainMore(w, kAskToSaveAfterSteps));
        w.resetAction()->trigger();  // Discard
        QCOMPARE(g_asked.size(), 4);
        QVERIFY(w.lessonDock()->isVisible());
        QVERIFY(trainMore(w, kAskToSaveAfterSteps));
        const quint64 own = w.runId();
        g_answer = 2;
        w.findChild<QAction *>(QStringLiteral("nextLesson"))->trigger();
        QCOMPARE(g_asked.size(), 5);
        QCOMPARE(w.runId(), own);
        QCOMPARE(w.currentLesson(), 1);
    }

    // Three more ways to a new run threw a trained model away with a question that offered no way to save it
    // ("Switch the data set?", "Reset the model?", "Use the sparse default?": Switch / Reset, Cancel). With
    // unsaved steps they now ask the question Reset asks, which says what is thrown away and offers to save.
    void everyNewRunAsksToSave()
    {
        QTemporaryDir dir;
        MainWindow w(testOptions());
        useSmallModel(w);
        w.show();
        QVERIFY(trainTo(w, kAskToSaveAfterSteps));
        const quint64 run = w.runId();
        const QStringList saveButtons{"Discard", "Save session…", "Cancel"};
        const QString unsaved = QStringLiteral("The model has trained 1,000 steps and was never saved. ");

        // The data set: Cancel keeps the run, the digits and the combo box's choice.
        g_answer = 2;
        auto *data = control<QComboBox>(w, "dataSource");
        if (const int fashion = data->findData(QStringLiteral("fashion")); fashion >= 0) choose(data, fashion);
        else emit w.controls()->dataSourceRequested(QStringLiteral("fashion"));  // not installed: the request as the combo box sends it
        QCOMPARE(g_asked.size(), 1);
        QCOMPARE(g_asked.back().buttons, saveButtons);
        QVERIFY2(g_asked.back().text.startsWith(unsaved + "Switching to ") && g_asked.back().text.endsWith(" throws it away."),
                 qPrintable(g_asked.back().text));
        QCOMPARE(w.runId(), run);
        QCOMPARE(w.data()->id, QStringLiteral("mnist"));
        QCOMPARE(data->currentData().toString(), QStringLiteral("mnist"));

        // An architecture: one question (not also the panel's "Reset the model?"). Cancel keeps the model.
        control<QLineEdit>(w, "hiddenWidths")->setText(QStringLiteral("32"));
        const QString spec = QString::fromStdString(w.controls()->editedArchitecture().spec());
        QCOMPARE(spec, QStringLiteral("784-32-[16]-32-784"));
        auto *apply = control<QPushButton>(w, "applyArchitecture");
        QVERIFY(apply->isEnabled());
        apply->click();
        QCOMPARE(g_asked.size(), 2);
        QCOMPARE(g_asked.back().buttons, saveButtons);
        QCOMPARE(g_asked.back().text,
                 unsaved + QStringLiteral("Changing the architecture to %1 (seed %2) throws it away.").arg(spec).arg(w.controls()->seed()));
        QCOMPARE(w.runId(), run);
        QCOMPARE(w.worker()->engineArchitecture().spec(), std::string("784-[16]-784"));
        // Save session…: the session is written, then the new model starts.
        g_answer = 1;
        const QString path = dir.filePath(QStringLiteral("before-the-change.safetensors"));
        ask::setFileHandler([&](const QString &, bool save) { return save ? path : QString(); });
        apply->click();
        QCOMPARE(g_asked.size(), 3);
        QTRY_VERIFY(w.runId() > run);
        QCOMPARE(w.controls()->architecture().spec(), std::string("784-32-[16]-32-784"));
        const ael::LoadedSession saved = ael::loadSession(path.toStdString());
        QCOMPARE(saved.info.step, kAskToSaveAfterSteps);
        QCOMPARE(saved.model.arch.spec(), std::string("784-[16]-784"));

        // A variant's default: the panel's question (Reset to the default / Keep this model / Cancel), then,
        // for a reset, the question about the unsaved model; Cancel there puts the variant back.
        QVERIFY(trainTo(w, kAskToSaveAfterSteps));
        const quint64 second = w.runId();
        QList<int> answers{0, 2};  // "Reset to …", then Cancel
        ask::setHandler([&](const QString &title, const QString &text, const QStringList &buttons) {
            g_asked.push_back({title, text, buttons});
            return answers.isEmpty() ? 2 : answers.takeFirst();
        });
        const auto kitHandler = qScopeGuard([] { setUp("tst_ui_unsaved"); });  // also when a check fails
        auto *variant = control<QComboBox>(w, "variant");
        const int undercomplete = variant->currentIndex();
        choose(variant, variant->findData(int(ael::Variant::Sparse)));
        QCOMPARE(g_asked.size(), 5);
        QVERIFY2(g_asked[3].buttons.value(0).startsWith(QStringLiteral("Reset to")), qPrintable(g_asked[3].buttons.join('|')));
        QCOMPARE(g_asked[4].buttons, saveButtons);
        QCOMPARE(g_asked[4].text, unsaved + QStringLiteral("Resetting to the sparse default throws it away."));
        QCOMPARE(w.runId(), second);
        QCOMPARE(variant->currentIndex(), undercomplete);
        QCOMPARE(w.controls()->settings().variant, ael::Variant::Undercomplete);
        answers = {0, 0};  // "Reset to …", then Discard
        choose(variant, variant->findData(int(ael::Variant::Sparse)));
        QCOMPARE(g_asked.size(), 7);
        QTRY_VERIFY(w.runId() > second);
        QCOMPARE(w.controls()->settings().variant, ael::Variant::Sparse);
    }
};

QTEST_MAIN(TestUiUnsaved)
#include "tst_ui_unsaved.moc"
