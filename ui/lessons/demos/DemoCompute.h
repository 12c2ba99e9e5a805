#pragma once
// Small computations the demos run on their worker threads (Eigen; include only from .cpp files).
#include "core/Tensor.h"

#include <QImage>
#include <QVector>

#include <vector>

namespace ael {
class Pca;
struct Dataset;
template <class S> class Model;
}  // namespace ael

namespace demo_compute {

/// x̂ = g(f(X)) (f = μ for the variational model), one column per image.
ael::Matrix reconstruct(const ael::Model<float> &m, const ael::Matrix &X);
/// Mean over all entries of (A − B)²: the per-pixel MSE of a set of images.
double mse(const ael::Matrix &A, const ael::Matrix &B);
/// The images at idx as columns, scaled to [0, 1].
ael::Matrix columns(const ael::Dataset &d, const std::vector<int> &idx);
/// The first n images (fewer if the set is smaller), scaled to [0, 1].
ael::Matrix firstImages(const ael::Dataset &d, int n);
/// Columns [0, n) of X as images of rows × cols.
QVector<QImage> toImages(const ael::Matrix &X, int rows, int cols, int n);
/// n images of d pixels, each pixel uniform in [0, 1), from ael::Rng(seed).
ael::Matrix uniformNoise(int d, int n, quint64 seed);
/// 1 for the pixels that carry ink in at least one image of `data`, else 0 (d values). On the others
/// (MNIST's border) gradient descent never changes a weight, so no trained model can copy noise there.
std::vector<float> inkMask(const ael::Dataset &data);
/// Uniform [0, 1] noise on the pixels where mask is 1, zero elsewhere (same draws as uniformNoise).
ael::Matrix uniformNoiseOn(const std::vector<float> &mask, int n, quint64 seed);

/// The smallest m whose first m principal components hold at least `fraction` of the variance.
int componentsHolding(const ael::Pca &pca, double fraction);
/// The part of X in the affine principal subspace μ + span(w_1 … w_m):  μ 1ᵀ + W_m W_mᵀ (X − μ 1ᵀ),
/// i.e. PCA-m's reconstruction of X.
ael::Matrix inPrincipalSubspace(const ael::Pca &pca, const ael::Matrix &X, int m);
/// The per-pixel MSE of predicting the mean image μ for every column of X: (1 / dn) Σ ‖x − μ‖².
double mseOfMean(const ael::Pca &pca, const ael::Matrix &X);

}  // namespace demo_compute
