#pragma once
// The scree plot: the explained-variance ratio λ_i / Σ_j λ_j of the first components as bars (left
// axis), the cumulative ratio Σ_{i≤k} λ_i / Σ_j λ_j as a line on a 0–100 % right axis, and a
// marker at the model's code size k ("PC1…PC6 explain 48 %").
#include <QVector>
#include <QWidget>

class ScreePlot : public QWidget {
    Q_OBJECT
public:
    /// As tall as its text and a readable data area need at today's text size (presentation mode, Larger text).
    QSize minimumSizeHint() const override;
    static constexpr int kMaxBars = 50;
    explicit ScreePlot(QWidget *parent = nullptr);

    /// ratios: λ_i / Σλ for i = 1..d (all of them; the first kMaxBars are drawn); empty = not fitted.
    void setRatios(QVector<double> ratios);
    void setCodeSize(int k);
    void setMessage(const QString &m);  ///< shown while there are no ratios (e.g. "PCA is being fitted…")

    const QVector<double> &ratios() const { return m_ratios; }
    /// Σ_{i≤k} ratio_i, k clamped to 0..d.
    double cumulative(int k) const;
    /// The caption of the k marker, e.g. "PC1…PC6 explain 48 %".
    QString markerText() const;

protected:
    void paintEvent(QPaintEvent *) override;

private:
    QVector<double> m_ratios, m_cumulative;  // m_cumulative[k] = Σ_{i≤k}, k = 0..d
    int m_k = 0;
    QString m_message;
};
