#pragma once
// A lesson's own picture: what one section of the lecture needs shown beyond the standard views
// (an overcomplete model copying noise, a neighbourhood contracting in code space, probabilistic PCA's
// samples beside the variational model's, the error jump on data of another kind, ...).
// The lesson panel owns at most one demo at a time and feeds it the current run's Snapshots.
#include "ui/training/Snapshot.h"

#include <QString>
#include <QWidget>

class LessonDemo : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    /// The newest Snapshot of the current run (GUI thread, at most ~15 per second). Heavy work
    /// (decoding many images, training a comparison model) runs off the GUI thread.
    virtual void applySnapshot(const Snapshot &s) = 0;
    /// A new run started (fresh weights): forget what was shown.
    virtual void reset() {}
};

/// The demo a lesson names in its "demo" field, or nullptr for an unknown or empty id. Ids:
///   "noise-copy"           lesson 3: random-noise images and the overcomplete model's reconstructions
///   "denoise-vs-plain"     lesson 5: the same x̃ through the denoising model and a plain AE
///   "contraction-cloud"    lesson 6: codes of ~50 noisy neighbours x + ε of one test digit
///   "ppca-vs-vae"          lesson 7: samples of probabilistic PCA beside the variational model's
///   "out-of-distribution"  lesson 8: digits vs another data set through the digit model, error ratio
LessonDemo *makeLessonDemo(const QString &id, QWidget *parent = nullptr);
