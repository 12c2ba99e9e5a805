// DigitTiles, the drawing's results: rows left out without room, titles and captions that fit between
// the images (which spread apart for them), and the short forms a narrow column shows instead of an
// elided long one (DrawPanel's real texts, in presentation mode).
#include "DrawingTestKit.h"
#include "PresentationTestKit.h"

#include "core/train/Corruption.h"
#include "ui/explore/DigitTiles.h"
#include "ui/explore/DrawPanel.h"
#include "ui/explore/PriorSamplesDialog.h"
#include "ui/widgets/Palette.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QScopeGuard>
#include <QtTest>

#include <algorithm>

using namespace drawtest;

class TestDigitTiles : public QObject {
    Q_OBJECT
private slots:
    void tilesLeaveOutRowsWithoutRoom();
    void priorSamplesShowEveryRow_data();
    void priorSamplesShowEveryRow();
    void layoutStaysWhenCaptionsArrive();
    void tileTextsFit_data();
    void tileTextsFit();
    void shortFormsInANarrowColumn_data();
    void shortFormsInANarrowColumn();
    void colouredTitlesLegible();
};

void TestDigitTiles::tilesLeaveOutRowsWithoutRoom()
{
    DigitTiles tiles;
    QImage digit(28, 28, QImage::Format_Grayscale8);
    digit.fill(200);
    DigitTiles::Row main{QString(), {{"Input", digit, "", {}}, {"AE", digit, "0.01", Qt::blue}, {"PCA", digit, "0.02", Qt::red}}, 1};
    DigitTiles::Row near{"Nearest training digits", {}, 0.6};
    for (int i = 0; i < 5; ++i) near.tiles << DigitTiles::Tile{QString::number(i), digit, "", {}};
    tiles.setRows({main, near});
    tiles.resize(520, 420);
    QCOMPARE(tiles.shownRows(), 2);
    QVERIFY(tiles.imageRect(0, 0).width() >= DigitTiles::kMinCell);
    QVERIFY(!tiles.imageRect(1, 4).isEmpty());
    tiles.resize(330, 200);  // a short column: both rows would give the first one ~40-pixel tiles
    QCOMPARE(tiles.shownRows(), 1);
    QVERIFY2(tiles.imageRect(0, 2).width() >= DigitTiles::kMinCell, qPrintable(QString::number(tiles.imageRect(0, 2).width())));
    QVERIFY(tiles.imageRect(1, 0).isEmpty());
    QVERIFY(tiles.rect().contains(tiles.imageRect(0, 2)));
    // Painted: the first row's third tile is there.
    const QImage shot = tiles.grab().toImage();
    QCOMPARE(shot.pixelColor(tiles.imageRect(0, 2).center()), QColor(200, 200, 200));
}

void TestDigitTiles::priorSamplesShowEveryRow_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::newRow("normal") << false;
    QTest::newRow("presentation") << true;
}

// "Sample the prior…" asked for 8 × 8 samples and showed one row of 8: its rows have no titles or
// captions, yet each reserved their height, and then the rule that leaves out the drawing panel's later
// rows (to keep its first row large) dropped seven of them. All 64 are shown, as a grid of equal cells.
void TestDigitTiles::priorSamplesShowEveryRow()
{
    QFETCH(bool, presentation);
    const ScopedPresentation presenting(presentation);
    int asked = 0;
    PriorSamplesDialog d([&](int count, quint64) {
        asked = count;
        QVector<QImage> out;
        for (int i = 0; i < count; ++i) {
            QImage img(28, 28, QImage::Format_Grayscale8);
            img.fill(uchar(40 + 3 * i));
            out << img;
        }
        return out;
    });
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    auto *tiles = d.findChild<DigitTiles *>();
    QVERIFY(tiles);
    // Text, grid and buttons one under the other (the buttons covered the last row by 8 px here, by half a
    // row in the window: the wrapped text's height was taken at a width wider than the dialog's)
    auto *buttons = d.findChild<QDialogButtonBox *>();
    auto *text = d.findChild<QLabel *>();
    QVERIFY(buttons && text);
    QVERIFY2(text->geometry().bottom() < tiles->geometry().top() && tiles->geometry().bottom() < buttons->geometry().top() &&
                 d.rect().contains(buttons->geometry()),
             qPrintable(QStringLiteral("text %1–%2, tiles %3–%4, buttons %5–%6, dialog %7 px high")
                            .arg(text->geometry().top()).arg(text->geometry().bottom()).arg(tiles->geometry().top())
                            .arg(tiles->geometry().bottom()).arg(buttons->geometry().top()).arg(buttons->geometry().bottom())
                            .arg(d.height())));
    QCOMPARE(text->height(), text->heightForWidth(text->width()));  // every line of it
    QCOMPARE(asked, 64);
    QCOMPARE(tiles->shownRows(), 8);
    const QImage shot = tiles->grab().toImage();
    QRect previous;
    for (int i = 0; i < 64; ++i) {
        const QRect r = tiles->imageRect(i / 8, i % 8);
        QVERIFY2(r.width() >= 48 && tiles->rect().contains(r), qPrintable(QString("sample %1: %2 px").arg(i).arg(r.width())));
        QVERIFY(!r.intersects(previous));
        QCOMPARE(shot.pixelColor(r.center()), QColor(40 + 3 * i, 40 + 3 * i, 40 + 3 * i));
        previous = r;
    }
}

// The drawing panel's nearest-digits row is blank (no titles, no captions) until something is drawn;
// its text lines are reserved all along, so the tiles do not jump when the captions arrive.
void TestDigitTiles::layoutStaysWhenCaptionsArrive()
{
    DigitTiles tiles;
    QImage digit(28, 28, QImage::Format_Grayscale8);
    digit.fill(200);
    DigitTiles::Row main{QString(), {{"Input", digit, "", {}}, {"AE", digit, "0.01", Qt::blue}, {"PCA", digit, "0.02", Qt::red}}, 1};
    DigitTiles::Row near{"Nearest training digits", {}, 0.6};
    for (int i = 0; i < 5; ++i) near.tiles << DigitTiles::Tile{QString(), QImage(), QString(), {}};
    tiles.setRows({main, near});
    tiles.resize(520, 420);
    const QRect before = tiles.imageRect(0, 1), beforeNear = tiles.imageRect(1, 2);
    for (DigitTiles::Tile &t : near.tiles) t = {"3", digit, "d 1.2", {}};
    tiles.setRows({main, near});
    QCOMPARE(tiles.imageRect(0, 1), before);
    QCOMPARE(tiles.imageRect(1, 2), beforeNear);
}

void TestDigitTiles::tileTextsFit_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("roomForAll");
    QTest::addColumn<bool>("presentation");
    QTest::newRow("the window's drawing column (short)") << QSize(330, 240) << true << false;
    QTest::newRow("wide and short") << QSize(700, 240) << true << false;
    QTest::newRow("square") << QSize(520, 420) << true << false;
    QTest::newRow("too narrow for the texts") << QSize(150, 420) << false << false;
    // The Draw column on the right of a 1920-px screen beside a presented lesson: "nput 28×28", "othing drawn".
    QTest::newRow("presentation, the right-hand column") << QSize(450, 300) << true << true;
    QTest::newRow("presentation, narrow") << QSize(330, 300) << true << true;
}

// Tiles kept small by a short column used to keep their titles to the image's width: "Input 2…",
// "Autoen…", "nothing …" under 56-pixel images in a 330-pixel column. The images now move apart.
void TestDigitTiles::tileTextsFit()
{
    QFETCH(QSize, size);
    QFETCH(bool, roomForAll);
    QFETCH(bool, presentation);
    bool &mode = ael::ui::presentationMode();
    const auto restore = qScopeGuard([&mode, before = mode] { mode = before; });
    mode = presentation;
    DigitTiles tiles;
    QImage digit(28, 28, QImage::Format_Grayscale8);
    digit.fill(200);
    const DigitTiles::Row main{QString(),
                               {{"Input 28×28", digit, "nothing drawn", {}}, {"Autoencoder", digit, "MSE 0.0123", Qt::blue},
                                {"PCA-2", digit, "MSE 0.0456", Qt::red}},
                               1};
    DigitTiles::Row near{"Nearest training digits", {}, 0.62};
    for (int i = 0; i < 5; ++i) near.tiles << DigitTiles::Tile{QString::number(i), digit, "d = 1.23", {}};
    tiles.setRows({main, near});
    tiles.resize(size);
    using ael::ui::basePixelSize, ael::ui::uiFont;
    const QFontMetricsF title(uiFont(basePixelSize(size) * 0.95, true)), caption(uiFont(basePixelSize(size) * 0.9));
    QCOMPARE(tiles.shownRows(), roomForAll ? 2 : 1);  // the narrow column's tiles are too small for two rows
    for (int row = 0; row < tiles.shownRows(); ++row) {
        const DigitTiles::Row &r = row ? near : main;
        double longest = 0;
        for (const DigitTiles::Tile &t : r.tiles)
            longest = std::max({longest, title.horizontalAdvance(t.title), caption.horizontalAdvance(t.caption)});
        const double room = tiles.textWidth(row);
        if (!presentation) QVERIFY2((room >= longest) == (roomForAll || row == 1), qPrintable(QString("row %1: %2 for %3").arg(row).arg(room).arg(longest)));
        for (int c = 0; c < r.tiles.size(); ++c) {
            const QRect img = tiles.imageRect(row, c);
            QVERIFY(tiles.rect().contains(img));
            QVERIFY(room >= img.width());
            // Neighbours' texts, centred on their images, never overlap; the outer ones stay inside (shortened
            // or not, a text is drawn centred in a box as wide as the room).
            if (c > 0) QVERIFY(img.center().x() - tiles.imageRect(row, c - 1).center().x() >= room - 1);
            QVERIFY2(img.center().x() - room / 2 >= -1 && img.center().x() + room / 2 <= size.width() + 1,
                     qPrintable(QString("row %1 tile %2: text from %3 to %4 in %5 px").arg(row).arg(c).arg(img.center().x() - room / 2).arg(img.center().x() + room / 2).arg(size.width())));
        }
    }
}

void TestDigitTiles::shortFormsInANarrowColumn_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("corruptFirst");
    // The results under the pad: presentation mode beside the views in a 1280×720 window; the normal
    // window's column; a column as narrow as the dock allows.
    QTest::newRow("presentation, 1280x720") << true << QSize(362, 190) << false;
    QTest::newRow("presentation, corrupt first") << true << QSize(362, 190) << true;
    QTest::newRow("normal column") << false << QSize(330, 240) << true;
    QTest::newRow("narrowest") << false << QSize(260, 220) << true;
    QTest::newRow("presentation, a column of 420 px") << true << QSize(420, 420) << true;  // the nearest digits too
}

// In presentation mode at 1280×720 the drawing's result tiles read "Input 28…", "Autoenc…",
// "nothing d…": the long titles cannot fit three to a 362-pixel row at presentation size, and were
// elided. Now each tile shows its long title where it fits and a short one ("Input", "AE", "x̃") where
// it does not; never an elided one here.
void TestDigitTiles::shortFormsInANarrowColumn()
{
    QFETCH(bool, presentation);
    QFETCH(QSize, size);
    QFETCH(bool, corruptFirst);
    bool &mode = ael::ui::presentationMode();
    const auto restore = qScopeGuard([&mode, before = mode] { mode = before; });
    mode = presentation;
    DrawPanel panel;
    panel.setData(trainSet());
    if (corruptFirst) {  // a model, masking and a drawing: the row Input, x̃, AE, PCA with their captions
        panel.setModel(randomModel("784-32-[2]-32-784"));
        panel.setCorruption({ael::CorruptionKind::Masking, 0.3}, true);
        panel.setCorruptFirst(true);
        panel.resize(400, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        drawThree(panel.pad());
    }
    // The panel's rows in tiles of the size under test (the panel's own are sized by its layout).
    DigitTiles sized;
    sized.setRows(panel.results()->rows());
    sized.resize(size);
    DigitTiles *tiles = &sized;
    const int n = int(tiles->rows()[0].tiles.size());
    QCOMPARE(n, corruptFirst ? 4 : 3);
    const QFontMetricsF title(ael::ui::uiFont(ael::ui::basePixelSize(size) * 0.95, true));
    bool anyShort = false;
    for (int c = 0; c < n; ++c) {
        const DigitTiles::Tile &t = tiles->rows()[0].tiles[c];
        const QString shownTitle = tiles->shownTitle(0, c), shownCaption = tiles->shownCaption(0, c);
        // One of the two forms, not an elided one.
        QVERIFY2(shownTitle == t.title || shownTitle == t.shortTitle, qPrintable(shownTitle));
        QVERIFY2(shownCaption == t.caption || shownCaption == t.shortCaption, qPrintable(shownCaption));
        // The long form whenever it fits.
        if (title.horizontalAdvance(t.title) <= tiles->textWidth(0)) QCOMPARE(shownTitle, t.title);
        anyShort = anyShort || shownTitle != t.title;
    }
    // The presentation rows are the fault's: there the long titles do not fit.
    if (presentation) QVERIFY(anyShort);
    // The nearest training digits' distances: "d = 6.12" where it fits, else the number alone (they read
    // "d = 6…." five times over, presenting lesson 8 at 1920 × 1080).
    int nearestShown = 0;
    for (int row = 1; row < int(tiles->rows().size()); ++row)
        for (int c = 0; c < int(tiles->rows()[row].tiles.size()) && tiles->textWidth(row) > 0; ++c, ++nearestShown) {
            const DigitTiles::Tile &t = tiles->rows()[row].tiles[c];
            const QString shown = tiles->shownCaption(row, c);
            QVERIFY2(shown == t.caption || shown == t.shortCaption, qPrintable(QStringLiteral("row %1: %2").arg(row).arg(shown)));
            if (!t.caption.isEmpty()) QVERIFY(!shown.isEmpty());
        }
    if (size.height() >= 400) QCOMPARE(nearestShown, 5);  // the row under test is on show
}

// The nearest digits' titles are their class names in the class's colour: class 7's yellow "7" on white had a
// contrast of ~1.2 : 1. A coloured title is now darkened (same hue) to at least 4.5 : 1; its bar keeps the colour.
void TestDigitTiles::colouredTitlesLegible()
{
    using ael::ui::relativeLuminance, ael::ui::legibleOnWhite, ael::ui::contrastOnWhite;
    for (int c = 0; c < 10; ++c) QVERIFY2(contrastOnWhite(legibleOnWhite(ael::ui::classColor(c))) >= 4.5, qPrintable(QString::number(c)));
    QCOMPARE(legibleOnWhite(QColor(0x00, 0x72, 0xb2)), QColor(0x00, 0x72, 0xb2));  // the AE's blue reads as it is
    QCOMPARE(legibleOnWhite(Qt::black), QColor(Qt::black));

    // As painted: the darkest pixel of a yellow "7" title.
    const QColor yellow = ael::ui::classColor(7);
    QVERIFY(contrastOnWhite(yellow) < 2);  // the fault's colour
    DigitTiles tiles;
    QImage digit(28, 28, QImage::Format_Grayscale8);
    digit.fill(200);
    tiles.setRows({DigitTiles::Row{QString(), {{"7777", digit, "d = 1.23", yellow}}, 1}});
    tiles.resize(300, 300);
    const QImage shot = tiles.grab().toImage();
    const QRect img = tiles.imageRect(0, 0);
    QColor darkest = Qt::white;
    for (int y = std::max(0, img.top() - 40); y < img.top() - 2; ++y)
        for (int x = img.left(); x <= img.right(); ++x)
            if (relativeLuminance(shot.pixelColor(x, y)) < relativeLuminance(darkest)) darkest = shot.pixelColor(x, y);
    QVERIFY2(contrastOnWhite(darkest) >= 4.5, qPrintable(QString::number(contrastOnWhite(darkest))));
}

QTEST_MAIN(TestDigitTiles)
#include "tst_ui_digittiles.moc"
