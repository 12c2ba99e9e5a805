#include "ui/widgets/DecimatedSeries.h"

#include <algorithm>

DecimatedSeries::DecimatedSeries(int capacity)
    : m_capacity(std::max(8, capacity)), m_tailMax(m_capacity / 4), m_binMax(m_capacity - m_tailMax - 2)
{
}

void DecimatedSeries::append(QPointF p)
{
    m_stale = true;
    if (!m_hasFirst) {
        m_hasFirst = true;
        m_first = p;
        return;
    }
    m_tail.push_back(p);
    if (int(m_tail.size()) <= m_tailMax) return;
    m_open.add(m_tail.front());
    m_tail.pop_front();
    if (m_open.w < m_binWeight) return;
    m_bins.append(m_open);
    m_open = {};
    if (m_bins.size() <= m_binMax) return;
    // Too many bins: merge neighbours pairwise, doubling the bin weight. An odd last bin joins
    // the open one (which is newer and lighter, so the sum stays under the new weight).
    const qsizetype pairs = m_bins.size() / 2;
    for (qsizetype k = 0; k < pairs; ++k) {
        Bin b = m_bins[2 * k];
        b.add(m_bins[2 * k + 1]);
        m_bins[k] = b;
    }
    if (m_bins.size() % 2) {
        Bin b = m_bins.back();
        b.add(m_open);
        m_open = b;
    }
    m_bins.resize(pairs);
    m_binWeight *= 2;
}

void DecimatedSeries::clear()
{
    m_hasFirst = false;
    m_bins.clear();
    m_open = {};
    m_tail.clear();
    m_binWeight = 1;
    m_points.clear();
    m_weights.clear();
    m_stale = false;
}

int DecimatedSeries::size() const
{
    if (!m_hasFirst) return 0;
    return 1 + int(m_bins.size()) + (m_open.w > 0 ? 1 : 0) + int(m_tail.size());
}

void DecimatedSeries::rebuild() const
{
    m_stale = false;
    m_points.clear();
    m_weights.clear();
    if (!m_hasFirst) return;
    m_points.reserve(size());
    m_weights.reserve(size());
    m_points.append(m_first);
    m_weights.append(1);
    for (const Bin &b : m_bins) {
        m_points.append(b.mean());
        m_weights.append(b.w);
    }
    if (m_open.w > 0) {
        m_points.append(m_open.mean());
        m_weights.append(m_open.w);
    }
    for (const QPointF &p : m_tail) {
        m_points.append(p);
        m_weights.append(1);
    }
}

const QList<QPointF> &DecimatedSeries::points() const
{
    if (m_stale) rebuild();
    return m_points;
}

const QList<double> &DecimatedSeries::weights() const
{
    if (m_stale) rebuild();
    return m_weights;
}

