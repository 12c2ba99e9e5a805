#pragma once
// The loss curves: train reconstruction loss, test MSE, one curve per regularizer term, the PCA-k
// floor and a labelled vertical marker wherever the variant or a setting changed. Qt Charts, no
// OpenGL (it crashes offscreen and on some projector laptops). Stays fast after hours of training:
// every curve keeps at most DecimatedSeries::kDefaultCapacity points and is handed to Qt Charts
// with one QXYSeries::replace() per update.
#include "Snapshot.h"

#include <QHash>
#include <QList>
#include <QElapsedTimer>
#include <QPointF>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <deque>

class QAbstractAxis;
class QChart;
class QChartView;
class QCheckBox;
class QGraphicsLineItem;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;
class QLabel;
class QLineSeries;

/// A curve that never holds more than capacity() points, whatever was appended: the first point,
/// then the older points merged into bins of equal weight (each bin drawn at the mean of its
/// points), then the newest capacity()/4 points at full resolution. When the bins overflow, pairs
/// of neighbours merge and the bin weight doubles, so the old part of the curve keeps an even
/// resolution along a linear step axis. The first and last x are kept exactly.
class DecimatedSeries {
public:
    static constexpr int kDefaultCapacity = 2000;

    explicit DecimatedSeries(int capacity = kDefaultCapacity);
    void append(QPointF p);
    void clear();
    /// The points to draw (built when asked after a change; at most capacity()).
    const QList<QPointF> &points() const;
    /// How many appended points each of points() stands for.
    const QList<double> &weights() const;
    int size() const;
    bool isEmpty() const { return !m_hasFirst; }
    int capacity() const { return m_capacity; }
    /// How many appended points a full bin holds (1, 2, 4, …).
    double binWeight() const { return m_binWeight; }

private:
    struct Bin {
        double sx = 0, sy = 0, w = 0;
        void add(QPointF p, double wp = 1) { sx += p.x() * wp; sy += p.y() * wp; w += wp; }
        void add(const Bin &o) { sx += o.sx; sy += o.sy; w += o.w; }
        QPointF mean() const { return {sx / w, sy / w}; }
    };
    void rebuild() const;

    int m_capacity, m_tailMax, m_binMax;
    bool m_hasFirst = false;
    QPointF m_first;
    QVector<Bin> m_bins;  // full bins, oldest first, each of weight m_binWeight
    Bin m_open;           // the bin being filled, newer than m_bins
    std::deque<QPointF> m_tail;
    double m_binWeight = 1;

    mutable QList<QPointF> m_points;
    mutable QList<double> m_weights;
    mutable bool m_stale = false;
};

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
    QAbstractAxis *xAxis() const { return m_axisX; }
    QAbstractAxis *yAxis() const { return m_axisY; }
    int markerCount() const { return int(m_markers.size()); }
    QStringList markerLabels() const;
    /// Whether marker i's line and label are currently shown (inside the plot area).
    bool markerVisible(int i) const;
    /// The label drawn on the PCA floor line ("PCA-k test MSE"), empty while there is none.
    QString floorLabel() const;

public slots:
    void applySnapshot(const Snapshot &s);
    void reset();

signals:
    void logYChanged(bool on);

protected:
    void resizeEvent(QResizeEvent *e) override;
    void showEvent(QShowEvent *e) override;

private:
    struct Curve {
        DecimatedSeries data;
        QLineSeries *series = nullptr;
        bool dirty = false;
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
    void flush();
    void scheduleRefresh();
    void updateAxes();
    void updateFloor();
    void updateMarkers();
    void updateFloorLabel();
    void updateFonts();
    void rebuildYAxis();
    void addMarker(const ChangeMarker &m);
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
    QGraphicsRectItem *m_floorBox = nullptr;
    QGraphicsSimpleTextItem *m_floorText = nullptr;

    qint64 m_lastStep = -1;
    qint64 m_lastTestStep = 0;
    double m_pcaMse = 0;
    int m_codeSize = 0;
    double m_xMin = 0, m_xMax = 1;
    double m_logFloor = 1e-3;

    QTimer m_refreshTimer;
    QElapsedTimer m_sinceRefresh;
    int m_refreshMs = 100;
    bool m_pending = false;  ///< the log axis's bottom: values ≤ it are drawn there
};
