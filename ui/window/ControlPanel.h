#pragma once
// The lecturer's controls. Everything except the architecture, the seed and the data set is live:
// each change emits settingsChanged() with the complete TrainSettings, which the worker applies
// before its next mini-batch. Architecture changes need a new model: the panel says so, and asks
// before it emits resetRequested(). Every control's tooltip shows its formula from the lecture.
#include "ui/training/TrainingWorker.h"
#include "ui/window/DiscardCheck.h"
#include "core/nn/Architecture.h"
#include "core/train/Settings.h"

#include <QWidget>

#include <vector>

namespace ael {
struct SettingRow;
}
class LogSlider;
class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QSlider;
class QSpinBox;

class ControlPanel : public QWidget {
    Q_OBJECT
public:
    explicit ControlPanel(QWidget *parent = nullptr);

    /// Asked before a change here throws the model away (an architecture applied, a variant's default
    /// taken); without one, only the panel's own question ("Reset the model?") is asked.
    void setDiscardQuestion(DiscardQuestion q) { m_discardQuestion = std::move(q); }

    /// The settings the live controls show.
    ael::TrainSettings settings() const;
    /// Shows these settings without emitting (restore, or revert after a rejection).
    void setSettings(const ael::TrainSettings &s);

    /// The architecture of the running model (the architecture controls show it again).
    ael::Architecture architecture() const { return m_arch; }
    void setArchitecture(const ael::Architecture &a);
    /// What the architecture controls describe (may differ from architecture() until applied).
    ael::Architecture editedArchitecture() const;
    quint64 seed() const;
    void setSeed(quint64 s);

    LatentConfig latentConfig() const;
    void setLatentConfig(const LatentConfig &c);

    /// The data sources to offer: (id, label); "Open IDX files…" is a separate button.
    void setDataSources(const QList<QPair<QString, QString>> &sources);
    /// Selects (or adds) the current data set without emitting.
    void setCurrentData(const QString &id, const QString &label);
    QString currentDataId() const;
    void setDataBusy(bool busy, const QString &note = {});

    /// Presentation mode: only the variant and its own knobs stay (data, optimizer, architecture and
    /// the scatter's options are hidden); off shows everything again.
    void setPresentation(bool on);

    void saveState(QSettings &s) const;
    void restoreState(QSettings &s);

    /// The lecture's formula of a variant (also the variant's tooltip).
    static QString formula(ael::Variant v);
    static QString pcaFormula();

signals:
    void settingsChanged(const ael::TrainSettings &s);
    /// The user confirmed a reset to this architecture (settings() has the rest).
    void resetRequested(const ael::Architecture &a, quint64 seed);
    void dataSourceRequested(const QString &id);
    void openIdxRequested();
    void latentConfigChanged(const LatentConfig &c);

private:
    /// The corruption rate and ρ: the value set (setSettings) while the slider stays on the tick it was set to
    /// (a CLI model's 0.333 or ρ 0.005 kept, not 0.33 or the slider's 0.01), else the slider's.
    double rateValue() const;
    double rhoValue() const;
    double m_rateSet = -1, m_rhoSet = -1;
    int m_rateTick = -1, m_rhoTick = -1;

    QGroupBox *group(const QString &title, const QString &tooltip);
    void emitSettings();
    void onVariantChosen();
    void updateVariantHints();
    void updateArchitectureState();
    void applyArchitecture();
    void updateLatentControls();
    /// Adds a logarithmic slider for each row of the settings table that has one and acts in `variant`
    /// (−1: every variant, the Training group; −2: every row not placed yet) to `form`.
    void addTableSliders(QFormLayout *form, int variant);

    bool m_updating = false;
    DiscardQuestion m_discardQuestion;
    /// m_discardQuestion's answer for `action`, NothingToLose without one.
    DiscardCheck checkDiscard(const QString &action) const;
    ael::Architecture m_arch;
    ael::Variant m_lastVariant = ael::Variant::Undercomplete;
    quint64 m_appliedSeed = 1;

    QComboBox *m_data = nullptr;
    QPushButton *m_openIdx = nullptr;
    QLabel *m_dataNote = nullptr;

    QGroupBox *m_variantBox = nullptr;
    QComboBox *m_variant = nullptr;
    QLabel *m_formula = nullptr;

    QComboBox *m_loss = nullptr;
    QComboBox *m_optimizer = nullptr;
    QComboBox *m_batch = nullptr;

    QGroupBox *m_denoiseBox = nullptr, *m_sparseBox = nullptr, *m_caeBox = nullptr, *m_vaeBox = nullptr;
    QComboBox *m_corruption = nullptr;
    QSlider *m_rate = nullptr;
    QLabel *m_rateLabel = nullptr;
    QComboBox *m_sparsity = nullptr;
    QSlider *m_rho = nullptr;
    QLabel *m_rhoLabel = nullptr;
    // The sliders the settings table describes (learning rate, the regularizer terms' weights).
    struct TableSlider {
        const ael::SettingRow *row;
        LogSlider *slider;
    };
    std::vector<TableSlider> m_sliders;

    QLineEdit *m_hidden = nullptr;
    QSpinBox *m_code = nullptr;
    QComboBox *m_hiddenAct = nullptr, *m_codeAct = nullptr, *m_outAct = nullptr;
    QCheckBox *m_tied = nullptr;
    QSpinBox *m_seed = nullptr;
    QLabel *m_archNote = nullptr;
    QPushButton *m_applyArch = nullptr;

    QList<QWidget *> m_secondary;  // the groups presentation mode hides

    QComboBox *m_latentMode = nullptr;
    QSpinBox *m_latentX = nullptr, *m_latentY = nullptr;
};
