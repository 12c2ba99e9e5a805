// The term table (core/train/TermTable): each row names its regularizer, acts for the settings and
// models it claims, takes its weights from the settings, and the Trainer adds exactly the rows that act.
#include "DataTestKit.h"
#include "core/regularizers/Regularizer.h"
#include "core/train/SettingsTable.h"
#include "core/train/TermTable.h"
#include "core/train/Trainer.h"

#include <QtTest>

#include <set>

using namespace ael;

namespace {

Architecture arch(const char *spec, ActivationKind code = ActivationKind::Linear)
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec(spec, a, &err)) qFatal("bad spec %s: %s", spec, err.c_str());
    a.codeActivation = code;
    return a;
}

Matrix batch(int d, int n)
{
    Rng rng(3);
    Matrix X(d, n);
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < d; ++i) X(i, j) = float(rng.uniform());
    return X;
}

QStringList names(const std::vector<TermValue> &terms)
{
    QStringList out;
    for (const TermValue &t : terms) out << QString::fromStdString(t.name);
    return out;
}

}  // namespace

class TestTerms : public QObject {
    Q_OBJECT
private slots:
    void rowsNameTheirTerms();
    void trainerAddsTheRowsThatAct_data();
    void trainerAddsTheRowsThatAct();
    void weightsComeFromTheSettings_data();
    void weightsComeFromTheSettings();
    void klTargetComesFromTheSettings();
};

void TestTerms::rowsNameTheirTerms()
{
    std::set<std::string> seen;
    QVERIFY(termTable().size() >= 5);
    for (const TermRow &row : termTable()) {
        QVERIFY2(seen.insert(row.name).second, row.name);
        QCOMPARE(QString::fromStdString(row.make(1)->name()), QString(row.name));
        QVERIFY2(std::strlen(row.legend) > 0 && std::strlen(row.tooltip) > 20, row.name);
        QCOMPARE(findTerm(row.name), &row);
    }
    QCOMPARE(findTerm("reconstruction"), nullptr);
    QCOMPARE(findTerm(""), nullptr);
}

// One step of a Trainer names the terms it added; they must be the rows that act, and only those.
void TestTerms::trainerAddsTheRowsThatAct_data()
{
    QTest::addColumn<int>("variant");
    QTest::addColumn<int>("sparsity");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("expected");
    const int l1 = int(SparsityKind::L1), kl = int(SparsityKind::KL);
    QTest::newRow("undercomplete") << int(Variant::Undercomplete) << l1 << "64-[8]-64" << QStringList{};
    QTest::newRow("overcomplete") << int(Variant::Overcomplete) << l1 << "64-[80]-64" << QStringList{};
    QTest::newRow("denoising") << int(Variant::Denoising) << l1 << "64-[8]-64" << QStringList{};
    QTest::newRow("sparse L1") << int(Variant::Sparse) << l1 << "64-[80]-64" << QStringList{"sparsity_l1"};
    QTest::newRow("sparse KL") << int(Variant::Sparse) << kl << "64-[80]-64" << QStringList{"sparsity_kl"};
    QTest::newRow("contractive, one layer") << int(Variant::Contractive) << l1 << "64-[8]-64"
                                            << QStringList{"contractive"};
    QTest::newRow("contractive, deeper") << int(Variant::Contractive) << l1 << "64-16-[8]-16-64"
                                         << QStringList{"contractive_est"};
    QTest::newRow("variational") << int(Variant::Variational) << l1 << "64-16-[2]-16-64" << QStringList{"kl"};
    // A choice that belongs to another variant changes nothing.
    QTest::newRow("undercomplete with KL chosen") << int(Variant::Undercomplete) << kl << "64-[8]-64" << QStringList{};
}

void TestTerms::trainerAddsTheRowsThatAct()
{
    QFETCH(int, variant);
    QFETCH(int, sparsity);
    QFETCH(QString, spec);
    QFETCH(QStringList, expected);
    const Dataset d = datatest::synthetic(96, 8, 8);
    TrainSettings s;
    s.batchSize = 32;
    s.variant = Variant(variant);
    s.sparsity = SparsityKind(sparsity);
    const ActivationKind code = s.sparsity == SparsityKind::KL ? ActivationKind::Sigmoid : ActivationKind::Linear;
    Trainer t(arch(spec.toUtf8().constData(), code), s, d, 1);
    const StepResult r = t.step();
    QCOMPARE(names(r.terms), expected);
    double sum = r.reconstruction;
    for (const TermValue &v : r.terms) {
        QVERIFY2(v.value > 0, v.name.c_str());
        sum += v.value;
    }
    QCOMPARE(r.total, sum);
}

// Each row's weight is a row of the settings table; doubling it doubles the term (every Ω is linear in
// its weight). Two instances made with the same seed draw the same noise (the contractive estimate).
void TestTerms::weightsComeFromTheSettings_data()
{
    QTest::addColumn<QString>("term");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("weightKey");
    QTest::addColumn<bool>("variational");
    QTest::newRow("sparsity_l1") << "sparsity_l1" << "64-[8]-64" << "sparsityWeight" << false;
    QTest::newRow("sparsity_kl") << "sparsity_kl" << "64-[8]-64" << "sparsityWeight" << false;
    QTest::newRow("contractive") << "contractive" << "64-[8]-64" << "contractiveLambda" << false;
    QTest::newRow("contractive_est") << "contractive_est" << "64-16-[8]-16-64" << "contractiveLambda" << false;
    QTest::newRow("kl") << "kl" << "64-16-[2]-16-64" << "beta" << true;
}

void TestTerms::weightsComeFromTheSettings()
{
    QFETCH(QString, term);
    QFETCH(QString, spec);
    QFETCH(QString, weightKey);
    QFETCH(bool, variational);
    const TermRow *row = findTerm(term.toStdString());
    QVERIFY(row);
    const SettingRow *weight = settingRow(weightKey.toStdString());
    QVERIFY(weight);

    Architecture a = arch(spec.toUtf8().constData(), ActivationKind::Sigmoid);
    a.variational = variational;
    Model<float> m(a);
    Rng init(2);
    m.initialize(init);
    ForwardPass<float> p;
    Rng noise(4);
    const Matrix x = batch(64, 20);  // the pass keeps a pointer to its input
    m.forward(x, p, variational ? &noise : nullptr);

    TrainSettings s;
    weight->set(s, 0.01);
    const auto once = row->make(9);
    row->configure(*once, s);
    weight->set(s, 0.02);
    const auto twice = row->make(9);
    row->configure(*twice, s);
    const double v1 = once->evaluate(m, p), v2 = twice->evaluate(m, p);
    QVERIFY2(v1 > 0, qPrintable(QString::number(v1)));
    QVERIFY2(std::abs(v2 / v1 - 2.0) < 1e-5, qPrintable(QString("%1 / %2").arg(v2).arg(v1)));
}

void TestTerms::klTargetComesFromTheSettings()
{
    const TermRow *row = findTerm("sparsity_kl");
    QVERIFY(row);
    Model<float> m(arch("64-[8]-64", ActivationKind::Sigmoid));
    Rng init(2);
    m.initialize(init);
    ForwardPass<float> p;
    const Matrix x = batch(64, 20);
    m.forward(x, p);
    // ρ̂ of the sigmoid codes is near ½: a target of ½ costs almost nothing, 0.05 much more.
    TrainSettings s;
    s.sparsityTarget = 0.5;
    const auto near = row->make(1);
    row->configure(*near, s);
    s.sparsityTarget = 0.05;
    const auto far = row->make(1);
    row->configure(*far, s);
    QVERIFY2(far->evaluate(m, p) > 10 * near->evaluate(m, p),
             qPrintable(QString("%1 vs %2").arg(far->evaluate(m, p)).arg(near->evaluate(m, p))));
}

QTEST_GUILESS_MAIN(TestTerms)
#include "tst_terms.moc"
