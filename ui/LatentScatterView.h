#pragma once
// The 2-D code of the test digits, coloured by class (Snapshot::latent, Snapshot::labels), with the
// prior's 1σ and 2σ circles for the variational variant and the digit under the mouse on hover.
// The drawing is ScatterCanvas's; this view maps a Snapshot onto it.
#include "Snapshot.h"

#include <QWidget>

class ScatterCanvas;

class LatentScatterView : public QWidget {
    Q_OBJECT
public:
    explicit LatentScatterView(QWidget *parent = nullptr);

    ScatterCanvas *canvas() const { return m_canvas; }

public slots:
    /// An empty Snapshot::latent keeps the codes shown (the worker may send them less often).
    void applySnapshot(const Snapshot &s);
    void reset();

private:
    ScatterCanvas *m_canvas = nullptr;
    QString m_axes;
    bool m_variational = false;
};
