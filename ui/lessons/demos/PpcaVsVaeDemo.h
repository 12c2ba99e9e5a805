#pragma once
// Lesson 7: two generative models side by side. Probabilistic PCA — the lecture's linear factor model
// x = W h + μ + σ ε, h ~ N(0, I_k), built from the run's PCA with k = the model's code size
// (core/pca/ProbabilisticPca) — and the variational model's decoder g(h) of h ~ N(0, I). A model
// without a prior says so instead of showing samples.
#include "ui/lessons/demos/DemoBase.h"

#include <QImage>
#include <QVector>

#include <memory>

struct PcaSummary;

class PpcaVsVaeDemo : public DemoBase {
    Q_OBJECT
public:
    explicit PpcaVsVaeDemo(QWidget *parent = nullptr);
    void applySnapshot(const Snapshot &s) override;

    static constexpr int kSamples = 12;  ///< per model (3 rows of 4)
    static constexpr quint64 kSeed = 7;

    const QVector<QImage> &ppcaSamples() const { return m_ppca; }
    const QVector<QImage> &priorSamples() const { return m_prior; }
    double noiseVariance() const { return m_sigma2; }  ///< σ² of the shown PPCA (−1: none yet)
    int ppcaK() const { return m_k; }
    bool modelHasPrior() const { return m_variational; }

protected:
    void clearResults() override;
    void paintEvent(QPaintEvent *) override;

private:
    QVector<QImage> m_ppca, m_prior;
    double m_sigma2 = -1;
    int m_k = 0, m_discarded = 0;
    bool m_variational = false, m_haveModel = false, m_pcaFailed = false;
    QString m_variant;
    std::shared_ptr<const PcaSummary> m_pcaFor;  ///< the PCA the shown PPCA was built from
    int m_kFor = -1;
};
