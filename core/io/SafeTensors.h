#pragma once
// Model files in the safetensors format (https://github.com/huggingface/safetensors):
//
//   [8 bytes]  N, the header length, unsigned 64-bit little-endian
//   [N bytes]  JSON header: {"__metadata__": {"key": "value", ...},
//                            "name": {"dtype": "F32", "shape": [r, c], "data_offsets": [begin, end]}, ...}
//              padded with spaces so that N is a multiple of 8 (as the reference writer does)
//   [rest]     the data buffer; offsets are relative to its first byte, each tensor's bytes are
//              row-major (C order), little-endian
//
// Only F32 tensors of rank 0, 1 and 2 are read and written. Our matrices are Eigen column-major:
// an r x c Matrix is stored as shape [r, c] (transposed to row-major on write and back on read),
// an r x 1 Matrix (a vector) as shape [r]; shape [] reads as 1 x 1. Tensors are written in the
// given order, contiguous from offset 0; "__metadata__" (string -> string) comes first and is
// omitted when empty.
//
// The loader treats its input as hostile and applies the reference implementation's checks:
// header length <= 100,000,000 and inside the file, header is a JSON object starting with '{',
// each entry has exactly dtype/shape/data_offsets, shape x 4 bytes (overflow-checked) equals
// end - begin, and the tensors sorted by offset are contiguous, non-overlapping and cover the
// whole data buffer. Nothing is allocated from a size before it has been checked against the
// actual input size. Every problem is an ael::FormatError naming the file.
#include "../Tensor.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ael {

/// A file that cannot be read or written, or whose content is not what it should be. The message
/// starts with the file's name (or the label given for an in-memory buffer).
class FormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Bytes that are not a whole safetensors file at all: cut short (an interrupted copy or download),
/// overwritten, or another kind of file. (A well-formed file with the wrong content, a missing file or a
/// directory is a plain FormatError.) Thrown while reading only.
class DamagedFileError : public FormatError {
public:
    using FormatError::FormatError;
};

struct NamedTensor {
    std::string name;
    Matrix value;
};

struct SafetensorsFile {
    std::vector<NamedTensor> tensors;              ///< in header order
    std::map<std::string, std::string> metadata;   ///< the "__metadata__" entry
    /// The tensor with this name, or nullptr.
    const NamedTensor *find(const std::string &name) const;
};

/// The reference's limit on the header length N.
inline constexpr uint64_t kSafetensorsMaxHeaderBytes = 100'000'000;
/// The largest file loadSafetensors reads (checked before reading): 4 GiB, six times the largest
/// single layer the architecture bounds allow at a useful size (784 x 100,000 floats x 2 = 627 MB).
inline constexpr uint64_t kSafetensorsMaxFileBytes = uint64_t(4) << 30;

/// The complete file image. Throws FormatError (prefixed with `label`) on an empty or duplicate
/// tensor name, the reserved name "__metadata__", or a name/metadata string that is not UTF-8.
std::vector<uint8_t> serializeSafetensors(const std::vector<NamedTensor> &tensors,
                                          const std::map<std::string, std::string> &metadata,
                                          const std::string &label = "safetensors");

/// Writes atomically: the file is written to a temporary file in the same directory, flushed to
/// disk (fsync) and renamed over `path`. On failure the temporary file is removed and an existing
/// file at `path` is left untouched. Throws FormatError.
void saveSafetensors(const std::string &path, const std::vector<NamedTensor> &tensors,
                     const std::map<std::string, std::string> &metadata);

/// Reads and validates a whole file. Throws FormatError.
SafetensorsFile loadSafetensors(const std::string &path);

/// Validates and decodes a file image held in memory; `label` names it in error messages.
SafetensorsFile loadSafetensorsFromMemory(const uint8_t *data, size_t size, const std::string &label);

}  // namespace ael
