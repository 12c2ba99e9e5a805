#pragma once
// What the five lesson demos share: a background worker, a run generation (results of a task started
// before reset() are dropped), a count of results shown (tests wait on it) and the demo's size.
#include "ui/lessons/LessonDemo.h"
#include "ui/lessons/demos/DemoPaint.h"
#include "ui/lessons/demos/DemoWorker.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QTimer>
#include <QPointer>

#include <utility>

class DemoBase : public LessonDemo {
    Q_OBJECT
public:
    explicit DemoBase(QWidget *parent = nullptr);
    ~DemoBase() override;

    void reset() override;
    /// How many results have reached the widget since it was made (tests wait for it to grow).
    int resultCount() const { return m_results; }
    /// Nothing running, waiting on the worker or waiting for the throttle.
    bool idle() const { return !m_deferred && m_worker.idle(); }

    /// The text size and the footer lines of the last paint (for tests).
    double paintedPx() const { return m_painted.px; }
    QStringList paintedFooter() const { return m_painted.lines; }

    QSize sizeHint() const override { return {420, 260}; }
    QSize minimumSizeHint() const override { return {320, 200}; }

protected:
    /// Draws the title (its first form that fits) at the top of r and the footer lines at its bottom, at
    /// the text size demo_paint::fitFooter finds for the demo's base size, and returns that size; r becomes
    /// the room between them. body(px): the height the rest of the demo needs at that size. A first line
    /// that is the verdict is bold and always kept; the lines left out become the tooltip.
    double paintTitleAndFooter(QPainter &p, QRectF &r, const QStringList &title, const QStringList &lines, bool verdictFirst,
                               const std::function<double(double)> &body);
    /// Called by reset() after the worker's tasks were cancelled: forget the shown results.
    virtual void clearResults() {}
    quint64 generation() const { return m_generation; }
    /// From a task: runs f() in the GUI thread if the widget still exists and no reset() came
    /// in between, then counts the result and repaints.
    template <class F> void deliver(quint64 gen, F f)
    {
        QMetaObject::invokeMethod(
            this,
            [this, gen, f = std::move(f)]() mutable {
                if (gen != m_generation) return;
                f();
                ++m_results;
                update();
            },
            Qt::QueuedConnection);
    }

    /// Runs t on the worker, at most every kMinIntervalMs: Snapshots come ~15 times a second and the
    /// newest wins, so a demo recomputes a few times a second instead of keeping a core busy.
    void schedule(DemoWorker::Task t);
    static constexpr int kMinIntervalMs = 250;

    DemoWorker m_worker;

private:
    void flush();
    DemoWorker::Task m_deferred;
    QTimer m_throttle;
    QElapsedTimer m_sincePost;
    demo_paint::FooterFit m_painted;
    quint64 m_generation = 1;
    int m_results = 0;
};
