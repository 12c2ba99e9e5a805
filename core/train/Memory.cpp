#include "Memory.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>
#include <mutex>
#include <vector>

#include <malloc.h>
#include <unistd.h>

namespace ael {

namespace {

// a * b saturating at SIZE_MAX (the estimates of absurd requests must not wrap around).
size_t mul(size_t a, size_t b) { return a != 0 && b > std::numeric_limits<size_t>::max() / a ? std::numeric_limits<size_t>::max() : a * b; }
size_t add(size_t a, size_t b) { return b > std::numeric_limits<size_t>::max() - a ? std::numeric_limits<size_t>::max() : a + b; }

/// Widths of every layer's output, input first: in, hidden..., code (2k if variational), hidden..., in.
std::vector<size_t> widths(const Architecture &a)
{
    std::vector<size_t> w{size_t(a.input)};
    for (int h : a.encoderHidden) w.push_back(size_t(h));
    w.push_back(size_t(a.variational ? 2 * a.code : a.code));
    if (a.variational) w.push_back(size_t(a.code));  // h
    for (int h : a.decoderHidden) w.push_back(size_t(h));
    w.push_back(size_t(a.input));
    return w;
}

size_t parameters(const Architecture &a)
{
    size_t p = 0, in = size_t(a.input);
    auto layer = [&](size_t out) {
        p = add(p, add(mul(in, out), out));
        in = out;
    };
    for (int h : a.encoderHidden) layer(size_t(h));
    layer(size_t(a.variational ? 2 * a.code : a.code));
    in = size_t(a.code);
    for (int h : a.decoderHidden) layer(size_t(h));
    layer(size_t(a.input));
    return p;
}

}  // namespace

size_t forwardBytes(const Architecture &a, long long n)
{
    size_t units = 0;
    for (size_t w : widths(a)) units = add(units, w);
    return mul(mul(units, size_t(std::max(0LL, n))), 2 * sizeof(float));  // z and f(z) of every layer
}

size_t trainingBytes(const Architecture &a, int batch, OptimizerKind optimizer)
{
    // value, gradient, checkpoint; Adam: two moments (and their checkpoint), SGD: one velocity.
    const size_t perParameter = sizeof(float) * (3 + (optimizer == OptimizerKind::Adam ? 4 : 2));
    const size_t weights = mul(parameters(a), perParameter);
    size_t widest = 0;
    for (size_t w : widths(a)) widest = std::max(widest, w);
    // The forward caches, plus the batch, its corruption, ∂L/∂x̂ and ~4 backward scratch matrices.
    const size_t scratch = mul(mul(widest, size_t(std::max(batch, 0))), 7 * sizeof(float));
    return add(add(weights, forwardBytes(a, batch)), scratch);
}

size_t memoryLimitFromEnvironment()
{
    const char *e = std::getenv("AELAB_MEMORY_LIMIT");
    if (!e || !*e) return std::numeric_limits<size_t>::max();
    char *end = nullptr;
    const double v = std::strtod(e, &end);
    const double unit = *end == 'K' || *end == 'k' ? 1024.0 : *end == 'M' || *end == 'm' ? 1048576.0
                      : *end == 'G' || *end == 'g' ? 1073741824.0 : 1.0;
    if (!(v > 0) || v * unit >= double(std::numeric_limits<size_t>::max())) return std::numeric_limits<size_t>::max();
    return size_t(v * unit);
}

size_t availableMemoryBytes()
{
    const size_t limit = memoryLimitFromEnvironment();
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    size_t kb = 0;
    std::string unit;
    while (meminfo >> key >> kb >> unit)
        if (key == "MemAvailable:") return std::min(limit, mul(kb, 1024));
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
    return std::min(limit, pages > 0 && page > 0 ? mul(size_t(pages), size_t(page)) : std::numeric_limits<size_t>::max());
}

std::string formatBytes(size_t bytes)
{
    char buf[48];
    const double b = double(bytes);
    if (b >= 1e12) std::snprintf(buf, sizeof buf, "%.3g TB", b / 1e12);
    else if (b >= 1e9) std::snprintf(buf, sizeof buf, "%.3g GB", b / 1e9);
    else std::snprintf(buf, sizeof buf, "%.3g MB", b / 1e6);
    return buf;
}

std::string whyTooLarge(size_t bytes, const std::string &what)
{
    const size_t available = availableMemoryBytes();
    if (bytes <= available) return {};
    return what + " needs about " + formatBytes(bytes) + ", more than the " + formatBytes(available) +
           " of memory available";
}

void keepFreedMemoryForReuse()
{
#ifdef __GLIBC__
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest: bigger blocks still get their own mapping
        mallopt(M_TRIM_THRESHOLD, 64 << 20);
    });
#endif
}

}  // namespace ael
