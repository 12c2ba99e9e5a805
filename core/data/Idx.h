#pragma once
// Reading and writing the IDX format of MNIST and Fashion-MNIST, raw or gzip'd.
//
// IDX layout (all integers unsigned 32-bit big-endian):
//   magic = 0x00 0x00 <type> <ndims>      type 0x08 = unsigned byte (the only one we accept)
//   ndims sizes                            images (idx3): count, rows, cols; labels (idx1): count
//   the elements, row-major                images: count*rows*cols pixel bytes; labels: count bytes
// so images start with 0x00000803 and a 16-byte header, labels with 0x00000801 and an 8-byte one.
// A file is gzip'd when it starts with the gzip magic 1f 8b (detected, not guessed from the name).
//
// Files are treated as hostile: the magic, the dimension count, the caps below and the sizes the
// header declares are all checked against the real (decompressed) length BEFORE anything is
// allocated, and nothing larger than the file really holds is ever allocated — gzip streams are
// inflated twice, once to measure (with a hard cap) and once into a buffer of the measured size.
// Every problem is thrown as ael::DataError naming the file and the problem.
#include "Dataset.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace ael {

/// A data file that cannot be read or is malformed; what() names the file and the problem.
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Caps for untrusted files. The per-side caps alone would allow 1e6 * 4096^2 = 16 TB, so the
/// pixel total is capped as well: 1 GiB holds a million 32x32 images (Fashion-MNIST's 60,000
/// 28x28 training images are 47,040,000 bytes).
inline constexpr uint32_t kIdxMaxImages = 1'000'000;
inline constexpr uint32_t kIdxMaxSide = 4096;
inline constexpr uint64_t kIdxMaxPixelBytes = uint64_t(1) << 30;
inline constexpr uint64_t kIdxImagesHeaderBytes = 16;  ///< magic + count + rows + cols
inline constexpr uint64_t kIdxLabelsHeaderBytes = 8;   ///< magic + count
/// Largest decompressed files we ever read: header + the capped payload.
inline constexpr uint64_t kIdxMaxImagesFileBytes = kIdxImagesHeaderBytes + kIdxMaxPixelBytes;
inline constexpr uint64_t kIdxMaxLabelsFileBytes = kIdxLabelsHeaderBytes + kIdxMaxImages;

/// Loads an images file and its labels file (each raw or gzip'd). The data set gets the given
/// name and the class names "0".."9". Throws DataError.
Dataset loadIdx(const std::string &imagesPath, const std::string &labelsPath, const std::string &name);

/// Same from memory (embedded data, tests). imgLabel and labLabel stand for the file names in
/// error messages. Throws DataError.
Dataset loadIdxFromMemory(const uint8_t *img, size_t n, const uint8_t *lab, size_t m, const std::string &name,
                          const std::string &imgLabel, const std::string &labLabel);

/// Writes d as an IDX images file and an IDX labels file, gzip'd (level 9, mtime 0) or raw.
/// Atomic as a pair: both are written to temporary files beside the targets and flushed to disk, and
/// only then renamed over the targets, so a reader never sees a half-written file, and a failure (a full
/// disk, an unwritable directory, Ctrl-C) leaves both old files as they were. Throws DataError.
void writeIdx(const Dataset &d, const std::string &imagesPath, const std::string &labelsPath, bool gzip);

}  // namespace ael
