#include "Contractive.h"

#include "../nn/Gemm.h"
#include "../parallel/ThreadPool.h"

namespace ael {

template <class S> S ContractiveExact<S>::evaluate(const Model<S> &m, const ForwardPass<S> &p)
{
    const Dense<S> &enc = m.encoder(0);
    const LayerCache<S> &c = p.enc[0];
    D_.resize(c.z.rows(), c.z.cols());
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
    D2_.resize(c.z.rows(), c.z.cols());
    auto &W = enc.weight();
    for (Param<S> *q : {&W, &enc.bias()})  // this term adds to them: a stale gradient starts from zero
        if (q->takeStale()) q->grad.setZero();
    const long k = D_.rows();
    parallelRanges(k, 16, double(k) * double(W.value.cols()) * double(D_.cols()), [&](long r0, long r1) {
        const long n = r1 - r0;
        auto D2 = D2_.middleRows(r0, n);
        auto D = D_.middleRows(r0, n);
        enc.activation().secondDerivative(c.z.middleRows(r0, n), c.out.middleRows(r0, n), D2);
        // G = 2 D ⊙ D2 ⊙ n 1ᵀ (in D2's storage)
        D2.array() *= S(2) * D.array();
        D2.array().colwise() *= norms_.segment(r0, n).array();
        const Vec<S> sumD2 = D.array().square().rowwise().sum();
        W.grad.middleRows(r0, n).array() += (S(2) * scale) * (W.value.middleRows(r0, n).array().colwise() * sumD2.array());
        gemm<S>(Op::N, D2, Op::T, *c.in, scale, S(1), W.grad.middleRows(r0, n));
        enc.bias().grad.col(0).segment(r0, n) += scale * D2.rowwise().sum();
    });
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
    const int k = m.arch().code, L = m.encoderDepth();
    S total = 0;
    Mat<S> J, D, next;
    for (Eigen::Index b = 0; b < X.cols(); ++b) {
        // From the code side: J = diag(f'_L) W_L, then J ← (J diag(f'_l)) W_l for l = L−1 … 1, so the
        // products are k × n_l × n_{l−1} (k is small) instead of n_l × n_{l−1} × d.
        for (int l = L - 1; l >= 0; --l) {
            const Dense<S> &layer = m.encoder(l);
            const LayerCache<S> &c = caches[size_t(l)];
            const Eigen::Index rows = (l == L - 1) ? k : c.z.rows();  // μ's rows for the variational layer
            D.resize(rows, 1);
            layer.activation().derivative(c.z.col(b).head(rows), c.out.col(b).head(rows), D);
            if (l == L - 1) {
                J = layer.weight().value.topRows(rows);
                J.array().colwise() *= D.col(0).array();
            } else {
                J.array().rowwise() *= D.col(0).transpose().array();
                next.noalias() = J * layer.weight().value;
                J.swap(next);
            }
        }
        total += J.squaredNorm();
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
