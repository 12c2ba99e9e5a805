#pragma once
// "Sample the prior": a grid of decodings g(h) of fresh h ~ N(0, I) — the generative side of the
// variational autoencoder (the GUI's `aelab-cli sample`). Every press of "New samples" draws again.
#include <QDialog>
#include <QImage>
#include <QVector>

#include <functional>

class DigitTiles;

class PriorSamplesDialog : public QDialog {
    Q_OBJECT
public:
    /// `sample(count, seed)` decodes count fresh codes from the newest model.
    using Sampler = std::function<QVector<QImage>(int count, quint64 seed)>;
    PriorSamplesDialog(Sampler sample, QWidget *parent = nullptr);

    void resample();
    const QVector<QImage> &images() const { return m_images; }
    quint64 seed() const { return m_seed; }

private:
    Sampler m_sample;
    DigitTiles *m_tiles = nullptr;
    QVector<QImage> m_images;
    quint64 m_seed = 1;
    static constexpr int kSide = 8;
};
