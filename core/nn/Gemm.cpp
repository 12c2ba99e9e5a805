#include "Gemm.h"

#include <dnnl.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <type_traits>

// oneDNN as Debian builds it runs on OpenMP and would start an OpenMP team of all cores inside every
// call; the engine's own pool already splits the product, so each calling thread asks OpenMP for one
// thread (a per-thread setting). Declared here rather than through <omp.h>, which clang does not ship.
extern "C" void omp_set_num_threads(int);

namespace ael {

namespace {
/// AELAB_GEMM=eigen in the environment starts the process on Eigen's products (e.g. to compare, or to
/// rule the library out when something looks wrong); anything else, or nothing, means oneDNN.
GemmBackend initialBackend()
{
    const char *v = std::getenv("AELAB_GEMM");
    return v && std::string_view(v) == "eigen" ? GemmBackend::Eigen : GemmBackend::OneDnn;
}
std::atomic<GemmBackend> backend_{initialBackend()};
std::atomic<uint64_t> libraryCalls_{0};
std::atomic<uint64_t> multiplyAdds_{0};

void oneOpenMpThreadHere()
{
    thread_local const bool done = (omp_set_num_threads(1), true);
    (void)done;
}

template <class S, class L, class R> void eigenProduct(const L &l, const R &r, S alpha, S beta, Block<S> &C)
{
    if (beta == S(0)) {
        if (alpha == S(1)) C.noalias() = l * r;
        else C.noalias() = alpha * l * r;
        return;
    }
    if (beta != S(1)) C *= beta;
    if (alpha == S(1)) C.noalias() += l * r;
    else C.noalias() += alpha * l * r;
}

/// The most elements a thin product's matrix–vector products read again and again: 256 KB of floats, a
/// fraction of a core's L2.
constexpr long kThinReread = 65536;

/// c = α p + β c for one row or column of C (β = 0: c is not read).
template <class S, class Dst, class P> void scaleAdd(Dst &&c, const P &p, S alpha, S beta)
{
    if (beta == S(0)) c.noalias() = alpha * p;
    else if (beta == S(1) && alpha == S(1)) c.noalias() += p;
    else c = beta * c + alpha * p;
}

/// A product with a side of at most kThinSide (the layers of a 2-D code; one drawn image). Eigen's GEMM
/// packs both operands into blocks first, which costs more than the arithmetic when a side is 2: six such
/// products of model A at batch 512 took 196 µs, for 3 MFLOP. Here
///   - few rows of C: C(i, :) = op(A)(i, :) op(B), one matrix–vector product (dot products along k) per row;
///   - few columns: C(:, j) = op(A) op(B)(:, j), one matrix–vector product per column;
///   - a short k: column by column, C(:, j) = Σ_p op(A)(:, p) op(B)(p, j), vectorised along the column.
/// Measured on model A (6 such products a step, 2 threads, 6 alternating rounds): +3 % samples/s at batch 32,
/// +6 % at 64, +6 % at 128. Returns false, having done nothing, when the matrix–vector products would each read an
/// operand too large to stay in a core's cache between them (then Eigen's GEMM, which reads it once, is as fast:
/// model A at batch 512 was within the noise either way).
template <class S, class L, class R> bool thinProduct(const L &l, const R &r, S alpha, S beta, Block<S> &C)
{
    const long m = C.rows(), n = C.cols();
    if (m <= kThinSide) {
        if (r.size() > kThinReread) return false;
        for (long i = 0; i < m; ++i) scaleAdd(C.row(i), l.row(i) * r, alpha, beta);
    } else if (n <= kThinSide) {
        if (l.size() > kThinReread) return false;
        for (long j = 0; j < n; ++j) scaleAdd(C.col(j), l * r.col(j), alpha, beta);
    } else {
        // op(A)'s few columns copied contiguous (op(A) may be a transposed view) and scaled by α; then column
        // by column of C, c = Σ_p a_p op(B)(p, j) (+ β c) while c is in cache.
        if (l.cols() == 0) return false;  // an empty sum: C = β C, Eigen's GEMM does that
        const Mat<S> a = alpha * l;
        for (long j = 0; j < n; ++j) {
            auto c = C.col(j);
            scaleAdd(c, a.col(0) * r(0, j), S(1), beta);
            for (long p = 1; p < a.cols(); ++p) c.noalias() += a.col(p) * r(p, j);
        }
    }
    return true;
}

template <class S> void eigenGemm(Op opA, const ConstBlock<S> &A, Op opB, const ConstBlock<S> &B, S alpha, S beta, Block<S> &C)
{
    const long k = opA == Op::N ? A.cols() : A.rows();
    if (std::min({C.rows(), C.cols(), k}) <= kThinSide) {
        const bool done = opA == Op::N && opB == Op::N ? thinProduct(A, B, alpha, beta, C)
                          : opA == Op::N               ? thinProduct(A, B.transpose(), alpha, beta, C)
                          : opB == Op::N               ? thinProduct(A.transpose(), B, alpha, beta, C)
                                                       : thinProduct(A.transpose(), B.transpose(), alpha, beta, C);
        if (done) return;
    }
    if (opA == Op::N && opB == Op::N) eigenProduct(A, B, alpha, beta, C);
    else if (opA == Op::N) eigenProduct(A, B.transpose(), alpha, beta, C);
    else if (opB == Op::N) eigenProduct(A.transpose(), B, alpha, beta, C);
    else eigenProduct(A.transpose(), B.transpose(), alpha, beta, C);
}

/// oneDNN's sgemm is row-major: a column-major m × n block with stride ld is the row-major n × m block of
/// its transpose with the same stride, so C = op(A) op(B) is computed as Cᵀ = op(B)ᵀ op(A)ᵀ.
bool oneDnnGemm(Op opA, const ConstBlock<float> &A, Op opB, const ConstBlock<float> &B, float alpha, float beta, Block<float> &C)
{
    oneOpenMpThreadHere();
    const long k = opA == Op::N ? A.cols() : A.rows();
    const dnnl_status_t s = dnnl_sgemm(opB == Op::N ? 'N' : 'T', opA == Op::N ? 'N' : 'T', C.cols(), C.rows(), k, alpha,
                                       B.data(), B.outerStride(), A.data(), A.outerStride(), beta, C.data(), C.outerStride());
    libraryCalls_.fetch_add(1, std::memory_order_relaxed);
    return s == dnnl_success;
}
}  // namespace

void setGemmBackend(GemmBackend b) { backend_.store(b, std::memory_order_relaxed); }
GemmBackend gemmBackend() { return backend_.load(std::memory_order_relaxed); }
const char *gemmBackendName(GemmBackend b) { return b == GemmBackend::Eigen ? "eigen" : "onednn"; }
int libraryVectorBits()
{
    if (gemmBackend() != GemmBackend::OneDnn) return 0;
    // The ISA values are nested bit masks: each wider set contains the bits of the narrower ones.
    const unsigned isa = unsigned(dnnl_get_effective_cpu_isa());
    const auto has = [isa](dnnl_cpu_isa_t set) { return (isa & unsigned(set)) == unsigned(set); };
    if (has(dnnl_cpu_isa_avx512_core) || has(dnnl_cpu_isa_avx512_mic)) return 512;
    if (has(dnnl_cpu_isa_avx2)) return 256;
    return 128;
}

uint64_t gemmLibraryCalls() { return libraryCalls_.load(std::memory_order_relaxed); }
uint64_t gemmMultiplyAdds() { return multiplyAdds_.load(std::memory_order_relaxed); }

template <class S> void gemm(Op opA, const ConstBlock<S> &A, Op opB, const ConstBlock<S> &B, S alpha, S beta, Block<S> C)
{
    const long m = opA == Op::N ? A.rows() : A.cols(), k = opA == Op::N ? A.cols() : A.rows();
    const long kB = opB == Op::N ? B.rows() : B.cols(), n = opB == Op::N ? B.cols() : B.rows();
    if (k != kB || C.rows() != m || C.cols() != n) throw std::logic_error("gemm: the operands' shapes do not match");
    multiplyAdds_.fetch_add(uint64_t(m) * uint64_t(n) * uint64_t(k), std::memory_order_relaxed);
    if constexpr (std::is_same_v<S, float>) {
        // A refused call (never seen: the shapes are checked above) falls back to Eigen.
        if (backend_.load(std::memory_order_relaxed) == GemmBackend::OneDnn && m >= kLibraryMinSide &&
            n >= kLibraryMinSide && k >= kLibraryMinSide && oneDnnGemm(opA, A, opB, B, alpha, beta, C))
            return;
    }
    eigenGemm(opA, A, opB, B, alpha, beta, C);
}

template void gemm<float>(Op, const ConstBlock<float> &, Op, const ConstBlock<float> &, float, float, Block<float>);
template void gemm<double>(Op, const ConstBlock<double> &, Op, const ConstBlock<double> &, double, double, Block<double>);

}  // namespace ael
