#pragma once
#include "../activations/Activation.h"

#include <string>
#include <vector>

namespace ael {

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

    std::string spec() const;  ///< "784-256-[2]-256-784"
    /// Parses a spec; the input and output widths must agree. Returns false and sets *error on failure.
    static bool parseSpec(const std::string &spec, Architecture &out, std::string *error);
    /// Empty when usable, otherwise what is wrong (e.g. tied weights with hidden layers).
    std::string validate() const;
    bool operator==(const Architecture &o) const = default;
};

}  // namespace ael
