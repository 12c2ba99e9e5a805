#include "ui/window/MainWindow.h"

#include "ui/widgets/Palette.h"
#include "ui/widgets/Ask.h"
#include "ui/widgets/StatusMessage.h"
#include "ui/window/ControlPanel.h"
#include "ui/window/Dock.h"
#include "ui/window/DockTabs.h"
#include "ui/views/LossChartView.h"
#include "ui/views/PcaComparisonView.h"
#include "ui/views/ReconstructionView.h"
#include "ui/views/StatusPanel.h"
#include "core/data/Dataset.h"
#include "core/train/Settings.h"
#include "ui/explore/CodeHistogramView.h"
#include "ui/explore/DrawPanel.h"
#include "ui/explore/DrawingPad.h"
#include "ui/explore/FiltersView.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/widgets/ShortcutGuard.h"
#include "core/data/Catalog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QScrollArea>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

MainWindow::MainWindow(QWidget *parent) : MainWindow(Options{}, parent) {}

MainWindow::MainWindow(const Options &o, QWidget *parent) : QMainWindow(parent), m_opts(o)
{
    // Qt 6.4's text shaping with DejaVu Sans (Debian's default face) draws a combining circumflex on a
    // letter without a precomposed form (x̂, ρ̂ⱼ, Adam's m̂ and v̂) a line lower or not at all. Without
    // shaping, which Latin and Greek text does not need, the marks sit on their letters. Every font of
    // the window starts from the application's.
    // Projector-readable text: at least 11 pt everywhere (the views size their own text).
    QFont appFont = QApplication::font();
    appFont.setStyleStrategy(QFont::PreferNoShaping);
    if (appFont.pointSizeF() < 11) appFont.setPointSizeF(11);
    m_startFontPt = appFont.pointSizeF();
    ael::ui::textZoom() = 1.0;
    QApplication::setFont(appFont);
    QIcon icon(QStringLiteral(":/icons/aelab.svg"));
    icon.addFile(QStringLiteral(":/icons/aelab-128.png"));  // without the Qt SVG plugin
    setWindowIcon(icon);
    m_worker = new TrainingWorker(o.worker, this);
    m_loader = new DataLoader(this);

    // The four views in resizable rows: losses | reconstructions over code scatter | PCA.
    m_lossView = new LossChartView;
    m_reconView = new ReconstructionView;
    m_latentView = new LatentExplorer;
    m_pcaView = new PcaComparisonView;
    m_pcaView->setToolTip(ControlPanel::pcaFormula());
    m_top = new QSplitter(Qt::Horizontal);
    m_top->addWidget(m_lossView);
    m_top->addWidget(m_reconView);
    m_bottom = new QSplitter(Qt::Horizontal);
    m_bottom->addWidget(m_latentView);
    m_bottom->addWidget(m_pcaView);
    m_rows = new QSplitter(Qt::Vertical);
    m_rows->addWidget(m_top);
    m_rows->addWidget(m_bottom);
    m_rows->setObjectName(QStringLiteral("rows")), m_top->setObjectName(QStringLiteral("top")), m_bottom->setObjectName(QStringLiteral("bottom"));
    for (QSplitter *s : {m_top, m_bottom, m_rows}) s->setChildrenCollapsible(false), s->setSizes({1000, 1000});
    setCentralWidget(m_rows);
    resize(QSize(1280, 720).boundedTo(screen()->availableSize()));  // until QSettings has a geometry

    m_controls = new ControlPanel;
    auto *scroll = new QScrollArea;
    scroll->setWidget(m_controls);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);  // only beyond fitControlsWidth's cap
    m_controlsScroll = scroll;
    auto *dock = new ael::ui::Dock(tr("Controls"), this);
    dock->setObjectName(QStringLiteral("controlsDock"));
    dock->setWidget(scroll);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    ael::ui::toggleToFront(dock);  // View ▸ Controls presenting: it was opened as a tab behind the lesson
    fitControlsWidth();

    statusBar()->addPermanentWidget(m_status = new StatusPanel);
    buildExploreDocks();
    buildActions();
    m_viewMenu->addAction(dock->toggleViewAction());
    m_viewMenu->addAction(m_drawDock->toggleViewAction());
    m_viewMenu->addAction(m_insideDock->toggleViewAction());
    buildPresentationActions();
    buildPcaDock();
    buildLessons();
    // View: the panels first (controls, draw, inside, PCA, lesson), then the two ways of showing them.
    m_viewMenu->addSeparator();
    m_viewMenu->addActions({m_presentation, m_fullScreen});
    buildFilesMenu();  // ui/window/MainWindowFiles.cpp
    qApp->installEventFilter(new ShortcutGuard(this));  // → and Space go to a focused slider or button

    // Controls → worker.
    connect(m_controls, &ControlPanel::settingsChanged, m_worker, &TrainingWorker::setSettings);
    connect(m_controls, &ControlPanel::latentConfigChanged, m_worker, &TrainingWorker::setLatentConfig);
    connect(m_controls, &ControlPanel::resetRequested, this, [this](const ael::Architecture &a) { startRun(a); });
    m_controls->setDiscardQuestion([this](const QString &action) { return askBeforeDiscarding(action); });
    connect(m_controls, &ControlPanel::dataSourceRequested, this, [this](const QString &id) {
        if (m_data && id == m_data->id) return;
        QString name = id;  // as the data combo box shows it
        if (auto cached = m_loader->cached(id)) name = cached->label;
        else
            for (const ael::DataSource &s : ael::availableDataSources())
                if (QString::fromStdString(s.id) == id) name = QString::fromStdString(s.label);
        if (!confirmNewRun(name)) {
            m_controls->setCurrentData(m_data->id, m_data->label);
            return;
        }
        m_controls->setDataBusy(true, tr("Loading…"));
        m_loader->loadAsync(id);
    });
    connect(m_controls, &ControlPanel::openIdxRequested, this, &MainWindow::openIdx);
    connect(m_loader, &DataLoader::loaded, this, [this](std::shared_ptr<const DataBundle> b) {
        m_controls->setDataBusy(false);
        useData(std::move(b));
    });
    connect(m_loader, &DataLoader::failed, this, [this](const QString &what, const QString &why) {
        m_controls->setDataBusy(false);
        if (m_data) m_controls->setCurrentData(m_data->id, m_data->label);
        status_message::show(statusBar(), tr("Could not load %1").arg(what), 10000);
        ask::warning(this, tr("Could not load the data"), tr("%1\n\nThe previous data set is kept.").arg(why));
    });

    // Worker → window.
    connect(m_worker, &TrainingWorker::snapshotReady, this, &MainWindow::applySnapshot);
    connect(m_worker, &TrainingWorker::playingChanged, this, [this](bool on) {
        const QSignalBlocker block(m_play);
        m_play->setChecked(on);
        m_play->setText(on ? tr("Pause") : tr("Play"));
        m_play->setIcon(style()->standardIcon(on ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    });
    connect(m_worker, &TrainingWorker::settingsRejected, this, [this](quint64 gen, const QString &why) {
        status_message::show(statusBar(), tr("Setting rejected: %1 — the previous value is kept.").arg(why), 12000);
        if (gen == m_worker->requestedSettingsGeneration()) m_controls->setSettings(m_worker->engineSettings());
    });
    connect(m_worker, &TrainingWorker::resetFailed, this, [this](quint64 id, const QString &why) {
        if (id != m_run) return;  // a newer request is on its way
        showEngineRun();
        status_message::show(statusBar(), tr("Could not build the model: %1 — the previous model goes on.").arg(why), 15000);
    });

    // Data sources: embedded MNIST at once (≈ 0.1 s), the others on demand.
    QList<QPair<QString, QString>> sources;
    for (const ael::DataSource &s : ael::availableDataSources())
        sources.append({QString::fromStdString(s.id), QString::fromStdString(s.label)});
    m_controls->setDataSources(sources);
    QString wantedData;
    if (o.restoreSettings) {
        restoreSettings();
        wantedData = QSettings().value(QStringLiteral("data/source")).toString();
    }
    try {
        auto mnist = DataBundle::loadShared(QStringLiteral("mnist"));
        m_loader->insert(mnist);
        useData(mnist);
    } catch (const std::exception &e) {
        status_message::show(statusBar(), tr("Could not load the embedded digits: %1").arg(QString::fromUtf8(e.what())));
    }
    m_worker->setLatentConfig(m_controls->latentConfig());
    m_worker->start();
    if (!wantedData.isEmpty() && wantedData != QLatin1String("mnist")) {
        for (const auto &[id, label] : sources)
            if (id == wantedData) {
                m_controls->setDataBusy(true, tr("Loading %1…").arg(label));
                m_loader->loadAsync(id);
            }
    }
    if (o.playAtStart) m_worker->play();  // the first run, and the next ones (a remembered data set's), train
}

MainWindow::~MainWindow()
{
    // Its children are hidden as the QWidget part goes, after this body: a dock's visibilityChanged then must not
    // reach this window's handlers (the lesson dock's updates the presentation layout).
    for (QDockWidget *dock : findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly)) disconnect(dock, nullptr, this, nullptr);
    m_controls->setDiscardQuestion({});  // it asks this window
    m_worker->stop();
    // Presentation mode is this window's: the mode and the application's font go back with it.
    if (m_presentation && m_presentation->isChecked()) {
        ael::ui::presentationMode() = false;
        setPresentationFont(false);
    }
}

void MainWindow::buildActions()
{
    auto *bar = addToolBar(tr("Training"));
    bar->setObjectName(QStringLiteral("trainingToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setMovable(false);
    m_play = bar->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Play"));
    m_play->setCheckable(true);
    m_play->setShortcut(Qt::Key_Space);
    m_play->setToolTip(tr("Play / pause training (Space)"));
    connect(m_play, &QAction::toggled, m_worker, &TrainingWorker::setPlaying);
    m_step = bar->addAction(style()->standardIcon(QStyle::SP_MediaSkipForward), tr("Step"));
    m_step->setShortcut(Qt::Key_Right);
    m_step->setToolTip(tr("Train one mini-batch (→)"));
    connect(m_step, &QAction::triggered, m_worker, [this] { m_worker->stepBatches(1); });
    m_epoch = bar->addAction(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("Epoch"));
    m_epoch->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Right));
    m_epoch->setToolTip(tr("Train to the end of the epoch (Shift+→)"));
    connect(m_epoch, &QAction::triggered, m_worker, &TrainingWorker::stepEpoch);
    m_reset = bar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Reset"));
    m_reset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_reset->setToolTip(tr("Fresh weights, same settings (Ctrl+R)"));
    connect(m_reset, &QAction::triggered, this, [this] { if (mayDiscardModel(tr("Resetting"))) resetRun(); });
    bar->addSeparator();
    bar->addAction(m_drawDock->toggleViewAction());
    bar->addAction(m_insideDock->toggleViewAction());
    // One log-scale toggle: the checkbox on the chart; this action is its menu entry and shortcut.
    m_logY = new QAction(tr("Log loss axis"), this);
    m_logY->setCheckable(true);
    m_logY->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_logY->setToolTip(tr("Logarithmic loss axis (Ctrl+L)"));
    connect(m_logY, &QAction::toggled, m_lossView, &LossChartView::setLogY);
    connect(m_lossView, &LossChartView::logYChanged, m_logY, [this](bool on) {
        const QSignalBlocker block(m_logY);
        m_logY->setChecked(on);
    });
    auto *bigger = new QAction(tr("Larger text"), this);
    bigger->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    connect(bigger, &QAction::triggered, this, [this] { zoomText(+1); });
    auto *smaller = new QAction(tr("Smaller text"), this);
    smaller->setShortcut(QKeySequence::ZoomOut);
    connect(smaller, &QAction::triggered, this, [this] { zoomText(-1); });
    menuBar()->addMenu(tr("&Training"))->addActions({m_play, m_step, m_epoch, m_reset});
    menuBar()->addMenu(tr("&Text"))->addActions({bigger, smaller});
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(m_logY);
}

void MainWindow::fitControlsWidth()
{
    // As wide as the panel wants in today's font (Larger text, presentation mode), up to 2/5 of the window;
    // beyond that a horizontal scroll bar. Set once at the start, larger text cut the combo boxes and the
    // sliders' values off at the dock's edge.
    const int want = m_controls->sizeHint().width() + m_controlsScroll->verticalScrollBar()->sizeHint().width() + 4;
    m_controlsScroll->setMinimumWidth(std::min(want, std::max(240, width() * 2 / 5)));
}

void MainWindow::changeEvent(QEvent *e)
{
    QMainWindow::changeEvent(e);
    if (e->type() == QEvent::FontChange && m_controlsScroll) fitControlsWidth();
}

void MainWindow::zoomText(int delta)
{
    setApplicationFontPt(std::clamp(QApplication::font().pointSizeF() + delta, 8.0, 28.0));
    scrollDrawPanel();
}

void MainWindow::setApplicationFontPt(double pt)
{
    // The views' text by the same factor as the widgets', against this mode's starting size.
    const double start = ael::ui::presentationMode() ? presentationPt(m_startFontPt) : m_startFontPt;
    ael::ui::textZoom() = start > 0 ? pt / start : 1.0;
    QFont f = QApplication::font();
    f.setPointSizeF(pt);
    QApplication::setFont(f);
}

void MainWindow::applySnapshot(const Snapshot &s)
{
    if (s.runId != m_run) return;  // a late Snapshot of a run that was reset
    m_lossView->applySnapshot(s);
    m_reconView->applySnapshot(s);
    m_latentView->applySnapshot(s);
    m_pcaView->applySnapshot(s);
    m_status->applySnapshot(s);
    applyToExploreViews(s);
    if (!s.message.isEmpty()) status_message::show(statusBar(), s.message, 12000);
    // Qt adds the application's display name ("— Autoencoder Lab") itself.
    setWindowTitle(tr("%1 · %2 · %3").arg(s.variant, s.architecture, s.dataName));
    ++m_snapshots;
    m_last = s;
    emit snapshotApplied(s);
}

void MainWindow::startRun(const ael::Architecture &a)
{
    if (!m_data) return;
    m_run = m_worker->reset(m_data, a, m_controls->settings(), m_controls->seed());
    m_controls->setArchitecture(a);
    m_lossView->reset();
    m_reconView->reset();
    m_latentView->reset();
    m_pcaView->reset();
    m_status->reset();
    m_hist->clear();
    m_lastCodes.reset();
}

void MainWindow::resetRun() { startRun(m_controls->architecture()); }

void MainWindow::showEngineRun()
{
    m_run = m_worker->engineRunId();
    if (m_run == 0) return;  // no model was ever built: the controls keep the request
    m_controls->setArchitecture(m_worker->engineArchitecture());
    m_controls->setSeed(m_worker->engineSeed());
    m_controls->setSettings(m_worker->engineSettings());
    if (m_data && m_data->id != m_worker->engineDataId())
        if (auto b = m_loader->cached(m_worker->engineDataId())) {
            m_data = std::move(b);
            m_controls->setCurrentData(m_data->id, m_data->label);
        }
}

void MainWindow::useData(std::shared_ptr<const DataBundle> b)
{
    if (!b) return;
    m_data = std::move(b);
    m_loader->fitPca(m_data, m_worker, [this, w = m_worker, b = m_data] {
        w->pcaReady();
        if (!b->pcaError().isEmpty())
            status_message::show(statusBar(), tr("No PCA for this data set: %1").arg(b->pcaError()), 15000);
    });
    ael::Architecture a = m_controls->architecture();
    a.input = m_data->dim();
    m_controls->setCurrentData(m_data->id, m_data->label);
    startRun(a);
}

bool MainWindow::confirmNewRun(const QString &what)
{
    if (m_worker->engineStep() == 0) return true;
    // A model with unsaved steps: the question that offers to save it, and says what is thrown away.
    const DiscardCheck unsaved = askBeforeDiscarding(tr("Switching to %1").arg(what));
    if (unsaved != DiscardCheck::NothingToLose) return unsaved == DiscardCheck::Go;
    return ask::question(this, tr("Switch the data set?"),
                         tr("Training on %1 starts a new run with fresh weights; the current curves are cleared.").arg(what),
                         {tr("Switch"), tr("Cancel")}) == 0;
}

void MainWindow::openIdx()
{
    QSettings q;
    const QString dir = q.value(QStringLiteral("data/idxDir")).toString();
    const QString images = QFileDialog::getOpenFileName(this, tr("IDX images file"), dir,
                                                        tr("IDX images (*idx3-ubyte *idx3-ubyte.gz);;All files (*)"));
    if (images.isEmpty()) return;
    const QString labels = QFileDialog::getOpenFileName(this, tr("IDX labels file for %1").arg(images), QFileInfo(images).path(),
                                                        tr("IDX labels (*idx1-ubyte *idx1-ubyte.gz);;All files (*)"));
    if (labels.isEmpty()) return;
    q.setValue(QStringLiteral("data/idxDir"), QFileInfo(images).path());
    loadIdx(images, labels);
}

void MainWindow::loadIdx(const QString &images, const QString &labels)
{
    if (!confirmNewRun(QFileInfo(images).fileName())) return;
    m_controls->setDataBusy(true, tr("Loading %1…").arg(QFileInfo(images).fileName()));
    m_loader->loadIdxAsync(images, labels);
}

void MainWindow::closeEvent(QCloseEvent *e)
{
    if (!mayDiscardModel(tr("Quitting"))) return e->ignore();
    if (m_opts.restoreSettings) saveSettings();
    m_worker->stop();  // abort, wake, join: within one mini-batch
    QMainWindow::closeEvent(e);
}

void MainWindow::saveSettings()
{
    QSettings q;
    q.setValue(QStringLiteral("window/geometry"), saveGeometry());
    q.setValue(QStringLiteral("window/state"), saveState());
    for (QSplitter *sp : {m_rows, m_top, m_bottom}) q.setValue(QStringLiteral("window/") + sp->objectName(), sp->saveState());
    q.setValue(QStringLiteral("window/fontSize"), QApplication::font().pointSizeF());
    q.setValue(QStringLiteral("view/logY"), m_logY->isChecked());
    if (m_data && !m_data->id.startsWith(QLatin1String("idx:"))) q.setValue(QStringLiteral("data/source"), m_data->id);
    m_controls->saveState(q);
}

void MainWindow::restoreSettings()
{
    QSettings q;
    restoreGeometry(q.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(q.value(QStringLiteral("window/state")).toByteArray());
    for (QSplitter *sp : {m_rows, m_top, m_bottom}) sp->restoreState(q.value(QStringLiteral("window/") + sp->objectName()).toByteArray());
    const double pt = q.value(QStringLiteral("window/fontSize"), 0.0).toDouble();
    if (pt >= 8 && pt <= 28) setApplicationFontPt(pt);
    m_logY->setChecked(q.value(QStringLiteral("view/logY"), false).toBool());
    m_controls->restoreState(q);
}
