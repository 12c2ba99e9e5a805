#pragma once
// Principal angles between two subspaces of R^d, given by spanning columns: A (d x k), B (d x m).
//
// With Q_A, Q_B orthonormal bases of span A and span B (rank r_A, r_B), the principal angles
// 0 ≤ θ_1 ≤ … ≤ θ_r ≤ 90°, r = min(r_A, r_B), satisfy
//     cos θ_i = σ_i(Q_Aᵀ Q_B)            (singular values, descending)
//     sin θ_i = σ_{r+1-i}((I − Q_A Q_Aᵀ) Q_B)   (for r_A ≥ r_B; ascending)
// The cosine formula loses accuracy for small angles (cos θ ≈ 1 − θ²/2), so angles with
// cos² θ ≥ 1/2 are taken from the sines instead (Knyazev & Argentati, 2002).
//
// They depend only on the spans, not on the bases: B and B R give the same angles for any
// invertible R. Used to compare a linear autoencoder's weights with the PCA subspace.
// Everything is computed in double; the float overloads convert first.
#include "../Tensor.h"

namespace ael {

// Any double (float) matrix expression binds without a copy when it can (blocks, maps) and the
// scalar type picks the overload, so  principalAnglesDeg(W.leftCols(k), V)  is unambiguous.
using MatRefD = Eigen::Ref<const Eigen::MatrixXd>;
using MatRefF = Eigen::Ref<const Matrix>;

/// Orthonormal basis (d x r) of span A, by thin SVD; r = numerical rank of A (0 if A is 0).
Eigen::MatrixXd orthonormalBasis(const MatRefD &A);

/// The r = min(rank A, rank B) principal angles in degrees, ascending.
/// Throws std::invalid_argument if A and B have different row counts.
Eigen::VectorXd principalAnglesDeg(const MatRefD &A, const MatRefD &B);
Eigen::VectorXd principalAnglesDeg(const MatRefF &A, const MatRefF &B);

/// The largest principal angle in degrees (0 = one span contains the other, 90 = some direction of
/// the smaller span is orthogonal to the larger). NaN if either span is {0}.
double largestPrincipalAngleDeg(const MatRefD &A, const MatRefD &B);
double largestPrincipalAngleDeg(const MatRefF &A, const MatRefF &B);

}  // namespace ael
