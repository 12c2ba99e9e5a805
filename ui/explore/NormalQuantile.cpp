#include "NormalQuantile.h"

#include <cmath>
#include <limits>

namespace ael::ui {

double normalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Peter J. Acklam, "An algorithm for computing the inverse normal cumulative distribution function"
// (2003; archived at web.archive.org/web/2007/http://home.online.no/~pjacklam/notes/invnorm/).
// A rational approximation in the central region plevel ≤ p ≤ 1 − plevel and one in q = √(−2 ln p)
// in each tail; relative error < 1.15e-9. One step of Halley's method on f(x) = Φ(x) − p,
//   x ← x − u / (1 + x·u/2),  u = (Φ(x) − p) · √(2π) · exp(x²/2),
// brings it to full double precision (Acklam's own suggestion).
double normalQuantile(double p)
{
    if (std::isnan(p)) return std::numeric_limits<double>::quiet_NaN();
    if (p <= 0) return -std::numeric_limits<double>::infinity();
    if (p >= 1) return std::numeric_limits<double>::infinity();

    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01,  -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    constexpr double plow = 0.02425, phigh = 1 - plow;

    double x;
    if (p < plow) {  // lower tail
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= phigh) {  // central region
        const double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {  // upper tail, by symmetry
        const double q = std::sqrt(-2 * std::log1p(-p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    // Halley refinement. Above p = ½, Φ(x) − p is computed as (1 − p) − (1 − Φ(x)) = (1 − p) − ½ erfc(x/√2),
    // which keeps its digits in the upper tail (1 − p is exact there).
    const double e = p <= 0.5 ? normalCdf(x) - p : (1 - p) - 0.5 * std::erfc(x / std::sqrt(2.0));
    const double u = e * std::sqrt(2 * 3.14159265358979323846) * std::exp(x * x / 2);
    x = x - u / (1 + x * u / 2);
    return x;
}

}  // namespace ael::ui
