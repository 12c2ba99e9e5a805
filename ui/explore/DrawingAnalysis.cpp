#include "DrawingAnalysis.h"

#include "core/data/Dataset.h"
#include "core/nn/Model.h"
#include "core/parallel/ThreadPool.h"
#include "core/train/Corruption.h"
#include "ui/training/DataBundle.h"

#include <QCoreApplication>

#include <algorithm>
#include <chrono>
#include <numeric>

struct DrawingAnalysis::Impl {
    // The searched images stay bytes in the data set (a float copy of 10,000 Fashion-MNIST images would
    // hold 31 MB for as long as the window lives); searchedDots converts a few at a time.
    ael::Matrix chunk;           ///< d × ≤ 512 searched images in [0, 1]
    Eigen::VectorXf norms2;      ///< ‖x_j‖² of each searched image (computed at the first search)
    ael::ForwardPass<float> pass;
    ael::Matrix X, Xt;
    ael::Corruption corruption{ael::CorruptionKind::None, 0};
    // Neighbour cache: the last input and its answer (a new model does not change neighbours).
    std::vector<float> nnInput;
    std::vector<int> nn;
    std::vector<double> nnDist;
};

namespace {

double mse(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += double(a[i] - b[i]) * double(a[i] - b[i]);
    return n ? s / double(n) : 0;
}

std::vector<float> toVector(const ael::Matrix &M) { return {M.data(), M.data() + M.size()}; }

/// y_jᵀx for every searched image y_j, converted `chunk` images at a time (and their ‖y_j‖² into
/// norms2 when it does not have one per image yet).
Eigen::VectorXf searchedDots(const ael::Dataset &data, const std::vector<int> &searched,
                             const Eigen::Ref<const Eigen::VectorXf> &x, ael::Matrix &chunk, Eigen::VectorXf &norms2)
{
    constexpr int kChunk = 512;
    const int n = int(searched.size());
    const bool norms = norms2.size() != n;
    if (norms) norms2.resize(n);
    Eigen::VectorXf dots(n);
    for (int first = 0; first < n; first += kChunk) {
        const int cnt = std::min(kChunk, n - first);
        data.batch(searched.data() + first, cnt, chunk);
        dots.segment(first, cnt).noalias() = chunk.transpose() * x;
        if (norms) norms2.segment(first, cnt) = chunk.colwise().squaredNorm().transpose();
    }
    return dots;
}

/// Runs engine products on the calling (GUI) thread: the engine's pool belongs to the trainer.
struct SerialHere {
    bool was = !ael::ThreadPool::instance().parallelHere();
    SerialHere() { ael::ThreadPool::setSerialOnThisThread(true); }
    ~SerialHere() { ael::ThreadPool::setSerialOnThisThread(was); }
};

}  // namespace

DrawingAnalysis::DrawingAnalysis() : d(std::make_unique<Impl>()) {}
DrawingAnalysis::~DrawingAnalysis() = default;

void DrawingAnalysis::setModel(std::shared_ptr<const ael::Model<float>> model) { m_model = std::move(model); }
void DrawingAnalysis::setPca(std::shared_ptr<const PcaSummary> pca) { m_pca = std::move(pca); }

void DrawingAnalysis::setCorruption(const ael::Corruption &c, bool enabled)
{
    d->corruption = c;
    m_corrupt = enabled;
}

const ael::Corruption &DrawingAnalysis::corruption() const { return d->corruption; }

void DrawingAnalysis::setData(std::shared_ptr<const ael::Dataset> train)
{
    if (train == m_data) return;
    m_data = std::move(train);
    m_searched.clear();
    d->nnInput.clear();
    d->norms2.resize(0);
    if (!m_data || m_data->empty()) return;
    const int n = std::min(m_data->size(), kMaxSearched);
    m_searched.resize(size_t(n));
    for (int i = 0; i < n; ++i) m_searched[size_t(i)] = int(int64_t(i) * m_data->size() / n);  // evenly spaced
}

DrawingResult DrawingAnalysis::analyze(const DigitInput &x)
{
    const auto t0 = std::chrono::steady_clock::now();
    DrawingResult r;
    const int dim = x.rows * x.cols;
    if (x.empty || x.pixels.size() != size_t(dim)) {
        r.why = QCoreApplication::translate("DrawingAnalysis", "nothing drawn");
        return r;
    }
    SerialHere serial;
    d->X = Eigen::Map<const ael::Matrix>(x.pixels.data(), dim, 1);
    const ael::Matrix *in = &d->X;
    if (m_corrupt && d->corruption.kind != ael::CorruptionKind::None) {
        ael::Rng rng(kCorruptionSeed);
        ael::corrupt(d->X, d->Xt, d->corruption, rng);
        r.corrupted = true;
        r.xt = toVector(d->Xt);
        r.xtMse = mse(r.xt.data(), x.pixels.data(), size_t(dim));
        in = &d->Xt;
    }

    // The autoencoder: x̂ = g(f(x̃)) with the deterministic code (μ, no sampling, for the VAE).
    if (m_model && m_model->arch().input == dim) {
        m_model->forward(*in, d->pass, nullptr);
        r.ae = toVector(d->pass.output());
        r.aeMse = mse(r.ae.data(), x.pixels.data(), size_t(dim));
        r.aeCode = toVector(d->pass.h);
        const int k = int(r.aeCode.size());
        r.aeCode2d = QPointF(k > 0 ? r.aeCode[0] : 0.0, k > 1 ? r.aeCode[1] : 0.0);
    } else if (m_model) {
        r.why = QCoreApplication::translate("DrawingAnalysis", "the model takes %1 pixels, the drawing has %2×%3")
                    .arg(m_model->arch().input).arg(x.rows).arg(x.cols);
    }

    // PCA-k of the clean x, k = min(code size, d, fitted n − 1) (2 when there is no model).
    if (m_pca && m_pca->pca.fitted() && m_pca->pca.dim() == dim) {
        const ael::Pca &pca = m_pca->pca;
        const int code = m_model ? m_model->arch().code : 2;
        r.pcaK = std::max(0, std::min({code, pca.dim(), pca.samples() - 1}));
        r.pca = toVector(pca.reconstruct(pca.project(d->X, r.pcaK)));
        r.pcaMse = mse(r.pca.data(), x.pixels.data(), size_t(dim));
        const ael::Matrix Z = pca.project(d->X, std::min(2, pca.dim()));  // as PcaSummary::testPc12
        r.pcaCode2d = QPointF(Z.rows() > 0 ? Z(0, 0) : 0.0, Z.rows() > 1 ? Z(1, 0) : 0.0);
    }

    // Nearest training digits of the clean x: ‖x − y_j‖² = ‖x‖² − 2 y_jᵀx + ‖y_j‖², brute force.
    if (m_data && m_data->dim() == dim && !m_searched.empty()) {
        if (d->nnInput != x.pixels || int(d->nn.size()) != std::min<int>(m_neighbours, int(m_searched.size()))) {
            const Eigen::VectorXf dots = searchedDots(*m_data, m_searched, d->X.col(0), d->chunk, d->norms2);
            const float xx = d->X.col(0).squaredNorm();
            std::vector<float> dist2(size_t(dots.size()));
            for (Eigen::Index j = 0; j < dots.size(); ++j)
                dist2[size_t(j)] = std::max(0.0f, xx - 2 * dots(j) + d->norms2(j));
            std::vector<int> order(dist2.size());
            std::iota(order.begin(), order.end(), 0);
            const int m = std::min<int>(m_neighbours, int(order.size()));
            std::partial_sort(order.begin(), order.begin() + m, order.end(), [&](int a, int b) {
                return dist2[size_t(a)] < dist2[size_t(b)] || (dist2[size_t(a)] == dist2[size_t(b)] && a < b);
            });
            d->nn.clear();
            d->nnDist.clear();
            for (int i = 0; i < m; ++i) {
                d->nn.push_back(m_searched[size_t(order[size_t(i)])]);
                d->nnDist.push_back(std::sqrt(double(dist2[size_t(order[size_t(i)])])));
            }
            d->nnInput = x.pixels;
        }
        r.nearest = d->nn;
        r.nearestDistance = d->nnDist;
    }
    r.valid = true;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}
