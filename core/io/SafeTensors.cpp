#include "SafeTensors.h"

#include "Json.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

#if defined(_WIN32)
#include <fstream>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace ael {

namespace {

constexpr uint64_t kF32Bytes = 4;
// A header value costs sizeof(Json) = 40 bytes; 4 M values bound a hostile header's parse to
// ~160 MB while allowing ~500,000 tensors.
constexpr size_t kMaxHeaderValues = 4'000'000;
// Dimensions beyond this cannot index an Eigen matrix portably (even with zero elements).
constexpr uint64_t kMaxDimension = 0x7FFFFFFF;

// A name for an error message: printable ASCII kept, other bytes as \xNN, cut after 80 bytes.
std::string quoted(const std::string &name)
{
    std::string out = "'";
    for (size_t i = 0; i < name.size() && i < 80; ++i) {
        const unsigned char c = static_cast<unsigned char>(name[i]);
        if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
            out += char(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", unsigned(c));
            out += buf;
        }
    }
    if (name.size() > 80) out += "...";
    return out + "'";
}

[[noreturn]] void fail(const std::string &label, const std::string &what)
{
    throw FormatError(label + ": " + what);
}

// a * b, or false on overflow.
bool checkedMul(uint64_t a, uint64_t b, uint64_t &result)
{
    if (a != 0 && b > UINT64_MAX / a) return false;
    result = a * b;
    return true;
}

uint32_t floatBits(float f) { return std::bit_cast<uint32_t>(f); }

void storeLE32(uint8_t *p, uint32_t v)
{
    p[0] = uint8_t(v);
    p[1] = uint8_t(v >> 8);
    p[2] = uint8_t(v >> 16);
    p[3] = uint8_t(v >> 24);
}

uint32_t loadLE32(const uint8_t *p)
{
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

// "[2, 3]"; a hostile shape's first 8 entries only.
std::string shapeString(const std::vector<uint64_t> &shape)
{
    std::string s = "[";
    for (size_t k = 0; k < shape.size() && k < 8; ++k) s += (k ? ", " : "") + std::to_string(shape[k]);
    if (shape.size() > 8) s += ", ... (" + std::to_string(shape.size()) + " entries)";
    return s + "]";
}

std::string offsetsString(uint64_t begin, uint64_t end)
{
    return "[" + std::to_string(begin) + ", " + std::to_string(end) + "]";
}

// A non-negative integer from the header, written as an integer literal within int64 (the
// reference's serde rejects 2.0 and 1e3 for its usize fields, so we do too).
uint64_t headerUInt(const Json &v, const std::string &label, const std::string &what)
{
    if (!v.isNumber()) fail(label, what + " is " + Json::typeName(v.type()) + ", expected a non-negative integer");
    if (v.isInteger()) {
        if (v.asInt64() < 0) fail(label, what + " must be non-negative, got " + v.dump());
        return uint64_t(v.asInt64());
    }
    const double d = v.asNumber();
    if (std::trunc(d) != d) fail(label, what + " must be a non-negative integer, got " + v.dump());
    if (std::abs(d) >= 9223372036854775808.0) fail(label, what + " " + v.dump() + " is beyond 64 bits");
    fail(label, what + " must be written as an integer, without a fraction or exponent");
}

struct Entry {
    std::string name;
    std::vector<uint64_t> shape;
    uint64_t begin = 0, end = 0;
};

Entry parseEntry(const std::string &name, const Json &v, uint64_t bufferSize, const std::string &label)
{
    const std::string t = "tensor " + quoted(name);
    if (!v.isObject()) fail(label, t + " is " + Json::typeName(v.type()) + ", expected an object");
    for (const auto &m : v.asObject())
        if (m.first != "dtype" && m.first != "shape" && m.first != "data_offsets")
            fail(label, t + " has an unknown field " + quoted(m.first) +
                            " (expected exactly dtype, shape and data_offsets)");
    const Json *dtype = v.get("dtype");
    const Json *shape = v.get("shape");
    const Json *offsets = v.get("data_offsets");
    if (!dtype) fail(label, t + " has no dtype");
    if (!shape) fail(label, t + " has no shape");
    if (!offsets) fail(label, t + " has no data_offsets");

    if (!dtype->isString()) fail(label, t + " dtype is " + Json::typeName(dtype->type()) + ", expected a string");
    if (dtype->asString() != "F32")
        fail(label, t + " has dtype " + quoted(dtype->asString()) + "; only F32 tensors are supported");

    Entry e;
    e.name = name;
    if (!shape->isArray()) fail(label, t + " shape is " + Json::typeName(shape->type()) + ", expected an array");
    for (const Json &d : shape->asArray()) e.shape.push_back(headerUInt(d, label, t + " shape entry"));

    if (!offsets->isArray())
        fail(label, t + " data_offsets is " + Json::typeName(offsets->type()) + ", expected [begin, end]");
    if (offsets->size() != 2)
        fail(label, t + " data_offsets has " + std::to_string(offsets->size()) + " entries, expected [begin, end]");
    e.begin = headerUInt(offsets->at(0), label, t + " data_offsets begin");
    e.end = headerUInt(offsets->at(1), label, t + " data_offsets end");
    if (e.begin > e.end)
        fail(label, t + " data_offsets " + offsetsString(e.begin, e.end) + " end before they begin");
    if (e.end > bufferSize)
        fail(label, t + " data_offsets " + offsetsString(e.begin, e.end) + " exceed the " +
                        std::to_string(bufferSize) + "-byte data buffer");

    // Element count and byte size with overflow checks, as the reference does.
    uint64_t count = 1;
    for (uint64_t d : e.shape)
        if (!checkedMul(count, d, count))
            fail(label, t + " shape " + shapeString(e.shape) + " has more elements than fit in 64 bits");
    uint64_t bytes = 0;
    if (!checkedMul(count, kF32Bytes, bytes))
        fail(label, t + " shape " + shapeString(e.shape) + " needs more bytes than fit in 64 bits");
    if (e.end - e.begin != bytes)
        fail(label, t + " has shape " + shapeString(e.shape) + " (" + std::to_string(bytes) +
                        " bytes of F32) but data_offsets " + offsetsString(e.begin, e.end) + " span " +
                        std::to_string(e.end - e.begin) + " bytes");

    // What a Matrix can hold.
    if (e.shape.size() > 2)
        fail(label, t + " has " + std::to_string(e.shape.size()) + " dimensions " + shapeString(e.shape) +
                        "; only 0-, 1- and 2-D tensors are supported");
    for (uint64_t d : e.shape)
        if (d > kMaxDimension) fail(label, t + " dimension " + std::to_string(d) + " is too large");
    return e;
}

// `e` has passed parseEntry and the layout checks.
Matrix decode(const Entry &e, const uint8_t *buffer)
{
    const Eigen::Index rows = e.shape.empty() ? 1 : Eigen::Index(e.shape[0]);
    const Eigen::Index cols = e.shape.size() == 2 ? Eigen::Index(e.shape[1]) : 1;
    // Sizes are validated: rows * cols * 4 == end - begin <= buffer size.
    Matrix m(rows, cols);
    const uint8_t *src = buffer + e.begin;
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j) {
            m(i, j) = std::bit_cast<float>(loadLE32(src));
            src += kF32Bytes;
        }
    return m;
}

}  // namespace

const NamedTensor *SafetensorsFile::find(const std::string &name) const
{
    for (const auto &t : tensors)
        if (t.name == name) return &t;
    return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Writing

std::vector<uint8_t> serializeSafetensors(const std::vector<NamedTensor> &tensors,
                                          const std::map<std::string, std::string> &metadata,
                                          const std::string &label)
{
    Json::Object header;
    if (!metadata.empty()) {
        Json::Object meta;
        for (const auto &[k, v] : metadata) meta.emplace_back(k, Json(v));
        header.emplace_back("__metadata__", Json(std::move(meta)));
    }
    std::set<std::string> names;
    uint64_t offset = 0;
    for (const auto &t : tensors) {
        if (t.name.empty()) fail(label, "a tensor has an empty name");
        if (t.name == "__metadata__") fail(label, "'__metadata__' is reserved and cannot name a tensor");
        if (!names.insert(t.name).second) fail(label, "two tensors are named " + quoted(t.name));
        const uint64_t rows = uint64_t(t.value.rows()), cols = uint64_t(t.value.cols());
        const uint64_t bytes = rows * cols * kF32Bytes;
        Json shape = Json::array();
        shape.push(rows);
        if (cols != 1) shape.push(cols);
        Json::Object entry;
        entry.emplace_back("dtype", Json("F32"));
        entry.emplace_back("shape", std::move(shape));
        entry.emplace_back("data_offsets", Json(Json::Array{Json(offset), Json(offset + bytes)}));
        header.emplace_back(t.name, Json(std::move(entry)));
        offset += bytes;
    }
    std::string json;
    try {
        json = Json(std::move(header)).dump();
    } catch (const JsonError &e) {
        fail(label, std::string("cannot write the header: ") + e.what());
    }
    json.append((8 - json.size() % 8) % 8, ' ');  // the reference pads N to a multiple of 8

    std::vector<uint8_t> out(8 + json.size() + offset);
    const uint64_t n = json.size();
    for (int k = 0; k < 8; ++k) out[size_t(k)] = uint8_t(n >> (8 * k));
    std::memcpy(out.data() + 8, json.data(), json.size());
    uint8_t *dst = out.data() + 8 + json.size();
    for (const auto &t : tensors) {
        const Matrix &m = t.value;
        for (Eigen::Index i = 0; i < m.rows(); ++i)  // row-major
            for (Eigen::Index j = 0; j < m.cols(); ++j) {
                storeLE32(dst, floatBits(m(i, j)));
                dst += kF32Bytes;
            }
    }
    return out;
}

namespace {

#if !defined(_WIN32)

std::string errnoText(int err) { return std::strerror(err); }

// Creates, fills, flushes and renames a temporary file next to `path`. On any failure the
// temporary file is removed and FormatError is thrown; `path` is only ever replaced by rename(2),
// which is atomic, so it holds either the old or the complete new content.
void writeFileAtomically(const std::string &path, const std::vector<uint8_t> &bytes)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (target.filename().empty()) fail(path, "cannot save: the path names a directory, not a file");

    static std::atomic<unsigned> counter{0};
    std::string tmp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        tmp = path + ".tmp-" + std::to_string(long(::getpid())) + "-" + std::to_string(counter++);
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) {
        const int err = errno;
        std::error_code ec;
        if (err == ENOENT && !fs::exists(dir, ec))
            fail(path, "cannot save: directory '" + dir.string() + "' does not exist");
        if (err == ENOTDIR) fail(path, "cannot save: '" + dir.string() + "' is not a directory");
        fail(path, "cannot create temporary file '" + tmp + "': " + errnoText(err));
    }
    auto abandon = [&](const std::string &what, int err) {
        ::close(fd);
        ::unlink(tmp.c_str());
        fail(path, what + ": " + errnoText(err));
    };

    // Keep the permissions of a file we replace (best effort).
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) (void)::fchmod(fd, st.st_mode & 07777);

    const uint8_t *p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
        const ssize_t w = ::write(fd, p, std::min<size_t>(left, size_t(1) << 30));
        if (w < 0) {
            if (errno == EINTR) continue;
            abandon("cannot write temporary file '" + tmp + "'", errno);
        }
        p += w;
        left -= size_t(w);
    }
    if (::fsync(fd) != 0) abandon("cannot flush temporary file '" + tmp + "' to disk", errno);
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        fail(path, "cannot close temporary file '" + tmp + "': " + errnoText(err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        fail(path, "cannot replace the file with '" + tmp + "': " + errnoText(err));
    }
    // Make the rename itself durable (best effort: some file systems refuse fsync on directories).
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)::fsync(dfd);
        ::close(dfd);
    }
}

#else  // _WIN32: no fsync; std::filesystem::rename replaces the target (MoveFileEx).

void writeFileAtomically(const std::string &path, const std::vector<uint8_t> &bytes)
{
    namespace fs = std::filesystem;
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) fail(path, "cannot create temporary file '" + tmp + "'");
        f.write(reinterpret_cast<const char *>(bytes.data()), std::streamsize(bytes.size()));
        f.flush();
        if (!f) {
            f.close();
            std::error_code ec;
            fs::remove(tmp, ec);
            fail(path, "cannot write temporary file '" + tmp + "'");
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        fail(path, "cannot replace the file: " + ec.message());
    }
}

#endif

}  // namespace

void saveSafetensors(const std::string &path, const std::vector<NamedTensor> &tensors,
                     const std::map<std::string, std::string> &metadata)
{
    writeFileAtomically(path, serializeSafetensors(tensors, metadata, path));
}

// ---------------------------------------------------------------------------------------------
// Reading

SafetensorsFile loadSafetensorsFromMemory(const uint8_t *data, size_t size, const std::string &label)
{
    if (size < 8)
        fail(label, "file is " + std::to_string(size) + " bytes, too short for the 8-byte header length");
    uint64_t n = 0;
    for (int k = 7; k >= 0; --k) n = (n << 8) | data[k];
    if (n > kSafetensorsMaxHeaderBytes)
        fail(label, "header length " + std::to_string(n) + " exceeds the limit of " +
                        std::to_string(kSafetensorsMaxHeaderBytes) + " bytes");
    if (n > size - 8)
        fail(label, "header length " + std::to_string(n) + " runs past the end of the " + std::to_string(size) +
                        "-byte file");
    const std::string_view text(reinterpret_cast<const char *>(data + 8), size_t(n));
    if (text.empty() || text[0] != '{') fail(label, "header does not start with '{' (it must be a JSON object)");

    Json header;
    try {
        Json::ParseOptions options;
        options.maxBytes = size_t(kSafetensorsMaxHeaderBytes);
        options.maxValues = kMaxHeaderValues;
        header = Json::parse(text, options);
    } catch (const JsonError &e) {
        fail(label, std::string("header is not valid JSON: ") + e.what());
    }
    if (!header.isObject()) fail(label, "header is not a JSON object");

    const uint8_t *buffer = data + 8 + n;
    const uint64_t bufferSize = uint64_t(size) - 8 - n;

    SafetensorsFile out;
    std::vector<Entry> entries;
    for (const auto &[key, value] : header.asObject()) {
        if (key == "__metadata__") {
            if (!value.isObject())
                fail(label, std::string("__metadata__ is ") + Json::typeName(value.type()) +
                                ", expected an object of strings");
            for (const auto &[k, v] : value.asObject()) {
                if (!v.isString())
                    fail(label, "__metadata__ value for key " + quoted(k) + " is " + Json::typeName(v.type()) +
                                    ", expected a string");
                out.metadata.emplace(k, v.asString());
            }
            continue;
        }
        // Duplicate names cannot get here: the JSON parser rejects duplicate keys.
        entries.push_back(parseEntry(key, value, bufferSize, label));
    }

    // The reference's layout rule: sorted by offsets, the tensors tile the buffer exactly.
    std::vector<const Entry *> byOffset;
    byOffset.reserve(entries.size());
    for (const auto &e : entries) byOffset.push_back(&e);
    std::stable_sort(byOffset.begin(), byOffset.end(), [](const Entry *a, const Entry *b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    uint64_t covered = 0;
    const Entry *previous = nullptr;
    for (const Entry *e : byOffset) {
        if (e->begin < covered)
            fail(label, "tensor " + quoted(e->name) + " data_offsets " + offsetsString(e->begin, e->end) +
                            " overlap tensor " + quoted(previous->name) + " " +
                            offsetsString(previous->begin, previous->end));
        if (e->begin > covered)
            fail(label, "gap in the data buffer: bytes " + offsetsString(covered, e->begin) +
                            " before tensor " + quoted(e->name) + " belong to no tensor");
        covered = e->end;
        previous = e;
    }
    if (covered != bufferSize)
        fail(label, "the tensors cover " + std::to_string(covered) + " bytes but the data buffer has " +
                        std::to_string(bufferSize) + " bytes");

    out.tensors.reserve(entries.size());
    for (const auto &e : entries) out.tensors.push_back({e.name, decode(e, buffer)});
    return out;
}

SafetensorsFile loadSafetensors(const std::string &path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found) fail(path, "cannot open: no such file");
    if (status.type() == fs::file_type::directory) fail(path, "cannot open: it is a directory");
    // Devices and pipes could stream forever (/dev/zero); a model is a regular file.
    if (status.type() != fs::file_type::regular && status.type() != fs::file_type::unknown)
        fail(path, "cannot open: not a regular file");

    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f) fail(path, std::string("cannot open: ") + std::strerror(errno));
    // Read until end of file; memory grows with the bytes actually present, never with a size
    // claimed by the content.
    std::vector<uint8_t> bytes;
    const auto expected = fs::file_size(path, ec);
    if (!ec) bytes.reserve(size_t(expected));
    uint8_t chunk[1 << 16];
    for (;;) {
        const size_t got = std::fread(chunk, 1, sizeof chunk, f);
        bytes.insert(bytes.end(), chunk, chunk + got);
        if (got < sizeof chunk) break;
    }
    const bool error = std::ferror(f) != 0;
    const int err = errno;
    std::fclose(f);
    if (error) fail(path, std::string("read error: ") + std::strerror(err));
    return loadSafetensorsFromMemory(bytes.data(), bytes.size(), path);
}

}  // namespace ael
