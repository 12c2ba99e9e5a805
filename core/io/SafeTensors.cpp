#include "SafeTensors.h"

#include "JsonLimits.h"
#include "Printable.h"
#include "SafeFile.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>

namespace ael {

namespace {

using json = nlohmann::ordered_json;

constexpr uint64_t kF32Bytes = 4;
// A header value costs 16 bytes (48 as an object member, plus its key); 4 M values bound a hostile
// header's parse to a few hundred MB while allowing ~500,000 tensors.
constexpr size_t kMaxHeaderValues = 4'000'000;
// Dimensions beyond this cannot index an Eigen matrix portably (even with zero elements).
constexpr uint64_t kMaxDimension = 0x7FFFFFFF;

[[noreturn]] void fail(const std::string &label, const std::string &what)
{
    throw FormatError(label + ": " + what);
}

/// What the reader finds in bytes that are not a whole safetensors file.
[[noreturn]] void damaged(const std::string &label, const std::string &what)
{
    throw DamagedFileError(label + ": " + what);
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

// A double for a message, in the shortest form that reads back (1e+20, 18446744073709551616, 2.5).
std::string shortest(double d)
{
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, r.ptr);
}

// A non-negative integer from the header, written as an integer literal within 64 bits (the
// reference's serde rejects 2.0 and 1e3 for its usize fields, so we do too).
uint64_t headerUInt(const json &v, const std::string &label, const std::string &what)
{
    if (!v.is_number()) damaged(label, what + " is " + jsonTypeName(v) + ", expected a non-negative integer");
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    if (v.is_number_integer()) damaged(label, what + " must be non-negative, got " + v.dump());  // a negative literal
    const double d = v.get<double>();
    if (std::trunc(d) != d) damaged(label, what + " must be a non-negative integer, got " + shortest(d));
    if (std::abs(d) >= 18446744073709551616.0) damaged(label, what + " " + shortest(d) + " is beyond 64 bits");
    damaged(label, what + " must be written as an integer, without a fraction or exponent");
}

struct Entry {
    std::string name;
    std::vector<uint64_t> shape;
    uint64_t begin = 0, end = 0;
};

Entry parseEntry(const std::string &name, const json &v, uint64_t bufferSize, const std::string &label)
{
    const std::string t = "tensor " + printableQuoted(name);
    if (!v.is_object()) damaged(label, t + " is " + jsonTypeName(v) + ", expected an object");
    for (const auto &[key, value] : v.items())
        if (key != "dtype" && key != "shape" && key != "data_offsets")
            damaged(label, t + " has an unknown field " + printableQuoted(key) +
                            " (expected exactly dtype, shape and data_offsets)");
    const auto dtype = v.find("dtype");
    const auto shape = v.find("shape");
    const auto offsets = v.find("data_offsets");
    if (dtype == v.end()) damaged(label, t + " has no dtype");
    if (shape == v.end()) damaged(label, t + " has no shape");
    if (offsets == v.end()) damaged(label, t + " has no data_offsets");

    if (!dtype->is_string()) damaged(label, t + " dtype is " + jsonTypeName(*dtype) + ", expected a string");
    if (*dtype != "F32")
        damaged(label, t + " has dtype " + printableQuoted(dtype->get_ref<const std::string &>()) +
                        "; only F32 tensors are supported");

    Entry e;
    e.name = name;
    if (!shape->is_array()) damaged(label, t + " shape is " + jsonTypeName(*shape) + ", expected an array");
    for (const json &d : *shape) e.shape.push_back(headerUInt(d, label, t + " shape entry"));

    if (!offsets->is_array())
        damaged(label, t + " data_offsets is " + jsonTypeName(*offsets) + ", expected [begin, end]");
    if (offsets->size() != 2)
        damaged(label, t + " data_offsets has " + std::to_string(offsets->size()) + " entries, expected [begin, end]");
    e.begin = headerUInt((*offsets)[0], label, t + " data_offsets begin");
    e.end = headerUInt((*offsets)[1], label, t + " data_offsets end");
    if (e.begin > e.end)
        damaged(label, t + " data_offsets " + offsetsString(e.begin, e.end) + " end before they begin");
    if (e.end > bufferSize)
        damaged(label, t + " data_offsets " + offsetsString(e.begin, e.end) + " exceed the " +
                        std::to_string(bufferSize) + "-byte data buffer");

    // Element count and byte size with overflow checks, as the reference does.
    uint64_t count = 1;
    for (uint64_t d : e.shape)
        if (!checkedMul(count, d, count))
            damaged(label, t + " shape " + shapeString(e.shape) + " has more elements than fit in 64 bits");
    uint64_t bytes = 0;
    if (!checkedMul(count, kF32Bytes, bytes))
        damaged(label, t + " shape " + shapeString(e.shape) + " needs more bytes than fit in 64 bits");
    if (e.end - e.begin != bytes)
        damaged(label, t + " has shape " + shapeString(e.shape) + " (" + std::to_string(bytes) +
                        " bytes of F32) but data_offsets " + offsetsString(e.begin, e.end) + " span " +
                        std::to_string(e.end - e.begin) + " bytes");

    // What a Matrix can hold.
    if (e.shape.size() > 2)
        damaged(label, t + " has " + std::to_string(e.shape.size()) + " dimensions " + shapeString(e.shape) +
                        "; only 0-, 1- and 2-D tensors are supported");
    for (uint64_t d : e.shape)
        if (d > kMaxDimension) damaged(label, t + " dimension " + std::to_string(d) + " is too large");
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
    // Members in this order: "__metadata__" first, then the tensors as given.
    json header = json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::set<std::string> names;
    uint64_t offset = 0;
    for (const auto &t : tensors) {
        if (t.name.empty()) fail(label, "a tensor has an empty name");
        if (t.name == "__metadata__") fail(label, "'__metadata__' is reserved and cannot name a tensor");
        if (!names.insert(t.name).second) fail(label, "two tensors are named " + printableQuoted(t.name));
        const uint64_t rows = uint64_t(t.value.rows()), cols = uint64_t(t.value.cols());
        const uint64_t bytes = rows * cols * kF32Bytes;
        json shape = json::array({rows});
        if (cols != 1) shape.push_back(cols);
        // The names are unique (checked above): append without ordered_json's search for the key.
        static_cast<json::object_t::Container &>(header.get_ref<json::object_t &>())
            .emplace_back(t.name, json{{"dtype", "F32"}, {"shape", std::move(shape)},
                                       {"data_offsets", json::array({offset, offset + bytes})}});
        offset += bytes;
    }
    std::string text;
    try {
        text = dumpStrict(header);
    } catch (const JsonError &e) {
        fail(label, std::string("cannot write the header: ") + e.what());
    }
    text.append((8 - text.size() % 8) % 8, ' ');  // the reference pads N to a multiple of 8
    // Never a file that loadSafetensors then refuses.
    if (8 + text.size() + offset > kSafetensorsMaxFileBytes)
        fail(label, "the file would be " + std::to_string(8 + text.size() + offset) + " bytes, more than the limit of " +
                        std::to_string(kSafetensorsMaxFileBytes) + " bytes; it could not be loaded");

    std::vector<uint8_t> out(8 + text.size() + offset);
    const uint64_t n = text.size();
    for (int k = 0; k < 8; ++k) out[size_t(k)] = uint8_t(n >> (8 * k));
    std::memcpy(out.data() + 8, text.data(), text.size());
    uint8_t *dst = out.data() + 8 + text.size();
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

void saveSafetensors(const std::string &path, const std::vector<NamedTensor> &tensors,
                     const std::map<std::string, std::string> &metadata)
{
    const std::vector<uint8_t> bytes = serializeSafetensors(tensors, metadata, path);
    file::writeAtomically(path, bytes.data(), bytes.size(), fail);
}

// ---------------------------------------------------------------------------------------------
// Reading

namespace {

/// The 8-byte header length N, checked against the limit and the file size.
uint64_t headerLength(const uint8_t *first8, uint64_t size, const std::string &label)
{
    if (size < 8)
        damaged(label, "file is " + std::to_string(size) + " bytes, too short for the 8-byte header length");
    uint64_t n = 0;
    for (int k = 7; k >= 0; --k) n = (n << 8) | first8[k];
    if (n > kSafetensorsMaxHeaderBytes)
        damaged(label, "header length " + std::to_string(n) + " exceeds the limit of " +
                        std::to_string(kSafetensorsMaxHeaderBytes) + " bytes");
    if (n > size - 8)
        damaged(label, "header length " + std::to_string(n) + " runs past the end of the " + std::to_string(size) +
                        "-byte file");
    return n;
}

/// What the header says: the metadata and the tensors, all checked against a data buffer of
/// `bufferSize` bytes (so a file can be judged from its header and its size alone).
struct Layout {
    std::map<std::string, std::string> metadata;
    std::vector<Entry> entries;
};

Layout parseLayout(std::string_view text, uint64_t bufferSize, const std::string &label)
{
    if (text.empty() || text[0] != '{') damaged(label, "header does not start with '{' (it must be a JSON object)");

    json header;
    try {
        JsonLimits limits;
        limits.maxBytes = size_t(kSafetensorsMaxHeaderBytes);
        limits.maxValues = kMaxHeaderValues;
        header = parseLimited(text, limits, "header");
    } catch (const JsonError &e) {
        damaged(label, e.what());
    }
    if (!header.is_object()) damaged(label, "header is not a JSON object");

    Layout out;
    std::vector<Entry> &entries = out.entries;
    for (const auto &[key, value] : header.items()) {
        if (key == "__metadata__") {
            if (!value.is_object())
                damaged(label, std::string("__metadata__ is ") + jsonTypeName(value) + ", expected an object of strings");
            for (const auto &[k, v] : value.items()) {
                if (!v.is_string())
                    damaged(label, "__metadata__ value for key " + printableQuoted(k) + " is " + jsonTypeName(v) +
                                    ", expected a string");
                out.metadata.emplace(k, v.get_ref<const std::string &>());
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
            damaged(label, "tensor " + printableQuoted(e->name) + " data_offsets " + offsetsString(e->begin, e->end) +
                            " overlap tensor " + printableQuoted(previous->name) + " " +
                            offsetsString(previous->begin, previous->end));
        if (e->begin > covered)
            damaged(label, "gap in the data buffer: bytes " + offsetsString(covered, e->begin) +
                            " before tensor " + printableQuoted(e->name) + " belong to no tensor");
        covered = e->end;
        previous = e;
    }
    if (covered != bufferSize)
        damaged(label, "the tensors cover " + std::to_string(covered) + " bytes but the data buffer has " +
                        std::to_string(bufferSize) + " bytes");

    return out;
}

SafetensorsFile decodeAll(Layout layout, const uint8_t *buffer)
{
    SafetensorsFile out;
    out.metadata = std::move(layout.metadata);
    out.tensors.reserve(layout.entries.size());
    for (const auto &e : layout.entries) out.tensors.push_back({e.name, decode(e, buffer)});
    return out;
}

}  // namespace

SafetensorsFile loadSafetensorsFromMemory(const uint8_t *data, size_t size, const std::string &label)
{
    const uint64_t n = headerLength(data, size, label);
    const std::string_view text(reinterpret_cast<const char *>(data + 8), size_t(n));
    return decodeAll(parseLayout(text, uint64_t(size) - 8 - n, label), data + 8 + n);
}

SafetensorsFile loadSafetensors(const std::string &path)
{
    // Devices and pipes could stream forever (/dev/zero); a model is a regular file (Reader checks).
    // The header is read and checked against the file's size first: the data buffer is read only
    // when the header accounts for every byte of it, so memory follows what a valid header declares.
    file::Reader f(path, kSafetensorsMaxFileBytes, fail);
    const std::vector<uint8_t> first8 = f.take(std::min<uint64_t>(f.size(), 8));
    const uint64_t n = headerLength(first8.data(), f.size(), path);
    const std::vector<uint8_t> text = f.take(n);
    Layout layout = parseLayout(std::string_view(reinterpret_cast<const char *>(text.data()), text.size()),
                                f.remaining(), path);
    const std::vector<uint8_t> buffer = f.take(f.remaining());
    return decodeAll(std::move(layout), buffer.data());
}

}  // namespace ael
