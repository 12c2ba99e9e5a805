// Presentation mode (F5): readable from the back of a hall on a 1280×720 projector — titles ≥ 28 px,
// tick labels ≥ 18 px, thicker lines, secondary controls hidden — and everything back as it was
// when it is left. Nothing may be clipped: the scatter's class legend fits beside a short plot.
#include "PresentationTestKit.h"
#include "ui/lessons/LessonPanel.h"
#include "ui/lessons/Lessons.h"
#include "ui/pca/MseVsKPlot.h"
#include "ui/pca/ScreePlot.h"
#include "ui/widgets/Ask.h"
#include "ui/widgets/MathText.h"
#include "ui/widgets/Palette.h"
#include "ui/widgets/ScatterCanvas.h"
#include "ui/widgets/StatusMessage.h"
#include "ui/views/LossChartView.h"
#include "ui/views/PcaComparisonView.h"
#include "ui/views/StatusPanel.h"
#include "ui/window/ControlPanel.h"
#include "ui/window/MainWindow.h"

#include <QAbstractAxis>
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QLineSeries>
#include <QRegularExpression>
#include <QScrollArea>
#include <QStatusBar>
#include <QtTest>

#include <random>

namespace {

MainWindow::Options testOptions()
{
    MainWindow::Options o;
    o.restoreSettings = false;
    return o;
}

QLabel *lossTitle(LossChartView *v)
{
    return v->findChild<QLabel *>(QStringLiteral("lossTitle"));
}

QStringList visibleGroups(ControlPanel *c)
{
    QStringList out;
    for (QGroupBox *g : c->findChildren<QGroupBox *>())
        if (g->isVisibleTo(c)) out << g->title();
    out.sort();
    return out;
}

/// Pixels of exactly this colour in the image's column range [x0, x1).
int countColour(const QImage &img, QColor c, int x0, int x1)
{
    int n = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = std::max(0, x0); x < std::min(img.width(), x1); ++x)
            if (img.pixelColor(x, y).rgb() == c.rgb()) ++n;
    return n;
}

/// Rows of dark ink in the left half of a dock's title bar (its text; the buttons sit on the right).
int titleInkHeight(QDockWidget *dock)
{
    const QImage img = dock->grab(QRect(0, 0, dock->width() / 2, dock->widget()->y())).toImage();
    int top = -1, bottom = -1;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            if (qGray(img.pixel(x, y)) < 110) {
                if (top < 0) top = y;
                bottom = y;
                break;
            }
    return top < 0 ? 0 : bottom - top + 1;
}

QPushButton *buttonNamed(QWidget *in, const QString &text)
{
    for (QPushButton *b : in->findChildren<QPushButton *>())
        if (b->text() == text) return b;
    return nullptr;
}
}  // namespace

class TestPresentation : public QObject {
    Q_OBJECT
private slots:
    void init() { ask::setHandler([](const QString &, const QString &, const QStringList &) { return 0; }); }
    void cleanup()
    {
        ael::ui::presentationMode() = false;
        ask::setHandler({});
    }

    void f5TogglesLargeTextAndBack()
    {
        MainWindow w(testOptions());
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QLabel *title = lossTitle(w.lossView());
        QVERIFY(title);
        const double fontBefore = QApplication::font().pointSizeF();
        const int titleBefore = title->font().pixelSize();
        const QStringList groupsBefore = visibleGroups(w.controls());
        auto *dock = w.findChild<QDockWidget *>(QStringLiteral("controlsDock"));
        QVERIFY(dock && dock->isVisible());
        const double penBefore = w.lossView()->series(QStringLiteral("train"))->pen().widthF();

        QTest::keyClick(&w, Qt::Key_F5);
        QVERIFY(w.isPresentation());
        QVERIFY(w.presentationAction()->isChecked());
        QTRY_VERIFY_WITH_TIMEOUT(title->font().pixelSize() >= 28, 30000);
        QVERIFY(title->font().pixelSize() > titleBefore);
        for (QAbstractAxis *a : {w.lossView()->xAxis(), w.lossView()->yAxis()}) {
            QVERIFY(a);
            QVERIFY2(a->labelsFont().pixelSize() >= 18, qPrintable(QString::number(a->labelsFont().pixelSize())));
        }
        QVERIFY(w.lossView()->series(QStringLiteral("train"))->pen().widthF() > penBefore * 1.5);
        QVERIFY(QApplication::font().pointSizeF() > fontBefore);
        QVERIFY(!dock->isVisible());  // the views get its width
        // Only the variant (and the active variant's own knobs, none for the default) stay.
        const QStringList groups = visibleGroups(w.controls());
        QVERIFY2(groups.size() < groupsBefore.size(), qPrintable(groups.join(QLatin1Char('|'))));
        QVERIFY(groups.contains(QStringLiteral("Variant")));
        QVERIFY(!groups.contains(QStringLiteral("Data")));

        QTest::keyClick(&w, Qt::Key_F5);
        QVERIFY(!w.isPresentation());
        QCOMPARE(QApplication::font().pointSizeF(), fontBefore);
        QTRY_COMPARE_WITH_TIMEOUT(title->font().pixelSize(), titleBefore, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(w.lossView()->series(QStringLiteral("train"))->pen().widthF(), penBefore, 30000);
        QVERIFY(dock->isVisible());
        QCOMPARE(visibleGroups(w.controls()), groupsBefore);
    }

    // F5 with the Draw and Inside docks open on a 1280 × 720 screen: the Draw panel's presentation-sized
    // text made the window 1280 × 745, its status bar off the screen, and it stayed so after leaving.
    // Text ▸ Larger text enlarges the views' own text (titles, axes) with the widgets': it used to grow
    // the menus and controls only, so a lecturer pressing Ctrl++ got bigger buttons beside the same small
    // chart. Smaller text the same number of times gives the sizes back; presentation mode keeps the zoom.
    void largerTextEnlargesTheViews()
    {
        const QFont before = QApplication::font();
        const auto restore = qScopeGuard([&] {
            QApplication::setFont(before);
            ael::ui::textZoom() = 1.0;
        });
        MainWindow w(testOptions());
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.drawDock()->show();
        w.drawDock()->raise();
        QPushButton *clear = buttonNamed(w.drawDock(), QStringLiteral("Clear"));
        QVERIFY(clear);
        QTRY_VERIFY_WITH_TIMEOUT(titleInkHeight(w.drawDock()) > 0, 30000);
        const int clearBefore = clear->font().pixelSize(), dockTitleBefore = titleInkHeight(w.drawDock());
        QAction *larger = nullptr, *smaller = nullptr;
        for (QAction *a : w.findChildren<QAction *>()) {
            if (a->text() == QStringLiteral("Larger text")) larger = a;
            if (a->text() == QStringLiteral("Smaller text")) smaller = a;
        }
        QVERIFY(larger && smaller);
        QLabel *title = lossTitle(w.lossView());
        QVERIFY(title);
        QTRY_VERIFY_WITH_TIMEOUT(title->font().pixelSize() > 0, 30000);
        const int titleBefore = title->font().pixelSize(), ticksBefore = w.lossView()->xAxis()->labelsFont().pixelSize();
        const double ptBefore = QApplication::font().pointSizeF();

        for (int i = 0; i < 3; ++i) larger->trigger();
        const double grown = QApplication::font().pointSizeF() / ptBefore;
        QVERIFY(grown > 1.2);
        // As much as the widgets' text, to the pixel's rounding.
        QTRY_VERIFY2_WITH_TIMEOUT(title->font().pixelSize() >= std::floor(titleBefore * grown) - 1,
                                  qPrintable(QStringLiteral("title %1 → %2 px for ×%3").arg(titleBefore).arg(title->font().pixelSize()).arg(grown)), 30000);
        QVERIFY2(w.lossView()->xAxis()->labelsFont().pixelSize() >= std::floor(ticksBefore * grown) - 1,
                 qPrintable(QStringLiteral("ticks %1 → %2 px").arg(ticksBefore).arg(w.lossView()->xAxis()->labelsFont().pixelSize())));
        // The Draw panel's own larger text, and the docks' titles (Qt painted those in the font of the dock's birth).
        // (Qt passes the application's font on to the widgets by posted events.)
        QTRY_VERIFY2_WITH_TIMEOUT(clear->font().pixelSize() >= std::floor(clearBefore * grown) - 1,
                                  qPrintable(QStringLiteral("Clear %1 → %2 px").arg(clearBefore).arg(clear->font().pixelSize())), 30000);
        QTRY_VERIFY2_WITH_TIMEOUT(titleInkHeight(w.drawDock()) > dockTitleBefore * 1.15,
                                  qPrintable(QStringLiteral("dock title %1 → %2 px of ink").arg(dockTitleBefore).arg(titleInkHeight(w.drawDock()))), 30000);
        // Still on the 1280 × 720 screen: the Draw panel scrolls rather than grow the window past it (1280 × 754).
        QApplication::processEvents();
        QVERIFY2(w.minimumSizeHint().height() <= 720, qPrintable(QString::number(w.minimumSizeHint().height())));
        QTRY_COMPARE(w.size(), QSize(1280, 720));

        // In presentation mode the zoom carries on: larger than presentation mode alone would be.
        QTest::keyClick(&w, Qt::Key_F5);
        QVERIFY(w.isPresentation());
        QTRY_VERIFY_WITH_TIMEOUT(title->font().pixelSize() >= 28, 30000);
        QTest::qWait(50);
        const int zoomedPresentation = title->font().pixelSize();
        QTest::keyClick(&w, Qt::Key_F5);
        QVERIFY(!w.isPresentation());

        for (int i = 0; i < 3; ++i) smaller->trigger();
        QCOMPARE(QApplication::font().pointSizeF(), ptBefore);
        QTRY_COMPARE_WITH_TIMEOUT(title->font().pixelSize(), titleBefore, 30000);
        QCOMPARE(w.lossView()->xAxis()->labelsFont().pixelSize(), ticksBefore);
        QTRY_COMPARE_WITH_TIMEOUT(clear->font().pixelSize(), clearBefore, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(titleInkHeight(w.drawDock()), dockTitleBefore, 30000);

        QTest::keyClick(&w, Qt::Key_F5);
        QTRY_VERIFY_WITH_TIMEOUT(title->font().pixelSize() >= 28, 30000);
        QVERIFY2(zoomedPresentation > title->font().pixelSize(),
                 qPrintable(QStringLiteral("presentation title %1 px zoomed, %2 px not").arg(zoomedPresentation).arg(title->font().pixelSize())));
        QTest::keyClick(&w, Qt::Key_F5);
    }

    void presentationKeepsTheWindowOnTheScreen()
    {
        MainWindow w(testOptions());
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.drawDock()->show();
        w.insideDock()->show();
        QApplication::processEvents();
        QCOMPARE(w.size(), QSize(1280, 720));
        w.setPresentation(true);
        const auto normalAgain = qScopeGuard([&w] { w.setPresentation(false); });
        QApplication::processEvents();
        QVERIFY2(w.minimumSizeHint().height() <= 720, qPrintable(QString::number(w.minimumSizeHint().height())));
        QTRY_COMPARE(w.size(), QSize(1280, 720));
        // Grown by hand while presenting (or by a dock's larger text), the window is back to its size after.
        w.resize(1280, 760);
        QApplication::processEvents();
        w.setPresentation(false);
        QTRY_COMPARE(w.size(), QSize(1280, 720));
    }

    // Every class's swatch is drawn inside the widget, in one column when there is room, in two
    // when ten rows would run past a short plot (presentation text at a 1280×720 view size).
    void scatterLegendNeverClipped_data()
    {
        QTest::addColumn<bool>("presentation");
        QTest::addColumn<QSize>("size");
        QTest::newRow("normal, tall") << false << QSize(420, 420);
        QTest::newRow("normal, short") << false << QSize(420, 230);
        QTest::newRow("presentation, tall") << true << QSize(480, 560);
        QTest::newRow("presentation, short") << true << QSize(480, 250);
    }
    void scatterLegendNeverClipped()
    {
        QFETCH(bool, presentation);
        QFETCH(QSize, size);
        ael::ui::presentationMode() = presentation;
        ScatterCanvas c;
        c.resize(size);
        c.setLegendVisible(true);
        c.setData({QPointF(0, 0), QPointF(1, 1)}, {0, 1});
        const QImage img = c.grab().toImage().convertToFormat(QImage::Format_RGB32);
        const double plotRight = img.width() * 0.35;  // the legend lies right of the plot
        for (int k = 0; k < 10; ++k)
            QVERIFY2(countColour(img, ael::ui::classColor(k), int(plotRight), img.width()) >= 25,
                     qPrintable(QStringLiteral("class %1's legend swatch is missing").arg(k)));
    }

    void lessonFormulaFitsItsColumn_data()
    {
        QTest::addColumn<bool>("presentation");
        QTest::addColumn<int>("width");
        // The lesson column of a 1280×720 window in presentation mode (2/5 of it), and of a 1920×1080 one.
        QTest::newRow("presentation, 1024x768") << true << 320;
        QTest::newRow("presentation, narrower than lesson 2's formula at 24 px") << true << 280;
        QTest::newRow("presentation, 1280x720") << true << 400;
        QTest::newRow("presentation, 1920x1080") << true << 560;
        QTest::newRow("normal, narrow column") << false << 300;
    }
    // In presentation mode at 1280×720 lesson 1's formula wrapped inside a formula: "PCA: min Σ‖WᵀWx −"
    // over "x‖²,  WᵀW = I". A formula line too wide now breaks between formulas (at its two-space gaps),
    // and the font shrinks a little, down to 24 px in presentation mode, until the lines fit.
    void lessonFormulaFitsItsColumn()
    {
        QFETCH(bool, presentation);
        QFETCH(int, width);
        const ScopedPresentation presenting(presentation);
        const std::vector<Lesson> &lessons = builtinLessons();
        QCOMPARE(int(lessons.size()), 8);
        for (const Lesson &l : lessons) {
            LessonPanel p;
            p.setLesson(l, 8);
            p.resize(width, 700);
            p.show();
            QVERIFY(QTest::qWaitForWindowExposed(&p));
            QApplication::processEvents();
            QLabel *f = p.formulaLabel();
            // No wider than its column (lesson 2's "span(V) = span(PCA-6)", joined by non-breaking spaces,
            // stood 424 px wide in a column of 305, and the whole lesson text was cut at the right).
            auto *scroll = p.findChild<QScrollArea *>();
            QVERIFY2(scroll->widget()->width() <= scroll->viewport()->width(),
                     qPrintable(QStringLiteral("lesson %1: %2 px in %3").arg(l.number).arg(scroll->widget()->width()).arg(scroll->viewport()->width())));
            const QString shown = p.formulaText();
            if (width == 280 && l.number == 2) QVERIFY2(shown.contains(QStringLiteral("span(V) = span")), qPrintable(shown));  // broken in its own spaces
            // The same formulas, only broken differently (where even the smallest size is too wide, also at
            // their own spaces); never smaller than 24 px when presenting.
            QCOMPARE(QString(shown).replace(QChar(0x00a0), QLatin1Char(' ')).simplified(), QString(l.formula).replace(QChar(0x00a0), QLatin1Char(' ')).simplified());
            // Shown with real subscripts: lesson 6's "‖∂f(x)/∂x‖²_F" and lesson 7's "E_q[…]" as <sub>.
            QCOMPARE(f->text(), math_text::toHtml(shown));
            QCOMPARE(f->text().contains(QStringLiteral("<sub>")), l.number == 6 || l.number == 7);
            if (presentation) QVERIFY2(f->font().pixelSize() >= 24, qPrintable(QString::number(f->font().pixelSize())));
            QVERIFY(f->font().pixelSize() >= p.textLabel()->font().pixelSize() * 0.9);
            // Its lines as the label lays them out: as tall at its width as at any width, or else wrapped.
            const bool fits = f->heightForWidth(f->width()) == f->heightForWidth(100000);
            // What still wraps is at the smallest size.
            if (!fits) QVERIFY2(f->font().pixelSize() <= std::lround(p.textLabel()->font().pixelSize() * 0.92), qPrintable(shown));
            if (l.number == 1 && width >= 400) {  // the fault's lesson: it fits, and at full size (1.3 × the text) where there is room
                QVERIFY2(fits, qPrintable(shown));
                if (width >= 560) QCOMPARE(f->font().pixelSize(), int(std::lround(p.textLabel()->font().pixelSize() * 1.3)));
            }
        }
    }

    void fitsAnXgaProjector_data()
    {
        QTest::addColumn<bool>("presentation");
        QTest::addColumn<QString>("docks");
        QTest::addColumn<bool>("docksFirst");  // docks shown before the window (a restored session, --show)
        QTest::addColumn<int>("lesson");       // 0: none
        QTest::newRow("normal") << false << QString() << false << 0;
        for (const char *d : {"draw", "inside", "pca", "draw,inside,pca"})
            for (bool first : {false, true})
                QTest::newRow(qPrintable(QStringLiteral("normal, %1%2").arg(d, first ? " first" : "")))
                    << false << QString::fromLatin1(d) << first << 0;
        QTest::newRow("presentation") << true << QString() << false << 0;
        for (const char *d : {"draw", "inside", "pca"})
            QTest::newRow(qPrintable(QStringLiteral("presentation, %1").arg(d))) << true << QString::fromLatin1(d) << false << 0;
        for (int l = 1; l <= 8; ++l) QTest::newRow(qPrintable(QStringLiteral("presentation, lesson %1").arg(l))) << true << QString() << false << l;
    }
    // Lecture halls still have 1024×768 (XGA) projectors. The window's views and docks asked for at least
    // 1,219 pixels of width (1,114 in presentation mode beside lesson 4), so a window on such a screen ran
    // off its right edge and the PCA comparison or the reconstructions were out of sight.
    void fitsAnXgaProjector()
    {
        QFETCH(bool, presentation);
        QFETCH(QString, docks);
        QFETCH(bool, docksFirst);
        QFETCH(int, lesson);
        MainWindow w(testOptions());
        const auto showDocks = [&] {
            for (const QString &name : docks.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                auto *d = w.findChild<QDockWidget *>(name + QStringLiteral("Dock"));
                QVERIFY(d);
                d->show();
            }
        };
        if (docksFirst) showDocks();
        // A session restored on the projector starts at its size; otherwise the window is laid out large
        // first (a laptop's screen), then made to fit the projector's.
        w.resize(docksFirst ? QSize(1024, 720) : QSize(1600, 900));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        if (docksFirst) QVERIFY2(w.width() <= 1024, qPrintable(QString::number(w.width())));
        if (presentation) w.setPresentation(true);
        const auto normalAgain = qScopeGuard([&w] { w.setPresentation(false); });  // the application font back
        if (!docksFirst) showDocks();
        if (lesson > 0) w.applyLesson(lesson - 1);
        w.worker()->pause();
        QApplication::processEvents();
        // The menu bar, tool bar and status bar included; the height leaves room for a panel or task bar.
        // Once laid out: Qt passes a new application font on by posted events, and each font change posts
        // layout requests in turn (one processEvents() saw 1054 px now and then).
        QSize least;
        QTRY_VERIFY2_WITH_TIMEOUT((least = w.minimumSizeHint().expandedTo(w.minimumSize())).width() <= 1024 && least.height() <= 720,
                                  qPrintable(QStringLiteral("%1x%2").arg(least.width()).arg(least.height())), 5000);
        w.resize(1024, 720);
        QApplication::processEvents();
        QVERIFY2(w.width() <= 1024 && w.height() <= 720, qPrintable(QStringLiteral("%1x%2").arg(w.width()).arg(w.height())));
        if (lesson > 0) {  // the lesson's text as wide as its column: not cut at the right
            auto *scroll = w.lessonPanel()->findChild<QScrollArea *>();
            QVERIFY(scroll && scroll->widget());
            QVERIFY2(scroll->widget()->width() <= scroll->viewport()->width(),
                     qPrintable(QStringLiteral("text %1 px in a column of %2; title %3, formula %4 (min %5), text %6 (min %7)")
                                    .arg(scroll->widget()->width()).arg(scroll->viewport()->width())
                                    .arg(w.lessonPanel()->titleLabel()->minimumSizeHint().width())
                                    .arg(w.lessonPanel()->formulaLabel()->width()).arg(w.lessonPanel()->formulaLabel()->minimumSizeHint().width())
                                    .arg(w.lessonPanel()->textLabel()->width()).arg(w.lessonPanel()->textLabel()->minimumSizeHint().width())));
        }
        // The PCA panel's plots, where they show, keep a data area under their projector-sized titles: below
        // a lesson they had been squeezed to 10 px of data, the tick labels piled on one another.
        if (w.pcaDock()->isVisible() && !w.pcaDock()->visibleRegion().isEmpty())
            for (QWidget *plot : {static_cast<QWidget *>(w.pcaDock()->findChild<ScreePlot *>()), static_cast<QWidget *>(w.pcaDock()->findChild<MseVsKPlot *>())}) {
                QVERIFY(plot);
                QVERIFY2(plot->height() >= (presentation ? 150 : 100), qPrintable(QStringLiteral("%1: %2 px").arg(plot->metaObject()->className()).arg(plot->height())));
            }
    }

    // A presenting window at least 1600 px wide shows the PCA comparison; moved in one step to a 1024-px
    // projector it must get there. The comparison's 352 px of minimum held it at 1,054 px (the view hides only
    // once the window is narrower); fitsAnXgaProjector saw that now and then, when its window was still 1600
    // px wide at the check.
    void presentingWindowShrinksToXgaInOneStep_data()
    {
        QTest::addColumn<int>("lesson");  // 0: none
        QTest::newRow("no lesson") << 0;
        QTest::newRow("lesson 7") << 7;
    }
    void presentingWindowShrinksToXgaInOneStep()
    {
        QFETCH(int, lesson);
        MainWindow w(testOptions());
        w.resize(1600, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setPresentation(true);
        const auto normalAgain = qScopeGuard([&w] { w.setPresentation(false); });
        if (lesson > 0) w.applyLesson(lesson - 1);
        if (lesson == 7) {  // the variational model's first picture: the explorer's prior buttons, 66 px wider
            const auto sampleButton = [&w] {
                for (QPushButton *b : w.findChildren<QPushButton *>())
                    if (b->isVisible() && b->text().startsWith(QStringLiteral("Sample the prior"))) return true;
                return false;
            };
            QTRY_VERIFY_WITH_TIMEOUT(sampleButton(), 20000);
        }
        w.worker()->pause();
        w.resize(1600, 900);
        QTRY_COMPARE(w.width(), 1600);
        auto *comparison = w.findChild<PcaComparisonView *>();
        QVERIFY(comparison);
        QTRY_VERIFY(comparison->isVisible());  // wide enough for it
        QTRY_VERIFY2(w.minimumSizeHint().expandedTo(w.minimumSize()).width() <= 1024,
                     qPrintable(QString::number(w.minimumSizeHint().expandedTo(w.minimumSize()).width())));
        w.resize(1024, 720);
        QTRY_VERIFY2(w.width() <= 1024, qPrintable(QString::number(w.width())));
        QVERIFY(!comparison->isVisible());  // and there, the code scatter has the lower row
    }

    // At 1024×768 the status bar cut "Presentation mode — F5 to leave, F11 for full screen" off at the
    // training status ("…F5 to leave, F11"), mid-word. A message shows the longest of its forms that fits
    // beside the status; if none does, it covers the status while it shows (elided only beyond the bar,
    // the whole text in the tooltip); it follows the bar's width; a repeated message gets its timeout again.
    void statusMessagesFit()
    {
        MainWindow w(testOptions());
        w.resize(1024, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QStatusBar *bar = w.statusBar();
        auto *panel = w.findChild<StatusPanel *>();
        QVERIFY(panel && panel->isVisible());
        const QFontMetricsF fm(bar->font());
        const QStringList presenting{QStringLiteral("Presentation mode — F5 to leave, F11 for full screen"),
                                     QStringLiteral("Presentation — F5 leaves, F11: full screen"), QStringLiteral("F5 leaves presentation mode"),
                                     QStringLiteral("F5: leave presentation")};
        {
            w.setPresentation(true);
            const auto normalAgain = qScopeGuard([&w] { w.setPresentation(false); });
            QVERIFY2(presenting.contains(bar->currentMessage()), qPrintable(bar->currentMessage()));  // a whole form
        }
        bar->clearMessage();
        QApplication::processEvents();
        const int room = status_message::room(bar);
        QVERIFY(room > 150 && room < 1000);
        // Two forms, the long one wider than the room: the short one, beside the status.
        QString wider = QStringLiteral("Presentation mode — F5 to leave, F11 for full screen");
        while (fm.horizontalAdvance(wider) <= room) wider += QStringLiteral(" and more");
        const QString fits = QStringLiteral("F5 leaves");
        status_message::show(bar, QStringList{wider, fits});
        QCOMPARE(bar->currentMessage(), fits);
        QVERIFY(panel->isVisible());
        QCOMPARE(bar->toolTip(), wider);
        // A wider window: the long form, nothing in the tooltip.
        w.resize(1800, 720);
        QTRY_COMPARE_WITH_TIMEOUT(bar->currentMessage(), wider, 20000);
        QVERIFY(bar->toolTip().isEmpty());
        w.resize(1024, 720);
        QTRY_COMPARE_WITH_TIMEOUT(bar->currentMessage(), fits, 20000);
        // The status beside it grows (training starts: "Paused" becomes the epoch, step and speed), the
        // bar's width the same: a form that fit before would be cut under it, so the shorter one shows.
        const int before = status_message::room(bar);
        QString snug = QStringLiteral("Presentation mode");
        while (fm.horizontalAdvance(snug + QStringLiteral(" and more")) <= before) snug += QStringLiteral(" and more");
        QVERIFY(fm.horizontalAdvance(snug) > before - 100);
        status_message::show(bar, QStringList{snug, fits});
        QCOMPARE(bar->currentMessage(), snug);
        panel->setMinimumWidth(panel->width() + 150);
        QTRY_VERIFY_WITH_TIMEOUT(status_message::room(bar) < before - 100, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(bar->currentMessage(), fits, 20000);
        QVERIFY(panel->isVisible());
        panel->setMinimumWidth(0);  // and back: the whole form again
        QTRY_COMPARE_WITH_TIMEOUT(bar->currentMessage(), snug, 20000);
        // One form, wider than the room beside the status: over it, elided only beyond the bar.
        const QString longText = QStringLiteral("Setting rejected: ") + QString(200, QLatin1Char('x')) + QStringLiteral(" — the previous value is kept.");
        status_message::show(bar, longText, 60000);
        QVERIFY(!panel->isVisible());
        QVERIFY(fm.horizontalAdvance(bar->currentMessage()) > room);  // more room than beside the status
        QVERIFY(fm.horizontalAdvance(bar->currentMessage()) <= status_message::room(bar));
        QVERIFY(bar->currentMessage().endsWith(QChar(0x2026)));
        QCOMPARE(bar->toolTip(), longText);
        // The next message that fits: the status back, no tooltip.
        status_message::show(bar, QStringLiteral("Saved"), 1000);
        QCOMPARE(bar->currentMessage(), QStringLiteral("Saved"));
        QVERIFY(panel->isVisible());
        QVERIFY(bar->toolTip().isEmpty());
        // The same message again restarts its timeout (it vanished at the first one's end).
        QTest::qWait(700);
        status_message::show(bar, QStringLiteral("Saved"), 1000);
        QTest::qWait(700);
        QCOMPARE(bar->currentMessage(), QStringLiteral("Saved"));
        QTRY_VERIFY_WITH_TIMEOUT(bar->currentMessage().isEmpty(), 20000);
    }
};

QTEST_MAIN(TestPresentation)
#include "tst_ui_presentation.moc"
