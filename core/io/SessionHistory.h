#pragma once
// The loss history of a run as a session file stores it (core/io/SessionFile.h) and the window's
// LossHistory (ui/training/LossHistory.h) records it. Plain values: no Eigen, no Qt.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ael {

/// The loss history of a run, as the window's loss chart shows it.
struct SessionHistory {
    struct Point {
        int64_t step = 0;
        double epoch = 0;
        double reconstruction = 0;
        std::vector<double> terms;  ///< one per SessionHistory::termNames; NaN: not trained at this point
    };
    struct Test {
        int64_t step = 0;
        double mse = 0;
        /// Denoising: the MSE of g(f(x̃)) against the clean x, the test curve the loss chart draws for it
        /// (NaN otherwise).
        double mseFromCorrupted = std::numeric_limits<double>::quiet_NaN();
    };
    struct Marker {
        int64_t step = 0;
        std::string label;
    };
    std::vector<std::string> termNames;
    std::vector<Point> points;
    std::vector<Test> tests;
    std::vector<Marker> markers;
};

}  // namespace ael
