#pragma once
// The autoencoder's code beside PCA's: the same test digits on the AE's 2-D code and on the first
// two principal components (same style, same palette), the variance PC1 + PC2 explain, and which
// of the two reconstructs the test set better at the same code size k — with the lecture's formula
// (Goodfellow et al. §14.1: a linear autoencoder trained with MSE spans PCA's subspace).
#include "ui/training/Snapshot.h"

#include <QWidget>

class QLabel;
class ScatterCanvas;

class PcaComparisonView : public QWidget {
    Q_OBJECT
public:
    explicit PcaComparisonView(QWidget *parent = nullptr);

    ScatterCanvas *aeCanvas() const { return m_ae; }
    ScatterCanvas *pcaCanvas() const { return m_pca; }
    /// The verdict line as plain text, e.g. "AE test MSE 0.0312 vs PCA-2 test MSE 0.0551 — AE wins".
    QString verdictText() const { return m_verdictText; }
    /// −1 before the first test evaluation, 0 AE wins, 1 PCA wins, 2 a tie, 3 no PCA yet.
    int winner() const { return m_winner; }

    /// The verdict a Snapshot calls for, measured on the whole test set (pure; for tests).
    struct Verdict {
        int winner = -1;
        QString text, html;
    };
    static Verdict verdict(const Snapshot &s);

private:
    /// "<measuredOn>: AE MSE … vs PCA-k MSE … — who wins" (within 0.5 %: a tie).
    static Verdict compare(const QString &measuredOn, double ae, const QString &pcaName, double pca);

public:

    /// The caption's formula (plain text), also shown under the scatters.
    static QString formulaText();
    /// Where the scatters would keep less than this many lines of the view's text in height (title, plot,
    /// ticks and axis title), the formula under the verdict makes way.
    static constexpr double kScatterLines = 10;
    bool formulaShown() const;

public slots:
    void applySnapshot(const Snapshot &s);
    void reset();

protected:
    void resizeEvent(QResizeEvent *e) override;
    void changeEvent(QEvent *e) override;  ///< a font change (presentation mode) re-sizes the text

private:
    void updateFonts();

    ScatterCanvas *m_ae = nullptr;
    ScatterCanvas *m_pca = nullptr;
    QLabel *m_verdict = nullptr;
    QLabel *m_formula = nullptr;
    QString m_verdictText;
    int m_winner = -1;
};
