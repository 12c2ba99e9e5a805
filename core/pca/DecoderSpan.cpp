#include "DecoderSpan.h"

#include "../nn/Model.h"
#include "Subspace.h"

#include <algorithm>
#include <stdexcept>

namespace ael {

DecoderSpan decoderSpan(const Model<float> &m)
{
    const Architecture &a = m.arch();
    DecoderSpan s;
    s.tied = a.tied;
    s.variational = a.variational;
    s.decoderLayers = m.decoderDepth();
    s.layerNumber = m.encoderDepth() + m.decoderDepth();
    const auto lin = [](ActivationKind k) { return k == ActivationKind::Linear; };
    const bool hiddenLayers = !a.encoderHidden.empty() || !a.decoderHidden.empty();
    s.linear = lin(a.codeActivation) && lin(a.output) && (!hiddenLayers || lin(a.hidden));
    const Layer<float> &last = m.decoder(m.decoderDepth() - 1);
    if (const auto *tied = dynamic_cast<const TiedDense<float> *>(&last))
    {
        s.W = tied->sharedWeight().value.transpose().cast<double>();  // decoder W = encoder Wᵀ (d x k)
        s.layerNumber = 1;
    }
    else
        s.W = m.denseDecoder(m.decoderDepth() - 1)->weight().value.cast<double>();  // out x in = d x m
    return s;
}

SpanComparison compareSpans(const Eigen::MatrixXd &W, const Eigen::MatrixXd &pcs)
{
    if (W.rows() != pcs.rows()) throw std::invalid_argument("compareSpans: W and the components have different row counts");
    SpanComparison c;
    c.anglesDeg = principalAnglesDeg(W, pcs);
    if (c.anglesDeg.size() > 0) c.largestDeg = c.anglesDeg(c.anglesDeg.size() - 1);
    const Eigen::VectorXd norms = W.colwise().norm().transpose();
    if (W.cols() == 0 || norms.maxCoeff() <= 0) return c;
    c.normRatio = norms.minCoeff() > 0 ? norms.maxCoeff() / norms.minCoeff() : std::numeric_limits<double>::infinity();
    // Ŵ = W with unit columns (zero columns stay zero); cos(w_i, w_j) = (ŴᵀŴ)_ij
    Eigen::MatrixXd Wn = W;
    for (Eigen::Index j = 0; j < W.cols(); ++j)
        if (norms(j) > 0) Wn.col(j) /= norms(j);
    const Eigen::MatrixXd G = Wn.transpose() * Wn;  // m x m
    for (Eigen::Index i = 0; i < G.rows(); ++i)
        for (Eigen::Index j = i + 1; j < G.cols(); ++j) c.maxColumnCos = std::max(c.maxColumnCos, std::abs(G(i, j)));
    // cos(w_j, pc_i) = (Pᵀ Ŵ)_ij with unit pc_i
    if (pcs.cols() > 0) {
        const Eigen::MatrixXd C = (pcs.transpose() * Wn).cwiseAbs();  // k x m
        c.meanBestPcCos = C.colwise().maxCoeff().mean();
    }
    return c;
}

}  // namespace ael
