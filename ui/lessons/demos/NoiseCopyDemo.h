#pragma once
// Lesson 3: "an overcomplete autoencoder copies its input, even random noise". A few uniform-noise
// images (fixed seed, on the pixels where the training images have ink) and a few test digits go
// through the current model; each group's mean MSE (per pixel, against its own input) is shown. The
// identity copies noise exactly; an undercomplete model turns noise into digit-like blobs, and a
// trained overcomplete one copies it more closely the longer it trains.
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

    /// Mean per-pixel MSE of the noise images / the test images (−1 before the first result).
    double noiseMse() const { return m_noiseMse; }
    double digitMse() const { return m_digitMse; }

protected:
    void clearResults() override;
    void paintEvent(QPaintEvent *) override;

private:
    double m_noiseMse = -1, m_digitMse = -1;
    QVector<QImage> m_noise, m_noiseOut, m_digits, m_digitsOut;
    QString m_noun = QStringLiteral("digits"), m_arch;
    qint64 m_step = 0;
    // The noise images, made once per data set (the ink mask reads every training image).
    struct NoiseInput;  // the d × kNoiseImages matrix (NoiseCopyDemo.cpp: no Eigen in this header)
    std::shared_ptr<const DataBundle> m_noiseData;
    std::shared_ptr<const NoiseInput> m_noiseInput;
};
