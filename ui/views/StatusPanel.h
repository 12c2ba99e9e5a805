#pragma once
// The permanent part of the status bar: epoch, step, samples/s, a progress bar through the current
// epoch and the elapsed training time. Messages (divergence, variant switch reports, rejected
// settings) go to QStatusBar::showMessage beside it.
#include "ui/training/Snapshot.h"

#include <QWidget>

class QLabel;
class QProgressBar;

class StatusPanel : public QWidget {
    Q_OBJECT
public:
    explicit StatusPanel(QWidget *parent = nullptr);

    void applySnapshot(const Snapshot &s);
    void reset();

    QString epochText() const;
    QString stepText() const;
    QString rateText() const;
    QString elapsedText() const;
    int progressPercent() const;

private:
    QLabel *m_state, *m_epoch, *m_step, *m_rate, *m_elapsed;
    QProgressBar *m_progress;
};
