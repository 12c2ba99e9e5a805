#pragma once
// Ten fixed test digits (one per class) in rows: Original / Corrupted (denoising variant only) /
// AE reconstruction / PCA-k reconstruction, each row labelled with its name and MSE. QPainter,
// nearest-neighbour scaling (the pixels stay visible as pixels), sized to the widget.
#include "Snapshot.h"

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
        double labelWidth = 0, cell = 0, gap = 0, rowGap = 0, headerH = 0, titleH = 0;
        QPointF origin;  // top-left of the first image
    };
    Geometry geometry(int nRows) const;
    QStringList columnNames() const;

    QVector<QImage> m_originals, m_corrupted, m_ae, m_pca;
    double m_mse[4] = {0, 0, 0, 0};
    int m_codeSize = 0;
    QStringList m_classNames;
};
