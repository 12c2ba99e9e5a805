// What aelab's measuring modes share: running the event loop, CPU time per thread, resident memory.
#include "Measure.h"
#include "QualityClock.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

void spinEvents(int ms, const std::function<bool()> &done)
{
    QEventLoop loop;
    QTimer stop;
    stop.setSingleShot(true);
    QObject::connect(&stop, &QTimer::timeout, &loop, &QEventLoop::quit);
    stop.start(ms);
    QTimer poll;
    if (done) {
        if (done()) return;
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (done()) loop.quit();
        });
        poll.start(10);
    }
    loop.exec();
}

std::map<std::string, double> threadCpuSeconds()
{
    std::map<std::string, double> out;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    const double tick = double(sysconf(_SC_CLK_TCK));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm"))), stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!comm.open(QIODevice::ReadOnly) || !stat.open(QIODevice::ReadOnly)) continue;
        std::string name = comm.readAll().trimmed().toStdString();
        if (tid.toLongLong() == getpid()) name = "GUI";
        const QByteArray st = stat.readAll();
        const QList<QByteArray> f = st.mid(st.lastIndexOf(')') + 2).split(' ');  // fields from 3 on
        if (f.size() > 12) out[name] += (f[11].toDouble() + f[12].toDouble()) / tick;  // utime + stime
    }
    return out;
}

std::string memoryReport()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) return "resident memory: /proc/self/status cannot be read on this system";
    const std::string text = f.readAll().toStdString();
    const long long rss = quality::statusKiB(text, "VmRSS"), hwm = quality::statusKiB(text, "VmHWM");
    if (rss < 0 || hwm < 0) return "resident memory: no VmRSS/VmHWM in /proc/self/status";
    char line[160];
    std::snprintf(line, sizeof line, "resident memory: %.0f MB now (VmRSS), peak %.0f MB (VmHWM); 1 MB = 10^6 bytes",
                  double(rss) * 1024.0 / 1e6, double(hwm) * 1024.0 / 1e6);
    return line;
}
