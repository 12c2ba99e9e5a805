#pragma once
// For tests that run aelab-cli as a user would (QProcess) and interrupt it once it is under way.
#include <QByteArray>
#include <QElapsedTimer>
#include <QProcess>

/// Reads p's standard output until its first whole line (train prints one per epoch: by then its Ctrl-C
/// handler is installed) or until `timeoutMs` pass; returns what it read, which ends in '\n' on success.
inline QByteArray readFirstLine(QProcess &p, int timeoutMs)
{
    QByteArray text;
    QElapsedTimer timer;
    timer.start();
    while (!text.contains('\n') && timer.elapsed() < timeoutMs) {
        p.waitForReadyRead(1000);
        text += p.readAllStandardOutput();
    }
    return text;
}
