#include "ui/training/SettingsChange.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace settings_change {

namespace {

QString num(double v) { return QString::number(v, 'g', 2); }

}  // namespace

QString describeChange(const ael::TrainSettings &a, const ael::TrainSettings &b, unsigned *mask)
{
    QStringList parts;
    unsigned m = 0;
    auto add = [&](unsigned bit, const QString &label) {
        m |= bit;
        parts << label;
    };
    if (a.variant != b.variant) add(kVariant, QStringLiteral("→ %1").arg(ael::toString(b.variant)));
    if (a.loss != b.loss) add(kLoss, QStringLiteral("loss %1").arg(QString(ael::toString(b.loss)).toUpper()));
    if (a.optimizer != b.optimizer) add(kOptimizer, QString(ael::toString(b.optimizer)));
    if (a.opt.learningRate != b.opt.learningRate) add(kLearningRate, QStringLiteral("lr %1").arg(num(b.opt.learningRate)));
    if (a.opt.momentum != b.opt.momentum) add(kMomentum, QStringLiteral("momentum %1").arg(num(b.opt.momentum)));
    if (a.batchSize != b.batchSize) add(kBatch, QStringLiteral("batch %1").arg(b.batchSize));
    if (a.shuffle != b.shuffle) add(kShuffle, b.shuffle ? QStringLiteral("shuffle") : QStringLiteral("no shuffle"));
    if (a.corruption.kind != b.corruption.kind) add(kCorruptionKind, QString(ael::toString(b.corruption.kind)));
    if (a.corruption.rate != b.corruption.rate)
        add(kCorruptionRate, b.corruption.kind == ael::CorruptionKind::Gaussian
                                 ? QStringLiteral("σ %1").arg(num(b.corruption.rate))
                                 : QStringLiteral("corruption %1 %").arg(std::lround(100 * b.corruption.rate)));
    if (a.sparsity != b.sparsity) add(kSparsity, QString(ael::toString(b.sparsity)).toUpper());
    if (a.sparsityWeight != b.sparsityWeight) add(kSparsityWeight, QStringLiteral("Ω weight %1").arg(num(b.sparsityWeight)));
    if (a.sparsityTarget != b.sparsityTarget) add(kSparsityTarget, QStringLiteral("ρ %1").arg(num(b.sparsityTarget)));
    if (a.contractiveLambda != b.contractiveLambda) add(kContractive, QStringLiteral("λ %1").arg(num(b.contractiveLambda)));
    if (a.beta != b.beta) add(kBeta, QStringLiteral("β %1").arg(num(b.beta)));
    if (mask) *mask = m;
    return parts.join(QStringLiteral(", "));
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
    const bool settles = (mask & ~kSettlingFields) == 0;
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
