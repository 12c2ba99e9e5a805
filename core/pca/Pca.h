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
// Up to kMaxCovarianceDim pixels (MNIST's 784) the covariance is accumulated in double, chunk by
// chunk, and diagonalised with Eigen's SelfAdjointEigenSolver: every component, exactly.
// Larger images (a 255x255 IDX file has d = 65,025: a d x d covariance would take 34 GB) go through
// the m x m Gram matrix of the centred samples, G = X̃ᵀX̃ / (m − 1), whose non-zero eigenvalues are
// C's and whose eigenvectors u_i give C's as w_i = X̃ u_i / √((m − 1) λ_i). m is at most
// kMaxGramSamples images, evenly spaced (a subsample when there are more), and only the top
// stored() ≤ kMaxStoredBytes / 8d components are kept. The memory a fit needs is estimated before
// anything large is allocated (bytesNeeded); above kMaxFitBytes fit() throws PcaTooLarge.
// Components are sorted by decreasing eigenvalue, and the sign of each is fixed so that its entry
// of largest magnitude is positive (deterministic output).
#include "../Tensor.h"

#include <cstddef>
#include <stdexcept>

namespace ael {

struct Dataset;
struct PcaFit;

/// A fit that would need more memory than allowed; what() gives the figure.
class PcaTooLarge : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Pca {
public:
    static constexpr int kMaxCovarianceDim = 2048;
    static constexpr int kMaxGramSamples = 2048;
    static constexpr size_t kMaxStoredBytes = size_t(128) << 20;
    static constexpr size_t kMaxFitBytes = size_t(1) << 30;

    Pca() = default;

    /// Bytes a fit of n samples of d values needs at its peak (the matrix that is diagonalised, the
    /// solver's copy of it, the kept components and the conversion buffers).
    static size_t bytesNeeded(int d, int n);

    /// Fits on the columns of X (d x n, n ≥ 1; with n = 1 all variances are 0).
    /// Throws std::invalid_argument if X is empty, PcaTooLarge (before allocating) if it cannot fit.
    void fit(const Matrix &X);
    /// Fits on every image of the data set (pixels scaled to [0, 1] as by Dataset::range), converting
    /// a chunk of columns at a time so no d x n float copy is made.
    void fit(const Dataset &data);

    bool fitted() const { return n_ > 0; }
    /// d, the input dimension (0 before fit); k may range over 0..dim() everywhere.
    int dim() const { return int(mean_.size()); }
    /// The number of components computed: dim() up to kMaxCovarianceDim pixels, else at most the
    /// fitted samples − 1 and kMaxStoredBytes / 8d. Beyond it components() has zero columns (no
    /// variance found there), project() zero codes, and the MSE curve stays at its last value.
    int stored() const { return int(Wd_.cols()); }
    /// n, the number of samples fitted on (at most kMaxGramSamples above kMaxCovarianceDim pixels).
    int samples() const { return n_; }

    /// μ (d x 1).
    const Vector &mean() const { return mean_; }
    /// W = [w_1 … w_k] (d x k), orthonormal columns (zero beyond stored()), decreasing eigenvalue. 0 ≤ k ≤ dim().
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
    /// reconstructionMse for every k = 0..dim() at once (dim() + 1 values, non-increasing; the last is 0
    /// when every component is stored), in one pass:  MSE_k = (‖X − μ 1ᵀ‖² − Σ_{i≤k} ‖w_iᵀ (X − μ 1ᵀ)‖²) / (d n).
    Eigen::VectorXd reconstructionMseCurve(const Matrix &X) const;
    Eigen::VectorXd reconstructionMseCurve(const Dataset &data) const;

private:
    void checkFitted() const;
    void checkK(int k, const char *what) const;
    void adopt(PcaFit &&r, int n);

    int n_ = 0;
    Vector mean_;               ///< d x 1, float copy of meanD_
    Eigen::VectorXd meanD_;     ///< d x 1
    Eigen::VectorXd lambda_;    ///< d eigenvalues, decreasing
    Eigen::MatrixXd Wd_;        ///< d x stored() eigenvectors as columns, same order
    Matrix W_;                  ///< float copy of Wd_
};

}  // namespace ael
