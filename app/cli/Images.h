#pragma once
// PNG grids of images for 'recon' and 'sample' (Qt's QImage; the only Qt in aelab-cli).
#include "core/Tensor.h"

#include <string>

namespace cli {

struct GridLayout {
    int imageRows = 28, imageCols = 28;  ///< one image's height and width in pixels
    int columns = 10;                    ///< tiles per grid row
    int scale = 2;                       ///< every pixel becomes scale x scale
    int pad = 2;                         ///< grey separator around and between tiles, in output pixels
};

/// Output size for n tiles: columns * imageCols * scale + (columns + 1) * pad wide, and likewise
/// ceil(n / columns) rows high.
int gridWidth(const GridLayout &g);
int gridHeight(const GridLayout &g, int tiles);

/// Empty when a grid of `tiles` tiles fits in a PNG that readers open (at most 32767 pixels a side and
/// 400 million in all), else "the PNG would be W x H pixels, more than …". Checked by the commands before
/// their work, with the advice of their own flags.
std::string whyGridTooLarge(const GridLayout &g, long long tiles);

/// Writes the columns of `tiles` (each an image, row-major pixels in [0, 1]; values outside are
/// clamped) row after row as a grayscale PNG, atomically. Throws std::runtime_error naming the file.
void writeGridPng(const std::string &path, const ael::Matrix &tiles, const GridLayout &g);

}  // namespace cli
