#pragma once
// The loss curves: the objective L + Ω being minimised, the reconstruction loss L, one curve per
// regularizer term (readable names, formulas in the legend's tooltips), the test MSE, the PCA-k
// floor and a labelled vertical marker wherever the variant or a setting changed. Qt Charts, no
// OpenGL (it crashes offscreen and on some projector laptops). Stays fast after hours of training:
// every curve keeps at most DecimatedSeries::kDefaultCapacity points and is handed to Qt Charts
// with one QXYSeries::replace() per update. Where the test MSE rises from its lowest point while the
// training loss still falls (core/train/OverfitWatch.h), a dotted line in the test MSE's colour marks
// that point: "lowest test MSE, +2.1 % since: overfitting".
#include "core/train/OverfitWatch.h"
#include "ui/training/Snapshot.h"
#include "ui/widgets/DecimatedSeries.h"

#include <QHash>
#include <QList>
#include <QElapsedTimer>
#include <QLineF>
#include <QPointF>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <deque>
#include <limits>

class QAbstractAxis;
class QChart;
class QChartView;
class QCheckBox;
class QGraphicsLineItem;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;
class QLabel;
class QLineSeries;
class LegendRow;

class LossChartView : public QWidget {
    Q_OBJECT
public:
    explicit LossChartView(QWidget *parent = nullptr);
    ~LossChartView() override;

    void setLogY(bool on);
    bool logY() const { return m_logY; }

    /// Snapshots arrive every 40–100 ms; the chart is redrawn from them at most every `ms`
    /// (default 100), and not at all while the view is hidden. 0: redraw on every snapshot.
    void setRefreshInterval(int ms);
    int refreshInterval() const { return m_refreshMs; }
    /// Hands the pending data to the chart now.
    void refresh();

    // For tests and the screenshot harness.
    QChart *chart() const { return m_chart; }
    QChartView *chartView() const { return m_view; }
    /// "train", "test", "pca" or a regularizer term's name; nullptr if there is no such curve.
    QLineSeries *series(const QString &key) const;
    /// Draws one curve thicker for a moment (another view pointing at it, e.g. the code histogram).
    void highlight(const QString &key);
    QAbstractAxis *xAxis() const { return m_axisX; }
    QAbstractAxis *yAxis() const { return m_axisY; }
    int markerCount() const { return int(m_markers.size()); }
    QStringList markerLabels() const;
    /// Whether marker i's line and label are currently shown (inside the plot area).
    bool markerVisible(int i) const;
    /// The label drawn on the PCA floor line ("PCA-k test MSE"), empty while there is none.
    QString floorLabel() const;
    /// The floor's label as painted: floorLabel(), or its short form ("PCA-2") in a narrow plot; empty if hidden.
    QString shownFloorLabel() const;
    /// Where marker i's label and the floor label are drawn (chart coordinates; empty if hidden).
    QRectF markerLabelRect(int i) const;
    QRectF floorLabelRect() const;
    /// The thin line from the floor's label to its line when the label had to move off the line (curves
    /// ran through every place beside it): chart coordinates, or a null line when the label sits on it.
    QLineF floorLeader() const;
    /// The sample of the floor's dashed line drawn in its label when the label is at the top of the plot
    /// (chart coordinates; null when not shown).
    QLineF floorSwatch() const;
    /// The overfitting marker's label as drawn (empty while the run does not overfit, or the label has no room)
    /// and the step its line stands at (−1: none).
    QString overfitLabel() const;
    qint64 overfitStep() const;
    QRectF overfitLabelRect() const;
    const ael::OverfitWatch &overfitWatch() const { return m_overfit; }
    /// The legend below the chart: one entry per curve that has points.
    LegendRow *legend() const { return m_legend; }
    /// The labels of the log axis as drawn (1, 2 and 5 times each power of ten in range).
    QStringList logTickLabels() const;

public slots:
    void applySnapshot(const Snapshot &s);
    void reset();

signals:
    void logYChanged(bool on);

protected:
    void resizeEvent(QResizeEvent *e) override;
    /// Presentation mode changes the application font: fonts and line widths follow.
    void changeEvent(QEvent *e) override;
    void showEvent(QShowEvent *e) override;

private:
    struct Curve {
        DecimatedSeries data;
        QLineSeries *series = nullptr;  ///< the first run of points (the legend's and tests' series)
        /// The later runs: a curve is broken where it has no values (a term of another variant, a
        /// non-finite step), since a QLineSeries joins every two neighbouring points, NaN or not.
        QList<QLineSeries *> more;
        QList<double> gaps;  ///< x of the last point before each break
        double lastX = 0;
        double width = 2;  ///< pen width before lineScale() (presentation mode)
        bool dirty = false;
        /// Every series of this curve: `series`, then all of `more` (empty ones too: they keep the axes).
        QList<QLineSeries *> allSeries() const { return QList<QLineSeries *>{series} + more; }
        /// The series drawing this curve: `series`, then those of `more` in use.
        QList<QLineSeries *> segments() const;
    };
    struct Marker {
        qint64 step = 0;
        QString label;
        QGraphicsLineItem *line = nullptr;
        QGraphicsRectItem *box = nullptr;
        QGraphicsSimpleTextItem *text = nullptr;
    };

    Curve &curve(const QString &key, const QString &displayName, const QColor &color, double width,
                 Qt::PenStyle style = Qt::SolidLine);
    void push(Curve &c, QPointF p);
    /// No value at this point: the line stops at the last point and starts again at the next.
    void gap(Curve &c);
    /// Splits the curve's points at its gaps onto series, first `series`, then `more` (created as needed).
    void drawSegments(Curve &c, const QList<QPointF> &points);
    void flush();
    void scheduleRefresh();
    void updateAxes();
    void updateFloor();
    void updateMarkers();
    void updateFloorLabel();
    void updateFonts();
    void updateXTitle();
    void updateLegend();
    void updateTestDots();
    QString lossKindSuffix() const;  ///< " (BCE)" after L's names when L is cross-entropy
    void updateLogLabels();
    void rebuildYAxis();
    void addMarker(const ChangeMarker &m);
    Marker makeMarker(const QString &label, const QPen &pen);
    /// The overfitting marker's label, long to short, for the watch's verdict now (empty: none).
    QStringList overfitForms() const;
    QList<QPointF> displayed(const QList<QPointF> &pts) const;

    QChart *m_chart = nullptr;
    QChartView *m_view = nullptr;
    QCheckBox *m_logBox = nullptr;
    QLabel *m_title = nullptr;
    QAbstractAxis *m_axisX = nullptr;
    QAbstractAxis *m_axisY = nullptr;
    bool m_logY = false;

    QHash<QString, Curve *> m_curves;  // owned
    QStringList m_order;               // keys in creation order
    int m_termCount = 0;
    QList<Marker> m_markers;
    Marker m_lowest;  ///< the overfitting marker: the test MSE's lowest point (hidden while not overfitting)
    ael::OverfitWatch m_overfit;
    double m_trainSum = 0;  ///< the training losses since the last test evaluation (for the watch)
    int m_trainCount = 0;
    double m_lastTrain = std::numeric_limits<double>::quiet_NaN();
    QGraphicsRectItem *m_floorBox = nullptr;
    QGraphicsSimpleTextItem *m_floorText = nullptr;
    QGraphicsLineItem *m_floorLeader = nullptr;
    QGraphicsLineItem *m_floorSwatch = nullptr;  ///< the floor's dashes, in its label when sent to the top
    QStringList m_floorForms;  ///< the floor's label, long to short (none: no floor)
    QList<QGraphicsSimpleTextItem *> m_logLabels;  // 1-2-5 labels drawn over the log axis
    LegendRow *m_legend = nullptr;

    qint64 m_lastStep = -1;
    qint64 m_lastTestStep = 0;
    double m_pcaMse = 0;
    int m_codeSize = 0;  ///< PCA's k for the floor (capped)
    bool m_pcaExact = false;
    bool m_bce = false;  ///< L is BCE: its curve says so, beside the test MSE on the same axis
    bool m_floorOfNoisy = false;  ///< the floor is PCA-k of x̃ (denoising), scored against the clean x
    double m_xMin = 0, m_xMax = 1;
    double m_logFloor = 1e-3;

    QTimer m_refreshTimer;
    QElapsedTimer m_sinceRefresh;
    int m_refreshMs = 100;
    bool m_pending = false;  ///< the log axis's bottom: values ≤ it are drawn there
};
