// The faults a run-through of the window found in front of a class, each with the test that would
// have caught it: PCA capped at min(k, d, n − 1) and a verdict for every variant; numbers labelled
// with what they are measured on; the objective and readable term names; PCA fed x̃ in denoising;
// axis titles in every frame; the legend after a switch; labels that never overlap; a scatter range
// that follows a collapsing code; status, title and log axis; data-specific titles; reconstructions that
// use their panel. (The controls and the docks: tst_ui_controls.)
#include "PresentationTestKit.h"
#include "core/data/Dataset.h"
#include "ui/widgets/Ask.h"
#include "ui/window/ControlPanel.h"
#include "ui/views/LossChartView.h"
#include "ui/window/MainWindow.h"
#include "ui/views/PcaComparisonView.h"
#include "ui/views/ReconstructionView.h"
#include "ui/widgets/ScatterCanvas.h"
#include "ui/views/StatusPanel.h"
#include "ui/training/TrainingWorker.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/views/LabelPlacement.h"
#include "ui/views/TermNames.h"
#include "ui/widgets/AxisTicks.h"
#include "ui/widgets/LegendRow.h"

#include <QAction>
#include <QComboBox>
#include <QLineSeries>
#include <QToolBar>
#include <QtTest>

#include <random>

namespace {

MainWindow::Options testOptions()
{
    MainWindow::Options o;
    o.restoreSettings = false;
    return o;
}

/// Waits on events (never on a speed) until `done` holds.
template <class F> bool waitFor(F done, int timeoutMs = 120000)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs) return false;
        QTest::qWait(20);
    }
    return true;
}

Snapshot lossSnapshot(qint64 from, int n, QStringList terms = {})
{
    Snapshot s;
    s.termNames = terms;
    for (int i = 0; i < n; ++i) {
        LossPoint p{from + i, 0, 0.05 + 0.01 / (1 + i), {}};
        for (int t = 0; t < terms.size(); ++t) p.terms << 0.002 * (t + 1);
        s.losses << p;
    }
    return s;
}

}  // namespace

class TestUiFaults : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        ask::setHandler([](const QString &, const QString &, const QStringList &) { return 0; });
    }

    // 1. PCA cannot have more components than d (or n − 1): the row, the floor and the verdict say so.
    void pcaCappedAndVerdictWhenExact()
    {
        Snapshot s;
        s.codeSize = 1024;
        s.pcaK = 784;
        s.pcaExact = true;
        s.pcaTestMse = 0;
        s.testStep = 100;
        s.testMse = 0.004;
        const PcaComparisonView::Verdict v = PcaComparisonView::verdict(s);
        QVERIFY(v.winner != -1);
        QVERIFY2(v.text.contains("PCA-784") && v.text.contains("exact"), qPrintable(v.text));
        QVERIFY(!v.text.contains("1024"));
        LossChartView chart;
        chart.setRefreshInterval(0);
        chart.resize(800, 500);
        Snapshot l = lossSnapshot(1, 50);
        l.pcaK = 784;
        l.pcaExact = true;
        l.pcaTestMse = 0;
        l.codeSize = 1024;
        chart.applySnapshot(l);
        QCOMPARE(chart.floorLabel(), QStringLiteral("PCA-784: exact"));
        QCOMPARE(chart.series("pca")->count(), 2);  // the floor line is drawn (at 0)
    }

    // 1. The verdict appears for every variant's default, in the real window (waits on events only).
    void verdictForEveryVariant_data()
    {
        QTest::addColumn<int>("variant");
        for (int v = 0; v <= int(ael::Variant::Variational); ++v) QTest::addRow("%s", ael::toString(ael::Variant(v))) << v;
    }
    void verdictForEveryVariant()
    {
        QFETCH(int, variant);
        MainWindow w(testOptions());
        w.resize(1280, 720);
        w.show();
        QComboBox *box = w.controls()->findChild<QComboBox *>(QStringLiteral("variant"));
        box->setCurrentIndex(box->findData(variant));
        emit box->activated(box->currentIndex());  // the reset dialog is answered "Reset to the default"
        w.worker()->play();
        QVERIFY(waitFor([&] { return w.lastSnapshot().testStep > 0 && w.lastSnapshot().pcaK > 0; }));
        QVERIFY(waitFor([&] { return w.pcaView()->winner() != -1 && w.pcaView()->winner() != 3; }));
        if (ael::Variant(variant) == ael::Variant::Denoising)  // once PCA and the noisy test pass are in
            QVERIFY(waitFor([&] { return w.pcaView()->verdictText().contains("x̃"); }));
        const Snapshot &s = w.lastSnapshot();
        QVERIFY(s.pcaK <= std::min(s.codeSize, 784));
        QVERIFY2(w.pcaView()->verdictText().startsWith("test set"), qPrintable(w.pcaView()->verdictText()));
        if (ael::Variant(variant) == ael::Variant::Denoising)  // both from x̃: the denoising comparison
            QVERIFY2(w.pcaView()->verdictText().contains("x̃"), qPrintable(w.pcaView()->verdictText()));
        QCOMPARE(w.lastSnapshot().variant, QString::fromUtf8(ael::toString(ael::Variant(variant))));
        w.worker()->stop();
    }

    // 2. The rows' numbers are over the ten images shown, the verdict's over the test set.
    void numbersSayWhatTheyMeasure()
    {
        QCOMPARE(ReconstructionView::mseCaption(0.0512), QStringLiteral("these 10: 0.0512"));
        QCOMPARE(ReconstructionView::mseCaption(0.0512, true), QStringLiteral("all 10: 0.0512"));  // two blocks of five
        Snapshot s;
        s.testStep = 10;
        s.testMse = 0.0559;
        s.pcaTestMse = 0.0512;
        s.pcaK = 2;
        s.codeSize = 2;
        QVERIFY(PcaComparisonView::verdict(s).text.startsWith("test set:"));
        // 4. Denoising: AE and PCA both from the same x̃, against the clean x.
        s.testMseNoisy = 0.012;
        s.pcaTestMseNoisy = 0.0306;
        const PcaComparisonView::Verdict d = PcaComparisonView::verdict(s);
        QCOMPARE(d.text, QStringLiteral("test set from x̃: AE MSE 0.0120 vs PCA-2 MSE 0.0306 — AE wins"));
    }

    // 4. The loss chart of a denoising run measures as its training loss does, from x̃ against the clean x:
    // the test MSE and the PCA floor of x̃ (lesson 5 drew "PCA-512 test MSE" of the clean x at 0.0003 under an
    // autoencoder that wins 0.011 to 0.045 from x̃), on a curve of its own. Back on a plain variant, the clean
    // measures return, and the two are never joined into one line.
    void lossChartOfDenoisingMeasuresFromNoisy()
    {
        LossChartView chart;
        chart.setRefreshInterval(0);
        chart.resize(800, 500);
        Snapshot s = lossSnapshot(1, 50);
        s.testStep = 50;
        s.testMse = 0.0125;
        s.testMseNoisy = 0.0113;
        s.pcaK = 512;
        s.codeSize = 512;
        s.pcaTestMse = 0.0003;
        chart.applySnapshot(s);  // PCA of x̃ not measured yet: no floor rather than the clean one
        QCOMPARE(chart.series("pca")->count(), 0);
        QVERIFY(chart.floorLabel().isEmpty());
        s.losses.clear();
        s.pcaTestMseNoisy = 0.0452;
        chart.applySnapshot(s);
        QCOMPARE(chart.series("test")->count(), 0);
        QCOMPARE(chart.series("testNoisy")->count(), 1);
        QCOMPARE(chart.series("testNoisy")->at(0).y(), 0.0113);
        QCOMPARE(chart.series("testNoisy")->name(), QString::fromUtf8("test MSE from x̃"));
        QCOMPARE(chart.series("pca")->at(0).y(), 0.0452);
        QCOMPARE(chart.floorLabel(), QString::fromUtf8("PCA-512 of x̃"));
        QStringList legend;
        for (const LegendRow::Entry &e : chart.legend()->entries()) legend << e.key;
        QVERIFY(legend.contains("testNoisy") && !legend.contains("test"));

        Snapshot plain = lossSnapshot(51, 50);
        plain.testStep = 100;
        plain.testMse = 0.0120;
        plain.pcaK = 512;
        plain.codeSize = 512;
        plain.pcaTestMse = 0.0003;
        chart.applySnapshot(plain);
        QCOMPARE(chart.series("testNoisy")->count(), 1);  // not joined to the clean measure
        QCOMPARE(chart.series("test")->count(), 1);
        QCOMPARE(chart.series("test")->at(0).y(), 0.0120);
        QCOMPARE(chart.series("test")->name(), QStringLiteral("test MSE"));
        QCOMPARE(chart.series("pca")->at(0).y(), 0.0003);
        QCOMPARE(chart.floorLabel(), QStringLiteral("PCA-512 test MSE"));
    }

    // 3. The objective L + Ω is drawn, and every term has a readable name and a formula.
    void objectiveAndReadableTerms()
    {
        LossChartView v;
        v.setRefreshInterval(0);
        v.applySnapshot(lossSnapshot(1, 10, {"sparsity_l1", "contractive_est", "kl"}));
        QVERIFY(v.series("objective"));
        QCOMPARE(v.series("objective")->count(), 10);
        const QPointF o = v.series("objective")->at(0), r = v.series("train")->at(0);
        QVERIFY(std::abs(o.y() - (r.y() + 0.002 + 0.004 + 0.006)) < 1e-12);
        QStringList shown;
        for (const LegendRow::Entry &e : v.legend()->entries()) {
            shown << e.text;
            QVERIFY2(!e.text.contains(QRegularExpression("[a-z]_[a-z]")), qPrintable(e.text));  // no identifiers
            QVERIFY(!e.tooltip.isEmpty());
        }
        QVERIFY(shown.contains("sparsity λΣ|h|"));
        QVERIFY(shown.contains("contractive λ‖J‖²_F (estimate)"));
        QVERIFY(shown.contains("KL β·KL(q‖p)"));
        QVERIFY(shown.contains("objective L + Ω"));
        QVERIFY(term_names::tooltip("contractive").contains("‖∂f(x)/∂x‖²_F"));
    }

    // 6. The legend lists exactly the curves drawn, also right after a switch (no resize needed).
    void legendFollowsASwitch()
    {
        LossChartView v;
        v.setRefreshInterval(0);
        v.resize(700, 450);
        v.show();
        v.applySnapshot(lossSnapshot(1, 20, {"kl"}));
        v.applySnapshot(lossSnapshot(21, 20, {"sparsity_l1"}));
        QStringList keys;
        for (const LegendRow::Entry &e : v.legend()->entries()) keys << e.key;
        QStringList plotted;
        for (const QString &k : {"objective", "train", "test", "kl", "sparsity_l1"})
            if (v.series(k) && v.series(k)->count() > 0) plotted << k;
        std::sort(keys.begin(), keys.end());
        std::sort(plotted.begin(), plotted.end());
        QCOMPARE(keys, plotted);
        for (int i = 0; i < v.legend()->entries().size(); ++i) QVERIFY(!v.legend()->entryRect(i).isEmpty());
        QVERIFY(v.legend()->heightForWidth(v.legend()->width()) > 0);
    }

    // 7. Marker labels sit beside their own line and never overlap each other or the floor label.
    void labelsNeverOverlap()
    {
        using namespace label_placement;
        const QRectF plot(50, 20, 600, 300);
        QVector<Request> req;
        std::mt19937 rng(3);
        std::uniform_real_distribution<double> x(50, 650), w(40, 160);
        for (int i = 0; i < 40; ++i) req.append({x(rng), QSizeF(w(rng), 22)});
        const QVector<QRectF> floor{QRectF(480, 150, 160, 24)};
        const QVector<QRectF> r = place(req, plot, floor);
        QCOMPARE(r.size(), req.size());
        int placed = 0;
        for (int i = 0; i < r.size(); ++i) {
            if (!r[i].isValid()) continue;
            ++placed;
            QVERIFY(plot.contains(r[i]));
            // Touches its own line: the line runs along its left or right edge.
            QVERIFY(std::abs(r[i].left() - req[i].x) < 1e-9 || std::abs(r[i].right() - req[i].x) < 1e-9);
            QVERIFY(!r[i].intersects(floor[0]));
            for (int j = 0; j < i; ++j) QVERIFY(!r[j].isValid() || !r[i].intersects(r[j]));
        }
        QVERIFY(placed >= 20);
        // In the chart: markers near the right edge and the PCA label stay apart.
        LossChartView v;
        v.setRefreshInterval(0);
        v.resize(900, 500);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        Snapshot s = lossSnapshot(1, 1000);
        s.pcaK = 2;
        s.pcaTestMse = 0.0559;
        s.testStep = 900;
        s.testMse = 0.05;
        for (int step : {700, 930, 960, 990}) s.markers << ChangeMarker{step, QStringLiteral("corruption %1 %").arg(step / 20)};
        v.applySnapshot(s);
        v.refresh();
        QTRY_VERIFY(!v.floorLabelRect().isEmpty());
        QVector<QRectF> all{v.floorLabelRect()};
        for (int i = 0; i < v.markerCount(); ++i)
            if (!v.markerLabelRect(i).isEmpty()) all << v.markerLabelRect(i);
        QVERIFY(all.size() >= 3);
        for (int i = 0; i < all.size(); ++i)
            for (int j = 0; j < i; ++j) QVERIFY2(!all[i].intersects(all[j]), "two labels overlap");
    }

    // 8. A code that collapses (a strong penalty) stays spread over the plot.
    void scatterFollowsACollapse()
    {
        ScatterCanvas c;
        c.resize(600, 500);
        QVector<QPointF> wide, collapsed;
        QVector<quint8> labels;
        std::mt19937 rng(1);
        std::normal_distribution<double> n(0, 1);
        for (int i = 0; i < 2000; ++i) {
            wide << QPointF(5 * n(rng), 5 * n(rng));
            collapsed << QPointF(3 + 1e-4 * n(rng), -2 + 1e-4 * n(rng));
            labels << quint8(i % 10);
        }
        c.setData(wide, labels);
        c.snapView();
        c.setData(collapsed, labels);
        c.advanceView(0.1);
        const QRectF v = c.drawnRange();
        int inside = 0;
        for (const QPointF &p : collapsed) inside += v.contains(p);
        QVERIFY(inside >= 0.95 * collapsed.size());
        const QRectF bulk = axis_ticks::robustRange(collapsed, 0.01, 0.99, 0.0);
        QVERIFY2(bulk.width() > 0.3 * v.width() && bulk.height() > 0.3 * v.height(), "the points are squashed");
    }

    // 5, 9, 14. In a real run: axis titles in every frame, no rate while paused, no repeated title,
    // one log toggle, the explorer in the bottom-left cell.
    void windowFramesAndStatus()
    {
        MainWindow w(testOptions());
        w.resize(1280, 720);
        w.show();
        int frames = 0, withoutTitles = 0;
        connect(&w, &MainWindow::snapshotApplied, this, [&](const Snapshot &) {
            if (w.latentView()->canvas()->points().isEmpty()) return;
            ++frames;
            const ScatterCanvas *a = w.latentView()->canvas(), *b = w.pcaView()->aeCanvas();
            if (a->xTitle().isEmpty() || a->yTitle().isEmpty() || b->xTitle().isEmpty() || b->yTitle().isEmpty())
                ++withoutTitles;
        });
        w.worker()->play();
        QVERIFY(waitFor([&] { return frames >= 30; }));
        QCOMPARE(withoutTitles, 0);
        QVERIFY(!w.windowTitle().contains("Autoencoder Lab"));  // Qt appends the display name itself
        w.worker()->pause();
        QVERIFY(waitFor([&] { return !w.lastSnapshot().running; }));
        QCOMPARE(w.statusPanel()->rateText(), QStringLiteral("— samples/s"));
        int logToggles = 0;
        for (QToolBar *tb : w.findChildren<QToolBar *>())
            for (QAction *a : tb->actions()) logToggles += a->text().contains("log", Qt::CaseInsensitive);
        QCOMPARE(logToggles, 0);  // the chart's own checkbox is the one toggle
        QVERIFY(w.latentView()->isVisible());
    }

    // 9. The log axis labels 1, 2 and 5 times each power of ten.
    void logAxisLabels()
    {
        LossChartView v;
        v.setRefreshInterval(0);
        v.resize(800, 500);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.applySnapshot(lossSnapshot(1, 200));
        v.setLogY(true);
        QTRY_VERIFY(!v.logTickLabels().isEmpty());
        const QStringList labels = v.logTickLabels();
        QVERIFY2(labels.contains("0.05") || labels.contains("0.02"), qPrintable(labels.join(' ')));
    }

    // 10. Titles follow the data; class names are split, not cut.
    void titlesFollowTheData()
    {
        ReconstructionView v;
        v.resize(700, 400);
        auto test = std::make_shared<ael::Dataset>();
        test->rows = test->cols = 28;
        test->classNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                            "Bag", "Ankle boot"};
        Snapshot s;
        s.testSet = test;
        s.itemNoun = "images";
        QImage img(28, 28, QImage::Format_Grayscale8);
        img.fill(0);
        for (int i = 0; i < 10; ++i) s.originals << img, s.reconstructions << img;
        v.applySnapshot(s);
        QVERIFY(v.title().contains("images"));
        QVERIFY(!v.title().contains("digits"));
        for (int c = 0; c < 10; ++c) {
            const QStringList lines = v.headerLines().value(c);
            QVERIFY(lines.size() >= 1 && lines.size() <= 2);
            for (const QString &l : lines) QVERIFY2(!l.contains(QChar(0x2026)), qPrintable(l));  // no "…"
            const QString name = QString::fromStdString(test->classNames[size_t(c)]);
            QVERIFY2(lines.join(' ') == name || lines.join(QString()) == name, qPrintable(lines.join('|')));
        }
        v.resize(520, 300);  // narrow: the long names take two lines, still whole
        QCOMPARE(v.headerLines().value(9), (QStringList{"Ankle", "boot"}));
        // Narrower (the window at 1366 × 768 with Fashion-MNIST, "Trou…", "Pull…", "San…" before): a word
        // too long for its column breaks with a hyphen near its middle, and every name stays whole.
        for (const QSize size : {QSize(480, 300), QSize(420, 300), QSize(380, 280)}) {
            v.resize(size);
            if (size.width() == 420) QCOMPARE(v.headerLines().value(2), (QStringList{"Pull-", "over"}));
            for (int c = 0; c < 10; ++c) {
                const QStringList lines = v.headerLines().value(c);
                const QString name = QString::fromStdString(test->classNames[size_t(c)]);
                QVERIFY2(lines.size() <= 2 && !lines.join(QString()).contains(QChar(0x2026)), qPrintable(lines.join('|')));
                // whole: split at a space or a '-', hyphenated inside the word, or the first of "T-shirt/top"
                const QString first = name.section('/', 0, 0);
                const bool whole = lines.join(' ') == name || lines.join(QString()) == name || lines.join(QString()) == first ||
                                   (lines.size() == 2 && lines[0].endsWith('-') && lines[0].chopped(1) + lines[1] == name);
                QVERIFY2(whole, qPrintable(QString("%1 px: %2").arg(size.width()).arg(lines.join('|'))));
            }
        }
        // Presentation mode beside the drawing dock at 1024 × 768 ("T-" over a row of "…"): no names rather
        // than stubs; the digits' numbers still show in a column of the same width.
        {
            const ScopedPresentation presenting(true);
            v.resize(290, 330);
            for (const QStringList &lines : v.headerLines()) QVERIFY2(lines.isEmpty(), qPrintable(lines.join('|')));
            v.reset();  // a new run on MNIST: the class names are the numbers
            s.testSet = std::make_shared<ael::Dataset>();
            v.applySnapshot(s);
            QCOMPARE(v.headerLines().value(7), QStringList{"7"});
        }
    }

    // 14. The reconstructions use the space: anchored at the top, and in two blocks of five when the view
    // is tall (no empty bands above and below a thin grid).
    void reconstructionsFillTheirPanel()
    {
        ReconstructionView v;
        Snapshot s;
        QImage img(28, 28, QImage::Format_Grayscale8);
        img.fill(0);
        for (int i = 0; i < 10; ++i) s.originals << img, s.reconstructions << img, s.pcaReconstructions << img;
        s.pcaK = 2;
        v.applySnapshot(s);
        v.resize(900, 300);  // wide: one block of ten
        QCOMPARE(v.cellRect(0, 5).top(), v.cellRect(0, 4).top());
        QVERIFY(v.cellRect(0, 0).top() < 90);
        const int wideCell = v.cellRect(0, 0).width();
        v.resize(600, 700);  // tall: two blocks of five, larger digits
        QVERIFY(v.cellRect(0, 5).top() > v.cellRect(2, 4).bottom());
        QCOMPARE(v.cellRect(0, 5).left(), v.cellRect(0, 0).left());
        QVERIFY(v.cellRect(0, 0).width() > wideCell);
        QVERIFY(v.cellRect(0, 0).top() < 90);
    }
};

QTEST_MAIN(TestUiFaults)
#include "tst_ui_faults.moc"
