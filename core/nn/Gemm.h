#pragma once
// The engine's general matrix product, on column-major blocks (a matrix, or a block of rows or columns
// of one — inner stride 1, any outer stride):
//
//   C = α op(A) op(B) + β C,   op(M) = M or Mᵀ,   C: m × n, op(A): m × k, op(B): k × n.
//
// Float products whose three sides are all ≥ kLibraryMinSide go to oneDNN's sgemm (Debian's libdnnl):
// its JIT kernels are generated at run time for the CPU's instruction set (AVX2, AVX-512, AMX), and on
// the models' shapes they run 1.2–2.0× faster per core than Eigen's GEMM. A thin product (a 2-D code,
// one drawn image) and every double product (the gradient checks) stay with Eigen, which is as fast or
// faster there. Each call runs on the calling thread only: the engine's ThreadPool splits the products
// by rows (Products.h). The two backends agree to rounding, not to the bit.
#include "../Tensor.h"

#include <cstdint>

namespace ael {

enum class GemmBackend {
    Eigen,   ///< Eigen's GEMM for every product
    OneDnn,  ///< oneDNN's sgemm for float products with every side ≥ kLibraryMinSide (the default)
};

/// Sides below this go to Eigen even with the OneDnn backend (measured: for a side of 2, Eigen is ~2× faster).
constexpr long kLibraryMinSide = 16;
/// A product with a side of at most this many runs as matrix–vector products (or, for a short inner side,
/// column by column of the result) instead of Eigen's blocked GEMM, in both backends.
constexpr long kThinSide = 4;

/// Process-wide; set it before training starts (benchmarks and tests compare the two). The process starts
/// on OneDnn, or on Eigen when the environment has AELAB_GEMM=eigen.
void setGemmBackend(GemmBackend b);
GemmBackend gemmBackend();
const char *gemmBackendName(GemmBackend b);
/// The widest vector registers the OneDnn backend's products use on this CPU, in bits: 512, 256 or 128 (the
/// instruction set oneDNN dispatches to at run time, after any ONEDNN_MAX_CPU_ISA cap), whatever this build
/// was compiled for; 0 on the Eigen backend (its products use the build's own instructions).
int libraryVectorBits();
/// How many products went to the library since the process started (for tests).
uint64_t gemmLibraryCalls();
/// Σ m·n·k over every product since the process started, whichever backend ran it (for tests).
uint64_t gemmMultiplyAdds();

template <class S> using ConstBlock = Eigen::Ref<const Mat<S>, 0, Eigen::OuterStride<>>;
template <class S> using Block = Eigen::Ref<Mat<S>, 0, Eigen::OuterStride<>>;

enum class Op { N, T };

/// C = α op(A) op(B) + β C. With β = 0, C's old values are never read (NaN in C does not leak in).
template <class S> void gemm(Op opA, const ConstBlock<S> &A, Op opB, const ConstBlock<S> &B, S alpha, S beta, Block<S> C);

}  // namespace ael
