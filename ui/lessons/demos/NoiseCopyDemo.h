#pragma once
// Lesson 3: "an overcomplete autoencoder copies its input, even random noise". Uniform-noise images
// (fixed seed, on the pixels where the training images have ink) are kept to the principal subspace
// that holds kVarianceKept of the training images' variance: x = μ + W_m W_mᵀ (n − μ), PCA-m's
// reconstruction of the noise n. Those noise images and test digits go through the current model; each
// group's mean MSE (per pixel, against its own input) is shown beside what predicting the mean image μ
// scores. Gradient descent learns the copy along each principal direction at a speed that grows with
// the data's variance along it, so a trained overcomplete model soon copies noise inside that subspace
// almost perfectly, although it is nothing like a digit; the raw noise's MSE is shown too (its part in
// the directions the digits hardly use is copied only much later, and on pixels no image inks never).
// The identity copies everything; an undercomplete model turns noise into digit-like blobs.
#include "ui/lessons/demos/DemoBase.h"

#include <QImage>
#include <QVector>

#include <memory>

class NoiseCopyDemo : public DemoBase {
    Q_OBJECT
public:
    explicit NoiseCopyDemo(QWidget *parent = nullptr);
    void applySnapshot(const Snapshot &s) override;

    static constexpr int kNoiseImages = 50;   ///< noise images the MSE is taken over
    static constexpr int kDigitImages = 200;  ///< test images the MSE is taken over
    static constexpr int kShown = 5;          ///< of each group, shown
    static constexpr quint64 kNoiseSeed = 3;
    static constexpr double kVarianceKept = 0.95;  ///< of the training images' variance, in the noise's subspace

    /// Mean per-pixel MSE of the noise images / the test images (−1 before the first result).
    double noiseMse() const { return m_noiseMse; }
    double digitMse() const { return m_digitMse; }
    /// What predicting the mean image μ scores on the noise images (their own variance about μ).
    double noiseBaseline() const { return m_noiseBase; }
    /// m, the principal components the noise is kept to (0 before the first result).
    int components() const { return m_components; }
    /// The raw noise (all inked pixels, before the projection): the model's MSE and μ's.
    double rawNoiseMse() const { return m_rawMse; }
    double rawNoiseBaseline() const { return m_rawBase; }

protected:
    void clearResults() override;
    void paintEvent(QPaintEvent *) override;

private:
    double m_noiseMse = -1, m_digitMse = -1, m_noiseBase = 0, m_rawMse = 0, m_rawBase = 0;
    int m_components = 0;
    QVector<QImage> m_noise, m_noiseOut, m_digits, m_digitsOut;
    QString m_noun = QStringLiteral("digits"), m_arch;
    qint64 m_step = 0;
    // The noise images, made once per data set (the ink mask reads every training image).
    struct NoiseInput;  // the d × kNoiseImages matrices (NoiseCopyDemo.cpp: no Eigen in this header)
    std::shared_ptr<const DataBundle> m_noiseData;
    std::shared_ptr<const NoiseInput> m_noiseInput;
};
