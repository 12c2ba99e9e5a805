#pragma once
// Lesson 8: autoencoders are data-specific and lossy. Test images of the run's own data and images of
// another kind (OutOfDistributionSet: Fashion-MNIST for a digit model, else a built-in set) go through
// the current model; each group's mean per-pixel MSE and their ratio ("×4.1 worse") are shown.
#include "ui/lessons/demos/DemoBase.h"

#include <QImage>
#include <QVector>

class OutOfDistributionDemo : public DemoBase {
    Q_OBJECT
public:
    explicit OutOfDistributionDemo(QWidget *parent = nullptr);
    void applySnapshot(const Snapshot &s) override;

    static constexpr int kImages = 200;  ///< per group, the MSE is taken over (at most) this many
    static constexpr int kShown = 5;

    /// Use the built-in letters even when Fashion-MNIST is installed (tests, or a lecturer's choice).
    void setBuiltInOnly(bool on) { m_builtInOnly = on; }
    double inMse() const { return m_inMse; }    ///< −1 before the first result
    double outMse() const { return m_outMse; }
    double ratio() const { return m_inMse > 0 ? m_outMse / m_inMse : 0; }
    QString otherName() const { return m_otherName; }  ///< what the other images are, e.g. "Fashion-MNIST"

protected:
    void clearResults() override;
    void paintEvent(QPaintEvent *) override;

private:
    bool m_builtInOnly = false;
    double m_inMse = -1, m_outMse = -1;
    int m_inCount = 0, m_outCount = 0;
    QVector<QImage> m_in, m_inOut, m_out, m_outOut;
    QString m_otherName, m_why, m_noun = QStringLiteral("digits");
};
