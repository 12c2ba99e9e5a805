#include "LatentExplorer.h"

#include "LatentDecode.h"
#include "ManifoldGrid.h"
#include "ManifoldOverlay.h"
#include "InterpolationStrip.h"
#include "core/data/Dataset.h"
#include "core/nn/Model.h"
#include "ui/widgets/Palette.h"
#include "ui/widgets/ScatterCanvas.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QResizeEvent>
#include <QPushButton>
#include <QThreadPool>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace ael::ui;

namespace {

constexpr int kManifoldMs = 100;  // at most 10 manifold renders a second
constexpr int kPathSteps = 9;     // images along an interpolation

QImage scaledTile(const QImage &img, int side)
{
    if (img.isNull()) return {};
    return img.scaled(side, side, Qt::KeepAspectRatio, Qt::FastTransformation);  // crisp pixels
}

}  // namespace

LatentExplorer::LatentExplorer(QWidget *parent) : QWidget(parent), m_alive(std::make_shared<int>(0))
{
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, kBackground);
    pal.setColor(QPalette::WindowText, kText);
    setPalette(pal);

    m_canvas = new ScatterCanvas(this);
    m_canvas->setEmptyText(tr("waiting for the first codes…"));
    m_tile = new QLabel(this);
    m_tile->setAlignment(Qt::AlignCenter);
    m_tile->setMinimumSize(32, 32);  // its size: fitSide
    m_tile->setStyleSheet(QStringLiteral("background: black; border: 3px solid %1;").arg(kAeColor.name()));
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    m_caption->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_help = new QLabel(tr("Hover or drag: decode · Shift+click two points: interpolate"), this);
    m_help->setWordWrap(true);
    m_help->setStyleSheet(QStringLiteral("color: #555555;"));
    m_manifoldBox = new QCheckBox(tr("Manifold"), this);
    m_manifoldBox->setToolTip(tr("A grid of decodings g(h) over the visible part of the code plane, drawn "
                                 "behind the points and kept current while training runs"));
    m_priorBox = new QCheckBox(tr("Prior quantiles"), this);
    m_priorBox->setToolTip(tr("Variational model: the grid over equal-probability cells of the prior N(0, I), "
                              "h = (Φ⁻¹((j+½)/g), Φ⁻¹(1−(i+½)/g)) — the figure of Kingma & Welling"));
    m_sampleButton = new QPushButton(tr("Sample the prior…"), this);
    m_sampleButton->setToolTip(tr("Decode fresh h ~ N(0, I): the stochastic decoder p(x|h) of the lecture"));
    m_interp = new InterpolationStrip(this);
    m_interp->setVisible(false);
    m_interp->setMinimumSize(200, 120);

    m_side = new QWidget(this);
    m_side->setObjectName(QStringLiteral("decoderColumn"));
    auto *side = new QVBoxLayout(m_side);
    side->setContentsMargins(0, 0, 0, 0);
    side->setSpacing(4);
    auto *heading = m_heading = new QLabel(tr("<b>Decoder at the cursor</b>"), this);
    heading->setWordWrap(true);
    side->addWidget(heading);
    side->addWidget(m_tile, 0, Qt::AlignHCenter);
    side->addWidget(m_caption);
    side->addWidget(m_manifoldBox);
    side->addWidget(m_priorBox);
    side->addWidget(m_sampleButton);
    side->addWidget(m_help);
    side->addStretch(1);
    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_canvas, 1);
    top->addWidget(m_side);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(2, 2, 4, 2);
    lay->setSpacing(2);
    lay->addLayout(top, 1);
    lay->addWidget(m_interp);

    connect(m_canvas, &ScatterCanvas::probeMoved, this, [this](QPointF uv, bool) { probeAt(uv); });
    connect(m_canvas, &ScatterCanvas::clicked, this, &LatentExplorer::onClicked);
    connect(m_manifoldBox, &QCheckBox::toggled, this, &LatentExplorer::setManifold);
    connect(m_priorBox, &QCheckBox::toggled, this, &LatentExplorer::setPriorGrid);
    connect(m_sampleButton, &QPushButton::clicked, this, &LatentExplorer::samplePriorRequested);
    m_manifoldTimer.setSingleShot(true);
    connect(&m_manifoldTimer, &QTimer::timeout, this, &LatentExplorer::startManifoldJob);
    reset();
}

LatentExplorer::~LatentExplorer() { finishManifold(); }

void LatentExplorer::reset()
{
    finishManifold();
    m_canvas->clear();
    m_canvas->setTitle(tr("Code of the test digits"));
    m_canvas->setPointOpacity(1.0);
    m_model.reset();
    m_origin.clear();
    m_basis.clear();
    m_mean.clear();
    m_k = 0;
    m_axes.clear();
    m_hasProbe = false;
    m_probeCode.clear();
    m_probeImage = QImage();
    m_tile->clear();
    m_endA = m_endB = -2;
    m_nextEnd = 0;
    m_codePath.clear();
    m_pixelPath.clear();
    m_interp->setVisible(false);
    m_grid.reset();
    m_priorBox->setVisible(false);
    m_sampleButton->setVisible(false);
    updateCaption();
}

// ---------------------------------------------------------------------------------------------
// The plane through code space: h = c + u b1 + v b2,  (u, v) = Bᵀ(h − origin)

std::vector<float> LatentExplorer::codeAt(QPointF uv) const
{
    if (m_k <= 0 || m_basis.size() != 2 * m_k || m_origin.size() != m_k) return {};
    // The anchor keeps the directions the plot does not show: the drawing's code, else the mean code.
    std::vector<float> anchor(size_t(m_k), 0.0f);
    if (int(m_drawCode.size()) == m_k) anchor = m_drawCode;
    else if (m_mean.size() == m_k) anchor.assign(m_mean.begin(), m_mean.end());
    double a1 = 0, a2 = 0;  // Bᵀ(anchor − origin)
    for (int d = 0; d < m_k; ++d) {
        a1 += m_basis[d] * (anchor[size_t(d)] - m_origin[d]);
        a2 += m_basis[m_k + d] * (anchor[size_t(d)] - m_origin[d]);
    }
    // c = anchor − B Bᵀ(anchor − origin) first (exactly 0 along unit axes), then + B (u, v): a click on
    // a plot of units decodes exactly the clicked coordinates.
    auto h = std::vector<float>(size_t(m_k));
    for (int d = 0; d < m_k; ++d) {
        const double c = anchor[size_t(d)] - (a1 * m_basis[d] + a2 * m_basis[m_k + d]);
        h[size_t(d)] = float(c + (uv.x() * m_basis[d] + uv.y() * m_basis[m_k + d]));
    }
    return h;
}

QPointF LatentExplorer::pointOf(const std::vector<float> &h) const
{
    if (m_k <= 0 || int(h.size()) != m_k || m_basis.size() != 2 * m_k || m_origin.size() != m_k) return {};
    double u = 0, v = 0;
    for (int d = 0; d < m_k; ++d) {
        u += m_basis[d] * (h[size_t(d)] - m_origin[d]);
        v += m_basis[m_k + d] * (h[size_t(d)] - m_origin[d]);
    }
    return {u, v};
}

void LatentExplorer::probeAt(QPointF uv)
{
    m_probeAt = uv;
    m_hasProbe = true;
    if (!m_model) return;
    m_probeCode = codeAt(uv);
    m_probeImage = m_probeCode.empty() ? QImage() : decodeAt(*m_model, m_probeCode, m_rows, m_cols);
    updateCaption();  // and the tile's size (fitSide), which the pixmap follows
    showProbeImage();
    updateMarks();
}

void LatentExplorer::showProbeImage()
{
    const int side = std::max(24, std::min(m_tile->width(), m_tile->height()) - 6);
    m_tile->setPixmap(QPixmap::fromImage(scaledTile(m_probeImage, side)));
}

void LatentExplorer::updateCaption()
{
    setCaption();
    m_tile->setToolTip(m_caption->text());  // where the caption has no room (fitSide), the tile's tooltip says it
    fitSide();
}

void LatentExplorer::setCaption()
{
    if (!m_hasProbe || m_probeCode.empty()) {
        m_caption->setText(m_k > 0 ? tr("move the mouse over the plot") : QString());
        return;
    }
    m_caption->setText(captionText(m_probeAt));
}

QString LatentExplorer::captionText(QPointF at) const
{
    QString where = tr("(%1, %2)").arg(at.x(), 0, 'g', 3).arg(at.y(), 0, 'g', 3);
    QString rest;
    if (m_k > 2)
        rest = int(m_drawCode.size()) == m_k ? tr("the other %1 directions at the drawing's code").arg(m_k - 2)
                                             : tr("the other %1 directions at the mean code").arg(m_k - 2);
    return rest.isEmpty() ? tr("g(h) at h = %1").arg(where) : tr("g(h) at %1;\n%2").arg(where, rest);
}

int LatentExplorer::captionReserve(int column) const
{
    if (!m_hasProbe || m_probeCode.empty()) return 0;
    const QFontMetrics fm(m_caption->font());
    const int margins = m_caption->contentsMargins().top() + m_caption->contentsMargins().bottom() + 2 * m_caption->margin();
    return fm.boundingRect(QRect(0, 0, std::max(1, column), 1 << 20), Qt::TextWordWrap | Qt::AlignHCenter,
                           captionText(QPointF(-8.88e-05, -8.88e-05)))  // "-8.88e-05": the longest 'g', 3 form
               .height() +
           margins;
}

// ---------------------------------------------------------------------------------------------
// Snapshots

void LatentExplorer::applySnapshot(const Snapshot &s)
{
    m_test = s.testSet;
    m_canvas->setTestSet(s.testSet);
    if (s.testSet) {
        m_rows = s.testSet->rows;
        m_cols = s.testSet->cols;
    }
    if (m_priorBox->isHidden() == s.variational) {
        m_priorBox->setVisible(s.variational);
        m_sampleButton->setVisible(s.variational);
        layOutSide();  // the column's narrowest follows its controls
    }
    if (m_variational != s.variational) {
        m_variational = s.variational;
        // No prior without a variational model: the box (hidden above) unticked, the points' opacity and range
        // as the manifold alone wants them.
        if (!m_variational && m_priorBox->isChecked()) {
            const QSignalBlocker block(m_priorBox);
            m_priorBox->setChecked(false);
        }
        setManifold(m_manifoldBox->isChecked());
    }
    updateAxes(s);
    if (!s.latent.isEmpty() && (s.latent != m_canvas->points() || s.labels != m_canvas->labels()))
        m_canvas->setData(s.latent, s.labels);
    if (!s.latentBasis.isEmpty()) {
        m_origin = s.latentOrigin;
        m_basis = s.latentBasis;
        m_mean = s.latentMean;
        m_k = int(s.latentOrigin.size());
    }
    const bool firstProbe = !m_hasProbe && m_canvas->drawnRange().isValid() && m_k > 0 && (s.model || m_model);
    if (firstProbe) m_hasProbe = true, m_probeAt = m_canvas->drawnRange().center();  // a first decoding to look at
    if (s.model && s.model != m_model) {
        m_model = s.model;
        if (m_hasProbe) probeAt(m_probeAt);  // the decoder changed under the cursor
        if (m_endA > -2 && m_endB > -2) updateInterpolation();
        requestManifold();
    } else if (firstProbe) {
        probeAt(m_probeAt);
    }
    updateMarks();
}

void LatentExplorer::updateAxes(const Snapshot &s)
{
    const QString noun = s.itemNoun.isEmpty() ? tr("digits") : s.itemNoun;
    QString title = tr("Code of the test %1").arg(noun);
    if (!s.latentAxes.isEmpty()) {  // every Snapshot carries the axes; keep the last ones otherwise
        m_axes = s.latentAxes;
        const qsizetype vs = m_axes.indexOf(QLatin1String(" vs "));
        if (vs > 0) m_canvas->setAxisTitles(m_axes.left(vs).trimmed(), m_axes.mid(vs + 4).trimmed());
        else title = tr("Code: %1").arg(m_axes);
    }
    // A variational model's title names the prior's circles; in a narrow view it keeps only that, and
    // narrower still only the prior (the circles are labelled 1σ and 2σ on the plot).
    if (s.variational) title += tr(" · prior N(0, I): 1σ, 2σ");
    m_canvas->setTitle(title, s.variational ? QStringList{tr("Code · prior N(0, I): 1σ, 2σ"), tr("prior N(0, I): 1σ, 2σ"), tr("prior N(0, I)")}
                                            : QStringList{tr("Test %1' codes").arg(noun), tr("Codes")});
    m_canvas->setPriorCircles(s.variational);
    m_canvas->setEqualAspect(s.variational);
}

void LatentExplorer::updateMarks()
{
    QVector<ScatterMark> marks;
    auto endpointAt = [&](int e) -> std::optional<QPointF> {
        if (e == -1 && int(m_drawCode.size()) == m_k) return pointOf(m_drawCode);
        if (e >= 0 && e < m_canvas->points().size()) return m_canvas->points()[e];
        return std::nullopt;
    };
    const auto a = endpointAt(m_endA), b = endpointAt(m_endB);
    // The drawing first, so that an endpoint on it keeps its ring and letter on top ("B" was under the star),
    // and then the letter says it is the drawing.
    const bool drawn = int(m_drawCode.size()) == m_k && m_k > 0, endpoint = drawn && (m_endA == -1 || m_endB == -1);
    if (drawn)
        marks.append({pointOf(m_drawCode), ScatterMark::Star, kPcaColor.darker(110), endpoint ? QString() : tr("your drawing"), tr("drawing")});
    const auto letter = [&](int e, const QString &name) { return e == -1 ? tr("%1: your drawing").arg(name) : name; };
    if (a) marks.append({*a, ScatterMark::Ring, kText, letter(m_endA, QStringLiteral("A")), QStringLiteral("A")});
    if (a && b) marks.append({*b, ScatterMark::LineTo, kText, {}});
    if (b) marks.append({*b, ScatterMark::Ring, kText, letter(m_endB, QStringLiteral("B")), QStringLiteral("B")});
    if (m_hasProbe) marks.append({m_probeAt, ScatterMark::Cross, kAeColor, {}});
    m_canvas->setMarks(marks);
}

void LatentExplorer::setDrawing(const std::vector<float> &code, const std::vector<float> &pixels)
{
    m_drawCode = code;
    m_drawPixels = pixels;
    if (m_hasProbe) probeAt(m_probeAt);
    if (m_endA == -1 || m_endB == -1) updateInterpolation();
    updateCaption();
    updateMarks();
    requestManifold();  // the other directions follow the drawing
}

void LatentExplorer::changeEvent(QEvent *e)
{
    QWidget::changeEvent(e);
    if (e->type() == QEvent::FontChange) {
        QResizeEvent re(size(), size());
        resizeEvent(&re);
    }
}

namespace {
constexpr int kMinSide = 120, kMaxSide = 230;  // the side column: a quarter of the view within these
}

int LatentExplorer::narrowestSide() const
{
    // Its check boxes and button whole (presentation mode's text makes them wider than 120 pixels).
    int w = kMinSide;
    for (const QWidget *c : {static_cast<const QWidget *>(m_manifoldBox), static_cast<const QWidget *>(m_priorBox),
                             static_cast<const QWidget *>(m_sampleButton)})
        if (!c->isHidden()) w = std::max(w, c->sizeHint().width());
    return std::min(w, kMaxSide);
}

QSize LatentExplorer::minimumSizeHint() const
{
    const QSize layoutMin = QWidget::minimumSizeHint();
    return {layoutMin.width() - std::max(0, m_side->minimumWidth() - narrowestSide()), layoutMin.height()};
}

void LatentExplorer::resizeEvent(QResizeEvent *e)
{
    QWidget::resizeEvent(e);
    layOutSide();
    if (m_hasProbe) probeAt(m_probeAt);
}

void LatentExplorer::layOutSide()
{
    const double px = basePixelSize(size());
    for (QWidget *w : {static_cast<QWidget *>(m_caption), static_cast<QWidget *>(m_help)})
        w->setFont(uiFont(px * 0.75));
    for (QWidget *w : {static_cast<QWidget *>(m_manifoldBox), static_cast<QWidget *>(m_priorBox),
                       static_cast<QWidget *>(m_sampleButton)})
        w->setFont(uiFont(px * 0.85));
    // The side column never pushes the window wider than the screen: a fixed share of the view, but
    // not narrower than its controls in their new font.
    const int column = std::clamp(width() / 4, narrowestSide(), kMaxSide);
    m_side->setFixedWidth(column);
    fitSide();
}

void LatentExplorer::fitSide()
{
    // Under the plot, the interpolation strip takes 2/5 of the view's height (within its bounds); the side
    // column beside the plot gets the rest, and its tile takes what its text, boxes and button leave, up to
    // a third of the view. Where that would be small, the how-to text goes, then the caption (the tile's
    // tooltip still gives it): with the strip open in a 1280 × 720 window they overlapped each other.
    const bool strip = !m_interp->isHidden();
    const int stripH = std::clamp(height() * 2 / 5, 120, 300);
    if (strip) m_interp->setFixedHeight(stripH);
    const int column = m_side->minimumWidth() == m_side->maximumWidth() ? m_side->maximumWidth() : kMinSide;
    const int topH = height() - 4 - (strip ? stripH + 2 : 0);
    auto need = [&](QWidget *w) {  // shown or not (the caption and the how-to text are measured before deciding)
        return (w->hasHeightForWidth() ? w->heightForWidth(column) : w->sizeHint().height()) + 4;  // + the spacing
    };
    auto shown = [&](QWidget *w) { return w->isHidden() ? 0 : need(w); };
    const int reserve = captionReserve(column);
    m_caption->setMinimumHeight(reserve);
    const auto captionNeed = [&] { return std::max(need(m_caption), reserve + 4); };
    bool help = !ael::ui::presentationMode(), caption = true;  // how-to text: never for the projector
    const int fixed = need(m_heading) + shown(m_manifoldBox) + shown(m_priorBox) + shown(m_sampleButton);
    auto tileFor = [&] { return std::min({topH - fixed - (caption ? captionNeed() : 0) - (help ? need(m_help) : 0) - 4, column - 8, height() / 3}); };
    if (help && tileFor() < 96) help = false;
    if (tileFor() < 72) caption = false;
    m_help->setVisible(help);
    m_caption->setVisible(caption);
    const int side = std::clamp(tileFor(), 32, 220);
    if (m_tile->width() != side || m_tile->height() != side) {
        m_tile->setFixedSize(side, side);
        if (m_hasProbe) showProbeImage();
    }
}

// ---------------------------------------------------------------------------------------------
// The manifold: decoded on the global thread pool from the immutable model copy, ≤ 10 Hz

void LatentExplorer::setManifold(bool on)
{
    if (m_manifoldBox->isChecked() != on) m_manifoldBox->setChecked(on);  // re-enters once
    m_manifoldWanted = on || m_priorBox->isChecked();
    // Faint points over the decodings; fainter still over the prior's grid, whose tiles are the figure.
    m_canvas->setPointOpacity(!m_manifoldWanted ? 1.0 : m_priorBox->isChecked() && m_variational ? 0.15 : 0.35);
    if (!(m_priorBox->isChecked() && m_variational)) m_canvas->setFocusRange({});  // the points' range again
    if (!m_manifoldWanted) {
        m_canvas->setBackdrop(nullptr, {});
        return;
    }
    requestManifold();
}

bool LatentExplorer::manifoldOn() const { return m_manifoldWanted; }

void LatentExplorer::setPriorGrid(bool on)
{
    if (m_priorBox->isChecked() != on) m_priorBox->setChecked(on);
    setManifold(m_manifoldBox->isChecked());
}

void LatentExplorer::requestManifold()
{
    if (!m_manifoldWanted || m_manifoldTimer.isActive() || m_jobRunning) return;
    m_manifoldTimer.start(kManifoldMs);
}

void LatentExplorer::startManifoldJob()
{
    if (!m_manifoldWanted || !m_model || m_k <= 0 || m_jobRunning) return;
    const QRectF view = m_canvas->drawnRange();
    const bool prior = m_priorBox->isChecked() && m_variational;
    if (!prior && !view.isValid()) return;
    // The plane of the plot, through the anchor (the mean code or the drawing's code).
    ManifoldGrid::Plane plane;
    const std::vector<float> c = codeAt(QPointF(0, 0));
    plane.base = c;
    plane.b1.assign(m_basis.begin(), m_basis.begin() + m_k);
    plane.b2.assign(m_basis.begin() + m_k, m_basis.end());
    // The prior's grid fills the plot (below), its tiles 28 px on average where the plot allows (6 × 6 in a
    // 180-px plot, 20 × 20 from 560 px); equal-probability cells are narrowest at the centre.
    const double side = std::min(m_canvas->plotRect().width(), m_canvas->plotRect().height());
    const int g = prior ? std::clamp(int(side / 28), 6, 20) : side > 300 ? 20 : 14;
    m_jobRunning = true;
    std::weak_ptr<int> alive = m_alive;
    QPointer<LatentExplorer> self(this);
    const auto model = m_model;
    const int rows = m_rows, cols = m_cols;
    QThreadPool::globalInstance()->start([=] {
        auto grid = std::make_shared<const ManifoldGrid>(prior ? ManifoldGrid::overPriorOnPlane(*model, g, plane, rows, cols)
                                                                : ManifoldGrid::overRectOnPlane(*model, view, g, plane, rows, cols));
        if (alive.expired()) return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, grid, prior] {
                if (!self) return;
                self->m_jobRunning = false;
                self->m_grid = grid;
                // The prior's grid is what the plot shows: the axes on its cells (the points outside them are
                // the prior's tails), not on the points' range, where its tiles were 5–7 px.
                if (prior && self->m_priorBox->isChecked() && self->m_variational && !grid->isEmpty())
                    self->m_canvas->setFocusRange(grid->extent());
                if (self->m_manifoldWanted && !grid->isEmpty())  // dark strokes on the white plot
                    self->m_canvas->setBackdrop(
                        [grid](QPainter &p, const std::function<QPointF(QPointF)> &map) { paintManifold(p, *grid, map); },
                        grid->extent());
                // Keep following the view and the model: the next render after the interval.
                if (self->m_manifoldWanted) self->requestManifold();
            },
            Qt::QueuedConnection);
    });
}

void LatentExplorer::finishManifold()
{
    // The job holds its own copy of the model; waiting for the pool keeps tests deterministic and
    // lets the window close without a job posting to a dead object (it also checks `alive`).
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::sendPostedEvents(this);
    m_jobRunning = false;
}

// ---------------------------------------------------------------------------------------------
// Interpolation between two codes, beside the pixel-space blend

void LatentExplorer::onClicked(QPointF uv, int index, Qt::KeyboardModifiers mods)
{
    if (!(mods & Qt::ShiftModifier)) return;
    int pick = index;
    if (pick < 0 && int(m_drawCode.size()) == m_k && m_k > 0) {
        // A shift-click near the drawing's star picks the drawing.
        const QPointF d = m_canvas->dataToWidget(pointOf(m_drawCode)) - m_canvas->dataToWidget(uv);
        if (std::hypot(d.x(), d.y()) < 20) pick = -1;
    }
    if (pick < 0 && !(pick == -1 && int(m_drawCode.size()) == m_k)) return;
    if (m_nextEnd == 0) setEndpoints(pick, m_endB);
    else setEndpoints(m_endA, pick);
    m_nextEnd = 1 - m_nextEnd;
}

void LatentExplorer::setEndpoints(int a, int b)
{
    m_endA = a;
    m_endB = b;
    updateInterpolation();
    updateMarks();
}

std::vector<float> LatentExplorer::testPixels(int index) const
{
    if (index == -1) return m_drawPixels;
    if (!m_test || index < 0 || index >= m_test->size()) return {};
    const uint8_t *img = m_test->image(index);
    std::vector<float> x(size_t(m_test->dim()));
    for (size_t i = 0; i < x.size(); ++i) x[i] = img[i] / 255.0f;  // as Dataset::batch scales them
    return x;
}

std::vector<float> LatentExplorer::testCode(int index) const
{
    if (index == -1) return m_drawCode;
    const std::vector<float> x = testPixels(index);
    if (!m_model || x.empty()) return {};
    return encodeImage(*m_model, x.data(), int(x.size()));
}

void LatentExplorer::updateInterpolation()
{
    m_codePath.clear();
    m_pixelPath.clear();
    const std::vector<float> xa = testPixels(m_endA), xb = testPixels(m_endB);
    const std::vector<float> ha = testCode(m_endA), hb = testCode(m_endB);
    if (m_model && !ha.empty() && !hb.empty() && xa.size() == xb.size() && !xa.empty()) {
        for (const QImage &img : interpolate(*m_model, ha, hb, kPathSteps, m_rows, m_cols)) m_codePath.append(img);
        for (const QImage &img : pixelBlend(xa.data(), xb.data(), m_rows, m_cols, kPathSteps)) m_pixelPath.append(img);
    }
    if (m_codePath.isEmpty()) {
        m_interp->clear();
        m_interp->setVisible(false);
        fitSide();
        return;
    }
    m_interp->setRows(std::vector<QImage>(m_codePath.begin(), m_codePath.end()),
                      std::vector<QImage>(m_pixelPath.begin(), m_pixelPath.end()));
    m_interp->setVisible(true);
    fitSide();
}

QVector<QImage> LatentExplorer::codePath() const { return m_codePath; }
QVector<QImage> LatentExplorer::pixelPath() const { return m_pixelPath; }

QVector<QImage> LatentExplorer::samplePrior(int count, quint64 seed) const
{
    QVector<QImage> out;
    if (!m_model) return out;
    for (const QImage &img : ael::ui::samplePrior(*m_model, count, seed, m_rows, m_cols)) out.append(img);
    return out;
}
