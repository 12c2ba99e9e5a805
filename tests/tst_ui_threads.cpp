// Threads around the window's data: the DataLoader owns and joins every load and PCA thread (a
// window destroyed while they run leaves none behind and gets no late callback).
#include "ui/training/DataBundle.h"
#include "ui/window/MainWindow.h"
#include "core/data/Idx.h"
#include "core/data/Split.h"
#include "core/Rng.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

namespace {

/// Threads of this process (Linux: /proc/self/task).
QStringList threadNames()
{
    QStringList names;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &t : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(t + QStringLiteral("/comm")));
        names << (comm.open(QIODevice::ReadOnly) ? QString::fromUtf8(comm.readAll()).trimmed() : t);
    }
    return names;
}
int threadCount() { return int(threadNames().size()); }

ael::Dataset randomImages(int n, int side, uint32_t seed)
{
    ael::Dataset d;
    d.name = "random";
    d.rows = d.cols = side;
    ael::Rng rng(seed);
    for (int j = 0; j < n; ++j) {
        for (int p = 0; p < side * side; ++p) d.pixels.push_back(uint8_t(rng.below(256)));
        d.labels.push_back(uint8_t(j % 10));
    }
    for (int c = 0; c < 10; ++c) d.classNames.push_back(std::to_string(c));
    return d;
}


}  // namespace

class TestUiThreads : public QObject {
    Q_OBJECT
private slots:
    void loaderJoinsItsPcaThread();
    void loaderJoinsItsLoadThread();
    void windowDestroyedDuringLoadAndPca();
};

void TestUiThreads::loaderJoinsItsPcaThread()
{
    // 3,000 images of 784 pixels: a fit of a good fraction of a second, still running when the loader goes.
    auto b = DataBundle::fromSplit(ael::stratifiedSplit(randomImages(3000, 28, 3)), QStringLiteral("r"), QStringLiteral("r"));
    const int before = threadCount();
    int calls = 0;
    QObject context;
    auto *loader = new DataLoader;
    loader->fitPca(b, &context, [&] { ++calls; });
    loader->fitPca(b, &context, [&] { ++calls; });  // once per bundle: ignored
    QVERIFY(!b->pca());
    delete loader;  // waits for the fit
    QVERIFY2(b->pca() || !b->pcaError().isEmpty(), "the fit had not ended when the loader was gone");
    QVERIFY(b->pca());
    QCOMPARE(b->pca()->pca.dim(), 784);
    // QThread::wait() returns when the thread's function has finished, a moment before the kernel task is
    // gone: allow that moment (the fit itself takes far longer, and the result was already there above).
    QTRY_VERIFY2_WITH_TIMEOUT(threadCount() == before, qPrintable(threadNames().join(QLatin1String(", "))), 2000);
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);  // the result went with the loader

    // With the loader alive, `done` comes once, in this thread.
    auto c = DataBundle::fromSplit(ael::stratifiedSplit(randomImages(200, 8, 4)), QStringLiteral("s"), QStringLiteral("s"));
    // (No QTest macro in the callback: were it called on the pool, it would run there.)
    DataLoader alive;
    std::atomic<QThread *> calledIn{nullptr};
    std::atomic<int> aliveCalls{0};
    alive.fitPca(c, &context, [&] {
        calledIn = QThread::currentThread();
        ++aliveCalls;
    });
    QTRY_COMPARE_WITH_TIMEOUT(aliveCalls.load(), 1, 60000);
    QCOMPARE(calledIn.load(), qApp->thread());
    QVERIFY(c->pca());
}

void TestUiThreads::loaderJoinsItsLoadThread()
{
    QTemporaryDir dir;
    const QString images = dir.filePath("i.gz"), labels = dir.filePath("l.gz");
    ael::writeIdx(randomImages(4000, 28, 5), images.toStdString(), labels.toStdString(), true);
    const int before = threadCount();
    auto *loader = new DataLoader;
    int signals_ = 0;
    connect(loader, &DataLoader::loaded, this, [&] { ++signals_; });
    connect(loader, &DataLoader::failed, this, [&] { ++signals_; });
    loader->loadIdxAsync(images, labels);
    QVERIFY(loader->busy());
    delete loader;
    // QThread::wait() returns when the thread's function has finished, a moment before the kernel task is
    // gone: allow that moment (the fit itself takes far longer, and the result was already there above).
    QTRY_VERIFY2_WITH_TIMEOUT(threadCount() == before, qPrintable(threadNames().join(QLatin1String(", "))), 2000);
    QCoreApplication::processEvents();
    QCOMPARE(signals_, 0);
}

void TestUiThreads::windowDestroyedDuringLoadAndPca()
{
    QTemporaryDir dir;
    const QString images = dir.filePath("i.gz"), labels = dir.filePath("l.gz");
    ael::writeIdx(randomImages(4000, 28, 6), images.toStdString(), labels.toStdString(), true);
    MainWindow::Options o;
    o.restoreSettings = false;
    auto *w = new MainWindow(o);
    const std::shared_ptr<const DataBundle> digits = w->data();
    QVERIFY(digits);
    const bool fitting = !digits->pca() && digits->pcaError().isEmpty();
    w->loadIdx(images, labels);  // a load on the pool next to the digits' PCA fit
    delete w;
    // The loader waited for both: the digits' PCA is there (it was still running when the window went).
    if (!fitting) qInfo("the PCA had ended before the window was destroyed");
    QVERIFY(digits->pca() || !digits->pcaError().isEmpty());
    QCoreApplication::processEvents();  // any result posted by then went with the window
}

QTEST_MAIN(TestUiThreads)
#include "tst_ui_threads.moc"
