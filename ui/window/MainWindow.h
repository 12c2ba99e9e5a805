#pragma once
// The window: wiring only. The controls (a dock) talk to the TrainingWorker; the worker's Snapshots
// go to the four views and the status bar; data sets load in the background.
#include "ui/training/DataBundle.h"
#include "ui/training/Snapshot.h"
#include "ui/training/TrainingWorker.h"
#include "ui/window/DiscardCheck.h"

#include <QMainWindow>

class CodeHistogramView;
class ControlPanel;
class DataLoader;
class DrawPanel;
class FiltersView;
class LatentExplorer;
class LessonPanel;
struct Lesson;
class QDockWidget;
class LossChartView;
class PcaComparisonView;
class PcaPanel;
class QAction;
class QMenu;
class QScrollArea;
class QSplitter;
class ReconstructionView;
class StatusPanel;
class WindowFiles;
class LossHistory;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        bool restoreSettings = true;  ///< read (and on close write) QSettings
        bool playAtStart = false;     ///< train at once (aelab --play), instead of waiting for Play
        TrainingWorker::Options worker;
    };

    explicit MainWindow(QWidget *parent = nullptr);
    explicit MainWindow(const Options &o, QWidget *parent = nullptr);
    ~MainWindow() override;

    TrainingWorker *worker() const { return m_worker; }
    ControlPanel *controls() const { return m_controls; }
    StatusPanel *statusPanel() const { return m_status; }
    LossChartView *lossView() const { return m_lossView; }
    ReconstructionView *reconstructionView() const { return m_reconView; }
    LatentExplorer *latentView() const { return m_latentView; }
    DrawPanel *drawPanel() const { return m_draw; }
    FiltersView *filtersView() const { return m_filters; }
    CodeHistogramView *codeHistogram() const { return m_hist; }
    QDockWidget *drawDock() const { return m_drawDock; }
    QDockWidget *insideDock() const { return m_insideDock; }
    PcaComparisonView *pcaView() const { return m_pcaView; }
    PcaPanel *pcaPanel() const { return m_pcaPanel; }
    QDockWidget *pcaDock() const { return m_pcaDock; }
    QAction *playAction() const { return m_play; }
    QAction *stepAction() const { return m_step; }
    QAction *epochAction() const { return m_epoch; }
    QAction *resetAction() const { return m_reset; }

    std::shared_ptr<const DataBundle> data() const { return m_data; }
    quint64 runId() const { return m_run; }
    qint64 snapshotsApplied() const { return m_snapshots; }
    const Snapshot &lastSnapshot() const { return m_last; }

    /// A new run with the current controls (Ctrl+R).
    void resetRun();
    /// Loads an IDX images/labels pair in the background (asks first if training has started);
    /// an error shows a message box and keeps the current data.
    void loadIdx(const QString &imagesPath, const QString &labelsPath);
    /// Presentation mode (F5): large text, thick lines, secondary controls hidden. F11: full screen.
    void setPresentation(bool on);
    bool isPresentation() const;
    QAction *presentationAction() const { return m_presentation; }
    /// Uses this (already loaded) data set at once: a new run on it (aelab --images/--labels).
    void openData(std::shared_ptr<const DataBundle> b);
    /// Shows the drawing pad with this image on it (PNG/JPEG, e.g. a photo of a digit on paper).
    bool openDrawing(const QString &path, QString *error = nullptr);

    /// Applies lesson `index` (0-based) of builtinLessons(): data, settings, architecture, a fresh run,
    /// its docks and the lesson panel, then plays. The one entry point (menu, keys, panel, --lesson).
    void applyLesson(int index);
    int currentLesson() const { return m_lessonIndex; }  ///< 0-based; -1 before the first lesson
    LessonPanel *lessonPanel() const { return m_lessonPanel; }
    QDockWidget *lessonDock() const { return m_lessonDock; }
    // Files (ui/window/MainWindowFiles.cpp): each returns false and sets `error` (naming the file) on failure,
    // leaving model, data, settings and history as they were.
    bool saveModelTo(const QString &path, QString *error = nullptr);
    bool openModelFrom(const QString &path, QString *error = nullptr);
    bool saveSessionTo(const QString &path, QString *error = nullptr);
    bool openSessionFrom(const QString &path, QString *error = nullptr);
    bool exportHistoryCsv(const QString &path, QString *error = nullptr);
    const LossHistory &lossHistory() const;
    /// Asks (Discard / Save session… / Cancel, "don't ask again") before `action` throws away a trained
    /// model that was not saved; true: go ahead.
    bool mayDiscardModel(const QString &action) { return askBeforeDiscarding(action) != DiscardCheck::Cancel; }
    /// The same, saying whether it asked.
    DiscardCheck askBeforeDiscarding(const QString &action);

signals:
    /// After the views got a Snapshot of the current run.
    void snapshotApplied(const Snapshot &s);

protected:
    void closeEvent(QCloseEvent *e) override;
    void resizeEvent(QResizeEvent *e) override;  ///< presentation mode's layout follows the width
    void changeEvent(QEvent *e) override;        ///< a font change: fitControlsWidth

private:
    void buildActions();
    void buildExploreDocks();
    void buildPcaDock();  // MainWindowPca.cpp
    void buildLessons();
    void finishLesson(int index);
    void buildFilesMenu();
    void exportFigure(QWidget *w, const QString &name, bool svg);
    void openModelDialog();
    void saveModelDialog();
    void openSessionDialog();
    bool saveSessionDialog();
    void exportCsvDialog();
    void applyToExploreViews(const Snapshot &s);
    void onDrawingChanged();
    void applySnapshot(const Snapshot &s);
    void startRun(const ael::Architecture &a);
    /// Back to what the engine runs after a new run could not be built: its run id, architecture,
    /// seed, settings and data set in the controls.
    void showEngineRun();
    /// Adds a dock that opens on demand: on the right of a wide screen, else tabbed with the controls.
    void placeSideDock(QDockWidget *dock);
    bool wideScreen() const;  ///< room for a column of docks on the right of the views (≥ 1,700 px)
    /// Gives the central views their 45 % of the window back from the right-hand column (down to its
    /// minimum), or lets that column take up to a quarter of the window from views that have more.
    void keepCentralRoom(int passes = 2);
    void keepCentralRoomLater();
    void widenLessonColumnLater();  ///< presenting: the lesson's column at least 3/10 of the window
    /// The docks lesson `l` opens (and, presenting, the controls when its variant has knobs), placed beside
    /// or below it; those the previous lesson opened and this one does not, closed.
    void placeLessonDocks(const Lesson &l);
    void useData(std::shared_ptr<const DataBundle> b);
    bool confirmNewRun(const QString &what);
    void openIdx();
    void saveSettings();
    void restoreSettings();
    void zoomText(int delta);
    /// The controls dock's minimum width for the panel in the current font (capped: then it scrolls).
    void fitControlsWidth();
    void buildPresentationActions();
    void updatePresentationLayout();

    Options m_opts;
    TrainingWorker *m_worker = nullptr;
    DataLoader *m_loader = nullptr;
    ControlPanel *m_controls = nullptr;
    QScrollArea *m_controlsScroll = nullptr;
    StatusPanel *m_status = nullptr;
    LossChartView *m_lossView = nullptr;
    ReconstructionView *m_reconView = nullptr;
    LatentExplorer *m_latentView = nullptr;
    DrawPanel *m_draw = nullptr;
    FiltersView *m_filters = nullptr;
    CodeHistogramView *m_hist = nullptr;
    QDockWidget *m_drawDock = nullptr, *m_insideDock = nullptr;
    std::shared_ptr<const DataBundle> m_exploreData;  // the data the explore views were given
    std::shared_ptr<const PcaSummary> m_explorePca;
    std::shared_ptr<const std::vector<float>> m_lastCodes;  // the newest test codes (for the histogram)
    PcaComparisonView *m_pcaView = nullptr;
    PcaPanel *m_pcaPanel = nullptr;
    QDockWidget *m_pcaDock = nullptr;
    QSplitter *m_rows = nullptr, *m_top = nullptr, *m_bottom = nullptr;
    QMenu *m_viewMenu = nullptr;
    QAction *m_presentation = nullptr, *m_fullScreen = nullptr;
    double m_normalFontPt = 0;  // the application font outside presentation mode
    double m_startFontPt = 0;   // the application font the window started with (normal mode)
    void setPresentationFont(bool on);  // the application font for presentation mode, or back to m_normalFontPt
    /// The application font at `pt` points, and the views' text zoom to match (ael::ui::textZoom).
    void setApplicationFontPt(double pt);
    static double presentationPt(double normalPt);  ///< presentation mode's font for this normal one
    bool m_controlsShownBefore = true;
    void scrollDrawPanel();  // the Draw panel in a scroll area (presentation mode, larger text) or in its dock directly
    QSize m_sizeBeforePresentation;  // restored when presentation mode ends (its larger text may have grown the window)
    QAction *m_play = nullptr, *m_step = nullptr, *m_epoch = nullptr, *m_reset = nullptr, *m_logY = nullptr;

    std::shared_ptr<const DataBundle> m_data;
    quint64 m_run = 0;
    qint64 m_snapshots = 0;
    Snapshot m_last;
    bool m_closing = false;
    LessonPanel *m_lessonPanel = nullptr;
    QDockWidget *m_lessonDock = nullptr;
    int m_lessonIndex = -1, m_pendingLesson = -1;  // pending: waiting for the lesson's data set
    quint64 m_lessonRun = 0;  ///< the run the last lesson started (another run is the user's own)
    QStringList m_lessonDocks;                      // docks the current lesson opened
    WindowFiles *m_files = nullptr;
};
