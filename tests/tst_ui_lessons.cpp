// The lessons in the window (the table itself: tst_ui_lessontable): each lesson applied in a real window puts its configuration into the ENGINE (read back from the training
// thread) and trains 300 steps to a test MSE below predicting the mean image; Page Up / Page Down and Ctrl+N
// move between lessons from a view or a slider; `aelab --lesson` rejects 0, 9 and x; lesson 3 copies noise.
#include "core/data/Catalog.h"
#include "core/data/Dataset.h"
#include "core/nn/Model.h"
#include "core/pca/Subspace.h"
#include "core/train/Trainer.h"
#include "ui/lessons/LessonDemo.h"
#include "ui/lessons/LessonPanel.h"
#include "ui/lessons/Lessons.h"
#include "ui/lessons/demos/NoiseCopyDemo.h"
#include "ui/training/DataBundle.h"
#include "ui/views/LossChartView.h"
#include "ui/widgets/Ask.h"
#include "ui/widgets/Palette.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/window/ControlPanel.h"
#include "ui/window/MainWindow.h"
#include "LessonsTestKit.h"

#include <QSlider>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QScrollBar>
#include <QLayout>
#include <QScrollArea>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

namespace {
constexpr int kPatience = 900000;  // a wait ends at its event; this bound only catches a hang (sanitizers: ~10× slower)

/// Per-pixel MSE of predicting every test image by the mean training image.
double meanImageBaseline(const ael::Dataset &train, const ael::Dataset &test)
{
    std::vector<double> mean(size_t(train.dim()), 0.0);
    for (int n = 0; n < train.size(); ++n)
        for (int i = 0; i < train.dim(); ++i) mean[size_t(i)] += train.image(n)[i] / 255.0 / train.size();
    double sum = 0;
    for (int n = 0; n < test.size(); ++n)
        for (int i = 0; i < test.dim(); ++i) sum += std::pow(test.image(n)[i] / 255.0 - mean[size_t(i)], 2);
    return sum / (double(test.size()) * test.dim());
}

}  // namespace

class TestLessons : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void applyLesson_data();
    void applyLesson();
    void keysMoveBetweenLessons();
    void presentationEnlargesText();
    void lessonTextWholeBesideADockBelow();
    void demoGetsTheSpareHeight();
    void largerTextScalesTheLesson();
    void lessonFlag_data();
    void lessonFlag();
    void lessonThreeCopiesNoise();

private:
    std::unique_ptr<MainWindow> m_w;
    QStringList m_asked;
};

void TestLessons::initTestCase()
{
    ask::setHandler([this](const QString &title, const QString &, const QStringList &) {
        m_asked << title;
        return 0;
    });
    MainWindow::Options o;
    o.restoreSettings = false;
    o.worker.testIntervalMs = 250;  // the test MSE at step ≥ 300 sooner (it is what the test waits for)
    m_w = std::make_unique<MainWindow>(o);
    m_w->resize(1280, 720);
    m_w->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
    QTRY_VERIFY_WITH_TIMEOUT(m_w->snapshotsApplied() > 0, kPatience);
}

void TestLessons::cleanupTestCase()
{
    m_w.reset();
    ask::setHandler({});
}

void TestLessons::applyLesson_data()
{
    QTest::addColumn<int>("index");
    for (const Lesson &l : builtinLessons()) QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(l.number).arg(l.id))) << l.number - 1;
}

void TestLessons::applyLesson()
{
    QFETCH(int, index);
    MainWindow &w = *m_w;
    const Lesson &l = builtinLessons()[size_t(index)];
    const QJsonObject raw = lessonstest::rawLessons().at(index).toObject();
    const QJsonObject rawSettings = raw.value(QLatin1String("settings")).toObject();

    QVector<Snapshot> seen;
    const QMetaObject::Connection c = connect(&w, &MainWindow::snapshotApplied, this, [&](const Snapshot &s) { seen << s; });
    const auto unhook = qScopeGuard([c] { disconnect(c); });  // also when a check fails: `seen` goes with this scope
    const quint64 before = w.runId();
    w.applyLesson(index);
    QCOMPARE(w.currentLesson(), index);
    QVERIFY(w.runId() != before);  // a fresh run
    QVERIFY(w.lessonDock()->isVisible());
    // Its number in the dock's title (and tab), its title as the heading; the View menu's entry keeps its name.
    QCOMPARE(w.lessonDock()->windowTitle(), QStringLiteral("Lesson %1 of 8").arg(index + 1));
    QCOMPARE(w.lessonPanel()->titleLabel()->text(), l.title);
    QCOMPARE(w.lessonDock()->toggleViewAction()->text(), QStringLiteral("Show lesson panel"));
    QCOMPARE(w.lessonPanel()->formulaText().simplified(), raw.value(QLatin1String("formula")).toString().simplified());
    std::unique_ptr<LessonDemo> probe(makeLessonDemo(l.demo));
    QCOMPARE(w.lessonPanel()->demo() != nullptr, probe != nullptr);

    // The engine (trainer thread) has the lesson's configuration.
    TrainingWorker &e = *w.worker();
    QTRY_VERIFY_WITH_TIMEOUT(e.engineRunId() == w.runId() && e.engineStep() > 0, kPatience);
    QCOMPARE(e.engineDataId(), raw.value(QLatin1String("data")).toString());
    const ael::Architecture a = e.engineArchitecture();
    QCOMPARE(QString::fromStdString(a.spec()), raw.value(QLatin1String("arch")).toString());
    QCOMPARE(a.hidden, l.arch.hidden);
    QCOMPARE(a.codeActivation, l.arch.codeActivation);
    QCOMPARE(a.output, l.arch.output);
    QCOMPARE(a.tied, l.arch.tied);
    const QJsonObject acts = raw.value(QLatin1String("activations")).toObject();
    if (acts.contains(QLatin1String("code")))
        QCOMPARE(QString::fromLatin1(ael::toString(a.codeActivation)), acts.value(QLatin1String("code")).toString());
    const ael::TrainSettings s = e.engineSettings(), want = l.settings;
    QCOMPARE(QString::fromLatin1(ael::toString(s.variant)), raw.value(QLatin1String("variant")).toString());
    QCOMPARE(s.loss, want.loss);
    QCOMPARE(s.optimizer, want.optimizer);
    QCOMPARE(s.opt.learningRate, want.opt.learningRate);
    if (rawSettings.contains(QLatin1String("learningRate")))
        QCOMPARE(s.opt.learningRate, rawSettings.value(QLatin1String("learningRate")).toDouble());
    if (rawSettings.contains(QLatin1String("batchSize"))) QCOMPARE(s.batchSize, rawSettings.value(QLatin1String("batchSize")).toInt());
    QCOMPARE(s.batchSize, want.batchSize);
    QCOMPARE(s.corruption.kind, want.corruption.kind);
    QCOMPARE(s.corruption.rate, want.corruption.rate);
    QCOMPARE(s.sparsity, want.sparsity);
    QCOMPARE(s.sparsityWeight, want.sparsityWeight);
    QCOMPARE(s.sparsityTarget, want.sparsityTarget);
    QCOMPARE(s.contractiveLambda, want.contractiveLambda);
    QCOMPARE(s.beta, want.beta);
    if (s.variant == ael::Variant::Variational) QVERIFY(a.variational);

    // The docks it needs are open (those this build has), with the named tab in front. The lesson stays
    // on the screen; a dock sharing its column goes below it where it fits (the code activations, at
    // 1280×720), else it is the tab behind the lesson (the PCA panel).
    QTRY_VERIFY(!w.lessonDock()->visibleRegion().isEmpty());
    for (const QString &entry : l.docks) {
        auto *dock = w.findChild<QDockWidget *>(lessonDockName(entry));
        if (!dock) continue;
        QVERIFY2(dock->isVisible() || w.tabifiedDockWidgets(w.lessonDock()).contains(dock), qPrintable(entry));
        if (lessonDockName(entry) == QLatin1String("insideDock"))
            QTRY_VERIFY2(!dock->visibleRegion().isEmpty() && !w.lessonDock()->visibleRegion().isEmpty(), qPrintable(entry));
        if (auto *tabs = qobject_cast<QTabWidget *>(dock->widget()); tabs && !lessonDockTab(entry).isEmpty())
            QCOMPARE(tabs->tabText(tabs->currentIndex()).remove(QLatin1Char('&')), lessonDockTab(entry));
    }

    // It trains: 300 steps, then a test evaluation at or after step 300.
    QVERIFY(e.isPlaying());
    const quint64 run = w.runId();
    QTRY_VERIFY_WITH_TIMEOUT(!e.isPlaying() || (!seen.isEmpty() && seen.back().runId == run && seen.back().testStep >= 300),
                             kPatience);
    QVERIFY2(e.isPlaying(), "training stopped before step 300 (a divergence stops it)");
    // A linear autoencoder with MSE: the decoder's columns come to span the PCA-k subspace.
    const bool linear = a.hidden == ael::ActivationKind::Linear && a.codeActivation == ael::ActivationKind::Linear &&
                        a.output == ael::ActivationKind::Linear && a.encoderHidden.empty() && a.code < a.input;
    double angle = 90;
    if (linear && s.loss == ael::LossKind::MSE) {
        QTRY_VERIFY_WITH_TIMEOUT(w.data()->pca() != nullptr, kPatience);
        const ael::Matrix pcs = w.data()->pca()->pca.components(a.code);
        auto largestAngle = [&] {
            const Snapshot &now = seen.back();
            if (!now.model || now.runId != run) return 90.0;
            return angle = ael::largestPrincipalAngleDeg(ael::MatRefF(now.model->denseDecoder(0)->weight().value), ael::MatRefF(pcs));
        };
        QTRY_VERIFY_WITH_TIMEOUT(largestAngle() < 10.0, kPatience);
        qInfo("lesson %d: largest principal angle to PCA-%d %.2f° at step %lld", index + 1, a.code, angle,
              (long long)seen.back().step);
    }
    e.pause();
    int losses = 0;
    for (const Snapshot &snap : std::as_const(seen)) {
        if (snap.runId != run) continue;
        QVERIFY2(snap.message.isEmpty(), qPrintable(snap.message));  // a divergence report
        for (const LossPoint &p : snap.losses) {
            ++losses;
            QVERIFY2(std::isfinite(p.reconstruction), qPrintable(QString::number(p.step)));
            for (double t : p.terms) QVERIFY(std::isfinite(t));
        }
    }
    QVERIFY(losses > 0);
    const Snapshot &last = seen.back();
    const double baseline = meanImageBaseline(*w.data()->train, *w.data()->test);
    qInfo("lesson %d (%s): test MSE %.4f at step %lld (PCA-%d %.4f, mean image %.4f)", index + 1, qPrintable(l.id),
          last.testMse, (long long)last.testStep, last.pcaK, last.pcaTestMse, baseline);
    QVERIFY(std::isfinite(last.testMse));
    QVERIFY2(last.testMse < baseline, qPrintable(QStringLiteral("%1 vs %2").arg(last.testMse).arg(baseline)));
    QVERIFY(m_asked.isEmpty());  // no confirmation dialog on the way
}

void TestLessons::keysMoveBetweenLessons()
{
    MainWindow &w = *m_w;
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    w.applyLesson(0);
    QWidget *views[] = {w.latentView(), w.lossView()};
    for (QWidget *view : views) {
        view->setFocusPolicy(Qt::StrongFocus);
        view->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), view);
        const int at = w.currentLesson();
        QTest::keyClick(view, Qt::Key_PageDown);
        QCOMPARE(w.currentLesson(), at + 1);
        QCOMPARE(w.lessonPanel()->lessonNumber(), at + 2);
        QTest::keyClick(view, Qt::Key_PageDown);
        QCOMPARE(w.currentLesson(), at + 2);
        QTest::keyClick(view, Qt::Key_PageUp);
        QCOMPARE(w.currentLesson(), at + 1);
    }
    // A slider or a combo box the lecturer touched keeps its arrows, but the remote's keys turn pages.
    for (const char *name : {"learningRate", "variant"}) {
        QWidget *control = w.controls()->findChild<QWidget *>(QString::fromLatin1(name));
        QVERIFY2(control, name);
        if (auto *inner = control->findChild<QSlider *>()) control = inner;  // a LogSlider's slider (not a combo box popup's scroll bar)
        control->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), control);
        const int at = w.currentLesson();
        QTest::keyClick(control, Qt::Key_PageDown);
        QCOMPARE(w.currentLesson(), at + 1);
        QTest::keyClick(control, Qt::Key_PageUp);
        QCOMPARE(w.currentLesson(), at);
    }
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_7, Qt::ControlModifier);
    QCOMPARE(w.currentLesson(), 6);
    QCOMPARE(QString::fromLatin1(ael::toString(w.controls()->settings().variant)), QStringLiteral("variational"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_8, Qt::ControlModifier);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageDown);  // past the last: stays
    QCOMPARE(w.currentLesson(), 7);
    QVERIFY(!w.lessonPanel()->nextButton()->isEnabled());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_1, Qt::ControlModifier);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageUp);  // before the first: stays
    QCOMPARE(w.currentLesson(), 0);
    QVERIFY(!w.lessonPanel()->previousButton()->isEnabled());
    w.lessonPanel()->nextButton()->click();
    QCOMPARE(w.currentLesson(), 1);
    w.worker()->pause();
}

// Lesson 4's text in a column 600 px wide: a word-wrapped label's minimum size made the scrolled text a 462-px
// page for 273 px of lines, the rest blank, so the lesson scrolled where it had room to spare. The text is as
// tall as its lines; heightToShowAll() is the height at which nothing scrolls (what the window gives the lesson
// beside a dock below it).
void TestLessons::lessonTextWholeBesideADockBelow()
{
    LessonPanel p;
    p.setLesson(builtinLessons()[3], 8);
    p.resize(600, 200);
    p.show();
    QVERIFY(QTest::qWaitForWindowExposed(&p));
    auto *scroll = p.findChild<QScrollArea *>();
    QVERIFY(scroll);
    QWidget *body = scroll->widget();
    const int lines = body->layout()->totalHeightForWidth(body->width());
    QTRY_COMPARE(body->height(), std::max(lines, scroll->viewport()->height()));  // before: 462 for 273
    const int all = p.heightToShowAll(600);
    p.resize(600, all);
    QTRY_COMPARE(scroll->verticalScrollBar()->maximum(), 0);
    QVERIFY(p.watchLabel()->geometry().bottom() <= scroll->viewport()->height());
    p.resize(600, all - 40);
    QTRY_VERIFY(scroll->verticalScrollBar()->maximum() > 0);  // and not more than that
}

// A lesson with a demo (lesson 5: the same x̃ through the denoising and a plain model) in a tall column:
// the height the text does not need went to blank space under it, and the demo stayed at its own hint with
// its captions fitted down to 13 px. Now the demo gets it. Where the text scrolls anyway (a short column),
// the demo still gets 45 % of the height, not only its hint.
void TestLessons::demoGetsTheSpareHeight()
{
    LessonPanel p;
    p.setLesson(builtinLessons()[4], 8);
    QVERIFY(p.demo());
    auto *scroll = p.findChild<QScrollArea *>();
    QVERIFY(scroll);
    QWidget *box = p.demo()->parentWidget();
    p.resize(560, 950);
    p.show();
    QVERIFY(QTest::qWaitForWindowExposed(&p));
    QVERIFY(p.heightToShowAll(560) < 950 - 150);  // room to spare
    QTRY_COMPARE(scroll->verticalScrollBar()->maximum(), 0);  // the whole text
    QVERIFY(p.watchLabel()->geometry().bottom() <= scroll->viewport()->height());
    // No blank band under the text: the demo box starts within a few pixels below the text's last line.
    const int textBottom = scroll->mapTo(&p, QPoint(0, p.watchLabel()->geometry().bottom())).y();
    QVERIFY2(box->geometry().top() - textBottom < 100,
             qPrintable(QStringLiteral("text ends at %1, demo starts at %2").arg(textBottom).arg(box->geometry().top())));
    QVERIFY2(box->height() > box->sizeHint().height() + 100, qPrintable(QString::number(box->height())));

    // A column too short for the text: it scrolls, and the demo has at least 45 % of the height.
    const int shortHeight = p.heightToShowAll(560) - 120;
    p.resize(560, shortHeight);
    QTRY_VERIFY(scroll->verticalScrollBar()->maximum() > 0);
    const int both = scroll->height() + box->height();
    QTRY_VERIFY2(box->height() >= both * 45 / 100 - 2, qPrintable(QStringLiteral("demo %1 of %2").arg(box->height()).arg(both)));
    // heightToShowAll still reports what the text needs, not the demo's extra height.
    p.resize(560, p.heightToShowAll(560));
    QTRY_COMPARE(scroll->verticalScrollBar()->maximum(), 0);
}

// Text ▸ Larger text (the window sets textZoom, then the application font) scales the lesson's text as it
// does the views' and the widgets'; the lesson's own sizes ignored it.
void TestLessons::largerTextScalesTheLesson()
{
    const auto restore = qScopeGuard([] { ael::ui::textZoom() = 1.0; });
    LessonPanel p;
    p.setLesson(builtinLessons()[1], 8);
    p.setPresentation(false);
    const int before = p.textLabel()->font().pixelSize();
    ael::ui::textZoom() = 1.5;
    QEvent changed(QEvent::ApplicationFontChange);
    QApplication::sendEvent(&p, &changed);
    QCOMPARE(p.textLabel()->font().pixelSize(), int(std::lround(before * 1.5)));
    QVERIFY(p.titleLabel()->font().pixelSize() > p.textLabel()->font().pixelSize());
    ael::ui::textZoom() = 1.0;
    QApplication::sendEvent(&p, &changed);
    QCOMPARE(p.textLabel()->font().pixelSize(), before);
}

void TestLessons::presentationEnlargesText()
{
    LessonPanel p;
    QCOMPARE(p.lessonNumber(), 0);  // before the first lesson: Next starts lesson 1
    QVERIFY(p.nextButton()->isEnabled() && !p.previousButton()->isEnabled());
    p.setLesson(builtinLessons().front(), 8);
    QCOMPARE(p.lessonNumber(), 1);
    p.setPresentation(false);
    const int normal = p.textLabel()->font().pixelSize();
    p.setPresentation(true);
    QVERIFY(p.presentation());
    for (QLabel *l : {p.titleLabel(), p.formulaLabel(), p.textLabel(), p.watchLabel()})
        QVERIFY2(l->font().pixelSize() >= 24, qPrintable(l->objectName()));
    QVERIFY(p.formulaLabel()->font().pixelSize() > p.textLabel()->font().pixelSize());
    p.setPresentation(false);
    QCOMPARE(p.textLabel()->font().pixelSize(), normal);
    QVERIFY(normal < 24);
    // The window's presentation switch followed by a re-polish (style change) is enough.
    ael::ui::presentationMode() = true;
    QEvent style(QEvent::StyleChange);
    QApplication::sendEvent(&p, &style);
    ael::ui::presentationMode() = false;
    QVERIFY(p.presentation());
    QVERIFY(p.textLabel()->font().pixelSize() >= 24);
}

void TestLessons::lessonFlag_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("show");       ///< --show, if any
    QTest::addColumn<QString>("frontTab");  ///< a tab the screenshot must report in front, if any
    QTest::addColumn<int>("exitCode");
    QTest::newRow("0") << "0" << "" << "" << 2;
    QTest::newRow("9") << "9" << "" << "" << 2;
    QTest::newRow("x") << "x" << "" << "" << 2;
    QTest::newRow("3 with a screenshot") << "3" << "" << "Lesson 3 of 8" << 0;
    // lesson 1 opens the PCA panel, a tab behind the lesson at 1280×720: the lesson stays in front
    QTest::newRow("1, its PCA tab behind") << "1" << "" << "Lesson 1 of 8" << 0;
    // --show brings its dock to the front of the column it shares with the lesson (the lesson's tab, shown
    // last, used to stay in front)
    QTest::newRow("3, --show pca") << "3" << "pca" << "PCA" << 0;
}

void TestLessons::lessonFlag()
{
    QFETCH(QString, value);
    QFETCH(QString, show);
    QFETCH(QString, frontTab);
    QFETCH(int, exitCode);
    QTemporaryDir dir;
    const QString shot = dir.filePath(QStringLiteral("lesson.png"));
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.path());  // never the user's settings
    p.setProcessEnvironment(env);
    QStringList args{QStringLiteral("--lesson"), value, QStringLiteral("--screenshot"), shot, QStringLiteral("--train-seconds"),
                     QStringLiteral("1"), QStringLiteral("--size"), QStringLiteral("1280x720")};
    if (!show.isEmpty()) args << QStringLiteral("--show") << show;
    p.start(QStringLiteral(AELAB_GUI), args);
    QVERIFY(p.waitForFinished(kPatience));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), exitCode);
    if (exitCode == 2) {
        QVERIFY2(err.contains(QStringLiteral("--lesson")) && err.contains(QStringLiteral("'%1'").arg(value)), qPrintable(err));
        QVERIFY(!QFile::exists(shot));
        return;
    }
    const QImage img(shot);
    QCOMPARE(img.size(), QSize(1280, 720));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(out.contains(QStringLiteral("saved")), qPrintable(err));
    const QRegularExpressionMatch front = QRegularExpression(QStringLiteral("front tabs: ([^\\n]*)")).match(out);
    QVERIFY2(front.hasMatch(), qPrintable(out));
    QVERIFY2(front.captured(1).split(QStringLiteral(", ")).contains(frontTab), qPrintable(front.captured(1)));
}

// Lesson 3 exactly as the table sets it up (architecture, activations, optimizer, rate, batch), trained
// a bounded number of steps: noise in the digits' principal subspace comes out nearly unchanged (under
// 10 % of its variance about the mean image left), the digits almost perfectly.
void TestLessons::lessonThreeCopiesNoise()
{
    const auto &lessons = builtinLessons();
    const auto it = std::find_if(lessons.begin(), lessons.end(), [](const Lesson &l) { return l.demo == "noise-copy"; });
    QVERIFY(it != lessons.end());
    QVERIFY(it->arch.code > it->arch.input);
    QCOMPARE(it->settings.variant, ael::Variant::Overcomplete);
    const std::shared_ptr<DataBundle> data = DataBundle::load(it->dataId);
    data->fitPcaNow();
    constexpr int kSteps = 300;
    ael::Trainer t(it->arch, it->settings, *data->train, 1);
    for (int i = 0; i < kSteps; ++i) QVERIFY(!t.step().diverged);
    Snapshot s;
    s.model = std::make_shared<const ael::Model<float>>(t.model());
    s.settings = std::make_shared<const ael::TrainSettings>(it->settings);
    s.data = data;
    s.step = kSteps;
    NoiseCopyDemo demo;
    demo.resize(420, 260);
    demo.applySnapshot(s);
    QTRY_VERIFY_WITH_TIMEOUT(demo.resultCount() > 0, kPatience);
    qInfo("lesson 3 (%s), %d steps: noise in %d PCs MSE %.5f of %.5f (%.1f %%), raw noise %.4f of %.4f, digits %.5f",
          it->arch.spec().c_str(), kSteps, demo.components(), demo.noiseMse(), demo.noiseBaseline(),
          100 * demo.noiseMse() / demo.noiseBaseline(), demo.rawNoiseMse(), demo.rawNoiseBaseline(), demo.digitMse());
    QVERIFY(demo.noiseBaseline() > 0.01);  // real noise, not a faint smudge
    QVERIFY2(demo.noiseMse() < 0.1 * demo.noiseBaseline(), qPrintable(QString::number(demo.noiseMse())));
    QVERIFY2(demo.digitMse() < 0.005, qPrintable(QString::number(demo.digitMse())));
}

QTEST_MAIN(TestLessons)
#include "tst_ui_lessons.moc"
