// The training worker's pure marker functions: the label of a settings change (which fields, how
// numbers are written), the status-bar line of a variant switch, and the debouncing that turns a
// slider drag into one marker while any other change is a marker at once. Times are given, not
// measured, so every case is exact.
#include "ui/training/SettingsChange.h"
#include "core/losses/Loss.h"

#include <QtTest>

using namespace settings_change;

namespace {

/// Applies "field=value" to s: lr, momentum, batch, loss, variant, kind (corruption), rate
/// (corruption), beta, lambda.
void apply(ael::TrainSettings &s, const QString &assignment)
{
    const QString field = assignment.section(QLatin1Char('='), 0, 0), value = assignment.section(QLatin1Char('='), 1);
    if (field == QLatin1String("lr")) s.opt.learningRate = value.toDouble();
    else if (field == QLatin1String("momentum")) s.opt.momentum = value.toDouble();
    else if (field == QLatin1String("batch")) s.batchSize = value.toInt();
    else if (field == QLatin1String("loss")) QVERIFY(ael::parseLoss(value.toStdString(), s.loss));
    else if (field == QLatin1String("variant")) QVERIFY(ael::parseVariant(value.toStdString(), s.variant));
    else if (field == QLatin1String("kind")) s.corruption.kind = value == QLatin1String("gaussian") ? ael::CorruptionKind::Gaussian : ael::CorruptionKind::Masking;
    else if (field == QLatin1String("rate")) s.corruption.rate = value.toDouble();
    else if (field == QLatin1String("beta")) s.beta = value.toDouble();
    else if (field == QLatin1String("lambda")) s.contractiveLambda = value.toDouble();
    else QFAIL(qPrintable(QStringLiteral("unknown field ") + field));
}

ael::TrainSettings with(const QString &assignments)
{
    ael::TrainSettings s;
    for (const QString &a : assignments.split(QLatin1Char(' '), Qt::SkipEmptyParts)) apply(s, a);
    return s;
}

QString str(const QVector<ChangeMarker> &ms)
{
    QStringList out;
    for (const ChangeMarker &m : ms) out << QStringLiteral("%1:%2").arg(m.step).arg(m.label);
    return out.join(QStringLiteral(" | "));
}

}  // namespace

class TestUiMarkers : public QObject {
    Q_OBJECT
private slots:
    void describeChange_data();
    void describeChange();
    void switchMessage_data();
    void switchMessage();
    void debounce_data();
    void debounce();
    void secondsLeftCountsFromTheLastChange();
};

void TestUiMarkers::describeChange_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("label");
    QTest::addColumn<uint>("mask");
    QTest::newRow("nothing") << "lr=0.01" << "lr=0.01" << "" << 0u;
    QTest::newRow("lr, 2 digits") << "" << "lr=0.012345" << "lr 0.012" << changeBit("learningRate");
    QTest::newRow("batch") << "" << "batch=32" << "batch 32" << changeBit("batchSize");
    QTest::newRow("loss upper") << "" << "loss=bce" << "loss BCE" << changeBit("loss");
    QTest::newRow("variant") << "" << "variant=denoising" << "→ denoising" << changeBit("variant");
    QTest::newRow("masking rate %") << "kind=masking" << "kind=masking rate=0.5" << "corruption 50 %" << changeBit("corruption.rate");
    QTest::newRow("gaussian σ") << "kind=gaussian" << "kind=gaussian rate=0.25" << "σ 0.25" << changeBit("corruption.rate");
    QTest::newRow("two, in order") << "" << "beta=10 variant=variational" << "→ variational, β 10" << (changeBit("variant") | changeBit("beta"));
    QTest::newRow("λ") << "" << "lambda=0.1" << "λ 0.1" << changeBit("contractiveLambda");
}

void TestUiMarkers::describeChange()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, label);
    QFETCH(uint, mask);
    unsigned m = 12345;
    QCOMPARE(settings_change::describeChange(with(from), with(to), &m), label);
    QCOMPARE(m, mask);
}

void TestUiMarkers::switchMessage_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("message");
    QTest::newRow("same variant") << "variant=sparse lr=0.1" << "variant=sparse" << "";
    QTest::newRow("plain switch") << "variant=sparse" << "variant=denoising" << "switched to denoising";
    QTest::newRow("to variational")
        << "variant=sparse" << "variant=variational"
        << "switched to variational: every layer kept but the code layer, which was re-initialised (it now gives μ and log σ²)";
    QTest::newRow("from variational")
        << "variant=variational" << "variant=contractive"
        << "switched to contractive: every layer kept but the code layer, which was re-initialised (it now gives the code h)";
}

void TestUiMarkers::switchMessage()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, message);
    QCOMPARE(settings_change::switchMessage(with(from), with(to)), message);
}

// Each event is "TIME STEP field=value ..." (the engine's settings change; the fields accumulate on
// top of the previous event's settings) or "TIME tick". The markers out of every call, in order.
void TestUiMarkers::debounce_data()
{
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<QString>("markers");
    QTest::newRow("instant field at once") << QStringList{"0 10 batch=32"} << "10:batch 32";
    QTest::newRow("a drag is one marker, after resting")
        << QStringList{"0 10 lr=0.004", "0.1 12 lr=0.005", "0.2 14 lr=0.01", "0.45 tick", "0.5 tick", "0.9 tick"}
        << "10:lr 0.01";
    QTest::newRow("not before it rests") << QStringList{"0 10 lr=0.004", "0.29 tick"} << "";
    QTest::newRow("rested exactly 0.3 s") << QStringList{"0 10 lr=0.004", "0.3 tick"} << "10:lr 0.004";
    QTest::newRow("a drag back to the start: no marker")
        << QStringList{"0 10 lr=0.004", "0.1 11 lr=0.002", "1 tick"} << "";
    QTest::newRow("instant change closes the drag first")
        << QStringList{"0 10 lr=0.004", "0.1 20 loss=bce", "1 tick"} << "10:lr 0.004 | 20:loss BCE";
    QTest::newRow("another settling field closes the drag")
        << QStringList{"0 10 lr=0.004", "0.1 20 beta=2", "1 tick"} << "10:lr 0.004 | 20:β 2";
    QTest::newRow("the same field goes on") << QStringList{"0 10 beta=2", "0.2 20 beta=3", "0.4 30 beta=4", "0.8 tick"}
                                            << "10:β 4";
    QTest::newRow("two drags apart")
        << QStringList{"0 10 lr=0.004", "0.5 tick", "1 30 lr=0.003", "2 tick"} << "10:lr 0.004 | 30:lr 0.003";
    QTest::newRow("nothing changed") << QStringList{"0 10 lr=0.002", "1 tick"} << "";
}

void TestUiMarkers::debounce()
{
    QFETCH(QStringList, events);
    QFETCH(QString, markers);
    MarkerDebounce d;
    ael::TrainSettings current;
    QVector<ChangeMarker> out;
    for (const QString &e : events) {
        const QStringList f = e.split(QLatin1Char(' '));
        const double now = f[0].toDouble();
        if (f[1] == QLatin1String("tick")) {
            out += d.tick(current, now);
            continue;
        }
        ael::TrainSettings next = current;
        for (int i = 2; i < f.size(); ++i) apply(next, f[i]);
        out += d.change(current, next, f[1].toLongLong(), now);
        current = next;
    }
    QCOMPARE(str(out), markers);
}

void TestUiMarkers::secondsLeftCountsFromTheLastChange()
{
    MarkerDebounce d;
    QCOMPARE(d.secondsLeft(5.0), -1.0);
    d.change(with(""), with("lr=0.01"), 1, 5.0);
    QCOMPARE(d.secondsLeft(5.0), 0.3);
    d.change(with("lr=0.01"), with("lr=0.02"), 2, 5.2);
    QCOMPARE(d.secondsLeft(5.3), 0.2);
    QCOMPARE(d.secondsLeft(9.0), 0.0);
    QCOMPARE(str(d.tick(with("lr=0.02"), 9.0)), QStringLiteral("1:lr 0.02"));
    QCOMPARE(d.secondsLeft(9.0), -1.0);
    d.change(with(""), with("lr=0.01"), 1, 10.0);
    d.clear();
    QCOMPARE(d.tick(with("lr=0.01"), 20.0).size(), 0);
}

QTEST_MAIN(TestUiMarkers)
#include "tst_ui_markers.moc"
