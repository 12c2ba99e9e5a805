#include "Images.h"

#include <QImage>
#include <QSaveFile>
#include <QString>

#include <stdexcept>

namespace cli {

int gridWidth(const GridLayout &g) { return g.columns * g.imageCols * g.scale + (g.columns + 1) * g.pad; }

int gridHeight(const GridLayout &g, int tiles)
{
    const int rows = (tiles + g.columns - 1) / g.columns;
    return rows * g.imageRows * g.scale + (rows + 1) * g.pad;
}

void writeGridPng(const std::string &path, const ael::Matrix &tiles, const GridLayout &g)
{
    if (tiles.rows() != Eigen::Index(g.imageRows) * g.imageCols)
        throw std::logic_error("writeGridPng: tile size does not match the layout");
    const int n = int(tiles.cols());
    QImage img(gridWidth(g), gridHeight(g, n), QImage::Format_Grayscale8);
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
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly))
        throw std::runtime_error(path + ": cannot write: " + file.errorString().toStdString());
    if (!img.save(&file, "PNG")) throw std::runtime_error(path + ": PNG encoding failed");
    if (!file.commit()) throw std::runtime_error(path + ": cannot write: " + file.errorString().toStdString());
}

}  // namespace cli
