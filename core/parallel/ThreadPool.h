#pragma once
// The engine's own fork–join pool. Each parallel step of a training step (a layer's rows, a
// parameter's update) is split into at most threads() contiguous chunks, which the calling thread and
// the workers CLAIM one at a time: whoever is running takes the next chunk, so a worker that the OS has
// not scheduled (a busy neighbour process, the GUI) never holds a region up — the caller computes its
// chunk instead. Eigen itself runs single-threaded inside each chunk.
//
// Why not Eigen's OpenMP products: their threads busy-wait on each other inside every product, and on
// a 2-core machine shared with a GUI thread (or anything else) a descheduled partner turns those waits
// into 10x slowdowns (measured: 2.3k instead of 13k samples/s for the 2-D model at batch 32). Here a
// waiting thread spins only briefly, then sleeps on a futex (std::atomic::wait), and there is one
// fork–join per layer phase, not several per product. A worker descheduled in the middle of its chunk
// still holds its region up; after such a stall the caller runs the next regions alone (StallGuard.h).
#include "StallGuard.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace ael {

/// Denormal floats (|x| < 1.2e-38, e.g. Adam moments of rarely used weights) are ~100× slower to
/// compute with on x86; after ~800 steps they cost a quarter of the throughput. The engine flushes them
/// to zero on every thread that trains (the pool's workers and the trainer's thread), so the CLI and
/// the GUI compute the same bits.
void flushDenormalsOnThisThread();

class ThreadPool {
public:
    /// The process-wide pool used by the engine.
    static ThreadPool &instance();
    ~ThreadPool();

    /// Total threads, the caller included (1 = everything runs on the caller). Clamped to [1, 64].
    void setThreads(int n);
    int threads() const { return threads_; }
    /// False inside a chunk or on a thread set serial: work there runs inline.
    bool parallelHere() const { return !insideTask_ && !serialHere_; }

    /// Makes every parallel region started from the calling thread run serially on it (e.g. a GUI's
    /// analysis thread, which must not queue behind the trainer for the pool).
    static void setSerialOnThisThread(bool serial) { serialHere_ = serial; }
    /// Makes the parallel regions started from the calling thread run their chunks on it alone — the
    /// same chunks as with the workers, so the same bits (ThreadTuner: when the workers do not pay).
    static void setAloneOnThisThread(bool alone);

    /// Regions the caller will still run alone after a stall (see StallGuard; for tests).
    int aloneLeft()
    {
        std::lock_guard<std::mutex> lock(runMutex_);
        return guard_.aloneLeft();
    }

    /// Runs f(chunk) for chunk in [0, chunks) (chunks ≤ threads()), each chunk exactly once on whichever
    /// thread claims it first (the caller included), and returns when all are done. Nested calls (from
    /// inside a chunk) run serially.
    template <class F> void run(int chunks, F &&f)
    {
        chunks = std::min(chunks, threads_);
        if (chunks <= 1 || insideTask_ || serialHere_) {
            for (int c = 0; c < chunks; ++c) f(c);
            return;
        }
        using Fn = std::remove_reference_t<F>;
        dispatch(chunks, &f, [](void *p, int c) { (*static_cast<Fn *>(p))(c); });
    }

private:
    ThreadPool() = default;
    void dispatch(int chunks, void *job, void (*invoke)(void *, int));
    void workerLoop(uint64_t seen);
    /// The next unclaimed chunk of the region published as `word`, or −1 when none is left or the
    /// region is over.
    int claim(uint64_t word);
    /// Claims and runs chunks of region `word` until none is left; returns how many it ran.
    int runClaimed(uint64_t word);
    void stopWorkers();

    // A region is published as one word, (generation << 8) | chunks, so a worker reads the chunk count
    // of exactly the generation it saw. (A separate chunk count once let a worker left out of region g
    // read region g+1's count before seeing g+1, run a chunk of g+1, then run it again on seeing g+1.)
    // job_ and invoke_ are written before the word is published (release) and read only by a thread
    // that claimed a chunk of that generation, which dispatch() waits for before it returns. claim_ is
    // (generation << kChunkBits) | next chunk: a thread that saw an older generation cannot claim.
    static constexpr int kChunkBits = 8;
    static uint64_t chunksOf(uint64_t word) { return word & ((uint64_t(1) << kChunkBits) - 1); }

    int threads_ = 1;
    std::vector<std::thread> workers_;
    std::mutex runMutex_;  // one parallel region at a time
    std::atomic<uint64_t> region_{0};  // (generation << kChunkBits) | chunks
    std::atomic<uint64_t> claim_{0};   // (generation << kChunkBits) | next chunk to hand out
    std::atomic<int> pending_{0};      // chunks of the current region not yet finished
    std::atomic<bool> stop_{false};
    StallGuard guard_;  // under runMutex_
    void *job_ = nullptr;
    void (*invoke_)(void *, int) = nullptr;
    static thread_local bool insideTask_;
    static thread_local bool serialHere_;
};

/// Below about two million multiply-adds (~15 µs of one core) a fork–join costs more than it saves.
inline constexpr double kMinParallelWork = 2e6;

/// Splits [0, n) into at most threads() (and at most maxChunks) contiguous ranges whose boundaries are
/// multiples of `align` (e.g. 16 floats, one AVX-512 register) and runs f(chunk, begin, end) on each. Work
/// below `minWork` (the caller's estimate, e.g. multiply-adds) runs inline on one thread.
template <class F> void parallelChunks(long n, long align, double work, F &&f, double minWork = kMinParallelWork, long maxChunks = 64)
{
    ThreadPool &pool = ThreadPool::instance();
    int t = pool.threads();
    if (work < minWork || !pool.parallelHere()) t = 1;
    const long blocks = (n + align - 1) / align;
    t = int(std::min<long>({t, blocks, std::max(1L, maxChunks)}));
    if (t <= 1) {
        if (n > 0) f(0, 0L, n);
        return;
    }
    pool.run(t, [&](int c) {
        const long b = std::min(n, (blocks * c / t) * align);
        const long e = std::min(n, (blocks * (c + 1) / t) * align);
        if (e > b) f(c, b, e);
    });
}

/// The same without the chunk index: f(begin, end).
template <class F> void parallelRanges(long n, long align, double work, F &&f, double minWork = kMinParallelWork, long maxChunks = 64)
{
    parallelChunks(n, align, work, [&](int, long b, long e) { f(b, e); }, minWork, maxChunks);
}

/// Σ of body(begin, end) over [0, n) split as above; partial sums are added in chunk order, so the
/// result depends only on the thread count.
template <class F> double parallelSum(long n, long align, double work, F &&body, double minWork = kMinParallelWork)
{
    double part[64] = {};
    parallelChunks(n, align, work, [&](int c, long b, long e) { part[c] = body(b, e); }, minWork);
    double sum = 0;
    for (double v : part) sum += v;
    return sum;
}

}  // namespace ael
