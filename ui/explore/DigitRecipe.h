#pragma once
// How a drawing (or a photo of a digit on paper) becomes a model input, the way the MNIST digits were
// made (LeCun et al.): the ink's bounding box is scaled, aspect kept, to fit a 20×20 box (20/28 of the
// image, so other image sizes scale the same recipe), anti-aliased by exact area averaging, and placed
// in the 28×28 image so that its centre of mass lands on the centre. Values are k/255 in [0, 1], exactly
// like the loaded data.
#include <QImage>

#include <vector>

struct DigitInput {
    std::vector<float> pixels;  ///< rows × cols, row-major, each in [0, 1] (all 0 when empty)
    int rows = 28, cols = 28;
    bool empty = true;          ///< nothing drawn: no pixel above the ink threshold
};

/// Ink image (white ink on black, any format and size; grey levels are ink density) → model input.
///   1. bounding box of the pixels ≥ kInkThreshold;
///   2. scale s = min(B/w, B/h), B = round(20/28 · size): the box becomes round(w·s) × round(h·s) pixels
///      (≤ B × B), each the exact mean of the source area it covers (box filter over fractional pixel
///      coverage — anti-aliased, not nearest-neighbour);
///   3. integer shift, as MNIST did, so the centre of mass ((Σ v·x)/Σ v with pixel-centre coordinates)
///      lands within 0.5 px of the image centre ((cols − 1)/2, (rows − 1)/2); the shift is clamped so that
///      no ink leaves the frame (only then can the CoM end up further away);
///   4. values rounded to k/255 like the 8-bit data.
DigitInput digitFromInk(const QImage &ink, int rows = 28, int cols = 28);

/// A photo (dark ink on light paper, or light on dark; any size; colour is made grey; a transparent
/// background becomes white under dark ink, black under light ink) → levelled ink
/// image (white ink on black) at the photo's size, or at most 512 px on its longer side:
///   polarity: the ink is the minority of pixels, so the tail farther from the median is ink (a dark
///   tail → invert); background: the 30th percentile of each cell of an 8×8 grid, interpolated
///   bilinearly and subtracted (removes lighting gradients); stretch so that typical strong ink (the
///   90th percentile of the pixels above max/3) reaches 1; values below 0.25 (paper noise) become 0,
///   the rest is rescaled to [0, 1] so stroke edges stay soft.
QImage inkFromPhoto(const QImage &photo);

/// digitFromInk(inkFromPhoto(photo)).
DigitInput digitFromPhoto(const QImage &photo, int rows = 28, int cols = 28);

/// The input as an image (Format_Grayscale8, 255·v), e.g. to show it.
QImage digitImage(const DigitInput &d);
/// Any rows × cols vector of [0, 1] values as an image (values clamped).
QImage digitImage(const float *values, int rows, int cols);

/// Centre of mass (x, y) in pixel-centre coordinates; (−1, −1) when there is no mass.
struct DigitMoments {
    double cx = -1, cy = -1, mass = 0;
    int left = 0, top = 0, right = -1, bottom = -1;  ///< bounding box of v > 0 (inclusive)
};
DigitMoments digitMoments(const float *values, int rows, int cols);

inline constexpr float kInkThreshold = 8.0f / 255.0f;
