#pragma once
// The autoencoder: encoder h = f(x) (a stack of Dense layers ending in the code), decoder r = g(h).
// For the variational autoencoder the encoder is stochastic, p(h|x) = N(μ(x), diag σ²(x)): its last layer
// gives [μ; log σ²] (2k rows) and h = μ + σ ⊙ ε with ε ~ N(0, I) (the reparameterisation trick).
// The layers come from Architecture::layers(): Dense ones, and for tied weights a TiedDense decoder that
// uses the encoder's W transposed (W is one parameter with one optimizer slot).
#include "Architecture.h"
#include "Dense.h"
#include "TiedDense.h"

#include <string>
#include <vector>

namespace ael {

class Rng;

/// Everything one forward pass computed, kept for backward. Terms add their code gradients here.
template <class S> struct ForwardPass {
    const Mat<S> *input = nullptr;   ///< what the encoder saw (x, or the corrupted x̃)
    std::vector<LayerCache<S>> enc;  ///< one per encoder layer
    std::vector<LayerCache<S>> dec;  ///< one per decoder layer
    Mat<S> mu, logvar, eps;          ///< variational only (k x B each)
    Mat<S> h;                        ///< the code fed to the decoder (k x B)
    // Extra gradients that regularizer terms add before Model::backward (empty = none):
    Mat<S> dCode;                    ///< ∂Ω/∂h
    Mat<S> dMu, dLogvar;             ///< ∂Ω/∂μ, ∂Ω/∂log σ² (the variational KL)

    const Mat<S> &output() const { return dec.back().out; }  ///< the reconstruction x̂
    void clearExtraGradients() { dCode.resize(0, 0); dMu.resize(0, 0); dLogvar.resize(0, 0); }
};

template <class S> class Model {
public:
    explicit Model(const Architecture &a);
    /// A copy has the same architecture and parameter values (and gradients); its tied layer uses the
    /// copy's encoder weight.
    Model(const Model &o);
    Model &operator=(const Model &o);
    Model(Model &&) noexcept = default;
    Model &operator=(Model &&) noexcept = default;

    const Architecture &arch() const { return arch_; }
    /// Fresh weights (He/Glorot uniform) from rng.
    void initialize(Rng &rng);

    int encoderDepth() const { return int(enc_.size()); }
    int decoderDepth() const { return int(dec_.size()); }
    Dense<S> &encoder(int i) { return enc_[size_t(i)]; }
    const Dense<S> &encoder(int i) const { return enc_[size_t(i)]; }
    Layer<S> &decoder(int i) { return *dec_[size_t(i)]; }
    const Layer<S> &decoder(int i) const { return *dec_[size_t(i)]; }
    /// Decoder layer i if it has a weight of its own (a Dense layer); nullptr for a tied layer.
    Dense<S> *denseDecoder(int i) { return dynamic_cast<Dense<S> *>(dec_[size_t(i)].get()); }
    const Dense<S> *denseDecoder(int i) const { return dynamic_cast<const Dense<S> *>(dec_[size_t(i)].get()); }

    /// Full pass. For the variational model `sampler` draws ε (h = μ + σ ⊙ ε); with no sampler h = μ.
    void forward(const Mat<S> &X, ForwardPass<S> &p, Rng *sampler = nullptr) const;
    /// Runs only the encoder into caches (the contractive estimate's second pass). Returns f(X):
    /// the code, or μ for the variational model.
    const Mat<S> &encodeInto(const Mat<S> &X, std::vector<LayerCache<S>> &caches, Mat<S> &codeOut) const;
    /// Deterministic code of X (μ for the variational model).
    void encode(const Mat<S> &X, Mat<S> &H) const;
    /// r = g(H) for any given codes (k x n), e.g. samples from the prior. With `outputZ`, also the last
    /// layer's pre-activation (a sigmoid of an overflowed z is a finite 1 that looks like an image).
    void decode(const Mat<S> &H, Mat<S> &Xhat, Mat<S> *outputZ = nullptr) const;

    /// Backpropagates dL/dx̂ plus the pass's extra gradients; ADDS into the parameters' grads.
    /// With outputPreactivation, dXhat is ∂L/∂z of the output layer instead (BCE from logits).
    void backward(ForwardPass<S> &p, const Mat<S> &dXhat, bool outputPreactivation = false);
    /// Backpropagates dOut (k x B, a gradient w.r.t. f(X) of encodeInto's pass) into the encoder's grads.
    void encoderBackward(std::vector<LayerCache<S>> &caches, const Mat<S> &dCodeOut);

    /// All trainable parameters in a fixed order; Param::slot is the index in this list.
    std::vector<Param<S> *> params();
    std::vector<const Param<S> *> params() const;
    void zeroGrad();
    /// Instead of zeroGrad(), for the trainer: every gradient is marked stale, and the first term or layer to
    /// write it overwrites it (a product with β = 0 instead of a memset and a product adding to zeros: the
    /// same bits). zeroStaleGrads() then zeroes the gradients nothing wrote, before the optimizer reads them.
    void markGradsStale();
    void zeroStaleGrads();
    bool allFinite() const;
    size_t parameterCount() const;

    /// Copies every parameter whose name and shape also exist in `from`; returns the names of the
    /// parameters that could not be copied (they keep their current, e.g. fresh, values).
    std::vector<std::string> adoptWeights(const Model &from);

private:
    void build();
    void assignSlots();
    void decodeInto(const Mat<S> &H, std::vector<LayerCache<S>> &caches) const;

    Architecture arch_;
    std::vector<Dense<S>> enc_;
    std::vector<std::unique_ptr<Layer<S>>> dec_;  // Dense, or TiedDense sharing an encoder weight
    Mat<S> dH_, dOut_, dTmp_, dAlt_;  // backward scratch
};

}  // namespace ael
