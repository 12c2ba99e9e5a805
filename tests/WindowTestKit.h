#pragma once
// Shared by the window's tests: a MainWindow without remembered settings, its controls by object name,
// the questions it asks (answered by g_answer), what the views were last given, "the engine trained on",
// and a small model trained to an exact step.
#include "ui/widgets/Ask.h"
#include "ui/window/ControlPanel.h"
#include "ui/window/MainWindow.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QtTest>

namespace windowtest {

struct Asked {
    QString title, text;
    QStringList buttons;
};
inline QList<Asked> g_asked;
inline int g_answer = 0;  // the button the "user" presses
/// Whether "Save the trained model?" (a run past 1,000 unsaved steps) is recorded and answered g_answer like
/// the others; else it is answered Discard unrecorded, so that a test about another question does not depend
/// on how far a playing run got (tst_ui_unsaved tests this one).
inline bool g_recordSaveQuestion = false;

/// Test mode settings under `app`, cleared; every question recorded in g_asked and answered g_answer.
inline void setUp(const char *app)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("AutoencoderLabTest"));
    QCoreApplication::setApplicationName(QString::fromLatin1(app));
    QSettings().clear();
    ask::setHandler([](const QString &title, const QString &text, const QStringList &buttons) {
        if (!g_recordSaveQuestion && title == QLatin1String("Save the trained model?")) return 0;
        g_asked.push_back({title, text, buttons});
        return g_answer;
    });
}

/// Before each test: no question asked yet, the first button the answer, "don't ask again" unticked, no file chosen.
inline void forgetQuestions()
{
    g_asked.clear();
    g_answer = 0;
    ask::setCheckAnswer(false);
    ask::setFileHandler({});
}

inline MainWindow::Options testOptions()
{
    MainWindow::Options o;
    o.restoreSettings = false;
    return o;
}

template <class W> W *control(MainWindow &w, const char *name)
{
    W *c = w.controls()->findChild<W *>(QLatin1String(name));
    if (!c) qFatal("no control %s", name);
    return c;
}

/// What the views were last given: pictures and codes come only in some Snapshots (when fresh).
struct Seen : QObject {
    explicit Seen(MainWindow &w)
    {
        connect(&w, &MainWindow::snapshotApplied, this, [this](const Snapshot &s) {
            if (!s.latent.isEmpty()) latentAxes = s.latentAxes;
            if (!s.originals.isEmpty()) corrupted = int(s.corrupted.size());
            if (!s.message.isEmpty()) messages << s.message;
        });
    }
    QString latentAxes;
    int corrupted = -1;
    QStringList messages;
};

/// Picks a combo item as the user would (activated is what a click emits).
inline void choose(QComboBox *c, int index)
{
    c->setCurrentIndex(index);
    emit c->activated(index);
}

/// Waits until the engine has trained `more` further steps.
inline bool trainsOn(MainWindow &w, qint64 more = 20, int timeoutMs = 120000)
{
    const qint64 s0 = w.worker()->engineStep();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        QTest::qWait(20);
        if (w.worker()->engineStep() >= s0 + more) return true;
    }
    return false;
}

/// The status bar's message as a user can read it: the whole text, which is the tooltip when the bar
/// shows a shortened one (ui/widgets/StatusMessage.h).
inline QString statusText(MainWindow &w)
{
    return w.statusBar()->toolTip().isEmpty() ? w.statusBar()->currentMessage() : w.statusBar()->toolTip();
}

/// A small, fast model (784-[16]-784), in a new run.
inline void useSmallModel(MainWindow &w)
{
    ael::Architecture a = w.controls()->architecture();
    QVERIFY(ael::Architecture::parseSpec("784-[16]-784", a, nullptr));
    w.controls()->setArchitecture(a);
    w.resetRun();
}

/// Waits until the window shows the engine at rest at `step` with the test MSE of that step.
inline bool idleAt(MainWindow &w, qint64 step)
{
    return QTest::qWaitFor([&] {
        const Snapshot &s = w.lastSnapshot();
        return s.runId == w.runId() && s.step == step && !s.running && s.testStep == step && s.model;
    }, 180000);
}

/// Trains the paused engine to exactly `step` (stepBatches) and waits until the window shows it.
inline bool trainTo(MainWindow &w, qint64 step)
{
    if (!QTest::qWaitFor([&] { return w.worker()->engineRunId() == w.runId(); }, 60000)) return false;  // a reset taken
    w.worker()->stepBatches(int(step - w.worker()->engineStep()));
    return idleAt(w, step);
}

/// Pauses a playing run (a lesson's: a linear model trains thousands of steps a second), then trains `n` more.
inline bool trainMore(MainWindow &w, qint64 n)
{
    w.worker()->pause();
    if (!QTest::qWaitFor([&] {
            const Snapshot &s = w.lastSnapshot();
            return w.worker()->engineRunId() == w.runId() && s.runId == w.runId() && !s.running && s.step == w.worker()->engineStep();
        }, 60000))
        return false;
    return trainTo(w, w.worker()->engineStep() + n);
}

}  // namespace windowtest
