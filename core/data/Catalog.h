#pragma once
// The data sets the application offers.
//
//   "mnist"    10,000 MNIST digits compiled into the library (always available; see Embedded.h),
//              split 8,004 / 1,996 by stratifiedSplit (Split.h).
//              MNIST © Yann LeCun, Corinna Cortes, Christopher J.C. Burges, CC BY-SA 3.0.
//   "fashion"  Fashion-MNIST from Debian's package dataset-fashion-mnist, listed only when its four
//              files exist in /usr/share/datasets/fashion-mnist/. The official split is used:
//              train-*-ubyte.gz (60,000 images) / t10k-*-ubyte.gz (10,000 images).
//              Fashion-MNIST © Zalando SE, MIT licence.
#include "Split.h"

#include <string>
#include <vector>

namespace ael {

struct DataSource {
    std::string id;     ///< "mnist" or "fashion", the argument of loadSource
    std::string label;  ///< shown to the user
    std::string imagesPath, labelsPath;          ///< training files; empty for embedded data
    std::string testImagesPath, testLabelsPath;  ///< test files; empty when the split is computed
};

/// Where Debian's dataset-fashion-mnist puts its files.
inline constexpr const char *kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

/// Fashion-MNIST's class names, label 0..9.
const std::vector<std::string> &fashionClassNames();

/// The available sources: "mnist" always, then "fashion" if installed.
std::vector<DataSource> availableDataSources();

/// Loads a source and its train/test split. Throws DataError for an unknown id, a source that is
/// not installed, or a malformed file.
Split loadSource(const std::string &id);

}  // namespace ael
