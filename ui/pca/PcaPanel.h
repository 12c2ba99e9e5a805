#pragma once
// The PCA panel (a dock): the scree plot, test MSE against k with the autoencoder's point, and the
// principal angles between the decoder's span and PCA-k. Fed with Snapshots only (their `data` holds
// the PCA fit and its test-MSE curve, `model` the weights); never touches the trainer. The angles are
// computed on a background thread at most twice a second (less often when a comparison is slow), for
// the newest model.
#include "ui/training/Snapshot.h"
#include "ui/pca/AnglesView.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <memory>

class MseVsKPlot;
class ScreePlot;
struct PcaSummary;

class PcaPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMinIntervalMs = 500;  ///< angles at most 2× a second

    explicit PcaPanel(QWidget *parent = nullptr);
    ~PcaPanel() override;

    void applySnapshot(const Snapshot &s);
    /// A new run: forget the model and the angles (the data's PCA stays).
    void reset();

    ScreePlot *scree() const { return m_scree; }
    MseVsKPlot *msePlot() const { return m_mse; }
    AnglesView *anglesView() const { return m_angles; }
    /// The PCA the plots show (nullptr until the data's fit is ready).
    std::shared_ptr<const PcaSummary> pca() const { return m_pca; }
    /// The model the shown angles belong to.
    std::shared_ptr<const ael::Model<float>> comparedModel() const { return m_comparedModel; }

signals:
    void anglesUpdated();

private:
    void takePca();
    void schedule();
    void startJob();
    void finishJob(std::shared_ptr<const ael::Model<float>> model, quint64 run, AnglesView::Input in, QString error);

    ScreePlot *m_scree = nullptr;
    MseVsKPlot *m_mse = nullptr;
    AnglesView *m_angles = nullptr;

    std::shared_ptr<const DataBundle> m_data;
    std::shared_ptr<const PcaSummary> m_pca;
    std::shared_ptr<const ael::Model<float>> m_model, m_comparedModel, m_jobModel;
    std::shared_ptr<const ael::TrainSettings> m_settings;
    quint64 m_run = 0;
    int m_k = 0;
    qint64 m_step = 0;
    bool m_busy = false;
    qint64 m_lastJobMs = 0;
    QElapsedTimer m_sinceJob;
    QTimer m_trailing, m_pcaPoll;
    std::shared_ptr<int> m_alive;  // background jobs post their result only while this lives
};
