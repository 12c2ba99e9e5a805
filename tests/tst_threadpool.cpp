// The engine's fork–join pool: every index exactly once, deterministic sums, nesting, and that workers
// can be started and stopped at any moment without hanging (a stop right after a start once did).
#include "core/parallel/ThreadPool.h"

#include <QtTest>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

using namespace ael;

/// Σ 1/(i+1) over n floats by parallelSum, chunk by chunk in float: its bits depend on the chunking.
static double harmonicSum(const std::vector<float> &v)
{
    return parallelSum(long(v.size()), 1024, 1e9, [&](long b, long e) {
        float s = 0;
        for (long i = b; i < e; ++i) s += v[size_t(i)];
        return double(s);
    });
}

/// A little work the compiler cannot remove.
static void busyWork(int n)
{
    for (int i = 0; i < n; ++i) asm volatile("" ::: "memory");
}

class TestThreadPool : public QObject {
    Q_OBJECT
private slots:
    void cleanup() { ThreadPool::instance().setThreads(1); }
    void coversEveryIndexOnce_data();
    void coversEveryIndexOnce();
    void sumDependsOnlyOnThreadCount();
    void nestedRunsSerially();
    void restartWithoutHanging();
    void smallWorkStaysInline();
    void serialThread();
    void backToBackFewerChunksThanThreads_data();
    void backToBackFewerChunksThanThreads();
    void stallGuardPeriods();
    void stallRunsTheNextRegionsAlone();
};

// Regions with fewer chunks than pool threads, back to back: a worker left out of one region must not
// run a chunk of the next one twice (once on reading the new chunk count early, once on seeing the new
// generation), and run() must not return while a chunk still runs. Each region counts its chunks and
// checks afterwards that none is still running and none ran twice.
void TestThreadPool::backToBackFewerChunksThanThreads_data()
{
    QTest::addColumn<int>("threads");
    for (int t : {3, 5, 8, 16}) QTest::addRow("t%d", t) << t;
}

void TestThreadPool::backToBackFewerChunksThanThreads()
{
    QFETCH(int, threads);
    ThreadPool &pool = ThreadPool::instance();
    pool.setThreads(threads);
    std::atomic<int> running{0};
    std::vector<std::atomic<int>> hits(64);
    long wrong = 0;
    for (int r = 0; r < 5000; ++r) {
        const int chunks = (r % 3 == 0) ? threads : 2 + r % (threads - 1);
        for (int c = 0; c < chunks; ++c) hits[size_t(c)].store(0, std::memory_order_relaxed);
        pool.run(chunks, [&](int c) {
            running.fetch_add(1);
            hits[size_t(c)].fetch_add(1);
            busyWork((c * 37) % 200);
            running.fetch_sub(1);
        });
        if (running.load() != 0) ++wrong;
        for (int c = 0; c < chunks; ++c)
            if (hits[size_t(c)].load() != 1) ++wrong;
    }
    QCOMPARE(wrong, 0L);
}

// A thread marked serial runs its regions inline, while another thread still gets the pool.
void TestThreadPool::serialThread()
{
    ThreadPool::instance().setThreads(2);
    std::atomic<int> chunksSeen{0};
    std::thread other([&] {
        ThreadPool::setSerialOnThisThread(true);
        parallelRanges(1000, 16, 1e9, [&](long, long) { ++chunksSeen; });
    });
    other.join();
    QCOMPARE(chunksSeen.load(), 1);
    chunksSeen = 0;
    parallelRanges(1000, 16, 1e9, [&](long, long) { ++chunksSeen; });
    QCOMPARE(chunksSeen.load(), 2);
}

void TestThreadPool::coversEveryIndexOnce_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("align");
    for (int t : {1, 2, 3, 8})
        for (int n : {1, 15, 16, 17, 100, 784, 1000})
            for (int a : {1, 16})
                QTest::addRow("t%d n%d a%d", t, n, a) << t << n << a;
}

void TestThreadPool::coversEveryIndexOnce()
{
    QFETCH(int, threads);
    QFETCH(int, n);
    QFETCH(int, align);
    ThreadPool::instance().setThreads(threads);
    std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
    parallelRanges(n, align, 1e9, [&](long b, long e) {
        QVERIFY(b % align == 0);
        for (long i = b; i < e; ++i) hits[size_t(i)]++;
    });
    for (int i = 0; i < n; ++i) QCOMPARE(hits[size_t(i)].load(), 1);
}

void TestThreadPool::sumDependsOnlyOnThreadCount()
{
    std::vector<float> v(100000);
    for (size_t i = 0; i < v.size(); ++i) v[i] = 1.0f / float(i + 1);
    auto sum = [&] { return harmonicSum(v); };
    ThreadPool::instance().setThreads(2);
    const double a = sum();
    for (int r = 0; r < 50; ++r) QCOMPARE(sum(), a);  // bit-identical, whatever the scheduling
    QVERIFY(std::abs(a - 12.09) < 0.01);               // H(100000) ≈ ln(1e5) + γ
}

void TestThreadPool::nestedRunsSerially()
{
    ThreadPool::instance().setThreads(2);
    std::atomic<int> inner{0};
    parallelRanges(64, 1, 1e9, [&](long b, long e) {
        parallelRanges(10, 1, 1e9, [&](long b2, long e2) { inner += int(e2 - b2); });
        Q_UNUSED(b);
        Q_UNUSED(e);
    });
    QCOMPARE(inner.load(), 20);  // two outer chunks, each running all 10 inner indices itself
}

void TestThreadPool::restartWithoutHanging()
{
    std::atomic<long> total{0};
    for (int r = 0; r < 300; ++r) {
        ThreadPool::instance().setThreads(2 + r % 3);
        if (r % 2) parallelRanges(1000, 16, 1e9, [&](long b, long e) { total += e - b; });
    }
    QCOMPARE(total.load(), 150L * 1000);
}

void TestThreadPool::smallWorkStaysInline()
{
    ThreadPool::instance().setThreads(2);
    int calls = 0;  // not atomic on purpose: inline means one caller
    parallelRanges(1000, 16, 10.0, [&](long b, long e) {
        ++calls;
        QCOMPARE(b, 0L);
        QCOMPARE(e, 1000L);
    });
    QCOMPARE(calls, 1);
}

// The guard's bookkeeping, step by step: a stall (waited longer than computed, and more than
// kMinStallSeconds) buys an alone stretch of `period` regions and doubles the period; kCleanToReset
// helped regions without a stall halve it; regions nobody helped with do not count.
void TestThreadPool::stallGuardPeriods()
{
    StallGuard g;
    QVERIFY(!g.takeAlone());
    g.afterRegion(1e-3, 2e-5, true);   // the worker was 20 µs late: no stall
    g.afterRegion(1e-5, 4e-4, true);   // 400 µs behind a 10 µs chunk: a slow worker, not a descheduled one
    QCOMPARE(g.aloneLeft(), 0);
    g.afterRegion(1e-5, 3e-3, true);  // 3 ms behind: a stall
    QCOMPARE(g.aloneLeft(), StallGuard::kFirstPeriod);
    QCOMPARE(g.period(), 2 * StallGuard::kFirstPeriod);
    for (int i = 0; i < StallGuard::kFirstPeriod; ++i) QVERIFY(g.takeAlone());
    QVERIFY(!g.takeAlone());
    g.afterRegion(2e-3, 1.5e-3, true);  // waited less than it computed: no stall
    QCOMPARE(g.aloneLeft(), 0);
    g.afterRegion(2e-4, 2e-3, true);
    QCOMPARE(g.aloneLeft(), 2 * StallGuard::kFirstPeriod);
    QCOMPARE(g.period(), 4 * StallGuard::kFirstPeriod);
    while (g.takeAlone()) {}
    for (int i = 0; i < 30; ++i) g.afterRegion(1e-4, 0, true);
    g.afterRegion(1e-4, 1e-4, false);  // the caller ran every chunk itself: no stall, not counted as clean
    for (int i = 0; i < 1000; ++i) g.afterRegion(1e-4, 0, false);
    QCOMPARE(g.period(), 4 * StallGuard::kFirstPeriod);
    for (int i = 30; i < StallGuard::kCleanToReset; ++i) g.afterRegion(1e-4, 1e-5, true);
    QCOMPARE(g.period(), 2 * StallGuard::kFirstPeriod);
    for (int i = 0; i < 3 * StallGuard::kCleanToReset; ++i) g.afterRegion(1e-4, 1e-5, true);
    QCOMPARE(g.period(), StallGuard::kFirstPeriod);  // not below
    for (int i = 0; i < 20; ++i) {  // the period stops doubling at kMaxPeriod
        g.afterRegion(0, 1, true);
        while (g.takeAlone()) {}
    }
    QCOMPARE(g.period(), StallGuard::kMaxPeriod);
}

// A worker held up inside its chunk (as when the OS deschedules it) stalls its region; the caller then
// runs the next regions alone, with the same chunks (the same sums, bit for bit), and afterwards
// offers regions to the workers again. Results are gathered here and checked on this thread.
void TestThreadPool::stallRunsTheNextRegionsAlone()
{
    ThreadPool &pool = ThreadPool::instance();
    pool.setThreads(1);  // a new pool starts with a fresh guard (earlier tests may have stalled it)
    pool.setThreads(2);
    QCOMPARE(pool.aloneLeft(), 0);
    const std::thread::id caller = std::this_thread::get_id();
    std::vector<float> v(50000);
    for (size_t i = 0; i < v.size(); ++i) v[i] = 1.0f / float(i + 1);
    auto sum = [&] { return harmonicSum(v); };
    const double shared = sum();

    // Until a worker claims a chunk, which then takes 20 ms. The caller's chunk takes 1 ms, so a sleeping
    // worker has time to wake and claim the other one.
    bool stalled = false;
    for (int r = 0; r < 200 && !stalled; ++r) {
        std::atomic<bool> workerRan{false};
        pool.run(2, [&](int) {
            if (std::this_thread::get_id() == caller) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                return;
            }
            workerRan = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        });
        stalled = workerRan;
    }
    QVERIFY(stalled);
    const int alone = pool.aloneLeft();
    QVERIFY2(alone >= StallGuard::kFirstPeriod, qPrintable(QString::number(alone)));

    std::mutex m;
    std::vector<std::thread::id> ranOn;
    const double aloneSum = sum();  // one of the alone regions
    for (int r = 1; r < alone; ++r)
        pool.run(2, [&](int) {
            std::lock_guard<std::mutex> lock(m);
            ranOn.push_back(std::this_thread::get_id());
        });
    QCOMPARE(int(ranOn.size()), 2 * (alone - 1));
    QCOMPARE(int(std::count(ranOn.begin(), ranOn.end(), caller)), int(ranOn.size()));
    QCOMPARE(aloneSum, shared);
    QCOMPARE(pool.aloneLeft(), 0);

    bool helped = false;
    for (int r = 0; r < 5000 && !helped; ++r) {
        std::atomic<bool> worker{false};
        pool.run(2, [&](int) {
            if (std::this_thread::get_id() != caller) worker = true;
            busyWork(20000);
        });
        helped = worker;
    }
    QVERIFY(helped);
}

QTEST_APPLESS_MAIN(TestThreadPool)
#include "tst_threadpool.moc"
