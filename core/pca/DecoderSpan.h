#pragma once
// The decoder's column span against the PCA-k subspace (the picture of "a linear autoencoder learns
// the PCA subspace", Goodfellow et al. §14.1).
//
// For a one-layer decoder r = g(W h + b) the reconstruction lies in  b + span(W)  (W: d x k) when g
// is linear; with squared error the optimal span is PCA-k's (Baldi & Hornik, 1989), but W itself
// is any basis of it: its columns need be neither orthonormal nor the components. For a deeper
// decoder the matrix is the LAST layer's weight (d x m, m its input width), whose span holds every
// reconstruction of a linear model; for a non-linear model it describes the last linear map only.
// A tied model's decoder weight is the encoder's transpose (stored only there); the variational
// model's decoder is read like any other (the code it gets is μ + σ ⊙ ε).
#include "../Tensor.h"

#include <limits>

namespace ael {

template <class S> class Model;

struct DecoderSpan {
    Eigen::MatrixXd W;        ///< d x m, the columns whose span is compared with PCA
    bool tied = false;        ///< W = (encoder.0 weight)ᵀ
    bool variational = false;
    bool linear = false;      ///< every activation (hidden, code, output) is the identity: the model is affine
    int decoderLayers = 0;    ///< 1: W is the whole decoder's matrix
    int layerNumber = 0;      ///< W's place in the network, counted from the input (1: the first layer's; W₁ᵀ when tied)
};

/// The matrix above for a model (copied to double).
DecoderSpan decoderSpan(const Model<float> &m);

struct SpanComparison {
    Eigen::VectorXd anglesDeg;  ///< principal angles, ascending: min(rank W, rank PCs) of them
    double largestDeg = std::numeric_limits<double>::quiet_NaN();
    /// The largest |cos| between two different columns of W (0: orthogonal columns; PCs give 0).
    double maxColumnCos = 0;
    /// Largest / smallest column norm (1 for an orthonormal basis).
    double normRatio = 1;
    /// Mean over the columns w_j of max_i |cos(w_j, pc_i)|: 1 when every column is a principal
    /// component (up to sign and scale), lower when the columns mix them.
    double meanBestPcCos = 0;
};

/// Compares span(W) (d x m) with span(pcs) (d x k, orthonormal). Throws std::invalid_argument if
/// the row counts differ.
SpanComparison compareSpans(const Eigen::MatrixXd &W, const Eigen::MatrixXd &pcs);

}  // namespace ael
