#pragma once
#include <QList>
#include <QPointF>
#include <QVector>

#include <deque>

/// A curve that never holds more than capacity() points, whatever was appended: the first point,
/// then the older points merged into bins of equal weight (each bin drawn at the mean of its
/// points), then the newest capacity()/4 points at full resolution. When the bins overflow, pairs
/// of neighbours merge and the bin weight doubles, so the old part of the curve keeps an even
/// resolution along a linear step axis. The first and last x are kept exactly.
class DecimatedSeries {
public:
    static constexpr int kDefaultCapacity = 2000;

    explicit DecimatedSeries(int capacity = kDefaultCapacity);
    void append(QPointF p);
    void clear();
    /// The points to draw (built when asked after a change; at most capacity()).
    const QList<QPointF> &points() const;
    /// How many appended points each of points() stands for.
    const QList<double> &weights() const;
    int size() const;
    bool isEmpty() const { return !m_hasFirst; }
    int capacity() const { return m_capacity; }
    /// How many appended points a full bin holds (1, 2, 4, …).
    double binWeight() const { return m_binWeight; }

private:
    struct Bin {
        double sx = 0, sy = 0, w = 0;
        void add(QPointF p, double wp = 1) { sx += p.x() * wp; sy += p.y() * wp; w += wp; }
        void add(const Bin &o) { sx += o.sx; sy += o.sy; w += o.w; }
        QPointF mean() const { return {sx / w, sy / w}; }
    };
    void rebuild() const;

    int m_capacity, m_tailMax, m_binMax;
    bool m_hasFirst = false;
    QPointF m_first;
    QVector<Bin> m_bins;  // full bins, oldest first, each of weight m_binWeight
    Bin m_open;           // the bin being filled, newer than m_bins
    std::deque<QPointF> m_tail;
    double m_binWeight = 1;

    mutable QList<QPointF> m_points;
    mutable QList<double> m_weights;
    mutable bool m_stale = false;
};
