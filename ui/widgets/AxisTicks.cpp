#include "ui/widgets/AxisTicks.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace axis_ticks {

double niceStep(double span, double targetTicks)
{
    if (!(span > 0) || !(targetTicks > 0)) return 1;
    const double raw = span / targetTicks;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    const double m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

double roomyStep(double span, double pixels, double pixelsPerTick, const std::function<double(double step)> &room)
{
    double step = 1;
    for (double target = std::max(3.0, pixels / pixelsPerTick);; target = std::max(1.0, target * 0.6)) {
        step = niceStep(span, target);
        if (step * pixels / span >= room(step) || target <= 1) break;
    }
    return step;
}

QString tickLabel(double v, double step)
{
    if (std::abs(v) < step * 1e-6) v = 0;
    const int decimals = std::clamp(int(-std::floor(std::log10(step) + 1e-9)), 0, 12);
    // Tiny steps (a collapsed code) in scientific notation, so the labels stay short.
    QString s = decimals > 4 ? QString::number(v, 'g', 3) : QString::number(v, 'f', decimals);
    if (s.startsWith('-')) s.replace(0, 1, QChar(0x2212));  // a real minus sign
    return s;
}

QString labelFormat(double step)
{
    const int decimals = step > 0 && std::isfinite(step) ? std::clamp(int(-std::floor(std::log10(step) + 1e-9)), 0, 9) : 3;
    return QStringLiteral("%.%1f").arg(decimals);
}

namespace {
/// How far beyond the lo and hi quantiles robustRange still follows the points, as a fraction of their span.
constexpr double kTailReach = 0.25;
}  // namespace

QRectF robustRange(const QVector<QPointF> &pts, double lo, double hi, double margin, double minSpan)
{
    std::vector<double> xs, ys;
    xs.reserve(size_t(pts.size()));
    ys.reserve(size_t(pts.size()));
    for (const QPointF &p : pts)
        if (std::isfinite(p.x()) && std::isfinite(p.y())) {
            xs.push_back(p.x());
            ys.push_back(p.y());
        }
    if (xs.empty()) return {};
    auto quantiles = [&](std::vector<double> &v, double &a, double &b) {
        const size_t n = v.size();
        if (n < 50) {  // too few for quantiles to mean anything: the full range
            const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
            a = *mn;
            b = *mx;
            return;
        }
        const size_t ia = size_t(std::floor(lo * double(n - 1)));
        const size_t ib = size_t(std::ceil(hi * double(n - 1)));
        std::nth_element(v.begin(), v.begin() + ptrdiff_t(ia), v.end());
        a = v[ia];
        std::nth_element(v.begin() + ptrdiff_t(ia), v.begin() + ptrdiff_t(ib), v.end());
        b = v[ib];
        // The tails beyond the quantiles stay in view up to a quarter of the bulk's span: a cluster at
        // the edge (one digit class) is drawn whole, not cut by the frame; farther points are outliers.
        const double reach = kTailReach * (b - a);
        const double lowest = a - reach, highest = b + reach;
        for (double x : v) {
            if (x < a && x >= lowest) a = x;
            if (x > b && x <= highest) b = x;
        }
    };
    double x0, x1, y0, y1;
    quantiles(xs, x0, x1);
    quantiles(ys, y0, y1);
    auto widen = [&](double &a, double &b) {
        double span = b - a;
        const double c = 0.5 * (a + b);
        // A collapsed code (e.g. a strong sparsity penalty) still fills the plot: the floor is relative
        // to float resolution, so a spread of 1e-5 is drawn as a spread, not as one dot. Only points
        // that are all equal get the fixed minimum.
        const double floor = span > 0 ? 1e-6 * std::max(1.0, std::abs(c)) : std::max(minSpan, std::abs(c) * 0.1);
        if (span < floor) {
            span = floor;
            a = c - 0.5 * span;
            b = c + 0.5 * span;
        }
        a -= margin * span;
        b += margin * span;
    };
    widen(x0, x1);
    widen(y0, y1);
    return QRectF(QPointF(x0, y0), QPointF(x1, y1));
}

}  // namespace axis_ticks
