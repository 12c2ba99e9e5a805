#pragma once
// A legend drawn as rows of entries (a swatch in the curve's colour and style, then its name) that
// wrap to the widget's width; each entry has its own tooltip. The loss chart uses it instead of
// Qt Charts' legend, which does not re-lay itself out when entries appear after a variant switch.
#include <QColor>
#include <QStringList>
#include <QString>
#include <QVector>
#include <QWidget>

class LegendRow : public QWidget {
    Q_OBJECT
public:
    struct Entry {
        QString key;      ///< the curve's key (for tests)
        QString text;     ///< shown
        QColor color;
        Qt::PenStyle style = Qt::SolidLine;
        QString tooltip;
        QString shortText;  ///< e.g. "L" for "reconstruction L"; empty: the text itself
        bool operator==(const Entry &) const = default;
    };

    explicit LegendRow(QWidget *parent = nullptr);

    void setEntries(const QVector<Entry> &entries);
    const QVector<Entry> &entries() const { return m_entries; }
    void setPixelSize(double px);

    /// Where entry i is drawn (for tests and tooltips); empty if it is not.
    QRect entryRect(int i) const;
    /// The texts drawn: every entry's short text when the long ones would take more rows (a narrow
    /// chart, large text in presentation mode), else the long ones.
    QStringList shownTexts() const;
    /// How many rows the legend takes at its width.
    int rowCount() const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int w) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *) override;
    bool event(QEvent *e) override;

private:
    /// Each entry's rectangle at `width`, with the long texts or the short ones.
    QVector<QRect> layoutFor(int width, bool shortTexts) const;
    /// Whether the short texts are drawn at `width` (they take fewer rows).
    bool shortAt(int width) const;
    QVector<QRect> layoutFor(int width) const { return layoutFor(width, shortAt(width)); }
    const QString &textOf(const Entry &e, bool shortTexts) const { return shortTexts && !e.shortText.isEmpty() ? e.shortText : e.text; }

    QVector<Entry> m_entries;
    double m_px = 14;
};
