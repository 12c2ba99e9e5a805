// The ten test digits and their reconstructions (ui/views/ReconstructionView), offscreen: row labels legible in
// either mode and never over a digit, an MSE never cut, and given once when the ten stand in two blocks of five.
#include "PresentationTestKit.h"
#include "ui/views/ReconstructionView.h"
#include "ui/widgets/Palette.h"
#include "ui/window/MainWindow.h"

#include <QApplication>
#include <QtTest>

#include <cmath>

namespace {

MainWindow::Options testOptions()
{
    MainWindow::Options o;
    o.restoreSettings = false;
    return o;
}

/// Ten gray 28×28 digits per row: original, corrupted (denoising), AE and PCA.
Snapshot reconstructionSnapshot(bool corrupted)
{
    Snapshot s;
    QImage img(28, 28, QImage::Format_Grayscale8);
    img.fill(128);
    for (int i = 0; i < 10; ++i) {
        s.originals << img, s.reconstructions << img, s.pcaReconstructions << img;
        if (corrupted) s.corrupted << img;
    }
    s.rowMse[1] = 0.0512, s.rowMse[2] = 0.0123, s.rowMse[3] = 0.0345;
    s.pcaK = 2;
    return s;
}

}  // namespace

class TestUiReconstruction : public QObject {
    Q_OBJECT
private slots:
    void cleanup() { ael::ui::presentationMode() = false; }  // also after a check that failed in presentation mode

    // The reconstruction rows' labels are legible in presentation mode (≥ 18 px, beside the digits or
    // above them when they do not fit beside), inside the view, and never over a digit or another label.
    void reconstructionLabelsLegible_data()
    {
        QTest::addColumn<bool>("presentation");
        QTest::addColumn<QSize>("window");
        QTest::addColumn<bool>("corrupted");
        for (bool pres : {false, true})
            for (QSize size : {QSize(1280, 720), QSize(1920, 1080)})
                for (bool corrupted : {false, true})
                    QTest::newRow(qPrintable(QStringLiteral("%1 %2x%3%4").arg(pres ? "presentation" : "normal").arg(size.width())
                                                 .arg(size.height()).arg(corrupted ? ", 4 rows" : ", 3 rows")))
                        << pres << size << corrupted;
    }
    void reconstructionLabelsLegible()
    {
        QFETCH(bool, presentation);
        QFETCH(QSize, window);
        QFETCH(bool, corrupted);
        MainWindow w(testOptions());
        w.resize(window);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        if (presentation) QTest::keyClick(&w, Qt::Key_F5);
        QCOMPARE(w.isPresentation(), presentation);
        QApplication::processEvents();
        ReconstructionView *v = w.reconstructionView();
        v->applySnapshot(reconstructionSnapshot(corrupted));
        const int rows = int(v->rows().size());
        QCOMPARE(rows, corrupted ? 4 : 3);
        qInfo("view %dx%d: labels %.1f px %s, cells %d px", v->width(), v->height(), v->labelPixelSize(),
              v->labelsAbove() ? "above" : "beside", v->cellRect(0, 0).height());
        QVERIFY(v->labelPixelSize() >= (presentation ? 18.0 : 9.0));
        const QRectF view(QPointF(0, 0), QSizeF(v->size()));
        for (int r = 0; r < rows; ++r) {
            const QRectF label = v->labelRect(r);
            QVERIFY2(view.contains(label), qPrintable(QStringLiteral("row %1's label leaves the view").arg(r)));
            QVERIFY(label.height() >= v->labelPixelSize());
            for (int c = 0; c < 10; ++c)
                for (int rr = 0; rr < rows; ++rr)
                    QVERIFY2(!label.intersects(QRectF(v->cellRect(rr, c))),
                             qPrintable(QStringLiteral("row %1's label covers digit %2 of row %3").arg(r).arg(c).arg(rr)));
            for (int rr = r + 1; rr < rows; ++rr) QVERIFY(!label.intersects(v->labelRect(rr)));
            // Next to its own row: beside it, or just above it.
            const QRectF cell = QRectF(v->cellRect(r, 0));
            if (v->labelsAbove()) QVERIFY(label.bottom() <= cell.top() + 0.5 && label.bottom() > cell.top() - 8);
            else QVERIFY(label.right() <= cell.left() && label.top() < cell.bottom() && label.bottom() > cell.top());
        }
        ael::ui::presentationMode() = false;
    }

    // In a view as small as the reconstructions get beside the lesson panel at 1280×720, the labels go
    // above their rows at full size (and still clear of the digits), and the digits are no smaller than
    // a line of text: the caption and the title make way (the denoising lesson's four rows had 17-px digits).
    void reconstructionLabelsAboveInASmallView()
    {
        ael::ui::presentationMode() = true;
        ReconstructionView v;
        v.resize(420, 280);
        v.applySnapshot(reconstructionSnapshot(true));
        QVERIFY(v.labelsAbove());
        QVERIFY(v.labelPixelSize() >= 18);
        qInfo("digits %d px, labels %.1f px", v.cellRect(0, 0).height(), v.labelPixelSize());
        QVERIFY2(v.cellRect(0, 0).height() >= v.labelRect(0).height(), qPrintable(QString::number(v.cellRect(0, 0).height())));
        for (int r = 0; r < 4; ++r) {
            const QRectF label = v.labelRect(r), cell = QRectF(v.cellRect(r, 0));
            QVERIFY(QRectF(QPointF(0, 0), QSizeF(v.size())).contains(label));
            QVERIFY(label.bottom() <= cell.top() + 0.5 && label.bottom() > cell.top() - 8);
            QVERIFY(r == 0 || label.top() >= QRectF(v.cellRect(r - 1, 0)).bottom());
        }
        ael::ui::presentationMode() = false;
    }

    // A row's MSE is never cut: beside lesson 3 at 1024 px the overcomplete model's "0.000431" showed
    // as "0.0004…", which reads as a number ten percent off. A narrow label takes a shorter form.
    void reconstructionMseNeverCut_data()
    {
        QTest::addColumn<bool>("presentation");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<double>("mse");
        for (double mse : {0.000431, 3.75e-14, 0.0402, 0.0})
            for (const auto &[pres, size] : {std::pair{true, QSize(280, 330)}, std::pair{true, QSize(302, 318)}, std::pair{true, QSize(330, 330)}, std::pair{true, QSize(420, 280)}, std::pair{false, QSize(300, 240)},
                                             std::pair{false, QSize(900, 420)}})
                QTest::newRow(qPrintable(QStringLiteral("%1 %2x%3 mse %4").arg(pres ? "presentation" : "normal").arg(size.width()).arg(size.height()).arg(mse)))
                    << pres << size << mse;
    }
    void reconstructionMseNeverCut()
    {
        QFETCH(bool, presentation);
        QFETCH(QSize, size);
        QFETCH(double, mse);
        const ScopedPresentation presenting(presentation);
        ReconstructionView v;
        v.resize(size);
        Snapshot s = reconstructionSnapshot(false);
        s.rowMse[1] = s.rowMse[2] = s.rowMse[3] = mse;
        v.applySnapshot(s);
        int checked = 0;
        for (int r = 0; r < v.rows().size(); ++r) {
            const double want = v.rows()[r].mse;
            if (want < 0) continue;
            const QString shown = v.mseShown(r);
            QVERIFY2(!shown.contains(QChar(0x2026)), qPrintable(shown));
            // The number itself, after "these 10: " where there is room for the caption.
            bool ok = false;
            const double got = shown.section(QLatin1Char(' '), -1).toDouble(&ok);
            QVERIFY2(ok, qPrintable(shown));
            QVERIFY2(std::abs(got - want) <= 0.1 * want + 5e-4 * (want >= 0.001), qPrintable(QStringLiteral("%1 shown for %2").arg(shown).arg(want)));
            if (size.width() >= 900) QCOMPARE(shown.section(QLatin1Char(' '), -1), ReconstructionView::mseNumber(want));  // room: all digits
            ++checked;
        }
        QVERIFY(checked >= 2);
    }

    // A tall, narrow view stacks the ten in two blocks of five, each with the rows' names. Each block said
    // "these 10: 0.0444" beside five images; the MSE over all ten is now given once ("all 10: …").
    void splitRowsGiveTheMseOnce()
    {
        int split = 0, whole = 0;
        for (const bool pres : {false, true}) {
            const ScopedPresentation presenting(pres);
            for (const QSize size : {QSize(320, 300), QSize(330, 420), QSize(300, 500), QSize(420, 280), QSize(900, 420)}) {
                ReconstructionView v;
                v.resize(size);
                v.applySnapshot(reconstructionSnapshot(false));
                const QString where = QStringLiteral("%1 %2x%3").arg(pres ? "presentation" : "normal").arg(size.width()).arg(size.height());
                if (v.blocks() == 2) {
                    ++split;
                    QVERIFY2(v.cellRect(0, 5).top() > v.cellRect(0, 4).bottom(), qPrintable(where));  // stacked, as it says
                } else {
                    ++whole;
                }
                for (int r = 0; r < v.rows().size(); ++r) {
                    if (v.rows()[r].mse < 0) continue;
                    QStringList shown;
                    for (int b = 0; b < v.blocks(); ++b)
                        if (!v.mseShown(r, b).isEmpty()) shown << v.mseShown(r, b);
                    QVERIFY2(shown.size() == 1, qPrintable(where + QStringLiteral(": ") + shown.join(QStringLiteral(" | "))));
                    QVERIFY2(!(v.blocks() == 2 && shown[0].startsWith(QStringLiteral("these"))), qPrintable(where + ": " + shown[0]));
                    QVERIFY2(!(v.blocks() == 1 && shown[0].startsWith(QStringLiteral("all"))), qPrintable(where + ": " + shown[0]));
                }
            }
        }
        QVERIFY2(split > 0 && whole > 0, qPrintable(QStringLiteral("%1 split, %2 whole").arg(split).arg(whole)));
    }
};

QTEST_MAIN(TestUiReconstruction)
#include "tst_ui_reconstruction.moc"
