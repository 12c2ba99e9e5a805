// The loss chart's words fit its size, offscreen, in both modes: the legend's long names or short ones,
// the reconstruction loss named "(BCE)" when it is cross-entropy, the chart's title and the x axis's
// title. (Curves, markers and refresh: tst_ui_losschart; the axes: tst_ui_losschart_axes.)
#include "PresentationTestKit.h"
#include "ViewsTestKit.h"
#include "ui/widgets/LegendRow.h"

#include <QAbstractAxis>
#include <QChart>
#include <QLabel>
#include <QLineSeries>

using namespace viewtest;

class TestUiLossChartLabels : public QObject {
    Q_OBJECT

private slots:
    void lossChartLegendShortWhenNarrow_data();
    void lossChartLegendShortWhenNarrow();
    void lossChartNamesTheBceLoss_data();
    void lossChartNamesTheBceLoss();
    void lossChartTitleFits_data();
    void lossChartTitleFits();
};

void TestUiLossChartLabels::lossChartLegendShortWhenNarrow_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("shortNames");
    QTest::newRow("wide") << false << 900 << false;
    QTest::newRow("presentation, beside a lesson at 1024x768") << true << 300 << true;
    QTest::newRow("presentation, half the screen") << true << 500 << true;
    QTest::newRow("presentation, wide") << true << 1400 << false;
}

// Lesson 4 in presentation mode at 1024 × 768: the legend ("objective L + Ω", "reconstruction L",
// "sparsity λΣ KL(ρ‖ρ̂)", "test MSE") took four rows under a plot of 80 pixels. Where the long names
// need more rows than the short ones ("L + Ω", "L", "sparsity", "test MSE"), the short ones are drawn
// (the formulas stay in the tooltips); where they fit as well, the long ones.
void TestUiLossChartLabels::lossChartLegendShortWhenNarrow()
{
    QFETCH(bool, presentation);
    QFETCH(int, width);
    QFETCH(bool, shortNames);
    const ScopedPresentation presenting(presentation);
    LossChartView v;
    QVERIFY(showUnthrottled(v, width, 420));
    Snapshot s;
    s.termNames = QStringList{"sparsity_kl"};
    for (int i = 1; i <= 20; ++i) s.losses << LossPoint{i, 0, 0.05, {0.001}};
    s.testStep = 20;
    s.testMse = 0.05;
    v.applySnapshot(s);
    LegendRow *legend = v.legend();
    QTRY_COMPARE(legend->entries().size(), 4);
    QStringList longNames;
    for (const LegendRow::Entry &e : legend->entries()) longNames << e.text;
    const QStringList shown = legend->shownTexts();
    if (shortNames) {
        QCOMPARE(shown, QStringList({"L + Ω", "L", "sparsity", "test MSE"}));
        QVERIFY2(legend->rowCount() <= 2, qPrintable(QString::number(legend->rowCount())));
    } else {
        QCOMPARE(shown, longNames);
    }
    for (const LegendRow::Entry &e : legend->entries()) QVERIFY(!e.tooltip.isEmpty());
}

void TestUiLossChartLabels::lossChartNamesTheBceLoss_data()
{
    lossChartLegendShortWhenNarrow_data();  // the same sizes, long names and short
}

// Lesson 7 trains with BCE (L ≈ 0.2 on digits) and shows the test MSE (≈ 0.05) on the same axis: the
// reconstruction curve's name says "(BCE)", long or short, and loses it when the loss goes back to MSE.
void TestUiLossChartLabels::lossChartNamesTheBceLoss()
{
    QFETCH(bool, presentation);
    QFETCH(int, width);
    const ScopedPresentation presenting(presentation);
    LossChartView v;
    QVERIFY(showUnthrottled(v, width, 420));
    auto shownName = [&](const QString &key) {
        const QVector<LegendRow::Entry> &entries = v.legend()->entries();
        for (qsizetype i = 0; i < entries.size(); ++i)
            if (entries[i].key == key) return v.legend()->shownTexts().value(i);
        return QString();
    };
    qint64 step = 0;
    auto apply = [&](bool bce) {
        Snapshot s;
        s.bceLoss = bce;
        for (int i = 0; i < 10; ++i) s.losses << LossPoint{++step, 0, bce ? 0.2 : 0.05, {}};
        s.testStep = step;
        s.testMse = 0.05;
        v.applySnapshot(s);
    };
    apply(true);
    QTRY_COMPARE(v.legend()->entries().size(), 2);
    QVERIFY2(v.series("train")->name().endsWith(QStringLiteral("L (BCE)")), qPrintable(v.series("train")->name()));
    QVERIFY2(shownName("train").endsWith(QStringLiteral("L (BCE)")), qPrintable(shownName("train")));
    QCOMPARE(shownName("test"), QStringLiteral("test MSE"));
    apply(false);
    QVERIFY2(!v.series("train")->name().contains(QStringLiteral("BCE")), qPrintable(v.series("train")->name()));
    QVERIFY2(shownName("train").endsWith(QStringLiteral("L")), qPrintable(shownName("train")));
}

void TestUiLossChartLabels::lossChartTitleFits_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<int>("width");
    QTest::addColumn<QString>("expected");
    QTest::newRow("wide") << false << 700 << "Training loss (per pixel)";
    QTest::newRow("narrowest (normal text)") << false << 320 << "Training loss (per pixel)";
    QTest::newRow("presentation, half the screen") << true << 500 << "Training loss";
    QTest::newRow("presentation, wide") << true << 900 << "Training loss (per pixel)";
    QTest::newRow("presentation, half of 1024") << true << 510 << "Training loss";
    QTest::newRow("presentation, beside a lesson") << true << 330 << "Loss";
    QTest::newRow("presentation, beside the drawing dock") << true << 280 << "Loss";
}

// In presentation mode beside the lesson panel the chart is ~330 pixels wide: "Training loss" at 28 px
// ran under the log-scale box ("Training los"). The title is the longest of three that fits.
void TestUiLossChartLabels::lossChartTitleFits()
{
    QFETCH(bool, presentation);
    QFETCH(int, width);
    QFETCH(QString, expected);
    const ScopedPresentation presenting(presentation);
    LossChartView v;
    v.resize(width, 420);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    // Resized again, as a window's splitters and docks do (a first resize sees the title's old width).
    QApplication::processEvents();
    v.resize(width + 1, 420);
    QApplication::processEvents();
    v.resize(width, 420);
    auto *title = v.findChild<QLabel *>(QStringLiteral("lossTitle"));
    QVERIFY(title);
    QTRY_COMPARE(title->text(), expected);
    // With half an em of air before the log-scale box (flush, the title ran into its square).
    const QFontMetricsF tfm(title->font());
    QVERIFY2(tfm.horizontalAdvance(title->text()) + 0.5 * tfm.height() <= title->width(),
             qPrintable(QStringLiteral("%1 px of text in %2").arg(tfm.horizontalAdvance(title->text())).arg(title->width())));
    // The x axis's title on one line: in presentation mode beside the drawing dock (a 280-pixel chart)
    // "training step" wrapped into two lines, the second cut at the chart's bottom; there it is "step".
    Snapshot s;
    for (int i = 1; i <= 200; ++i) s.losses << LossPoint{i * 25, 0, 0.055 - 1e-4 * i, {}};
    v.setRefreshInterval(0);
    v.applySnapshot(s);
    QTest::qWait(50);  // the chart lays itself out again for the y labels
    const QString axis = v.xAxis()->titleText();
    qInfo("x title '%s': %.0f px in a %.0f-px plot", qPrintable(axis), QFontMetricsF(v.xAxis()->titleFont()).horizontalAdvance(axis), v.chart()->plotArea().width());
    QVERIFY2(QFontMetricsF(v.xAxis()->titleFont()).horizontalAdvance(axis) <= v.chart()->plotArea().width(),
             qPrintable(QString("'%1' in %2 px").arg(axis).arg(v.chart()->plotArea().width())));
    QCOMPARE(axis, width >= 500 ? QStringLiteral("training step") : axis);
}

QTEST_MAIN(TestUiLossChartLabels)
#include "tst_ui_losschart_labels.moc"
