#pragma once
// Lesson 5: the same corrupted inputs x̃ ~ C(x̃ | x) (the run's corruption, fixed seed) through the
// current (denoising) model and through a plain autoencoder of the same architecture trained on clean
// x in the background (PlainTwin: a few seconds, one engine thread, low priority). Rows x, x̃,
// denoising g(f(x̃)), plain g(f(x̃)); every MSE is against the CLEAN x.
#include "ui/lessons/demos/DemoBase.h"
#include "ui/lessons/demos/PlainTwin.h"

#include <QImage>
#include <QVector>

#include <memory>
#include <vector>

class DenoiseVsPlainDemo : public DemoBase {
    Q_OBJECT
public:
    explicit DenoiseVsPlainDemo(QWidget *parent = nullptr);
    ~DenoiseVsPlainDemo() override;
    void applySnapshot(const Snapshot &s) override;

    static constexpr int kImages = 200;  ///< test images the MSEs are taken over (the first kShown shown)
    static constexpr int kShown = 5;
    static constexpr quint64 kCorruptionSeed = 5;

    /// The plain model's training budget (the next twin uses it).
    void setPlainBudget(const plain_twin::Budget &b) { m_budget = b; }
    /// MSE against the clean x of x̃, of the current model's g(f(x̃)) and of the plain model's (−1: none yet).
    double corruptedMse() const { return m_mse[0]; }
    double modelMse() const { return m_mse[1]; }
    double plainMse() const { return m_mse[2]; }
    /// The plain model as last shown, its steps, and whether its training finished.
    std::shared_ptr<const ael::Model<float>> plainModel() const { return m_plainShown; }
    long long plainSteps() const { return m_plainSteps; }
    bool plainDone() const { return m_plainDone; }
    /// The clean x and the corrupted x̃ the figures were computed on (d × kImages, column-major).
    std::shared_ptr<const std::vector<float>> cleanInputs() const { return m_clean; }
    std::shared_ptr<const std::vector<float>> corruptedInputs() const { return m_corrupted; }

protected:
    void clearResults() override;
    void paintEvent(QPaintEvent *) override;

private:
    void evaluate();
    void startPlain();

    plain_twin::Budget m_budget;
    DemoWorker m_plainWorker{6};  // declared after m_worker's base: destroyed (joined) first
    QString m_plainKey, m_plainError;
    std::shared_ptr<const ael::Model<float>> m_plain, m_plainShown;
    long long m_plainSteps = 0;
    bool m_plainDone = false;

    // the newest snapshot's inputs
    std::shared_ptr<const ael::Model<float>> m_model;
    std::shared_ptr<const DataBundle> m_data;
    std::shared_ptr<const ael::TrainSettings> m_settings;
    QString m_variant, m_corruptionText;

    // what is shown
    double m_mse[3] = {-1, -1, -1};
    QVector<QImage> m_x, m_xt, m_out, m_plainOut;
    std::shared_ptr<const std::vector<float>> m_clean, m_corrupted;
};
