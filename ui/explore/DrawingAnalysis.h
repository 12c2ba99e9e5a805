#pragma once
// What the model and PCA make of one drawing: x̃ (if "corrupt first"), the AE reconstruction g(f(x̃))
// and the PCA-k reconstruction, each with its MSE against the clean drawing x, the AE code (μ for the
// variational model), the PCA code on PC1/PC2, and the nearest training digits (Euclidean distance in
// pixel space, brute force). Runs on the caller's thread in well under a millisecond for one sample
// plus the neighbour search (cached per input, so a new model costs one forward pass). Eigen stays in
// the .cpp (this header includes no engine header).
#include "DigitRecipe.h"

#include <QPointF>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace ael {
template <class S> class Model;
struct Dataset;
struct Corruption;
}  // namespace ael
struct PcaSummary;

struct DrawingResult {
    bool valid = false;       ///< false: nothing drawn, no model, or sizes that do not match
    QString why;              ///< why not valid (shown to the user), empty when valid
    bool corrupted = false;   ///< xt holds C(x̃|x)
    std::vector<float> xt;    ///< the corrupted input (rows × cols), when corrupted
    double xtMse = -1;        ///< mean over pixels of (x̃ − x)², when corrupted
    std::vector<float> ae;    ///< g(f(x̃)), empty without a model
    double aeMse = -1;        ///< mean over pixels of (ae − x)²; < 0 without a model
    std::vector<float> aeCode;  ///< f(x̃) (μ for the variational model)
    QPointF aeCode2d;         ///< (h1, h2); h2 = 0 for a 1-D code
    std::vector<float> pca;   ///< PCA-k reconstruction of x (x, not x̃: PCA is not a denoiser), or empty
    double pcaMse = -1;
    int pcaK = 0;
    QPointF pcaCode2d;        ///< x on PC1 and PC2
    std::vector<int> nearest;            ///< indices into the training set, nearest first
    std::vector<double> nearestDistance; ///< their Euclidean distances (pixel values in [0, 1])
    double seconds = 0;       ///< wall time of analyze()
};

class DrawingAnalysis {
public:
    DrawingAnalysis();
    ~DrawingAnalysis();
    DrawingAnalysis(const DrawingAnalysis &) = delete;
    DrawingAnalysis &operator=(const DrawingAnalysis &) = delete;

    void setModel(std::shared_ptr<const ael::Model<float>> model);
    void setPca(std::shared_ptr<const PcaSummary> pca);
    /// The training set searched for neighbours (at most kMaxSearched images, evenly spaced; read from
    /// the data set's bytes at each search, never copied).
    void setData(std::shared_ptr<const ael::Dataset> train);
    /// "Corrupt first": x̃ = C(x) with a fixed seed (the same noise pattern while one draws, so only the
    /// ink changes the picture). enabled = false feeds x itself.
    void setCorruption(const ael::Corruption &c, bool enabled);
    const ael::Corruption &corruption() const;
    bool corruptFirst() const { return m_corrupt; }
    void setNeighbourCount(int n) { m_neighbours = n; }

    const std::shared_ptr<const ael::Model<float>> &model() const { return m_model; }
    const std::shared_ptr<const ael::Dataset> &data() const { return m_data; }
    /// Indices of the searched training images (all, or an evenly spaced subset).
    const std::vector<int> &searched() const { return m_searched; }

    DrawingResult analyze(const DigitInput &x);

    static constexpr int kMaxSearched = 10000;
    static constexpr uint64_t kCorruptionSeed = 0xc0ffee;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    std::shared_ptr<const ael::Model<float>> m_model;
    std::shared_ptr<const PcaSummary> m_pca;
    std::shared_ptr<const ael::Dataset> m_data;
    std::vector<int> m_searched;
    bool m_corrupt = false;
    int m_neighbours = 5;
};
