#include "ui/views/StatusPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>

#include <cmath>

StatusPanel::StatusPanel(QWidget *parent)
    : QWidget(parent), m_state(new QLabel(this)), m_epoch(new QLabel(this)), m_step(new QLabel(this)),
      m_rate(new QLabel(this)), m_elapsed(new QLabel(this)), m_progress(new QProgressBar(this))
{
    auto *lay = new QHBoxLayout(this);
    lay->setContentsMargins(4, 0, 4, 0);
    lay->setSpacing(14);
    m_progress->setObjectName(QStringLiteral("epochProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setFixedWidth(fontMetrics().horizontalAdvance(QLatin1Char('M')) * 9);
    m_progress->setToolTip(tr("Progress through the current epoch"));
    m_epoch->setToolTip(tr("Completed epochs (passes over the training set) and the current one"));
    m_step->setToolTip(tr("Mini-batch steps"));
    m_rate->setToolTip(tr("Training throughput (samples per second)"));
    m_elapsed->setToolTip(tr("Training time, pauses excluded"));
    for (QLabel *l : {m_epoch, m_step, m_rate, m_elapsed}) l->setTextFormat(Qt::PlainText);
    lay->addWidget(m_state);
    lay->addWidget(m_epoch);
    lay->addWidget(m_progress);
    lay->addWidget(m_step);
    lay->addWidget(m_rate);
    lay->addWidget(m_elapsed);
    reset();
}

void StatusPanel::reset()
{
    m_state->setText(tr("Ready"));
    m_epoch->setText(tr("Epoch 1"));
    m_step->setText(tr("Step 0"));
    m_rate->setText(tr("— samples/s"));
    m_elapsed->setText(QStringLiteral("0:00"));
    m_progress->setValue(0);
}

void StatusPanel::applySnapshot(const Snapshot &s)
{
    const QLocale loc;
    m_state->setText(s.running ? tr("Training") : (s.step > 0 ? tr("Paused") : tr("Ready")));
    m_epoch->setText(tr("Epoch %1").arg(s.epoch + 1));
    m_progress->setValue(int(std::lround(std::clamp(s.epochProgress, 0.0, 1.0) * 1000)));
    m_progress->setToolTip(tr("%1 % of epoch %2").arg(std::lround(100 * s.epochProgress)).arg(s.epoch + 1));
    m_step->setText(tr("Step %1").arg(loc.toString(s.step)));
    m_rate->setText(s.running && s.samplesPerSecond > 0  // paused: no rate (the last one would mislead)
                        ? tr("%1 samples/s").arg(loc.toString(qint64(std::lround(s.samplesPerSecond))))
                        : tr("— samples/s"));
    const qint64 t = qint64(s.elapsedSeconds);
    m_elapsed->setText(t >= 3600 ? QStringLiteral("%1:%2:%3")
                                       .arg(t / 3600)
                                       .arg((t / 60) % 60, 2, 10, QLatin1Char('0'))
                                       .arg(t % 60, 2, 10, QLatin1Char('0'))
                                 : QStringLiteral("%1:%2").arg(t / 60).arg(t % 60, 2, 10, QLatin1Char('0')));
}

QString StatusPanel::epochText() const { return m_epoch->text(); }
QString StatusPanel::stepText() const { return m_step->text(); }
QString StatusPanel::rateText() const { return m_rate->text(); }
QString StatusPanel::elapsedText() const { return m_elapsed->text(); }
int StatusPanel::progressPercent() const { return m_progress->value() / 10; }
