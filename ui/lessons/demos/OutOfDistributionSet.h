#pragma once
// The images the out-of-distribution demo feeds a model that was trained on something else:
//   a run on digits    → Fashion-MNIST's test images (Debian's dataset-fashion-mnist, when installed)
//   a run on Fashion   → the embedded MNIST test digits
//   otherwise (or when those are missing, or the image size differs) → letters A–Z and a–z rendered
//   with QPainter at the data's image size: a built-in set that needs no files.
// Loading reads a file (Fashion's 10,000 test images): call it on a worker thread. Files are read
// once per process and cached.
#include <QString>

#include <memory>

namespace ael {
struct Dataset;
}

namespace ood_set {

struct Set {
    std::shared_ptr<const ael::Dataset> images;
    QString name;  ///< e.g. "Fashion-MNIST", "rendered letters"
    QString why;   ///< why the built-in set is used (empty otherwise)
};

/// The set for a run on data `runId` ("mnist", "fashion", "idx:…") of rows × cols images.
/// builtInOnly: the rendered letters whatever is installed.
Set forRun(const QString &runId, int rows, int cols, bool builtInOnly = false);
/// The built-in set: 52 letters, white on black like the digits, bold, most of the image tall.
std::shared_ptr<const ael::Dataset> renderedLetters(int rows, int cols);

}  // namespace ood_set
