#include "LayerProducts.h"

#include "Products.h"
#include "SparseInput.h"

#include <chrono>
#include <stdexcept>

namespace ael {

struct LayerProducts::Layer {
    Matrix W, b, dW, db;
    Matrix X;   ///< the input when it is not the previous layer's Z (the first layer; the variational decoder's)
    Matrix Z;   ///< Z = W X + b 1ᵀ; the next layer's input (standing in for f(Z))
    Matrix dZ;  ///< ∂L/∂Z (fixed: no derivative of an activation is applied)
    Matrix dX;  ///< Wᵀ dZ
    Matrix partials;  ///< the other threads' partial sums of dW and db
};

LayerProducts::LayerProducts(const Architecture &a, int batch, const Matrix *data)
{
    if (a.tied) throw std::invalid_argument("LayerProducts: a tied model's decoder multiplies by Wᵀ");
    if (batch < 1) throw std::invalid_argument("LayerProducts: the batch must hold a sample");
    // Small values, so that nothing overflows or turns denormal however many steps run.
    auto random = [](long r, long c) { return Matrix(Matrix::Random(r, c) * 0.01f); };
    for (const LayerSpec &s : a.layers()) {
        Layer l;
        // The variational code layer gives [μ; log σ²] (2k rows); the decoder multiplies h (k rows).
        if (layers_.empty() || layers_.back().W.rows() != s.in) l.X = random(s.in, batch);
        l.W = random(s.out, s.in);
        l.b = random(s.out, 1);
        l.dW.resize(s.out, s.in);
        l.db.resize(s.out, 1);
        l.dZ = random(s.out, batch);
        layers_.push_back(std::move(l));
    }
    if (data) {
        if (data->rows() != layers_.front().X.rows() || data->cols() != batch)
            throw std::invalid_argument("LayerProducts: the data must be inputs × batch");
        layers_.front().X = *data;
        sparse_ = std::make_unique<SparseInput>();
    }
}

LayerProducts::~LayerProducts() = default;

const Matrix &LayerProducts::input(size_t layer) const
{
    return layers_[layer].X.size() ? layers_[layer].X : layers_[layer - 1].Z;
}

void LayerProducts::step(double *seconds)
{
    size_t call = 0;
    // Runs one call, adding its wall time to seconds[call] when asked.
    const auto timed = [&](auto &&f) {
        if (!seconds) return f();
        const auto t0 = std::chrono::steady_clock::now();
        f();
        seconds[call++] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    // Forward, as Dense::forward (its epilogue would apply the activation).
    const BlockFn none = [](long, long, long, long) {};
    if (sparse_) timed([&] { sparseFirst_ = sparse_->index(layers_.front().X, layers_.front().W.rows()); });
    for (size_t i = 0; i < layers_.size(); ++i) {
        timed([&] {
            if (i == 0 && sparseFirst_) sparse_->affine(layers_[0].W, layers_[0].X, layers_[0].b, layers_[0].Z, none);
            else affine<float>(layers_[i].W, input(i), layers_[i].b, layers_[i].Z, none);
        });
    }
    // Backward, as Dense::backward after Model::markGradsStale (so every gradient is overwritten).
    for (size_t i = layers_.size(); i-- > 0;) {
        Layer &l = layers_[i];
        timed([&] {
            if (i == 0 && sparseFirst_) sparse_->gradients(none, l.dZ, l.X, l.dW, l.db, l.partials, true, true);
            else affineGradients<float>(none, l.dZ, input(i), l.dW, l.db, l.partials, true, true);
        });
        if (i > 0) timed([&] { transposedProduct<float>(l.W, l.dZ, l.dX); });
    }
}

std::vector<ProductCall> LayerProducts::calls() const
{
    std::vector<ProductCall> c;
    if (sparse_) c.push_back({"index of the first layer's nonzero inputs", 0});
    const auto shape = [&](size_t i) {
        return std::to_string(layers_[i].W.cols()) + "→" + std::to_string(layers_[i].W.rows()) + "  ";
    };
    const auto work = [&](size_t i) { return double(layers_[i].W.size()) * double(input(i).cols()); };
    for (size_t i = 0; i < layers_.size(); ++i)
        c.push_back({shape(i) + "Z = W X + b" + (i == 0 && sparseFirst_ ? " (sparse)" : ""), work(i)});
    for (size_t i = layers_.size(); i-- > 0;) {
        c.push_back({shape(i) + "dW = dZ Xᵀ, db" + (i == 0 && sparseFirst_ ? " (sparse)" : ""), work(i)});
        if (i > 0) c.push_back({shape(i) + "dX = Wᵀ dZ", work(i)});
    }
    return c;
}

}  // namespace ael
