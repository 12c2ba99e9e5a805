#pragma once
// Moving through the code space of a trained model copy: decode a code h to an image r = g(h),
// encode an image to its code f(x) (μ for the variational model), walk a straight line between two
// codes (next to the pixel-space blend of the two images, which is what the line is not), and draw
// codes from the prior h ~ N(0, I). Pure functions of an immutable model: call them on any thread.
// Every decode is one batch through Model::decode (codes as the columns of a k × n matrix).
#include <QImage>

#include <cstdint>
#include <vector>

namespace ael {
template <class S> class Model;
}

namespace ael::ui {

/// A rows × cols Grayscale8 image of pixel values in [0, 1] (row-major): round(clamp(v, 0, 1) · 255),
/// the same conversion as the reconstructions in the window (NaN draws as 0).
QImage grayImage(const float *pixels, int rows, int cols);

/// r = g(h) for one code h (size k = the model's code size), as d = rows·cols floats. Empty when the
/// code has the wrong size.
std::vector<float> decodeCode(const ael::Model<float> &model, const std::vector<float> &code);
/// grayImage(decodeCode(model, code)): what a click at h in the latent plot shows. Null on bad sizes.
QImage decodeAt(const ael::Model<float> &model, const std::vector<float> &code, int rows, int cols);

/// The deterministic code f(x) of one image x (d floats in [0, 1]); μ(x) for the variational model.
/// Empty when d is not the model's input size.
std::vector<float> encodeImage(const ael::Model<float> &model, const float *x, int d);

/// `steps` (≥ 2) decodings along the straight line in code space, h_t = (1 − t)·a + t·b,
/// t = i / (steps − 1): the first is g(a), the last g(b). Empty on bad sizes.
std::vector<QImage> interpolate(const ael::Model<float> &model, const std::vector<float> &codeA,
                                const std::vector<float> &codeB, int steps, int rows, int cols);
/// The pixel-space blend of two images, x_t = (1 − t)·xa + t·xb, t = i / (steps − 1): the
/// cross-fade a straight line in code space is compared with.
std::vector<QImage> pixelBlend(const float *xa, const float *xb, int rows, int cols, int steps);

/// `count` codes h ~ N(0, I) drawn from ael::Rng(seed) (column after column) and decoded in one batch:
/// the generative model's samples (the decoder's mean image for each h). Same seed, same images.
std::vector<QImage> samplePrior(const ael::Model<float> &model, int count, uint64_t seed, int rows, int cols);

}  // namespace ael::ui
