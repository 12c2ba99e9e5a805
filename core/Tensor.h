#pragma once
// The engine's one data-layout rule, stated once:
//
//   EVERY MATRIX OF SAMPLES HOLDS ONE SAMPLE PER COLUMN.
//
// A batch of B images with d pixels is a d x B matrix. A layer with n_in inputs and n_out outputs
// stores W as n_out x n_in and b as n_out x 1 and maps X (n_in x B) to Z = W X + b 1^T (n_out x B).
// Losses and regularizers are means over the batch (columns); reconstruction losses are also means
// over the d pixels, so all terms are "per pixel" and comparable on one chart.
//
// The engine is templated on the scalar S: float for training, double for the finite-difference
// gradient checks. Implementations are explicitly instantiated for both in the .cpp files.
#include <Eigen/Core>

namespace ael {

template <class S> using Mat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
template <class S> using Vec = Eigen::Matrix<S, Eigen::Dynamic, 1>;
using Matrix = Mat<float>;
using Vector = Vec<float>;

}  // namespace ael
