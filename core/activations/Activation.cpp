#include "Activation.h"

#include "Linear.h"
#include "ReLU.h"
#include "Sigmoid.h"
#include "Tanh.h"

namespace ael {

const char *toString(ActivationKind k)
{
    switch (k) {
    case ActivationKind::Linear: return "linear";
    case ActivationKind::Sigmoid: return "sigmoid";
    case ActivationKind::Tanh: return "tanh";
    case ActivationKind::ReLU: return "relu";
    }
    return "linear";
}

bool parseActivation(const std::string &s, ActivationKind &out)
{
    for (auto k : {ActivationKind::Linear, ActivationKind::Sigmoid, ActivationKind::Tanh, ActivationKind::ReLU})
        if (s == toString(k)) {
            out = k;
            return true;
        }
    return false;
}

template <class S> std::unique_ptr<Activation<S>> makeActivation(ActivationKind k)
{
    switch (k) {
    case ActivationKind::Sigmoid: return std::make_unique<Sigmoid<S>>();
    case ActivationKind::Tanh: return std::make_unique<Tanh<S>>();
    case ActivationKind::ReLU: return std::make_unique<ReLU<S>>();
    case ActivationKind::Linear: break;
    }
    return std::make_unique<Linear<S>>();
}

template std::unique_ptr<Activation<float>> makeActivation<float>(ActivationKind);
template std::unique_ptr<Activation<double>> makeActivation<double>(ActivationKind);

}  // namespace ael
