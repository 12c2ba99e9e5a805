#pragma once
// Rows of labelled digit images, painted large and crisp for a projector: each tile is a title in
// its series colour above the image (nearest-neighbour scaling, so pixels stay pixels) and a caption
// beneath (e.g. "MSE 0.0123"). The first row gets the biggest tiles; later rows are smaller
// (e.g. the nearest training digits), and are left out when there is no room for them. Used by
// DrawPanel for the drawing's results.
#include <QColor>
#include <QImage>
#include <QString>
#include <QVector>
#include <QWidget>

class DigitTiles : public QWidget {
    Q_OBJECT
public:
    struct Tile {
        QString title;
        QImage image;   ///< null: an empty grey square (e.g. "no model yet")
        QString caption;
        QColor color;
        QString shortTitle, shortCaption;  ///< shown when the long one does not fit (empty: it is elided)
    };
    struct Row {
        QString title;  ///< shown above the row when not empty
        QVector<Tile> tiles;
        double scale = 1;  ///< tile size relative to the first row
    };

    explicit DigitTiles(QWidget *parent = nullptr);
    void setRows(const QVector<Row> &rows);
    /// Every row is drawn, however small that makes the tiles (a grid of equals, e.g. samples of the
    /// prior), instead of leaving out the later rows to keep the first one large (the default); and a
    /// row none of whose tiles has a title (caption) reserves no line for one.
    void setAllRowsShown(bool on);
    const QVector<Row> &rows() const { return m_rows; }
    /// Where tile `col` of row `row` draws its image (for tests); empty if none.
    QRect imageRect(int row, int col) const;
    /// The width its title and caption may take: the distance between neighbouring images, which
    /// spread apart (as far as the widget's width allows) until the row's longest text fits.
    double textWidth(int row) const;
    /// How many rows are drawn: the later rows are left out when keeping them would shrink the
    /// first row's tiles below kMinCell (a short column in presentation mode), unless all rows are shown.
    int shownRows() const { return int(layout().rowTop.size()); }
    static constexpr double kMinCell = 56;
    /// The title and caption tile `col` of row `row` shows: the long form where it fits, else the short
    /// one, elided only if that does not fit either (for tests).
    QString shownTitle(int row, int col) const;
    QString shownCaption(int row, int col) const;
    /// How often the widget has painted itself (tests check that results reach the screen).
    int paintCount() const { return m_paints; }

    QSize sizeHint() const override { return {520, 420}; }
    QSize minimumSizeHint() const override { return {260, 220}; }

protected:
    void paintEvent(QPaintEvent *) override;

private:
    struct Layout {
        double px = 14, cell = 0, gap = 0, rowTitleH = 0, tileTitleH = 0, captionH = 0;
        QVector<double> rowTop;
        QVector<double> pitch;  ///< per row: from one image's left edge to the next one's
    };
    Layout layout() const;
    void place(Layout &L, int rows) const;
    QRect imageRect(const Layout &L, int row, int col) const;

    /// The heights a row's tile titles and captions take (with all rows shown, none when no tile has one).
    double titleHeight(const Layout &L, const Row &r) const;
    double captionHeight(const Layout &L, const Row &r) const;

    QVector<Row> m_rows;
    bool m_allRows = false;
    int m_paints = 0;
};
