// The arithmetic of aelab's measuring modes (app/gui/QualityClock.h): which test-MSE reading first
// crosses a threshold (strictly below PCA-2's; at or below a target), the training time at a step
// between two snapshots, nearest-rank percentiles, and the kB figures of a /proc/<pid>/status text.
#include "app/gui/QualityClock.h"

#include <QtTest>

#include <cmath>
#include <limits>

using quality::Crossing;
using quality::Reading;
using quality::StepTime;

Q_DECLARE_METATYPE(std::vector<Reading>)
Q_DECLARE_METATYPE(std::vector<StepTime>)
Q_DECLARE_METATYPE(std::vector<double>)
Q_DECLARE_METATYPE(Crossing)

class TestGuiMeasure : public QObject {
    Q_OBJECT
private slots:
    void firstCrossing_data();
    void firstCrossing();
    void secondsAtStep_data();
    void secondsAtStep();
    void percentile_data();
    void percentile();
    void statusKiB_data();
    void statusKiB();
};

void TestGuiMeasure::firstCrossing_data()
{
    QTest::addColumn<std::vector<Reading>>("readings");
    QTest::addColumn<double>("threshold");
    QTest::addColumn<Crossing>("how");
    QTest::addColumn<int>("index");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<Reading> falling{{1.0, 100, 0.070}, {2.0, 200, 0.056}, {3.0, 300, 0.050}, {4.0, 400, 0.047}};
    QTest::newRow("empty") << std::vector<Reading>{} << 0.05 << Crossing::Below << -1;
    QTest::newRow("below PCA-2 at the third") << falling << 0.0559 << Crossing::Below << 2;
    QTest::newRow("equal is not below") << falling << 0.047 << Crossing::Below << -1;
    QTest::newRow("equal reaches") << falling << 0.047 << Crossing::Reaches << 3;
    QTest::newRow("never") << falling << 0.01 << Crossing::Reaches << -1;
    QTest::newRow("already at the first") << falling << 0.08 << Crossing::Below << 0;
    // The first crossing counts even when a later reading rises again (noise of a batch).
    QTest::newRow("first of two") << std::vector<Reading>{{1, 1, 0.06}, {2, 2, 0.04}, {3, 3, 0.07}, {4, 4, 0.03}} << 0.05
                                  << Crossing::Below << 1;
    QTest::newRow("NaN never crosses") << std::vector<Reading>{{1, 1, nan}, {2, 2, 0.03}} << 0.05 << Crossing::Reaches << 1;
}

void TestGuiMeasure::firstCrossing()
{
    QFETCH(std::vector<Reading>, readings);
    QFETCH(double, threshold);
    QFETCH(Crossing, how);
    QFETCH(int, index);
    QCOMPARE(quality::firstCrossing(readings, threshold, how), index);
}

void TestGuiMeasure::secondsAtStep_data()
{
    QTest::addColumn<std::vector<StepTime>>("points");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<double>("seconds");
    const std::vector<StepTime> pts{{100, 1.0}, {300, 2.0}, {400, 4.0}};
    QTest::newRow("empty") << std::vector<StepTime>{} << qint64(5) << -1.0;
    QTest::newRow("at a pair") << pts << qint64(300) << 2.0;
    QTest::newRow("before the first: from (0, 0)") << pts << qint64(50) << 0.5;
    QTest::newRow("between: 1 + 100 · 1/200") << pts << qint64(200) << 1.5;
    QTest::newRow("between: 2 + 50 · 2/100") << pts << qint64(350) << 3.0;
    QTest::newRow("after the last: 4 · 500/400") << pts << qint64(500) << 5.0;
    QTest::newRow("steps must grow") << std::vector<StepTime>{{100, 1.0}, {100, 2.0}} << qint64(50) << -1.0;
    QTest::newRow("step 0") << pts << qint64(0) << 0.0;
}

void TestGuiMeasure::secondsAtStep()
{
    QFETCH(std::vector<StepTime>, points);
    QFETCH(qint64, step);
    QFETCH(double, seconds);
    QCOMPARE(quality::secondsAtStep(points, step), seconds);
}

void TestGuiMeasure::percentile_data()
{
    QTest::addColumn<std::vector<double>>("values");
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("expected");
    const std::vector<double> ten{9, 1, 8, 2, 7, 3, 6, 4, 5, 10};  // sorted: 1..10
    QTest::newRow("empty") << std::vector<double>{} << 50.0 << 0.0;
    QTest::newRow("one") << std::vector<double>{3.5} << 99.0 << 3.5;
    QTest::newRow("median of 3 unsorted") << std::vector<double>{3, 1, 2} << 50.0 << 2.0;
    QTest::newRow("median of 10: rank round(4.5) = 5") << ten << 50.0 << 6.0;
    QTest::newRow("p99 of 10: rank round(8.91) = 9") << ten << 99.0 << 10.0;
    QTest::newRow("p0") << ten << 0.0 << 1.0;
    QTest::newRow("p100") << ten << 100.0 << 10.0;
}

void TestGuiMeasure::percentile()
{
    QFETCH(std::vector<double>, values);
    QFETCH(double, p);
    QFETCH(double, expected);
    QCOMPARE(quality::percentile(values, p), expected);
    if (p == 50) QCOMPARE(quality::median(values), expected);
}

void TestGuiMeasure::statusKiB_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("key");
    QTest::addColumn<qint64>("kib");
    const QString status = QStringLiteral("Name:\taelab\nVmPeak:\t 1843420 kB\nVmHWM:\t  171232 kB\nVmRSS:\t  165000 kB\n"
                                          "Threads:\t8\n");
    QTest::newRow("VmHWM") << status << QStringLiteral("VmHWM") << qint64(171232);
    QTest::newRow("VmRSS") << status << QStringLiteral("VmRSS") << qint64(165000);
    QTest::newRow("missing") << status << QStringLiteral("VmSwap") << qint64(-1);
    QTest::newRow("a prefix is not the key") << status << QStringLiteral("Vm") << qint64(-1);
    QTest::newRow("not in kB") << QStringLiteral("Threads:\t8\n") << QStringLiteral("Threads") << qint64(-1);
    QTest::newRow("no digits") << QStringLiteral("VmHWM:\t kB\n") << QStringLiteral("VmHWM") << qint64(-1);
    QTest::newRow("last line without newline") << QStringLiteral("A:\t1 kB\nVmHWM:\t42 kB") << QStringLiteral("VmHWM")
                                               << qint64(42);
    QTest::newRow("garbage after the unit") << QStringLiteral("VmHWM:\t42 kBx\n") << QStringLiteral("VmHWM") << qint64(-1);
    QTest::newRow("absurdly long number") << QStringLiteral("VmHWM:\t99999999999999999999999 kB\n") << QStringLiteral("VmHWM")
                                          << qint64(-1);
    QTest::newRow("empty text") << QString() << QStringLiteral("VmHWM") << qint64(-1);
}

void TestGuiMeasure::statusKiB()
{
    QFETCH(QString, text);
    QFETCH(QString, key);
    QFETCH(qint64, kib);
    QCOMPARE(qint64(quality::statusKiB(text.toStdString(), key.toStdString())), kib);
}

QTEST_APPLESS_MAIN(TestGuiMeasure)
#include "tst_guimeasure.moc"
