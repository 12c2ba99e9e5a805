#pragma once
// Images are kept as uint8 (one byte a pixel, 784 bytes a digit) and converted to float per batch,
// so Fashion-MNIST's 60,000 images take 47 MB, not 188 MB.
#include "../Tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ael {

struct Dataset {
    std::string name;              ///< shown to the user, e.g. "MNIST (embedded) — train"
    int rows = 0, cols = 0;        ///< image height and width in pixels
    std::vector<uint8_t> pixels;   ///< size() * dim() bytes, image after image, row-major inside an image
    std::vector<uint8_t> labels;   ///< size() entries, 0..9
    std::vector<std::string> classNames;  ///< 10 names ("0".."9" or Fashion-MNIST's)

    int dim() const { return rows * cols; }
    int size() const { return int(labels.size()); }
    bool empty() const { return labels.empty(); }
    const uint8_t *image(int i) const { return pixels.data() + size_t(i) * size_t(dim()); }

    /// Writes images idx[0..n) as the columns of X (dim() x n), scaled to [0, 1].
    void batch(const int *idx, int n, Matrix &X) const;
    /// All images [first, first + n) as columns.
    void range(int first, int n, Matrix &X) const;
    /// The images at the given indices as a new data set (labels and names kept).
    Dataset subset(const std::vector<int> &idx, const std::string &newName) const;
};

}  // namespace ael
