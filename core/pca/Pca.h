#pragma once
// Principal component analysis, the closed-form baseline for the autoencoders.
//
// PCA solves  min_W Σ_j ‖Wᵀ W (x_j − μ) − (x_j − μ)‖²  subject to  W Wᵀ = I  (W: k x d, rows
// orthonormal); the optimum is spanned by the top-k eigenvectors of the sample covariance
//     C = Σ_j (x_j − μ)(x_j − μ)ᵀ / (n − 1).
// A linear, undercomplete autoencoder trained with MSE spans the same subspace (its weights need
// not be orthonormal), which core/pca/Subspace.h measures with principal angles.
//
// Conventions (see core/Tensor.h): samples are the COLUMNS of a d x n matrix. Here the components
// are likewise the columns of a d x k matrix, so  codes = Wᵀ (X − μ 1ᵀ)  with W = components(k).
// The covariance is accumulated in double, chunk by chunk, and diagonalised with Eigen's
// SelfAdjointEigenSolver; components are sorted by decreasing eigenvalue, and the sign of each is
// fixed so that its entry of largest magnitude is positive (deterministic output).
#include "../Tensor.h"

namespace ael {

struct Dataset;

class Pca {
public:
    Pca() = default;

    /// Fits on the columns of X (d x n, n ≥ 1; with n = 1 all variances are 0).
    /// Throws std::invalid_argument if X is empty.
    void fit(const Matrix &X);
    /// Fits on every image of the data set (pixels scaled to [0, 1] as by Dataset::range), converting
    /// a chunk of columns at a time so no d x n float copy is made.
    void fit(const Dataset &data);

    bool fitted() const { return n_ > 0; }
    /// d, the input dimension (0 before fit); also the number of components available.
    int dim() const { return int(mean_.size()); }
    /// n, the number of samples fitted on.
    int samples() const { return n_; }

    /// μ (d x 1).
    const Vector &mean() const { return mean_; }
    /// W = [w_1 … w_k] (d x k), orthonormal columns, decreasing eigenvalue. 0 ≤ k ≤ dim().
    Matrix components(int k) const;
    /// The same in double precision.
    Eigen::MatrixXd componentsD(int k) const;

    /// All d eigenvalues λ_1 ≥ … ≥ λ_d ≥ 0 of C (round-off negatives clamped to 0).
    const Eigen::VectorXd &explainedVariance() const { return lambda_; }
    /// λ_i / Σ_j λ_j (all zeros if the data has no variance).
    Eigen::VectorXd explainedVarianceRatio() const;
    /// Σ_{i≤k} λ_i / Σ_j λ_j, for 0 ≤ k ≤ dim().
    double cumulativeRatio(int k) const;

    /// Codes Z = Wᵀ (X − μ 1ᵀ)  (k x n) for X (d x n).
    Matrix project(const Matrix &X, int k) const;
    /// X̂ = μ 1ᵀ + W Z, with k = codes.rows().
    Matrix reconstruct(const Matrix &codes) const;

    /// mean over d x n of (X̂ − X)², X̂ = reconstruct(project(X, k)); computed in double.
    /// On the training data this equals  Σ_{i>k} λ_i · (n − 1)/n / d.
    double reconstructionMse(const Matrix &X, int k) const;
    /// The same over every image of a data set (same dim()), processed in chunks.
    double reconstructionMse(const Dataset &data, int k) const;
    /// reconstructionMse for every k = 0..dim() at once (dim() + 1 values, non-increasing, last 0),
    /// in one pass:  MSE_k = Σ_{i>k} Σ_j (w_iᵀ (x_j − μ))² / (d n).
    Eigen::VectorXd reconstructionMseCurve(const Matrix &X) const;
    Eigen::VectorXd reconstructionMseCurve(const Dataset &data) const;

private:
    void checkFitted() const;
    void checkK(int k, const char *what) const;

    int n_ = 0;
    Vector mean_;               ///< d x 1, float copy of meanD_
    Eigen::VectorXd meanD_;     ///< d x 1
    Eigen::VectorXd lambda_;    ///< d eigenvalues, decreasing
    Eigen::MatrixXd Wd_;        ///< d x d eigenvectors as columns, same order
    Matrix W_;                  ///< float copy of Wd_
};

}  // namespace ael
