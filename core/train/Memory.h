#pragma once
// Memory a request will need, estimated before it is made: an architecture that the flags allow
// (widths up to 100,000, batches up to 65,536) can still need far more than the machine has, and
// then must be refused with the figure instead of ending in std::bad_alloc half-way.
#include "../nn/Architecture.h"
#include "../optimizers/Optimizer.h"

#include <cstddef>
#include <string>

namespace ael {

/// Bytes a Trainer of this architecture needs: the weights with their gradients, the optimizer's
/// state and the divergence checkpoint, plus one batch's activations, their gradients and scratch.
size_t trainingBytes(const Architecture &a, int batch, OptimizerKind optimizer);

/// Bytes to run n samples through the whole model at once (forward caches of every layer).
size_t forwardBytes(const Architecture &a, long long n);

/// Memory the system can still give (MemAvailable of /proc/meminfo; physical memory if unknown),
/// at most AELAB_MEMORY_LIMIT if that is set ("512M", "2G", bytes): a smaller machine, emulated.
size_t availableMemoryBytes();
/// AELAB_MEMORY_LIMIT in bytes (SIZE_MAX when unset or unreadable).
size_t memoryLimitFromEnvironment();

/// Makes malloc keep freed blocks for reuse instead of giving them back to the system at once (glibc:
/// trim threshold 64 MB, blocks up to 32 MB from the heap rather than their own mappings). The engine's
/// buffers change size with the batch (an epoch's last, partial batch) and between training and
/// evaluation; given back and faulted in again, they cost model C at batch 512 ~7,000 page faults an
/// epoch and 13–19 % of its time. Called once by every Trainer; idempotent. A program that wants memory
/// back after one-off work calls malloc_trim(0) (the window does after loading a data set).
void keepFreedMemoryForReuse();

/// "1.3 GB"
std::string formatBytes(size_t bytes);

/// Empty if `bytes` fits in what is available, else "<what> needs about X, more than the Y of memory available".
std::string whyTooLarge(size_t bytes, const std::string &what);

}  // namespace ael
