#pragma once
// One background thread for a lesson demo: the newest posted task runs next (an older one still
// waiting is dropped), a running task is asked to stop through its `cancelled` flag, and the thread
// is joined when the worker is destroyed — nothing is detached. Tasks must not touch the widget's
// members: they work on copies (shared_ptrs to immutable models and data) and hand their results to
// the GUI thread with QMetaObject::invokeMethod (see DemoBase::deliver).
// The thread runs at a lower priority than the GUI and the trainer, and the engine's products on it
// run serially (one engine thread), so a demo never takes the pool from the training.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

class DemoWorker {
public:
    using Task = std::function<void(const std::atomic<bool> &cancelled)>;
    explicit DemoWorker(int niceIncrement = 4) : m_nice(niceIncrement) {}
    ~DemoWorker();
    DemoWorker(const DemoWorker &) = delete;
    DemoWorker &operator=(const DemoWorker &) = delete;

    /// Queues t as the next task (replacing one still waiting); starts the thread on first use.
    void post(Task t);
    /// Drops the waiting task and asks the running one to stop; returns at once.
    void cancelAll();
    /// Nothing running or waiting.
    bool idle() const;

private:
    void loop();

    const int m_nice;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_cond;
    Task m_pending;
    bool m_running = false, m_quit = false;
    std::atomic<bool> m_cancel{false};
};
