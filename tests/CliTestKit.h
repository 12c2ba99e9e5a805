#pragma once
// For tests that run aelab-cli as a user would (QProcess) and interrupt it once it is under way.
#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtGlobal>

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

namespace cli {

/// What a finished aelab-cli printed and returned (code −1: it crashed or did not finish in time).
struct Run {
    int code = -1;
    QString out, err;
    QStringList lines() const { return out.split('\n', Qt::SkipEmptyParts); }
};

/// Runs the built aelab-cli (AELAB_CLI, defined by tests/CMakeLists.txt) in `dir` and waits for it.
inline Run run(const QString &dir, const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(QStringLiteral(AELAB_CLI), args);
    Run r;
    if (!p.waitForStarted() || !p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        qWarning("aelab-cli %s did not finish", qPrintable(args.join(' ')));
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

/// One line of aelab-cli's JSON output (an empty object, with a warning, if it is not one).
inline QJsonObject parseLine(const QString &line)
{
    QJsonParseError e{};
    const QJsonDocument d = QJsonDocument::fromJson(line.toUtf8(), &e);
    if (e.error != QJsonParseError::NoError || !d.isObject()) qWarning("not a JSON object: %s", qPrintable(line));
    return d.object();
}

}  // namespace cli
