#include "LayerProducts.h"

#include "Products.h"

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

LayerProducts::LayerProducts(const Architecture &a, int batch)
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
}

LayerProducts::~LayerProducts() = default;

const Matrix &LayerProducts::input(size_t layer) const
{
    return layers_[layer].X.size() ? layers_[layer].X : layers_[layer - 1].Z;
}

void LayerProducts::step()
{
    // Forward, as Dense::forward (its epilogue would apply the activation).
    const BlockFn none = [](long, long, long, long) {};
    for (size_t i = 0; i < layers_.size(); ++i) affine<float>(layers_[i].W, input(i), layers_[i].b, layers_[i].Z, none);
    // Backward, as Dense::backward after Model::markGradsStale (so every gradient is overwritten).
    for (size_t i = layers_.size(); i-- > 0;) {
        Layer &l = layers_[i];
        affineGradients<float>([](long, long, long, long) {}, l.dZ, input(i), l.dW, l.db, l.partials, true, true);
        if (i > 0) transposedProduct<float>(l.W, l.dZ, l.dX);
    }
}

}  // namespace ael
