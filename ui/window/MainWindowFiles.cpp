// MainWindow's files: the File menu (open data, models and sessions, save them, export figures and the
// loss history, copy a figure, quit), the figures' context menus, the loss history fed from every
// applied Snapshot, and the question before a trained, unsaved model is thrown away.
#include "ui/window/MainWindow.h"

#include "core/io/ModelFile.h"
#include "core/io/SessionFile.h"
#include "core/nn/Model.h"
#include "ui/files/FigureExport.h"
#include "ui/files/WindowFiles.h"
#include "ui/views/LossChartView.h"
#include "ui/views/PcaComparisonView.h"
#include "ui/views/ReconstructionView.h"
#include "ui/views/StatusPanel.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/explore/DrawingPad.h"
#include "ui/widgets/Ask.h"
#include "ui/widgets/StatusMessage.h"
#include "ui/window/ControlPanel.h"

#include <QAction>
#include <QApplication>
#include <QCursor>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>

#include <cstdlib>

namespace {

/// A figure's name inside a sentence: "Loss chart" → "loss chart", but "PCA comparison" stays as it is.
QString inSentence(const QString &name)
{
    const QString first = name.section(QLatin1Char(' '), 0, 0);
    if (first.size() > 1 && first == first.toUpper()) return name;
    return name.left(1).toLower() + name.mid(1);
}

const QString kDirKey = QStringLiteral("files/dir");
const QString kModelFilter = QObject::tr("Autoencoder Lab models (*.safetensors);;All files (*)");
const QString kSessionFilter = QObject::tr("Autoencoder Lab sessions (*.aelab-session.safetensors *.safetensors);;All files (*)");

QString lastDir() { return QSettings().value(kDirKey, QDir::homePath()).toString(); }

/// The file name the user chose, with `suffix` added when it has none; remembers its folder.
QString withSuffix(const QString &path, const QString &suffix)
{
    if (path.isEmpty()) return path;
    QSettings().setValue(kDirKey, QFileInfo(path).path());
    return QFileInfo(path).suffix().isEmpty() ? path + suffix : path;
}

qint64 metadataInt(const std::map<std::string, std::string> &m, const char *key)
{
    const auto it = m.find(key);
    if (it == m.end()) return 0;
    char *end = nullptr;
    const long long v = std::strtoll(it->second.c_str(), &end, 10);
    return !it->second.empty() && *end == '\0' && v >= 0 && v < (1LL << 53) ? v : 0;
}

bool fail(QString *error, const QString &why)
{
    if (error) *error = why;
    return false;
}

/// A file that is not a whole model or session file: what most likely happened first, in words a class
/// understands, then the reader's own detail (which names the first thing wrong).
QString damagedFile(const QString &path, const QString &kind, const std::exception &e)
{
    QString detail = QString::fromUtf8(e.what());
    if (detail.startsWith(path + QStringLiteral(": "))) detail = detail.mid(path.size() + 2);
    return MainWindow::tr("%1 is not a complete %2 file: it may have been cut short (an interrupted copy or download), "
                          "or it is another kind of file.\n\nDetail: %3")
        .arg(path, kind, detail);
}

}  // namespace

void MainWindow::buildFilesMenu()
{
    m_files = new WindowFiles(this);
    // The history follows the Snapshots the views got (a new run starts a new one; an opened session's
    // history is set for its run beforehand).
    connect(this, &MainWindow::snapshotApplied, this, [this](const Snapshot &s) {
        if (s.runId != m_files->historyRun) {
            m_files->history.clear();
            m_files->historyRun = s.runId;
        }
        m_files->history.add(s);
    });

    figure::Handlers h;
    h.exportPng = [this](QWidget *w, const QString &name) { exportFigure(w, name, false); };
    h.exportSvg = [this](QWidget *w, const QString &name) { exportFigure(w, name, true); };
    h.copy = [this](QWidget *w, const QString &name) {
        figure::copyToClipboard(w);
        status_message::show(statusBar(), tr("Copied the %1 to the clipboard (%2 × %3 px)").arg(inSentence(name)).arg(w->width() * 2).arg(w->height() * 2), 6000);
    };
    h.touched = [this](QWidget *w) { m_files->current = w; };
    m_files->figures = {{m_lossView, tr("Loss chart")},
                        {m_reconView, tr("Reconstructions")},
                        {m_latentView, tr("Latent space")},
                        {m_pcaView, tr("PCA comparison")}};
    for (QDockWidget *d : findChildren<QDockWidget *>())
        if (d->widget()) m_files->figures.push_back({d->widget(), d->windowTitle()});
    for (DrawingPad *pad : findChildren<DrawingPad *>()) pad->setProperty("aelabNoFigureMenu", true);  // right button erases
    for (const auto &f : m_files->figures) figure::attachFigureMenu(f.widget, f.name, h);

    auto *file = new QMenu(tr("&File"), this);
    menuBar()->insertMenu(menuBar()->actions().value(0), file);
    auto add = [&](QMenu *m, const QString &text, QKeySequence key, auto slot) {
        QAction *a = m->addAction(text);
        if (!key.isEmpty()) a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    add(file, tr("Open IDX data…"), {}, [this] { openIdx(); });
    add(file, tr("Open model…"), QKeySequence::Open, [this] { openModelDialog(); });
    add(file, tr("Save model…"), QKeySequence::Save, [this] { saveModelDialog(); });
    file->addSeparator();
    add(file, tr("Open session…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), [this] { openSessionDialog(); });
    add(file, tr("Save session…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), [this] { saveSessionDialog(); });
    file->addSeparator();
    QMenu *ex = file->addMenu(tr("&Export"));
    for (const auto &f : m_files->figures) figure::addSubmenu(ex, f.widget, f.name, h);
    ex->addSeparator();
    add(ex, tr("Loss history as CSV…"), {}, [this] { exportCsvDialog(); });
    // The figure under the mouse (shortcut), else the one last clicked, else the loss chart.
    add(file, tr("Copy figure"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), [this, h] {
        QWidget *target = nullptr;
        for (QWidget *w = QApplication::widgetAt(QCursor::pos()); w && !target; w = w->parentWidget())
            for (const auto &f : m_files->figures)
                if (f.widget == w) target = w;
        if (!target) target = m_files->current ? m_files->current.data() : m_lossView;
        for (const auto &f : m_files->figures)
            if (f.widget == target) h.copy(target, f.name);
    });
    file->addSeparator();
    // The question before a trained model is thrown away; its "Don't ask again" is undone here.
    QAction *askToSave = file->addAction(tr("Ask to save a trained model before discarding it"));
    askToSave->setObjectName(QStringLiteral("askToSaveAction"));
    askToSave->setCheckable(true);
    connect(file, &QMenu::aboutToShow, askToSave, [askToSave] {
        askToSave->setChecked(QSettings().value(QLatin1String(kAskToSaveKey), true).toBool());
    });
    connect(askToSave, &QAction::triggered, this, [](bool on) { QSettings().setValue(QLatin1String(kAskToSaveKey), on); });
    file->addSeparator();
    QAction *quit = add(file, tr("Quit"), QKeySequence::Quit, [this] { close(); });
    quit->setMenuRole(QAction::QuitRole);
}

const LossHistory &MainWindow::lossHistory() const { return m_files->history; }

void MainWindow::exportFigure(QWidget *w, const QString &name, bool svg)
{
    const QString stem = QDir(lastDir()).filePath(name.toLower().replace(QLatin1Char(' '), QLatin1Char('-')));
    const QString suffix = svg ? QStringLiteral(".svg") : QStringLiteral(".png");
    const QString path = withSuffix(
        ask::saveFileName(this, svg ? tr("Export the %1 as SVG").arg(inSentence(name)) : tr("Export the %1 as PNG").arg(inSentence(name)),
                          stem + suffix, svg ? tr("SVG images (*.svg)") : tr("PNG images (*.png)"), suffix),
        suffix);
    if (path.isEmpty()) return;
    QString why;
    if (svg ? figure::saveSvg(w, name, path, &why) : figure::savePng(w, path, &why))
        status_message::show(statusBar(), tr("Saved %1").arg(path), 8000);
    else
        ask::warning(this, tr("Could not export the figure"), why);
}

bool MainWindow::exportHistoryCsv(const QString &path, QString *error)
{
    return figure::writeFile(path, m_files->history.toCsv(), error);
}

void MainWindow::exportCsvDialog()
{
    const QString path = withSuffix(ask::saveFileName(this, tr("Export the loss history as CSV"),
                                                      QDir(lastDir()).filePath(QStringLiteral("loss-history.csv")),
                                                      tr("CSV files (*.csv)"), QStringLiteral(".csv")),
                                    QStringLiteral(".csv"));
    if (path.isEmpty()) return;
    QString why;
    if (exportHistoryCsv(path, &why)) status_message::show(statusBar(), tr("Saved %1 (%2 rows)").arg(path).arg(m_files->history.size()), 8000);
    else ask::warning(this, tr("Could not export the loss history"), why);
}

// ---- models ----

bool MainWindow::saveModelTo(const QString &path, QString *error)
{
    const Snapshot &s = m_last;
    if (s.runId != m_run || !s.model || !s.settings) return fail(error, tr("%1: there is no model to save yet").arg(path));
    try {
        // The same metadata as `aelab-cli train --out`.
        ael::saveModel(path.toStdString(), *s.model, *s.settings,
                       {{"steps", std::to_string(s.step)},
                        {"epoch", std::to_string(s.epoch)},
                        {"seed", std::to_string(m_worker->engineSeed())},
                        {"data", m_data ? m_data->id.toStdString() : std::string()},
                        {"created_by", "aelab"}});
    } catch (const std::exception &e) {
        return fail(error, QString::fromUtf8(e.what()));
    }
    m_files->savedRun = m_run;
    m_files->savedStep = s.step;
    return true;
}

bool MainWindow::openModelFrom(const QString &path, QString *error)
{
    ael::LoadedModel m;
    try {
        m = ael::loadModel(path.toStdString());
    } catch (const ael::DamagedFileError &e) {
        return fail(error, damagedFile(path, tr("model"), e));
    } catch (const std::exception &e) {
        return fail(error, QString::fromUtf8(e.what()));
    }
    if (!m_data) return fail(error, tr("%1: no data set is loaded").arg(path));
    if (m.arch.input != m_data->dim())
        return fail(error, tr("%1: the model expects %2 inputs (images of %2 pixels) but %3 has %4 pixels per image; "
                              "open matching data first").arg(path).arg(m.arch.input).arg(m_data->label).arg(m_data->dim()));
    ael::Architecture a = m.arch;
    a.variational = false;  // the variant says it (the controls' convention)
    const qint64 step = metadataInt(m.metadata, "steps");
    const int epoch = int(std::min<qint64>(metadataInt(m.metadata, "epoch"), 1 << 30));
    m_controls->setSettings(m.settings);
    startRun(a);
    m_run = m_worker->resetWith(m_data, a, m.settings, m_controls->seed(), std::shared_ptr<const ael::Model<float>>(std::move(m.model)),
                                step, epoch);
    m_files->history.clear();
    m_files->historyRun = m_run;
    m_files->savedRun = m_run;
    m_files->savedStep = step;
    status_message::show(statusBar(), tr("Opened %1 (%2, step %3)").arg(QFileInfo(path).fileName(), QString::fromStdString(m.arch.spec())).arg(step), 10000);
    return true;
}

void MainWindow::openModelDialog()
{
    const QString path = ask::openFileName(this, tr("Open a model"), lastDir(), kModelFilter);
    if (path.isEmpty() || !mayDiscardModel(tr("Opening a model"))) return;
    QSettings().setValue(kDirKey, QFileInfo(path).path());
    QString why;
    if (!openModelFrom(path, &why)) ask::warning(this, tr("Could not open the model"), why + tr("\n\nNothing was changed."));
}

void MainWindow::saveModelDialog()
{
    const QString path = withSuffix(ask::saveFileName(this, tr("Save the model"), QDir(lastDir()).filePath(QStringLiteral("model.safetensors")),
                                                      kModelFilter, QStringLiteral(".safetensors")),
                                    QStringLiteral(".safetensors"));
    if (path.isEmpty()) return;
    QString why;
    if (saveModelTo(path, &why)) status_message::show(statusBar(), tr("Saved the model to %1").arg(path), 8000);
    else ask::warning(this, tr("Could not save the model"), why);
}

// ---- sessions ----

bool MainWindow::saveSessionTo(const QString &path, QString *error)
{
    const Snapshot &s = m_last;
    if (s.runId != m_run || !s.model || !s.settings || !m_data) return fail(error, tr("%1: there is nothing to save yet").arg(path));
    // The trainer's own copy of this step: weights with the optimizer state and the data stream, so an
    // opened session goes on exactly as if it had not been saved. (Without it: the last Snapshot's weights.)
    const auto c = m_worker->capture();
    const bool exact = c && c->runId == m_run;
    ael::SessionInfo info;
    info.dataId = m_data->id.toStdString();
    info.dataLabel = m_data->label.toStdString();
    info.seed = m_worker->engineSeed();
    info.step = exact ? c->step : s.step;
    info.epoch = exact ? c->epoch : int(s.epoch);
    try {
        if (exact) ael::saveSession(path.toStdString(), *c->model, c->settings, info, m_files->history.data(), c->state.get());
        else ael::saveSession(path.toStdString(), *s.model, *s.settings, info, m_files->history.data());
    } catch (const std::exception &e) {
        return fail(error, QString::fromUtf8(e.what()));
    }
    m_files->savedRun = m_run;
    m_files->savedStep = info.step;
    return true;
}

bool MainWindow::openSessionFrom(const QString &path, QString *error)
{
    ael::LoadedSession ls;
    try {
        ls = ael::loadSession(path.toStdString());
    } catch (const ael::DamagedFileError &e) {
        return fail(error, damagedFile(path, tr("session"), e));
    } catch (const std::exception &e) {
        return fail(error, QString::fromUtf8(e.what()));
    }
    // The session's data set: the current one, a cached one, or a built-in one loaded now.
    const QString id = QString::fromStdString(ls.info.dataId);
    std::shared_ptr<const DataBundle> data = m_data && m_data->id == id ? m_data : m_loader->cached(id);
    if (!data && id.startsWith(QLatin1String("idx:")))
        return fail(error, tr("%1: the session was trained on the IDX files %2; open them first (File ▸ Open IDX data…), "
                              "then the session").arg(path, id.mid(4)));
    if (!data) {
        try {
            data = DataBundle::loadShared(id);
        } catch (const std::exception &e) {
            return fail(error, tr("%1: its data set \"%2\" cannot be loaded: %3").arg(path, id, QString::fromUtf8(e.what())));
        }
    }
    if (ls.model.arch.input != data->dim())
        return fail(error, tr("%1: the model expects %2 inputs but %3 has %4 pixels per image")
                               .arg(path).arg(ls.model.arch.input).arg(data->label).arg(data->dim()));

    // Everything checked: apply.
    if (data != m_data) {
        m_loader->insert(data);
        useData(data);
    }
    ael::Architecture a = ls.model.arch;
    a.variational = false;
    m_controls->setSettings(ls.model.settings);
    m_controls->setSeed(ls.info.seed);
    startRun(a);
    std::shared_ptr<const ael::TrainerState> state;
    if (ls.state) state = std::make_shared<const ael::TrainerState>(std::move(*ls.state));
    m_run = m_worker->resetWith(m_data, a, ls.model.settings, ls.info.seed,
                                std::shared_ptr<const ael::Model<float>>(std::move(ls.model.model)), ls.info.step,
                                ls.info.epoch, std::move(state));
    m_files->history.set(std::move(ls.history));
    m_files->historyRun = m_run;
    for (const Snapshot &s : m_files->history.replay()) m_lossView->applySnapshot(s);
    m_files->savedRun = m_run;
    m_files->savedStep = ls.info.step;
    status_message::show(statusBar(), tr("Opened the session %1 (step %2)").arg(QFileInfo(path).fileName()).arg(ls.info.step), 10000);
    return true;
}

void MainWindow::openSessionDialog()
{
    const QString path = ask::openFileName(this, tr("Open a session"), lastDir(), kSessionFilter);
    if (path.isEmpty() || !mayDiscardModel(tr("Opening a session"))) return;
    QSettings().setValue(kDirKey, QFileInfo(path).path());
    QString why;
    if (!openSessionFrom(path, &why)) ask::warning(this, tr("Could not open the session"), why + tr("\n\nNothing was changed."));
}

bool MainWindow::saveSessionDialog()
{
    const QString path = withSuffix(ask::saveFileName(this, tr("Save the session"),
                                                      QDir(lastDir()).filePath(QStringLiteral("lecture.aelab-session.safetensors")),
                                                      kSessionFilter, QStringLiteral(".safetensors")),
                                    QStringLiteral(".safetensors"));
    if (path.isEmpty()) return false;
    QString why;
    if (saveSessionTo(path, &why)) {
        status_message::show(statusBar(), tr("Saved the session to %1").arg(path), 8000);
        return true;
    }
    ask::warning(this, tr("Could not save the session"), why);
    return false;
}

DiscardCheck MainWindow::askBeforeDiscarding(const QString &action)
{
    const qint64 step = m_worker->engineStep();
    if (step < kAskToSaveAfterSteps) return DiscardCheck::NothingToLose;
    if (m_files->savedRun == m_run && m_files->savedStep == step) return DiscardCheck::NothingToLose;
    QSettings q;
    if (!q.value(QLatin1String(kAskToSaveKey), true).toBool()) return DiscardCheck::NothingToLose;
    bool dontAsk = false;
    // Discard first: the answer that goes ahead (as in the window's other questions); Save is the default button.
    // Saved (or opened) earlier in this run: the steps since then are what would be lost. ("Trained 77,377
    // steps and was not saved since" read as if a model saved at step 71,612 had never been.)
    const bool savedEarlier = m_files->savedRun == m_run && m_files->savedStep >= 0 && m_files->savedStep < step;
    const QString text = savedEarlier ? tr("The model has trained %1 steps since it was last saved or opened (at step %2). %3 throws them away.")
                                            .arg(QLocale().toString(step - m_files->savedStep), QLocale().toString(m_files->savedStep), action)
                                      : tr("The model has trained %1 steps and was never saved. %2 throws it away.")
                                            .arg(QLocale().toString(step), action);
    const int a = ask::question(this, tr("Save the trained model?"), text,
                                {tr("Discard"), tr("Save session…"), tr("Cancel")}, tr("Don't ask again"), &dontAsk, 1);
    if (a != 0 && a != 1) return DiscardCheck::Cancel;
    if (dontAsk) q.setValue(QLatin1String(kAskToSaveKey), false);
    return a == 0 || saveSessionDialog() ? DiscardCheck::Go : DiscardCheck::Cancel;
}
