#include "ThreadPool.h"

#include "../io/SafeFile.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define AEL_PAUSE() _mm_pause()
#else
#define AEL_PAUSE() std::this_thread::yield()
#endif

namespace ael {

void flushDenormalsOnThisThread()
{
#if defined(__SSE__) || defined(__x86_64__)
    _mm_setcsr(_mm_getcsr() | 0x8040);  // FTZ (bit 15) and DAZ (bit 6)
#endif
}

thread_local bool ThreadPool::insideTask_ = false;
thread_local bool ThreadPool::serialHere_ = false;

namespace {
// Read and written only in this file: as a static member read by inline code in other files, GCC's
// UBSan build reported a store to it through its TLS wrapper as a store to a null pointer.
thread_local bool aloneHere = false;

// ~10–30 µs of spinning before sleeping: long enough to catch the next layer's work without a futex
// round trip, short enough not to steal a core from the GUI thread or another process.
constexpr int kSpins = 4000;
}  // namespace

void ThreadPool::setAloneOnThisThread(bool alone) { aloneHere = alone; }

ThreadPool &ThreadPool::instance()
{
    static ThreadPool pool;
    return pool;
}

ThreadPool::~ThreadPool() { stopWorkers(); }

void ThreadPool::stopWorkers()
{
    if (workers_.empty()) return;
    stop_.store(true);
    region_.store(((region_.load() >> kChunkBits) + 1) << kChunkBits);  // a new generation with no chunks
    region_.notify_all();
    for (auto &w : workers_) w.join();
    workers_.clear();
    stop_.store(false);
}

void ThreadPool::setThreads(int n)
{
    n = std::clamp(n, 1, 64);
    std::lock_guard<std::mutex> lock(runMutex_);
    if (n == threads_ && int(workers_.size()) == n - 1) return;
    stopWorkers();
    threads_ = n;
    guard_ = StallGuard();
    // Each worker starts from the generation current now: reading it in the new thread could miss a
    // stop that happens before the thread first runs, and it would then wait forever.
    const uint64_t start = region_.load();
    for (int id = 1; id < n; ++id) workers_.emplace_back([this, start] { workerLoop(start); });
}

int ThreadPool::claim(uint64_t word)
{
    // claim_ holds (generation << kChunkBits) | next chunk; a chunk belongs to whoever moves `next`
    // past it, and only while the generation is the one this thread saw.
    const uint64_t gen = word >> kChunkBits, chunks = chunksOf(word);
    uint64_t v = claim_.load(std::memory_order_acquire);
    while ((v >> kChunkBits) == gen && chunksOf(v) < chunks)
        if (claim_.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel, std::memory_order_acquire))
            return int(chunksOf(v));
    return -1;
}

int ThreadPool::runClaimed(uint64_t word)
{
    insideTask_ = true;
    int ran = 0;
    for (int c; (c = claim(word)) >= 0; ++ran) {
        invoke_(job_, c);
        if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
    }
    insideTask_ = false;
    return ran;
}

void ThreadPool::dispatch(int chunks, void *job, void (*invoke)(void *, int))
{
    std::lock_guard<std::mutex> lock(runMutex_);
    // Alone (ThreadTuner), or a worker stalled a region lately: the same chunks, on the caller; regions nested
    // in them run serially, as they would inside a worker's chunk.
    if (aloneHere || guard_.takeAlone()) {
        insideTask_ = true;
        for (int c = 0; c < chunks; ++c) invoke(job, c);
        insideTask_ = false;
        return;
    }
    using Clock = std::chrono::steady_clock;
    const Clock::time_point start = Clock::now();
    job_ = job;
    invoke_ = invoke;
    pending_.store(chunks, std::memory_order_relaxed);
    const uint64_t gen = ((region_.load(std::memory_order_relaxed) >> kChunkBits) + 1) << kChunkBits;
    claim_.store(gen, std::memory_order_relaxed);  // chunk 0 is next (published by the release below)
    region_.store(gen | uint64_t(chunks), std::memory_order_release);
    region_.notify_all();
    // The caller claims chunks like any worker: a worker that is descheduled (another process, the GUI)
    // never holds the region up, because its chunks go to whoever is running. The caller then waits
    // only for chunks already being computed.
    const int ran = runClaimed(gen | uint64_t(chunks));
    const Clock::time_point ownDone = Clock::now();
    for (int i = 0; pending_.load(std::memory_order_acquire) != 0; ++i) {
        if (i < kSpins) {
            AEL_PAUSE();
        } else {
            const int left = pending_.load(std::memory_order_acquire);
            if (left != 0) pending_.wait(left, std::memory_order_acquire);
        }
    }
    const auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
    guard_.afterRegion(seconds(ownDone - start), seconds(Clock::now() - ownDone), ran < chunks);
}

void ThreadPool::workerLoop(uint64_t seen)
{
    flushDenormalsOnThisThread();
    file::blockTerminationSignalsOnThisThread();  // Ctrl-C goes to a thread that can defer it (saves)
    for (;;) {
        uint64_t g;
        for (int i = 0; (g = region_.load(std::memory_order_acquire)) == seen; ++i) {
            if (i < kSpins) AEL_PAUSE();
            else region_.wait(seen, std::memory_order_acquire);
        }
        seen = g;
        if (stop_.load()) return;
        runClaimed(g);  // nothing if the region is over or every chunk is taken
    }
}

}  // namespace ael
