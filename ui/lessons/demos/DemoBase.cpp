#include "DemoBase.h"

#include "ui/widgets/Palette.h"

DemoBase::DemoBase(QWidget *parent) : LessonDemo(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(minimumSizeHint());
    m_throttle.setSingleShot(true);
    connect(&m_throttle, &QTimer::timeout, this, &DemoBase::flush);
}

void DemoBase::schedule(DemoWorker::Task t)
{
    m_deferred = std::move(t);
    if (m_throttle.isActive()) return;  // the newest task goes when the timer fires
    const qint64 since = m_sincePost.isValid() ? m_sincePost.elapsed() : qint64(kMinIntervalMs);
    if (since >= kMinIntervalMs) flush();
    else m_throttle.start(int(kMinIntervalMs - since));
}

void DemoBase::flush()
{
    if (!m_deferred) return;
    m_sincePost.start();
    m_worker.post(std::move(m_deferred));
    m_deferred = nullptr;
}

double DemoBase::paintTitleAndFooter(QPainter &p, QRectF &r, const QStringList &title, const QStringList &lines, bool verdictFirst,
                                     const std::function<double(double)> &body)
{
    m_painted = demo_paint::fitFooter(ael::ui::basePixelSize(size()), r.height(), lines, verdictFirst ? 1 : 0,
                                      [&](double q, const QStringList &shown) {
                                          return demo_paint::titleHeight(q, title, r.width()) +
                                                 demo_paint::footerHeight(shown, q, r.width(), verdictFirst) + body(q);
                                      });
    const QString tip = m_painted.dropped.join(QLatin1Char('\n'));
    if (toolTip() != tip) setToolTip(tip);
    r = demo_paint::drawTitle(p, r, title, m_painted.px);
    r = demo_paint::drawFooter(p, r, m_painted.lines, m_painted.px, verdictFirst);
    return m_painted.px;
}

DemoBase::~DemoBase() = default;  // m_worker joins its thread (a running task stops at its next check)

void DemoBase::reset()
{
    m_throttle.stop();
    m_deferred = nullptr;
    m_worker.cancelAll();
    ++m_generation;
    clearResults();
    m_painted = {};
    setToolTip(QString());  // the last run's left-out lines
    update();
}
