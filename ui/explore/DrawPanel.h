#pragma once
// "Draw a digit": the drawing pad with its buttons (Clear, Undo, Eraser, Open image…, Corrupt first)
// beside what the current model makes of the drawing, recomputed on every change of the ink and on
// every new model (the trainer publishes one ~15×/s): the 28×28 input, x̃ (corrupt first), the AE
// and PCA-k reconstructions with their MSEs, and the five nearest training digits. codeChanged()
// carries the drawing's code for the latent and PCA scatters.
#include "DrawingAnalysis.h"

#include <QPointF>
#include <QWidget>

#include <memory>

class QBoxLayout;
class QGridLayout;
class QCheckBox;
class QLabel;
class QPushButton;
class DigitTiles;
class DrawingPad;

class DrawPanel : public QWidget {
    Q_OBJECT
public:
    explicit DrawPanel(QWidget *parent = nullptr);
    ~DrawPanel() override;

    /// An immutable model copy (nullptr: none yet). Recomputes.
    void setModel(std::shared_ptr<const ael::Model<float>> model);
    /// The PCA summary of the current data (nullptr while it is being fitted). Recomputes.
    void setPca(std::shared_ptr<const PcaSummary> pca);
    /// The training set: the neighbours come from it and the pad's target size is its image size.
    void setData(std::shared_ptr<const ael::Dataset> train);
    /// "Draw a digit", or "Draw an image" for a data set of other images (its dock's title too).
    QString title() const;
    /// The trainer's current corruption C(x̃|x); "Corrupt first" uses it. variantIsDenoising only
    /// changes the explanation (a non-denoising AE never saw such inputs).
    void setCorruption(const ael::Corruption &c, bool variantIsDenoising);

    bool corruptFirst() const;
    void setCorruptFirst(bool on);

    DrawingPad *pad() const { return m_pad; }
    DigitTiles *results() const { return m_tiles; }
    /// The last analysis (for tests and the lead's views).
    const DrawingResult &result() const { return m_result; }

    /// Tall: the pad above the results and the buttons two by two (a dock in a side column); wide:
    /// the pad beside the results. A resize switches too (tall below a 1:1 aspect, wide above 1.3:1).
    void setTall(bool tall);
    bool isTall() const { return m_tall; }

    QSize sizeHint() const override { return m_tall ? QSize(340, 700) : QSize(1100, 560); }  // tall: a 1024-pixel window keeps its views

signals:
    /// has = false: nothing drawn (remove the marker). aeCode2d: (h1, h2) (μ for the VAE);
    /// pcaCode2d: (PC1, PC2), the same axes as PcaSummary::testPc12.
    void codeChanged(bool has, QPointF aeCode2d, QPointF pcaCode2d);

protected:
    void resizeEvent(QResizeEvent *e) override;
    void changeEvent(QEvent *e) override;
    bool eventFilter(QObject *o, QEvent *e) override;

private slots:
    void recompute();
    void openImage();

private:
    void applyFonts();
    void updateCorruptionLabel();
    /// The longest of m_corruptTexts that fits the check box's width.
    void fitCorruptionLabel();
    void setStatus(const QString &text, bool error);

    QBoxLayout *m_layout = nullptr;
    QGridLayout *m_buttons = nullptr;
    bool m_tall = false;
    DrawingPad *m_pad = nullptr;
    DigitTiles *m_tiles = nullptr;
    QPushButton *m_clear = nullptr, *m_undo = nullptr, *m_eraser = nullptr, *m_open = nullptr;
    QLabel *m_title = nullptr;
    QCheckBox *m_corrupt = nullptr;
    QStringList m_corruptTexts;  ///< the check box's text, long to short (a narrow column shows a shorter one)
    QLabel *m_status = nullptr;
    DrawingAnalysis m_analysis;
    DrawingResult m_result;
    bool m_denoising = false;
    QString m_loadError;  ///< why the last image could not be opened (until the ink changes)
    QString m_noun = QStringLiteral("digits");  ///< what the training images are (nounOf), set with the data
    bool m_statusIsError = false;
};
