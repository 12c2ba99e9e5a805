// libFuzzer target: IDX images and labels files, raw or gzip'd (core/data/Idx.h).
// Input: [mode byte][4-byte big-endian length L][images file: L bytes][labels file: the rest].
// Mode bit 0 / bit 1: gzip the images / labels part here first, so the fuzzer mutates the content
// under a valid gzip stream; parts that are gzip streams themselves are decoded as such (corrupt gzip).
// Each input is loaded three times: as the pair, and each part alone beside a valid companion (so each
// decoder runs even when the other part is bad). Either it throws DataError or the data set is sane.
#include "core/data/Idx.h"

#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_idx: %s\n", what);
    std::abort();
}

std::vector<uint8_t> gzip(const uint8_t *p, size_t n)
{
    z_stream zs{};
    // A 512-byte window and the smallest hash (memLevel 1): a valid gzip stream like any other for the
    // loader (which inflates with the full 32 KiB window), without clearing 256 KiB of deflate state
    // per input (that was most of this target's time).
    if (deflateInit2(&zs, 6, Z_DEFLATED, 9 + 16, 1, Z_DEFAULT_STRATEGY) != Z_OK) broken("deflateInit2");
    std::vector<uint8_t> out(deflateBound(&zs, uLong(n)));
    zs.next_in = const_cast<uint8_t *>(p);
    zs.avail_in = uInt(n);
    zs.next_out = out.data();
    zs.avail_out = uInt(out.size());
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END) broken("deflate");
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

// One image of 1 x 1 pixels with label 0.
const uint8_t kImages[] = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7};
const uint8_t kLabels[] = {0, 0, 8, 1, 0, 0, 0, 1, 0};

void load(const std::vector<uint8_t> &img, const std::vector<uint8_t> &lab)
{
    try {
        const ael::Dataset d = ael::loadIdxFromMemory(img.data(), img.size(), lab.data(), lab.size(), "fuzz",
                                                      "images", "labels");
        if (d.rows <= 0 || d.cols <= 0) broken("loaded an empty image size");
        if (d.pixels.size() != d.labels.size() * size_t(d.rows) * size_t(d.cols)) broken("pixel count mismatch");
        for (uint8_t l : d.labels)
            if (l > 9) broken("label outside 0..9");
    } catch (const ael::DataError &) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5) return 0;
    const unsigned mode = data[0];
    size_t split = size_t(data[1]) << 24 | size_t(data[2]) << 16 | size_t(data[3]) << 8 | size_t(data[4]);
    data += 5;
    size -= 5;
    if (split > size) split = size;
    std::vector<uint8_t> img(data, data + split), lab(data + split, data + size);
    if (mode & 1) img = gzip(img.data(), img.size());
    if (mode & 2) lab = gzip(lab.data(), lab.size());
    load(img, lab);
    load(img, std::vector<uint8_t>(kLabels, kLabels + sizeof kLabels));
    load(std::vector<uint8_t>(kImages, kImages + sizeof kImages), lab);
    return 0;
}
