#pragma once
// Probabilistic PCA (Tipping & Bishop 1999): the lecture's linear factor model read as a stochastic
// linear decoder,
//     x = W h + μ + σ ε,   h ~ N(0, I_k),  ε ~ N(0, I_d),
// so that x ~ N(μ, W Wᵀ + σ² I). Its maximum-likelihood parameters come straight from PCA:
//     σ² = (1 / (d − k)) Σ_{i>k} λ_i          (the mean of the discarded eigenvalues)
//     W  = U_k (Λ_k − σ² I)^{1/2}            (U_k: the top-k eigenvectors, Λ_k their eigenvalues;
//                                             the arbitrary rotation R of the paper is taken as I)
// With k ≥ d nothing is discarded and σ² = 0. Double precision throughout; no Qt.
#include "../Tensor.h"

#include <Eigen/Core>

namespace ael {

class Pca;
class Rng;

class ProbabilisticPca {
public:
    /// Builds the model from a fitted PCA with k latent factors, 0 ≤ k ≤ pca.stored().
    /// Throws std::invalid_argument if the PCA is not fitted or k is out of range.
    ProbabilisticPca(const Pca &pca, int k);

    int dim() const { return int(mean_.size()); }    ///< d
    int latent() const { return int(W_.cols()); }    ///< k
    double noiseVariance() const { return sigma2_; } ///< σ²
    const Eigen::MatrixXd &loading() const { return W_; }  ///< W (d × k)
    const Eigen::VectorXd &mean() const { return mean_; }  ///< μ (d)

    /// The model's covariance of x: W Wᵀ + σ² I (d × d).
    Eigen::MatrixXd covariance() const;
    /// n samples x = W h + μ + σ ε as the columns of a d × n matrix (h, ε drawn from rng, column by column).
    Matrix sample(int n, Rng &rng) const;
    /// The noise-free part W h + μ for given factors H (k × n): the mean of p(x | h).
    Matrix decodeMean(const Eigen::MatrixXd &H) const;

private:
    Eigen::VectorXd mean_;
    Eigen::MatrixXd W_;
    double sigma2_ = 0;
};

}  // namespace ael
