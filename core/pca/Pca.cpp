#include "Pca.h"

#include "../data/Dataset.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace ael {

/// What a fit produces: μ (d), all d eigenvalues (decreasing, zeros past the rank) and the stored
/// components (d x K).
struct PcaFit {
    Eigen::VectorXd mean, lambda;
    Eigen::MatrixXd W;
};

namespace {

// Columns converted to double at a time: about 8 MB (1024 MNIST images; 16 of 255x255).
int chunkColumns(int d) { return std::clamp(int((size_t(8) << 20) / (8 * size_t(std::max(d, 1)))), 1, 1024); }

/// The samples of a fit, as double columns or as blocks of rows (pixels) of chosen columns.
class Source {
public:
    virtual ~Source() = default;
    virtual int dim() const = 0;
    virtual int size() const = 0;
    /// Columns [first, first + m) into out (d x m).
    virtual void columns(int first, int m, Eigen::MatrixXd &out) const = 0;
    /// Rows [p0, p0 + rows) of the columns idx into out (rows x idx.size()).
    virtual void rows(int p0, int rows, const std::vector<int> &idx, Eigen::MatrixXd &out) const = 0;
};

class MatrixSource final : public Source {
public:
    explicit MatrixSource(const Matrix &X) : X_(X) {}
    int dim() const override { return int(X_.rows()); }
    int size() const override { return int(X_.cols()); }
    void columns(int first, int m, Eigen::MatrixXd &out) const override
    {
        out = X_.middleCols(first, m).cast<double>();
    }
    void rows(int p0, int rows, const std::vector<int> &idx, Eigen::MatrixXd &out) const override
    {
        out.resize(rows, Eigen::Index(idx.size()));
        for (size_t j = 0; j < idx.size(); ++j) out.col(Eigen::Index(j)) = X_.col(idx[j]).segment(p0, rows).cast<double>();
    }

private:
    const Matrix &X_;
};

class DatasetSource final : public Source {
public:
    explicit DatasetSource(const Dataset &d) : d_(d) {}
    int dim() const override { return d_.dim(); }
    int size() const override { return d_.size(); }
    void columns(int first, int m, Eigen::MatrixXd &out) const override
    {
        d_.range(first, m, tmp_);  // the same float pixels the rest of the engine sees
        out = tmp_.cast<double>();
    }
    void rows(int p0, int rows, const std::vector<int> &idx, Eigen::MatrixXd &out) const override
    {
        out.resize(rows, Eigen::Index(idx.size()));
        for (size_t j = 0; j < idx.size(); ++j) {
            const uint8_t *px = d_.image(idx[j]) + p0;
            for (int i = 0; i < rows; ++i) out(i, Eigen::Index(j)) = double(float(px[i]) * (1.0f / 255.0f));
        }
    }

private:
    const Dataset &d_;
    mutable Matrix tmp_;
};

// Calls f(Xchunk) for consecutive column blocks of the source, Xchunk a d x m double matrix.
template <class F> void forChunks(const Source &src, F &&f)
{
    Eigen::MatrixXd chunk;
    const int n = src.size(), step = chunkColumns(src.dim());
    for (int first = 0; first < n; first += step) {
        const int m = std::min(step, n - first);
        src.columns(first, m, chunk);
        f(chunk);
    }
}

/// Sign convention: the entry of largest magnitude is positive (w and −w are both eigenvectors).
void fixSign(Eigen::Ref<Eigen::VectorXd> w)
{
    Eigen::Index imax;
    w.cwiseAbs().maxCoeff(&imax);
    if (w(imax) < 0) w = -w;
}

std::string gigabytes(size_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2g GB", double(bytes) / 1e9);
    return buf;
}

bool usesGram(int d) { return d > Pca::kMaxCovarianceDim; }

/// Evenly spaced sample indices: all n, or kMaxGramSamples of them.
std::vector<int> gramSamples(int n)
{
    const int m = std::min(n, Pca::kMaxGramSamples);
    std::vector<int> idx(static_cast<size_t>(m));
    for (int j = 0; j < m; ++j) idx[size_t(j)] = int((long long)j * n / m);
    return idx;
}

int storedFor(int d, int m)
{
    return std::max(0, std::min(m - 1, int(Pca::kMaxStoredBytes / (8 * size_t(d)))));
}

// d ≤ kMaxCovarianceDim: the d x d covariance, every component.
PcaFit fitCovariance(const Source &src)
{
    const int d = src.dim(), n = src.size();
    PcaFit r;
    // Pass 1:  μ = Σ_j x_j / n
    r.mean = Eigen::VectorXd::Zero(d);
    forChunks(src, [&](const Eigen::MatrixXd &X) { r.mean += X.rowwise().sum(); });
    r.mean /= double(n);

    // Pass 2 (centred, so no cancellation):  C = Σ_j (x_j − μ)(x_j − μ)ᵀ / (n − 1)
    // rankUpdate fills only the lower triangle (half the flops), which is all the solver reads.
    Eigen::MatrixXd C = Eigen::MatrixXd::Zero(d, d);
    Eigen::MatrixXd Xc;
    forChunks(src, [&](const Eigen::MatrixXd &X) {
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
        fixSign(r.W.col(i));
    }
    return r;
}

// d > kMaxCovarianceDim: the m x m Gram matrix of (at most kMaxGramSamples) centred samples, built
// and turned into components a block of pixel rows at a time, so no d x m copy is ever made.
PcaFit fitGram(const Source &src)
{
    const int d = src.dim();
    const std::vector<int> idx = gramSamples(src.size());
    const int m = int(idx.size());
    const int block = std::max(1, chunkColumns(m));  // rows of m doubles: ~8 MB a block
    PcaFit r;
    r.mean = Eigen::VectorXd::Zero(d);
    Eigen::MatrixXd B;
    for (int p0 = 0; p0 < d; p0 += block) {
        const int rows = std::min(block, d - p0);
        src.rows(p0, rows, idx, B);
        r.mean.segment(p0, rows) = B.rowwise().mean();
    }
    Eigen::MatrixXd G = Eigen::MatrixXd::Zero(m, m);
    for (int p0 = 0; p0 < d; p0 += block) {
        const int rows = std::min(block, d - p0);
        src.rows(p0, rows, idx, B);
        B.colwise() -= r.mean.segment(p0, rows);
        G.selfadjointView<Eigen::Lower>().rankUpdate(B.transpose());  // G += Bᵀ B
    }
    G /= double(std::max(m - 1, 1));
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(G, Eigen::ComputeEigenvectors);
    if (es.info() != Eigen::Success) throw std::runtime_error("Pca::fit: eigen-decomposition failed");
    G.resize(0, 0);

    r.lambda = Eigen::VectorXd::Zero(d);
    for (int i = 0; i < m; ++i) r.lambda(i) = std::max(0.0, es.eigenvalues()(m - 1 - i));
    // Components with a real variance (relative to the largest) only: the rest are round-off.
    int k = 0;
    const int limit = storedFor(d, m);
    while (k < limit && r.lambda(k) > 1e-12 * std::max(r.lambda(0), 1e-300)) ++k;
    // w_i = X̃ u_i / √((m − 1) λ_i), a block of pixel rows at a time
    Eigen::MatrixXd U(m, k);
    for (int i = 0; i < k; ++i) U.col(i) = es.eigenvectors().col(m - 1 - i) / std::sqrt(double(std::max(m - 1, 1)) * r.lambda(i));
    r.W.resize(d, k);
    for (int p0 = 0; p0 < d; p0 += block) {
        const int rows = std::min(block, d - p0);
        src.rows(p0, rows, idx, B);
        B.colwise() -= r.mean.segment(p0, rows);
        r.W.middleRows(p0, rows).noalias() = B * U;
    }
    for (int i = 0; i < k; ++i) {
        r.W.col(i).normalize();  // exact in theory; removes the round-off of small λ_i
        fixSign(r.W.col(i));
    }
    return r;
}

PcaFit fitImpl(const Source &src)
{
    const int d = src.dim(), n = src.size();
    if (d <= 0 || n <= 0) throw std::invalid_argument("Pca::fit: no data");
    const size_t need = Pca::bytesNeeded(d, n);
    if (need > Pca::kMaxFitBytes)
        throw PcaTooLarge("PCA of " + std::to_string(n) + " images of " + std::to_string(d) + " pixels would need " +
                          gigabytes(need) + ", more than the limit of " + gigabytes(Pca::kMaxFitBytes));
    return usesGram(d) ? fitGram(src) : fitCovariance(src);
}

}  // namespace

size_t Pca::bytesNeeded(int d, int n)
{
    const size_t D = size_t(std::max(d, 1));
    const size_t chunk = 8 * D * size_t(chunkColumns(d)) * 2;  // a converted chunk and its centred copy
    if (!usesGram(d)) return 8 * D * D * 3 + chunk;           // C, the solver's eigenvectors and workspace
    const size_t m = size_t(std::min(n, kMaxGramSamples));
    const size_t k = size_t(storedFor(d, int(m)));
    return 8 * m * m * 3 + 12 * D * k + 8 * D + chunk;  // G and the solver; W in double and float; μ
}

void Pca::adopt(PcaFit &&r, int n)
{
    n_ = n;
    meanD_ = std::move(r.mean);
    lambda_ = std::move(r.lambda);
    Wd_ = std::move(r.W);
    mean_ = meanD_.cast<float>();
    W_ = Wd_.cast<float>();
}

void Pca::fit(const Matrix &X)
{
    const MatrixSource src(X);
    adopt(fitImpl(src), usesGram(src.dim()) ? std::min(src.size(), kMaxGramSamples) : src.size());
}

void Pca::fit(const Dataset &data)
{
    const DatasetSource src(data);
    adopt(fitImpl(src), usesGram(src.dim()) ? std::min(src.size(), kMaxGramSamples) : src.size());
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
    Matrix W = Matrix::Zero(dim(), k);
    const int s = std::min(k, stored());
    W.leftCols(s) = W_.leftCols(s);
    return W;
}

Eigen::MatrixXd Pca::componentsD(int k) const
{
    checkK(k, "componentsD");
    Eigen::MatrixXd W = Eigen::MatrixXd::Zero(dim(), k);
    const int s = std::min(k, stored());
    W.leftCols(s) = Wd_.leftCols(s);
    return W;
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
    const int s = std::min(k, stored());
    Matrix Z = Matrix::Zero(k, X.cols());
    Z.topRows(s) = W_.leftCols(s).transpose() * (X.colwise() - mean_);  // Z = Wᵀ (X − μ 1ᵀ)
    return Z;
}

Matrix Pca::reconstruct(const Matrix &codes) const
{
    const int k = int(codes.rows());
    checkK(k, "reconstruct");
    const int s = std::min(k, stored());
    return (W_.leftCols(s) * codes.topRows(s)).colwise() + mean_;  // X̂ = μ 1ᵀ + W Z
}

namespace {

// Σ over the chunks of ‖(I − W Wᵀ)(X − μ 1ᵀ)‖²_F in double.
double residualSum(const Source &src, const Eigen::VectorXd &mu, const Eigen::MatrixXd &W)
{
    double sum = 0;
    Eigen::MatrixXd Xc, Z;
    forChunks(src, [&](const Eigen::MatrixXd &X) {
        Xc = X.colwise() - mu;            // X − μ 1ᵀ
        Z.noalias() = W.transpose() * Xc;  // Z = Wᵀ (X − μ 1ᵀ)
        Xc.noalias() -= W * Z;            // R = (X − μ 1ᵀ) − W Z = X − X̂
        sum += Xc.squaredNorm();
    });
    return sum;
}

// MSE_k = (‖X − μ 1ᵀ‖² − Σ_{i≤k} s_i) / (d n), s_i = Σ_j (w_iᵀ (x_j − μ))², for k = 0..d; flat past
// the stored components. With a complete basis this is Σ_{i>k} s_i / (d n), computed as such (no
// cancellation) from the tail.
Eigen::VectorXd mseCurve(const Source &src, const Eigen::VectorXd &mu, const Eigen::MatrixXd &W)
{
    const int d = src.dim(), n = src.size(), k = int(W.cols());
    Eigen::VectorXd s = Eigen::VectorXd::Zero(k);
    double total = 0;
    Eigen::MatrixXd Xc, Z;
    forChunks(src, [&](const Eigen::MatrixXd &X) {
        Xc = X.colwise() - mu;
        Z.noalias() = W.transpose() * Xc;
        s += Z.rowwise().squaredNorm();
        total += Xc.squaredNorm();
    });
    Eigen::VectorXd mse(d + 1);
    double tail = k == d ? 0.0 : std::max(0.0, total - s.sum());  // energy outside the stored components
    for (int i = d; i > k; --i) mse(i) = tail;
    mse(k) = tail;
    for (int i = k - 1; i >= 0; --i) {
        tail += s(i);
        mse(i) = tail;
    }
    return mse / (double(d) * double(n));
}

}  // namespace

double Pca::reconstructionMse(const Matrix &X, int k) const
{
    checkK(k, "reconstructionMse");
    if (X.rows() != dim()) throw std::invalid_argument("Pca::reconstructionMse: X has the wrong number of rows");
    if (X.cols() == 0) return 0.0;
    const double sum = residualSum(MatrixSource(X), meanD_, Wd_.leftCols(std::min(k, stored())));
    return sum / (double(X.rows()) * double(X.cols()));  // mean over d x n
}

double Pca::reconstructionMse(const Dataset &data, int k) const
{
    checkK(k, "reconstructionMse");
    if (data.dim() != dim()) throw std::invalid_argument("Pca::reconstructionMse: data set has the wrong dim");
    if (data.empty()) return 0.0;
    const double sum = residualSum(DatasetSource(data), meanD_, Wd_.leftCols(std::min(k, stored())));
    return sum / (double(data.dim()) * double(data.size()));
}

Eigen::VectorXd Pca::reconstructionMseCurve(const Matrix &X) const
{
    checkFitted();
    if (X.rows() != dim()) throw std::invalid_argument("Pca::reconstructionMseCurve: X has the wrong number of rows");
    if (X.cols() == 0) return Eigen::VectorXd::Zero(dim() + 1);
    return mseCurve(MatrixSource(X), meanD_, Wd_);
}

Eigen::VectorXd Pca::reconstructionMseCurve(const Dataset &data) const
{
    checkFitted();
    if (data.dim() != dim()) throw std::invalid_argument("Pca::reconstructionMseCurve: data set has the wrong dim");
    if (data.empty()) return Eigen::VectorXd::Zero(dim() + 1);
    return mseCurve(DatasetSource(data), meanD_, Wd_);
}

}  // namespace ael
