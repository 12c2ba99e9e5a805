#include "Images.h"

#include "core/io/SafeFile.h"

#include <QBuffer>
#include <QByteArray>
#include <QImage>

#include <stdexcept>

namespace cli {

namespace {
constexpr long long kMaxSide = 32767;  // PNG readers commonly stop here
constexpr long long kMaxPixels = 400'000'000;

[[noreturn]] void failWrite(const std::string &path, const std::string &problem)
{
    throw std::runtime_error(path + ": " + problem);
}
}  // namespace

int gridWidth(const GridLayout &g) { return g.columns * g.imageCols * g.scale + (g.columns + 1) * g.pad; }

int gridHeight(const GridLayout &g, int tiles)
{
    const int rows = (tiles + g.columns - 1) / g.columns;
    return rows * g.imageRows * g.scale + (rows + 1) * g.pad;
}

std::string whyGridTooLarge(const GridLayout &g, long long tiles)
{
    // In 64 bits: a tall grid of large tiles overflows an int, and a huge image would end in std::bad_alloc.
    const long long rows = (tiles + g.columns - 1) / g.columns;
    const long long w = (long long)g.columns * g.imageCols * g.scale + (g.columns + 1LL) * g.pad;
    const long long h = rows * g.imageRows * g.scale + (rows + 1) * g.pad;
    if (w <= kMaxSide && h <= kMaxSide && w * h <= kMaxPixels) return {};
    return "the PNG would be " + std::to_string(w) + " x " + std::to_string(h) + " pixels, more than " +
           std::to_string(kMaxSide) + " a side or " + std::to_string(kMaxPixels / 1000000) + " million in all";
}

void writeGridPng(const std::string &path, const ael::Matrix &tiles, const GridLayout &g)
{
    if (tiles.rows() != Eigen::Index(g.imageRows) * g.imageCols)
        throw std::logic_error("writeGridPng: tile size does not match the layout");
    const int n = int(tiles.cols());
    if (std::string why = whyGridTooLarge(g, n); !why.empty()) throw std::runtime_error(path + ": " + why);
    const int w = gridWidth(g), h = gridHeight(g, n);
    QImage img(w, h, QImage::Format_Grayscale8);
    if (img.isNull()) throw std::runtime_error(path + ": image too large");
    img.fill(96);
    const int tileW = g.imageCols * g.scale, tileH = g.imageRows * g.scale;
    for (int t = 0; t < n; ++t) {
        const int x0 = g.pad + (t % g.columns) * (tileW + g.pad);
        const int y0 = g.pad + (t / g.columns) * (tileH + g.pad);
        for (int y = 0; y < tileH; ++y) {
            uchar *line = img.scanLine(y0 + y) + x0;
            for (int x = 0; x < tileW; ++x) {
                const float v = tiles((y / g.scale) * g.imageCols + x / g.scale, t);
                line[x] = uchar((v > 0 ? (v < 1 ? v : 1.0f) : 0.0f) * 255.0f + 0.5f);  // NaN → 0
            }
        }
    }
    // Encoded in memory, then written like every other output (core/io/SafeFile.h): only over a
    // regular file, atomically, and a full disk reads "No space left on device", not "libpng error".
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!img.save(&buffer, "PNG")) throw std::runtime_error(path + ": PNG encoding failed");
    ael::file::writeAtomically(path, reinterpret_cast<const uint8_t *>(png.constData()), size_t(png.size()), failWrite);
}

}  // namespace cli
