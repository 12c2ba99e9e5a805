#pragma once
// The three matrix products of a dense layer, each split among the engine's threads (core/parallel/
// ThreadPool) with a pass over the same block fused in while it is in cache. How the work is split (and
// whether it is worth splitting) is decided here, from the shapes:
//   - Z = W X + b 1ᵀ and dX = Wᵀ dZ by columns (samples) once each thread gets ≥ kMinChunkColumns of them,
//     else by rows. By columns, a thread's samples stay in its core's cache from one layer to the next,
//     forward and back; by rows, each thread reads every sample the other thread has just written.
//     Measured (2 cores, Intel AVX-512, 5 alternating rounds): batch 512 +2–6 %, batch 128 ±2 %.
//   - dW += dZ Xᵀ by rows: it sums over the samples, so a split by columns would need a reduction.
#include "../Tensor.h"

#include <functional>

namespace ael {

/// Rows [begin, end) of a product's result.
using RowsFn = std::function<void(long begin, long end)>;
/// The block rows [r0, r1) × columns [c0, c1) of a product's result.
using BlockFn = std::function<void(long r0, long r1, long c0, long c1)>;

/// Below this many columns (samples) per thread, the products split by rows instead.
constexpr long kMinChunkColumns = 64;

/// Z = W X + b 1ᵀ (b: out × 1), then epilogue on the block of Z just computed (e.g. Y = f(Z)). Z starts as
/// b 1ᵀ and the product is accumulated into it: no zeroing pass, no separate bias pass.
template <class S> void affine(const Mat<S> &W, const Mat<S> &X, const Mat<S> &b, Mat<S> &Z, const BlockFn &epilogue);

/// prologue(r0, r1) writes rows [r0, r1) of dZ; then dW += dZ Xᵀ and db += dZ 1 on those rows (dW = dZ Xᵀ when
/// overwriteW, db = dZ 1 when overwriteB: that gradient was stale, Param::gradStale).
template <class S>
void affineGradients(const RowsFn &prologue, const Mat<S> &dZ, const Mat<S> &X, Mat<S> &dW, Mat<S> &db, bool overwriteW = false,
                     bool overwriteB = false);

/// dX = Wᵀ dZ.
template <class S> void transposedProduct(const Mat<S> &W, const Mat<S> &dZ, Mat<S> &dX);

}  // namespace ael
