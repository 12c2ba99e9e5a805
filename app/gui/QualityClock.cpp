#include "QualityClock.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace quality {

int firstCrossing(const std::vector<Reading> &readings, double threshold, Crossing how)
{
    for (size_t i = 0; i < readings.size(); ++i) {
        const double m = readings[i].mse;
        if (std::isnan(m)) continue;
        if (how == Crossing::Below ? m < threshold : m <= threshold) return int(i);
    }
    return -1;
}

double secondsAtStep(const std::vector<StepTime> &points, std::int64_t step)
{
    if (points.empty()) return -1;
    for (size_t i = 1; i < points.size(); ++i)
        if (points[i].step <= points[i - 1].step) return -1;
    // t(step) = t0 + (step − s0) · (t1 − t0) / (s1 − s0) between the pairs (s0, t0), (s1, t1) around it;
    // (0, 0) is the pair before the first one.
    const StepTime last = points.back();
    if (step > last.step) return last.step > 0 ? last.seconds * double(step) / double(last.step) : -1;
    StepTime a{0, 0};
    for (const StepTime &b : points) {
        if (step <= b.step) {
            if (b.step == a.step) return b.seconds;
            return a.seconds + double(step - a.step) * (b.seconds - a.seconds) / double(b.step - a.step);
        }
        a = b;
    }
    return last.seconds;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * double(v.size() - 1);
    return v[std::min(v.size() - 1, size_t(rank + 0.5))];
}

double median(std::vector<double> v) { return percentile(std::move(v), 50); }

long long statusKiB(const std::string &statusText, const std::string &key)
{
    const std::string prefix = key + ":";
    size_t at = 0;
    while (at < statusText.size()) {
        const size_t end = std::min(statusText.find('\n', at), statusText.size());
        if (statusText.compare(at, prefix.size(), prefix) == 0) {
            size_t i = at + prefix.size();
            while (i < end && (statusText[i] == ' ' || statusText[i] == '\t')) ++i;
            const size_t digits = i;
            long long v = 0;
            for (; i < end && std::isdigit(static_cast<unsigned char>(statusText[i])); ++i) {
                if (v > (1LL << 50)) return -1;  // no machine has that many kB
                v = v * 10 + (statusText[i] - '0');
            }
            if (i == digits || statusText.compare(i, end - i, " kB") != 0) return -1;
            return v;
        }
        at = end + 1;
    }
    return -1;
}

}  // namespace quality
