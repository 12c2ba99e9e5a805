#pragma once
// A loaded data set as the window and the training thread share it: immutable train/test halves,
// the ten showcase test digits (the first of each class), the test labels for the scatters, and the
// PCA summary, fitted once per bundle by the training worker's analysis thread and cached here.
#include "core/Tensor.h"
#include "core/pca/Pca.h"

#include <QObject>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QThreadPool>
#include <QVector>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace ael {
struct Dataset;
struct Split;
}  // namespace ael

/// PCA of a bundle's training images and what the views need of it.
struct PcaSummary {
    ael::Pca pca;
    std::vector<double> testMseCurve;  ///< PCA-k test MSE for k = 0..d
    QVector<QPointF> testPc12;         ///< the test digits on PC1 and PC2
    double explained2 = 0;             ///< explained variance ratio of PC1 + PC2
    int fitSamples = 0;                ///< training images the PCA was fitted on
    double fitSeconds = 0;

    double testMse(int k) const;       ///< k is clamped to 0..d
    /// The components PCA can use for a code of size k: min(k, d, n − 1) (n: images fitted on).
    int cappedK(int k) const;
    /// PCA-k reconstructs the test set exactly (k ≥ d, or the test MSE is round-off).
    bool exact(int k) const;
};

struct DataBundle : std::enable_shared_from_this<DataBundle> {
    QString id;     ///< "mnist", "fashion" or "idx:<images path>"
    QString label;  ///< shown to the user
    std::shared_ptr<const ael::Dataset> train, test;
    std::vector<int> showcase;    ///< test indices of the ten showcase digits (one per class, if present)
    QVector<quint8> testLabels;   ///< labels of the test images, in order

    int dim() const;
    /// What the images are called in titles: "digits" when the classes are 0..9, else "images".
    QString noun() const;  ///< nounOf(the test set, else the training set)
    /// The PCA summary once fitted (thread-safe), else nullptr.
    std::shared_ptr<const PcaSummary> pca() const;
    void setPca(std::shared_ptr<const PcaSummary> p) const;
    /// Why the background PCA failed (e.g. too large for memory); empty while fitting or after success.
    QString pcaError() const;
    /// True once per bundle: the caller is to fit the PCA (DataLoader::fitPca runs it on its pool).
    bool claimPcaFit() const;
    /// Fits the PCA summary now; never throws (a failure, e.g. too large for memory, is pcaError()).
    void fitPcaNow() const;

    /// Unique per bundle in this process (never reused, unlike an address): keys caches of its data.
    const quint64 serial = nextSerial();

    /// Builds a bundle from a split (computes showcase and labels).
    static std::shared_ptr<DataBundle> fromSplit(ael::Split split, const QString &id, const QString &label);
    /// Loads "mnist", "fashion" (ael::loadSource) or an IDX pair (split 4:1 by ael::stratifiedSplit).
    /// Throws std::exception (ael::DataError) with a readable message.
    static std::shared_ptr<DataBundle> load(const QString &id);
    /// load(id), except that the embedded digits, which cannot change, are loaded once per process and
    /// shared by every window that asks for them, with their PCA (fitted once, by the first to claim it).
    static std::shared_ptr<const DataBundle> loadShared(const QString &id);
    static std::shared_ptr<DataBundle> loadIdxPair(const QString &imagesPath, const QString &labelsPath);

private:
    static quint64 nextSerial();
    mutable std::mutex m_pcaMutex;
    mutable std::shared_ptr<const PcaSummary> m_pca;
    mutable bool m_pcaStarted = false;
    mutable QString m_pcaError;
};

/// Fits the PCA summary of a bundle (on at most maxFitSamples training images, evenly spaced).
std::shared_ptr<const PcaSummary> fitPcaSummary(const DataBundle &b, int maxFitSamples = 12000);

/// Loads bundles on a background thread so the window never blocks on a 60,000-image file, and
/// fits their PCA. Finished bundles are cached by id (switching back to a data set is instant and
/// keeps its PCA); the embedded digits come from DataBundle::loadShared, one bundle for the process.
/// Every thread belongs to the loader's pool and the destructor waits for them: no thread outlives
/// the loader (a closing window waits for a running load or fit to end).
class DataLoader : public QObject {
    Q_OBJECT
public:
    explicit DataLoader(QObject *parent = nullptr);
    ~DataLoader() override;

    /// A cached bundle or nullptr.
    std::shared_ptr<const DataBundle> cached(const QString &id) const;
    void insert(std::shared_ptr<const DataBundle> b);
    /// Loads in the background; emits loaded() or failed() (in this object's thread).
    void loadAsync(const QString &id);
    void loadIdxAsync(const QString &imagesPath, const QString &labelsPath);
    bool busy() const { return m_busy; }
    /// Fits b's PCA on the loader's pool (once per bundle; later calls do nothing), then calls
    /// `done` in this loader's thread, unless `context` is gone by then.
    void fitPca(std::shared_ptr<const DataBundle> b, QObject *context, std::function<void()> done);

signals:
    void loaded(std::shared_ptr<const DataBundle> bundle);
    void failed(const QString &what, const QString &why);

private:
    void run(const QString &what, std::function<std::shared_ptr<const DataBundle>()> job);

    QVector<std::shared_ptr<const DataBundle>> m_cache;
    bool m_busy = false;
    QThreadPool *m_pool;  // a child: the destructor waits for its threads first
};

/// What a data set's images are: "digits" when its classes are named 0, 1, 2, …, else "images".
QString nounOf(const ael::Dataset *d);
