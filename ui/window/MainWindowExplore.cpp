// MainWindow's explore wiring: the "Draw a digit" and "Inside the network" docks, and how the
// Snapshot's published model reaches the drawing pad, the latent explorer and the filter views.
#include "ui/window/MainWindow.h"

#include "ui/window/Dock.h"
#include "ui/window/DockTabs.h"

#include "ui/views/PcaComparisonView.h"
#include "ui/widgets/ScatterCanvas.h"
#include "core/data/Dataset.h"
#include "core/train/Settings.h"
#include "ui/views/LossChartView.h"
#include "ui/views/TermNames.h"
#include "ui/widgets/Palette.h"
#include "ui/explore/CodeHistogramView.h"
#include "ui/explore/DrawPanel.h"
#include "ui/explore/DrawingPad.h"
#include "ui/explore/FiltersView.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/explore/PriorSamplesDialog.h"

#include <QDockWidget>
#include <QEvent>
#include <QLayout>
#include <QLineSeries>
#include <QScreen>
#include <QScrollArea>
#include <QTabWidget>
#include <QTimer>

#include <algorithm>

using namespace ael::ui;

namespace {
/// One widget filling it, with no height-for-width: QScrollArea sizes a widget that has one (the Draw
/// panel's wrapped hint line) to its preferred height, a 480-px pad with the results scrolled away; this
/// one it sizes to the viewport, down to the panel's minimum.
class FillBox : public QWidget {
public:
    explicit FillBox(QWidget *child) : m_child(child)
    {
        child->setParent(this);
        child->installEventFilter(this);
    }
    QSize minimumSizeHint() const override { return m_child->minimumSizeHint(); }
    QSize sizeHint() const override { return m_child->minimumSizeHint(); }

protected:
    void resizeEvent(QResizeEvent *) override { m_child->setGeometry(rect()); }
    bool eventFilter(QObject *o, QEvent *e) override
    {
        if (o == m_child && e->type() == QEvent::LayoutRequest) updateGeometry();  // its minimum may have changed
        return QWidget::eventFilter(o, e);
    }

private:
    QWidget *m_child;
};
}  // namespace

void MainWindow::buildExploreDocks()
{
    m_draw = new DrawPanel;
    m_drawDock = new Dock(m_draw->title(), this);
    m_drawDock->setObjectName(QStringLiteral("drawDock"));
    m_drawDock->setWidget(m_draw);  // in a scroll area with larger text (scrollDrawPanel)
    m_drawDock->toggleViewAction()->setText(tr("Draw"));
    m_drawDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_drawDock->toggleViewAction()->setToolTip(tr("Draw a digit and see both reconstructions (Ctrl+D)"));
    placeSideDock(m_drawDock);
    m_draw->setTall(dockWidgetArea(m_drawDock) == Qt::LeftDockWidgetArea);  // a column beside the controls

    m_filters = new FiltersView;
    m_hist = new CodeHistogramView;
    auto *tabs = new QTabWidget;
    tabs->addTab(m_filters, tr("Filters"));
    tabs->addTab(m_hist, tr("Code activations"));
    m_insideDock = new Dock(tr("Inside the network"), this);
    m_insideDock->setObjectName(QStringLiteral("insideDock"));
    m_insideDock->setWidget(tabs);
    m_insideDock->toggleViewAction()->setText(tr("Inside"));
    m_insideDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_insideDock->toggleViewAction()->setToolTip(tr("Filters of the first and last layer, code activations (Ctrl+I)"));
    placeSideDock(m_insideDock);

    connect(m_draw, &DrawPanel::codeChanged, this, &MainWindow::onDrawingChanged);
    // A dock opened while training is paused (no new Snapshots) still gets the newest model and codes.
    for (QDockWidget *d : {m_drawDock, m_insideDock})
        connect(d, &QDockWidget::visibilityChanged, this, [this](bool on) {
            if (on && m_last.runId == m_run) applyToExploreViews(m_last);
        });
    // The histogram lists the contractive and KL terms; their curves are the loss chart's.
    connect(m_hist, &CodeHistogramView::termActivated, m_lossView, &LossChartView::highlight);
    connect(m_latentView, &LatentExplorer::samplePriorRequested, this, [this] {
        auto *d = new PriorSamplesDialog([this](int n, quint64 seed) { return m_latentView->samplePrior(n, seed); }, this);
        d->setAttribute(Qt::WA_DeleteOnClose);
        d->show();
    });
}

void MainWindow::scrollDrawPanel()
{
    // With presentation-sized or larger text the panel stands ~570 px tall, and as the dock's own minimum it
    // made the window taller than a 1280 × 720 screen (the status bar off its bottom): there it scrolls. With
    // normal text the dock holds it directly, as tall as it needs.
    const bool on = ael::ui::presentationMode() || ael::ui::textZoom() > 1.001;
    if (on == (m_drawDock->widget() != m_draw)) return;
    if (on) {
        auto *scroll = new QScrollArea;
        scroll->setObjectName(QStringLiteral("drawScroll"));
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidgetResizable(true);
        scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        scroll->setWidget(new FillBox(m_draw));  // takes the panel from the dock
        m_drawDock->setWidget(scroll);
    } else {
        QWidget *scroll = m_drawDock->widget();
        m_drawDock->setWidget(m_draw);  // takes it from the box
        delete scroll;
    }
    m_draw->show();
}

bool MainWindow::wideScreen() const { return screen()->availableSize().width() >= 1700; }

// A wide screen has room for the dock beside the views (the side docks as tabs of one column). On a
// narrower one (a 1280-pixel projector) a dock on the right would push the window past the screen's edge,
// so it becomes a tab beside the controls, and opening it brings its tab to the front.
void MainWindow::placeSideDock(QDockWidget *dock)
{
    const bool wide = wideScreen();
    auto *controls = findChild<QDockWidget *>(QStringLiteral("controlsDock"));
    if (wide || !controls) {
        addDockWidget(Qt::RightDockWidgetArea, dock);
        // Tabs there too: stacked, each would get half the height, and the Draw panel at half height
        // stays side by side (pad | results), at a minimum width that leaves the views too little.
        for (QDockWidget *other : findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly))
            if (other != dock && dockWidgetArea(other) == Qt::RightDockWidgetArea) {
                tabifyDockWidget(other, dock);
                break;
            }
    } else {
        addDockWidget(Qt::LeftDockWidgetArea, dock);
        tabifyDockWidget(controls, dock);
        controls->raise();
    }
    dock->hide();
    connect(dock, &QDockWidget::visibilityChanged, this, [this](bool on) {
        if (on) keepCentralRoomLater();
    });
    // Opened by the user (tool bar, menu, shortcut): to the front. A dock a lesson or --show opens is placed by them.
    toggleToFront(dock);
}

void MainWindow::keepCentralRoomLater()
{
    QTimer::singleShot(0, this, [this] { keepCentralRoom(); });  // once the docks are laid out
}

// Qt gives a dock opened on the right the width its panel asks for (the Draw panel: ~1,000 px; the PCA
// panel: 220) and the central views the rest, down to their minimum: with the PCA column open as well, both
// scatter plots were slivers on a 1080p projector, and the PCA panel beside a lesson elided every title.
// The views keep 45 % of the window (the rest is for a lesson's column, 3/10 when presenting, and the right
// column); the right column gives back what they miss, down to its own minimum, or takes up to a quarter of
// the window from what they have beyond it. The Draw panel stacks its pad above its results once it is
// narrower than tall, which lowers its minimum: hence a second pass.
void MainWindow::keepCentralRoom(int passes)
{
    if (layout()) layout()->activate();
    const int spare = centralWidget()->width() - width() * 9 / 20;  // < 0: what the views miss
    QList<QDockWidget *> right;
    int column = 0, least = 0;
    for (QDockWidget *d : findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly)) {
        if (!d->isVisible() || d->isFloating() || dockWidgetArea(d) != Qt::RightDockWidgetArea) continue;
        // One dock per tab group; the group is as narrow as its widest tab's minimum.
        const QList<QDockWidget *> group = tabifiedDockWidgets(d) << d;
        for (QDockWidget *t : group) least = std::max({least, t->minimumWidth(), t->minimumSizeHint().width()});
        if (std::any_of(right.begin(), right.end(), [&](QDockWidget *r) { return group.contains(r); })) continue;
        right << d;
        // A tab behind another keeps its old geometry: the column is as wide as the tab in front.
        for (QDockWidget *t : group)
            if (!t->visibleRegion().isEmpty()) column = std::max(column, t->width());
    }
    if (right.isEmpty()) return;
    const int target = spare < 0 ? std::max(least, column + spare) : std::max(column, std::min(width() / 4, column + spare));
    if (target == column) return;
    resizeDocks(right, QList<int>(right.size(), target), Qt::Horizontal);
    if (passes > 1) QTimer::singleShot(0, this, [this, passes] { keepCentralRoom(passes - 1); });
}

void MainWindow::applyToExploreViews(const Snapshot &s)
{
    m_latentView->applySnapshot(s);
    if (s.data && s.data != m_exploreData) {
        m_exploreData = s.data;
        m_draw->setData(s.data->train);
        if (m_drawDock->windowTitle() != m_draw->title()) {
            m_drawDock->setWindowTitle(m_draw->title());           // and its tab
            m_drawDock->toggleViewAction()->setText(tr("Draw"));  // which the title had renamed (tool bar, View menu)
        }
    }
    if (m_exploreData && m_exploreData->pca() != m_explorePca) {
        m_explorePca = m_exploreData->pca();
        m_draw->setPca(m_explorePca);
    }
    if (s.settings) m_draw->setCorruption(s.settings->corruption, s.settings->variant == ael::Variant::Denoising);
    if (s.model) {
        if (m_drawDock->isVisible()) m_draw->setModel(s.model);
        if (m_insideDock->isVisible() && s.testSet) m_filters->setModel(s.model, s.testSet->rows, s.testSet->cols);
    }
    if (s.testCodes) m_lastCodes = s.testCodes;  // they come only with fresh points
    if (m_lastCodes && m_insideDock->isVisible()) {
        const int k = s.codeSize, n = k > 0 ? int(m_lastCodes->size() / size_t(k)) : 0;
        if (n * k == int(m_lastCodes->size())) m_hist->setCodes(*m_lastCodes, k, n);
        const bool kl = s.settings && s.settings->variant == ael::Variant::Sparse &&
                        s.settings->sparsity == ael::SparsityKind::KL;
        m_hist->setSparseTarget(kl ? std::optional<double>(s.settings->sparsityTarget) : std::nullopt);
    }
    if (!s.losses.isEmpty() && m_insideDock->isVisible()) {
        QVector<CodeHistogramView::ExtraTerm> extra;
        const LossPoint &last = s.losses.back();
        for (qsizetype i = 0; i < s.termNames.size() && i < last.terms.size(); ++i) {
            const QString &id = s.termNames[i];
            if (!id.startsWith(QLatin1String("contractive")) && id != QLatin1String("kl")) continue;
            const QLineSeries *curve = m_lossView->series(id);
            extra.append({id, term_names::displayName(id), last.terms[i], curve ? curve->pen().color() : kText});
        }
        m_hist->setExtraTerms(extra);
    }
}

void MainWindow::onDrawingChanged()
{
    const DrawingResult &r = m_draw->result();
    const bool has = r.valid && !r.aeCode.empty();
    m_latentView->setDrawing(has ? r.aeCode : std::vector<float>{}, has ? m_draw->pad()->input().pixels : std::vector<float>{});
    // The drawing in the AE-vs-PCA pair: its code and its PCA projection, as stars.
    QVector<ScatterMark> ae, pca;
    if (has) {
        ae.append({m_latentView->pointOf(r.aeCode), ScatterMark::Star, kPcaColor.darker(110), tr("drawing")});
        if (r.pcaK > 0) pca.append({r.pcaCode2d, ScatterMark::Star, kPcaColor.darker(110), tr("drawing")});
    }
    m_pcaView->aeCanvas()->setMarks(ae);
    m_pcaView->pcaCanvas()->setMarks(pca);
}

bool MainWindow::openDrawing(const QString &path, QString *error)
{
    m_drawDock->show();
    if (m_last.model) m_draw->setModel(m_last.model);
    return m_draw->pad()->loadImage(path, error);
}
