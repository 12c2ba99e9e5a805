#pragma once
// The first layer's two products over X when X is mostly zeros. Each column of X is a sample (in × B);
// of MNIST's pixels ~19 % carry ink, so of Z = W X + b 1ᵀ and dW = dZ Xᵀ four fifths of the multiply-adds
// are by zero. Here they only run over X's nonzero entries:
//
//   Z(:, j)  = b + Σ_{i : X(i,j) ≠ 0} W(:, i) X(i, j)         (pairs of samples share each column of W)
//   dW(:, i) =     Σ_{j : X(i,j) ≠ 0} dZ(:, j) X(i, j)        (pairs of pixels share each column of dZ)
//
// Both sums are the dense products' sums without their zero terms, so they agree with them to rounding.
// A pair walks the union of its two samples' (pixels') nonzeros: a column of W (dZ) is loaded once for
// two accumulators, which keeps the kernel on the multiply-adds rather than the loads.
//
// Measured on the embedded digits' first 512 images (25 % of their pixels nonzero; Intel AVX-512, against
// oneDNN's sgemm): 784 → 512 at batch 512 on one thread, Z 1.6× and dW 1.6× faster (1,276 and 1,478 µs
// against 2,073 and 2,296); 784 → 256 at 128 on two threads, 1.7× and 1.8×. Each is worth it while the
// pairs' union holds under about half of the entries; kMaxPairDensity keeps a margin (Fashion-MNIST, with
// about half its pixels nonzero, and noise stay on the dense products).
//
// The kernels are written once over a vector ISA and built for AVX-512 (F, BW, with BMI2: 16 floats a
// register, 32 registers) and AVX2 with FMA (8 floats, 16 registers), as far as the compiler targets them
// (-march=native); the best built runs, and setSparseKernels picks the other (tests run both). A build for
// neither (AELAB_NATIVE=OFF) keeps every product dense.
#include "../Tensor.h"
#include "Products.h"

#include <cstdint>
#include <vector>

namespace ael {

/// Above this fraction of (sample pair, row) entries with a nonzero, the dense products are used.
constexpr double kMaxPairDensity = 0.4;
/// Below this many outputs × samples (a layer's Z), or below kMinSparseRows outputs, indexing X costs more
/// than it saves, and the dense products are used. Measured (`bench --sparse on` against `off`, 3 alternating
/// rounds, medians; 2 cores, Intel AVX-512): 784 → 256 at batch 32 (8,192 entries) 0.90×, at 64 (16,384)
/// 1.13×, at 128 1.21×; 784 → 512 at 32 (16,384) 1.05×, at 128 1.16×; 784 → 64 (C, CAE, DAE) 0.84–1.10× at
/// batch 32–256, 0.95× at the median.
constexpr long kMinSparseOutputs = 16384;
constexpr long kMinSparseRows = 128;

/// Whether the first layer may use the sparse products (default on; off when the environment has
/// AELAB_SPARSE=0). Process-wide: set it before training starts (benchmarks and tests compare the two).
void setSparseInputs(bool on);
bool sparseInputs();
enum class SparseKernels { None, Avx2, Avx512 };
/// Whether this build has any kernels; whether it has these (None: always).
bool sparseKernelsBuilt();
bool sparseKernelsBuilt(SparseKernels k);
/// The kernels the next index() chooses (default: the best built). False, and nothing changes, for kernels
/// this build does not have. None keeps every product dense.
bool setSparseKernels(SparseKernels k);
SparseKernels sparseKernels();
const char *sparseKernelsName(SparseKernels k);
/// Σ of the dense products' m·n·k that ran as sparse products since the process started (for tests).
uint64_t sparseMultiplyAdds();

class SparseInput {
public:
    /// Indexes X's nonzeros when the sparse products are on and built and X is sparse enough (and the
    /// layer's Z, outputs × X.cols(), large enough) for them to pay; returns whether it did. Until the
    /// next call, holds(X) tells the products they may use it.
    bool index(const Mat<float> &X, long outputs);
    bool holds(const Mat<float> &X) const { return active_ && source_ == &X && X.rows() == in_ && X.cols() == B_; }
    /// The fraction of (sample pair, row) entries the forward product visits (1 = dense).
    double pairDensity() const { return pairDensity_; }

    /// Z = W X + b 1ᵀ, then epilogue on each block of Z, as affine() (Products.h). Requires holds(X).
    void affine(const Mat<float> &W, const Mat<float> &X, const Mat<float> &b, Mat<float> &Z, const BlockFn &epilogue) const;
    /// As affineGradients() (Products.h): prologue writes dZ, then dW (+)= dZ Xᵀ and db (+)= dZ 1.
    void gradients(const BlockFn &prologue, const Mat<float> &dZ, const Mat<float> &X, Mat<float> &dW, Mat<float> &db,
                   Mat<float> &partials, bool overwriteW, bool overwriteB) const;

private:
    void indexChunk(const Mat<float> &X, long c0, long c1);
    SparseKernels kernels_ = SparseKernels::None;  ///< chosen by index(), used by the products
    bool active_ = false;
    const Mat<float> *source_ = nullptr;
    long in_ = 0, B_ = 0, groups_ = 0, words_ = 0;  ///< groups_: pixel pairs, ⌈in / 2⌉; words_: ⌈B / 64⌉
    double pairDensity_ = 1;
    std::vector<int> pairCount_, pairRows_;  ///< sample pair p: its rows with a nonzero, at pairRows_[p · (in + 16)]
    /// Pixel pair g: bit j of words bits_[g · words_ …] is set when sample j has a nonzero in it.
    std::vector<uint64_t> bits_;
};

}  // namespace ael
