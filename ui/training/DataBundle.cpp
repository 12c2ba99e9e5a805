#include "ui/training/DataBundle.h"

#include "core/data/Catalog.h"
#include "core/data/Idx.h"
#include "core/data/Split.h"
#include "core/parallel/ThreadPool.h"

#include <QFileInfo>
#include <QMetaObject>
#include <QPointer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <thread>

#ifdef __GLIBC__
#include <malloc.h>
#endif
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace {

/// Hands the pages that a load or a PCA fit freed (tens of MB of temporaries for Fashion-MNIST) back
/// to the system. glibc keeps freed memory in the arena of the thread that used it, where it stays
/// resident for the life of the process unless trimmed.
void releaseFreedMemory()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

}  // namespace

double PcaSummary::testMse(int k) const
{
    if (testMseCurve.empty()) return 0;
    return testMseCurve[size_t(std::clamp(k, 0, int(testMseCurve.size()) - 1))];
}

int PcaSummary::cappedK(int k) const
{
    const int d = pca.dim();
    return std::max(0, std::min({k, d, std::max(fitSamples, pca.samples()) - 1}));
}

bool PcaSummary::exact(int k) const
{
    const int kk = cappedK(k);
    return pca.dim() > 0 && (kk >= pca.dim() || testMse(kk) < 1e-10);
}

QString nounOf(const ael::Dataset *d)
{
    if (!d) return QStringLiteral("images");
    for (size_t c = 0; c < d->classNames.size(); ++c)
        if (d->classNames[c] != std::to_string(c)) return QStringLiteral("images");
    return QStringLiteral("digits");
}

QString DataBundle::noun() const { return nounOf(test ? test.get() : train.get()); }

QString DataBundle::pcaError() const
{
    std::lock_guard lock(m_pcaMutex);
    return m_pcaError;
}

int DataBundle::dim() const { return train ? train->dim() : 0; }

std::shared_ptr<const PcaSummary> DataBundle::pca() const
{
    std::lock_guard lock(m_pcaMutex);
    return m_pca;
}

void DataBundle::setPca(std::shared_ptr<const PcaSummary> p) const
{
    std::lock_guard lock(m_pcaMutex);
    m_pca = std::move(p);
}

quint64 DataBundle::nextSerial()
{
    static std::atomic<quint64> next{1};
    return next++;
}

bool DataBundle::claimPcaFit() const
{
    std::lock_guard lock(m_pcaMutex);
    if (m_pcaStarted || m_pca) return false;
    m_pcaStarted = true;
    return true;
}

void DataBundle::fitPcaNow() const
{
    try {  // nothing may escape a thread: a PCA too large for memory is reported, not thrown
        setPca(fitPcaSummary(*this));
    } catch (const std::exception &e) {
        std::lock_guard lock(m_pcaMutex);
        m_pcaError = QString::fromUtf8(e.what());
    } catch (...) {
        std::lock_guard lock(m_pcaMutex);
        m_pcaError = QStringLiteral("the PCA failed");
    }
}

std::shared_ptr<DataBundle> DataBundle::fromSplit(ael::Split split, const QString &id, const QString &label)
{
    auto b = std::make_shared<DataBundle>();
    b->id = id;
    b->label = label;
    b->train = std::make_shared<const ael::Dataset>(std::move(split.train));
    b->test = std::make_shared<const ael::Dataset>(std::move(split.test));
    const ael::Dataset &t = *b->test;
    b->testLabels.resize(t.size());
    for (int i = 0; i < t.size(); ++i) b->testLabels[i] = t.labels[size_t(i)];
    // The first test image of each class present, in class order (ten for MNIST-like data).
    for (int c = 0; c < 256 && b->showcase.size() < 10; ++c)
        for (int i = 0; i < t.size(); ++i)
            if (t.labels[size_t(i)] == c) {
                b->showcase.push_back(i);
                break;
            }
    return b;
}

std::shared_ptr<DataBundle> DataBundle::load(const QString &id)
{
    QString label = id;
    for (const ael::DataSource &s : ael::availableDataSources())
        if (QString::fromStdString(s.id) == id) label = QString::fromStdString(s.label);
    return fromSplit(ael::loadSource(id.toStdString()), id, label);
}

std::shared_ptr<const DataBundle> DataBundle::loadShared(const QString &id)
{
    if (id != QLatin1String("mnist")) return load(id);
    static std::mutex mutex;
    static std::shared_ptr<const DataBundle> embedded;
    std::lock_guard lock(mutex);
    if (!embedded) embedded = load(id);
    return embedded;
}

std::shared_ptr<DataBundle> DataBundle::loadIdxPair(const QString &imagesPath, const QString &labelsPath)
{
    const QString name = QFileInfo(imagesPath).fileName();
    ael::Dataset d = ael::loadIdx(imagesPath.toStdString(), labelsPath.toStdString(), name.toStdString());
    if (d.size() < 10)  // (a fifth of them is kept back as the test set)
        throw ael::DataError(imagesPath.toStdString() + ": " + std::to_string(d.size()) +
                             " images, too few to train on: a data set needs at least 10");
    const int n = d.size();
    return fromSplit(ael::stratifiedSplit(d), QStringLiteral("idx:") + imagesPath,
                     QStringLiteral("%1 (%2 images)").arg(name).arg(n));
}

std::shared_ptr<const PcaSummary> fitPcaSummary(const DataBundle &b, int maxFitSamples)
{
    const auto t0 = std::chrono::steady_clock::now();
    auto s = std::make_shared<PcaSummary>();
    const ael::Dataset &train = *b.train;
    if (train.size() > maxFitSamples) {
        // Evenly spaced images keep the class mix (the files are shuffled or class-ordered).
        std::vector<int> idx(static_cast<size_t>(maxFitSamples));
        for (int i = 0; i < maxFitSamples; ++i) idx[size_t(i)] = int(int64_t(i) * train.size() / maxFitSamples);
        s->pca.fit(train.subset(idx, train.name));
        s->fitSamples = maxFitSamples;
    } else {
        s->pca.fit(train);
        s->fitSamples = train.size();
    }
    const Eigen::VectorXd curve = s->pca.reconstructionMseCurve(*b.test);
    s->testMseCurve.assign(curve.data(), curve.data() + curve.size());
    s->explained2 = s->pca.cumulativeRatio(std::min(2, s->pca.dim()));
    // The test images on PC1/PC2, 1,000 at a time (the whole test set as floats, and the centred copy
    // the projection makes, would be 2 × 31 MB for Fashion-MNIST's 10,000 images).
    const int k = std::min(2, s->pca.dim()), n = b.test->size();
    s->testPc12.resize(n);
    ael::Matrix X;
    for (int first = 0; first < n; first += 1000) {
        const int cnt = std::min(1000, n - first);
        b.test->range(first, cnt, X);
        const ael::Matrix Z = s->pca.project(X, k);
        for (int j = 0; j < cnt; ++j) s->testPc12[first + j] = QPointF(Z(0, j), k > 1 ? Z(1, j) : 0.0);
    }
    s->fitSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return s;
}

DataLoader::DataLoader(QObject *parent) : QObject(parent), m_pool(new QThreadPool(this))
{
    m_pool->setMaxThreadCount(2);  // a load and a PCA fit side by side
}

DataLoader::~DataLoader()
{
    // Results posted to this object meanwhile are dropped with it (QObject removes its posted events).
    m_pool->waitForDone();
}

std::shared_ptr<const DataBundle> DataLoader::cached(const QString &id) const
{
    for (const auto &b : m_cache)
        if (b->id == id) return b;
    return nullptr;
}

void DataLoader::insert(std::shared_ptr<const DataBundle> b)
{
    if (!b || cached(b->id)) return;
    m_cache.push_back(std::move(b));
    while (m_cache.size() > 3) m_cache.removeFirst();  // Fashion-MNIST is 55 MB: keep a few only
}

void DataLoader::loadAsync(const QString &id)
{
    if (auto b = cached(id)) {
        QMetaObject::invokeMethod(this, [this, b] { emit loaded(b); }, Qt::QueuedConnection);
        return;
    }
    run(id, [id] { return DataBundle::loadShared(id); });
}

void DataLoader::loadIdxAsync(const QString &imagesPath, const QString &labelsPath)
{
    run(imagesPath, [imagesPath, labelsPath] { return DataBundle::loadIdxPair(imagesPath, labelsPath); });
}

void DataLoader::fitPca(std::shared_ptr<const DataBundle> b, QObject *context, std::function<void()> done)
{
    if (!b || !b->claimPcaFit()) return;
    QPointer<QObject> ctx(context);
    m_pool->start([this, b, ctx, done = std::move(done)] {
#ifdef __linux__
        const int was = getpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)));
        setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 4);  // after the GUI and the trainer
#endif
        ael::ThreadPool::setSerialOnThisThread(true);  // never take the engine's pool from the trainer
        b->fitPcaNow();
        releaseFreedMemory();
#ifdef __linux__
        setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), was);  // the pool's thread is reused
#endif
        // `this` outlives the job (the destructor waits); ctx is only dereferenced in this object's thread.
        QMetaObject::invokeMethod(
            this,
            [ctx, done] {
                if (ctx) done();
            },
            Qt::QueuedConnection);
    });
}

void DataLoader::run(const QString &what, std::function<std::shared_ptr<const DataBundle>()> job)
{
    m_busy = true;
    m_pool->start([this, what, job = std::move(job)] {
        ael::ThreadPool::setSerialOnThisThread(true);
        std::shared_ptr<const DataBundle> b;
        QString why;
        try {
            b = job();
        } catch (const std::exception &e) {
            why = QString::fromStdString(e.what());
        } catch (...) {
            why = QStringLiteral("unknown error");
        }
        releaseFreedMemory();
        // `this` outlives the job: the destructor waits for the pool.
        QMetaObject::invokeMethod(
            this,
            [this, what, why, b] {
                m_busy = false;
                if (b) {
                    insert(b);
                    emit loaded(b);
                } else {
                    emit failed(what, why);
                }
            },
            Qt::QueuedConnection);
    });
}
