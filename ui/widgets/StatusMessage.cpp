#include "StatusMessage.h"

#include "Palette.h"

#include <QElapsedTimer>
#include <QEvent>
#include <QFontMetricsF>
#include <QLayout>
#include <QPointer>
#include <QResizeEvent>
#include <QScopedValueRollback>
#include <QSizeGrip>
#include <QStatusBar>

namespace status_message {

namespace {

/// Lives on the bar: the message's forms, shown again in the longest form that fits whenever the bar's
/// width changes (a message shown before the window is laid out, a window resized while it shows) or
/// its permanent widgets change size (training starts and the status beside the message grows).
class Fitter : public QObject {
public:
    static constexpr const char *kName = "aelabStatusFitter";  // how show() finds it (no meta-object of its own)
    explicit Fitter(QStatusBar *bar) : QObject(bar), m_bar(bar)
    {
        setObjectName(QLatin1String(kName));
        bar->installEventFilter(this);
        connect(bar, &QStatusBar::messageChanged, this, [this](const QString &now) {
            if (now != m_shown) forget();  // another message, or the timeout: no longer ours
        });
    }
    void show(const QStringList &forms, int timeoutMs)
    {
        m_forms = forms;
        m_timeout = timeoutMs;
        m_clock.start();
        m_shown.clear();  // shown again with its whole timeout, even if the same text is on the bar
        fit();
    }

protected:
    bool eventFilter(QObject *o, QEvent *e) override
    {
        if (o != m_bar || m_forms.isEmpty() || m_fitting) return QObject::eventFilter(o, e);
        if (e->type() == QEvent::Resize &&
            static_cast<QResizeEvent *>(e)->oldSize().width() != static_cast<QResizeEvent *>(e)->size().width())
            fit();
        // A permanent widget asks for another size (the training status grows from "Paused" to
        // "Epoch 31 · Step 3,850 · 52k samples/s"): the room beside it changes. Not while the message
        // covers them: they are hidden, and showing them to measure would ask for a layout again.
        else if (e->type() == QEvent::LayoutRequest && m_hidden.isEmpty())
            fit();
        return QObject::eventFilter(o, e);
    }

private:
    void fit()
    {
        const QScopedValueRollback<bool> busy(m_fitting, true);  // its own layout passes do not fit again
        // Beside the training status where a form fits there; else over it (an error's words matter
        // more than the step counter for its few seconds), elided only beyond the whole bar.
        showStatus();
        const QFontMetricsF fm(m_bar->font());
        QString text = ael::ui::firstFitting(m_forms, fm, room(m_bar));
        if (!m_forms.contains(text)) {  // none fits beside the status: elided, so cover it instead
            hideStatus();
            text = ael::ui::firstFitting(m_forms, fm, room(m_bar));
        }
        // The whole message as the tooltip while a shortened one shows.
        m_bar->setToolTip(text == m_forms.first() ? QString() : m_forms.first());
        if (text == m_shown && m_bar->currentMessage() == text) return;
        int left = 0;  // what is left of the timeout (0: none)
        if (m_timeout > 0) {
            left = m_timeout - int(m_clock.elapsed());
            if (left <= 0) {
                m_bar->clearMessage();
                return;
            }
        }
        m_shown = text;
        m_bar->showMessage(text, left);
    }
    void hideStatus()
    {
        for (QWidget *w : m_bar->findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly))
            if (w->isVisible() && !qobject_cast<QSizeGrip *>(w)) {
                w->hide();
                m_hidden << w;
            }
    }
    void showStatus()
    {
        for (QWidget *w : std::as_const(m_hidden))
            if (w) w->show();
        m_hidden.clear();
    }
    void forget()
    {
        showStatus();
        m_forms.clear();
        m_shown.clear();
        m_bar->setToolTip(QString());
    }

    QStatusBar *m_bar;
    QList<QPointer<QWidget>> m_hidden;  ///< the permanent widgets a long message covers while it shows
    QStringList m_forms;
    QString m_shown;
    int m_timeout = 0;
    bool m_fitting = false;
    QElapsedTimer m_clock;
};

}  // namespace

int room(QStatusBar *bar)
{
    // Where the permanent widgets are now, not at the next layout pass (a font change, presentation
    // mode, widens them first).
    if (bar->layout()) bar->layout()->activate();
    int right = bar->width();
    for (const QObject *o : bar->children())
        if (const auto *w = qobject_cast<const QWidget *>(o); w && w->isVisible()) right = std::min(right, w->x());
    return std::max(0, right - 16);  // the message's own margins
}

void show(QStatusBar *bar, const QStringList &longToShort, int timeoutMs)
{
    auto *fitter = dynamic_cast<Fitter *>(bar->findChild<QObject *>(QLatin1String(Fitter::kName), Qt::FindDirectChildrenOnly));
    if (longToShort.isEmpty() || longToShort.first().isEmpty()) {
        bar->clearMessage();
        return;
    }
    if (!fitter) fitter = new Fitter(bar);
    fitter->show(longToShort, timeoutMs);
}

}  // namespace status_message
