#include "DrawLatency.h"

#include "ui/explore/DigitTiles.h"
#include "ui/explore/DrawPanel.h"
#include "ui/explore/DrawingPad.h"
#include "ui/training/TrainingWorker.h"
#include "ui/window/MainWindow.h"

#include <QCoreApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QMouseEvent>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <vector>

namespace {

double percentileOf(std::vector<double> v, double p)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p / 100.0 * double(v.size() - 1) + 0.5))];
}

/// Ends each pending move's latency when the results view has finished painting.
class PaintClock : public QObject {
public:
    explicit PaintClock(QElapsedTimer &clock) : m_clock(clock) {}
    std::deque<qint64> pending;  // when each move was posted (ns)
    std::vector<double> ms;

protected:
    bool eventFilter(QObject *obj, QEvent *e) override
    {
        if (e->type() != QEvent::Paint || pending.empty()) return false;
        static_cast<QWidget *>(obj)->removeEventFilter(this);
        QCoreApplication::sendEvent(obj, e);  // paint now, then stop the clock
        obj->installEventFilter(this);
        const qint64 now = m_clock.nsecsElapsed();
        for (qint64 t0 : pending) ms.push_back(double(now - t0) / 1e6);
        pending.clear();
        return true;
    }

private:
    QElapsedTimer &m_clock;
};

}  // namespace

int measureDrawLatency(MainWindow &w, double seconds)
{
    w.show();
    w.drawDock()->show();
    w.drawDock()->raise();  // a tab behind Controls (a 1280×720 screen) never repaints its results
    QEventLoop loop;
    QTimer::singleShot(1500, &loop, &QEventLoop::quit);  // a first model and its pictures
    w.worker()->play();
    loop.exec();

    DrawingPad *pad = w.drawPanel()->pad();
    QWidget *results = w.drawPanel()->results();
    QElapsedTimer clock;
    clock.start();
    PaintClock paints(clock);
    results->installEventFilter(&paints);
    const QRectF c = pad->canvasRect();
    // A "3": two arcs, drawn again and again.
    std::vector<QPointF> path;
    for (int i = 0; i <= 40; ++i) {
        const double a = (-160 + 250.0 * i / 40) * M_PI / 180;
        path.emplace_back(0.5 + 0.17 * std::cos(a), 0.33 + 0.17 * std::sin(a));
    }
    for (int i = 0; i <= 40; ++i) {
        const double a = (-90 + 250.0 * i / 40) * M_PI / 180;
        path.emplace_back(0.5 + 0.19 * std::cos(a), 0.67 + 0.19 * std::sin(a));
    }
    auto at = [&](size_t i) { return QPointF(c.left() + path[i].x() * c.width(), c.top() + path[i].y() * c.height()); };
    size_t i = 0;
    auto post = [&](QEvent::Type type, Qt::MouseButtons buttons, QPointF p) {
        QCoreApplication::postEvent(pad, new QMouseEvent(type, p, pad->mapToGlobal(p), Qt::LeftButton, buttons, {}));
    };
    QTimer moves;
    moves.setTimerType(Qt::PreciseTimer);
    QObject::connect(&moves, &QTimer::timeout, [&] {
        if (i == 0) {
            pad->clear();
            post(QEvent::MouseButtonPress, Qt::LeftButton, at(0));
        } else if (i < path.size()) {
            paints.pending.push_back(clock.nsecsElapsed());
            post(QEvent::MouseMove, Qt::LeftButton, at(i));
        } else {
            post(QEvent::MouseButtonRelease, Qt::NoButton, at(path.size() - 1));
        }
        i = (i + 1) % (path.size() + 1);
    });
    const qint64 samples0 = w.worker()->trainedSamples();
    const double t0 = w.worker()->trainingSeconds();
    moves.start(16);
    QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
    loop.exec();
    moves.stop();
    const double rate = double(w.worker()->trainedSamples() - samples0) / std::max(1e-9, w.worker()->trainingSeconds() - t0);
    w.worker()->stop();
    if (paints.ms.empty()) {
        std::fprintf(stderr, "aelab: no repaint of the drawing's results was seen in %g s, so there is no latency to report "
                             "(is the Draw panel on screen?)\n", seconds);
        return 1;
    }
    std::printf("model %s, training at %.0f samples/s while drawing\n", w.worker()->engineArchitecture().spec().c_str(), rate);
    std::printf("mouse move → reconstruction repainted (%zu moves at 60 Hz): p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
                paints.ms.size(), percentileOf(paints.ms, 50), percentileOf(paints.ms, 95), percentileOf(paints.ms, 100));
    std::fflush(stdout);
    return 0;
}
