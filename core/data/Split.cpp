#include "Split.h"

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

namespace ael {

Split stratifiedSplit(const Dataset &d, int testEvery)
{
    if (testEvery < 2)
        throw std::invalid_argument("stratifiedSplit: testEvery must be at least 2, got " + std::to_string(testEvery));
    std::array<int, 256> seen{};  // images of each label value met so far (labels are bytes)
    std::vector<int> train, test;
    train.reserve(size_t(d.size()));
    test.reserve(size_t(d.size() / testEvery + 10));
    for (int i = 0; i < d.size(); ++i) {
        const int k = seen[d.labels[size_t(i)]]++;
        (k % testEvery == testEvery - 1 ? test : train).push_back(i);
    }
    return {d.subset(train, d.name + " — train"), d.subset(test, d.name + " — test")};
}

}  // namespace ael
