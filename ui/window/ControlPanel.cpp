#include "ui/window/ControlPanel.h"

#include "ui/widgets/Ask.h"
#include "ui/widgets/LogSlider.h"
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

#include <cmath>

using ael::ActivationKind;
using ael::Variant;

namespace {

constexpr Variant kVariants[] = {Variant::Undercomplete, Variant::Overcomplete, Variant::Sparse,
                                 Variant::Denoising,     Variant::Contractive,  Variant::Variational};
constexpr ActivationKind kActivations[] = {ActivationKind::Linear, ActivationKind::Sigmoid, ActivationKind::Tanh,
                                           ActivationKind::ReLU};
constexpr ael::CorruptionKind kCorruptions[] = {ael::CorruptionKind::None, ael::CorruptionKind::Masking,
                                                ael::CorruptionKind::Gaussian, ael::CorruptionKind::SaltPepper};
constexpr int kBatchSizes[] = {16, 32, 64, 128, 256, 512, 1024};

QString variantTitle(Variant v)
{
    switch (v) {
    case Variant::Undercomplete: return QObject::tr("Undercomplete");
    case Variant::Overcomplete: return QObject::tr("Overcomplete");
    case Variant::Sparse: return QObject::tr("Sparse");
    case Variant::Denoising: return QObject::tr("Denoising");
    case Variant::Contractive: return QObject::tr("Contractive");
    case Variant::Variational: return QObject::tr("Variational");
    }
    return {};
}

QString activationTitle(ActivationKind a)
{
    const QString s = QString::fromUtf8(ael::toString(a));
    return s.left(1).toUpper() + s.mid(1);
}

template <class E, size_t N> int indexOf(const E (&values)[N], E v)
{
    for (size_t i = 0; i < N; ++i)
        if (values[i] == v) return int(i);
    return 0;
}

/// "256" or "512-256" or "512, 256" → widths; false on anything else.
bool parseWidths(const QString &text, std::vector<int> &out)
{
    out.clear();
    const QString t = text.trimmed();
    if (t.isEmpty() || t == QLatin1String("-") || t == QLatin1String("none")) return true;
    static const QRegularExpression sep(QStringLiteral("[-,;\\s]+"));
    for (const QString &part : t.split(sep, Qt::SkipEmptyParts)) {
        bool ok = false;
        const int w = part.toInt(&ok);
        if (!ok || w < 1 || w > 8192) return false;
        out.push_back(w);
    }
    return true;
}

QString widthsText(const std::vector<int> &w)
{
    QStringList parts;
    for (int x : w) parts << QString::number(x);
    return parts.join(QLatin1Char('-'));
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

QString ControlPanel::pcaFormula() { return QStringLiteral("PCA: min Σ‖WᵀWx − x‖²,  WᵀW = I"); }

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
        m_variant->setItemData(m_variant->count() - 1, formula(v), Qt::ToolTipRole);
    }
    m_formula = new QLabel;
    m_formula->setObjectName(QStringLiteral("variantFormula"));
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
    m_lr = new LogSlider(1e-5, 1e-1);
    m_lr->setObjectName(QStringLiteral("learningRate"));
    m_lr->setToolTip(tr("Learning rate η in θ ← θ − η ∇θ L (logarithmic, 1e-5 … 1e-1)"));
    m_batch = new QComboBox;
    m_batch->setObjectName(QStringLiteral("batchSize"));
    for (int b : kBatchSizes) m_batch->addItem(QString::number(b), b);
    m_batch->setToolTip(tr("Mini-batch size B: ∇θ L = (1/B) Σ_b ∇θ L(x_b, g(f(x_b)))"));
    optLay->addRow(tr("Loss"), m_loss);
    optLay->addRow(tr("Optimizer"), m_optimizer);
    optLay->addRow(tr("Learning rate"), m_lr);
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
    m_rate->setRange(0, 90);
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
    m_sparsityWeight = new LogSlider(1e-5, 1.0);
    m_sparsityWeight->setObjectName(QStringLiteral("sparsityWeight"));
    m_sparsityWeight->setToolTip(tr("λ in L(x, g(f(x))) + Ω(h)"));
    auto *rhoRow = new QWidget;
    auto *rhoLay = new QHBoxLayout(rhoRow);
    rhoLay->setContentsMargins(0, 0, 0, 0);
    m_rho = new QSlider(Qt::Horizontal);
    m_rho->setObjectName(QStringLiteral("sparsityTarget"));
    m_rho->setRange(1, 50);  // ρ in %
    m_rhoLabel = new QLabel;
    m_rhoLabel->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0.50 ")));
    rhoLay->addWidget(m_rho, 1);
    rhoLay->addWidget(m_rhoLabel);
    rhoRow->setToolTip(tr("Target activation ρ of KL(ρ ‖ ρ̂ⱼ) = ρ log(ρ/ρ̂ⱼ) + (1 − ρ) log((1 − ρ)/(1 − ρ̂ⱼ))"));
    spLay->addRow(tr("Penalty"), m_sparsity);
    spLay->addRow(tr("Weight λ"), m_sparsityWeight);
    spLay->addRow(tr("Target ρ"), rhoRow);

    m_caeBox = group(tr("Contractive"), formula(Variant::Contractive));
    auto *caeLay = new QFormLayout(m_caeBox);
    m_lambda = new LogSlider(1e-5, 1.0);
    m_lambda->setObjectName(QStringLiteral("contractiveLambda"));
    m_lambda->setToolTip(tr("λ in λ‖∂f(x)/∂x‖²_F = λ Σᵢⱼ (∂hⱼ/∂xᵢ)²"));
    caeLay->addRow(tr("λ"), m_lambda);

    m_vaeBox = group(tr("Variational"), formula(Variant::Variational));
    auto *vaeLay = new QFormLayout(m_vaeBox);
    m_beta = new LogSlider(1e-2, 10.0);
    m_beta->setObjectName(QStringLiteral("beta"));
    m_beta->setToolTip(tr("β in β KL(q(h|x) ‖ N(0, I)) = β · ½ Σⱼ (μⱼ² + σⱼ² − log σⱼ² − 1)"));
    vaeLay->addRow(tr("β"), m_beta);

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
    m_hiddenAct = actCombo(QStringLiteral("hiddenActivation"), tr("s in the hidden layers: relu(z) = max(0, z), …"));
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
    for (LogSlider *s : {m_lr, m_sparsityWeight, m_lambda, m_beta})
        connect(s, &LogSlider::valueChanged, this, &ControlPanel::emitSettings);
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

QGroupBox *ControlPanel::group(const QString &title, const QString &tooltip)
{
    auto *g = new QGroupBox(title);
    g->setProperty("baseTitle", title);
    g->setToolTip(tooltip);
    return g;
}

ael::TrainSettings ControlPanel::settings() const
{
    ael::TrainSettings s;
    s.variant = Variant(m_variant->currentData().toInt());
    s.loss = ael::LossKind(m_loss->currentData().toInt());
    s.optimizer = ael::OptimizerKind(m_optimizer->currentData().toInt());
    s.opt.learningRate = m_lr->value();
    s.batchSize = m_batch->currentData().toInt();
    s.corruption.kind = ael::CorruptionKind(m_corruption->currentData().toInt());
    s.corruption.rate = m_rate->value() / 100.0;
    s.sparsity = ael::SparsityKind(m_sparsity->currentData().toInt());
    s.sparsityWeight = m_sparsityWeight->value();
    s.sparsityTarget = m_rho->value() / 100.0;
    s.contractiveLambda = m_lambda->value();
    s.beta = m_beta->value();
    return s;
}

void ControlPanel::setSettings(const ael::TrainSettings &s)
{
    const bool was = m_updating;
    m_updating = true;
    m_variant->setCurrentIndex(indexOf(kVariants, s.variant));
    m_lastVariant = s.variant;
    m_loss->setCurrentIndex(s.loss == ael::LossKind::BCE ? 1 : 0);
    m_optimizer->setCurrentIndex(s.optimizer == ael::OptimizerKind::SGD ? 1 : 0);
    m_lr->setValue(s.opt.learningRate);
    int bi = m_batch->findData(s.batchSize);
    if (bi < 0) {
        m_batch->addItem(QString::number(s.batchSize), s.batchSize);
        bi = m_batch->count() - 1;
    }
    m_batch->setCurrentIndex(bi);
    m_corruption->setCurrentIndex(indexOf(kCorruptions, s.corruption.kind));
    m_rate->setValue(int(std::lround(s.corruption.rate * 100)));
    m_sparsity->setCurrentIndex(s.sparsity == ael::SparsityKind::KL ? 1 : 0);
    m_sparsityWeight->setValue(s.sparsityWeight);
    m_rho->setValue(int(std::lround(s.sparsityTarget * 100)));
    m_lambda->setValue(s.contractiveLambda);
    m_beta->setValue(s.beta);
    m_updating = was;
    updateVariantHints();
}

void ControlPanel::emitSettings()
{
    updateVariantHints();
    if (m_updating) return;
    m_lastVariant = settings().variant;
    emit settingsChanged(settings());
}

void ControlPanel::onVariantChosen()
{
    const Variant v = Variant(m_variant->currentData().toInt());
    if (v == m_lastVariant) return;
    // Each variant has a model and settings that show its point (core/train/VariantPresets.h);
    // offer them when the running model is a different one.
    const ael::VariantPreset preset = ael::variantPreset(v, m_arch.input);
    ael::Architecture current = m_arch;
    current.variational = preset.arch.variational;
    if (!(current == preset.arch)) {
        const QString spec = QString::fromStdString(preset.arch.spec());
        const int answer = ask::question(
            this, tr("Use the %1 default?").arg(variantTitle(v).toLower()),
            tr("The %1 variant shows its point best with %2.\n\nThis model is %3. Reset to the default? "
               "Training restarts from fresh weights.")
                .arg(variantTitle(v).toLower(), QString::fromStdString(preset.summary),
                     QString::fromStdString(m_arch.spec())),
            {tr("Reset to %1").arg(spec), tr("Keep this model"), tr("Cancel")});
        if (answer == 0) {
            m_lastVariant = v;
            ael::TrainSettings s = settings();
            ael::applyVariantFields(preset.settings, s);
            setSettings(s);
            setArchitecture(preset.arch);
            updateVariantHints();
            emit resetRequested(preset.arch, seed());
            return;
        }
        if (answer != 1) {  // cancel: back to the previous variant
            const QSignalBlocker block(m_variant);
            m_variant->setCurrentIndex(indexOf(kVariants, m_lastVariant));
            updateVariantHints();
            return;
        }
    }
    emitSettings();
}

void ControlPanel::updateVariantHints()
{
    const Variant v = Variant(m_variant->currentData().toInt());
    m_formula->setText(formula(v));
    m_variant->setToolTip(formula(v));
    // The knobs of the current variant stand out; the others stay usable (to prepare a switch).
    const QList<QPair<QGroupBox *, Variant>> boxes = {
        {m_denoiseBox, Variant::Denoising}, {m_sparseBox, Variant::Sparse},
        {m_caeBox, Variant::Contractive},   {m_vaeBox, Variant::Variational}};
    // Only the current variant's knobs are shown, right under the variant (never below the fold).
    auto *lay = qobject_cast<QVBoxLayout *>(layout());
    for (const auto &[box, bv] : boxes) {
        box->setTitle(box->property("baseTitle").toString());
        box->setVisible(bv == v);
        if (bv == v && lay && m_variantBox && lay->indexOf(m_variantBox) >= 0) {
            const int at = lay->indexOf(m_variantBox) + 1;
            if (lay->indexOf(box) != at) {
                lay->removeWidget(box);
                lay->insertWidget(at, box);
            }
        }
    }
    const bool gaussian = m_corruption->currentData().toInt() == int(ael::CorruptionKind::Gaussian);
    m_rateLabel->setText(gaussian ? QStringLiteral("σ %1").arg(m_rate->value() / 100.0, 0, 'f', 2)
                                  : QStringLiteral("%1 %").arg(m_rate->value()));
    m_rhoLabel->setText(QString::number(m_rho->value() / 100.0, 'f', 2));
}

void ControlPanel::setArchitecture(const ael::Architecture &a)
{
    const bool was = m_updating;
    m_updating = true;
    m_arch = a;
    m_hidden->setText(widthsText(a.encoderHidden));
    m_code->setValue(a.code);
    m_hiddenAct->setCurrentIndex(indexOf(kActivations, a.hidden));
    m_codeAct->setCurrentIndex(indexOf(kActivations, a.codeActivation));
    m_outAct->setCurrentIndex(indexOf(kActivations, a.output));
    m_tied->setChecked(a.tied);
    m_updating = was;
    updateArchitectureState();
    updateLatentControls();
}

ael::Architecture ControlPanel::editedArchitecture() const
{
    ael::Architecture a = m_arch;
    std::vector<int> w;
    if (parseWidths(m_hidden->text(), w)) {
        a.encoderHidden = w;
        a.decoderHidden.assign(w.rbegin(), w.rend());
    }
    a.code = m_code->value();
    a.hidden = ActivationKind(m_hiddenAct->currentData().toInt());
    a.codeActivation = ActivationKind(m_codeAct->currentData().toInt());
    a.output = ActivationKind(m_outAct->currentData().toInt());
    a.tied = m_tied->isChecked();
    a.variational = false;
    return a;
}

quint64 ControlPanel::seed() const { return quint64(m_seed->value()); }

void ControlPanel::setSeed(quint64 s)
{
    const bool was = m_updating;
    m_updating = true;
    m_seed->setValue(int(s));
    m_appliedSeed = s;
    m_updating = was;
    updateArchitectureState();
}

void ControlPanel::updateArchitectureState()
{
    std::vector<int> w;
    const bool widthsOk = parseWidths(m_hidden->text(), w);
    const ael::Architecture a = editedArchitecture();
    QString why = widthsOk ? QString::fromStdString(a.validate()) : tr("Hidden widths: numbers like 256 or 512-256");
    const bool edited = !(a == m_arch) || quint64(m_seed->value()) != m_appliedSeed;
    if (why.isEmpty() && edited)
        m_archNote->setText(tr("<b>%1</b> — needs a reset: press Apply.").arg(QString::fromStdString(a.spec())));
    else if (why.isEmpty())
        m_archNote->setText(tr("Model: %1").arg(QString::fromStdString(m_arch.spec())));
    else
        m_archNote->setText(QStringLiteral("<span style='color:#b00020'>%1</span>").arg(why.toHtmlEscaped()));
    m_applyArch->setEnabled(why.isEmpty());
}

void ControlPanel::applyArchitecture()
{
    const ael::Architecture a = editedArchitecture();
    if (!a.validate().empty()) return;
    const int answer = ask::question(
        this, tr("Reset the model?"),
        tr("Changing the architecture to %1 (seed %2) needs a new model: training restarts from fresh weights "
           "and the curves start again.")
            .arg(QString::fromStdString(a.spec()))
            .arg(seed()),
        {tr("Reset"), tr("Cancel")});
    if (answer != 0) {
        updateArchitectureState();
        return;
    }
    m_arch = a;
    m_appliedSeed = seed();
    updateArchitectureState();
    updateLatentControls();
    emit resetRequested(a, seed());
}

LatentConfig ControlPanel::latentConfig() const
{
    LatentConfig c;
    c.mode = LatentConfig::Mode(m_latentMode->currentData().toInt());
    c.dimX = m_latentX->value() - 1;
    c.dimY = m_latentY->value() - 1;
    return c;
}

void ControlPanel::setLatentConfig(const LatentConfig &c)
{
    const bool was = m_updating;
    m_updating = true;
    m_latentMode->setCurrentIndex(c.mode == LatentConfig::Dims ? 1 : 0);
    m_latentX->setValue(c.dimX + 1);
    m_latentY->setValue(c.dimY + 1);
    m_updating = was;
    updateLatentControls();
}

void ControlPanel::updateLatentControls()
{
    const bool big = m_arch.code > 2;
    m_latentMode->setEnabled(big);
    const bool dims = big && m_latentMode->currentData().toInt() == int(LatentConfig::Dims);
    m_latentX->setEnabled(dims);
    m_latentY->setEnabled(dims);
    m_latentX->setMaximum(std::max(1, m_arch.code));
    m_latentY->setMaximum(std::max(1, m_arch.code));
}

void ControlPanel::setDataSources(const QList<QPair<QString, QString>> &sources)
{
    const QString current = currentDataId();
    const QSignalBlocker block(m_data);
    m_data->clear();
    for (const auto &[id, label] : sources) m_data->addItem(label, id);
    const int i = m_data->findData(current);
    if (i >= 0) m_data->setCurrentIndex(i);
}

void ControlPanel::setCurrentData(const QString &id, const QString &label)
{
    const QSignalBlocker block(m_data);
    int i = m_data->findData(id);
    if (i < 0) {
        m_data->addItem(label, id);
        i = m_data->count() - 1;
    }
    m_data->setCurrentIndex(i);
}

QString ControlPanel::currentDataId() const { return m_data->currentData().toString(); }

void ControlPanel::setDataBusy(bool busy, const QString &note)
{
    m_data->setEnabled(!busy);
    m_openIdx->setEnabled(!busy);
    m_dataNote->setText(note);
    m_dataNote->setVisible(!note.isEmpty());
}

void ControlPanel::saveState(QSettings &q) const
{
    const ael::TrainSettings s = settings();
    q.beginGroup(QStringLiteral("train"));
    q.setValue(QStringLiteral("variant"), QString::fromUtf8(ael::toString(s.variant)));
    q.setValue(QStringLiteral("loss"), QString::fromUtf8(ael::toString(s.loss)));
    q.setValue(QStringLiteral("optimizer"), QString::fromUtf8(ael::toString(s.optimizer)));
    q.setValue(QStringLiteral("learningRate"), s.opt.learningRate);
    q.setValue(QStringLiteral("batchSize"), s.batchSize);
    q.setValue(QStringLiteral("corruption"), QString::fromUtf8(ael::toString(s.corruption.kind)));
    q.setValue(QStringLiteral("corruptionRate"), s.corruption.rate);
    q.setValue(QStringLiteral("sparsity"), QString::fromUtf8(ael::toString(s.sparsity)));
    q.setValue(QStringLiteral("sparsityWeight"), s.sparsityWeight);
    q.setValue(QStringLiteral("sparsityTarget"), s.sparsityTarget);
    q.setValue(QStringLiteral("contractiveLambda"), s.contractiveLambda);
    q.setValue(QStringLiteral("beta"), s.beta);
    q.endGroup();
    q.beginGroup(QStringLiteral("model"));
    q.setValue(QStringLiteral("spec"), QString::fromStdString(m_arch.spec()));
    q.setValue(QStringLiteral("hidden"), QString::fromUtf8(ael::toString(m_arch.hidden)));
    q.setValue(QStringLiteral("code"), QString::fromUtf8(ael::toString(m_arch.codeActivation)));
    q.setValue(QStringLiteral("output"), QString::fromUtf8(ael::toString(m_arch.output)));
    q.setValue(QStringLiteral("tied"), m_arch.tied);
    q.setValue(QStringLiteral("seed"), m_appliedSeed);
    q.endGroup();
    const LatentConfig c = latentConfig();
    q.setValue(QStringLiteral("view/latentMode"), c.mode == LatentConfig::Dims ? "dims" : "pca");
    q.setValue(QStringLiteral("view/latentX"), c.dimX);
    q.setValue(QStringLiteral("view/latentY"), c.dimY);
}

void ControlPanel::restoreState(QSettings &q)
{
    ael::TrainSettings s;
    auto str = [&](const char *key) { return q.value(QLatin1String(key)).toString().toStdString(); };
    auto dbl = [&](const char *key, double def) {
        bool ok = false;
        const double v = q.value(QLatin1String(key), def).toDouble(&ok);
        return ok && std::isfinite(v) ? v : def;
    };
    q.beginGroup(QStringLiteral("train"));
    ael::parseVariant(str("variant"), s.variant);
    ael::parseLoss(str("loss"), s.loss);
    ael::parseOptimizer(str("optimizer"), s.optimizer);
    s.opt.learningRate = dbl("learningRate", s.opt.learningRate);
    s.batchSize = std::clamp(q.value(QStringLiteral("batchSize"), s.batchSize).toInt(), 1, 65536);
    ael::parseCorruption(str("corruption"), s.corruption.kind);
    s.corruption.rate = std::clamp(dbl("corruptionRate", s.corruption.rate), 0.0, 0.9);
    ael::parseSparsity(str("sparsity"), s.sparsity);
    s.sparsityWeight = dbl("sparsityWeight", s.sparsityWeight);
    s.sparsityTarget = std::clamp(dbl("sparsityTarget", s.sparsityTarget), 0.01, 0.5);
    s.contractiveLambda = dbl("contractiveLambda", s.contractiveLambda);
    s.beta = dbl("beta", s.beta);
    q.endGroup();

    ael::Architecture a;
    q.beginGroup(QStringLiteral("model"));
    ael::Architecture parsed = a;
    std::string err;
    if (ael::Architecture::parseSpec(str("spec"), parsed, &err)) a = parsed;
    ael::parseActivation(str("hidden"), a.hidden);
    ael::parseActivation(str("code"), a.codeActivation);
    ael::parseActivation(str("output"), a.output);
    a.tied = q.value(QStringLiteral("tied"), false).toBool();
    const int seedValue = q.value(QStringLiteral("seed"), 1).toInt();
    q.endGroup();
    if (!a.validate().empty() || !s.validate(a).empty()) {  // a stored combination that no longer works
        a = ael::Architecture{};
        s = ael::TrainSettings{};
    }
    setSettings(s);
    setArchitecture(a);
    setSeed(quint64(std::max(0, seedValue)));
    LatentConfig c;
    c.mode = q.value(QStringLiteral("view/latentMode")).toString() == QLatin1String("dims") ? LatentConfig::Dims
                                                                                           : LatentConfig::Pca;
    c.dimX = std::max(0, q.value(QStringLiteral("view/latentX"), 0).toInt());
    c.dimY = std::max(0, q.value(QStringLiteral("view/latentY"), 1).toInt());
    setLatentConfig(c);
}
