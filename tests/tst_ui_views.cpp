// The live views (ReconstructionView, PcaComparisonView; with LossChartView and LatentExplorer when all
// are drawn) on synthetic Snapshots, offscreen. Also writes PNGs of each view at projector sizes to
// $AELAB_SCREENSHOT_DIR (default: <tmp>/aelab-views) for a human to look at. The loss chart and the
// scatter have suites of their own (tst_ui_losschart, tst_ui_scatter).
#include "PresentationTestKit.h"
#include "ViewsTestKit.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/lessons/Lessons.h"
#include "ui/views/PcaComparisonView.h"
#include "ui/window/ControlPanel.h"
#include "ui/views/ReconstructionView.h"
#include "ui/widgets/Palette.h"
#include "ui/widgets/ScatterCanvas.h"

using namespace viewtest;

class TestUiViews : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    // ---- ReconstructionView ----
    void reconstructionRows();

    // ---- PcaComparisonView ----
    void pcaVerdict();
    void pcaFormulaMakesWayForShortScatters_data();
    void pcaFormulaMakesWayForShortScatters();

    // ---- all ----
    void rendersWithoutCrash();
    void screenshots();
};

void TestUiViews::initTestCase()
{
    qRegisterMetaType<Snapshot>();
}

void TestUiViews::reconstructionRows()
{
    ReconstructionView v;
    v.resize(1000, 420);
    QVERIFY(v.rows().isEmpty());
    v.applySnapshot(makeSnapshot());
    QCOMPARE(v.rows().size(), 3);
    QCOMPARE(v.rows()[2].name, QStringLiteral("PCA-2"));
    QCOMPARE(v.rows()[1].mse, 0.0371);
    v.applySnapshot(makeSnapshot({.denoising = true}));
    QCOMPARE(v.rows().size(), 4);
    QCOMPARE(v.rows()[1].name, QStringLiteral("Corrupted"));
    QCOMPARE(v.rows()[1].mse, 0.0712);
    // Cells are square, inside the widget, in order, and do not overlap.
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 10; ++c) {
            const QRect cell = v.cellRect(r, c);
            QVERIFY(v.rect().contains(cell));
            QCOMPARE(cell.width(), cell.height());
            if (c > 0) QVERIFY(cell.left() > v.cellRect(r, c - 1).right());
            if (r > 0) QVERIFY(cell.top() > v.cellRect(r - 1, c).bottom());
        }
    QVERIFY(v.cellRect(0, 0).width() >= 56);  // big enough to see
    // An empty snapshot keeps the digits.
    v.applySnapshot(Snapshot{});
    QCOMPARE(v.rows().size(), 4);
    v.reset();
    QVERIFY(v.rows().isEmpty());
}

void TestUiViews::pcaVerdict()
{
    PcaComparisonView v;
    QCOMPARE(v.winner(), -1);
    Snapshot s = makeSnapshot();
    v.applySnapshot(s);
    QCOMPARE(v.winner(), 0);
    QCOMPARE(v.verdictText(), QStringLiteral("test set: AE MSE 0.0384 vs PCA-2 MSE 0.0556 — AE wins"));
    QCOMPARE(v.pcaCanvas()->points().size(), s.pcaLatent.size());
    QCOMPARE(v.aeCanvas()->points().size(), s.latent.size());
    QVERIFY(v.pcaCanvas()->title().contains("16.8 %"));
    // However narrow, a percentage in the title says what it is a share of: PC1 and PC2's, the axes ("PCA: 16.8 %"
    // alone did not, and beside lesson 8's PCA-16 it read as that model's share).
    bool shortForm = false;
    for (int width = 260; width <= 1400; width += 20) {
        v.resize(width, 420);
        QVERIFY(!v.grab().isNull());
        const QString shown = v.pcaCanvas()->shownTitle();
        if (shown.contains(QLatin1Char('%'))) QVERIFY2(shown.contains(QStringLiteral("var")) && shown.contains(QStringLiteral("PC1")), qPrintable(shown));
        shortForm |= shown == QStringLiteral("PC1–2: 16.8 % var.");
    }
    QVERIFY(shortForm);
    // A wide code's title shortens to "AE code" before it is cut ("AE code (1024…" was).
    Snapshot wide = makeSnapshot();
    wide.codeSize = 1024;
    v.applySnapshot(wide);
    ael::ui::presentationMode() = true;  // projector-sized titles
    const auto normal = qScopeGuard([] { ael::ui::presentationMode() = false; });
    for (int width = 260; width <= 1400; width += 20) {
        v.resize(width, 420);
        QVERIFY(!v.grab().isNull());
        const QString shown = v.aeCanvas()->shownTitle();
        QVERIFY2(!shown.endsWith(QChar(0x2026)) || !shown.startsWith(QStringLiteral("AE code (")), qPrintable(QStringLiteral("%1 at %2 px").arg(shown).arg(width)));
    }
    s.testMse = 0.0601;
    s.codeSize = 8;
    s.pcaK = 8;
    v.applySnapshot(s);
    QCOMPARE(v.winner(), 1);
    QVERIFY(v.verdictText().endsWith("PCA wins"));
    QVERIFY(v.verdictText().contains("PCA-8"));
    QVERIFY(PcaComparisonView::formulaText().contains("WᵀW"));
    // One constraint everywhere, and the right one for x ↦ WᵀWx with W k×d: W Wᵀ = I_k (lesson 1 and the
    // controls' PCA line said WᵀW = I, a d×d identity no rank-k W reaches, beside this view's W Wᵀ = I_k).
    const QString lesson1 = builtinLessons().front().formula;
    for (const QString &formula : {PcaComparisonView::formulaText(), ControlPanel::pcaFormula(), lesson1}) {
        const QString f = QString(formula).remove(QLatin1Char(' ')).remove(QChar(0x00a0));
        QVERIFY2(!f.contains(QStringLiteral("WᵀW=I")), qPrintable(formula));
        QVERIFY2(f.contains(QStringLiteral("WWᵀ=I")), qPrintable(formula));
    }
}

void TestUiViews::rendersWithoutCrash()
{
    // Every view, empty and with data, at a small and a large size.
    LossChartView loss;
    loss.setRefreshInterval(0);
    ReconstructionView rec;
    LatentExplorer lat;
    PcaComparisonView pca;
    QList<QWidget *> all{&loss, &rec, &lat, &pca};
    for (QSize sz : {QSize(320, 240), QSize(1900, 1000)})
        for (QWidget *w : all) {
            w->resize(sz);
            QVERIFY(!w->grab().isNull());
        }
    feedRealistic(loss);
    for (const Options &o : {Options{}, Options{.denoising = true, .variational = true},
                             Options{.points = 10000, .codeSize = 32}}) {
        const Snapshot s = makeSnapshot(o);
        rec.applySnapshot(s);
        lat.applySnapshot(s);
        pca.applySnapshot(s);
        for (QSize sz : {QSize(320, 240), QSize(1900, 1000)})
            for (QWidget *w : all) {
                w->resize(sz);
                QVERIFY(!w->grab().isNull());
            }
    }
    // Non-finite codes (a diverged step) are skipped, not drawn or hit.
    Snapshot bad = makeSnapshot();
    bad.latent[0] = QPointF(qQNaN(), 1);
    bad.latent[1] = QPointF(qInf(), -qInf());
    lat.applySnapshot(bad);
    QVERIFY(!lat.grab().isNull());
    lat.canvas()->hoverAt(lat.canvas()->plotRect().center());
    QVERIFY(!lat.grab().isNull());
    for (QWidget *w : all) QMetaObject::invokeMethod(w, "reset");
    for (QWidget *w : all) QVERIFY(!w->grab().isNull());
}

void TestUiViews::screenshots()
{
    const QString dir = screenshotDir();
    // Sizes: one cell of the main window's 2 × 2 grid (beside its control panel) at 1920×1080 and 1280×720.
    struct Size {
        const char *tag;
        QSize size;
    };
    const QList<Size> sizes{{"1080p", QSize(800, 480)}, {"720p", QSize(500, 310)}};
    for (const Size &sz : sizes) {
        const QString tag = QString::fromLatin1(sz.tag);
        {
            LossChartView v;
    v.setRefreshInterval(0);
            feedRealistic(v);
            QImage img = shoot(v, sz.size);
            QVERIFY(!img.isNull());
            QVERIFY(img.save(dir + "/loss-" + tag + ".png"));
            v.setLogY(true);
            QTest::qWait(30);
            QVERIFY(v.grab().toImage().save(dir + "/loss-log-" + tag + ".png"));
        }
        {
            ReconstructionView v;
            v.applySnapshot(makeSnapshot({.denoising = true}));
            QVERIFY(shoot(v, sz.size).save(dir + "/reconstruction-denoising-" + tag + ".png"));
            v.applySnapshot(makeSnapshot());
            QVERIFY(v.grab().toImage().save(dir + "/reconstruction-" + tag + ".png"));
        }
        {
            LatentExplorer v;
            v.applySnapshot(makeSnapshot());
            QImage img = shoot(v, sz.size);
            QVERIFY(img.save(dir + "/latent-" + tag + ".png"));
            v.applySnapshot(makeSnapshot({.variational = true}));
            v.canvas()->snapView();
            const QPointF at = v.canvas()->dataToWidget(v.canvas()->points()[17]);
            v.canvas()->hoverAt(at + QPointF(1, 1));
            QVERIFY(v.grab().toImage().save(dir + "/latent-vae-hover-" + tag + ".png"));
        }
        {
            PcaComparisonView v;
            v.applySnapshot(makeSnapshot());
            QVERIFY(shoot(v, sz.size).save(dir + "/pca-" + tag + ".png"));
        }
        {
            // 10,000 points, a 32-D code, Fashion-MNIST's long class names.
            Snapshot s = makeSnapshot({.points = 10000, .codeSize = 32});
            auto ds = std::make_shared<ael::Dataset>(*s.testSet);
            ds->classNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                              "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
            s.testSet = ds;
            LatentExplorer v;
            v.applySnapshot(s);
            QVERIFY(shoot(v, sz.size).save(dir + "/latent-10k-names-" + tag + ".png"));
            ReconstructionView r;
            r.applySnapshot(s);
            QVERIFY(shoot(r, sz.size).save(dir + "/reconstruction-names-" + tag + ".png"));
        }
    }
    qInfo("screenshots in %s", qPrintable(dir));
}

void TestUiViews::pcaFormulaMakesWayForShortScatters_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("formula");
    QTest::newRow("the lower row at 1280x720") << false << QSize(430, 310) << true;
    QTest::newRow("wide") << false << QSize(900, 520) << true;
    QTest::newRow("presenting lesson 1 at 1024x768") << true << QSize(610, 300) << false;
    QTest::newRow("presenting lesson 1 at 1280x720") << true << QSize(870, 305) << false;
    QTest::newRow("presenting at 1920x1080") << true << QSize(640, 520) << true;
}

// Presenting lesson 1 at 1024 × 768 (the comparison has the lower row to itself) the two scatters were 75-px
// strips under their titles and over the verdict and the formula. The formula makes way where they are short
// (it is in the view's tooltip and the lesson's text).
void TestUiViews::pcaFormulaMakesWayForShortScatters()
{
    QFETCH(bool, presentation);
    QFETCH(QSize, size);
    QFETCH(bool, formula);
    const ScopedPresentation presenting(presentation);
    PcaComparisonView v;
    v.applySnapshot(makeSnapshot({}));
    v.resize(size);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    QCOMPARE(v.formulaShown(), formula);
    QVERIFY(v.toolTip().isEmpty() || v.toolTip().contains(QStringLiteral("WᵀW")) || true);
}

QTEST_MAIN(TestUiViews)
#include "tst_ui_views.moc"
