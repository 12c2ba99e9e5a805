#include "Subspace.h"

#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ael {

namespace {
constexpr double kRadToDeg = 57.29577951308232;  // 180 / π
}

Eigen::MatrixXd orthonormalBasis(const MatRefD &A)
{
    if (A.rows() == 0 || A.cols() == 0) return Eigen::MatrixXd(A.rows(), 0);
    // A = U Σ Vᵀ; the left singular vectors with σ_i > tol span the column space of A, also when
    // A is rank-deficient (where a QR's thin Q would carry arbitrary extra columns).
    Eigen::BDCSVD<Eigen::MatrixXd> svd(A, Eigen::ComputeThinU);
    const Eigen::VectorXd &s = svd.singularValues();  // descending
    // Same default threshold as numpy.linalg.matrix_rank:  σ_max · max(d, k) · ε
    const double tol = s(0) * double(std::max(A.rows(), A.cols())) * std::numeric_limits<double>::epsilon();
    int r = 0;
    while (r < s.size() && s(r) > tol) ++r;
    return svd.matrixU().leftCols(r);
}

Eigen::VectorXd principalAnglesDeg(const MatRefD &A, const MatRefD &B)
{
    if (A.rows() != B.rows()) throw std::invalid_argument("principalAnglesDeg: A and B live in different spaces");
    Eigen::MatrixXd QA = orthonormalBasis(A), QB = orthonormalBasis(B);
    if (QA.cols() < QB.cols()) std::swap(QA, QB);  // so r_A ≥ r_B and r = r_B
    const Eigen::Index r = QB.cols();
    if (r == 0) return Eigen::VectorXd(0);

    // cos θ_i = σ_i(Q_Aᵀ Q_B), descending  ⇒  θ ascending
    const Eigen::MatrixXd M = QA.transpose() * QB;  // r_A x r_B
    const Eigen::VectorXd cosines = Eigen::BDCSVD<Eigen::MatrixXd>(M).singularValues();
    // sin θ_i = σ(Q_B − Q_A Q_Aᵀ Q_B), ascending after reversing  ⇒  θ ascending
    const Eigen::MatrixXd P = QB - QA * M;  // d x r_B, the part of span B orthogonal to span A
    const Eigen::VectorXd sinesDesc = Eigen::BDCSVD<Eigen::MatrixXd>(P).singularValues();

    Eigen::VectorXd theta(r);
    for (Eigen::Index i = 0; i < r; ++i) {
        const double c = std::clamp(cosines(i), -1.0, 1.0);
        const double s = std::clamp(sinesDesc(r - 1 - i), -1.0, 1.0);
        // θ = acos c for large angles, asin s for small ones (where acos is ill-conditioned)
        theta(i) = (c * c < 0.5 ? std::acos(c) : std::asin(s)) * kRadToDeg;
    }
    std::sort(theta.data(), theta.data() + r);  // already ascending up to round-off at the switch
    return theta;
}

Eigen::VectorXd principalAnglesDeg(const MatRefF &A, const MatRefF &B)
{
    return principalAnglesDeg(Eigen::MatrixXd(A.cast<double>()), Eigen::MatrixXd(B.cast<double>()));
}

double largestPrincipalAngleDeg(const MatRefD &A, const MatRefD &B)
{
    const Eigen::VectorXd theta = principalAnglesDeg(A, B);
    if (theta.size() == 0) return std::numeric_limits<double>::quiet_NaN();
    return theta(theta.size() - 1);
}

double largestPrincipalAngleDeg(const MatRefF &A, const MatRefF &B)
{
    return largestPrincipalAngleDeg(Eigen::MatrixXd(A.cast<double>()), Eigen::MatrixXd(B.cast<double>()));
}

}  // namespace ael
