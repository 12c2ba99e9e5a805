// Signals and the engine's products. Debian's oneDNN (libdnnl 2.x) corrupts the heap when a signal handler
// runs on the thread's own stack in the middle of one of its products: the signal's frame lands just below
// the interrupted code's stack pointer. `aelab-cli train` stopped by Ctrl-C aborted in 11 of 40 runs with
// "corrupted size vs. prev_size" (and a small program calling dnnl_sgemm under a 37-µs timer aborted every
// time). Every handler the programs install runs on a stack of its own (file::handleOnOwnStack).
#include "core/io/SafeFile.h"
#include "core/nn/Gemm.h"

#include <QtTest>

#include <atomic>
#include <csignal>
#include <cstring>
#include <sys/time.h>
#include <vector>

namespace {
std::atomic<long> g_alarms{0};
extern "C" void onAlarm(int) { g_alarms.fetch_add(1, std::memory_order_relaxed); }

/// Stops the interval timer and restores SIGALRM's default when the test ends, passed or not.
struct AlarmsOff {
    ~AlarmsOff()
    {
        itimerval off{};
        setitimer(ITIMER_REAL, &off, nullptr);
        std::signal(SIGALRM, SIG_DFL);
    }
};
}  // namespace

class TestSignals : public QObject {
    Q_OBJECT
private slots:
    // oneDNN's products interrupted every 37 µs by a handler installed with handleOnOwnStack: every product
    // gives the same bits as the first, and the heap stays whole (on the thread's stack this aborts).
    void productsSurviveAHandlerEvery37us()
    {
        ael::setGemmBackend(ael::GemmBackend::OneDnn);
        const AlarmsOff off;
        ael::file::handleOnOwnStack({SIGALRM}, onAlarm);
        const long m = 512, k = 784, n = 256;
        ael::Mat<float> A(m, k), B(k, n), C(m, n);
        for (long j = 0; j < k; ++j)
            for (long i = 0; i < m; ++i) A(i, j) = float(int((i + 3 * j) % 13) - 6) / 8.f;
        for (long j = 0; j < n; ++j)
            for (long i = 0; i < k; ++i) B(i, j) = float(int((5 * i + j) % 7) - 3) / 4.f;
        const uint64_t before = ael::gemmLibraryCalls();
        g_alarms = 0;
        itimerval every{};
        every.it_interval.tv_usec = 37;
        every.it_value.tv_usec = 37;
        QCOMPARE(setitimer(ITIMER_REAL, &every, nullptr), 0);
        ael::Mat<float> first;
        int differ = 0;
        for (int r = 0; r < 300; ++r) {
            ael::gemm<float>(ael::Op::N, A, ael::Op::N, B, 1.f, 0.f, C);
            if (r == 0) first = C;
            else if (std::memcmp(first.data(), C.data(), size_t(C.size()) * sizeof(float)) != 0) ++differ;
            std::vector<float> churn(size_t(1000 + r), 1.f);  // the heap in use between products
            QCOMPARE(churn.back(), 1.f);
        }
        itimerval stop{};
        setitimer(ITIMER_REAL, &stop, nullptr);
        QCOMPARE(ael::gemmLibraryCalls() - before, uint64_t(300));  // oneDNN ran them
        QVERIFY2(g_alarms.load() > 1000, qPrintable(QString::number(g_alarms.load())));
        QCOMPARE(differ, 0);
        // And the result is the product.
        const ael::Mat<double> exact = A.cast<double>() * B.cast<double>();
        QVERIFY((first.cast<double>() - exact).cwiseAbs().maxCoeff() < 1e-3);
    }
};

QTEST_GUILESS_MAIN(TestSignals)
#include "tst_signals.moc"
