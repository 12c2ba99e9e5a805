#pragma once
// Test MSE against the code size k: PCA-k's curve for k = 1…d (log x) and the current autoencoder
// as one point at (its k, its test MSE) on the same axes: "who wins at this k". For denoising also
// the pair on corrupted inputs (hollow marks): the AE's g(f(x̃)) and PCA-k of x̃, scored against x.
#include <QStringList>
#include <QVector>
#include <QWidget>

#include "ui/pca/PlotFrame.h"

class MseVsKPlot : public QWidget {
    Q_OBJECT
public:
    /// As tall as its text and a readable data area need at today's text size (presentation mode, Larger text).
    QSize minimumSizeHint() const override;
    explicit MseVsKPlot(QWidget *parent = nullptr);

    /// PCA-k test MSE for k = 0..d (curve[k]); empty = not fitted yet.
    void setCurve(QVector<double> curve);
    /// The autoencoder: code size k and test MSE (testMse < 0: not measured yet); noisy < 0: none.
    void setAutoencoder(int k, double testMse, double noisyMse = -1, double pcaNoisyMse = -1);
    void setMessage(const QString &m);

    const QVector<double> &curve() const { return m_curve; }
    /// PCA-k test MSE (k clamped to the curve).
    double pcaMse(int k) const;
    /// The smallest k at which PCA's test MSE is at most mse (−1 if none: PCA never gets there).
    int pcaKFor(double mse) const;
    /// The one-line verdict under the title, e.g. "k = 2: AE 0.0389 < PCA 0.0556 · PCA needs k = 9".
    QString verdict() const;
    /// The verdict as drawn at this width: the longest of its forms that fits ("k = 2: AE 0.0389 < PCA
    /// 0.0556", "AE 0.0389 < PCA 0.0556"); presentation mode at 1024 × 768 cut it to "… < PCA 0.0…".
    QString shownVerdict() const;
    /// Denoising only (else empty): "on corrupted x̃: AE 0.0151 < PCA 0.0339".
    QString noisyVerdict() const;
    /// The axes of the last paint (for tests: where a value is drawn).
    const pca_plot::Axes &axes() const { return m_axes; }
    /// The legend's entries ("PCA-k", "autoencoder", for denoising "○ on corrupted x̃") and, on the last
    /// paint's axes, its box: bottom left under the falling curve, or top right over its tail, whichever
    /// the curve and the marks at k cross less (a short plot's bottom left is where the curve starts); none
    /// (a null rect) where either would cover a mark.
    QStringList legendTexts() const;
    QRectF legendRect() const;

protected:
    void paintEvent(QPaintEvent *) override;

private:
    QStringList verdicts() const;       ///< long to short
    QStringList noisyVerdicts() const;  ///< long to short
    QVector<double> m_curve;
    int m_k = 0;
    double m_ae = -1, m_aeNoisy = -1, m_pcaNoisy = -1;
    QString m_message;
    pca_plot::Axes m_axes;
};
