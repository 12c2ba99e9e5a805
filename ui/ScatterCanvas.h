#pragma once
// A fast 2-D scatter of labelled points drawn with QPainter (no Qt Charts): thousands of small
// squares, one drawRects() batch per class colour; axes whose range eases smoothly toward the
// data's robust range (1st–99th percentile plus a margin) at ~30 Hz instead of jumping with every
// snapshot; an optional N(0, I) prior (1σ and 2σ circles); a class legend; and a hover overlay
// showing the test digit under the mouse, found through a uniform grid (PointGrid).
// Used by LatentScatterView (the AE code) and PcaComparisonView (AE code and PC1/PC2).
#include <QElapsedTimer>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QStringList>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <array>
#include <memory>

namespace ael {
struct Dataset;
}

/// Buckets points into a uniform grid over their bounding box for nearest-point queries under an
/// axis-scaled metric (data → pixel scale sx, sy), as the scatter's hover uses.
class PointGrid {
public:
    void build(const QVector<QPointF> &points);
    void clear();
    bool isEmpty() const { return m_count == 0; }
    /// The index of the point nearest to q in the metric d² = (sx·Δx)² + (sy·Δy)², among the points
    /// with d ≤ maxDist, or −1. Points outside `within` (if it is valid) are ignored.
    int nearest(QPointF q, double sx, double sy, double maxDist, const QRectF &within = {}) const;

private:
    QVector<QPointF> m_points;  // implicitly shared with the canvas's copy
    QRectF m_bounds;
    int m_nx = 0, m_ny = 0, m_count = 0;
    QVector<int> m_cellStart;  // m_nx·m_ny + 1 offsets into m_index
    QVector<int> m_index;
};

class ScatterCanvas : public QWidget {
    Q_OBJECT
public:
    explicit ScatterCanvas(QWidget *parent = nullptr);

    /// points[i] has class labels[i] (missing labels draw as class 0); non-finite points are skipped.
    void setData(const QVector<QPointF> &points, const QVector<quint8> &labels);
    /// The images behind the points, for hover: point i is test image i.
    void setTestSet(std::shared_ptr<const ael::Dataset> testSet);
    void setTitle(const QString &title);
    void setAxisTitles(const QString &x, const QString &y);
    void setClassNames(const QStringList &names);  ///< overrides testSet->classNames
    void setPriorCircles(bool on);                 ///< the N(0, I) prior's 1σ and 2σ circles
    void setEqualAspect(bool on);                  ///< one data unit is as long on x as on y
    void setLegendVisible(bool on);
    void setEmptyText(const QString &text);
    void clear();

    const QVector<QPointF> &points() const { return m_points; }
    const QVector<quint8> &labels() const { return m_labels; }
    QString title() const { return m_title; }
    bool priorCircles() const { return m_prior; }
    /// The eased axis range (before the equal-aspect widening) and where it is heading.
    QRectF viewRange() const { return m_view; }
    QRectF targetRange() const { return m_target; }
    /// The range actually drawn: viewRange() widened for equal aspect if that is on.
    QRectF drawnRange() const;
    QRectF plotRect() const;
    QPointF dataToWidget(QPointF p) const;
    QPointF widgetToData(QPointF w) const;

    /// The index of the point drawn nearest to pos (widget coordinates), within maxPixels, or −1.
    int hitTest(QPointF pos, double maxPixels = 12) const;
    int hoveredIndex() const { return m_hover; }
    /// Hover as the mouse would (for tests): pos outside the plot clears it.
    void hoverAt(QPointF pos);

    /// One easing step of dt seconds toward targetRange() (the 30 Hz timer calls this).
    void advanceView(double dtSeconds);
    void snapView();
    bool isAnimating() const { return m_anim.isActive(); }

    /// The box from the lo-th to the hi-th quantile on each axis, widened by margin × span on each
    /// side (and to at least minSpan); non-finite points ignored; invalid if there are none.
    static QRectF robustRange(const QVector<QPointF> &pts, double lo = 0.01, double hi = 0.99,
                              double margin = 0.08, double minSpan = 1e-3);

protected:
    void paintEvent(QPaintEvent *) override;
    void mouseMoveEvent(QMouseEvent *e) override;
    void leaveEvent(QEvent *e) override;

private:
    QStringList classNames() const;
    QImage digitImage(int i) const;
    void updateTarget();
    void startAnimation();

    QVector<QPointF> m_points;
    QVector<quint8> m_labels;
    std::shared_ptr<const ael::Dataset> m_testSet;
    QStringList m_classNames;
    QString m_title, m_xTitle, m_yTitle, m_emptyText;
    bool m_prior = false, m_equalAspect = false, m_legend = true;

    QRectF m_view, m_target;
    QTimer m_anim;
    QElapsedTimer m_clock;
    qint64 m_lastTick = 0;

    PointGrid m_grid;
    int m_hover = -1;
    QPointF m_mouse;

    mutable std::array<QVector<QRect>, 10> m_batches;  // reused between paints
};
