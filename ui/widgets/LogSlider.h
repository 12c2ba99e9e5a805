#pragma once
// A slider over a logarithmic range (e.g. a learning rate 1e-5 … 1e-1) with its value shown beside
// it. setValue() keeps the exact value (a restored 3.7e-4 stays 3.7e-4); dragging snaps to ticks of
// 1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8 × 10ⁿ (ten per decade).
#include <QWidget>

class QLabel;
class QSlider;

class LogSlider : public QWidget {
    Q_OBJECT
public:
    explicit LogSlider(double lo, double hi, QWidget *parent = nullptr);

    double value() const { return m_value; }
    /// Keeps a value beyond the range as it is (the handle at that end; the label shows the value); emits
    /// valueChanged only if the value changed and `notify`.
    void setValue(double v, bool notify = false);
    double minimum() const { return m_lo; }
    double maximum() const { return m_hi; }
    QSlider *slider() const { return m_slider; }
    QLabel *valueLabel() const { return m_label; }

    /// "1e-3", "3.2e-4", "0.05", "2.5"
    static QString format(double v);

signals:
    void valueChanged(double v);

private:
    double tickValue(int tick) const;
    int tickOf(double v) const;
    void showValue();

    double m_lo, m_hi, m_value;
    QSlider *m_slider;
    QLabel *m_label;
};
