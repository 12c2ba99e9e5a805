#pragma once
// The choices the control panel offers, in the order its combo boxes list them, and the small
// conversions between the panel's texts and the engine's values. Shared by the panel's two files:
// ControlPanel.cpp (building the widgets) and ControlPanelState.cpp (settings ⇄ widgets, QSettings).
#include "core/nn/Architecture.h"
#include "core/train/Settings.h"

#include <QObject>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <vector>

namespace control_items {

using ael::ActivationKind;
using ael::Variant;

inline constexpr Variant kVariants[] = {Variant::Undercomplete, Variant::Overcomplete, Variant::Sparse,
                                 Variant::Denoising,     Variant::Contractive,  Variant::Variational};
inline constexpr ActivationKind kActivations[] = {ActivationKind::Linear, ActivationKind::Sigmoid, ActivationKind::Tanh,
                                           ActivationKind::ReLU};
inline constexpr ael::CorruptionKind kCorruptions[] = {ael::CorruptionKind::None, ael::CorruptionKind::Masking,
                                                ael::CorruptionKind::Gaussian, ael::CorruptionKind::SaltPepper};
inline constexpr int kBatchSizes[] = {16, 32, 64, 128, 256, 512, 1024};

inline QString variantTitle(Variant v)
{
    switch (v) {
    case Variant::Undercomplete: return QObject::tr("Undercomplete");
    case Variant::Overcomplete: return QObject::tr("Overcomplete");
    case Variant::Sparse: return QObject::tr("Sparse");
    case Variant::Denoising: return QObject::tr("Denoising");
    case Variant::Contractive: return QObject::tr("Contractive");
    case Variant::Variational: return QObject::tr("Variational");
    }
    return {};
}

/// The names the lecture uses ("ReLU", not a capitalised "Relu").
inline QString activationTitle(ActivationKind a)
{
    switch (a) {
    case ActivationKind::Linear: return QObject::tr("Linear");
    case ActivationKind::Sigmoid: return QObject::tr("Sigmoid");
    case ActivationKind::Tanh: return QObject::tr("Tanh");
    case ActivationKind::ReLU: return QObject::tr("ReLU");
    }
    return {};
}

template <class E, size_t N> int indexOf(const E (&values)[N], E v)
{
    for (size_t i = 0; i < N; ++i)
        if (values[i] == v) return int(i);
    return 0;
}

/// "256" or "512-256" or "512, 256" → widths; false on anything else.
inline bool parseWidths(const QString &text, std::vector<int> &out)
{
    out.clear();
    const QString t = text.trimmed();
    if (t.isEmpty() || t == QLatin1String("-") || t == QLatin1String("none")) return true;
    static const QRegularExpression sep(QStringLiteral("[-,;\\s]+"));
    for (const QString &part : t.split(sep, Qt::SkipEmptyParts)) {
        bool ok = false;
        const int w = part.toInt(&ok);
        if (!ok || w < 1 || w > 8192) return false;
        out.push_back(w);
    }
    return true;
}

inline QString widthsText(const std::vector<int> &w)
{
    QStringList parts;
    for (int x : w) parts << QString::number(x);
    return parts.join(QLatin1Char('-'));
}


}  // namespace control_items
