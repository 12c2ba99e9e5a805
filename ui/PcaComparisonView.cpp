#include "PcaComparisonView.h"

#include "Palette.h"
#include "ScatterCanvas.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

namespace {

QString mse(double v)
{
    return v >= 0.001 || v == 0 ? QString::number(v, 'f', 4) : QString::number(v, 'g', 3);
}

}  // namespace

PcaComparisonView::PcaComparisonView(QWidget *parent) : QWidget(parent)
{
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, kBackground);
    pal.setColor(QPalette::WindowText, kText);
    setPalette(pal);

    m_ae = new ScatterCanvas(this);
    m_ae->setLegendVisible(false);
    m_pca = new ScatterCanvas(this);
    m_pca->setAxisTitles(tr("PC1"), tr("PC2"));
    m_pca->setEqualAspect(true);  // PC1's larger spread stays visible

    m_verdict = new QLabel(this);
    m_verdict->setAlignment(Qt::AlignCenter);
    m_verdict->setTextFormat(Qt::RichText);
    m_formula = new QLabel(this);
    m_formula->setAlignment(Qt::AlignCenter);
    m_formula->setWordWrap(true);
    m_formula->setTextFormat(Qt::RichText);
    m_formula->setText(
        tr("<b>PCA:</b>&nbsp; min<sub>W</sub> Σ<sub>i</sub> ‖WᵀW x<sub>i</sub> − x<sub>i</sub>‖²,&nbsp; "
           "W Wᵀ = I<sub>k</sub> &nbsp;(W: k×784) &nbsp;·&nbsp; a <i>linear</i> autoencoder "
           "with MSE loss spans the same subspace"));
    m_formula->setStyleSheet(QStringLiteral("color: #444444;"));

    auto *scatters = new QHBoxLayout;
    scatters->setContentsMargins(0, 0, 0, 0);
    scatters->setSpacing(4);
    scatters->addWidget(m_ae, 1);
    scatters->addWidget(m_pca, 1);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 6);
    lay->setSpacing(4);
    lay->addLayout(scatters, 1);
    lay->addWidget(m_verdict);
    lay->addWidget(m_formula);
    reset();
    updateFonts();
}

QString PcaComparisonView::formulaText()
{
    return QStringLiteral("PCA: min_W Σ_i ‖WᵀW x_i − x_i‖², W Wᵀ = I_k (W: k×784) · a linear "
                          "autoencoder with MSE loss spans the same subspace");
}

void PcaComparisonView::reset()
{
    m_ae->clear();
    m_pca->clear();
    m_ae->setTitle(tr("Autoencoder code"));
    m_pca->setTitle(tr("PCA: PC1 vs PC2"));
    m_ae->setAxisTitles({}, {});
    m_winner = -1;
    m_verdictText = tr("AE vs PCA: waiting for the first test evaluation…");
    m_verdict->setText(m_verdictText.toHtmlEscaped());
}

void PcaComparisonView::applySnapshot(const Snapshot &s)
{
    m_ae->setTestSet(s.testSet);
    m_pca->setTestSet(s.testSet);

    const qsizetype vs = s.latentAxes.indexOf(QLatin1String(" vs "));
    if (vs > 0)
        m_ae->setAxisTitles(s.latentAxes.left(vs).trimmed(), s.latentAxes.mid(vs + 4).trimmed());
    else
        m_ae->setAxisTitles({}, {});
    m_ae->setTitle(s.codeSize > 2 ? tr("Autoencoder code (%1-D, projected)").arg(s.codeSize)
                                  : tr("Autoencoder code"));
    m_ae->setPriorCircles(s.variational);
    m_ae->setEqualAspect(s.variational);
    if (!s.latent.isEmpty() && (s.latent != m_ae->points() || s.labels != m_ae->labels()))
        m_ae->setData(s.latent, s.labels);

    if (s.pcaExplained2 > 0)
        m_pca->setTitle(tr("PCA: %1 % of variance")
                            .arg(QString::number(100.0 * s.pcaExplained2, 'f', 1)));
    if (!s.pcaLatent.isEmpty() && (s.pcaLatent != m_pca->points() || s.labels != m_pca->labels()))
        m_pca->setData(s.pcaLatent, s.labels);

    if (s.testStep > 0 && std::isfinite(s.testMse) && s.pcaTestMse > 0) {
        const double rel = (s.testMse - s.pcaTestMse) / s.pcaTestMse;
        m_winner = std::abs(rel) < 0.005 ? 2 : rel < 0 ? 0 : 1;
        const QString outcome = m_winner == 0 ? tr("AE wins") : m_winner == 1 ? tr("PCA wins") : tr("a tie");
        const QColor col = m_winner == 0 ? kAeColor : m_winner == 1 ? kPcaColor : kSubtleText;
        const QString k = QString::number(s.codeSize);
        m_verdictText = tr("AE test MSE %1 vs PCA-%2 test MSE %3 — %4")
                            .arg(mse(s.testMse), k, mse(s.pcaTestMse), outcome);
        m_verdict->setText(
            tr("<span style='color:%1'>AE test MSE <b>%2</b></span> vs "
               "<span style='color:%3'>PCA-%4 test MSE <b>%5</b></span> — "
               "<span style='color:%6'><b>%7</b></span>")
                .arg(kAeColor.name(), mse(s.testMse), kPcaColor.name(), k, mse(s.pcaTestMse), col.name(),
                     outcome));
    } else if (s.testStep > 0 && !std::isfinite(s.testMse)) {
        m_winner = 1;
        m_verdictText = tr("AE test MSE diverged — PCA wins");
        m_verdict->setText(m_verdictText.toHtmlEscaped());
    }
}

void PcaComparisonView::updateFonts()
{
    const double px = ael::ui::basePixelSize(QSize(width() / 2, height()));
    m_verdict->setFont(uiFont(px * 1.05));
    m_formula->setFont(uiFont(std::max(13.0, px * 0.9)));
}

void PcaComparisonView::resizeEvent(QResizeEvent *e)
{
    QWidget::resizeEvent(e);
    updateFonts();
}
