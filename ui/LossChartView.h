#pragma once
// The loss curves: train reconstruction loss, test MSE, one curve per regularizer term, the PCA-k
// floor and a labelled vertical marker wherever the variant or a setting changed. Qt Charts, no
// OpenGL (it crashes offscreen and on some projector laptops). Stays fast after hours of training:
// every curve keeps at most DecimatedSeries::kDefaultCapacity points and is handed to Qt Charts
// with one QXYSeries::replace() per update.
#include "Snapshot.h"

#include <QHash>
#include <QList>
#include <QPointF>
#include <QVector>
#include <QWidget>

class QAbstractAxis;
class QChart;
class QChartView;
class QCheckBox;
class QGraphicsLineItem;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;
class QLabel;
class QLineSeries;

/// A curve that never holds more than capacity() points. When an append overflows it, the oldest
/// half (except the very first point) is merged pair by pair into weighted means, so recent
/// training stays at full resolution, old training gets coarser, and the first and last x stay.
class DecimatedSeries {
public:
    static constexpr int kDefaultCapacity = 2000;

    explicit DecimatedSeries(int capacity = kDefaultCapacity);
    void append(QPointF p);
    void clear();
    const QList<QPointF> &points() const { return m_points; }
    int size() const { return int(m_points.size()); }
    bool isEmpty() const { return m_points.isEmpty(); }
    int capacity() const { return m_capacity; }
    /// How many appended points each stored point stands for (same length as points()).
    const QList<double> &weights() const { return m_weights; }

private:
    void decimate();

    QList<QPointF> m_points;
    QList<double> m_weights;
    int m_capacity;
};

class LossChartView : public QWidget {
    Q_OBJECT
public:
    explicit LossChartView(QWidget *parent = nullptr);
    ~LossChartView() override;

    void setLogY(bool on);
    bool logY() const { return m_logY; }

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

public slots:
    void applySnapshot(const Snapshot &s);
    void reset();

signals:
    void logYChanged(bool on);

protected:
    void resizeEvent(QResizeEvent *e) override;

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
    void updateAxes();
    void updateFloor();
    void updateMarkers();
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

    qint64 m_lastStep = -1;
    qint64 m_lastTestStep = 0;
    double m_pcaMse = 0;
    int m_codeSize = 0;
    double m_xMin = 0, m_xMax = 1;
    double m_logFloor = 1e-3;  ///< the log axis's bottom: values ≤ it are drawn there
};
