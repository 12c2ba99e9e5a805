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

}  // namespace label_placement
