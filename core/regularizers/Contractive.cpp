#include "Contractive.h"

namespace ael {

template <class S> S ContractiveExact<S>::evaluate(const Model<S> &m, const ForwardPass<S> &p)
{
    const Dense<S> &enc = m.encoder(0);
    const LayerCache<S> &c = p.enc[0];
    enc.activation().derivative(c.z, c.out, D_);
    norms_ = enc.weight().value.rowwise().squaredNorm();  // n_j = Σ_i W_ji²
    // (1/B) Σ_b Σ_j D_jb² n_j
    return lambda * (norms_.transpose() * D_.array().square().matrix()).sum() / S(D_.cols());
}

template <class S> void ContractiveExact<S>::gradient(Model<S> &m, ForwardPass<S> &p)
{
    Dense<S> &enc = m.encoder(0);
    const LayerCache<S> &c = p.enc[0];
    const S scale = lambda / S(D_.cols());
    enc.activation().secondDerivative(c.z, c.out, D2_);
    // G = 2 D ⊙ D2 ⊙ n 1ᵀ (reuse D2_)
    D2_.array() *= S(2) * D_.array();
    D2_.array().colwise() *= norms_.array();
    const Vec<S> sumD2 = D_.array().square().rowwise().sum();
    auto &W = enc.weight();
    W.grad.array() += (S(2) * scale) * (W.value.array().colwise() * sumD2.array());
    W.grad.noalias() += scale * (D2_ * c.in->transpose());
    enc.bias().grad.col(0) += scale * D2_.rowwise().sum();
}

template <class S> S ContractiveEstimate<S>::evaluate(const Model<S> &m, const ForwardPass<S> &p)
{
    const Mat<S> &X = *p.input;
    noisy_.resize(X.rows(), X.cols());
    for (Eigen::Index j = 0; j < X.cols(); ++j)
        for (Eigen::Index i = 0; i < X.rows(); ++i) noisy_(i, j) = X(i, j) + sigma * S(rng_.normal());
    fNoisy_ = &m.encodeInto(noisy_, caches_, mu_);
    const Mat<S> &fClean = m.arch().variational ? p.mu : p.enc.back().out;
    delta_ = *fNoisy_ - fClean;
    return lambda * delta_.squaredNorm() / (S(X.cols()) * sigma * sigma);
}

template <class S> void ContractiveEstimate<S>::gradient(Model<S> &m, ForwardPass<S> &p)
{
    const S c = S(2) * lambda / (S(delta_.cols()) * sigma * sigma);
    const Mat<S> g = c * delta_;
    m.encoderBackward(caches_, g);  // through f(x + ε)
    if (m.arch().variational) accumulate<S>(p.dMu, (-g).eval());
    else accumulate<S>(p.dCode, (-g).eval());
}

template <class S> S jacobianFrobeniusSq(const Model<S> &m, const Mat<S> &X)
{
    if (X.cols() == 0) return S(0);
    std::vector<LayerCache<S>> caches;
    Mat<S> mu;
    m.encodeInto(X, caches, mu);
    const int k = m.arch().code;
    S total = 0;
    Mat<S> J, D, next;
    for (Eigen::Index b = 0; b < X.cols(); ++b) {
        for (int l = 0; l < m.encoderDepth(); ++l) {
            const Dense<S> &layer = m.encoder(l);
            const LayerCache<S> &c = caches[size_t(l)];
            Mat<S> z = c.z.col(b), a = c.out.col(b);
            layer.activation().derivative(z, a, D);
            // J ← diag(f'(z)) W J
            if (l == 0) next = layer.weight().value;
            else next.noalias() = layer.weight().value * J;
            next.array().colwise() *= D.col(0).array();
            J.swap(next);
        }
        total += J.topRows(k).squaredNorm();
    }
    return total / S(X.cols());
}

template class ContractiveExact<float>;
template class ContractiveExact<double>;
template class ContractiveEstimate<float>;
template class ContractiveEstimate<double>;
template float jacobianFrobeniusSq<float>(const Model<float> &, const Mat<float> &);
template double jacobianFrobeniusSq<double>(const Model<double> &, const Mat<double> &);

}  // namespace ael
