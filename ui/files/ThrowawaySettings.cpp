#include "ui/files/ThrowawaySettings.h"

#include <QDir>
#include <QSettings>

namespace ael::ui {

void useThrowawaySettings(const QString &dir)
{
    for (QSettings::Format f : {QSettings::NativeFormat, QSettings::IniFormat}) {
        QSettings::setPath(f, QSettings::UserScope, dir);
        QSettings::setPath(f, QSettings::SystemScope, QDir(dir).filePath(QStringLiteral("system")));  // no /etc/xdg fallbacks
    }
}

}  // namespace ael::ui
