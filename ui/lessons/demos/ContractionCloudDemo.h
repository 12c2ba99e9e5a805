#pragma once
// Lesson 6: "contract a neighbourhood of the input into a small region of the code space". One test
// digit x and kNeighbours noisy copies x + ε (ε ~ N(0, σ² I), fixed seed, clipped to [0, 1]) are
// encoded; their codes are drawn as a cloud around f(x) in the latent plane (the Snapshot's
// projection p = Bᵀ(h − origin)), framed by the spread of all test codes, with the cloud's mean
// radius in code space against the inputs' ‖ε‖, and the radius over the steps so far (it falls as
// the contractive λ grows).
#include "ui/lessons/demos/DemoBase.h"
#include "ui/lessons/demos/PlainTwin.h"

#include <QPointF>
#include <QVector>

class ContractionCloudDemo : public DemoBase {
    Q_OBJECT
public:
    explicit ContractionCloudDemo(QWidget *parent = nullptr);
    ~ContractionCloudDemo() override;
    void applySnapshot(const Snapshot &s) override;
    /// The reference plain autoencoder's training budget (the next one uses it).
    void setPlainBudget(const plain_twin::Budget &b) { m_budget = b; }
    /// The same neighbourhood's radius through a plain AE of the same architecture trained in the
    /// background on clean x (−1 until it is there).
    double plainRadius() const { return m_plainRadius; }

    static constexpr int kNeighbours = 50;
    static constexpr double kSigma = 0.1;  ///< σ of ε, in pixel units
    static constexpr quint64 kSeed = 6;

    /// Mean ‖f(x + ε) − f(x)‖ over the neighbours, in code units (−1 before the first result).
    double radius() const { return m_radius; }
    /// Mean ‖x + ε − x‖ after clipping, in pixel units.
    double inputNoise() const { return m_noise; }
    /// The cloud in the latent plane (empty without a projection) and its centre f(x).
    const QVector<QPointF> &cloud() const { return m_cloud; }
    QPointF centre() const { return m_centre; }

    struct HistoryPoint {
        qint64 step = 0;
        double radius = 0;
        double lambda = -1;  ///< the contractive λ (−1: another variant)
    };
    const QVector<HistoryPoint> &history() const { return m_history; }

protected:
    void clearResults() override;
    void paintEvent(QPaintEvent *) override;

private:
    /// The cloud panel's header and legend, long to short (the shortest bounds the demo's text size).
    QStringList cloudHeader() const;
    QStringList cloudLegend() const;
    void paintCloud(QPainter &p, const QRectF &r, double px) const;
    void paintHistory(QPainter &p, const QRectF &r, double px) const;

    void evaluate(const Snapshot &s);
    void startPlain(const Snapshot &s);

    plain_twin::Budget m_budget;
    DemoWorker m_plainWorker{6};  // destroyed (joined) before the base's worker
    QString m_plainKey;
    std::shared_ptr<const ael::Model<float>> m_plain;
    Snapshot m_last;
    double m_plainRadius = -1;
    double m_radius = -1, m_noise = 0, m_lambda = -1;
    QVector<QPointF> m_cloud, m_context;  ///< the neighbours' codes, the test codes (for scale)
    QPointF m_centre;
    QVector<HistoryPoint> m_history;
    QString m_variant;
    int m_digitClass = 0;
};
