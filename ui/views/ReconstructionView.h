#pragma once
// Ten fixed test digits (one per class) in rows: Original / Corrupted (denoising variant only) /
// AE reconstruction / PCA-k reconstruction, each row labelled with its name and its MSE over these
// ten images (the test-set MSE is the chart's and the verdict's), beside the row; when two lines of text
// at full size do not fit beside the digits (large text in a short view: presentation mode at 1280×720)
// the name stays beside the row and the MSE goes after it, and when one line does not fit either, both
// go on a line above the row. In the denoising variant PCA gets the same corrupted x̃ as the autoencoder. QPainter, nearest-neighbour scaling (the pixels stay
// visible as pixels), sized to the widget, anchored at the top with a caption under the grid.
#include "ui/training/Snapshot.h"

#include <QImage>
#include <QStringList>
#include <QVector>
#include <QWidget>

class ReconstructionView : public QWidget {
    Q_OBJECT
public:
    explicit ReconstructionView(QWidget *parent = nullptr);

    struct Row {
        QString name;
        QVector<QImage> images;
        double mse = -1;  ///< < 0: no MSE shown (the originals)
        QColor color;
    };
    /// The rows as they are drawn (for tests).
    QList<Row> rows() const;
    /// Where the image of digit column `col` in drawn row `row` is (for tests); empty if none.
    QRect cellRect(int row, int col) const;
    /// The title, e.g. "Ten test digits and their reconstructions".
    QString title() const;
    /// The text under a row's name, e.g. "these 10: 0.0512" (the MSE over the ten images shown); "all 10: 0.0512"
    /// when the ten are split into two blocks of five, the number given once for both.
    static QString mseCaption(double mse, bool split = false);
    /// The MSE alone, as drawn after a row when the label beside it has room for one line only.
    static QString mseNumber(double mse);
    /// The MSE alone, long to short (0.000431, 4.31e-4, 4.3e-4, 4e-4): a narrow label takes the first
    /// that fits instead of cutting the number.
    static QStringList mseForms(double mse);
    /// Row `row`'s MSE as drawn (for tests; empty if the row has none): in block `block` (0 or 1; empty in the block
    /// that does not give it when the ten are split in two), or by default where it is drawn.
    QString mseShown(int row, int block = -1) const;
    /// 2 when the ten images stand in two blocks of five (a tall, narrow view), else 1 (for tests).
    int blocks() const;
    /// The column headers as drawn: each class name in at most two lines; none when a column is too narrow
    /// to show more than a letter or two of one (for tests).
    QList<QStringList> headerLines() const;
    /// The text size of the row labels as drawn (the name; its MSE at 0.9×), and where row `row`'s label
    /// is drawn in the first block (for tests; empty if there is no such row).
    double labelPixelSize() const;
    QRectF labelRect(int row) const;
    /// Whether the labels sit above their rows (see the top of this file).
    bool labelsAbove() const;

    QSize sizeHint() const override { return {900, 420}; }

public slots:
    /// An empty Snapshot::originals keeps the digits shown (the worker may send them less often).
    void applySnapshot(const Snapshot &s);
    void reset();

protected:
    void paintEvent(QPaintEvent *) override;

private:
    struct Geometry {
        double px = 14;
        double labelWidth = 0, cell = 0, gap = 0, rowGap = 0, headerH = 0, titleH = 0, footH = 0;
        bool labelsAbove = false;
        double stripH = 0;              ///< the label line above each row (labelsAbove), else 0
        double mseRight = 0;            ///< the width of the MSE column after the rows (0: the MSE is in the label)
        int headerLines = 1;            ///< lines of the class names over the columns: 1, 2, or 0 (none: too narrow)
        int blocks = 1, perBlock = 10;  ///< one block of ten columns, or two of five stacked
        double blockH = 0;              ///< a block's height with its header and the gap after it
        bool title = true, caption = true;  ///< dropped, caption first, where the digits would be smaller than the text
        QPointF origin;  // top-left of the first image
    };
    /// The layout for nRows rows; `px` overrides the text size (0: from the view's size).
    enum class LabelMode { Beside, NameBesideMseAfter, Above };
    /// `trim`: 1 leaves the caption out, 2 the title too.
    Geometry geometry(int nRows, double px = 0, LabelMode mode = LabelMode::Beside, int trim = 0) const;
    QRectF labelRect(const Geometry &g, int row, int block) const;
    QRectF mseRect(const Geometry &g, int row, int block) const;
    QString mseText(const Geometry &g, int row, int block) const;
    static QPointF cellOrigin(const Geometry &g, int row, int col);
    QStringList columnNames() const;

    QVector<QImage> m_originals, m_corrupted, m_ae, m_pca;
    double m_mse[4] = {0, 0, 0, 0};
    int m_codeSize = 0, m_pcaK = 0;
    bool m_pcaOfCorrupted = false;
    QString m_noun = QStringLiteral("digits");
    QStringList m_classNames;
};
