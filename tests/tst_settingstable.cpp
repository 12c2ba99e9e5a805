// The table of training settings (core/train/SettingsTable.h) and everything that reads it, one
// data row per setting: the model file's JSON (write and read back), TrainSettings::validate's
// ranges, the chart's change labels and whether a change settles, the window's QSettings, and
// aelab-cli's flags (parsed into the saved model, or refused with exit 2 naming the flag).
#include "core/io/ModelFile.h"
#include "core/train/SettingsTable.h"
#include "ui/training/SettingsChange.h"
#include "ui/lessons/Lessons.h"
#include "ui/training/SettingsStore.h"
#include "ui/widgets/LogSlider.h"
#include "ui/window/ControlPanel.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QComboBox>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>
#include <limits>

#ifndef AELAB_CLI
#error "tests/CMakeLists.txt defines AELAB_CLI, the path of the built aelab-cli"
#endif

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

/// One setting changed from its default: the new value, how the flag gives it, its change label, and
/// values and flags out of its range (a choice: an index or a name it does not have).
struct Case {
    const char *key;
    double value;
    QStringList cli;
    const char *label;
    bool settles;
    double below, above;
    QStringList cliBelow, cliAbove;
    const char *flag;
};

const std::vector<Case> &cases()
{
    static const std::vector<Case> c = {
        {"variant", 3, {"--variant", "denoising"}, "→ denoising", false, -1, 6, {"--variant", "fancy"}, {}, "--variant"},
        {"loss", 1, {"--loss", "bce"}, "loss BCE", false, -1, 2, {"--loss", "l2"}, {}, "--loss"},
        {"optimizer", 0, {"--optimizer", "sgd"}, "sgd", false, -1, 2, {"--optimizer", "rmsprop"}, {}, "--optimizer"},
        {"learningRate", 0.02, {"--lr", "0.02"}, "lr 0.02", true, 0, 1e5, {"--lr", "0"}, {"--lr", "1e5"}, "--lr"},
        {"momentum", 0.5, {"--momentum", "0.5"}, "momentum 0.5", true, -0.1, 1, {"--momentum", "-0.1"},
         {"--momentum", "1"}, "--momentum"},
        {"beta1", 0.8, {"--adam-beta1", "0.8"}, "β1 0.8", true, -0.1, 1, {"--adam-beta1", "-0.1"},
         {"--adam-beta1", "1"}, "--adam-beta1"},
        {"beta2", 0.99, {"--adam-beta2", "0.99"}, "β2 0.99", true, -0.1, 1, {"--adam-beta2", "-0.1"},
         {"--adam-beta2", "1"}, "--adam-beta2"},
        {"epsilon", 1e-6, {"--adam-eps", "1e-6"}, "ε 1e-06", true, 1e-13, 2, {"--adam-eps", "1e-13"},
         {"--adam-eps", "2"}, "--adam-eps"},
        {"batchSize", 32, {"--batch", "32"}, "batch 32", false, 0, 65537, {"--batch", "0"}, {"--batch", "65537"},
         "--batch"},
        {"shuffle", 0, {"--no-shuffle"}, "no shuffle", false, kNone, kNone, {"--no-shuffle=maybe"}, {}, "--no-shuffle"},
        {"corruption.kind", 2, {"--corruption", "gaussian"}, "gaussian σ 0.3", false, -1, 4, {"--corruption", "blur"}, {},
         "--corruption"},
        {"corruption.rate", 0.5, {"--corruption", "masking:0.5"}, "corruption 50 %", true, -0.1, 1.5,
         {"--corruption", "masking:-0.1"}, {"--corruption", "masking:1.5"}, "--corruption"},
        {"sparsity", 1, {"--sparsity", "kl"}, "KL", false, -1, 2, {"--sparsity", "l2"}, {}, "--sparsity"},
        {"sparsityWeight", 0.01, {"--sparsity-weight", "0.01"}, "Ω weight 0.01", true, -1, 1e5,
         {"--sparsity-weight", "-1"}, {"--sparsity-weight", "1e5"}, "--sparsity-weight"},
        {"sparsityTarget", 0.1, {"--sparsity-target", "0.1"}, "ρ 0.1", true, 0, 1, {"--sparsity-target", "0"},
         {"--sparsity-target", "1"}, "--sparsity-target"},
        {"contractiveLambda", 0.1, {"--contractive-lambda", "0.1"}, "λ 0.1", true, -1, 1e5,
         {"--contractive-lambda", "-1"}, {"--contractive-lambda", "1e5"}, "--contractive-lambda"},
        {"beta", 2, {"--beta", "2"}, "β 2", true, -1, 1e5, {"--beta", "-1"}, {"--beta", "1e5"}, "--beta"},
    };
    return c;
}

const ael::SettingRow &rowOf(const QString &key)
{
    const ael::SettingRow *r = ael::settingRow(key.toStdString());
    if (!r) qFatal("no row %s", qPrintable(key));
    return *r;
}

/// TrainSettings{} with the row `key` set to v.
ael::TrainSettings changed(const QString &key, double v)
{
    ael::TrainSettings s;
    rowOf(key).set(s, v);
    return s;
}

/// Every row of s holds its default but `key`, which holds v.
void compareRows(const ael::TrainSettings &s, const QString &key, double v)
{
    const ael::TrainSettings defaults;
    for (const ael::SettingRow &r : ael::settingsTable()) {
        const double expected = key == QLatin1String(r.key) ? v : r.get(defaults);
        QVERIFY2(r.get(s) == expected, qPrintable(QStringLiteral("%1: %2, expected %3").arg(r.key).arg(r.get(s)).arg(expected)));
    }
}

ael::Architecture smallArch()
{
    ael::Architecture a;
    std::string why;
    if (!ael::Architecture::parseSpec("6-[2]-6", a, &why)) qFatal("%s", why.c_str());
    return a;
}

struct Run {
    int code = -1;
    QString err;
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(AELAB_CLI), args);
    Run r;
    if (!p.waitForFinished(120000)) return r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

}  // namespace

class TestSettingsTable : public QObject {
    Q_OBJECT
private slots:
    void everyRowHasACase();
    void everyFieldHasARow();
    void jsonRoundTrip_data() { addRows(); }
    void jsonRoundTrip();
    void validateRefusesOutOfRange_data() { addRows(); }
    void validateRefusesOutOfRange();
    void changeLabel_data() { addRows(); }
    void changeLabel();
    void qsettingsRoundTrip_data() { addRows(); }
    void qsettingsRoundTrip();
    void cliFlag_data() { addRows(); }
    void cliFlag();
    void earlierCorruptionKeysAreRead();
    void slidersOfThePanel();
    void panelTexts();
    void lessonSetting_data() { addRows(); }
    void lessonSetting();

private:
    static void addRows()
    {
        QTest::addColumn<int>("i");
        for (size_t i = 0; i < cases().size(); ++i) QTest::newRow(cases()[i].key) << int(i);
    }
    QTemporaryDir m_dir;
};

// A row without a case here would go untested: the cases and the table name the same settings.
void TestSettingsTable::everyRowHasACase()
{
    QStringList table, tested;
    for (const ael::SettingRow &r : ael::settingsTable()) table << QString::fromUtf8(r.key);
    for (const Case &c : cases()) tested << QString::fromUtf8(c.key);
    QCOMPARE(tested, table);
    QVERIFY(table.size() <= 32);  // the chart's change mask has one bit a row
    // Each case changes its setting: a value equal to the default would test nothing (and must be
    // moved when a default changes).
    for (const Case &c : cases())
        QVERIFY2(rowOf(QString::fromUtf8(c.key)).get(ael::TrainSettings{}) != c.value, c.key);
}

// Each field the user sets is seen by exactly one row. A new field of TrainSettings (or of its
// OptimizerSettings or Corruption) stops these bindings from compiling until it is listed here, and
// then this fails until the table has its row.
void TestSettingsTable::everyFieldHasARow()
{
    ael::TrainSettings s;
    auto &[variant, loss, optimizer, opt, batchSize, shuffle, corruption, sparsity, sparsityWeight, sparsityTarget,
           contractiveLambda, beta] = s;
    auto &[learningRate, momentum, beta1, beta2, epsilon] = opt;
    auto &[kind, rate] = corruption;
    const std::vector<std::pair<const char *, std::function<void()>>> changes = {
        {"variant", [&] { variant = ael::Variant::Sparse; }},
        {"loss", [&] { loss = ael::LossKind::BCE; }},
        {"optimizer", [&] { optimizer = ael::OptimizerKind::SGD; }},
        {"learningRate", [&] { learningRate = 0.5; }},
        {"momentum", [&] { momentum = 0.5; }},
        {"beta1", [&] { beta1 = 0.5; }},
        {"beta2", [&] { beta2 = 0.5; }},
        {"epsilon", [&] { epsilon = 0.5; }},
        {"batchSize", [&] { batchSize = 7; }},
        {"shuffle", [&] { shuffle = !shuffle; }},
        {"corruption.kind", [&] { kind = ael::CorruptionKind::SaltPepper; }},
        {"corruption.rate", [&] { rate = 0.5; }},
        {"sparsity", [&] { sparsity = ael::SparsityKind::KL; }},
        {"sparsityWeight", [&] { sparsityWeight = 0.5; }},
        {"sparsityTarget", [&] { sparsityTarget = 0.5; }},
        {"contractiveLambda", [&] { contractiveLambda = 0.5; }},
        {"beta", [&] { beta = 0.5; }},
    };
    const ael::TrainSettings defaults;
    for (const auto &[field, change] : changes) {
        s = ael::TrainSettings{};
        change();
        QStringList seenBy;
        for (const ael::SettingRow &r : ael::settingsTable())
            if (r.get(s) != r.get(defaults)) seenBy << QString::fromUtf8(r.key);
        QCOMPARE(seenBy, QStringList{QString::fromUtf8(field)});
    }
    QCOMPARE(changes.size(), ael::settingsTable().size());
}

// Through the file writer and reader: the JSON differs from the defaults' in this member only, and
// reads back into this field only.
void TestSettingsTable::jsonRoundTrip()
{
    QFETCH(int, i);
    const Case &c = cases()[size_t(i)];
    const ael::TrainSettings s = changed(c.key, c.value);
    QVERIFY2(s.validate(smallArch()).empty(), s.validate(smallArch()).c_str());
    const ael::Model<float> m(smallArch());
    const std::vector<uint8_t> bytes = ael::serializeModel(m, s, {}, "mem");
    const ael::LoadedModel l = ael::loadModelFromMemory(bytes.data(), bytes.size(), "mem");
    compareRows(l.settings, c.key, c.value);

    const nlohmann::ordered_json now = ael::settingsToJson(s), before = ael::settingsToJson(ael::TrainSettings{});
    const nlohmann::ordered_json diff = nlohmann::ordered_json::diff(before, now);
    QCOMPARE(diff.size(), size_t(1));
    QCOMPARE(QString::fromStdString(diff[0]["path"].get<std::string>()),
             QStringLiteral("/") + QString::fromUtf8(c.key).replace(QLatin1Char('.'), QLatin1Char('/')));
}

void TestSettingsTable::validateRefusesOutOfRange()
{
    QFETCH(int, i);
    const Case &c = cases()[size_t(i)];
    const ael::SettingRow &r = rowOf(c.key);
    if (std::isnan(c.below)) {
        QVERIFY(r.kind == ael::SettingKind::Switch);  // a switch has no range
        return;
    }
    for (double v : {c.below, c.above}) {
        const std::string why = changed(c.key, v).validate(smallArch());
        QVERIFY2(why.find(r.what) != std::string::npos, qPrintable(QStringLiteral("%1 = %2: '%3'").arg(c.key).arg(v).arg(why.c_str())));
    }
    QVERIFY(changed(c.key, c.value).validate(smallArch()).empty());
}

// The label names the new value; a slider-like setting becomes a marker once it rests, any other at once.
void TestSettingsTable::changeLabel()
{
    QFETCH(int, i);
    const Case &c = cases()[size_t(i)];
    const ael::TrainSettings before, after = changed(c.key, c.value);
    unsigned mask = 0;
    QCOMPARE(settings_change::describeChange(before, after, &mask), QString::fromUtf8(c.label));
    QCOMPARE(mask, settings_change::changeBit(c.key));
    QVERIFY(mask != 0);
    QCOMPARE((mask & settings_change::settlingFields()) != 0, c.settles);

    settings_change::MarkerDebounce d;
    const QVector<ChangeMarker> atOnce = d.change(before, after, 10, 0.0);
    QCOMPARE(atOnce.size(), c.settles ? 0 : 1);
    const QVector<ChangeMarker> rested = d.tick(after, settings_change::MarkerDebounce::kSettleSeconds);
    QCOMPARE(rested.size(), c.settles ? 1 : 0);
    const ChangeMarker m = c.settles ? rested.value(0) : atOnce.value(0);
    QCOMPARE(m.step, qint64(10));
    QCOMPARE(m.label, QString::fromUtf8(c.label));
}

// Saved and restored through an INI file; an entry out of range or malformed keeps the default.
void TestSettingsTable::qsettingsRoundTrip()
{
    QFETCH(int, i);
    const Case &c = cases()[size_t(i)];
    const QString file = m_dir.filePath(QStringLiteral("%1.ini").arg(i));
    const QString key = QString::fromUtf8(c.key).replace(QLatin1Char('.'), QLatin1Char('/'));
    {
        QSettings q(file, QSettings::IniFormat);
        q.beginGroup(QStringLiteral("train"));
        settings_store::save(q, changed(c.key, c.value));
        q.endGroup();
    }
    {
        QSettings q(file, QSettings::IniFormat);
        q.beginGroup(QStringLiteral("train"));
        compareRows(settings_store::restore(q), c.key, c.value);
        const ael::TrainSettings defaults;
        const double def = rowOf(c.key).get(defaults);
        q.setValue(key, QStringLiteral("not a value"));
        compareRows(settings_store::restore(q), c.key, def);
        if (!std::isnan(c.above)) {
            q.setValue(key, rowOf(c.key).kind == ael::SettingKind::Choice ? QVariant(QStringLiteral("bogus")) : QVariant(c.above));
            compareRows(settings_store::restore(q), c.key, def);
        }
    }
}

// The flag trains (one step of a small model) and the saved model holds the value in this field
// only; a value out of range is refused before any work with exit 2 and the flag's name.
void TestSettingsTable::cliFlag()
{
    QFETCH(int, i);
    const Case &c = cases()[size_t(i)];
    const QString out = m_dir.filePath(QStringLiteral("cli%1.safetensors").arg(i));
    const QStringList base = {"train", "--steps", "1", "--arch", "784-[4]-784", "--threads", "1", "--quiet"};
    const Run ok = cli(base + QStringList{"--out", out} + c.cli);
    QVERIFY2(ok.code == 0, qPrintable(ok.err));
    compareRows(ael::loadModel(out.toStdString()).settings, c.key, c.value);
    for (const QStringList &bad : {c.cliBelow, c.cliAbove}) {
        if (bad.isEmpty()) continue;
        const Run r = cli(base + bad);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QString::fromUtf8(c.flag) + QLatin1Char(':')), qPrintable(r.err));
    }
}

// Earlier builds remembered the corruption as "corruption" and "corruptionRate"; they are read when the
// rows' own keys are absent, and the rows' keys win once saved.
void TestSettingsTable::earlierCorruptionKeysAreRead()
{
    QSettings q(m_dir.filePath(QStringLiteral("earlier.ini")), QSettings::IniFormat);
    q.setValue(QStringLiteral("corruption"), QStringLiteral("gaussian"));
    q.setValue(QStringLiteral("corruptionRate"), 0.25);
    ael::TrainSettings s = settings_store::restore(q);
    QVERIFY(s.corruption.kind == ael::CorruptionKind::Gaussian);
    QCOMPARE(s.corruption.rate, 0.25);
    s.corruption = {ael::CorruptionKind::SaltPepper, 0.1};
    settings_store::save(q, s);
    s = settings_store::restore(q);
    QVERIFY(s.corruption.kind == ael::CorruptionKind::SaltPepper);
    QCOMPARE(s.corruption.rate, 0.1);
}

// The panel builds a logarithmic slider for each row that names one, in its variant's group (or
// Training), over the row's slider range, and reads and shows the row's field through it.
void TestSettingsTable::slidersOfThePanel()
{
    ControlPanel panel;
    int rows = 0;
    for (const ael::SettingRow &row : ael::settingsTable()) {
        if (row.panel != ael::PanelControl::LogSlider) continue;
        ++rows;
        const QString key = QString::fromUtf8(row.key);
        auto *slider = panel.findChild<LogSlider *>(key);
        QVERIFY2(slider, qPrintable(key));
        QCOMPARE(slider->minimum(), row.sliderLo);
        QCOMPARE(slider->maximum(), row.sliderHi);
        QVERIFY(row.lo <= row.sliderLo && row.sliderHi <= row.hi);
        QVERIFY2(slider->toolTip().contains(QString::fromUtf8(row.formula)), qPrintable(slider->toolTip()));
        const QGroupBox *box = nullptr;
        for (QObject *o = slider->parent(); o && !box; o = o->parent()) box = qobject_cast<QGroupBox *>(o);
        QVERIFY(box);
        const QString want = row.onlyFor < 0 ? QStringLiteral("Training")
                                             : QString::fromUtf8(ael::toString(ael::Variant(row.onlyFor)));
        QVERIFY2(box->title().startsWith(want, Qt::CaseInsensitive), qPrintable(key + ": " + box->title()));

        const double v = std::sqrt(row.sliderLo * row.sliderHi) * 1.1;  // inside, and no default
        QVERIFY(v != row.get(ael::TrainSettings{}));
        slider->setValue(v, true);
        QCOMPARE(row.get(panel.settings()), v);
        ael::TrainSettings s = panel.settings();
        row.set(s, row.sliderLo);
        panel.setSettings(s);
        QCOMPARE(slider->value(), row.sliderLo);
    }
    QCOMPARE(int(panel.findChildren<LogSlider *>().size()), rows);
    QVERIFY(rows >= 4);  // the learning rate and the three terms' weights
}

// What the panel says in words: every tooltip starts a sentence (a capital) or a formula ("h = f(x) …"),
// never in the middle of a word, and the activations are listed by the names the lecture uses.
void TestSettingsTable::panelTexts()
{
    ControlPanel panel;
    static const QRegularExpression formula(QStringLiteral("^\\S+\\s*[=∈≈→(]"));
    int tips = 0;
    for (const QWidget *w : panel.findChildren<QWidget *>()) {
        const QString tip = w->toolTip();
        if (tip.isEmpty()) continue;
        ++tips;
        QVERIFY2(!tip.at(0).isLower() || formula.match(tip).hasMatch(), qPrintable(w->objectName() + ": " + tip));
    }
    QVERIFY(tips >= 10);
    for (const char *name : {"hiddenActivation", "codeActivation", "outputActivation"}) {
        const auto *combo = panel.findChild<QComboBox *>(QString::fromLatin1(name));
        QVERIFY2(combo, name);
        QStringList items;
        for (int i = 0; i < combo->count(); ++i) items << combo->itemText(i);
        QCOMPARE(items, QStringList({"Linear", "Sigmoid", "Tanh", "ReLU"}));
    }
}

// A lesson may set exactly the settings that have a control in the panel (the row's `panel`; the variant
// is the lesson's own field), read as the row says; any other setting is an unknown field.
void TestSettingsTable::lessonSetting()
{
    QFETCH(int, i);
    const Case &c = cases()[size_t(i)];
    const ael::SettingRow &row = rowOf(c.key);
    const QString key = QString::fromUtf8(c.key), top = key.section(QLatin1Char('.'), 0, 0);
    QFile f(QStringLiteral(AELAB_SOURCE_DIR "/resources/lessons/lessons.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
    QJsonArray list = doc.value(QLatin1String("lessons")).toArray();
    QJsonObject first = list.at(0).toObject();
    const QJsonValue v = row.kind == ael::SettingKind::Choice ? QJsonValue(QString::fromStdString(row.names[size_t(c.value)]))
                                                              : QJsonValue(c.value);
    QJsonObject settings;
    if (key.contains(QLatin1Char('.'))) settings.insert(top, QJsonObject{{key.section(QLatin1Char('.'), 1), v}});
    else settings.insert(key, v);
    first.insert(QStringLiteral("settings"), settings);
    list.replace(0, first);
    doc.insert(QStringLiteral("lessons"), list);

    QString error;
    const std::vector<Lesson> lessons = parseLessons(QJsonDocument(doc).toJson(), QStringLiteral("t.json"), &error);
    if (row.panel == ael::PanelControl::None || key == QLatin1String("variant")) {
        QVERIFY(lessons.empty());
        QVERIFY2(error.contains(QStringLiteral("settings.%1: unknown field").arg(top)), qPrintable(error));
        return;
    }
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(row.get(lessons.front().settings), c.value);
}

QTEST_MAIN(TestSettingsTable)
#include "tst_settingstable.moc"
