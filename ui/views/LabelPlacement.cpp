#include "ui/views/LabelPlacement.h"

#include <algorithm>

namespace label_placement {

QVector<QRectF> place(const QVector<Request> &labels, const QRectF &plot, const QVector<QRectF> &obstacles, double gap)
{
    QVector<QRectF> out;
    out.reserve(labels.size());
    QVector<QRectF> taken = obstacles;
    auto free = [&](const QRectF &r) {
        const QRectF padded = r.adjusted(-gap, -gap, gap, gap);
        for (const QRectF &t : std::as_const(taken))
            if (t.isValid() && padded.intersects(t)) return false;
        return true;
    };
    for (const Request &q : labels) {
        const double w = q.size.width(), h = q.size.height();
        double left = q.x;                                      // right of the line
        if (left + w > plot.right()) left = q.x - w;            // left of it, touching it
        if (left < plot.left() || w > plot.width()) {           // no room beside the line at all
            out.append(QRectF());
            continue;
        }
        // Candidate tops: the plot's top, and just under everything placed so far (rows pack tightly).
        QVector<double> tops{plot.top() + gap};
        for (const QRectF &t : std::as_const(taken))
            if (t.isValid()) tops.append(t.bottom() + gap);
        std::sort(tops.begin(), tops.end());
        QRectF placed;
        for (double top : std::as_const(tops)) {
            const QRectF r(left, top, w, h);
            if (top + h > plot.bottom() - gap) break;
            if (free(r)) {
                placed = r;
                break;
            }
        }
        out.append(placed);
        if (placed.isValid()) taken.append(placed);
    }
    return out;
}

bool clipSegment(QPointF a, QPointF b, const QRectF &r, double &t0, double &t1)
{
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    // For each edge: p t ≤ q keeps the point inside (left, right, top, bottom).
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.x() - r.left(), r.right() - a.x(), a.y() - r.top(), r.bottom() - a.y()};
    t0 = 0, t1 = 1;
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0) return false;  // parallel to this edge and outside it
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0) t0 = std::max(t0, t);
        else t1 = std::min(t1, t);
        if (t0 > t1) return false;
    }
    return true;
}

namespace {
/// Whether the segment a–b meets r.
bool segmentMeets(QPointF a, QPointF b, const QRectF &r)
{
    double t0, t1;
    return clipSegment(a, b, r, t0, t1);
}
}  // namespace

int segmentsThrough(const QRectF &r, const QPolygonF &line)
{
    int n = line.size() == 1 && r.contains(line[0]) ? 1 : 0;  // a single point: its dot
    for (qsizetype i = 1; i < line.size(); ++i) n += segmentMeets(line[i - 1], line[i], r) ? 1 : 0;
    return n;
}

int segmentsThrough(const QRectF &r, const QVector<QPolygonF> &lines)
{
    int n = 0;
    for (const QPolygonF &line : lines) n += segmentsThrough(r, line);
    return n;
}

double coverage(const QRectF &r, const QVector<QPolygonF> &lines, const QVector<double> &weights)
{
    double cost = 0;
    for (int l = 0; l < lines.size(); ++l) cost += weights.value(l, 1.0) * segmentsThrough(r, lines[l]);
    return cost;
}

int leastCovered(const QVector<QRectF> &candidates, const QVector<QPolygonF> &lines, const QVector<double> &weights)
{
    int best = -1;
    double bestCost = 0;
    for (int i = 0; i < candidates.size(); ++i) {
        const double cost = coverage(candidates[i], lines, weights);
        if (best < 0 || cost < bestCost) {
            best = i;
            bestCost = cost;
        }
        if (bestCost == 0) break;  // nothing beats a clear box, and earlier ones are preferred
    }
    return best;
}

int leastCoveredOr(const QVector<QRectF> &preferred, const QVector<QRectF> &fallback, const QVector<QPolygonF> &lines,
                   const QVector<double> &weights, double avoid)
{
    const int best = leastCovered(preferred, lines, weights);
    const double cost = best >= 0 ? coverage(preferred[best], lines, weights) : 0;
    if (best >= 0 && cost < avoid) return best;
    const int other = leastCovered(fallback, lines, weights);
    if (other >= 0 && (best < 0 || coverage(fallback[other], lines, weights) < cost)) return int(preferred.size()) + other;
    return best;
}

}  // namespace label_placement
