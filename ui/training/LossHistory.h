#pragma once
// The loss history of the current run, recorded from the Snapshots the window applies (the same
// points, test MSEs and markers the loss chart draws), for the CSV export and session files.
//
// CSV (toCsv): RFC 4180, one header line and one row per recorded point:
//   step,epoch,reconstruction,<each term>,objective,test_mse,marker
// - <each term>: every regularizer term that appeared in the run (e.g. sparsity_l1), in order of first
//   appearance; empty where the term was not trained (before a variant switch, say);
// - objective: reconstruction + Σ terms, what the optimizer minimised;
// - test_mse: a test-set MSE measured at a step in (previous row's step, this row's step] (the last one
//   if several), else empty; marker: the change markers of that interval, joined by "; ".
//   Measurements and markers after the last point go into the last row.
// Numbers are written with 17 significant digits (they read back exactly).
#include "core/io/SessionHistory.h"

#include <QByteArray>
#include <QString>
#include <QVector>

struct Snapshot;

class LossHistory {
public:
    void clear();
    /// Appends the Snapshot's loss points, its test MSE (when it is a new measurement) and its new markers.
    void add(const Snapshot &s);

    const ael::SessionHistory &data() const { return m_h; }
    void set(ael::SessionHistory h);
    int size() const { return int(m_h.points.size()); }
    bool isEmpty() const { return m_h.points.empty(); }

    /// step, epoch, reconstruction, each term, objective, test_mse, (a denoising run's) test_mse_from_corrupted,
    /// marker: a row per loss point, each measurement and marker in the row of the first point at or after it.
    QString csvHeader() const;
    QByteArray toCsv() const;
    /// Snapshots that, applied in order to a fresh LossChartView, draw this history.
    QVector<Snapshot> replay() const;

private:
    int termIndex(const QString &name);
    /// Whether a test measurement was also taken from corrupted inputs (a denoising run): its CSV column.
    bool hasMseFromCorrupted() const;
    ael::SessionHistory m_h;
};
