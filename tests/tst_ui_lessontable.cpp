// The lesson table (resources/lessons/lessons.json): it is embedded as written and parses into eight valid
// lessons whose fields the engine will get, each naming docks and demos that exist and the colours the chart
// draws; a broken table fails, naming the lesson and the field. (The lessons in the window: tst_ui_lessons.)
#include "core/data/Catalog.h"
#include "ui/lessons/Lessons.h"
#include "ui/views/LossChartView.h"
#include "ui/window/MainWindow.h"
#include "LessonsTestKit.h"

#include <QDockWidget>
#include <QLineSeries>
#include <QRegularExpression>
#include <QSet>
#include <QTabWidget>
#include <QtTest>

#include <memory>

using lessonstest::rawLessons;
using lessonstest::readFile;

namespace {
/// The demo ids LessonDemo.h documents (the lines `///   "id"   what it shows`).
QSet<QString> documentedDemoIds()
{
    QSet<QString> ids;
    const QString header = QString::fromUtf8(readFile(QStringLiteral(AELAB_SOURCE_DIR "/ui/lessons/LessonDemo.h")));
    const QRegularExpression re(QStringLiteral("^///\\s+\"([a-z0-9-]+)\""), QRegularExpression::MultilineOption);
    for (auto it = re.globalMatch(header); it.hasNext();) ids.insert(it.next().captured(1));
    return ids;
}
}  // namespace

class TestLessonTable : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void tableParses();
    void coloursNamedAreTheChartsColours();
    void malformedTableFails_data();
    void malformedTableFails();

private:
    std::unique_ptr<MainWindow> m_w;  ///< the docks and the chart the lessons name
};

void TestLessonTable::initTestCase()
{
    MainWindow::Options o;
    o.restoreSettings = false;
    m_w = std::make_unique<MainWindow>(o);
}

// "Watch: the blue test-MSE curve …" when the chart draws the test MSE in green (and L in blue) sent a class
// to the wrong curve. Every "<colour> <curve>" in a lesson must name the colour the chart draws.
void TestLessonTable::coloursNamedAreTheChartsColours()
{
    auto *chart = m_w->findChild<LossChartView *>();
    QVERIFY(chart);
    const auto colourName = [](const QColor &c) {
        const int h = c.hsvHue();
        return h >= 190 && h <= 250 ? QStringLiteral("blue") : h >= 90 && h < 190 ? QStringLiteral("green")
                                                              : h >= 15 && h <= 45 ? QStringLiteral("orange")
                                                                                   : QStringLiteral("other");
    };
    const QRegularExpression phrase(QStringLiteral("\\b(blue|green|orange|red|pink|purple|grey|gray|black)\\s+(test[- ]MSE|reconstruction|PCA)"),
                                    QRegularExpression::CaseInsensitiveOption);
    int named = 0;
    for (const Lesson &l : builtinLessons())
        for (const QString &t : {l.title, l.text, l.watch}) {
            for (auto it = phrase.globalMatch(t); it.hasNext();) {
                const QRegularExpressionMatch m = it.next();
                const QString curve = m.captured(2).toLower();
                const QString key = curve.startsWith(QLatin1String("test")) ? QStringLiteral("test")
                                    : curve == QLatin1String("pca")         ? QStringLiteral("pca")
                                                                            : QStringLiteral("train");
                QVERIFY(chart->series(key));
                QVERIFY2(m.captured(1).toLower() == colourName(chart->series(key)->color()),
                         qPrintable(QStringLiteral("lesson %1: \"%2\", but the chart draws it %3")
                                        .arg(l.number).arg(m.captured(0), colourName(chart->series(key)->color()))));
                ++named;
            }
        }
    QVERIFY(named > 0);  // the check saw the lessons' colour words
}

void TestLessonTable::tableParses()
{
    QFile res(QStringLiteral(":/lessons/lessons.json"));
    QVERIFY2(res.open(QIODevice::ReadOnly), "the lesson table is not embedded");
    QCOMPARE(res.readAll(), readFile(QStringLiteral(AELAB_SOURCE_DIR "/resources/lessons/lessons.json")));

    const std::vector<Lesson> &lessons = builtinLessons();
    QVERIFY2(builtinLessonsError().isEmpty(), qPrintable(builtinLessonsError()));
    QCOMPARE(int(lessons.size()), 8);
    const QJsonArray raw = rawLessons();
    QCOMPARE(raw.size(), 8);
    const QSet<QString> demos = documentedDemoIds();
    QVERIFY(demos.contains(QStringLiteral("noise-copy")));  // the header's list was found
    QSet<QString> ids, sources;
    for (const ael::DataSource &s : ael::availableDataSources()) sources.insert(QString::fromStdString(s.id));
    for (int i = 0; i < 8; ++i) {
        const Lesson &l = lessons[size_t(i)];
        const QJsonObject o = raw.at(i).toObject();
        QCOMPARE(l.number, i + 1);
        QVERIFY2(!ids.contains(l.id), qPrintable(l.id));
        ids.insert(l.id);
        QCOMPARE(l.id, o.value(QLatin1String("id")).toString());
        for (const QString &t : {l.title, l.formula, l.text, l.watch}) QVERIFY(t.size() > 5);
        // "two or three sentences"
        const qsizetype sentences = l.text.count(QRegularExpression(QStringLiteral("[.:!?](\\s|$)")));
        QVERIFY2(sentences >= 2 && sentences <= 4, qPrintable(l.text));
        QVERIFY2(sources.contains(l.dataId), qPrintable(l.dataId));
        QCOMPARE(QString::fromLatin1(ael::toString(l.settings.variant)), o.value(QLatin1String("variant")).toString());
        QCOMPARE(QString::fromStdString(l.arch.spec()), o.value(QLatin1String("arch")).toString());
        ael::Architecture reparsed;
        QVERIFY(ael::Architecture::parseSpec(l.arch.spec(), reparsed, nullptr));
        QVERIFY(l.arch.validate().empty());
        QVERIFY2(l.demo.isEmpty() || demos.contains(l.demo), qPrintable(l.demo));
        for (const QString &entry : l.docks) {
            const QString name = lessonDockName(entry);
            auto *dock = m_w->findChild<QDockWidget *>(name);
            QVERIFY2(dock, qPrintable(QStringLiteral("lesson %1: no dock %2").arg(i + 1).arg(name)));
            if (!dock || lessonDockTab(entry).isEmpty()) continue;
            auto *tabs = qobject_cast<QTabWidget *>(dock->widget());
            QVERIFY2(tabs, qPrintable(entry));
            bool found = false;
            for (int t = 0; t < tabs->count(); ++t) found |= tabs->tabText(t).remove(QLatin1Char('&')) == lessonDockTab(entry);
            QVERIFY2(found, qPrintable(entry));
        }
    }
    // The lecture's points that need particular settings.
    const Lesson &linear = lessons[1];
    QCOMPARE(linear.arch.hidden, ael::ActivationKind::Linear);
    QCOMPARE(linear.arch.codeActivation, ael::ActivationKind::Linear);
    QCOMPARE(linear.arch.output, ael::ActivationKind::Linear);
    QCOMPARE(linear.settings.loss, ael::LossKind::MSE);
    QVERIFY(linear.arch.code >= 4 && linear.arch.code <= 8);
    QVERIFY(lessons[2].arch.code > lessons[2].arch.input);           // overcomplete
    QCOMPARE(lessons[2].settings.variant, ael::Variant::Overcomplete);  // no regularizer
    QCOMPARE(lessons[4].settings.corruption.kind, ael::CorruptionKind::Masking);
    QVERIFY(lessons[4].settings.corruption.rate >= 0.3 && lessons[4].settings.corruption.rate <= 0.5);
    QCOMPARE(lessons[0].arch.code, 2);
}

void TestLessonTable::malformedTableFails_data()
{
    QTest::addColumn<QString>("field");  // a dotted path into lesson 1 ("" = the document itself)
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("message");  // part of the expected error
    QTest::newRow("unknown variant") << "variant" << QJsonValue("sparce") << "lesson 1 (ae-vs-pca): variant: must be one of";
    QTest::newRow("bad spec") << "arch" << QJsonValue("784-[2]-783") << "arch: bad architecture";
    QTest::newRow("uneven hidden") << "arch" << QJsonValue("784-256-[2]-128-784") << "mirror";
    QTest::newRow("lr too large") << "settings.learningRate" << QJsonValue(5.0) << "settings.learningRate: 5 is outside";
    QTest::newRow("λ below its slider") << "settings.sparsityWeight" << QJsonValue(1e-6) << "settings.sparsityWeight: 1e-06 is outside 1e-05 … 1";
    QTest::newRow("contractive λ above") << "settings.contractiveLambda" << QJsonValue(2.0) << "settings.contractiveLambda: 2 is outside";
    QTest::newRow("β above its slider") << "settings.beta" << QJsonValue(50.0) << "settings.beta: 50 is outside 0.01 … 10";
    QTest::newRow("lr as text") << "settings.learningRate" << QJsonValue("fast") << "settings.learningRate: must be a number";
    QTest::newRow("fractional batch") << "settings.batchSize" << QJsonValue(64.5) << "settings.batchSize: must be a whole";
    QTest::newRow("typo in settings") << "settings.learningrate" << QJsonValue(0.001) << "settings.learningrate: unknown field";
    QTest::newRow("typo in lesson") << "titel" << QJsonValue("x") << "titel: unknown field";
    QTest::newRow("empty title") << "title" << QJsonValue("  ") << "title: is empty";
    QTest::newRow("bad activation") << "activations.code" << QJsonValue("softmax") << "activations.code: must be one of";
    QTest::newRow("tied with hidden layers") << "tied" << QJsonValue(true) << "tied weights";
    QTest::newRow("duplicate id") << "id" << QJsonValue("sparse") << "lesson 4 (sparse): id: 'sparse' is used twice";
    QTest::newRow("docks not a list") << "docks" << QJsonValue("pcaDock") << "docks: must be a list";
    QTest::newRow("views not a list") << "views" << QJsonValue("pcaComparison") << "views: must be a list";
    QTest::newRow("unknown view") << "views" << QJsonValue(QJsonArray{"pcaView"}) << "views: every entry must be \"codeScatter\" or \"pcaComparison\"";
    QTest::newRow("not JSON") << "" << QJsonValue() << "not valid JSON";
}

void TestLessonTable::malformedTableFails()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(QString, message);
    QByteArray json;
    if (field.isEmpty()) {
        json = readFile(QStringLiteral(":/lessons/lessons.json"));
        json.chop(json.size() - json.lastIndexOf('}'));  // the closing brace is gone
    } else {
        QJsonObject doc = QJsonDocument::fromJson(readFile(QStringLiteral(":/lessons/lessons.json"))).object();
        QJsonArray list = doc.value(QLatin1String("lessons")).toArray();
        QJsonObject first = list.at(0).toObject();
        const QStringList path = field.split(QLatin1Char('.'));
        if (path.size() == 2) {
            QJsonObject inner = first.value(path[0]).toObject();
            inner.insert(path[1], value);
            first.insert(path[0], inner);
        } else {
            first.insert(field, value);
        }
        list.replace(0, first);
        doc.insert(QStringLiteral("lessons"), list);
        json = QJsonDocument(doc).toJson();
    }
    QString error;
    const std::vector<Lesson> parsed = parseLessons(json, QStringLiteral("test.json"), &error);
    QVERIFY(parsed.empty());
    QVERIFY2(error.startsWith(QLatin1String("test.json: ")), qPrintable(error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

QTEST_MAIN(TestLessonTable)
#include "tst_ui_lessontable.moc"
