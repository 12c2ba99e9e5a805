#pragma once
// The three matrix products of a dense layer, each split among the engine's threads (core/parallel/
// ThreadPool) with a pass over the same block fused in while it is in cache. How the work is split (and
// whether it is worth splitting) is decided here, from the shapes:
//   - Z = W X + b 1ᵀ and dX = Wᵀ dZ by columns (samples) once each thread gets ≥ kMinChunkColumns of them,
//     else by rows. By columns, a thread's samples stay in its core's cache from one layer to the next,
//     forward and back; by rows, each thread reads every sample the other thread has just written.
//     Measured (2 cores, Intel AVX-512, 5 alternating rounds): batch 512 +2–6 %, batch 128 ±2 %.
//   - dW += dZ Xᵀ and db += dZ 1 by columns once each thread gets ≥ kMinGradientChunkColumns samples: each
//     thread sums over its own samples (which it has just written, forward and back) into its own partial
//     sums, added afterwards in chunk order; else by rows, each thread reading every sample. Measured (2
//     cores, Intel AVX-512, 5 alternating rounds, medians): batch 512 A +6 %, B +7 %, C +10 %, CAE +11 %,
//     DAE +6 %; at 64 samples a thread (batch 128) −2 % to +8 % by model, within the noise, so by rows there.
//   - dX = Wᵀ dZ by rows: in chunks of at least kMinTransposedChunkRows rows once dX has that many. oneDNN
//     computes it (its row-major sgemm with B transposed) at about half speed below 128 rows of dX: measured
//     on one core of a Zen 5, batch 32, k = 512: 35 µs for 128 rows in one call, 82 µs for the same rows as
//     two calls of 64 (116 against 51 GFLOP/s). So 128 … 255 rows are not split: split, 128 rows ran slower
//     on two threads than on one. (Fewer than 128 rows split as before: there every call is on the slow side.)
#include "../Tensor.h"

#include <functional>

namespace ael {

/// The block rows [r0, r1) × columns [c0, c1) of a product's result.
using BlockFn = std::function<void(long r0, long r1, long c0, long c1)>;

/// Below this many columns (samples) per thread, the products split by rows instead.
constexpr long kMinChunkColumns = 64;
/// The same for dW += dZ Xᵀ and db += dZ 1, whose split by columns costs a pass adding partial sums.
constexpr long kMinGradientChunkColumns = 128;
/// dX = Wᵀ dZ by rows: the least rows of a chunk, once dX has this many rows.
constexpr long kMinTransposedChunkRows = 128;

/// Z = W X + b 1ᵀ (b: out × 1), then epilogue on the block of Z just computed (e.g. Y = f(Z)). Z starts as
/// b 1ᵀ and the product is accumulated into it: no zeroing pass, no separate bias pass.
template <class S> void affine(const Mat<S> &W, const Mat<S> &X, const Mat<S> &b, Mat<S> &Z, const BlockFn &epilogue);

/// prologue(r0, r1, c0, c1) writes that block of dZ; then dW += dZ Xᵀ and db += dZ 1 (dW = dZ Xᵀ when
/// overwriteW, db = dZ 1 when overwriteB: that gradient was stale, Param::gradStale). `partials` is the
/// caller's workspace for the threads' partial sums (resized here; kept to avoid allocating every step).
template <class S>
void affineGradients(const BlockFn &prologue, const Mat<S> &dZ, const Mat<S> &X, Mat<S> &dW, Mat<S> &db, Mat<S> &partials,
                     bool overwriteW = false, bool overwriteB = false);

/// dX = Wᵀ dZ.
template <class S> void transposedProduct(const Mat<S> &W, const Mat<S> &dZ, Mat<S> &dX);

}  // namespace ael
