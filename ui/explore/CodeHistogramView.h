#pragma once
// "Inside the network": how the code units respond to the test digits. A histogram of all k·n
// activations h_j(x) (k units × n digits), the mean activation, the fraction of active (|h| > t)
// (unit, sample) pairs and, for the sparse KL penalty, its target ρ as a vertical line with each
// unit's mean activation ρ̂_j as a tick beneath the axis (what the penalty pulls towards ρ). The
// contractive ‖∂f/∂x‖²_F and the variational KL are listed with their current values in their
// loss-chart colours; their curves live in the loss chart, and a click asks for it (termActivated).
#include "CodeHistogram.h"

#include <QColor>
#include <QString>
#include <QVector>
#include <QWidget>

#include <optional>
#include <vector>

class CodeHistogramView : public QWidget {
    Q_OBJECT
public:
    /// A term shown with its value; the curve of the same name is in the loss chart.
    struct ExtraTerm {
        QString key;      ///< the loss chart's term name, e.g. "contractive", "kl"
        QString label;    ///< e.g. "contractive  ‖∂f/∂x‖²_F"
        double value = 0;
        QColor color;     ///< the term's colour in the loss chart
    };

    explicit CodeHistogramView(QWidget *parent = nullptr);

    const ael::ui::Histogram &histogram() const { return m_hist; }
    const std::vector<double> &unitMeans() const { return m_unitMeans; }
    std::optional<double> sparseTarget() const { return m_rho; }
    int units() const { return m_k; }
    int samples() const { return m_n; }
    /// The text of the statistics line (for tests), e.g. "mean h = 0.071 · active (|h| > 0.1): 12.3 %".
    QString statsText() const;
    /// The title and the statistics line, long to short ("… : 1024 units × 200 test digits", "… : 1024
    /// units", …; "mean h = 0.061 · 35.2 % active", "mean h = 0.061"), and the forms drawn at the view's width.
    QStringList titleForms() const;
    QStringList statsForms() const;
    QString shownTitle() const;
    QString shownStats() const;
    /// The x axis's title, long to short ("activation h (bar height: count)", …, "activation h"), and the
    /// form drawn: the longest that fits the view's width, centred under the plot where it can be.
    QStringList axisTitleForms() const;
    QString shownAxisTitle() const;
    QRectF axisTitleRect() const;
    /// The statistics line's pixel size as drawn: the view's text size, or down to 3/4 of it where only that
    /// keeps the share of active units on the line (a lesson column in presentation mode); below that the
    /// share is dropped ("mean h = 0.061"), the line staying at full size.
    double shownStatsPixelSize() const;
    /// Where a value falls on the x axis of the plot, in widget coordinates (tests, overlays).
    double xToWidget(double v) const;
    QRectF plotRect() const;
    /// The count axis: each tick's count and its label as drawn, compact ("0", "200k", …, "1M"; 1, 10, … on the
    /// log axis), and where the label stands (right-aligned against the plot; the plot's left margin is measured
    /// from the widest label, so none is cut at the view's edge).
    struct CountTicks {
        QVector<double> counts;
        QStringList labels;
        QVector<QRectF> rects;
    };
    CountTicks countTicks() const;
    /// The clickable line of extra term i (widget coordinates).
    QRectF termRect(int i) const;
    /// The legend box's entries as shown (mean h; with a sparse target also ρ and the units' ρ̂ⱼ) and
    /// where the box goes: top right in the plot, at most half its width once the texts take their
    /// short forms (the tall bars of a sparse code are at the left).
    struct Legend {
        QStringList texts;
        QRectF box;
        double textWidth = 0, rowHeight = 0;
    };
    Legend legend() const;

    QSize sizeHint() const override { return {720, 460}; }

public slots:
    /// k × n codes, column-major: column b (codes[b·k .. b·k + k)) is test digit b's code.
    void setCodes(const std::vector<float> &codes, int k, int n, double activeThreshold = 0.1);
    /// The sparse KL target ρ, drawn as a line; nullopt when that penalty is off.
    void setSparseTarget(std::optional<double> rho);
    /// The contractive / variational KL terms of the current variant (empty: none).
    void setExtraTerms(const QVector<ExtraTerm> &terms);
    /// Bins over [lo, hi] (e.g. [0, 1] for sigmoid codes); lo ≥ hi: the data's range (the default).
    void setFixedRange(double lo, double hi);
    void setBins(int bins);            ///< 5..200, default 40
    void setLogCounts(bool on);        ///< y axis log(1 + count): the spike at 0 stops hiding the rest
    void clear();

signals:
    /// The user clicked an extra term: show its curve in the loss chart.
    void termActivated(const QString &key);

protected:
    void paintEvent(QPaintEvent *) override;
    void mousePressEvent(QMouseEvent *e) override;

private:
    struct StatsLine {
        QString text;
        double px = 0;
    };
    StatsLine statsLine() const;
    void recompute();
    QVector<double> tickCounts() const;  ///< the counts the axis marks (see CountTicks)
    /// Where a count stands on the y axis of plot r: linear, or log(1 + count); the largest at 95 % of the height.
    /// xToWidget for plot r (painting computes the plot once, not per unit).
    double xToWidget(double v, const QRectF &r) const;
    double countY(double count, const QRectF &r) const;

    std::vector<float> m_codes;
    int m_k = 0, m_n = 0, m_bins = 40;
    double m_threshold = 0.1, m_fixedLo = 0, m_fixedHi = 0;
    bool m_log = false;
    std::optional<double> m_rho;
    QVector<ExtraTerm> m_terms;
    ael::ui::Histogram m_hist;
    std::vector<double> m_unitMeans;
};
