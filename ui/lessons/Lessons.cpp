#include "ui/lessons/Lessons.h"

#include "core/train/SettingsTable.h"
#include "core/train/VariantPresets.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string_view>

namespace {

/// A problem in the table: the message names the field (the caller adds the file and the lesson).
struct TableError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const QString &field, const QString &what)
{
    throw TableError((field + QStringLiteral(": ") + what).toStdString());
}

QString text(const QJsonObject &o, const QString &key, bool required = true, bool mayBeEmpty = false)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) {
        if (required) fail(key, QStringLiteral("missing"));
        return {};
    }
    if (!v.isString()) fail(key, QStringLiteral("must be a string"));
    const QString s = v.toString().trimmed();
    if (s.isEmpty() && !mayBeEmpty) fail(key, QStringLiteral("is empty"));
    return s;
}

/// A number in [lo, hi] (the range of the control that shows it).
double number(const QJsonValue &v, const QString &field, double lo, double hi)
{
    if (!v.isDouble()) fail(field, QStringLiteral("must be a number"));
    const double x = v.toDouble();
    if (!std::isfinite(x) || x < lo || x > hi)
        fail(field, QStringLiteral("%1 is outside %2 … %3").arg(x).arg(lo).arg(hi));
    return x;
}

template <class Kind, class Parse>
Kind choice(const QJsonValue &v, const QString &field, Parse parse, const QString &choices)
{
    Kind k{};
    if (!v.isString() || !parse(v.toString().toStdString(), k))
        fail(field, QStringLiteral("must be one of %1").arg(choices));
    return k;
}

void checkKeys(const QJsonObject &o, const QString &where, const QStringList &allowed)
{
    for (const QString &k : o.keys())
        if (!allowed.contains(k))
            fail(where.isEmpty() ? k : where + QLatin1Char('.') + k,
                 QStringLiteral("unknown field (known: %1)").arg(allowed.join(QStringLiteral(", "))));
}

/// One setting of a lesson, read as its row of the settings table says: a choice by one of its names, a
/// number within its control's range (rounded to the control's step), a whole number within the engine's.
void readSetting(const ael::SettingRow &row, const QJsonValue &v, const QString &field, ael::TrainSettings &s)
{
    if (row.kind == ael::SettingKind::Choice) {
        const int i = v.isString() ? row.indexOf(v.toString().toStdString()) : -1;
        if (i < 0) {
            QStringList names;
            for (const std::string &n : row.names) names << QString::fromStdString(n);
            fail(field, QStringLiteral("must be one of %1").arg(names.join(QStringLiteral(", "))));
        }
        row.set(s, i);
        return;
    }
    const bool own = row.sliderHi > 0;
    double x = number(v, field, own ? row.sliderLo : row.lo, own ? row.sliderHi : row.hi);
    if (row.kind == ael::SettingKind::Whole && x != std::floor(x)) fail(field, QStringLiteral("must be a whole number"));
    if (row.step > 0) {  // e.g. whole percent: 0.4 stays the double nearest 0.4
        const double per = std::round(1 / row.step);
        x = std::round(x * per) / per;
    }
    row.set(s, x);
}

/// Lays the lesson's "settings" over the preset's: every setting that has a control in the panel (the
/// settings table's `panel`), except the variant, which is the lesson's own field. "corruption.kind"
/// nests as "corruption": {"kind": …}.
void overlaySettings(const QJsonObject &o, ael::TrainSettings &s)
{
    QStringList allowed;
    std::vector<const ael::SettingRow *> rows;
    for (const ael::SettingRow &row : ael::settingsTable())
        if (row.panel != ael::PanelControl::None && std::string_view(row.key) != "variant") {
            rows.push_back(&row);
            const QString top = QString::fromUtf8(row.key).section(QLatin1Char('.'), 0, 0);
            if (!allowed.contains(top)) allowed << top;
        }
    checkKeys(o, QStringLiteral("settings"), allowed);
    for (const QString &top : allowed) {  // a nested group must be an object of its rows' leaves
        QStringList leaves;
        for (const ael::SettingRow *row : rows)
            if (QString::fromUtf8(row->key).startsWith(top + QLatin1Char('.')))
                leaves << QString::fromUtf8(row->key).section(QLatin1Char('.'), 1);
        if (leaves.isEmpty() || !o.contains(top)) continue;
        if (!o.value(top).isObject())
            fail(QStringLiteral("settings.") + top, QStringLiteral("must be an object {\"%1\": …}").arg(leaves.join(QStringLiteral("\": …, \""))));
        checkKeys(o.value(top).toObject(), QStringLiteral("settings.") + top, leaves);
    }
    for (const ael::SettingRow *row : rows) {
        const QString key = QString::fromUtf8(row->key), top = key.section(QLatin1Char('.'), 0, 0);
        const QJsonObject holder = key.contains(QLatin1Char('.')) ? o.value(top).toObject() : o;
        const QString leaf = key.section(QLatin1Char('.'), -1);
        if (holder.contains(leaf)) readSetting(*row, holder.value(leaf), QStringLiteral("settings.") + key, s);
    }
}

ael::Architecture parseArchitecture(const QJsonObject &o, ael::Architecture a)
{
    std::string why;
    if (!ael::Architecture::parseSpec(text(o, QStringLiteral("arch")).toStdString(), a, &why))
        fail(QStringLiteral("arch"), QString::fromStdString(why));
    std::vector<int> mirrored(a.encoderHidden.rbegin(), a.encoderHidden.rend());
    if (a.decoderHidden != mirrored)  // the control panel edits one list of hidden widths, mirrored
        fail(QStringLiteral("arch"), QStringLiteral("the decoder's hidden widths must mirror the encoder's"));
    if (o.contains(QLatin1String("activations"))) {
        const QJsonValue av = o.value(QLatin1String("activations"));
        if (!av.isObject()) fail(QStringLiteral("activations"), QStringLiteral("must be an object"));
        const QJsonObject acts = av.toObject();
        checkKeys(acts, QStringLiteral("activations"), {QStringLiteral("hidden"), QStringLiteral("code"), QStringLiteral("output")});
        const QString names = QStringLiteral("linear, sigmoid, tanh, relu");
        if (acts.contains(QLatin1String("hidden")))
            a.hidden = choice<ael::ActivationKind>(acts.value(QLatin1String("hidden")), QStringLiteral("activations.hidden"),
                                                   ael::parseActivation, names);
        if (acts.contains(QLatin1String("code")))
            a.codeActivation = choice<ael::ActivationKind>(acts.value(QLatin1String("code")), QStringLiteral("activations.code"),
                                                           ael::parseActivation, names);
        if (acts.contains(QLatin1String("output")))
            a.output = choice<ael::ActivationKind>(acts.value(QLatin1String("output")), QStringLiteral("activations.output"),
                                                   ael::parseActivation, names);
    }
    if (o.contains(QLatin1String("tied"))) {
        if (!o.value(QLatin1String("tied")).isBool()) fail(QStringLiteral("tied"), QStringLiteral("must be true or false"));
        a.tied = o.value(QLatin1String("tied")).toBool();
    }
    a.variational = false;  // the engine sets it from the variant
    if (std::string w = a.validate(); !w.empty()) fail(QStringLiteral("arch"), QString::fromStdString(w));
    return a;
}

Lesson parseLesson(const QJsonObject &o, int number)
{
    checkKeys(o, {}, {QStringLiteral("id"), QStringLiteral("title"), QStringLiteral("formula"), QStringLiteral("text"),
                      QStringLiteral("watch"), QStringLiteral("data"), QStringLiteral("variant"), QStringLiteral("arch"),
                      QStringLiteral("activations"), QStringLiteral("tied"), QStringLiteral("settings"),
                      QStringLiteral("docks"), QStringLiteral("demo"), QStringLiteral("views")});
    Lesson l;
    l.number = number;
    l.id = text(o, QStringLiteral("id"));
    if (!QRegularExpression(QStringLiteral("^[a-z0-9-]+$")).match(l.id).hasMatch())
        fail(QStringLiteral("id"), QStringLiteral("'%1' must be lower-case letters, digits and '-'").arg(l.id));
    l.title = text(o, QStringLiteral("title"));
    l.formula = text(o, QStringLiteral("formula"));
    l.text = text(o, QStringLiteral("text"));
    l.watch = text(o, QStringLiteral("watch"));
    l.dataId = text(o, QStringLiteral("data"));
    const ael::Variant v = choice<ael::Variant>(o.value(QLatin1String("variant")), QStringLiteral("variant"), ael::parseVariant,
                                                QStringLiteral("undercomplete, overcomplete, sparse, denoising, contractive, variational"));
    const ael::VariantPreset preset = ael::variantPreset(v, 784);
    l.settings = preset.settings;  // TrainSettings{} with the variant's fields
    l.arch = parseArchitecture(o, preset.arch);
    if (o.contains(QLatin1String("settings"))) {
        if (!o.value(QLatin1String("settings")).isObject()) fail(QStringLiteral("settings"), QStringLiteral("must be an object"));
        overlaySettings(o.value(QLatin1String("settings")).toObject(), l.settings);
    }
    ael::Architecture trained = l.arch;
    trained.variational = v == ael::Variant::Variational;
    if (std::string w = l.settings.validate(trained); !w.empty()) fail(QStringLiteral("settings"), QString::fromStdString(w));

    const QJsonValue docks = o.value(QLatin1String("docks"));
    if (!docks.isUndefined() && !docks.isArray()) fail(QStringLiteral("docks"), QStringLiteral("must be a list of dock names"));
    for (const QJsonValue &d : docks.toArray()) {
        if (!d.isString() || lessonDockName(d.toString()).isEmpty())
            fail(QStringLiteral("docks"), QStringLiteral("every entry must be a dock's object name, e.g. \"insideDock\""));
        l.docks << d.toString();
    }
    const QJsonValue views = o.value(QLatin1String("views"));
    if (!views.isUndefined() && !views.isArray()) fail(QStringLiteral("views"), QStringLiteral("must be a list of view names"));
    for (const QJsonValue &v : views.toArray()) {
        if (v != QLatin1String("codeScatter") && v != QLatin1String("pcaComparison"))
            fail(QStringLiteral("views"), QStringLiteral("every entry must be \"codeScatter\" or \"pcaComparison\""));
        l.views << v.toString();
    }
    l.demo = text(o, QStringLiteral("demo"), false, true);
    if (!l.demo.isEmpty() && !QRegularExpression(QStringLiteral("^[a-z0-9-]+$")).match(l.demo).hasMatch())
        fail(QStringLiteral("demo"), QStringLiteral("'%1' is not a demo id").arg(l.demo));
    return l;
}

}  // namespace

QString lessonDockName(const QString &entry) { return entry.section(QLatin1Char('/'), 0, 0).trimmed(); }
QString lessonDockTab(const QString &entry) { return entry.section(QLatin1Char('/'), 1).trimmed(); }

std::vector<Lesson> parseLessons(const QByteArray &json, const QString &source, QString *error)
{
    auto bad = [&](const QString &why) {
        if (error) *error = source + QStringLiteral(": ") + why;
        return std::vector<Lesson>{};
    };
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError)
        return bad(QStringLiteral("not valid JSON at byte %1: %2").arg(pe.offset).arg(pe.errorString()));
    if (!doc.isObject() || !doc.object().value(QLatin1String("lessons")).isArray())
        return bad(QStringLiteral("expected an object with a \"lessons\" list"));
    const QJsonArray list = doc.object().value(QLatin1String("lessons")).toArray();
    if (list.isEmpty()) return bad(QStringLiteral("the \"lessons\" list is empty"));
    std::vector<Lesson> out;
    QSet<QString> ids;
    for (int i = 0; i < list.size(); ++i) {
        const QJsonObject o = list.at(i).toObject();
        const QString name = o.value(QLatin1String("id")).isString() ? QStringLiteral(" (%1)").arg(o.value(QLatin1String("id")).toString())
                                                                      : QString();
        if (!list.at(i).isObject()) return bad(QStringLiteral("lesson %1: must be an object").arg(i + 1));
        try {
            Lesson l = parseLesson(o, i + 1);
            if (ids.contains(l.id)) fail(QStringLiteral("id"), QStringLiteral("'%1' is used twice").arg(l.id));
            ids.insert(l.id);
            out.push_back(std::move(l));
        } catch (const TableError &e) {
            return bad(QStringLiteral("lesson %1%2: %3").arg(i + 1).arg(name, QString::fromUtf8(e.what())));
        }
    }
    if (error) error->clear();
    return out;
}

namespace {
struct Builtin {
    std::vector<Lesson> lessons;
    QString error;
};
const Builtin &builtin()
{
    static const Builtin b = [] {
        Builtin r;
        const QString path = QStringLiteral(":/lessons/lessons.json");
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            r.error = QStringLiteral("%1: cannot be opened (not embedded in this build?)").arg(path);
            return r;
        }
        r.lessons = parseLessons(f.readAll(), QStringLiteral("lessons.json"), &r.error);
        return r;
    }();
    return b;
}
}  // namespace

const std::vector<Lesson> &builtinLessons() { return builtin().lessons; }
QString builtinLessonsError() { return builtin().error; }
