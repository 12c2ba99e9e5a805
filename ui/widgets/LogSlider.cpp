#include "ui/widgets/LogSlider.h"

#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>

#include <algorithm>
#include <cmath>

namespace {
constexpr int kTicksPerDecade = 10;
}

LogSlider::LogSlider(double lo, double hi, QWidget *parent)
    : QWidget(parent), m_lo(lo), m_hi(hi), m_value(lo), m_slider(new QSlider(Qt::Horizontal, this)),
      m_label(new QLabel(this))
{
    auto *lay = new QHBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(m_slider, 1);
    lay->addWidget(m_label);
    const int ticks = int(std::lround(std::log10(hi / lo) * kTicksPerDecade));
    m_slider->setRange(0, ticks);
    m_slider->setPageStep(kTicksPerDecade / 2);
    m_label->setMinimumWidth(QFontMetrics(m_label->font()).horizontalAdvance(QStringLiteral("3.2e-10")));
    m_label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    connect(m_slider, &QSlider::valueChanged, this, [this](int t) {
        m_value = tickValue(t);
        showValue();
        emit valueChanged(m_value);
    });
    setValue(lo);
}

double LogSlider::tickValue(int tick) const
{
    // Round to two significant digits so the shown value is the value used.
    const double v = m_lo * std::pow(10.0, double(tick) / kTicksPerDecade);
    const double e = std::floor(std::log10(v));
    const double m = std::round(v / std::pow(10.0, e) * 10.0) / 10.0;
    return std::clamp(m * std::pow(10.0, e), m_lo, m_hi);
}

int LogSlider::tickOf(double v) const
{
    return int(std::lround(std::log10(v / m_lo) * kTicksPerDecade));
}

void LogSlider::setValue(double v, bool notify)
{
    if (!std::isfinite(v) || v < 0) return;
    // A value beyond the range (`aelab --lr 50`, a model trained by aelab-cli) is kept and shown: the handle
    // goes to the end, the label says the value in use.
    const bool changed = v != m_value;
    m_value = v;
    {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(v <= m_lo ? m_slider->minimum() : v >= m_hi ? m_slider->maximum() : tickOf(v));
    }
    showValue();
    if (changed && notify) emit valueChanged(m_value);
}

QString LogSlider::format(double v)
{
    if (v == 0) return QStringLiteral("0");
    if (v >= 0.01 && v < 100) return QString::number(v, 'g', 2);
    QString s = QString::number(v, 'e', 1);  // "3.2e-04"
    s.replace(QLatin1String(".0e"), QLatin1String("e"));
    s.replace(QLatin1String("e-0"), QLatin1String("e-"));
    s.replace(QLatin1String("e+0"), QLatin1String("e"));
    s.replace(QLatin1String("e+"), QLatin1String("e"));
    return s;
}

void LogSlider::showValue() { m_label->setText(format(m_value)); }
