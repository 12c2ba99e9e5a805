#pragma once
// The window's state for files (ui/window/MainWindowFiles.cpp): the loss history of the current run,
// which run and step were last saved (for the unsaved-model question), and the exportable figures.
#include "ui/files/FigureExport.h"
#include "ui/training/LossHistory.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

class QWidget;

class WindowFiles : public QObject {
public:
    using QObject::QObject;

    struct Figure {
        QPointer<QWidget> widget;
        QString name;
    };

    LossHistory history;
    quint64 historyRun = 0;      ///< the run `history` belongs to
    quint64 savedRun = 0;        ///< the run and step last saved or opened (0/−1: none)
    qint64 savedStep = -1;
    QList<Figure> figures;
    QPointer<QWidget> current;   ///< the figure last clicked (Copy figure)
};

/// How many steps a model must have trained before quitting or resetting asks to save it.
inline constexpr qint64 kAskToSaveAfterSteps = 1000;
/// The QSettings key of "don't ask again" (false: do not ask).
inline constexpr const char *kAskToSaveKey = "files/askToSave";
