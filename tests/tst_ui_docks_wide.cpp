// The window on a wide screen (1920 × 1080, where the Draw and Inside docks open on the right, beside the
// views): however the docks are opened, the central views keep 45 % of the window's width. The Draw panel
// would take a thousand pixels if it could, and opening the PCA column beside the controls used to hand
// it that room: the two scatter plots became slivers 60 px wide on a 1080p projector.
#include "ui/lessons/LessonPanel.h"
#include "WindowTestKit.h"

#include <QAction>
#include <QDockWidget>
#include <QLabel>
#include <QScopeGuard>
#include <QScreen>
#include <QTemporaryDir>

using namespace windowtest;

namespace {
/// The window at the size a maximised one has on the 1920 × 1080 screen, shown.
bool showFullHd(MainWindow &w)
{
    w.resize(1920, 1040);
    w.show();
    return QTest::qWaitForWindowExposed(&w);
}
}  // namespace

class TestUiDocksWide : public QObject {
    Q_OBJECT
public:
    /// Before the application exists: an offscreen screen as wide as a 1080p projector's.
    static void initMain()
    {
        static QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("screen.json"));
        QFile f(config);
        if (!f.open(QIODevice::WriteOnly) ||
            f.write(R"({"screens":[{"name":"wide","x":0,"y":0,"width":1920,"height":1080,"logicalDpi":96,"logicalBaseDpi":96,"dpr":1}]})") < 0)
            qFatal("cannot write the screen configuration");
        f.close();
        qputenv("QT_QPA_PLATFORM", ("offscreen:configfile=" + config).toLocal8Bit());
    }

private slots:
    void initTestCase()
    {
        setUp("tst_ui_docks_wide");
        QVERIFY2(QGuiApplication::primaryScreen()->availableSize().width() >= 1920,
                 "the offscreen platform did not take the wide screen");
    }

    void centralViewsKeepTheirShare_data()
    {
        QTest::addColumn<QStringList>("docks");  // opened in this order, as from the tool bar
        QTest::newRow("draw") << QStringList{"draw"};
        QTest::newRow("pca then draw") << QStringList{"pca", "draw"};
        QTest::newRow("draw then pca") << QStringList{"draw", "pca"};
        QTest::newRow("draw, inside, pca") << QStringList{"draw", "inside", "pca"};
        QTest::newRow("inside then draw") << QStringList{"inside", "draw"};
        QTest::newRow("pca, draw, inside") << QStringList{"pca", "draw", "inside"};
    }

    void centralViewsKeepTheirShare()
    {
        QFETCH(QStringList, docks);
        MainWindow w(testOptions());
        QVERIFY(showFullHd(w));
        for (const QString &name : docks) {
            QDockWidget *d = name == QLatin1String("draw") ? w.drawDock() : name == QLatin1String("inside") ? w.insideDock() : w.pcaDock();
            d->toggleViewAction()->trigger();
            QTest::qWait(50);
        }
        QCoreApplication::processEvents();
        QTest::qWait(100);
        QVERIFY(w.drawDock()->isVisible());
        QCOMPARE(w.dockWidgetArea(w.drawDock()), Qt::RightDockWidgetArea);  // the wide screen's placement
        const int central = w.centralWidget()->width(), window = w.width();
        QVERIFY2(20 * central >= 9 * window - 40,
                 qPrintable(QStringLiteral("central views %1 px of a %2 px window (Draw dock %3 px)").arg(central).arg(window).arg(w.drawDock()->width())));
        // The dock is still usable: no narrower than it can be laid out.
        QVERIFY(w.drawDock()->width() >= w.drawDock()->minimumSizeHint().width());
    }

    // Presenting a lesson on a 1920-px window, the lesson's column had the 430 px its panel asked for: the
    // 24-px text ran ~25 characters a line and scrolled, and the demo's captions fitted down to 13 px. It
    // takes 3/10 of the window now, whether the lesson or presentation mode comes first.
    void presentingALessonWidensItsColumn_data()
    {
        QTest::addColumn<bool>("presentFirst");
        QTest::newRow("F5, then the lesson") << true;
        QTest::newRow("the lesson, then F5") << false;
    }
    void presentingALessonWidensItsColumn()
    {
        QFETCH(bool, presentFirst);
        MainWindow w(testOptions());
        const auto normalAgain = qScopeGuard([&w] { w.setPresentation(false); });
        QVERIFY(showFullHd(w));
        auto *lesson5 = w.findChild<QAction *>(QStringLiteral("lesson5"));
        QVERIFY(lesson5);
        if (presentFirst) w.setPresentation(true);
        lesson5->trigger();
        if (!presentFirst) {
            QTest::qWait(100);
            QVERIFY(w.lessonDock()->width() < w.width() * 3 / 10);  // the panel's own width, without the mode
            w.setPresentation(true);
        }
        QTRY_VERIFY2(w.lessonDock()->width() >= w.width() * 3 / 10 - 2,
                     qPrintable(QStringLiteral("lesson column %1 px of %2").arg(w.lessonDock()->width()).arg(w.width())));
        QVERIFY(20 * w.centralWidget()->width() >= 9 * w.width() - 40);  // the views keep 45 %
        w.worker()->pause();
    }

    // Lesson 2 says to watch the principal angles in the PCA panel. Presenting it at 1920 × 1080, the panel
    // sat below the lesson text in the left column, its three plots 10 px tall each. On a wide screen it is a
    // tab of the right-hand column now, in front, as tall as the window and wide enough for its titles.
    void presentingLesson2ShowsThePcaPanel()
    {
        MainWindow w(testOptions());
        const auto normalAgain = qScopeGuard([&w] { w.setPresentation(false); });
        QVERIFY(showFullHd(w));
        w.setPresentation(true);
        w.findChild<QAction *>(QStringLiteral("lesson2"))->trigger();
        QTRY_VERIFY(w.pcaDock()->isVisible());
        QTest::qWait(100);
        QCOMPARE(w.dockWidgetArea(w.pcaDock()), Qt::RightDockWidgetArea);
        QVERIFY(!w.pcaDock()->visibleRegion().isEmpty());  // in front of its tab group
        QVERIFY2(w.pcaDock()->height() >= w.centralWidget()->height() * 9 / 10, qPrintable(QString::number(w.pcaDock()->height())));
        QVERIFY2(w.pcaDock()->width() >= 360, qPrintable(QString::number(w.pcaDock()->width())));
        QVERIFY(20 * w.centralWidget()->width() >= 9 * w.width() - 40);
        w.worker()->pause();
    }

    // Lesson 4 says "move the sparsity weight slider", but presenting hides the controls (the views get their
    // width): the slider was a menu and a hidden tab away. On a wide screen a lesson on a variant with knobs
    // shows the controls below the lesson, only the variant and its knobs; a lesson without knobs hides them
    // again, and in normal mode they are the window's, whatever lesson follows.
    void presentingASparseLessonShowsItsSlider()
    {
        MainWindow w(testOptions());
        const auto normalAgain = qScopeGuard([&w] { w.setPresentation(false); });
        QVERIFY(showFullHd(w));
        auto *controls = w.findChild<QDockWidget *>(QStringLiteral("controlsDock"));
        QVERIFY(controls);
        w.findChild<QAction *>(QStringLiteral("lesson4"))->trigger();
        w.setPresentation(true);  // the lesson first, then F5 (as --lesson 4 --presentation)
        QTRY_VERIFY(controls->isVisible() && !controls->visibleRegion().isEmpty());
        QCOMPARE(w.dockWidgetArea(controls), w.dockWidgetArea(w.lessonDock()));
        QVERIFY(!w.lessonDock()->visibleRegion().isEmpty());  // both: the slider below the lesson
        auto *weight = w.controls()->findChild<QWidget *>(QStringLiteral("sparsityWeight"));
        QVERIFY(weight);
        QTRY_VERIFY(weight->isVisible() && !weight->visibleRegion().isEmpty());

        w.findChild<QAction *>(QStringLiteral("lesson1"))->trigger();  // undercomplete: no knobs
        QTRY_VERIFY(!controls->isVisible());
        w.findChild<QAction *>(QStringLiteral("lesson4"))->trigger();
        QTRY_VERIFY(controls->isVisible());
        w.setPresentation(false);
        w.findChild<QAction *>(QStringLiteral("lesson1"))->trigger();
        QTest::qWait(50);
        QVERIFY(!controls->isHidden());  // normal mode: the window's controls stay
        w.worker()->pause();
    }

    // The rule above is for a window as wide as the screen. The window opens at 1280 × 720 on a 1080p screen,
    // and presenting lesson 7 there put the controls below the lesson and its demo: the column left the lesson
    // two lines of its title and none of its text. A window under 1,700 px presents as one on a 1280-px
    // screen does, whatever the screen: the lesson and its demo, the controls a View ▸ Controls away.
    void presentingInALaptopSizedWindowLeavesTheLessonItsText_data()
    {
        QTest::addColumn<int>("lesson");
        QTest::newRow("lesson 4, sparse") << 4;
        QTest::newRow("lesson 7, variational") << 7;
    }
    void presentingInALaptopSizedWindowLeavesTheLessonItsText()
    {
        QFETCH(int, lesson);
        MainWindow w(testOptions());
        const auto normalAgain = qScopeGuard([&w] { w.setPresentation(false); });
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setPresentation(true);
        w.findChild<QAction *>(QStringLiteral("lesson%1").arg(lesson))->trigger();
        QTest::qWait(200);
        QVERIFY(w.width() < 1700);
        const QLabel *text = w.lessonPanel()->textLabel();
        QTRY_VERIFY2(text->visibleRegion().boundingRect().height() >= 3 * text->fontMetrics().lineSpacing(),
                     qPrintable(QStringLiteral("%1 px of the lesson's text visible").arg(text->visibleRegion().boundingRect().height())));
        QVERIFY(!w.findChild<QDockWidget *>(QStringLiteral("controlsDock"))->isVisible());
        // Made full-HD wide while presenting (F11): the controls come below the lesson; narrow again, they go.
        auto *controls = w.findChild<QDockWidget *>(QStringLiteral("controlsDock"));
        w.resize(1920, 1040);
        QTRY_VERIFY(controls->isVisible());
        QCOMPARE(w.dockWidgetArea(controls), w.dockWidgetArea(w.lessonDock()));
        w.resize(1280, 720);
        QTRY_VERIFY(!controls->isVisible());
        w.worker()->pause();
    }
};

QTEST_MAIN(TestUiDocksWide)
#include "tst_ui_docks_wide.moc"
