#include "DemoWorker.h"

#include "core/parallel/ThreadPool.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

DemoWorker::~DemoWorker()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
        m_pending = nullptr;
        m_cancel = true;
    }
    m_cond.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void DemoWorker::post(Task t)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_quit) return;
        m_pending = std::move(t);
        if (!m_thread.joinable()) m_thread = std::thread([this] { loop(); });
    }
    m_cond.notify_all();
}

void DemoWorker::cancelAll()
{
    std::lock_guard lock(m_mutex);
    m_pending = nullptr;
    if (m_running) m_cancel = true;
}

bool DemoWorker::idle() const
{
    std::lock_guard lock(m_mutex);
    return !m_running && !m_pending;
}

void DemoWorker::loop()
{
    ael::ThreadPool::setSerialOnThisThread(true);
    ael::flushDenormalsOnThisThread();
#ifdef __linux__
    if (m_nice > 0) setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), m_nice);
#endif
    for (;;) {
        Task task;
        {
            std::unique_lock lock(m_mutex);
            m_running = false;
            m_cond.wait(lock, [this] { return m_quit || m_pending; });
            if (m_quit) return;
            task = std::move(m_pending);
            m_pending = nullptr;
            m_running = true;
            m_cancel = false;
        }
        task(m_cancel);
    }
}
