// Memory estimates made before a request (core/train/Memory.h): hand-counted bytes for small models,
// saturation instead of wrap-around for absurd ones, and AELAB_MEMORY_LIMIT, which emulates a
// smaller machine (the window's tests use it to make a model too large to build).
#include "core/train/Memory.h"

#include <QtTest>

#include <cstdlib>
#include <limits>

using namespace ael;

namespace {

Architecture arch(const char *spec)
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    return a;
}

/// Sets an environment variable for the scope of one test.
struct EnvVar {
    EnvVar(const char *name, const QByteArray &value) : name(name) { qputenv(name, value); }
    ~EnvVar() { qunsetenv(name); }
    const char *name;
};

}  // namespace

class TestMemory : public QObject {
    Q_OBJECT
private slots:
    void forwardBytesCountsEveryLayer()
    {
        // 4-[2]-4: the layers' outputs are 2 and 4 wide, plus the input: 10 units, z and f(z), float.
        QCOMPARE(forwardBytes(arch("4-[2]-4"), 3), size_t(10 * 3 * 2 * 4));
        QCOMPARE(forwardBytes(arch("4-[2]-4"), 0), size_t(0));
    }

    void trainingBytes_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("batch");
        QTest::addColumn<bool>("adam");
        QTest::addColumn<qulonglong>("bytes");
        // 4-[2]-4: (4·2 + 2) + (2·4 + 4) = 22 parameters. Adam: 7 floats each (value, gradient,
        // checkpoint, two moments and their checkpoint) = 616 B; SGD: 5 floats = 440 B. Forward
        // caches 10 units × batch × 8 B; scratch: widest (4) × batch × 7 floats.
        QTest::newRow("adam, batch 3") << "4-[2]-4" << 3 << true << qulonglong(616 + 240 + 4 * 3 * 28);
        QTest::newRow("sgd, batch 3") << "4-[2]-4" << 3 << false << qulonglong(440 + 240 + 4 * 3 * 28);
        QTest::newRow("adam, batch 1") << "4-[2]-4" << 1 << true << qulonglong(616 + 80 + 4 * 28);
        // 2-3-[1]-3-2: 9 + 4 + 6 + 8 = 27 parameters; units 2+3+1+3+2 = 11; widest 3.
        QTest::newRow("deep, batch 2") << "2-3-[1]-3-2" << 2 << true << qulonglong(27 * 28 + 11 * 2 * 8 + 3 * 2 * 28);
    }
    void trainingBytes()
    {
        QFETCH(QString, spec);
        QFETCH(int, batch);
        QFETCH(bool, adam);
        QFETCH(qulonglong, bytes);
        const size_t got = ael::trainingBytes(arch(spec.toUtf8().constData()), batch,
                                              adam ? OptimizerKind::Adam : OptimizerKind::SGD);
        QCOMPARE(qulonglong(got), bytes);
    }

    void absurdRequestsSaturate()
    {
        Architecture a = arch("784-[100000]-784");
        a.encoderHidden = {100000, 100000, 100000};
        a.decoderHidden = a.encoderHidden;
        const size_t huge = ael::trainingBytes(a, 65536, OptimizerKind::Adam);
        QVERIFY(huge > size_t(1) << 40);  // far beyond any machine, and no wrap-around to a small figure
        QVERIFY(forwardBytes(a, std::numeric_limits<long long>::max()) == std::numeric_limits<size_t>::max());
        const std::string why = whyTooLarge(huge, "training it");
        QVERIFY2(why.find("training it needs about") == 0, why.c_str());
        QVERIFY2(why.find("of memory available") != std::string::npos, why.c_str());
        QVERIFY(whyTooLarge(1, "one byte").empty());
    }

    void limitFromEnvironment_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qulonglong>("bytes");  // 0: no limit
        QTest::newRow("megabytes") << QByteArray("512M") << qulonglong(512) * 1024 * 1024;
        QTest::newRow("gigabytes") << QByteArray("2G") << qulonglong(2) * 1024 * 1024 * 1024;
        QTest::newRow("fraction") << QByteArray("1.5k") << qulonglong(1536);
        QTest::newRow("bytes") << QByteArray("1000") << qulonglong(1000);
        QTest::newRow("empty") << QByteArray("") << qulonglong(0);
        QTest::newRow("not a number") << QByteArray("lots") << qulonglong(0);
        QTest::newRow("negative") << QByteArray("-5G") << qulonglong(0);
        QTest::newRow("beyond size_t") << QByteArray("1e30G") << qulonglong(0);
    }
    void limitFromEnvironment()
    {
        QFETCH(QByteArray, value);
        QFETCH(qulonglong, bytes);
        const EnvVar env("AELAB_MEMORY_LIMIT", value);
        const size_t expected = bytes ? size_t(bytes) : std::numeric_limits<size_t>::max();
        QCOMPARE(qulonglong(memoryLimitFromEnvironment()), qulonglong(expected));
        if (bytes) QCOMPARE(qulonglong(availableMemoryBytes()), qulonglong(bytes));  // far below any machine's
    }

    void limitMakesARequestTooLarge()
    {
        const size_t need = ael::trainingBytes(arch("784-[4096]-784"), 128, OptimizerKind::Adam);
        QVERIFY(whyTooLarge(need, "x").empty());  // about 180 MB: any machine that runs the suite has it
        const EnvVar env("AELAB_MEMORY_LIMIT", "60M");
        const std::string why = whyTooLarge(need, "training 784-[4096]-784");
        QVERIFY2(why.find("more than the 62.9 MB of memory available") != std::string::npos, why.c_str());
    }
};

QTEST_APPLESS_MAIN(TestMemory)
#include "tst_memory.moc"
