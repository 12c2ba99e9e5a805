#pragma once
// What the safetensors suites (tst_safetensors, tst_safetensors_errors) share: file images built by
// hand, loading them, reading and writing files, and matrices whose bits are checked.
#include "core/Rng.h"
#include "core/io/SafeTensors.h"

#include <QByteArray>

#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace stkit {

using namespace ael;
namespace fs = std::filesystem;

inline const std::string kLabel = "model.safetensors";

/// JSON written with single quotes for readability (and because moc mis-lexes some raw strings).
inline std::string q(std::string s)
{
    std::replace(s.begin(), s.end(), '\'', '"');
    return s;
}

inline void appendU64(QByteArray &out, uint64_t v)
{
    for (int k = 0; k < 8; ++k) out.append(char(uint8_t(v >> (8 * k))));
}

inline void appendF32(QByteArray &out, float f)
{
    const uint32_t b = std::bit_cast<uint32_t>(f);
    for (int k = 0; k < 4; ++k) out.append(char(uint8_t(b >> (8 * k))));
}

/// A file image: header length (the header's size unless `declared` is given), header, then
/// `dataBytes` bytes of data (zeros, which are valid F32).
inline QByteArray image(const std::string &header, size_t dataBytes, uint64_t declared = UINT64_MAX)
{
    QByteArray out;
    appendU64(out, declared == UINT64_MAX ? header.size() : declared);
    out.append(header.data(), qsizetype(header.size()));
    out.append(QByteArray(qsizetype(dataBytes), '\0'));
    return out;
}

inline SafetensorsFile loadImage(const QByteArray &b, const std::string &label = kLabel)
{
    return loadSafetensorsFromMemory(reinterpret_cast<const uint8_t *>(b.constData()), size_t(b.size()), label);
}

/// The FormatError message from loading `b`, or "" if it loads.
inline std::string loadError(const QByteArray &b)
{
    try {
        loadImage(b);
    } catch (const FormatError &e) {
        return e.what();
    }
    return {};
}

inline QByteArray readFile(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    return QByteArray::fromStdString(std::string(std::istreambuf_iterator<char>(f), {}));
}

inline void writeFile(const std::string &path, const QByteArray &b)
{
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(b.constData(), b.size());
}

inline std::vector<std::string> listDir(const std::string &dir)
{
    std::vector<std::string> names;
    for (const auto &e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

inline Matrix randomMatrix(int r, int c, uint64_t seed)
{
    Rng rng(seed);
    Matrix m(r, c);
    for (int j = 0; j < c; ++j)
        for (int i = 0; i < r; ++i) m(i, j) = float(rng.normal());
    return m;
}

inline bool bitEqual(const Matrix &a, const Matrix &b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(float)) == 0);
}

/// M(i, j) = 10 i + j + 0.25, so row-major vs column-major mix-ups show.
inline Matrix indexMatrix(int r, int c)
{
    Matrix m(r, c);
    for (int i = 0; i < r; ++i)
        for (int j = 0; j < c; ++j) m(i, j) = float(10 * i + j) + 0.25f;
    return m;
}

inline std::string saveError(const std::string &path, const std::vector<NamedTensor> &t,
                      const std::map<std::string, std::string> &meta = {})
{
    try {
        saveSafetensors(path, t, meta);
    } catch (const FormatError &e) {
        return e.what();
    }
    return {};
}

inline bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

}  // namespace stkit
