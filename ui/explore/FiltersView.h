#pragma once
// "Inside the network": the first-layer encoder filters (rows of W₁ as rows × cols tiles) and the
// last decoder layer's columns, in a diverging blue–white–red map centred at 0, live while training.
// The model arrives as an immutable copy (~15×/s while training); tiles are rebuilt at most every
// 200 ms (the first update at once, the last one always shown), and not at all while the view is
// hidden (the newest model is rebuilt when it is shown). A rebuild of 2 × 64 tiles takes 3–13 ms. For tied weights the caption says
// the decoder's matrix is the encoder's, transposed.
#include "FilterTiles.h"

#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <memory>

class QCheckBox;
class QGridLayout;
class QLabel;
class QComboBox;
class QSpinBox;

namespace ael {
template <class S> class Model;
}

class FiltersView : public QWidget {
    Q_OBJECT
public:
    enum class Panels { Both, Encoder, Decoder };

    explicit FiltersView(QWidget *parent = nullptr);
    ~FiltersView() override;

    /// The tiles of the last rebuilt model (for tests): unit i's encoder row or decoder column.
    QImage tile(int i, bool decoder) const;
    int tileCount(bool decoder) const;
    const ael::ui::FilterSet &filters(bool decoder) const { return decoder ? m_dec : m_enc; }
    /// The caption under the title, e.g. the tied-weights note.
    QString caption() const;
    /// The title and the caption as drawn at this size: the longest forms that fit (the title on one line, the
    /// caption in two), then elided. Presentation mode at 1024 × 768 cut the title mid-word ("first-la") and
    /// the caption's third line off.
    QString shownTitle() const;
    QString shownCaption() const;
    /// A panel's title as drawn: its longest form that fits the panel's width ("Rows of W₁" at the narrowest).
    QString shownPanelTitle(bool decoder) const;
    bool sharedScale() const { return m_shared; }
    Panels panels() const { return m_panels; }
    int maxFilters() const { return m_max; }
    /// Rebuilds the tiles now from the newest model (tests, hidden views; the throttle does this by itself).
    void flush();
    /// Where tile i of a panel is drawn, in widget coordinates (empty if not shown).
    QRectF tileRect(int i, bool decoder) const;

    QSize sizeHint() const override { return {960, 560}; }

public slots:
    /// A new model copy; rows × cols is the image shape (rows·cols = the model's input size).
    void setModel(std::shared_ptr<const ael::Model<float>> model, int rows, int cols);
    void setSharedScale(bool on);
    void setPanels(Panels s);
    void setMaxFilters(int n);  ///< 1..256 tiles per panel (default 64)
    void clear();

protected:
    void paintEvent(QPaintEvent *) override;
    void resizeEvent(QResizeEvent *) override;
    void showEvent(QShowEvent *) override;
    bool event(QEvent *e) override;  // tooltips: which unit a tile is, its max |w|

private:
    QStringList captions() const;  ///< the caption's forms, long to short
    void rebuild();
    void onThrottle();
    QRectF contentRect() const;
    struct Panel {
        QRectF area;  // title + grid
        QRectF grid;
        int gridCols = 0;
        double cell = 0, gap = 0;
    };
    Panel panelLayout(const QRectF &area, int n) const;
    QVector<QRectF> panelAreas() const;

    std::shared_ptr<const ael::Model<float>> m_model;  ///< the newest copy (shown, or due at the throttle)
    int m_rows = 28, m_cols = 28;
    bool m_dirty = false, m_tied = false, m_variational = false;
    int m_codeSize = 0;
    QTimer m_throttle;
    ael::ui::FilterSet m_enc, m_dec;
    bool m_shared = false;
    Panels m_panels = Panels::Both;
    int m_max = 64;
    QString m_message;

    void layOutBar();  ///< one row of controls when it fits, else two

    QWidget *m_bar = nullptr;
    QGridLayout *m_barGrid = nullptr;
    QLabel *m_showLabel = nullptr;
    int m_barRows = 0;  ///< 1 or 2 as laid out; 0 before the first layout
    QComboBox *m_panelsBox = nullptr;
    QCheckBox *m_sharedBox = nullptr;
    QSpinBox *m_countBox = nullptr;
};
