#include "Loss.h"

#include "BCE.h"
#include "MSE.h"

namespace ael {

const char *toString(LossKind k) { return k == LossKind::BCE ? "bce" : "mse"; }

bool parseLoss(const std::string &s, LossKind &out)
{
    if (s == "mse") out = LossKind::MSE;
    else if (s == "bce") out = LossKind::BCE;
    else return false;
    return true;
}

template <class S> std::unique_ptr<Loss<S>> makeLoss(LossKind k)
{
    if (k == LossKind::BCE) return std::make_unique<BCE<S>>();
    return std::make_unique<MSE<S>>();
}

template std::unique_ptr<Loss<float>> makeLoss<float>(LossKind);
template std::unique_ptr<Loss<double>> makeLoss<double>(LossKind);

}  // namespace ael
