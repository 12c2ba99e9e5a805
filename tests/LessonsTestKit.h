#pragma once
// Shared by tst_ui_lessontable and tst_ui_lessons: the lesson table as written in the source tree, read
// independently of the parser (ui/lessons/Lessons.cpp).
#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace lessonstest {

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot open %s", qPrintable(path));
    return f.readAll();
}

/// The table as written in the source tree (an independent reading of the fields the engine must get).
inline QJsonArray rawLessons()
{
    return QJsonDocument::fromJson(readFile(QStringLiteral(AELAB_SOURCE_DIR "/resources/lessons/lessons.json")))
        .object()
        .value(QLatin1String("lessons"))
        .toArray();
}

}  // namespace lessonstest
