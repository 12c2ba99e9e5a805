// The overfitting watch (core/train/OverfitWatch.h): the test MSE rising from its lowest point while the
// training loss keeps falling, on hand-made sequences (exactly when it is reported, and when it is not:
// a falling run, a flat and noisy one, a diverging one, a rise too small, a new low) and on a real run
// of the engine on few digits, where a model with room to memorise them overfits within seconds.
#include "core/Rng.h"
#include "core/data/Embedded.h"
#include "core/data/Split.h"
#include "core/train/OverfitWatch.h"
#include "core/train/Trainer.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

using namespace ael;

namespace {

/// test(i), train(i) for evaluation i; evaluation i is at step 100 (i + 1).
struct Run {
    std::function<double(int)> test, train;
};

/// Feeds evaluations 0 .. n − 1; returns the index of the first one after which overfitting was reported
/// (−1: never) and leaves the watch as after the last.
int feed(OverfitWatch &w, const Run &r, int n, int from = 0)
{
    int first = -1;
    for (int i = from; i < n; ++i) {
        w.add(100 * (i + 1), r.test(i), r.train(i));
        if (first < 0 && w.overfitting()) first = i;
    }
    return first;
}

/// A deterministic noise in [−1, 1] for evaluation i.
double noise(uint64_t seed, int i)
{
    Rng rng(seed * 1000003 + uint64_t(i));
    return 2 * rng.uniform() - 1;
}

}  // namespace

class TestOverfit : public QObject {
    Q_OBJECT
private slots:
    void handComputed();
    void verdicts_data();
    void verdicts();
    void skipsNonFinite();
    void realRunOnFewDigits();
};

// test = 1.00, 0.99, …, 0.80 (evaluation 20), then 0.825, 0.85, …; the training loss 1.00, 0.99, … throughout.
// Medians of seven: 0.83 after evaluation 20, then 0.825 (evaluation 21's value) after evaluations 21–24, the
// lowest; 0.85 after 25. The lowest point is marked at the lowest evaluation of that first window (15–21):
// evaluation 20, step 2100. The verdict needs ten more evaluations after the 22nd: it
// comes after evaluation 31 (median 1.00, evaluation 28's; training loss 0.72 against 0.82), not after 30.
void TestOverfit::handComputed()
{
    QCOMPARE(OverfitWatch::kSmooth, 7);  // the medians above
    QCOMPARE(OverfitWatch::kAfter, 10);
    const Run r{[](int i) { return i <= 20 ? 1.0 - 0.01 * i : 0.80 + 0.025 * (i - 20); }, [](int i) { return 1.0 - 0.01 * i; }};
    OverfitWatch w;
    QCOMPARE(feed(w, r, 31), -1);
    w.add(100 * 32, r.test(31), r.train(31));
    const auto low = w.overfitting();
    QVERIFY(low.has_value());
    QCOMPARE(low->step, int64_t(2100));
    QCOMPARE(low->testMse, r.test(21));          // 0.825
    QCOMPARE(low->trainLoss, r.train(18));       // 0.82, the training losses' median then
    QCOMPARE(low->testNow, r.test(28));          // 1.00
    QCOMPARE(low->trainNow, r.train(28));        // 0.72
    QCOMPARE(low->rise(), r.test(28) / r.test(21) - 1);
    QCOMPARE(w.evaluations(), 32);
    // A new low clears it: four evaluations far below bring the median under 0.825.
    for (int i = 32; i < 36; ++i) w.add(100 * (i + 1), 0.5, r.train(i));
    QVERIFY(!w.overfitting());
    w.reset();
    QCOMPARE(w.evaluations(), 0);
    QVERIFY(!w.overfitting());
}

void TestOverfit::verdicts_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("overfits");
    // Each over 150 evaluations, with ±0.5 % noise on both curves (the window's evaluations vary about so).
    QTest::newRow("both fall") << 0 << false;
    QTest::newRow("test lowest at 60, then +3 % while train falls") << 1 << true;
    QTest::newRow("both rise after 60 (a diverging run)") << 2 << false;
    QTest::newRow("test flat and noisy, train falls") << 3 << false;
    QTest::newRow("test +0.5 % since its lowest (under the threshold)") << 4 << false;
    QTest::newRow("rises to +3 %, then falls to a new low") << 5 << false;
    QTest::newRow("test MSE exactly 0 throughout (a copy), train falls") << 6 << false;
}

void TestOverfit::verdicts()
{
    QFETCH(int, kind);
    QFETCH(bool, overfits);
    const auto falling = [](int i) { return 0.04 + 0.02 * std::exp(-i / 30.0); };  // to 0.04 and on
    const auto vshape = [](double rise) {
        return [rise](int i) { return i <= 60 ? 0.043 * (1 + 0.002 * (60 - i)) : 0.043 * (1 + rise * (i - 60) / 90.0); };
    };
    std::function<double(int)> test, train = falling;
    switch (kind) {
    case 0: test = falling; break;
    case 1: test = vshape(0.03); break;
    case 2: test = vshape(0.03); train = [&](int i) { return vshape(0.05)(i) - 0.003; }; break;
    case 3: test = [](int) { return 0.043; }; break;
    case 4: test = vshape(0.005); break;
    case 5: test = [&](int i) { return i <= 120 ? vshape(0.03)(i + 30) : 0.043 * (1 + 0.03 - 0.001 * (i - 120) * 3.0); }; break;
    case 6: test = [](int) { return 0.0; }; break;
    }
    const Run r{[&](int i) { return test(i) * (1 + 0.005 * noise(1, i)); }, [&](int i) { return train(i) * (1 + 0.005 * noise(2, i)); }};
    OverfitWatch w;
    const int first = feed(w, r, 150);
    QCOMPARE(w.overfitting().has_value(), overfits);
    if (kind == 1) {
        // Reported once the rise passed 1.5 % (45 evaluations after the lowest point; the noise moves that by
        // ±8), and the lowest point lies near evaluation 60.
        QVERIFY2(first >= 60 + 35 && first <= 60 + 58, qPrintable(QString::number(first)));
        // (After evaluation 60 the test MSE rises 0.03 % an evaluation, under its ±0.5 % noise for ten more.)
        const int64_t lowEval = w.overfitting()->step / 100 - 1;
        QVERIFY2(std::abs(lowEval - 60) <= 10, qPrintable(QString::number(lowEval)));
        QVERIFY(w.overfitting()->rise() > 0.025 && w.overfitting()->rise() < 0.035);
    }
    if (kind == 5) QVERIFY2(first > 0, "overfitting before the new low");  // it was seen, then cleared
}

void TestOverfit::skipsNonFinite()
{
    const Run r{[](int i) { return i <= 20 ? 1.0 - 0.01 * i : 0.80 + 0.025 * (i - 20); }, [](int i) { return 1.0 - 0.01 * i; }};
    OverfitWatch w;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (int i = 0; i < 32; ++i) {
        w.add(100 * (i + 1), r.test(i), r.train(i));
        w.add(100 * (i + 1) + 50, nan, r.train(i));  // between every two: nothing counted
        w.add(100 * (i + 1) + 60, r.test(i), std::numeric_limits<double>::infinity());
    }
    QCOMPARE(w.evaluations(), 32);
    QVERIFY(w.overfitting().has_value());  // as in handComputed
    QCOMPARE(w.overfitting()->step, int64_t(2100));
}

// The engine itself: 300 training digits and a model with room to memorise them (784-128-[16]-128-784)
// overfit within a few hundred steps; the watch, fed once an epoch as the window feeds it, says so, and the
// lowest point it names is the run's lowest smoothed test MSE, before the end.
void TestOverfit::realRunOnFewDigits()
{
    const Split split = stratifiedSplit(embeddedMnist());
    std::vector<int> few(300);
    std::iota(few.begin(), few.end(), 0);
    const Dataset train = split.train.subset(few, "few digits");
    Architecture a;
    std::string err;
    QVERIFY2(Architecture::parseSpec("784-128-[16]-128-784", a, &err), err.c_str());
    TrainSettings s;
    s.batchSize = 50;
    Trainer t(a, s, train, 1);
    OverfitWatch w;
    std::vector<double> tests;
    double trainSum = 0;
    int trainSteps = 0, first = -1;
    for (int epoch = 0; epoch < 200; ++epoch) {
        StepResult r;
        do {
            r = t.step();
            QVERIFY(!r.diverged);
            trainSum += r.reconstruction;
            ++trainSteps;
        } while (!r.epochEnded);
        const double test = t.evaluate(split.test, 300).mse;
        tests.push_back(test);
        w.add(t.steps(), test, trainSum / std::max(1, trainSteps));
        trainSum = 0;
        trainSteps = 0;
        if (first < 0 && w.overfitting()) first = epoch;
    }
    QVERIFY2(first > 0, "no overfitting seen");
    const auto low = w.overfitting();
    QVERIFY(low.has_value());
    QVERIFY2(low->rise() > OverfitWatch::kRise / 2, qPrintable(QString::number(low->rise())));
    QVERIFY(low->trainNow < low->trainLoss);
    QVERIFY(low->step < t.steps());
    // The lowest of the test MSE's running medians of seven, computed here on its own: the watch's.
    double lowest = std::numeric_limits<double>::infinity();
    for (size_t i = OverfitWatch::kSmooth; i <= tests.size(); ++i) {
        std::vector<double> window(tests.begin() + std::ptrdiff_t(i - OverfitWatch::kSmooth), tests.begin() + std::ptrdiff_t(i));
        std::nth_element(window.begin(), window.begin() + OverfitWatch::kSmooth / 2, window.end());
        lowest = std::min(lowest, window[OverfitWatch::kSmooth / 2]);
    }
    QCOMPARE(low->testMse, lowest);
    qInfo("lowest test MSE %.4f at step %lld, %.4f now (+%.1f %%), first seen after epoch %d", low->testMse, (long long)low->step,
          low->testNow, 100 * low->rise(), first + 1);
}

QTEST_GUILESS_MAIN(TestOverfit)
#include "tst_overfit.moc"
