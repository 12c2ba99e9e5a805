#pragma once
// The three matrix products of a dense layer, each split by rows among the engine's threads
// (core/parallel/ThreadPool) with a pass over the same rows fused in while they are in cache.
// How the work is split (and whether it is worth splitting) is decided here, from the shapes.
#include "../Tensor.h"

#include <functional>

namespace ael {

/// Rows [begin, end) of a product's result.
using RowsFn = std::function<void(long begin, long end)>;

/// Z = W X + b 1ᵀ (b: out × 1), then epilogue(r0, r1) on rows [r0, r1) of Z just computed (e.g. Y = f(Z)).
/// Z starts as b 1ᵀ and the product is accumulated into it: no zeroing pass, no separate bias pass.
template <class S> void affine(const Mat<S> &W, const Mat<S> &X, const Mat<S> &b, Mat<S> &Z, const RowsFn &epilogue);

/// prologue(r0, r1) writes rows [r0, r1) of dZ; then dW += dZ Xᵀ and db += dZ 1 on those rows.
template <class S>
void affineGradients(const RowsFn &prologue, const Mat<S> &dZ, const Mat<S> &X, Mat<S> &dW, Mat<S> &db);

/// dX = Wᵀ dZ, split by the rows of dX (the columns of W).
template <class S> void transposedProduct(const Mat<S> &W, const Mat<S> &dZ, Mat<S> &dX);

}  // namespace ael
