#include "ui/window/ControlPanel.h"
#include "ui/window/ControlPanelItems.h"

#include "ui/widgets/Ask.h"
#include "ui/widgets/LogSlider.h"
#include "ui/widgets/MathText.h"
#include "core/train/SettingsTable.h"
#include "core/train/VariantPresets.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using ael::ActivationKind;
using ael::Variant;
using namespace control_items;

namespace {
/// A percent slider's range, from its row of the settings table (a value 0.3 is the slider's 30).
void setPercentRange(QSlider *slider, const char *key)
{
    const ael::SettingRow *row = ael::settingRow(key);
    slider->setRange(int(std::lround(row->sliderLo * 100)), int(std::lround(row->sliderHi * 100)));
}
}  // namespace

QString ControlPanel::formula(Variant v)
{
    switch (v) {
    case Variant::Undercomplete:
        return QStringLiteral("L(x, g(f(x))), code h = f(x) with k < d units: the bottleneck must compress");
    case Variant::Overcomplete:
        return QStringLiteral("L(x, g(f(x))) with k > d: nothing stops it from learning the identity");
    case Variant::Sparse: return QStringLiteral("L(x, g(f(x))) + Ω(h)");
    case Variant::Denoising: return QStringLiteral("L(x, g(f(x̃))),  x̃ ~ C(x̃ | x)");
    case Variant::Contractive: return QStringLiteral("L(x, g(f(x))) + λ‖∂f(x)/∂x‖²_F");
    case Variant::Variational:
        return QStringLiteral("L(x, g(h)),  h ~ q(h|x) = N(μ(x), σ²(x))  +  β KL(q(h|x) ‖ N(0, I))");
    }
    return {};
}

QString ControlPanel::pcaFormula() { return QStringLiteral("PCA: min Σ‖WᵀWx − x‖²,  WWᵀ = I"); }

ControlPanel::ControlPanel(QWidget *parent) : QWidget(parent)
{
    auto *root = new QVBoxLayout(this);
    root->setSpacing(8);

    // --- data ---
    auto *dataBox = group(tr("Data"), tr("The images the autoencoder learns to reconstruct; x ∈ [0, 1]^d"));
    auto *dataLay = new QVBoxLayout(dataBox);
    m_data = new QComboBox;
    m_data->setObjectName(QStringLiteral("dataSource"));
    m_data->setToolTip(tr("Training set (80 %) and test set (20 %, or the official test files)"));
    m_openIdx = new QPushButton(tr("Open IDX files…"));
    m_openIdx->setObjectName(QStringLiteral("openIdx"));
    m_openIdx->setToolTip(tr("An images file (idx3-ubyte) and its labels file (idx1-ubyte), raw or .gz"));
    m_dataNote = new QLabel;
    m_dataNote->setWordWrap(true);
    m_dataNote->hide();
    dataLay->addWidget(m_data);
    dataLay->addWidget(m_openIdx);
    dataLay->addWidget(m_dataNote);
    connect(m_data, &QComboBox::activated, this, [this](int i) { emit dataSourceRequested(m_data->itemData(i).toString()); });
    connect(m_openIdx, &QPushButton::clicked, this, &ControlPanel::openIdxRequested);

    // --- variant ---
    auto *varBox = m_variantBox = group(tr("Variant"), tr("Which autoencoder is trained; switch any time"));
    auto *varLay = new QVBoxLayout(varBox);
    m_variant = new QComboBox;
    m_variant->setObjectName(QStringLiteral("variant"));
    for (Variant v : kVariants) {
        m_variant->addItem(variantTitle(v), int(v));
        m_variant->setItemData(m_variant->count() - 1, math_text::toHtml(formula(v)), Qt::ToolTipRole);
    }
    m_formula = new QLabel;
    m_formula->setObjectName(QStringLiteral("variantFormula"));
    m_formula->setTextFormat(Qt::RichText);  // "‖∂f(x)/∂x‖²_F" with F as a subscript (MathText.h)
    m_formula->setWordWrap(true);
    m_formula->setTextInteractionFlags(Qt::TextSelectableByMouse);
    varLay->addWidget(m_variant);
    varLay->addWidget(m_formula);
    connect(m_variant, &QComboBox::activated, this, [this] { onVariantChosen(); });

    // --- optimisation ---
    auto *optBox = group(tr("Training"), tr("One step = one mini-batch: θ ← θ − η ∇θ L"));
    auto *optLay = new QFormLayout(optBox);
    m_loss = new QComboBox;
    m_loss->setObjectName(QStringLiteral("loss"));
    m_loss->addItem(QStringLiteral("MSE"), int(ael::LossKind::MSE));
    m_loss->addItem(QStringLiteral("BCE"), int(ael::LossKind::BCE));
    m_loss->setToolTip(tr("MSE: L(x, x̂) = (1/d) Σᵢ (xᵢ − x̂ᵢ)²\n"
                          "BCE: L(x, x̂) = −(1/d) Σᵢ [xᵢ log x̂ᵢ + (1 − xᵢ) log(1 − x̂ᵢ)]"));
    m_optimizer = new QComboBox;
    m_optimizer->setObjectName(QStringLiteral("optimizer"));
    m_optimizer->addItem(QStringLiteral("Adam"), int(ael::OptimizerKind::Adam));
    m_optimizer->addItem(QStringLiteral("SGD + momentum"), int(ael::OptimizerKind::SGD));
    m_optimizer->setToolTip(tr("Adam: m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − η m̂ / (√v̂ + ε)\n"
                               "SGD with momentum: v ← μv − ηg,  θ ← θ + v  (μ = 0.9)"));
    m_batch = new QComboBox;
    m_batch->setObjectName(QStringLiteral("batchSize"));
    for (int b : kBatchSizes) m_batch->addItem(QString::number(b), b);
    m_batch->setToolTip(tr("Mini-batch size B: ∇θ L = (1/B) Σ_b ∇θ L(x_b, g(f(x_b)))"));
    optLay->addRow(tr("Loss"), m_loss);
    optLay->addRow(tr("Optimizer"), m_optimizer);
    addTableSliders(optLay, -1);
    optLay->addRow(tr("Batch size"), m_batch);

    // --- the variants' knobs ---
    m_denoiseBox = group(tr("Denoising: corruption C(x̃ | x)"), formula(Variant::Denoising));
    auto *dnLay = new QFormLayout(m_denoiseBox);
    m_corruption = new QComboBox;
    m_corruption->setObjectName(QStringLiteral("corruptionKind"));
    m_corruption->addItem(tr("None"), int(ael::CorruptionKind::None));
    m_corruption->addItem(tr("Masking"), int(ael::CorruptionKind::Masking));
    m_corruption->addItem(tr("Gaussian"), int(ael::CorruptionKind::Gaussian));
    m_corruption->addItem(tr("Salt & pepper"), int(ael::CorruptionKind::SaltPepper));
    m_corruption->setToolTip(tr("Masking: x̃ᵢ = 0 with probability p\n"
                                "Gaussian: x̃ = x + σn,  n ~ N(0, I)\n"
                                "Salt & pepper: x̃ᵢ ∈ {0, 1} with probability p\n"
                                "The loss is always L(x, g(f(x̃))) against the clean x."));
    auto *rateRow = new QWidget;
    auto *rateLay = new QHBoxLayout(rateRow);
    rateLay->setContentsMargins(0, 0, 0, 0);
    m_rate = new QSlider(Qt::Horizontal);
    m_rate->setObjectName(QStringLiteral("corruptionRate"));
    setPercentRange(m_rate, "corruption.rate");
    m_rate->setSingleStep(5);
    m_rate->setPageStep(10);
    m_rateLabel = new QLabel;
    m_rateLabel->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("σ 0.90")));
    rateLay->addWidget(m_rate, 1);
    rateLay->addWidget(m_rateLabel);
    rateRow->setToolTip(tr("Corruption rate: p (masking, salt & pepper) or σ (Gaussian), 0 – 90 %"));
    dnLay->addRow(tr("Type"), m_corruption);
    dnLay->addRow(tr("Rate"), rateRow);

    m_sparseBox = group(tr("Sparse: Ω(h)"), formula(Variant::Sparse));
    auto *spLay = new QFormLayout(m_sparseBox);
    m_sparsity = new QComboBox;
    m_sparsity->setObjectName(QStringLiteral("sparsityKind"));
    m_sparsity->addItem(QStringLiteral("L1"), int(ael::SparsityKind::L1));
    m_sparsity->addItem(QStringLiteral("KL"), int(ael::SparsityKind::KL));
    m_sparsity->setToolTip(tr("L1: Ω(h) = λ Σⱼ |hⱼ|\n"
                              "KL: Ω(h) = λ Σⱼ KL(ρ ‖ ρ̂ⱼ),  ρ̂ⱼ = mean over the batch of hⱼ (needs a sigmoid code)"));
    auto *rhoRow = new QWidget;
    auto *rhoLay = new QHBoxLayout(rhoRow);
    rhoLay->setContentsMargins(0, 0, 0, 0);
    m_rho = new QSlider(Qt::Horizontal);
    m_rho->setObjectName(QStringLiteral("sparsityTarget"));
    setPercentRange(m_rho, "sparsityTarget");  // ρ in %
    m_rhoLabel = new QLabel;
    m_rhoLabel->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0.50 ")));
    rhoLay->addWidget(m_rho, 1);
    rhoLay->addWidget(m_rhoLabel);
    rhoRow->setToolTip(tr("Target activation ρ of KL(ρ ‖ ρ̂ⱼ) = ρ log(ρ/ρ̂ⱼ) + (1 − ρ) log((1 − ρ)/(1 − ρ̂ⱼ))"));
    spLay->addRow(tr("Penalty"), m_sparsity);
    addTableSliders(spLay, int(Variant::Sparse));
    spLay->addRow(tr("Target ρ"), rhoRow);

    m_caeBox = group(tr("Contractive"), formula(Variant::Contractive));
    auto *caeLay = new QFormLayout(m_caeBox);
    addTableSliders(caeLay, int(Variant::Contractive));

    m_vaeBox = group(tr("Variational"), formula(Variant::Variational));
    auto *vaeLay = new QFormLayout(m_vaeBox);
    addTableSliders(vaeLay, int(Variant::Variational));
    addTableSliders(optLay, -2);  // a slider row of a variant without a group of its own

    // --- architecture (needs a reset) ---
    auto *archBox = group(tr("Architecture (needs a reset)"),
                          tr("h = f(x) = s(W x + b),  r = g(h): changing the layers needs a new model"));
    auto *archLay = new QFormLayout(archBox);
    m_hidden = new QLineEdit;
    m_hidden->setObjectName(QStringLiteral("hiddenWidths"));
    m_hidden->setPlaceholderText(tr("none"));
    m_hidden->setToolTip(tr("Hidden layer widths of the encoder, e.g. 256 or 512-256 (the decoder mirrors them)"));
    m_code = new QSpinBox;
    m_code->setObjectName(QStringLiteral("codeSize"));
    m_code->setRange(1, 4096);
    m_code->setToolTip(tr("Code size k = dim h: k < d undercomplete, k > d overcomplete"));
    auto actCombo = [](const QString &name, const QString &tip) {
        auto *c = new QComboBox;
        c->setObjectName(name);
        for (ActivationKind a : kActivations) c->addItem(activationTitle(a), int(a));
        c->setToolTip(tip);
        return c;
    };
    m_hiddenAct = actCombo(QStringLiteral("hiddenActivation"), QString());  // its tooltip: updateArchitectureState
    m_codeAct = actCombo(QStringLiteral("codeActivation"), tr("Activation of the code h (linear: h = W x + b)"));
    m_outAct = actCombo(QStringLiteral("outputActivation"), tr("Activation of the reconstruction r (sigmoid keeps r ∈ (0, 1))"));
    m_tied = new QCheckBox(tr("Tied weights"));
    m_tied->setObjectName(QStringLiteral("tied"));
    m_tied->setToolTip(tr("Decoder W' = Wᵀ (one-layer encoder and decoder only, not variational)"));
    m_seed = new QSpinBox;
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setRange(0, 999999);
    m_seed->setToolTip(tr("Seed of the initial weights, the batch order and the noise (applies at the next reset)"));
    m_archNote = new QLabel;
    m_archNote->setObjectName(QStringLiteral("architectureNote"));
    m_archNote->setWordWrap(true);
    m_applyArch = new QPushButton(tr("Apply && reset…"));
    m_applyArch->setObjectName(QStringLiteral("applyArchitecture"));
    m_applyArch->setToolTip(tr("Builds a new model with this architecture and seed (asks first)"));
    archLay->addRow(tr("Hidden"), m_hidden);
    archLay->addRow(tr("Code size k"), m_code);
    archLay->addRow(tr("Hidden act."), m_hiddenAct);
    archLay->addRow(tr("Code act."), m_codeAct);
    archLay->addRow(tr("Output act."), m_outAct);
    archLay->addRow(m_tied);
    archLay->addRow(tr("Seed"), m_seed);
    archLay->addRow(m_archNote);
    archLay->addRow(m_applyArch);

    // --- the scatter of a k > 2 code ---
    auto *viewBox = group(tr("Code scatter (k > 2)"), tr("How a code with more than two units is drawn"));
    auto *viewLay = new QFormLayout(viewBox);
    m_latentMode = new QComboBox;
    m_latentMode->setObjectName(QStringLiteral("latentMode"));
    m_latentMode->addItem(tr("PCA of the code"), int(LatentConfig::Pca));
    m_latentMode->addItem(tr("Two units"), int(LatentConfig::Dims));
    m_latentMode->setToolTip(tr("PCA of the codes h of the test digits (%1), or two chosen units hᵢ, hⱼ").arg(pcaFormula()));
    auto *dimsRow = new QWidget;
    auto *dimsLay = new QHBoxLayout(dimsRow);
    dimsLay->setContentsMargins(0, 0, 0, 0);
    m_latentX = new QSpinBox;
    m_latentX->setObjectName(QStringLiteral("latentX"));
    m_latentY = new QSpinBox;
    m_latentY->setObjectName(QStringLiteral("latentY"));
    for (QSpinBox *sb : {m_latentX, m_latentY}) {
        sb->setRange(1, 4096);
        sb->setPrefix(QStringLiteral("h"));
        dimsLay->addWidget(sb);
    }
    m_latentY->setValue(2);
    viewLay->addRow(tr("Show"), m_latentMode);
    viewLay->addRow(tr("Units"), dimsRow);

    for (QWidget *w : {static_cast<QWidget *>(dataBox), static_cast<QWidget *>(varBox), static_cast<QWidget *>(optBox),
                       static_cast<QWidget *>(m_denoiseBox), static_cast<QWidget *>(m_sparseBox),
                       static_cast<QWidget *>(m_caeBox), static_cast<QWidget *>(m_vaeBox),
                       static_cast<QWidget *>(archBox), static_cast<QWidget *>(viewBox)})
        root->addWidget(w);
    root->addStretch(1);
    m_secondary = {dataBox, optBox, archBox, viewBox};

    // Defaults: the engine's.
    setSettings(ael::TrainSettings{});
    setArchitecture(ael::Architecture{});
    setSeed(1);

    // Live controls.
    for (QComboBox *c : {m_loss, m_optimizer, m_batch, m_corruption, m_sparsity})
        connect(c, &QComboBox::currentIndexChanged, this, &ControlPanel::emitSettings);
    for (const TableSlider &t : m_sliders) connect(t.slider, &LogSlider::valueChanged, this, &ControlPanel::emitSettings);
    for (QSlider *s : {m_rate, m_rho}) connect(s, &QSlider::valueChanged, this, &ControlPanel::emitSettings);

    // Architecture controls only mark the architecture as edited.
    connect(m_hidden, &QLineEdit::textChanged, this, &ControlPanel::updateArchitectureState);
    connect(m_code, &QSpinBox::valueChanged, this, &ControlPanel::updateArchitectureState);
    for (QComboBox *c : {m_hiddenAct, m_codeAct, m_outAct})
        connect(c, &QComboBox::currentIndexChanged, this, &ControlPanel::updateArchitectureState);
    connect(m_tied, &QCheckBox::toggled, this, &ControlPanel::updateArchitectureState);
    connect(m_seed, &QSpinBox::valueChanged, this, &ControlPanel::updateArchitectureState);
    connect(m_applyArch, &QPushButton::clicked, this, &ControlPanel::applyArchitecture);

    connect(m_latentMode, &QComboBox::currentIndexChanged, this, [this] {
        updateLatentControls();
        if (!m_updating) emit latentConfigChanged(latentConfig());
    });
    for (QSpinBox *sb : {m_latentX, m_latentY})
        connect(sb, &QSpinBox::valueChanged, this, [this] {
            if (!m_updating) emit latentConfigChanged(latentConfig());
        });
}

void ControlPanel::setPresentation(bool on)
{
    for (QWidget *w : std::as_const(m_secondary)) w->setVisible(!on);
}

void ControlPanel::addTableSliders(QFormLayout *form, int variant)
{
    for (const ael::SettingRow &row : ael::settingsTable()) {
        const bool placed = std::any_of(m_sliders.begin(), m_sliders.end(), [&](const TableSlider &t) { return t.row == &row; });
        if (row.panel != ael::PanelControl::LogSlider || placed || (variant != -2 && row.onlyFor != variant)) continue;
        auto *slider = new LogSlider(row.sliderLo, row.sliderHi);
        slider->setObjectName(QString::fromUtf8(row.key));
        QString what = QString::fromUtf8(row.what);
        what[0] = what[0].toUpper();
        slider->setToolTip(tr("%1: %2 (logarithmic, %3 … %4)")
                               .arg(what, QString::fromUtf8(row.formula), LogSlider::format(row.sliderLo),
                                    LogSlider::format(row.sliderHi)));
        form->addRow(tr(row.control), slider);
        m_sliders.push_back({&row, slider});
    }
}

QGroupBox *ControlPanel::group(const QString &title, const QString &tooltip)
{
    auto *g = new QGroupBox(title);
    g->setProperty("baseTitle", title);
    g->setToolTip(math_text::hasMarks(tooltip) ? math_text::toHtml(tooltip) : tooltip);
    return g;
}
