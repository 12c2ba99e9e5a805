#include "ProbabilisticPca.h"

#include "../Rng.h"
#include "Pca.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace ael {

ProbabilisticPca::ProbabilisticPca(const Pca &pca, int k)
{
    if (!pca.fitted()) throw std::invalid_argument("probabilistic PCA needs a fitted PCA");
    if (k < 0 || k > pca.stored())
        throw std::invalid_argument("probabilistic PCA: k = " + std::to_string(k) + " is outside 0.." +
                                    std::to_string(pca.stored()));
    const int d = pca.dim();
    const Eigen::VectorXd &lambda = pca.explainedVariance();
    // σ² = Σ_{i>k} λ_i / (d − k): the variance per discarded direction.
    sigma2_ = k < d ? lambda.tail(d - k).sum() / double(d - k) : 0.0;
    // W = U_k (Λ_k − σ² I)^{1/2}: column i is u_i scaled by √(λ_i − σ²) (≥ 0: λ is sorted decreasing).
    W_ = pca.componentsD(k);
    for (int i = 0; i < k; ++i) W_.col(i) *= std::sqrt(std::max(0.0, lambda(i) - sigma2_));
    mean_ = pca.mean().cast<double>();
}

Eigen::MatrixXd ProbabilisticPca::covariance() const
{
    // C = W Wᵀ + σ² I
    Eigen::MatrixXd C = W_ * W_.transpose();
    C.diagonal().array() += sigma2_;
    return C;
}

Matrix ProbabilisticPca::decodeMean(const Eigen::MatrixXd &H) const
{
    if (H.rows() != W_.cols()) throw std::invalid_argument("probabilistic PCA: factors have the wrong size");
    // W h + μ for each column h
    Eigen::MatrixXd X = W_ * H;
    X.colwise() += mean_;
    return X.cast<float>();
}

Matrix ProbabilisticPca::sample(int n, Rng &rng) const
{
    const int d = dim(), k = latent();
    Eigen::MatrixXd H(k, std::max(0, n));
    Eigen::MatrixXd E(d, std::max(0, n));
    for (int j = 0; j < n; ++j) {
        for (int i = 0; i < k; ++i) H(i, j) = rng.normal();  // h ~ N(0, I_k)
        for (int i = 0; i < d; ++i) E(i, j) = rng.normal();  // ε ~ N(0, I_d)
    }
    // x = W h + μ + σ ε
    Eigen::MatrixXd X = W_ * H + std::sqrt(sigma2_) * E;
    X.colwise() += mean_;
    return X.cast<float>();
}

}  // namespace ael
