#include "Idx.h"

#include "../io/SafeFile.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <utility>
#include <memory>
#include <vector>

namespace ael {

namespace {

enum class Kind { Images, Labels };

constexpr uint8_t kIdxTypeUByte = 0x08;

uint64_t headerBytes(Kind k) { return k == Kind::Images ? kIdxImagesHeaderBytes : kIdxLabelsHeaderBytes; }
int wantedDims(Kind k) { return k == Kind::Images ? 3 : 1; }
const char *kindName(Kind k) { return k == Kind::Images ? "IDX images file" : "IDX labels file"; }

[[noreturn]] void fail(const std::string &label, const std::string &problem)
{
    throw DataError(label + ": " + problem);
}

std::string hex32(uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", unsigned(v));
    return buf;
}

std::string hex8(unsigned v)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", v & 0xffu);
    return buf;
}

uint32_t be32(const uint8_t *p)
{
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

void putBe32(uint8_t *p, uint32_t v)
{
    p[0] = uint8_t(v >> 24);
    p[1] = uint8_t(v >> 16);
    p[2] = uint8_t(v >> 8);
    p[3] = uint8_t(v);
}

/// "1 byte", "2 bytes"
std::string bytes(uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }
/// "1 byte follows", "2 bytes follow"
std::string follows(uint64_t n) { return bytes(n) + (n == 1 ? " follows" : " follow"); }

bool isGzip(const uint8_t *p, size_t n) { return n >= 2 && p[0] == 0x1f && p[1] == 0x8b; }

/// The shape a (valid) header declares.
struct Header {
    uint32_t count = 0, rows = 1, cols = 1;  // labels: rows = cols = 1
    uint64_t payload = 0;                     // count * rows * cols bytes after the header

    std::string describe(Kind k) const
    {
        if (k == Kind::Images)
            return std::to_string(count) + " images of " + std::to_string(rows) + "x" + std::to_string(cols) + " ("
                   + std::to_string(payload) + " bytes)";
        return std::to_string(count) + " labels (" + std::to_string(payload) + " bytes)";
    }
};

/// Checks the 4-byte magic 0x00 0x00 <type> <ndims>.
void checkMagic(const uint8_t *h, Kind k, const std::string &label)
{
    const uint32_t magic = be32(h);
    const uint32_t want = (uint32_t(kIdxTypeUByte) << 8) | uint32_t(wantedDims(k));
    if (magic == want) return;
    if (h[0] != 0 || h[1] != 0) {
        std::string hint;
        if (isGzip(h, 4)) hint = " (the data is gzip'd twice?)";
        fail(label, "not an " + std::string(kindName(k)) + ": wrong magic number " + hex32(magic) + ", expected "
                        + hex32(want) + hint);
    }
    if (h[2] != kIdxTypeUByte) {
        const char *type = "unknown";
        switch (h[2]) {
        case 0x09: type = "signed byte"; break;
        case 0x0b: type = "int16"; break;
        case 0x0c: type = "int32"; break;
        case 0x0d: type = "float32"; break;
        case 0x0e: type = "float64"; break;
        default: break;
        }
        fail(label, "wrong magic number " + hex32(magic) + ": IDX element type " + hex8(h[2]) + " (" + type
                        + ") is not supported, only 0x08 (unsigned byte); expected " + hex32(want));
    }
    std::string hint;
    if (k == Kind::Images && h[3] == 1) hint = " — is this the labels file?";
    if (k == Kind::Labels && h[3] == 3) hint = " — is this the images file?";
    fail(label, "wrong dimension count " + std::to_string(unsigned(h[3])) + " (magic " + hex32(magic) + "): an "
                    + kindName(k) + " has " + std::to_string(wantedDims(k))
                    + (k == Kind::Images ? " dimensions (count, rows, cols)" : " dimension (count)") + hint);
}

/// Checks a complete header (headerBytes(k) bytes) against the caps; returns the declared shape.
Header checkHeader(const uint8_t *h, Kind k, const std::string &label)
{
    checkMagic(h, k, label);
    Header hd;
    hd.count = be32(h + 4);
    const char *what = k == Kind::Images ? "images" : "labels";
    if (hd.count == 0) fail(label, std::string("header says 0 ") + what + ": the file holds no data");
    if (hd.count > kIdxMaxImages)
        fail(label, "header says " + std::to_string(hd.count) + " " + what + ", more than the limit of "
                        + std::to_string(kIdxMaxImages));
    if (k == Kind::Images) {
        hd.rows = be32(h + 8);
        hd.cols = be32(h + 12);
        if (hd.rows == 0 || hd.cols == 0 || hd.rows > kIdxMaxSide || hd.cols > kIdxMaxSide)
            fail(label, "header says images of " + std::to_string(hd.rows) + "x" + std::to_string(hd.cols)
                            + " pixels: huge or empty dimensions, each side must be 1.." + std::to_string(kIdxMaxSide));
    }
    // At most 1e6 * 4096 * 4096 < 2^44: no overflow in 64 bits.
    hd.payload = uint64_t(hd.count) * hd.rows * hd.cols;
    if (hd.payload > kIdxMaxPixelBytes)
        fail(label, "header says " + hd.describe(k) + ", more than the limit of " + std::to_string(kIdxMaxPixelBytes)
                        + " bytes");
    return hd;
}

/// Checks whatever header bytes a too-short file has, then reports it as too short.
[[noreturn]] void failShort(const uint8_t *h, uint64_t have, Kind k, const std::string &label, bool gz)
{
    if (have == 0)
        fail(label, gz ? "the gzip stream inflates to 0 bytes: empty file" : "file is empty (0 bytes)");
    if (have >= 4) checkMagic(h, k, label);
    fail(label, "truncated header: " + std::to_string(have) + " bytes" + (gz ? " after decompression" : "")
                    + ", an " + kindName(k) + " header is " + std::to_string(headerBytes(k)) + " bytes");
}

[[noreturn]] void failTruncated(const Header &hd, uint64_t follow, Kind k, const std::string &label)
{
    fail(label, "truncated: header says " + hd.describe(k) + " but only " + follows(follow));
}

/// A raw file must hold exactly the payload its header declares after the header.
void checkRawLength(const Header &hd, uint64_t follow, Kind k, const std::string &label)
{
    if (follow < hd.payload) failTruncated(hd, follow, k, label);
    if (follow > hd.payload)
        fail(label, "header says " + hd.describe(k) + " but the file holds " + std::to_string(follow - hd.payload)
                        + (follow - hd.payload == 1 ? " extra byte" : " extra bytes") + " after them");
}

/// Inflates the gzip stream in [in, in + n), handing the output to sink(ptr, len) chunk by chunk.
/// Concatenated gzip members (as `cat a.gz b.gz` makes) are accepted, as gunzip does; anything
/// else after the last member, a truncated stream and a bad CRC-32 or length are errors.
void inflateGzip(const uint8_t *in, size_t n, const std::string &label,
                 const std::function<void(const uint8_t *, size_t)> &sink)
{
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK)  // 15-bit window, +16: gzip wrapper only
        fail(label, "zlib inflateInit2 failed");
    struct End {
        z_stream *z;
        ~End() { inflateEnd(z); }
    } end{&zs};

    // One 64 KiB output chunk, left uninitialized: zlib writes before the sink reads, and zeroing a
    // large buffer per call made every small file (and each fuzzing input) pay for it.
    constexpr size_t kChunk = size_t(1) << 16;
    const std::unique_ptr<uint8_t[]> out(new uint8_t[kChunk]);
    size_t fed = 0;  // input bytes handed to zlib so far (avail_in is 32-bit: feed <= 1 GiB at a time)
    for (;;) {
        if (zs.avail_in == 0 && fed < n) {
            const size_t take = std::min<size_t>(n - fed, size_t(1) << 30);
            zs.next_in = const_cast<Bytef *>(in + fed);
            zs.avail_in = uInt(take);
            fed += take;
        }
        zs.next_out = out.get();
        zs.avail_out = uInt(kChunk);
        const int rc = inflate(&zs, Z_NO_FLUSH);
        const size_t produced = kChunk - zs.avail_out;
        if (rc == Z_STREAM_END || rc == Z_OK || rc == Z_BUF_ERROR) {
            if (produced) sink(out.get(), produced);
        }
        if (rc == Z_STREAM_END) {
            const size_t at = size_t(zs.next_in - in);  // first byte after this member
            if (at == n) return;
            if (isGzip(in + at, n - at)) {
                inflateReset(&zs);
                continue;
            }
            fail(label, std::to_string(n - at) + " bytes of trailing garbage after the gzip stream");
        }
        if (rc == Z_OK) continue;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0 && fed == n)
            fail(label, "corrupt gzip: the stream is truncated (the .gz file ends before its data does)");
        if (rc == Z_MEM_ERROR) fail(label, "out of memory while inflating");
        fail(label, std::string("corrupt gzip data (zlib: ") + (zs.msg ? zs.msg : "error " + std::to_string(rc))
                        + ")");
    }
}

/// Decodes one IDX file held in memory (raw or gzip'd) into its header and payload. If `owned` is
/// the buffer [data, data + n) itself and the file is raw, the payload is moved out of it instead
/// of copied, so a raw file costs its own size once, not twice.
std::vector<uint8_t> decode(const uint8_t *data, size_t n, Kind k, const std::string &label, Header &hd,
                            std::vector<uint8_t> *owned = nullptr)
{
    const uint64_t hb = headerBytes(k);
    if (n == 0) fail(label, "file is empty (0 bytes)");

    if (!isGzip(data, n)) {
        if (n < hb) failShort(data, n, k, label, false);
        hd = checkHeader(data, k, label);
        checkRawLength(hd, n - hb, k, label);
        if (owned && owned->data() == data && owned->size() == n) {
            owned->erase(owned->begin(), owned->begin() + std::ptrdiff_t(hb));
            return std::move(*owned);
        }
        return std::vector<uint8_t>(data + hb, data + n);
    }

    // One pass. The header is checked as soon as it is complete; from then on the declared size is the
    // hard cap on the output, and the payload grows as the stream inflates. It is reserved up front, but
    // never beyond what the compressed bytes can inflate to (deflate's ratio is at most 1032:1), so a
    // small file that declares a large payload reserves little. (It was two passes, one to measure and one
    // to store into a zero-filled buffer: every file inflated twice.)
    constexpr uint64_t kMaxDeflateRatio = 1032;
    uint8_t head[kIdxImagesHeaderBytes] = {};
    uint64_t headBytes = 0;
    bool haveHeader = false;
    std::vector<uint8_t> payload;
    inflateGzip(data, n, label, [&](const uint8_t *p, size_t len) {
        if (!haveHeader) {
            const size_t take = size_t(std::min<uint64_t>(hb - headBytes, len));
            std::memcpy(head + headBytes, p, take);
            if (headBytes < 4 && headBytes + take >= 4) checkMagic(head, k, label);  // fail fast on garbage
            headBytes += take;
            p += take;
            len -= take;
            if (headBytes < hb) return;
            hd = checkHeader(head, k, label);
            haveHeader = true;
            payload.reserve(size_t(std::min<uint64_t>(hd.payload, uint64_t(n) * kMaxDeflateRatio)));
        }
        if (len > hd.payload - payload.size())
            fail(label, "header says " + hd.describe(k) + " but the gzip stream inflates to more data than that");
        payload.insert(payload.end(), p, p + len);
    });
    if (!haveHeader) failShort(head, headBytes, k, label, true);
    if (payload.size() < hd.payload) failTruncated(hd, payload.size(), k, label);
    return payload;
}

/// The first 4 bytes of an IDX file's content (inflated if it is gzip'd) from its first n bytes; false if
/// they do not give them.
bool magicOf(const uint8_t *p, size_t n, uint8_t magic[4])
{
    if (!isGzip(p, n)) {
        if (n < 4) return false;
        std::memcpy(magic, p, 4);
        return true;
    }
    struct Enough {};
    size_t got = 0;
    try {
        inflateGzip(p, n, {}, [&](const uint8_t *q, size_t len) {
            const size_t take = std::min(len, 4 - got);
            std::memcpy(magic + got, q, take);
            got += take;
            if (got == 4) throw Enough{};
        });
    } catch (const Enough &) {
    } catch (const DataError &) {  // n bytes end in the middle of the stream, or it is not gzip after all
    }
    return got == 4;
}

/// Reads a whole file. Its type is checked before it is opened (a FIFO would block), its size is
/// taken from the file system (the real length) and capped (above the cap, only its magic number is
/// read), and a raw file's header is checked
/// against that size before the rest is read (a 2 GiB file whose header says 50 images is refused
/// after 16 bytes).
std::vector<uint8_t> readFile(const std::string &path, uint64_t cap, Kind k)
{
    file::Reader f(path, std::numeric_limits<uint64_t>::max(), fail);
    if (f.size() > cap) {
        // Maybe the other file of the pair (the images given as --labels): an IDX magic number of the other
        // kind says so ("is this the images file?"), which the size alone would not.
        const std::vector<uint8_t> head = f.take(std::min<uint64_t>(f.size(), 4096));
        uint8_t magic[4];
        if (magicOf(head.data(), head.size(), magic) && magic[0] == 0 && magic[1] == 0 && magic[2] == kIdxTypeUByte)
            checkMagic(magic, k, path);
        fail(path, "the file is " + std::to_string(f.size()) + " bytes, more than the limit of " + std::to_string(cap) + " bytes");
    }
    const uint64_t hb = headerBytes(k);
    std::vector<uint8_t> buf = f.take(std::min(f.size(), hb));
    if (!isGzip(buf.data(), buf.size()) && buf.size() == hb)
        checkRawLength(checkHeader(buf.data(), k, path), f.remaining(), k, path);
    const size_t have = buf.size();
    buf.resize(size_t(f.size()));
    f.read(buf.data() + have, buf.size() - have);
    return buf;
}

/// A file may be gzip'd with stored (uncompressed) blocks, a little larger than its content:
/// 5 bytes per 64 KiB block plus 18 bytes of wrapper. Double the cap leaves ample room.
uint64_t fileCap(Kind k) { return 2 * (k == Kind::Images ? kIdxMaxImagesFileBytes : kIdxMaxLabelsFileBytes); }

Dataset assemble(std::vector<uint8_t> pixels, const Header &ih, std::vector<uint8_t> labels, const Header &lh,
                 const std::string &name, const std::string &imgLabel, const std::string &labLabel)
{
    if (lh.count != ih.count)
        fail(labLabel, "count mismatch: " + std::to_string(lh.count) + " labels but " + imgLabel + " has "
                           + std::to_string(ih.count) + " images");
    for (size_t i = 0; i < labels.size(); ++i)
        if (labels[i] > 9)
            fail(labLabel, "label " + std::to_string(unsigned(labels[i])) + " at index " + std::to_string(i)
                               + " is outside 0..9");
    Dataset d;
    d.name = name;
    d.rows = int(ih.rows);
    d.cols = int(ih.cols);
    d.pixels = std::move(pixels);
    d.labels = std::move(labels);
    for (int c = 0; c < 10; ++c) d.classNames.push_back(std::to_string(c));
    return d;
}

// ---- writing ----

void writeAll(int fd, const uint8_t *p, size_t n, const std::string &path)
{
    file::writeExactly(fd, p, n, path, fail, "write error");
}

/// The body of an IDX file for file::writeAtomically: header then payload, raw or as one gzip member
/// (level 9; zlib's default gzip header has mtime 0 and no name, so the output is reproducible).
file::Part idxPart(const std::string &path, const uint8_t *header, size_t hn, const uint8_t *payload, size_t pn, bool gzip)
{
    return {path, [=](int fd, const std::string &) {
        if (!gzip) {
            writeAll(fd, header, hn, path);
            writeAll(fd, payload, pn, path);
            return;
        }
        z_stream zs{};
        if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            fail(path, "zlib deflateInit2 failed");
        struct End {
            z_stream *z;
            ~End() { deflateEnd(z); }
        } end{&zs};
        std::vector<uint8_t> out(size_t(1) << 18);
        const std::pair<const uint8_t *, size_t> parts[2] = {{header, hn}, {payload, pn}};
        for (int part = 0; part < 2; ++part) {
            zs.next_in = const_cast<Bytef *>(parts[part].first);
            zs.avail_in = uInt(parts[part].second);  // payload <= kIdxMaxPixelBytes < 4 GiB
            const int flush = part == 1 ? Z_FINISH : Z_NO_FLUSH;
            int rc;
            do {
                // Level 9 takes ~15 s for Fashion-MNIST's 47 MB: Ctrl-C must not wait for it.
                if (file::terminationPending()) fail(path, "interrupted; the files were left as they were");
                zs.next_out = out.data();
                zs.avail_out = uInt(out.size());
                rc = deflate(&zs, flush);
                if (rc == Z_STREAM_ERROR) fail(path, "zlib deflate failed");
                writeAll(fd, out.data(), out.size() - zs.avail_out, path);
            } while (flush == Z_FINISH ? rc != Z_STREAM_END : zs.avail_in != 0);
        }
    }};
}

}  // namespace

Dataset loadIdxFromMemory(const uint8_t *img, size_t n, const uint8_t *lab, size_t m, const std::string &name,
                          const std::string &imgLabel, const std::string &labLabel)
{
    Header lh, ih;
    std::vector<uint8_t> labels = decode(lab, m, Kind::Labels, labLabel, lh);
    std::vector<uint8_t> pixels = decode(img, n, Kind::Images, imgLabel, ih);
    return assemble(std::move(pixels), ih, std::move(labels), lh, name, imgLabel, labLabel);
}

Dataset loadIdx(const std::string &imagesPath, const std::string &labelsPath, const std::string &name)
{
    // Labels first: they are small, and a missing or broken labels file fails before the images
    // (up to 1 GiB) are read.
    Header lh, ih;
    std::vector<uint8_t> labels;
    {
        std::vector<uint8_t> file = readFile(labelsPath, fileCap(Kind::Labels), Kind::Labels);
        labels = decode(file.data(), file.size(), Kind::Labels, labelsPath, lh, &file);
    }
    std::vector<uint8_t> pixels;
    {
        std::vector<uint8_t> file = readFile(imagesPath, fileCap(Kind::Images), Kind::Images);
        pixels = decode(file.data(), file.size(), Kind::Images, imagesPath, ih, &file);
    }
    return assemble(std::move(pixels), ih, std::move(labels), lh, name, imagesPath, labelsPath);
}

void writeIdx(const Dataset &d, const std::string &imagesPath, const std::string &labelsPath, bool gzip)
{
    const std::string what = "cannot export data set '" + d.name + "'";
    if (d.rows < 1 || d.cols < 1 || d.rows > int(kIdxMaxSide) || d.cols > int(kIdxMaxSide))
        fail(imagesPath, what + ": images of " + std::to_string(d.rows) + "x" + std::to_string(d.cols)
                             + " pixels; each side must be 1.." + std::to_string(kIdxMaxSide));
    if (d.empty() || uint64_t(d.size()) > kIdxMaxImages)
        fail(imagesPath, what + ": " + std::to_string(d.size()) + " images; IDX export needs 1.."
                             + std::to_string(kIdxMaxImages));
    const uint64_t payload = uint64_t(d.size()) * uint64_t(d.dim());
    if (payload > kIdxMaxPixelBytes)
        fail(imagesPath, what + ": " + std::to_string(payload) + " pixel bytes, more than the limit of "
                             + std::to_string(kIdxMaxPixelBytes));
    if (d.pixels.size() != payload)
        fail(imagesPath, what + ": it holds " + std::to_string(d.pixels.size()) + " pixel bytes, "
                             + std::to_string(d.size()) + " images of " + std::to_string(d.rows) + "x"
                             + std::to_string(d.cols) + " need " + std::to_string(payload));
    for (size_t i = 0; i < d.labels.size(); ++i)
        if (d.labels[i] > 9)
            fail(labelsPath, what + ": label " + std::to_string(unsigned(d.labels[i])) + " at index "
                                 + std::to_string(i) + " is outside 0..9");

    uint8_t ih[kIdxImagesHeaderBytes], lh[kIdxLabelsHeaderBytes];
    putBe32(ih, 0x00000803);
    putBe32(ih + 4, uint32_t(d.size()));
    putBe32(ih + 8, uint32_t(d.rows));
    putBe32(ih + 12, uint32_t(d.cols));
    putBe32(lh, 0x00000801);
    putBe32(lh + 4, uint32_t(d.size()));
    // Both files or neither: a labels file that cannot be written leaves the old images file too.
    file::writeAtomically({idxPart(imagesPath, ih, sizeof ih, d.pixels.data(), d.pixels.size(), gzip),
                           idxPart(labelsPath, lh, sizeof lh, d.labels.data(), d.labels.size(), gzip)},
                          fail);
}

}  // namespace ael
