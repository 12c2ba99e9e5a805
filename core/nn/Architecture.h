#pragma once
#include "../activations/Activation.h"

#include <string>
#include <vector>

namespace ael {

/// One layer as Model builds it and a model file stores it: "<name>.weight" (out x in, absent when the
/// layer is tied) and "<name>.bias" (out x 1).
struct LayerSpec {
    std::string name;     ///< "encoder.0", …, "decoder.0", …
    bool encoder = true;  ///< part of the encoder h = f(x) (else of the decoder r = g(h))
    int in = 0, out = 0;
    ActivationKind activation = ActivationKind::Linear;
    std::string tiedTo;   ///< tied: Z = Wᵀ X + b with this layer's W ("encoder.0"); empty: its own W
};

/// The shape of an autoencoder, written like the lecture's slides: "784-256-[2]-256-784" is a 784-pixel
/// input, a 256-unit hidden layer, a 2-D code h = f(x) (in brackets), a 256-unit hidden layer and the
/// 784-pixel reconstruction r = g(h). Changing it needs a new model (the weights change shape).
struct Architecture {
    int input = 784;
    std::vector<int> encoderHidden{256};
    int code = 2;
    std::vector<int> decoderHidden{256};
    ActivationKind hidden = ActivationKind::ReLU;
    ActivationKind codeActivation = ActivationKind::Linear;
    ActivationKind output = ActivationKind::Sigmoid;
    bool tied = false;         ///< decoder W = encoder Wᵀ (one-layer encoder and decoder only)
    bool variational = false;  ///< stochastic encoder: the code layer gives μ and log σ² (2k linear outputs)

    /// The bounds every architecture keeps (parseSpec, validate) and a model file may hold (ModelFile.cpp):
    /// one rule, so no model can be trained and saved that loading then refuses.
    static constexpr int kMaxWidth = 100000;
    static constexpr int kMaxHiddenLayers = 64;  ///< on each side of the code

    std::string spec() const;  ///< "784-256-[2]-256-784"
    /// Parses a spec; the input and output widths must agree. Returns false and sets *error on failure.
    static bool parseSpec(const std::string &spec, Architecture &out, std::string *error);
    /// Empty when usable, otherwise what is wrong (e.g. tied weights with hidden layers, or more than
    /// kMaxHiddenLayers on one side).
    std::string validate() const;
    /// Every layer, the encoder's first, in forward order (the variational code layer has 2k outputs).
    std::vector<LayerSpec> layers() const;
    bool operator==(const Architecture &o) const = default;
};

}  // namespace ael
