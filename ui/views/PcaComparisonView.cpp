#include "ui/views/PcaComparisonView.h"

#include "ui/widgets/Palette.h"
#include "ui/widgets/ScatterCanvas.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QResizeEvent>
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
    m_verdict->setWordWrap(true);  // a long verdict wraps instead of widening the window
    m_formula = new QLabel(this);
    m_formula->setAlignment(Qt::AlignCenter);
    m_formula->setWordWrap(true);
    m_formula->setTextFormat(Qt::RichText);
    m_formula->setText(
        tr("<b>PCA:</b>&nbsp; min<sub>W</sub> Σ<sub>i</sub> ‖WᵀW x<sub>i</sub> − x<sub>i</sub>‖²,&nbsp; "
           "W Wᵀ = I<sub>k</sub> &nbsp;(W: k×d) &nbsp;·&nbsp; a <i>linear</i> autoencoder "
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

bool PcaComparisonView::formulaShown() const { return !m_formula->isHidden(); }

QString PcaComparisonView::formulaText()
{
    return QStringLiteral("PCA: min_W Σ_i ‖WᵀW x_i − x_i‖², W Wᵀ = I_k (W: k×d) · a linear "
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

    if (!s.latentAxes.isEmpty()) {  // every Snapshot carries the axes; keep the last ones otherwise
        const qsizetype vs = s.latentAxes.indexOf(QLatin1String(" vs "));
        if (vs > 0) m_ae->setAxisTitles(s.latentAxes.left(vs).trimmed(), s.latentAxes.mid(vs + 4).trimmed());
    }
    m_ae->setTitle(s.codeSize > 2 ? tr("Autoencoder code (%1-D, projected)").arg(s.codeSize) : tr("Autoencoder code"),
                   s.codeSize > 2 ? QStringList{tr("AE code (%1-D)").arg(s.codeSize), tr("AE code")} : QStringList{tr("AE code")});
    m_ae->setPriorCircles(s.variational);
    m_ae->setEqualAspect(s.variational);
    if (!s.latent.isEmpty() && (s.latent != m_ae->points() || s.labels != m_ae->labels()))
        m_ae->setData(s.latent, s.labels);

    if (s.pcaExplained2 > 0) {
        // The share of PC1 and PC2, the scatter's axes (beside "PCA-16", "PCA: 17.4 %" read as PCA-16's share).
        const QString share = QString::number(100.0 * s.pcaExplained2, 'f', 1);
        m_pca->setTitle(tr("PCA: PC1, PC2 hold %1 % of the variance").arg(share),
                        {tr("PC1, PC2: %1 % of variance").arg(share), tr("PC1–2: %1 % var.").arg(share), tr("PCA")});
    }
    if (!s.pcaLatent.isEmpty() && (s.pcaLatent != m_pca->points() || s.labels != m_pca->labels()))
        m_pca->setData(s.pcaLatent, s.labels);

    const Verdict v = verdict(s);
    if (v.winner != -1 || m_winner == -1) {
        m_winner = v.winner;
        m_verdictText = v.text;
        m_verdict->setText(v.html);
    }
}

PcaComparisonView::Verdict PcaComparisonView::verdict(const Snapshot &s)
{
    Verdict v;
    if (s.testStep <= 0) {
        v.text = s.pcaK > 0 ? tr("AE vs PCA-%1: waiting for the first test evaluation…").arg(s.pcaK)
                            : tr("AE vs PCA: waiting for the first test evaluation…");
        v.html = v.text.toHtmlEscaped();
        return v;
    }
    if (!std::isfinite(s.testMse)) {
        v.winner = 1;
        v.text = tr("AE test MSE diverged — PCA wins");
        v.html = v.text.toHtmlEscaped();
        return v;
    }
    if (s.pcaK <= 0) {  // the PCA is still being fitted: the AE's number alone
        v.winner = 3;
        v.text = tr("test set: AE MSE %1 · PCA not fitted yet").arg(mse(s.testMse));
        v.html = tr("test set: <span style='color:%1'>AE MSE <b>%2</b></span> · PCA not fitted yet")
                     .arg(kAeColor.name(), mse(s.testMse));
        return v;
    }
    const QString k = QString::number(s.pcaK);
    QString pcaName = tr("PCA-%1").arg(k);
    if (s.testMseNoisy >= 0 && s.pcaTestMseNoisy > 0)  // denoising: both from x̃, scored against the clean x
        return compare(tr("test set from x̃"), s.testMseNoisy, pcaName, s.pcaTestMseNoisy);
    if (s.pcaExact) {
        // k ≥ d (or the data's rank): PCA keeps everything; the AE can only tie.
        v.winner = 1;
        v.text = tr("test set: AE MSE %1 vs %2: exact — k ≥ d, nothing to compress")
                     .arg(mse(s.testMse), pcaName);
        v.html = tr("test set: <span style='color:%1'>AE MSE <b>%2</b></span> vs "
                    "<span style='color:%3'><b>%4: exact</b></span> — k ≥ d, nothing to compress")
                     .arg(kAeColor.name(), mse(s.testMse), kPcaColor.name(), pcaName.toHtmlEscaped());
        return v;
    }
    return compare(tr("test set"), s.testMse, pcaName, s.pcaTestMse);
}

PcaComparisonView::Verdict PcaComparisonView::compare(const QString &measuredOn, double ae, const QString &pcaName,
                                                      double pca)
{
    Verdict v;
    const double rel = (ae - pca) / pca;
    v.winner = std::abs(rel) < 0.005 ? 2 : rel < 0 ? 0 : 1;
    const QString outcome = v.winner == 0 ? tr("AE wins") : v.winner == 1 ? tr("PCA wins") : tr("a tie");
    const QColor col = v.winner == 0 ? kAeColor : v.winner == 1 ? kPcaColor : kSubtleText;
    v.text = tr("%1: AE MSE %2 vs %3 MSE %4 — %5").arg(measuredOn, mse(ae), pcaName, mse(pca), outcome);
    v.html = tr("%1: <span style='color:%2'>AE MSE <b>%3</b></span> vs "
                "<span style='color:%4'>%5 MSE <b>%6</b></span> — <span style='color:%7'><b>%8</b></span>")
                 .arg(measuredOn.toHtmlEscaped(), kAeColor.name(), mse(ae), kPcaColor.name(), pcaName.toHtmlEscaped(),
                      mse(pca), col.name(), outcome);
    return v;
}

void PcaComparisonView::updateFonts()
{
    const double px = ael::ui::basePixelSize(QSize(width() / 2, height()));
    m_verdict->setFont(uiFont(px * 1.05));
    m_formula->setFont(uiFont(std::max(13.0, px * 0.9)));
}

void PcaComparisonView::changeEvent(QEvent *e)
{
    QWidget::changeEvent(e);
    if (e->type() == QEvent::FontChange) {
        QResizeEvent re(size(), size());
        resizeEvent(&re);
    }
}

void PcaComparisonView::resizeEvent(QResizeEvent *e)
{
    QWidget::resizeEvent(e);
    updateFonts();
    // The formula under the verdict, where the scatters keep room enough beside it: presenting lesson 1 at
    // 1024 × 768 they were 75-px strips with no class legend. (It stays in the view's tooltip, and the lesson
    // shows it.)
    const int text = m_verdict->heightForWidth(width() - 8) + m_formula->heightForWidth(width() - 8) + 24;
    m_formula->setVisible(height() - text >= kScatterLines * ael::ui::basePixelSize(QSize(width() / 2, height())));
}
