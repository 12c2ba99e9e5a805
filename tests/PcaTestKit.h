#pragma once
// Shared by tst_pca and tst_subspace.
#include "core/Rng.h"

#include <Eigen/Core>

namespace pcatest {

/// An r x c matrix of independent N(0, 1) draws, column by column.
inline Eigen::MatrixXd randn(int r, int c, ael::Rng &rng)
{
    Eigen::MatrixXd M(r, c);
    for (int j = 0; j < c; ++j)
        for (int i = 0; i < r; ++i) M(i, j) = rng.normal();
    return M;
}

}  // namespace pcatest
