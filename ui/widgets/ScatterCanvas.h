#pragma once
// A fast 2-D scatter of labelled points drawn with QPainter (no Qt Charts): thousands of small
// squares, one drawRects() batch per class colour; axes whose range eases smoothly toward the
// data's robust range (1st–99th percentile, the tails within a quarter span, plus a margin) at
// ~30 Hz instead of jumping with every snapshot; an optional N(0, I) prior (1σ and 2σ circles); a
// class legend; and a hover overlay showing the test digit under the mouse, found through a uniform
// grid (PointGrid).
// Used by LatentExplorer (the AE code) and PcaComparisonView (AE code and PC1/PC2).
#include <QElapsedTimer>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QStringList>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include "ui/widgets/PointGrid.h"
#include "ui/widgets/ScatterLegend.h"
#include "ui/widgets/ScatterMarks.h"

#include <array>
#include <functional>
#include <memory>

namespace ael {
struct Dataset;
}

class ScatterCanvas : public QWidget {
    Q_OBJECT
public:
    explicit ScatterCanvas(QWidget *parent = nullptr);

    /// points[i] has class labels[i] (missing labels draw as class 0); non-finite points are skipped.
    void setData(const QVector<QPointF> &points, const QVector<quint8> &labels);
    /// The images behind the points, for hover: point i is test image i.
    void setTestSet(std::shared_ptr<const ael::Dataset> testSet);
    /// The title over the plot; the first of `shorter` (long to short) that fits is shown when it does not.
    void setTitle(const QString &title, const QStringList &shorter = {});
    void setAxisTitles(const QString &x, const QString &y);
    void setClassNames(const QStringList &names);  ///< overrides testSet->classNames
    void setPriorCircles(bool on);                 ///< the N(0, I) prior's 1σ and 2σ circles
    /// The axes show this data rectangle instead of the points' range (the prior's quantile grid, which
    /// spread over the points' range had tiles of 5–7 px); an invalid rectangle gives the points' range back.
    void setFocusRange(const QRectF &r);
    QRectF focusRange() const { return m_focus; }
    void setEqualAspect(bool on);                  ///< one data unit is as long on x as on y
    void setLegendVisible(bool on);
    void setEmptyText(const QString &text);
    void clear();
    /// Paints under the points (e.g. the decoded manifold), given the data → widget map; `extent` is
    /// the data rectangle it covers. An empty function removes it.
    using BackdropPainter = std::function<void(QPainter &, const std::function<QPointF(QPointF)> &)>;
    void setBackdrop(BackdropPainter painter, const QRectF &extent);
    QRectF backdropRect() const { return m_backdrop ? m_backdropRect : QRectF(); }
    /// The points' opacity (faint over a backdrop).
    void setPointOpacity(double a);
    /// Marked codes drawn over the points.
    void setMarks(const QVector<ScatterMark> &marks);
    const QVector<ScatterMark> &marks() const { return m_marks; }

    const QVector<QPointF> &points() const { return m_points; }
    const QVector<quint8> &labels() const { return m_labels; }
    QString title() const { return m_title; }
    /// The title as painted at this size: the short one when the full one does not fit, elided last.
    QString shownTitle() const;
    QString xTitle() const { return m_xTitle; }
    /// Where an axis title is painted (the y title's box, reading upwards along the left edge) and, in
    /// `shown`, its text: centred on the plot, inside the canvas, elided only beyond the canvas's size.
    QRectF axisTitleRect(Qt::Orientation o, QString *shown = nullptr) const;
    QString yTitle() const { return m_yTitle; }
    bool priorCircles() const { return m_prior; }
    /// The eased axis range (before the equal-aspect widening) and where it is heading.
    QRectF viewRange() const { return m_view; }
    QRectF targetRange() const { return m_target; }
    /// The range actually drawn: viewRange() widened for equal aspect if that is on.
    QRectF drawnRange() const;
    QRectF plotRect() const;
    /// Where the class legend goes at this size (ScatterLegend.h): beside the plot, under it, or nowhere.
    ScatterLegend legend() const;
    /// The legend font's scale: 1, or smaller (to 0.7) where that shows every class name whole.
    double legendScale() const;
    /// The class names as the legend shows them at this size (shortened or elided to fit); empty without one.
    QStringList shownClassNames() const;
    /// The whole name of the class whose legend entry is at `pos` (its tooltip); empty elsewhere.
    QString legendNameAt(QPointF pos) const;
    /// The step between the x axis's ticks: neighbouring labels never touch.
    double xTickStep() const;
    /// The same for the y axis: neighbouring labels at least their height and 4 px apart.
    double yTickStep() const;
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


signals:
    /// The mouse is over the plot at this data point (pressed: a drag or click).
    void probeMoved(QPointF data, bool pressed);
    /// A left click in the plot: the data point, the test point hit (−1: none) and the modifiers.
    void clicked(QPointF data, int pointIndex, Qt::KeyboardModifiers modifiers);

protected:
    void paintEvent(QPaintEvent *) override;
    void mouseMoveEvent(QMouseEvent *e) override;
    void mousePressEvent(QMouseEvent *e) override;
    void leaveEvent(QEvent *e) override;
    void resizeEvent(QResizeEvent *e) override;
    void hideEvent(QHideEvent *e) override;
    bool event(QEvent *e) override;

private:
    /// The plot's margins without the legend: ticks and y title, title, ticks and x title.
    void margins(double &left, double &top, double &bottom) const;
    double xTickStep(const QRectF &range, const QRectF &plot) const;  ///< for this range drawn in this plot
    double yTickStep(const QRectF &range, const QRectF &plot) const;
    QStringList classNames() const;
    QImage digitImage(int i) const;
    void updateTarget();
    void startAnimation();

    QVector<QPointF> m_points;
    QVector<quint8> m_labels;
    std::shared_ptr<const ael::Dataset> m_testSet;
    QStringList m_classNames;
    QString m_title, m_xTitle, m_yTitle, m_emptyText;
    QStringList m_shorter;  ///< shorter titles, long to short, for a narrow canvas
    bool m_prior = false, m_equalAspect = false, m_legend = true;
    QRectF m_focus;

    QRectF m_view, m_target;
    QTimer m_anim;
    QElapsedTimer m_clock;
    qint64 m_lastTick = 0;

    BackdropPainter m_backdrop;
    QRectF m_backdropRect;
    double m_pointOpacity = 1.0;
    QVector<ScatterMark> m_marks;

    PointGrid m_grid;
    int m_hover = -1;
    QPointF m_mouse;

    mutable std::array<QVector<QRect>, 10> m_batches;  // reused between paints
};
