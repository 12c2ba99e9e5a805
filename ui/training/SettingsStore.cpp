#include "ui/training/SettingsStore.h"

#include "core/train/SettingsTable.h"

#include <QSettings>

namespace settings_store {

namespace {

QString keyOf(const ael::SettingRow &r) { return QString::fromUtf8(r.key).replace(QLatin1Char('.'), QLatin1Char('/')); }

/// Where earlier builds kept a row's value (read when the row's own key is absent).
QString earlierKey(const ael::SettingRow &r)
{
    if (keyOf(r) == QLatin1String("corruption/kind")) return QStringLiteral("corruption");
    if (keyOf(r) == QLatin1String("corruption/rate")) return QStringLiteral("corruptionRate");
    return {};
}

/// The stored value of row r as the table's double, or false when it is missing or malformed.
bool read(const QSettings &q, const ael::SettingRow &r, double &out)
{
    QVariant v = q.value(keyOf(r));
    if (!v.isValid() && !earlierKey(r).isEmpty()) v = q.value(earlierKey(r));
    if (!v.isValid()) return false;
    bool ok = false;
    switch (r.kind) {
    case ael::SettingKind::Number: out = v.toDouble(&ok); return ok;
    case ael::SettingKind::Whole: out = double(v.toLongLong(&ok)); return ok;
    case ael::SettingKind::Switch: {
        const QString t = v.toString().toLower();
        if (t != QLatin1String("true") && t != QLatin1String("false")) return false;
        out = t == QLatin1String("true") ? 1 : 0;
        return true;
    }
    case ael::SettingKind::Choice: out = r.indexOf(v.toString().toStdString()); return out >= 0;
    }
    return false;
}

}  // namespace

void save(QSettings &q, const ael::TrainSettings &s)
{
    for (const ael::SettingRow &r : ael::settingsTable()) {
        const double v = r.get(s);
        switch (r.kind) {
        case ael::SettingKind::Number: q.setValue(keyOf(r), v); break;
        case ael::SettingKind::Whole: q.setValue(keyOf(r), qlonglong(v)); break;
        case ael::SettingKind::Switch: q.setValue(keyOf(r), v != 0); break;
        case ael::SettingKind::Choice: q.setValue(keyOf(r), QString::fromStdString(r.text(v))); break;
        }
    }
}

ael::TrainSettings restore(QSettings &q, const ael::TrainSettings &defaults)
{
    ael::TrainSettings s = defaults;
    for (const ael::SettingRow &r : ael::settingsTable()) {
        double v = 0;
        if (!read(q, r, v)) continue;
        if (r.kind == ael::SettingKind::Whole && !(v >= r.lo && v <= r.hi)) continue;  // before an int holds it
        const double before = r.get(s);
        r.set(s, v);
        if (!r.check(s).empty()) r.set(s, before);  // out of range: the default stays
    }
    return s;
}

}  // namespace settings_store
