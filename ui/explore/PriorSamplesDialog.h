#pragma once
// "Sample the prior": a grid of decodings g(h) of fresh h ~ N(0, I) — the generative side of the
// variational autoencoder (the GUI's `aelab-cli sample`). Every press of "New samples" draws again.
#include <QDialog>
#include <QImage>
#include <QVector>

#include <functional>

class DigitTiles;
class QLabel;

class PriorSamplesDialog : public QDialog {
    Q_OBJECT
public:
    /// `sample(count, seed)` decodes count fresh codes from the newest model.
    using Sampler = std::function<QVector<QImage>(int count, quint64 seed)>;
    PriorSamplesDialog(Sampler sample, QWidget *parent = nullptr);

    void resample();
    const QVector<QImage> &images() const { return m_images; }
    quint64 seed() const { return m_seed; }

protected:
    void changeEvent(QEvent *e) override;

private:
    /// The text's height at the grid's width, all its lines: a window's layout takes a wrapped label's
    /// height at a wider guess, and the buttons then covered the grid's last row.
    void fitText();

    Sampler m_sample;
    QLabel *m_text = nullptr;
    DigitTiles *m_tiles = nullptr;
    QVector<QImage> m_images;
    quint64 m_seed = 1;
    static constexpr int kSide = 8;
};
