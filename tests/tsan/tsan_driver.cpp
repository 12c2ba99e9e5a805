// ThreadSanitizer driver (the `tsan` preset): the engine's thread pool and the trainer's settings
// hand-off under stress, with plain std::threads and no Qt, so that every thread and every lock is one
// TSan sees. `tsan_driver CASE` runs one case and returns non-zero on a failed check; TSan itself makes
// the process fail on any data race (TSAN_OPTIONS=halt_on_error=1 in the test preset).
#include "core/data/Embedded.h"
#include "core/nn/SparseInput.h"
#include "core/parallel/ThreadPool.h"
#include "core/train/Trainer.h"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace ael;

namespace {

int failures = 0;

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "FAIL: %s\n", what);
        ++failures;
    }
}

// Back-to-back regions with fewer chunks than threads: 4 pool threads, 1–3 chunks, so idle workers
// wake for a region they take no part in while the next region is already being set up.
void fewChunks()
{
    ThreadPool &pool = ThreadPool::instance();
    pool.setThreads(4);
    std::vector<int> hits(4, 0);  // plain ints: each chunk writes only its own slot
    for (int i = 0; i < 20000; ++i) {
        const int chunks = 1 + i % 3;
        pool.run(chunks, [&](int c) { ++hits[size_t(c)]; });
    }
    // Chunk c runs in every region with more than c chunks: 1, 2 or 3 chunks in turn.
    check(hits[0] == 20000, "chunk 0 ran once per region");
    check(hits[1] == 13333, "chunk 1 ran once per region of 2 or 3 chunks");
    check(hits[2] == 6666, "chunk 2 ran once per region of 3 chunks");
    check(hits[3] == 0, "chunk 3 never ran");
    pool.setThreads(1);
}

// The same through parallelChunks with data written by the chunks and read by the caller afterwards.
void chunksWriteCallerReads()
{
    ThreadPool::instance().setThreads(4);
    std::vector<float> v(48);
    for (int i = 0; i < 20000; ++i) {
        const long n = 16 * (1 + i % 3);
        parallelRanges(n, 16, 1e9, [&](long b, long e) {
            for (long k = b; k < e; ++k) v[size_t(k)] = float(i);
        });
        for (long k = 0; k < n; ++k)
            if (v[size_t(k)] != float(i)) {
                check(false, "every element written before run() returned");
                ThreadPool::instance().setThreads(1);
                return;
            }
    }
    ThreadPool::instance().setThreads(1);
}

// Two threads start regions at once (the trainer and a second engine user); the pool serialises them.
void twoCallers()
{
    ThreadPool::instance().setThreads(3);
    std::atomic<long> total{0};
    auto caller = [&] {
        for (int i = 0; i < 5000; ++i) {
            long local[3] = {0, 0, 0};
            ThreadPool::instance().run(1 + i % 3, [&](int c) { local[c] = c + 1; });
            total += local[0] + local[1] + local[2];
        }
    };
    std::thread a(caller), b(caller);
    a.join();
    b.join();
    // Per caller: i%3==0 -> 1, ==1 -> 1+2, ==2 -> 1+2+3; 5000 regions: 1667*1 + 1667*3 + 1666*6.
    check(total == 2 * (1667 * 1 + 1667 * 3 + 1666 * 6), "every chunk of both callers ran exactly once");
    ThreadPool::instance().setThreads(1);
}

// The trainer's settings hand-off as the window does it (ui/TrainingLoop.cpp): a "GUI" thread posts new
// settings under a mutex; the trainer thread applies them between two steps, trains
// with two pool threads, and publishes what it did under the same mutex.
void settingsHandOff()
{
    ThreadPool::instance().setThreads(2);
    Dataset all = embeddedMnist();
    std::vector<int> first(512);
    for (int i = 0; i < 512; ++i) first[size_t(i)] = i * 19;
    const Dataset train = all.subset(first, "tsan");
    Architecture arch;
    std::string error;
    if (!Architecture::parseSpec("784-[64]-784", arch, &error)) {
        check(false, error.c_str());
        return;
    }
    TrainSettings s;
    s.batchSize = 64;

    std::mutex m;
    bool hasNew = false, quit = false;
    TrainSettings posted = s;
    long long publishedSteps = 0, applied = 0;
    double publishedLoss = 0;

    std::thread trainerThread([&] {
        flushDenormalsOnThisThread();
        Trainer t(arch, s, train, 7);
        for (;;) {
            TrainSettings next;
            bool apply = false;
            {
                std::unique_lock<std::mutex> lock(m);
                if (quit) return;
                if (hasNew) {
                    next = posted;
                    hasNew = false;
                    apply = true;
                }
            }
            if (apply && t.setSettings(next).empty()) ++applied;
            const StepResult r = t.step();
            std::lock_guard<std::mutex> lock(m);
            publishedSteps = r.step;
            publishedLoss = r.total;
        }
    });
    const double rates[] = {1e-3, 3e-4, 1e-2};
    const int sizes[] = {64, 32, 128, 256};  // 128 and 256: the products split by samples; 256, the gradients too
    for (int i = 0; i < 30; ++i) {
        TrainSettings next = s;
        next.opt.learningRate = rates[i % 3];
        next.batchSize = sizes[i % 4];
        next.variant = i % 2 ? Variant::Denoising : Variant::Sparse;
        {
            std::lock_guard<std::mutex> lock(m);
            posted = next;
            hasNew = true;
        }
        for (;;) {  // wait until the trainer took it
            std::this_thread::yield();
            std::lock_guard<std::mutex> lock(m);
            if (!hasNew && publishedSteps > 0) break;
        }
    }
    {
        std::lock_guard<std::mutex> lock(m);
        quit = true;
    }
    trainerThread.join();
    check(applied == 30, "every posted setting was applied");
    check(publishedSteps >= 30, "the trainer made a step after each change");
    check(publishedLoss == publishedLoss, "the published loss is a number");
    ThreadPool::instance().setThreads(1);
}

// The first layer's sparse products (core/nn/SparseInput) on two pool threads: the index built by chunks of
// samples, Z by pairs of samples, db by chunks, dW by pixel pairs read from every chunk's lists.
void sparseFirstLayer()
{
    ThreadPool::instance().setThreads(2);
    const Dataset all = embeddedMnist();
    Architecture arch;
    std::string error;
    if (!Architecture::parseSpec("784-[512]-784", arch, &error)) {
        check(false, error.c_str());
        return;
    }
    TrainSettings s;
    s.batchSize = 256;  // Z: 512 × 256 entries, enough for the sparse products
    const uint64_t before = sparseMultiplyAdds();
    Trainer t(arch, s, all, 3);
    double loss = 0;
    for (int i = 0; i < 6; ++i) loss = t.step().total;
    check(!sparseKernelsBuilt() || sparseMultiplyAdds() > before, "the first layer ran sparse");
    check(loss == loss && loss > 0, "the loss is a number");
    ThreadPool::instance().setThreads(1);
}

struct Case {
    const char *name;
    void (*run)();
};
const Case kCases[] = {{"few_chunks", fewChunks},
                       {"chunks_write_caller_reads", chunksWriteCallerReads},
                       {"two_callers", twoCallers},
                       {"settings_hand_off", settingsHandOff},
                       {"sparse_first_layer", sparseFirstLayer}};

}  // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: tsan_driver CASE|list\n");
        return 2;
    }
    for (const Case &c : kCases) {
        if (std::strcmp(argv[1], "list") == 0) {
            std::printf("%s\n", c.name);
        } else if (std::strcmp(argv[1], c.name) == 0) {
            c.run();
            std::printf("%s: %s\n", c.name, failures ? "FAILED" : "ok");
            return failures ? 1 : 0;
        }
    }
    if (std::strcmp(argv[1], "list") == 0) return 0;
    std::fprintf(stderr, "unknown case %s\n", argv[1]);
    return 2;
}
