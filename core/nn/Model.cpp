#include "Model.h"

#include "../Rng.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace ael {

template <class S> Model<S>::Model(const Architecture &a) : arch_(a)
{
    const std::string why = a.validate();
    if (!why.empty()) throw std::invalid_argument(why);
    build();
}

template <class S> Model<S>::Model(const Model &o) : arch_(o.arch_), enc_(o.enc_)
{
    for (const auto &l : o.dec_) dec_.push_back(l->clone());
    // A cloned tied layer still uses o's weight: give it ours of the same name.
    for (auto &l : dec_)
        if (auto *t = dynamic_cast<TiedDense<S> *>(l.get()))
            for (Dense<S> &e : enc_)
                if (e.weight().name == t->sharedWeight().name) t->tie(e.weight());
}

template <class S> Model<S> &Model<S>::operator=(const Model &o)
{
    if (this != &o) *this = Model(o);
    return *this;
}

template <class S> void Model<S>::build()
{
    enc_.clear();
    dec_.clear();
    const std::vector<LayerSpec> layers = arch_.layers();
    for (const LayerSpec &l : layers)
        if (l.encoder) enc_.emplace_back(l.name, l.in, l.out, l.activation);
    if (!enc_.empty()) enc_.front().setInputMaySparse(true);  // its input is the data
    for (const LayerSpec &l : layers) {
        if (l.encoder) continue;
        if (l.tiedTo.empty()) {
            dec_.push_back(std::make_unique<Dense<S>>(l.name, l.in, l.out, l.activation));
            continue;
        }
        // enc_ is complete, so the shared weight stays where it is (a move keeps it; a copy re-ties).
        auto owner = std::find_if(enc_.begin(), enc_.end(),
                                  [&](const Dense<S> &e) { return e.weight().name == l.tiedTo + ".weight"; });
        if (owner == enc_.end()) throw std::logic_error("Model: tied layer " + l.name + " has no layer " + l.tiedTo);
        dec_.push_back(std::make_unique<TiedDense<S>>(l.name, owner->weight(), l.activation));
    }
    assignSlots();
}

template <class S> void Model<S>::assignSlots()
{
    int slot = 0;
    for (Param<S> *p : params()) p->slot = slot++;
}

template <class S> void Model<S>::initialize(Rng &rng)
{
    for (auto &l : enc_) l.initialize(rng);
    for (auto &l : dec_) l->initialize(rng);
}

template <class S> std::vector<Param<S> *> Model<S>::params()
{
    std::vector<Param<S> *> out;
    for (auto &l : enc_)
        for (Param<S> *p : l.params()) out.push_back(p);
    for (auto &l : dec_)
        for (Param<S> *p : l->params()) out.push_back(p);
    return out;
}

template <class S> std::vector<const Param<S> *> Model<S>::params() const
{
    std::vector<const Param<S> *> out;
    for (const auto &l : enc_)
        for (const Param<S> *p : l.params()) out.push_back(p);
    for (const auto &l : dec_)
        for (const Param<S> *p : std::as_const(*l).params()) out.push_back(p);
    return out;
}

template <class S> void Model<S>::zeroGrad()
{
    for (Param<S> *p : params()) {
        p->grad.setZero(p->value.rows(), p->value.cols());
        p->gradStale = false;
    }
}

template <class S> void Model<S>::markGradsStale()
{
    for (Param<S> *p : params()) {
        p->grad.resize(p->value.rows(), p->value.cols());
        p->gradStale = true;
    }
}

template <class S> void Model<S>::zeroStaleGrads()
{
    for (Param<S> *p : params())
        if (p->takeStale()) p->grad.setZero();
}

template <class S> bool Model<S>::allFinite() const
{
    for (const Param<S> *p : params())
        if (!p->value.allFinite()) return false;
    return true;
}

template <class S> size_t Model<S>::parameterCount() const
{
    size_t n = 0;
    for (const Param<S> *p : params()) n += size_t(p->value.size());
    return n;
}

template <class S>
const Mat<S> &Model<S>::encodeInto(const Mat<S> &X, std::vector<LayerCache<S>> &caches, Mat<S> &codeOut) const
{
    caches.resize(enc_.size());
    const Mat<S> *in = &X;
    for (size_t i = 0; i < enc_.size(); ++i) {
        enc_[i].forward(*in, caches[i]);
        in = &caches[i].out;
    }
    if (arch_.variational) {
        codeOut = caches.back().out.topRows(arch_.code);
        return codeOut;
    }
    return caches.back().out;
}

template <class S> void Model<S>::decodeInto(const Mat<S> &H, std::vector<LayerCache<S>> &caches) const
{
    caches.resize(dec_.size());
    const Mat<S> *in = &H;
    for (size_t i = 0; i < dec_.size(); ++i) {
        dec_[i]->forward(*in, caches[i]);
        in = &caches[i].out;
    }
}

template <class S> void Model<S>::forward(const Mat<S> &X, ForwardPass<S> &p, Rng *sampler) const
{
    p.input = &X;
    p.clearExtraGradients();
    const Mat<S> &f = encodeInto(X, p.enc, p.mu);
    if (arch_.variational) {
        const Mat<S> &out = p.enc.back().out;
        p.logvar = out.bottomRows(arch_.code);
        if (sampler) {
            // h = μ + σ ⊙ ε,  σ = exp(½ log σ²),  ε ~ N(0, I)
            p.eps.resize(arch_.code, X.cols());
            for (Eigen::Index j = 0; j < p.eps.cols(); ++j)
                for (Eigen::Index i = 0; i < p.eps.rows(); ++i) p.eps(i, j) = S(sampler->normal());
            p.h.array() = p.mu.array() + (S(0.5) * p.logvar.array()).exp() * p.eps.array();
        } else {
            p.eps.setZero(arch_.code, X.cols());
            p.h = p.mu;
        }
    } else {
        p.h = f;
    }
    decodeInto(p.h, p.dec);
}

template <class S> void Model<S>::encode(const Mat<S> &X, Mat<S> &H) const
{
    std::vector<LayerCache<S>> caches;
    Mat<S> mu;
    H = encodeInto(X, caches, mu);
}

template <class S> void Model<S>::decode(const Mat<S> &H, Mat<S> &Xhat, Mat<S> *outputZ) const
{
    std::vector<LayerCache<S>> caches;
    decodeInto(H, caches);
    Xhat = std::move(caches.back().out);
    if (outputZ) *outputZ = std::move(caches.back().z);
}

template <class S> void Model<S>::backward(ForwardPass<S> &p, const Mat<S> &dXhat, bool outputPreactivation)
{
    // Decoder, last layer first. dY is dL/d(layer output); dX (its input's gradient) alternates
    // between two scratch buffers, and the first decoder layer writes dL/dh into dH_.
    const Mat<S> *dY = &dXhat;
    Mat<S> *next = &dOut_, *other = &dTmp_;
    for (int i = int(dec_.size()) - 1; i >= 0; --i) {
        LayerCache<S> &c = p.dec[size_t(i)];
        Mat<S> *dX = (i == 0) ? &dH_ : next;
        const bool givenDZ = outputPreactivation && i == int(dec_.size()) - 1;
        if (givenDZ) dec_[size_t(i)]->backwardFromPreactivation(c, *dY, dX);
        else dec_[size_t(i)]->backward(c, *dY, dX);
        dY = dX;
        std::swap(next, other);
    }
    // dL/dh (+ the terms' ∂Ω/∂h)
    if (p.dCode.size()) dH_ += p.dCode;
    const Mat<S> *dE = &dH_;
    if (arch_.variational) {
        // h = μ + exp(½ lv) ⊙ ε:  ∂h/∂μ = 1,  ∂h/∂lv = ½ σ ⊙ ε
        dOut_.resize(2 * arch_.code, dH_.cols());
        dOut_.topRows(arch_.code) = dH_;
        dOut_.bottomRows(arch_.code).array() =
            dH_.array() * S(0.5) * (S(0.5) * p.logvar.array()).exp() * p.eps.array();
        if (p.dMu.size()) dOut_.topRows(arch_.code) += p.dMu;
        if (p.dLogvar.size()) dOut_.bottomRows(arch_.code) += p.dLogvar;
        dE = &dOut_;
    }
    for (int i = int(enc_.size()) - 1; i >= 0; --i) {
        Mat<S> *dX = nullptr;
        if (i > 0) dX = (dE == &dTmp_) ? &dAlt_ : &dTmp_;
        enc_[size_t(i)].backward(p.enc[size_t(i)], *dE, dX);
        dE = dX;
    }
}

template <class S> void Model<S>::encoderBackward(std::vector<LayerCache<S>> &caches, const Mat<S> &dCodeOut)
{
    Mat<S> a, b;
    if (arch_.variational) {
        a.setZero(2 * arch_.code, dCodeOut.cols());
        a.topRows(arch_.code) = dCodeOut;
    } else {
        a = dCodeOut;
    }
    Mat<S> *dE = &a, *dX = &b;
    for (int i = int(enc_.size()) - 1; i >= 0; --i) {
        enc_[size_t(i)].backward(caches[size_t(i)], *dE, i > 0 ? dX : nullptr);
        std::swap(dE, dX);
    }
}

template <class S> std::vector<std::string> Model<S>::adoptWeights(const Model &from)
{
    std::vector<std::string> missed;
    auto theirs = from.params();
    for (Param<S> *p : params()) {
        bool done = false;
        for (const Param<S> *q : theirs)
            if (q->name == p->name && q->value.rows() == p->value.rows() && q->value.cols() == p->value.cols()) {
                p->value = q->value;
                done = true;
                break;
            }
        if (!done) missed.push_back(p->name);
    }
    return missed;
}

template class Model<float>;
template class Model<double>;

}  // namespace ael
