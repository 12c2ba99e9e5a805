#pragma once
// A fixed, reproducible, stratified train/test split (no random numbers involved).
//
// Rule: within each class, in file order, the image with index-within-class k goes to the test
// set when k % testEvery == testEvery - 1, else to the training set. With testEvery = 5, every
// 5th image of each class (k = 4, 9, 14, ...) is a test image, so a class of n images gives
// floor(n / 5) test images, and both halves keep the file order and the class proportions.
//
// Embedded MNIST (per class 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978):
//   test  200, 225, 198, 206, 196, 172, 202, 214, 188, 195 = 1,996 images
//   train 801, 902, 793, 826, 784, 691, 812, 856, 756, 783 = 8,004 images
#include "Dataset.h"

namespace ael {

struct Split {
    Dataset train, test;
};

/// Splits d as described above. The halves are named d.name + " — train" / " — test".
/// Throws std::invalid_argument if testEvery < 2.
Split stratifiedSplit(const Dataset &d, int testEvery = 5);

}  // namespace ael
