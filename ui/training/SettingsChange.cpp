#include "ui/training/SettingsChange.h"

#include <QStringList>

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

}  // namespace settings_change
