#pragma once
// Pure functions of the training worker's loss-chart markers (no clock, no thread: the time is an
// argument, so tests drive them with tables):
//   describeChange   the short label of what differs between two TrainSettings ("lr 0.01, batch 64")
//   switchMessage    the status-bar line of a variant switch
//   MarkerDebounce   turns a stream of setting changes into ChangeMarkers: a slider drag (many
//                    changes of settling fields, e.g. lr, each < 0.3 s after the last) is ONE marker,
//                    labelled from the settings before the drag to those after it; any other change
//                    (variant, loss, batch...) is a marker at once and closes an open drag first.
#include "ui/training/Snapshot.h"
#include "core/train/Settings.h"

#include <QString>
#include <QVector>

namespace settings_change {

// What a settings change touched: bit i is row i of the settings table (core/train/SettingsTable.h).
// Slider-like rows (SettingRow::settles) settle before they become a marker (a drag is one marker);
// the others make a marker at once.
/// The bit of the row with this key ("learningRate"); 0 if there is none.
unsigned changeBit(const char *key);
/// The bits of the rows that settle.
unsigned settlingFields();

/// The short label of a ChangeMarker: what differs between two settings ("" if nothing); *mask
/// gets the ChangeBits.
QString describeChange(const ael::TrainSettings &a, const ael::TrainSettings &b, unsigned *mask = nullptr);

/// A corruption in words: "masking 30 %", "salt-and-pepper 10 %", "Gaussian σ = 0.1", "no corruption".
QString describeCorruption(const ael::Corruption &c);

/// The status-bar line when the variant changes from `a` to `b` ("" if it does not). Switching to or
/// from the variational variant re-initialises the code layer, and the line says so.
QString switchMessage(const ael::TrainSettings &a, const ael::TrainSettings &b);

/// Debounces setting changes into ChangeMarkers. Times are seconds on any monotonic clock.
class MarkerDebounce {
public:
    static constexpr double kSettleSeconds = 0.3;  ///< a drag becomes one marker once it rests this long

    /// The engine went from `before` to `after` at `step`, at time `now`. Returns the markers due now
    /// (an open drag closed by a change of another kind, then this change if it does not settle).
    QVector<ChangeMarker> change(const ael::TrainSettings &before, const ael::TrainSettings &after, qint64 step,
                                 double now);
    /// The open drag as a marker if it has rested kSettleSeconds at `now` (`current`: the settings now).
    QVector<ChangeMarker> tick(const ael::TrainSettings &current, double now);
    /// Seconds until tick() can close the open drag; < 0 when none is open.
    double secondsLeft(double now) const;
    /// Forgets an open drag (a new run).
    void clear() { m_pending = false; }

private:
    QVector<ChangeMarker> close(const ael::TrainSettings &end);

    bool m_pending = false;
    unsigned m_mask = 0;         // the fields the open drag touched
    ael::TrainSettings m_base;   // the settings before the drag
    qint64 m_step = 0;           // where the drag began
    double m_last = 0;           // its latest change
};

}  // namespace settings_change
