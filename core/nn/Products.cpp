#include "Products.h"

#include "../parallel/ThreadPool.h"
#include "Gemm.h"

namespace ael {

namespace {
/// Multiply-adds of an (m × k)(k × n) product: what a thread split has to amortise.
double multiplyAdds(Eigen::Index m, Eigen::Index k, Eigen::Index n) { return double(m) * double(k) * double(n); }
/// Rows are split on multiples of 16 floats (one AVX-512 register) so threads never share a vector.
constexpr long kRowAlign = 16;
/// Below this many additions a pass adding the threads' partial sums runs on one thread.
constexpr double kMinParallelSum = 65536;
/// Whether products over B samples split by columns (Products.h), at least `perThread` samples a thread.
bool byColumns(long B, long perThread = kMinChunkColumns) { return B >= perThread * ThreadPool::instance().threads(); }
}  // namespace

template <class S> void affine(const Mat<S> &W, const Mat<S> &X, const Mat<S> &b, Mat<S> &Z, const BlockFn &epilogue)
{
    const long out = W.rows(), B = X.cols();
    Z.resize(out, B);
    if (byColumns(B)) {
        parallelRanges(B, kRowAlign, multiplyAdds(out, W.cols(), B), [&](long c0, long c1) {
            auto Zc = Z.middleCols(c0, c1 - c0);
            // Z = b 1ᵀ + W X
            Zc.colwise() = b.col(0);
            gemm<S>(Op::N, W, Op::N, X.middleCols(c0, c1 - c0), S(1), S(1), Zc);
            epilogue(0, out, c0, c1);
        });
        return;
    }
    parallelRanges(out, kRowAlign, multiplyAdds(out, W.cols(), B), [&](long r0, long r1) {
        auto Zr = Z.middleRows(r0, r1 - r0);
        // Z = b 1ᵀ + W X
        Zr.colwise() = b.col(0).segment(r0, r1 - r0);
        gemm<S>(Op::N, W.middleRows(r0, r1 - r0), Op::N, X, S(1), S(1), Zr);
        epilogue(r0, r1, 0, B);
    });
}

template <class S>
void affineGradients(const BlockFn &prologue, const Mat<S> &dZ, const Mat<S> &X, Mat<S> &dW, Mat<S> &db, Mat<S> &partials, bool overwriteW,
                     bool overwriteB)
{
    const long out = dZ.rows(), B = dZ.cols(), in = X.rows();
    if (byColumns(B, kMinGradientChunkColumns)) {
        // Each thread its own samples (those it wrote forward and back): dW = Σ_c dZ_c X_cᵀ, chunk 0's part
        // into dW, the others' into `partials`, then added in chunk order (the same bits alone or not).
        // (The pool's thread count is set before training and not during a step: parallelChunks reads the same.)
        const int threads = ThreadPool::instance().threads();
        partials.resize(out, (in + 1) * std::max(0, threads - 1));  // per extra chunk: its dW, then its db
        bool ran[64] = {};
        parallelChunks(B, kRowAlign, multiplyAdds(out, B, in), [&](int c, long c0, long c1) {
            ran[c] = true;
            prologue(0, out, c0, c1);
            const auto dZc = dZ.middleCols(c0, c1 - c0);
            const auto Xc = X.middleCols(c0, c1 - c0);
            if (c == 0) {
                gemm<S>(Op::N, dZc, Op::T, Xc, S(1), overwriteW ? S(0) : S(1), dW);
                if (overwriteB) db.col(0) = dZc.rowwise().sum();
                else db.col(0) += dZc.rowwise().sum();
                return;
            }
            gemm<S>(Op::N, dZc, Op::T, Xc, S(1), S(0), partials.middleCols((c - 1) * (in + 1), in));
            partials.col((c - 1) * (in + 1) + in) = dZc.rowwise().sum();
        });
        int parts = 0;
        while (parts + 1 < 64 && ran[parts + 1]) ++parts;
        if (parts == 0) return;
        parallelRanges(in, kRowAlign, double(out) * double(in) * parts, [&](long j0, long j1) {
            for (int p = 0; p < parts; ++p) dW.middleCols(j0, j1 - j0) += partials.middleCols(p * (in + 1) + j0, j1 - j0);
        }, kMinParallelSum);
        for (int p = 0; p < parts; ++p) db.col(0) += partials.col(p * (in + 1) + in);
        return;
    }
    parallelRanges(out, kRowAlign, multiplyAdds(out, dZ.cols(), X.rows()), [&](long r0, long r1) {
        prologue(r0, r1, 0, B);
        const auto dZr = dZ.middleRows(r0, r1 - r0);
        // dW += dZ Xᵀ ; db += dZ 1
        gemm<S>(Op::N, dZr, Op::T, X, S(1), overwriteW ? S(0) : S(1), dW.middleRows(r0, r1 - r0));
        if (overwriteB) db.col(0).segment(r0, r1 - r0) = dZr.rowwise().sum();
        else db.col(0).segment(r0, r1 - r0) += dZr.rowwise().sum();
    });
}

template <class S> void transposedProduct(const Mat<S> &W, const Mat<S> &dZ, Mat<S> &dX)
{
    const long in = W.cols(), B = dZ.cols();
    dX.resize(in, B);
    if (byColumns(B)) {
        parallelRanges(B, kRowAlign, multiplyAdds(in, W.rows(), B), [&](long c0, long c1) {
            gemm<S>(Op::T, W, Op::N, dZ.middleCols(c0, c1 - c0), S(1), S(0), dX.middleCols(c0, c1 - c0));
        });
        return;
    }
    // No chunk below kMinTransposedChunkRows where dX has that many rows (Products.h).
    const long maxChunks = in >= kMinTransposedChunkRows ? in / kMinTransposedChunkRows : 64;
    parallelRanges(in, kRowAlign, multiplyAdds(in, W.rows(), dZ.cols()), [&](long r0, long r1) {
        gemm<S>(Op::T, W.middleCols(r0, r1 - r0), Op::N, dZ, S(1), S(0), dX.middleRows(r0, r1 - r0));
    }, kMinParallelWork, maxChunks);
}

template void affine<float>(const Mat<float> &, const Mat<float> &, const Mat<float> &, Mat<float> &, const BlockFn &);
template void affine<double>(const Mat<double> &, const Mat<double> &, const Mat<double> &, Mat<double> &, const BlockFn &);
template void affineGradients<float>(const BlockFn &, const Mat<float> &, const Mat<float> &, Mat<float> &, Mat<float> &, Mat<float> &, bool,
                                     bool);
template void affineGradients<double>(const BlockFn &, const Mat<double> &, const Mat<double> &, Mat<double> &, Mat<double> &, Mat<double> &,
                                      bool, bool);
template void transposedProduct<float>(const Mat<float> &, const Mat<float> &, Mat<float> &);
template void transposedProduct<double>(const Mat<double> &, const Mat<double> &, Mat<double> &);

}  // namespace ael
