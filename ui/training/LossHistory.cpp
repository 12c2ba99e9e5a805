#include "ui/training/LossHistory.h"

#include "ui/training/Snapshot.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString csvNumber(double v) { return std::isfinite(v) ? QString::number(v, 'g', 17) : QString(); }

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')) &&
        !s.contains(QLatin1Char('\r')))
        return s;
    QString q = s;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}
}  // namespace

void LossHistory::clear() { m_h = {}; }

void LossHistory::set(ael::SessionHistory h) { m_h = std::move(h); }

int LossHistory::termIndex(const QString &name)
{
    const std::string n = name.toStdString();
    const auto it = std::find(m_h.termNames.begin(), m_h.termNames.end(), n);
    if (it != m_h.termNames.end()) return int(it - m_h.termNames.begin());
    m_h.termNames.push_back(n);
    for (auto &p : m_h.points) p.terms.push_back(kNaN);  // not trained before it appeared
    return int(m_h.termNames.size()) - 1;
}

void LossHistory::add(const Snapshot &s)
{
    for (const LossPoint &lp : s.losses) {
        const qsizetype nt = std::min(lp.terms.size(), s.termNames.size());
        std::vector<int> idx;
        for (qsizetype i = 0; i < nt; ++i) idx.push_back(termIndex(s.termNames[i]));
        ael::SessionHistory::Point p;
        p.step = lp.step;
        p.epoch = lp.epoch;
        p.reconstruction = lp.reconstruction;
        p.terms.assign(m_h.termNames.size(), kNaN);
        for (qsizetype i = 0; i < nt; ++i) p.terms[size_t(idx[size_t(i)])] = lp.terms[i];
        m_h.points.push_back(std::move(p));
    }
    if (s.testStep > 0 && (m_h.tests.empty() || m_h.tests.back().step != s.testStep))
        m_h.tests.push_back({s.testStep, s.testMse, s.testMseNoisy >= 0 ? s.testMseNoisy : kNaN});
    for (const ChangeMarker &m : s.markers) {
        const std::string label = m.label.toStdString();
        const bool known = std::any_of(m_h.markers.begin(), m_h.markers.end(),
                                       [&](const auto &o) { return o.step == m.step && o.label == label; });
        if (!known) m_h.markers.push_back({m.step, label});
    }
}

QString LossHistory::csvHeader() const
{
    QStringList h{QStringLiteral("step"), QStringLiteral("epoch"), QStringLiteral("reconstruction")};
    for (const std::string &t : m_h.termNames) h << csvField(QString::fromStdString(t));
    h << QStringLiteral("objective") << QStringLiteral("test_mse");
    if (hasMseFromCorrupted()) h << QStringLiteral("test_mse_from_corrupted");
    h << QStringLiteral("marker");
    return h.join(QLatin1Char(','));
}

bool LossHistory::hasMseFromCorrupted() const
{
    return std::any_of(m_h.tests.begin(), m_h.tests.end(), [](const auto &t) { return std::isfinite(t.mseFromCorrupted); });
}

QByteArray LossHistory::toCsv() const
{
    const auto &pts = m_h.points;
    const size_t n = pts.size();
    // The row of an event at step s: the first point with step ≥ s, else the last row.
    auto rowOf = [&](int64_t s) {
        const auto it = std::lower_bound(pts.begin(), pts.end(), s, [](const auto &p, int64_t v) { return p.step < v; });
        return it == pts.end() ? n - 1 : size_t(it - pts.begin());
    };
    std::vector<double> test(n, kNaN), fromCorrupted(n, kNaN);
    std::vector<QStringList> marks(n);
    if (n > 0) {
        for (const auto &t : m_h.tests) {
            test[rowOf(t.step)] = t.mse;
            fromCorrupted[rowOf(t.step)] = t.mseFromCorrupted;
        }
        for (const auto &m : m_h.markers) marks[rowOf(m.step)] << QString::fromStdString(m.label);
    }
    const bool corrupted = hasMseFromCorrupted();
    QByteArray out = csvHeader().toUtf8() + '\n';
    for (size_t i = 0; i < n; ++i) {
        const auto &p = pts[i];
        QStringList row{QString::number(p.step), csvNumber(p.epoch), csvNumber(p.reconstruction)};
        double objective = p.reconstruction;  // L + Σ Ω
        for (double t : p.terms) {
            row << csvNumber(t);
            if (std::isfinite(t)) objective += t;
        }
        row << csvNumber(objective) << csvNumber(test[i]);
        if (corrupted) row << csvNumber(fromCorrupted[i]);
        row << csvField(marks[i].join(QStringLiteral("; ")));
        out += row.join(QLatin1Char(',')).toUtf8() + '\n';
    }
    return out;
}

QVector<Snapshot> LossHistory::replay() const
{
    // One Snapshot per test measurement (the chart takes one per Snapshot), carrying the points up to it.
    QVector<Snapshot> out;
    size_t next = 0;
    auto pointsUpTo = [&](int64_t step, Snapshot &s) {
        // Terms present in this stretch: the chart names them per Snapshot; a point lacking one gets a
        // Snapshot of its own so that no NaN reaches the curves.
        while (next < m_h.points.size() && m_h.points[next].step <= step) {
            const auto &p = m_h.points[next];
            QStringList names;
            QVector<double> terms;
            for (size_t t = 0; t < p.terms.size(); ++t)
                if (std::isfinite(p.terms[t])) names << QString::fromStdString(m_h.termNames[t]), terms << p.terms[t];
            if (!s.losses.isEmpty() && names != s.termNames) {
                out.push_back(s);
                s.losses.clear();
                s.testStep = 0;
            }
            s.termNames = names;
            s.losses.push_back({p.step, p.epoch, p.reconstruction, terms});
            ++next;
        }
    };
    // Each change marker with the first measurement at or after it, as it came while training (the chart
    // judges overfitting afresh after a change: all of them at the end would leave it no measurements).
    size_t nextMarker = 0;
    auto markersUpTo = [&](int64_t step, Snapshot &s) {
        for (; nextMarker < m_h.markers.size() && m_h.markers[nextMarker].step <= step; ++nextMarker)
            s.markers.push_back({m_h.markers[nextMarker].step, QString::fromStdString(m_h.markers[nextMarker].label)});
    };
    for (const auto &t : m_h.tests) {
        Snapshot s;
        pointsUpTo(t.step, s);
        markersUpTo(t.step, s);
        s.testStep = t.step;
        s.testMse = t.mse;
        s.testMseNoisy = std::isfinite(t.mseFromCorrupted) ? t.mseFromCorrupted : -1;  // the curve it was drawn on
        out.push_back(s);
    }
    Snapshot rest;
    pointsUpTo(std::numeric_limits<int64_t>::max(), rest);
    markersUpTo(std::numeric_limits<int64_t>::max(), rest);
    out.push_back(rest);
    return out;
}
