#include "ui/pca/AnglesView.h"

#include "ui/pca/PlotFrame.h"
#include "ui/widgets/Palette.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

QSize AnglesView::minimumSizeHint() const { return {220, std::max(150, pca_plot::minimumHeight(basePixelSize(QSize()), 1.5))}; }

AnglesView::AnglesView(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void AnglesView::setInput(const Input &in)
{
    m_in = in;
    m_has = true;
    m_message.clear();
    update();
}

void AnglesView::setMessage(const QString &m)
{
    m_has = false;
    m_message = m;
    update();
}

AnglesView::Kind AnglesView::kindOf(const Input &in)
{
    if (!in.linear) return Kind::NonLinear;
    return in.regularizer.isEmpty() ? Kind::LinearMse : Kind::LinearRegularized;
}

QString AnglesView::sentence() const
{
    if (!m_has) return {};
    QString s;
    switch (kindOf(m_in)) {
    case Kind::LinearMse:
        s = tr("A linear autoencoder trained with squared error spans the same subspace as PCA-%1, so these angles "
               "go to 0° — though its weights are neither orthonormal nor the components themselves.").arg(m_in.k);
        break;
    case Kind::LinearRegularized:
        s = tr("A linear model, but the %1 objective adds to the squared error that PCA-%2 minimises, so the "
               "angles need not reach 0°.").arg(m_in.regularizer).arg(m_in.k);
        break;
    case Kind::NonLinear:
        s = tr("A non-linear model: the angles describe its linear part only — the span of the last layer's weight "
               "columns — not the curved surface the decoder draws.");
        break;
    case Kind::None: break;
    }
    if (m_in.variational) s += tr(" Variational: the decoder of h = μ + σ ⊙ ε (the encoder's μ / log σ² layer is not used).");
    return s;
}

namespace {
/// W named by its place in the network, as the Inside dock names it: W₂ of 784-[k]-784, W₄ of 784-256-[k]-256-784,
/// W₁ᵀ of a tied model.
QString weightName(const AnglesView::Input &in)
{
    return QStringLiteral("W") + subscriptDigits(in.layerNumber) + (in.tied ? QStringLiteral("ᵀ") : QString());
}
}  // namespace

QString AnglesView::matrixText() const
{
    if (!m_has) return {};
    const QString dims = QStringLiteral("%1 × %2").arg(m_in.d).arg(m_in.m);
    const QString w = weightName(m_in);
    if (m_in.tied) return tr("Tied weights: decoder %1 (%2) vs PC1…PC%3").arg(w, dims).arg(m_in.k);
    if (m_in.decoderLayers > 1)
        return tr("Last decoder layer %1 (%2): does its span hold PC1…PC%3?").arg(w, dims).arg(m_in.k);
    return tr("Decoder %1 (%2) vs PC1…PC%3").arg(w, dims).arg(m_in.k);
}

QString AnglesView::basisText() const
{
    if (!m_has || m_in.m < 1) return {};
    QString s;
    if (m_in.m > 1)
        s = tr("%1's columns: |cos| between two up to %2 (PCs: 0)")
                .arg(weightName(m_in))
                .arg(QString::number(m_in.cmp.maxColumnCos, 'f', 2));
    if (m_in.m <= 64) {  // for a wide last layer "nearest PC" says little
        if (!s.isEmpty()) s += QStringLiteral(" · ");
        s += tr("nearest PC |cos| %1 on average (1 = a PC)").arg(QString::number(m_in.cmp.meanBestPcCos, 'f', 2));
    }
    return s;
}

QString AnglesView::shownText() const
{
    if (!m_has) return {};
    const double base = basePixelSize(size()), pad = base * 0.4, W = width() - 2 * pad;
    // Above the block: the title, the large figure and one line (the angles as a list, at the least).
    const double above = pad * 0.5 + QFontMetricsF(uiFont(base * 1.3, true)).height() * 1.05 +
                         QFontMetricsF(uiFont(base * 2.4, true)).height() + QFontMetricsF(uiFont(base * 0.8)).height() + base * 0.3;
    const QFontMetricsF fm(uiFont(base * 0.9));
    QStringList longToShort;
    if (kindOf(m_in) == Kind::LinearMse || m_in.m <= 64) longToShort << matrixText() + QLatin1Char('\n') + sentence() + QLatin1Char('\n') + basisText();
    longToShort << matrixText() + QLatin1Char('\n') + sentence() << matrixText();
    for (const QString &t : longToShort)
        if (above + fm.boundingRect(QRectF(0, 0, W, 10000), Qt::TextWordWrap, t).height() + pad * 0.5 <= height()) return t;
    return {};
}

void AnglesView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    p.setRenderHint(QPainter::Antialiasing);
    const double base = basePixelSize(size()), pad = base * 0.4;
    const double W = width() - 2 * pad;
    double y = pad * 0.5;
    p.setPen(kText);
    p.setFont(uiFont(base * 1.3, true));
    QFontMetricsF fm(p.font());
    const QString k = m_has ? QString::number(m_in.k) : QStringLiteral("k");
    p.drawText(QPointF(pad, y + fm.ascent()),
               firstFitting({tr("Angles: decoder span vs PCA-%1").arg(k), tr("Angles vs PCA-%1").arg(k), tr("Angles")}, fm, W));
    y += fm.height() * 1.05;
    if (!m_has) {
        p.setFont(uiFont(base));
        p.setPen(kSubtleText);
        p.drawText(QRectF(pad, y, W, height() - y), Qt::AlignLeft | Qt::TextWordWrap, m_message);
        return;
    }
    // text block at the bottom: which matrix, the sentence, the basis numbers (as many as fit)
    p.setFont(uiFont(base * 0.9));
    fm = QFontMetricsF(p.font());
    const QString text = shownText();
    const QRectF textBox = text.isEmpty() ? QRectF() : fm.boundingRect(QRectF(0, 0, W, 10000), Qt::TextWordWrap, text);
    const double textTop = height() - pad * 0.5 - textBox.height();
    p.setPen(kText);
    p.drawText(QRectF(pad, textTop, W, textBox.height() + 2), Qt::AlignLeft | Qt::TextWordWrap, text);

    // the largest angle in large type
    const double largest = m_in.cmp.largestDeg;
    p.setFont(uiFont(base * 2.4, true));
    fm = QFontMetricsF(p.font());
    const QString big = std::isfinite(largest) ? QStringLiteral("%1°").arg(largest, 0, 'f', largest < 10 ? 1 : 0) : QStringLiteral("–");
    p.setPen(kAeColor.darker(110));
    p.drawText(QPointF(pad, y + fm.ascent()), big);
    const double bigW = fm.horizontalAdvance(big);
    p.setFont(uiFont(base * 0.9));
    QFontMetricsF sf(p.font());
    p.setPen(kSubtleText);
    const double capX = pad + bigW + base * 0.6, capW = W - bigW - base * 0.6;
    const double capY = y + fm.height() / 2 - sf.height();
    const auto count = m_in.cmp.anglesDeg.size();
    p.drawText(QPointF(capX, capY + sf.ascent()),
               firstFitting({tr("largest of %1 angles · step %2").arg(count).arg(m_in.step),
                             tr("largest of %1 · step %2").arg(count).arg(m_in.step), tr("largest of %1").arg(count)},
                            sf, capW));
    p.drawText(QPointF(capX, capY + sf.height() + sf.ascent()),
               firstFitting({tr("0° = same subspace, 90° = orthogonal"), tr("0°: same, 90°: orthogonal"), tr("0° same, 90° orth.")}, sf, capW));
    y += fm.height();

    const Eigen::VectorXd &t = m_in.cmp.anglesDeg;
    const int n = int(t.size());
    auto deg = [](double v) { return QStringLiteral("%1°").arg(v, 0, 'f', v < 10 ? 1 : 0); };
    p.setFont(uiFont(base * 0.8));
    sf = QFontMetricsF(p.font());
    // one bar per angle, 0–90°; too little room: the angles as a list instead
    const QRectF bars(pad + sf.horizontalAdvance(QStringLiteral("90°")) + base * 0.3, y + base * 0.3 + sf.height(),
                      W - sf.horizontalAdvance(QStringLiteral("90°")) - base * 0.3, textTop - y - base * 0.9 - sf.height());
    if (n == 0) return;
    if (bars.height() < base * 2.5) {
        QStringList all;
        for (int i = 0; i < n; ++i) all.append(deg(t(i)));
        p.setPen(kText);
        p.setFont(uiFont(base * 0.9));
        sf = QFontMetricsF(p.font());
        p.drawText(QPointF(pad, y + sf.ascent() + base * 0.1),
                   sf.elidedText(tr("all: %1").arg(all.join(QStringLiteral("  "))), Qt::ElideRight, W));
        return;
    }
    for (int v : {0, 45, 90}) {
        const double yy = bars.bottom() - v / 90.0 * bars.height();
        p.setPen(QPen(kGrid, 1));
        p.drawLine(QPointF(bars.left(), yy), QPointF(bars.right(), yy));
        p.setPen(kSubtleText);
        const QString s = QStringLiteral("%1°").arg(v);
        p.drawText(QPointF(bars.left() - sf.horizontalAdvance(s) - base * 0.2, yy + sf.ascent() * 0.4), s);
    }
    const double slot = bars.width() / n, bw = std::max(1.0, slot * 0.7);
    const bool labels = slot > sf.horizontalAdvance(QStringLiteral("88.8°")) + base * 0.2;
    for (int i = 0; i < n; ++i) {
        const double x = bars.left() + slot * (i + 0.5);
        const double h = std::max(1.0, std::clamp(t(i), 0.0, 90.0) / 90.0 * bars.height());
        p.setPen(Qt::NoPen);
        p.setBrush(kAeColor);
        p.drawRect(QRectF(x - bw / 2, bars.bottom() - h, bw, h));
        if (!labels) continue;
        const QString s = deg(t(i));
        p.setPen(kText);
        p.drawText(QPointF(x - sf.horizontalAdvance(s) / 2, bars.bottom() - h - sf.descent() - 1), s);
    }
}
