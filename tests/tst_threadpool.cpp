// The engine's fork–join pool: every index exactly once, deterministic sums, nesting, and that workers
// can be started and stopped at any moment without hanging (a stop right after a start once did).
#include "core/parallel/ThreadPool.h"

#include <QtTest>

#include <atomic>
#include <vector>

using namespace ael;

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
            for (volatile int spin = 0; spin < (c * 37) % 200; ++spin) {}
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
    auto sum = [&] {
        return parallelSum(long(v.size()), 1024, 1e9, [&](long b, long e) {
            float s = 0;
            for (long i = b; i < e; ++i) s += v[size_t(i)];
            return double(s);
        });
    };
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

QTEST_APPLESS_MAIN(TestThreadPool)
#include "tst_threadpool.moc"
