#include "Pca.h"

#include "../data/Dataset.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace ael {

namespace {

// Columns converted to double per step: 1024 x 784 doubles = 6.4 MB for MNIST-sized images.
constexpr int kChunk = 1024;

// Calls f(Xchunk) for consecutive column blocks of the source, Xchunk a d x m double matrix.
// get(first, m, out) must write columns [first, first + m) into out.
template <class Get, class F> void forChunks(int n, Get &&get, F &&f)
{
    Eigen::MatrixXd chunk;
    for (int first = 0; first < n; first += kChunk) {
        const int m = std::min(kChunk, n - first);
        get(first, m, chunk);
        f(chunk);
    }
}

auto matrixSource(const Matrix &X)
{
    return [&X](int first, int m, Eigen::MatrixXd &out) { out = X.middleCols(first, m).cast<double>(); };
}

auto datasetSource(const Dataset &data)
{
    return [&data, tmp = Matrix()](int first, int m, Eigen::MatrixXd &out) mutable {
        data.range(first, m, tmp);  // the same float pixels the rest of the engine sees
        out = tmp.cast<double>();
    };
}

struct FitResult {
    Eigen::VectorXd mean, lambda;
    Eigen::MatrixXd W;
};

template <class Get> FitResult fitImpl(int d, int n, Get &&get)
{
    if (d <= 0 || n <= 0) throw std::invalid_argument("Pca::fit: no data");
    FitResult r;

    // Pass 1:  μ = Σ_j x_j / n
    r.mean = Eigen::VectorXd::Zero(d);
    forChunks(n, get, [&](const Eigen::MatrixXd &X) { r.mean += X.rowwise().sum(); });
    r.mean /= double(n);

    // Pass 2 (centred, so no cancellation):  C = Σ_j (x_j − μ)(x_j − μ)ᵀ / (n − 1)
    // rankUpdate fills only the lower triangle (half the flops), which is all the solver reads.
    Eigen::MatrixXd C = Eigen::MatrixXd::Zero(d, d);
    Eigen::MatrixXd Xc;
    forChunks(n, get, [&](const Eigen::MatrixXd &X) {
        Xc = X.colwise() - r.mean;
        C.selfadjointView<Eigen::Lower>().rankUpdate(Xc);  // C += Xc Xcᵀ
    });
    C /= double(std::max(n - 1, 1));

    // C = V Λ Vᵀ; Eigen returns eigenvalues ascending, we want them descending.
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(C, Eigen::ComputeEigenvectors);
    if (es.info() != Eigen::Success) throw std::runtime_error("Pca::fit: eigen-decomposition failed");
    r.lambda.resize(d);
    r.W.resize(d, d);
    for (int i = 0; i < d; ++i) {
        r.lambda(i) = std::max(0.0, es.eigenvalues()(d - 1 - i));  // round-off can give −1e-17
        r.W.col(i) = es.eigenvectors().col(d - 1 - i);
        // Sign convention: the entry of largest magnitude is positive (w and −w are both eigenvectors).
        Eigen::Index imax;
        r.W.col(i).cwiseAbs().maxCoeff(&imax);
        if (r.W(imax, i) < 0) r.W.col(i) = -r.W.col(i);
    }
    return r;
}

}  // namespace

void Pca::fit(const Matrix &X)
{
    FitResult r = fitImpl(int(X.rows()), int(X.cols()), matrixSource(X));
    n_ = int(X.cols());
    meanD_ = std::move(r.mean);
    lambda_ = std::move(r.lambda);
    Wd_ = std::move(r.W);
    mean_ = meanD_.cast<float>();
    W_ = Wd_.cast<float>();
}

void Pca::fit(const Dataset &data)
{
    FitResult r = fitImpl(data.dim(), data.size(), datasetSource(data));
    n_ = data.size();
    meanD_ = std::move(r.mean);
    lambda_ = std::move(r.lambda);
    Wd_ = std::move(r.W);
    mean_ = meanD_.cast<float>();
    W_ = Wd_.cast<float>();
}

void Pca::checkFitted() const
{
    if (!fitted()) throw std::logic_error("Pca: not fitted");
}

void Pca::checkK(int k, const char *what) const
{
    checkFitted();
    if (k < 0 || k > dim())
        throw std::out_of_range(std::string("Pca::") + what + ": k = " + std::to_string(k) + " not in [0, " +
                                std::to_string(dim()) + "]");
}

Matrix Pca::components(int k) const
{
    checkK(k, "components");
    return W_.leftCols(k);
}

Eigen::MatrixXd Pca::componentsD(int k) const
{
    checkK(k, "componentsD");
    return Wd_.leftCols(k);
}

Eigen::VectorXd Pca::explainedVarianceRatio() const
{
    checkFitted();
    const double total = lambda_.sum();  // = trace C
    if (!(total > 0)) return Eigen::VectorXd::Zero(lambda_.size());
    return lambda_ / total;  // λ_i / Σ λ
}

double Pca::cumulativeRatio(int k) const
{
    checkK(k, "cumulativeRatio");
    const double total = lambda_.sum();
    if (!(total > 0)) return 0.0;
    return lambda_.head(k).sum() / total;  // Σ_{i≤k} λ_i / Σ λ
}

Matrix Pca::project(const Matrix &X, int k) const
{
    checkK(k, "project");
    if (X.rows() != dim()) throw std::invalid_argument("Pca::project: X has the wrong number of rows");
    return W_.leftCols(k).transpose() * (X.colwise() - mean_);  // Z = Wᵀ (X − μ 1ᵀ)
}

Matrix Pca::reconstruct(const Matrix &codes) const
{
    const int k = int(codes.rows());
    checkK(k, "reconstruct");
    return (W_.leftCols(k) * codes).colwise() + mean_;  // X̂ = μ 1ᵀ + W Z
}

namespace {

// Σ over the chunks of ‖(I − W Wᵀ)(X − μ 1ᵀ)‖²_F in double.
template <class Get>
double residualSum(int n, Get &&get, const Eigen::VectorXd &mu, const Eigen::MatrixXd &W)
{
    double sum = 0;
    Eigen::MatrixXd Xc, Z;
    forChunks(n, get, [&](const Eigen::MatrixXd &X) {
        Xc = X.colwise() - mu;       // X − μ 1ᵀ
        Z.noalias() = W.transpose() * Xc;   // Z = Wᵀ (X − μ 1ᵀ)
        Xc.noalias() -= W * Z;       // R = (X − μ 1ᵀ) − W Z = X − X̂
        sum += Xc.squaredNorm();
    });
    return sum;
}

// Per-component sums s_i = Σ_j (w_iᵀ (x_j − μ))², i = 1..d, over all chunks.
template <class Get>
Eigen::VectorXd codeEnergy(int n, Get &&get, const Eigen::VectorXd &mu, const Eigen::MatrixXd &W)
{
    Eigen::VectorXd s = Eigen::VectorXd::Zero(W.cols());
    Eigen::MatrixXd Xc, Z;
    forChunks(n, get, [&](const Eigen::MatrixXd &X) {
        Xc = X.colwise() - mu;
        Z.noalias() = W.transpose() * Xc;
        s += Z.rowwise().squaredNorm();
    });
    return s;
}

// MSE_k = Σ_{i>k} s_i / (d n) for k = 0..d  (W is a complete orthonormal basis, so the residual
// of the top-k reconstruction is exactly the energy in the discarded coordinates).
Eigen::VectorXd curveFromEnergy(const Eigen::VectorXd &s, int n)
{
    const int d = int(s.size());
    Eigen::VectorXd mse(d + 1);
    double tail = 0;
    mse(d) = 0;
    for (int k = d - 1; k >= 0; --k) {
        tail += s(k);
        mse(k) = tail;
    }
    return mse / (double(d) * double(n));
}

}  // namespace

double Pca::reconstructionMse(const Matrix &X, int k) const
{
    checkK(k, "reconstructionMse");
    if (X.rows() != dim()) throw std::invalid_argument("Pca::reconstructionMse: X has the wrong number of rows");
    if (X.cols() == 0) return 0.0;
    const double sum = residualSum(int(X.cols()), matrixSource(X), meanD_, Wd_.leftCols(k));
    return sum / (double(X.rows()) * double(X.cols()));  // mean over d x n
}

double Pca::reconstructionMse(const Dataset &data, int k) const
{
    checkK(k, "reconstructionMse");
    if (data.dim() != dim()) throw std::invalid_argument("Pca::reconstructionMse: data set has the wrong dim");
    if (data.empty()) return 0.0;
    const double sum = residualSum(data.size(), datasetSource(data), meanD_, Wd_.leftCols(k));
    return sum / (double(data.dim()) * double(data.size()));
}

Eigen::VectorXd Pca::reconstructionMseCurve(const Matrix &X) const
{
    checkFitted();
    if (X.rows() != dim()) throw std::invalid_argument("Pca::reconstructionMseCurve: X has the wrong number of rows");
    if (X.cols() == 0) return Eigen::VectorXd::Zero(dim() + 1);
    return curveFromEnergy(codeEnergy(int(X.cols()), matrixSource(X), meanD_, Wd_), int(X.cols()));
}

Eigen::VectorXd Pca::reconstructionMseCurve(const Dataset &data) const
{
    checkFitted();
    if (data.dim() != dim()) throw std::invalid_argument("Pca::reconstructionMseCurve: data set has the wrong dim");
    if (data.empty()) return Eigen::VectorXd::Zero(dim() + 1);
    return curveFromEnergy(codeEnergy(data.size(), datasetSource(data), meanD_, Wd_), data.size());
}

}  // namespace ael
