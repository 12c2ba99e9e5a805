#include "ui/training/SettingsChange.h"

#include "core/train/SettingsTable.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace settings_change {

unsigned changeBit(const char *key)
{
    const auto &rows = ael::settingsTable();
    for (size_t i = 0; i < rows.size(); ++i)
        if (std::strcmp(rows[i].key, key) == 0) return 1u << i;
    return 0;
}

unsigned settlingFields()
{
    static const unsigned mask = [] {
        unsigned m = 0;
        const auto &rows = ael::settingsTable();
        for (size_t i = 0; i < rows.size(); ++i)
            if (rows[i].settles) m |= 1u << i;
        return m;
    }();
    return mask;
}

QString describeChange(const ael::TrainSettings &a, const ael::TrainSettings &b, unsigned *mask)
{
    static_assert(sizeof(unsigned) * 8 >= 32, "one bit a row");
    QStringList parts;
    unsigned m = 0;
    const auto &rows = ael::settingsTable();
    for (size_t i = 0; i < rows.size() && i < 32; ++i) {
        if (rows[i].get(a) == rows[i].get(b)) continue;
        m |= 1u << i;
        parts << QString::fromStdString(rows[i].changeLabel(b));
    }
    if (mask) *mask = m;
    return parts.join(QStringLiteral(", "));
}

QString describeCorruption(const ael::Corruption &c)
{
    const auto tr = [](const char *t) { return QCoreApplication::translate("SettingsChange", t); };
    switch (c.kind) {
    case ael::CorruptionKind::Masking: return tr("masking %1 %").arg(std::lround(c.rate * 100));
    case ael::CorruptionKind::SaltPepper: return tr("salt-and-pepper %1 %").arg(std::lround(c.rate * 100));
    case ael::CorruptionKind::Gaussian: return tr("Gaussian σ = %1").arg(c.rate, 0, 'g', 2);
    case ael::CorruptionKind::None: break;
    }
    return tr("no corruption");
}

QString switchMessage(const ael::TrainSettings &a, const ael::TrainSettings &b)
{
    if (a.variant == b.variant) return {};
    const bool vaeBefore = a.variant == ael::Variant::Variational, vae = b.variant == ael::Variant::Variational;
    if (vaeBefore == vae) return QStringLiteral("switched to %1").arg(ael::toString(b.variant));
    // Trainer::lastSwitchReport() lists every re-initialised tensor; the status bar gets the gist.
    return QStringLiteral("switched to %1: every layer kept but the code layer, which was re-initialised (it now gives %2)")
        .arg(ael::toString(b.variant), vae ? QStringLiteral("μ and log σ²") : QStringLiteral("the code h"));
}

QVector<ChangeMarker> MarkerDebounce::change(const ael::TrainSettings &before, const ael::TrainSettings &after,
                                             qint64 step, double now)
{
    unsigned mask = 0;
    const QString label = describeChange(before, after, &mask);
    if (label.isEmpty()) return {};
    const bool settles = (mask & ~settlingFields()) == 0;
    // A change of another kind (or of another settling field) closes the open drag first.
    QVector<ChangeMarker> out;
    if (m_pending && (!settles || (mask & ~m_mask))) out = close(before);
    if (!settles) {
        out.push_back({step, label});
        return out;
    }
    if (!m_pending) {
        m_pending = true;
        m_base = before;
        m_step = step;
        m_mask = 0;
    }
    m_mask |= mask;
    m_last = now;
    return out;
}

QVector<ChangeMarker> MarkerDebounce::tick(const ael::TrainSettings &current, double now)
{
    if (!m_pending || now - m_last < kSettleSeconds) return {};
    return close(current);
}

double MarkerDebounce::secondsLeft(double now) const { return m_pending ? std::max(0.0, kSettleSeconds - (now - m_last)) : -1; }

QVector<ChangeMarker> MarkerDebounce::close(const ael::TrainSettings &end)
{
    m_pending = false;
    const QString label = describeChange(m_base, end);  // a drag back to where it began leaves no marker
    if (label.isEmpty()) return {};
    return {ChangeMarker{m_step, label}};
}

}  // namespace settings_change
