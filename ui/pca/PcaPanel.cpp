#include "ui/pca/PcaPanel.h"

#include "core/nn/Model.h"
#include "core/pca/DecoderSpan.h"
#include "core/train/Settings.h"
#include "ui/pca/MseVsKPlot.h"
#include "ui/pca/ScreePlot.h"
#include "ui/training/DataBundle.h"

#include <QCoreApplication>
#include <QPointer>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>
#include <thread>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

PcaPanel::PcaPanel(QWidget *parent) : QWidget(parent), m_alive(std::make_shared<int>(0))
{
    m_scree = new ScreePlot;
    m_mse = new MseVsKPlot;
    m_angles = new AnglesView;
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_scree);
    split->addWidget(m_mse);
    split->addWidget(m_angles);
    split->setChildrenCollapsible(false);
    split->setSizes({1000, 1100, 1300});
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(split);
    const QString waiting = tr("Waiting for the data's PCA…");
    m_scree->setMessage(waiting);
    m_mse->setMessage(waiting);
    m_angles->setMessage(tr("Waiting for a model and the data's PCA…"));

    m_trailing.setSingleShot(true);
    connect(&m_trailing, &QTimer::timeout, this, &PcaPanel::schedule);
    m_pcaPoll.setInterval(300);
    connect(&m_pcaPoll, &QTimer::timeout, this, &PcaPanel::takePca);
}

PcaPanel::~PcaPanel() = default;

void PcaPanel::reset()
{
    m_model.reset();
    m_comparedModel.reset();
    m_trailing.stop();
    m_angles->setMessage(tr("Waiting for a model…"));
    m_mse->setAutoencoder(0, -1);
}

void PcaPanel::applySnapshot(const Snapshot &s)
{
    if (s.runId != m_run) {
        m_run = s.runId;
        reset();
    }
    if (s.data != m_data) {
        m_data = s.data;
        m_pca.reset();
        m_scree->setRatios({});
        m_mse->setCurve({});
        m_pcaPoll.start();
    }
    m_k = s.codeSize;
    m_step = s.step;
    m_settings = s.settings;
    m_scree->setCodeSize(m_k);
    if (s.testStep > 0)
        m_mse->setAutoencoder(m_k, s.testMse, s.testMseNoisy, s.testMseNoisy >= 0 ? s.pcaTestMseNoisy : -1);
    else
        m_mse->setAutoencoder(m_k, -1);
    takePca();
    if (s.model && s.model != m_model) {
        m_model = s.model;
        schedule();
    }
}

void PcaPanel::takePca()
{
    if (!m_data) return;
    if (m_pca) return m_pcaPoll.stop();
    const QString error = m_data->pcaError();
    if (!error.isEmpty()) {
        m_pcaPoll.stop();
        const QString why = tr("No PCA for this data: %1").arg(error);
        m_scree->setMessage(why);
        m_mse->setMessage(why);
        m_angles->setMessage(why);
        return;
    }
    m_pca = m_data->pca();
    if (!m_pca) return;
    m_pcaPoll.stop();
    const Eigen::VectorXd r = m_pca->pca.explainedVarianceRatio();
    m_scree->setRatios(QVector<double>(r.data(), r.data() + r.size()));
    m_mse->setCurve(QVector<double>(m_pca->testMseCurve.begin(), m_pca->testMseCurve.end()));
    schedule();
}

void PcaPanel::schedule()
{
    if (!m_model || !m_pca || m_busy || m_model == m_comparedModel) return;
    // at most 2× a second, and a slow comparison (a wide last layer: ~1 s) leaves the CPU to training
    const qint64 gap = std::max<qint64>(kMinIntervalMs, 4 * m_lastJobMs);
    if (m_sinceJob.isValid() && m_sinceJob.elapsed() < gap) {
        if (!m_trailing.isActive()) m_trailing.start(int(gap - m_sinceJob.elapsed()) + 1);
        return;
    }
    startJob();
}

void PcaPanel::startJob()
{
    const int d = m_pca->pca.dim();
    const int k = m_pca->cappedK(m_k);
    if (k >= d || k >= m_pca->pca.stored()) {
        m_comparedModel = m_model;
        m_angles->setMessage(k >= d ? tr("k = %1 ≥ d = %2: PCA-k is all of the %2-dimensional input space, so "
                                         "every decoder span lies inside it — nothing to compare.").arg(m_k).arg(d)
                                    : tr("PCA has only %1 components for this data (k = %2).").arg(m_pca->pca.stored()).arg(m_k));
        emit anglesUpdated();
        return;
    }
    m_busy = true;
    m_sinceJob.start();
    if (!m_angles->hasAngles()) m_angles->setMessage(tr("Computing the angles…"));
    m_jobModel = m_model;
    AnglesView::Input base;
    base.k = k;
    base.step = m_step;
    // BCE needs a sigmoid output, so a linear model always has squared error; the variants other than
    // the plain ones add a term (or corrupt the input), which moves the optimum away from PCA's.
    if (m_settings && m_settings->variant != ael::Variant::Undercomplete && m_settings->variant != ael::Variant::Overcomplete)
        base.regularizer = QString::fromLatin1(ael::toString(m_settings->variant));
    std::shared_ptr<const PcaSummary> pca = m_pca;
    std::shared_ptr<const ael::Model<float>> model = m_model;
    std::weak_ptr<int> alive = m_alive;
    QPointer<PcaPanel> self(this);
    const quint64 run = m_run;
    std::thread([=] {
#ifdef __linux__
        setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 4);  // after the GUI and the trainer
#endif
        AnglesView::Input in = base;
        QString error;
        try {
            const ael::DecoderSpan span = ael::decoderSpan(*model);
            in.d = int(span.W.rows());
            in.m = int(span.W.cols());
            in.tied = span.tied;
            in.variational = span.variational;
            in.linear = span.linear;
            in.decoderLayers = span.decoderLayers;
            in.layerNumber = span.layerNumber;
            in.cmp = ael::compareSpans(span.W, pca->pca.componentsD(k));
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
        }
        if (alive.expired()) return;
        if (QCoreApplication *app = QCoreApplication::instance())
            QMetaObject::invokeMethod(
                app, [self, model, run, in, error] {
                    if (self) self->finishJob(model, run, in, error);
                },
                Qt::QueuedConnection);
    }).detach();
}

void PcaPanel::finishJob(std::shared_ptr<const ael::Model<float>> model, quint64 run, AnglesView::Input in, QString error)
{
    m_busy = false;
    m_lastJobMs = m_sinceJob.elapsed();
    m_jobModel.reset();
    if (run == m_run) {
        m_comparedModel = std::move(model);
        if (error.isEmpty()) m_angles->setInput(in);
        else m_angles->setMessage(tr("Could not compare the spans: %1").arg(error));
        emit anglesUpdated();
    }
    schedule();
}
