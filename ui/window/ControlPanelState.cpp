// The control panel's state: the engine's settings and architecture shown in and read from the
// widgets, the data sources, and the panel's QSettings. (The widgets are built in ControlPanel.cpp.)
#include "ui/window/ControlPanel.h"
#include "ui/window/ControlPanelItems.h"

#include "ui/training/SettingsStore.h"
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

#include <cmath>

using ael::ActivationKind;
using ael::Variant;
using namespace control_items;

ael::TrainSettings ControlPanel::settings() const
{
    ael::TrainSettings s;
    s.variant = Variant(m_variant->currentData().toInt());
    s.loss = ael::LossKind(m_loss->currentData().toInt());
    s.optimizer = ael::OptimizerKind(m_optimizer->currentData().toInt());
    s.batchSize = m_batch->currentData().toInt();
    s.corruption.kind = ael::CorruptionKind(m_corruption->currentData().toInt());
    s.corruption.rate = rateValue();
    s.sparsity = ael::SparsityKind(m_sparsity->currentData().toInt());
    s.sparsityTarget = rhoValue();
    for (const TableSlider &t : m_sliders) t.row->set(s, t.slider->value());
    return s;
}

double ControlPanel::rateValue() const { return m_rate->value() == m_rateTick ? m_rateSet : m_rate->value() / 100.0; }
double ControlPanel::rhoValue() const { return m_rho->value() == m_rhoTick ? m_rhoSet : m_rho->value() / 100.0; }

void ControlPanel::setSettings(const ael::TrainSettings &s)
{
    const bool was = m_updating;
    m_updating = true;
    m_variant->setCurrentIndex(indexOf(kVariants, s.variant));
    m_lastVariant = s.variant;
    m_loss->setCurrentIndex(s.loss == ael::LossKind::BCE ? 1 : 0);
    m_optimizer->setCurrentIndex(s.optimizer == ael::OptimizerKind::SGD ? 1 : 0);
    int bi = m_batch->findData(s.batchSize);
    if (bi < 0) {
        m_batch->addItem(QString::number(s.batchSize), s.batchSize);
        bi = m_batch->count() - 1;
    }
    m_batch->setCurrentIndex(bi);
    m_corruption->setCurrentIndex(indexOf(kCorruptions, s.corruption.kind));
    m_rate->setValue(int(std::lround(s.corruption.rate * 100)));
    m_rateSet = s.corruption.rate, m_rateTick = m_rate->value();
    m_sparsity->setCurrentIndex(s.sparsity == ael::SparsityKind::KL ? 1 : 0);
    m_rho->setValue(int(std::lround(s.sparsityTarget * 100)));
    m_rhoSet = s.sparsityTarget, m_rhoTick = m_rho->value();
    for (const TableSlider &t : m_sliders) t.slider->setValue(t.row->get(s));
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
        // A model with unsaved steps: whether to save it first (the same question as Reset's).
        if (answer == 0 && checkDiscard(tr("Resetting to the %1 default").arg(variantTitle(v).toLower())) != DiscardCheck::Cancel) {
            m_lastVariant = v;
            ael::TrainSettings s = settings();
            ael::applyVariantFields(preset.settings, s);
            setSettings(s);
            setArchitecture(preset.arch);
            updateVariantHints();
            emit resetRequested(preset.arch, seed());
            return;
        }
        if (answer != 1) {  // cancel (here or in the question about the unsaved model): back to the previous variant
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
    m_formula->setText(math_text::toHtml(formula(v)));
    m_variant->setToolTip(math_text::toHtml(formula(v)));
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
    // Two decimals, as the slider's ticks; more for a value set between them (a CLI model's σ 0.333).
    const auto decimals = [](double v) { return QString::number(v, 'f', std::abs(v * 100 - std::round(v * 100)) < 1e-9 ? 2 : 3); };
    m_rateLabel->setText(gaussian ? QStringLiteral("σ %1").arg(decimals(rateValue()))
                                  : QStringLiteral("%1 %").arg(QString::number(100 * rateValue(), 'g', 3)));
    // The row's name too: Gaussian noise has a σ, not a rate.
    if (auto *form = qobject_cast<QFormLayout *>(m_denoiseBox->layout()))
        if (auto *name = qobject_cast<QLabel *>(form->labelForField(m_rate->parentWidget())))
            name->setText(gaussian ? tr("Noise σ") : tr("Rate"));
    m_rhoLabel->setText(decimals(rhoValue()));
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
    // Without hidden layers (784-[k]-784) the hidden activation would change nothing: greyed, and its tooltip
    // says why (while the widths are being typed and do not parse yet, it stays as it was).
    if (widthsOk) {
        m_hiddenAct->setEnabled(!w.empty());
        m_hiddenAct->setToolTip(!w.empty() ? tr("Activation of the hidden layers (relu(z) = max(0, z), sigmoid, tanh or linear)")
                                           : tr("No hidden layers: the encoder goes straight from x to the code h. Enter "
                                                "widths under Hidden (e.g. 256) for layers this activation applies to."));
    }
}

void ControlPanel::applyArchitecture()
{
    const ael::Architecture a = editedArchitecture();
    if (!a.validate().empty()) return;
    // A model with unsaved steps: one question, whether to save it first, which says what is thrown away;
    // else the panel's own, which says what a new architecture means.
    const DiscardCheck unsaved = checkDiscard(tr("Changing the architecture to %1 (seed %2)").arg(QString::fromStdString(a.spec())).arg(seed()));
    const int answer = unsaved == DiscardCheck::Go ? 0 : unsaved == DiscardCheck::Cancel ? 1 : ask::question(
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

DiscardCheck ControlPanel::checkDiscard(const QString &action) const
{
    return m_discardQuestion ? m_discardQuestion(action) : DiscardCheck::NothingToLose;
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
    q.beginGroup(QStringLiteral("train"));
    settings_store::save(q, settings());
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
    auto str = [&](const char *key) { return q.value(QLatin1String(key)).toString().toStdString(); };
    q.beginGroup(QStringLiteral("train"));
    ael::TrainSettings s = settings_store::restore(q);
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
