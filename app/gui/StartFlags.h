#pragma once
// What main() needs of the command line, every value checked before it is used (Flags.h): the
// numbers, the window size, the data set (--data mnist|fashion, or --images/--labels, an IDX pair as
// aelab-cli opens it), --lr, the --measure-quality options and an --arch against the panel's ranges,
// the data and the memory. Each check returns -1 when all is well, else the exit status (2) after
// printing "aelab: --flag: what is wrong".
#include "Measure.h"
#include "ui/training/TrainingWorker.h"

#include <QCommandLineOption>
#include <QSize>
#include <QString>
#include <QStringList>

class MainWindow;
class QCommandLineParser;

namespace ael {
struct Architecture;
}

class StartFlags {
public:
    /// Adds --data, --images, --labels, --lr, --measure-quality, --runs and --target to the parser.
    explicit StartFlags(QCommandLineParser &p);

    /// Parses the arguments (unknown flags, stray arguments).
    int parse(const QStringList &arguments);
    /// Checks and converts the numeric values and the size; --images and --labels come as a pair.
    int checkValues();
    /// Loads --data or --images/--labels (if given) into the window. A bad pair: exit 2 when unattended,
    /// else a message in the window and the embedded digits stay.
    int openData(MainWindow &w, bool unattended);
    /// Checks an --arch against the panel's ranges (1 to kMaxWidth), the data's image size and the memory.
    /// quiet: no message, and the data's image size is not checked (the data is about to change).
    int checkArchitecture(MainWindow &w, const ael::Architecture &a, bool quiet = false);

    static constexpr int kMaxWidth = 4096;  ///< the panel's largest code and hidden width
    static constexpr int kMaxThreads = 64;  ///< the engine's pool never runs more

    bool measureQuality() const;
    bool lrGiven() const;

    /// The window's engine threads: two. The trainer's ThreadTuner runs a step on its thread alone whenever
    /// the second does not pay (a small model, a busy machine). Measured on Intel (2 cores, default model):
    /// one thread trained at 0.69–0.79 of aelab-cli's default of two, two at 0.84; time to a test MSE of
    /// 0.047 1.53 → 1.27 s; event-loop p99 3.2–3.8 → 6.4–7.4 ms; drawing latency unchanged (p95 6–7 ms).
    static constexpr int kWindowThreads = 2;
    int threads = kWindowThreads;
    int analysisNice = TrainingWorker::Options{}.analysisNice;
    int batch = 128;
    double trainSeconds = 10;
    double latencySeconds = 10;
    double drawLatencySeconds = 10;
    double lr = 0;  ///< --lr when lrGiven()
    QualityOptions quality;
    QSize size{1920, 1080};

private:
    QCommandLineParser &m_p;
    QCommandLineOption m_images, m_labels, m_data, m_lr, m_quality, m_runs, m_target;
};
