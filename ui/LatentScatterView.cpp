#include "LatentScatterView.h"

#include "ScatterCanvas.h"

#include <QVBoxLayout>

LatentScatterView::LatentScatterView(QWidget *parent) : QWidget(parent)
{
    m_canvas = new ScatterCanvas(this);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(m_canvas);
    reset();
}

void LatentScatterView::reset()
{
    m_canvas->clear();
    m_canvas->setPriorCircles(false);
    m_canvas->setEqualAspect(false);
    m_canvas->setTitle(tr("Code of the test digits"));
    m_canvas->setAxisTitles({}, {});
    m_axes.clear();
    m_variational = false;
}

void LatentScatterView::applySnapshot(const Snapshot &s)
{
    m_canvas->setTestSet(s.testSet);
    if (s.latentAxes != m_axes || s.variational != m_variational || m_canvas->title().isEmpty()) {
        m_axes = s.latentAxes;
        m_variational = s.variational;
        const qsizetype vs = m_axes.indexOf(QLatin1String(" vs "));
        QString title = tr("Code of the test digits");
        if (vs > 0) {
            m_canvas->setAxisTitles(m_axes.left(vs).trimmed(), m_axes.mid(vs + 4).trimmed());
        } else {
            m_canvas->setAxisTitles({}, {});
            if (!m_axes.isEmpty()) title = tr("Code: %1").arg(m_axes);
        }
        if (m_variational) title += tr(" · prior N(0, I): 1σ, 2σ");
        m_canvas->setTitle(title);
        m_canvas->setPriorCircles(m_variational);
        m_canvas->setEqualAspect(m_variational);
    }
    if (!s.latent.isEmpty() && (s.latent != m_canvas->points() || s.labels != m_canvas->labels()))
        m_canvas->setData(s.latent, s.labels);
}
