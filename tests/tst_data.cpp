// The data layer: the embedded MNIST subset, the stratified split, the catalogue and Dataset::batch
// scaling. IDX reading and writing, hostile files included, are in tst_idx.
#include "DataTestKit.h"
#include "core/data/Catalog.h"
#include "core/data/Embedded.h"
#include "core/data/Split.h"

#include <QSet>
#include <QtTest>

#include <algorithm>
#include <map>

using namespace datatest;

class TestData : public QObject {
    Q_OBJECT

private slots:
    // ---- embedded MNIST ----
    void embeddedChecksumAndCounts()
    {
        const Dataset d = ael::embeddedMnist();
        QCOMPARE(QString::fromStdString(d.name), QString("MNIST (embedded)"));
        QCOMPARE(d.size(), 10000);
        QCOMPARE(d.rows, 28);
        QCOMPARE(d.cols, 28);
        QCOMPARE(d.pixels.size(), size_t(10000) * 784);
        QCOMPARE(d.classNames.size(), size_t(10));
        for (int c = 0; c < 10; ++c) QCOMPARE(d.classNames[size_t(c)], std::to_string(c));
        QCOMPARE(crc(d.pixels), kEmbeddedPixelsCrc);
        QCOMPARE(crc(d.labels), kEmbeddedLabelsCrc);
        QCOMPARE(classCounts(d), kEmbeddedClassCounts);
        // Ordered by class: all 0s, then all 1s, ...
        QVERIFY(std::is_sorted(d.labels.begin(), d.labels.end()));
    }

    void embeddedBlobsMatchResources()
    {
        // The .incbin'd bytes are the committed files (OBJECT_DEPENDS keeps them in sync).
        const QString dir = QStringLiteral(AELAB_SOURCE_DIR "/resources/mnist/");
        const auto img = ael::embeddedMnistImagesGz(), lab = ael::embeddedMnistLabelsGz();
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(img.data), qsizetype(img.size)),
                 readAll(dir + "mnist10k-images-idx3-ubyte.gz"));
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(lab.data), qsizetype(lab.size)),
                 readAll(dir + "mnist10k-labels-idx1-ubyte.gz"));
    }

    // ---- split ----
    void stratifiedSplitEmbedded()
    {
        const Dataset d = ael::embeddedMnist();
        const ael::Split s = ael::stratifiedSplit(d);
        QCOMPARE(s.train.size(), 8004);
        QCOMPARE(s.test.size(), 1996);
        QCOMPARE(QString::fromStdString(s.train.name), QString::fromUtf8("MNIST (embedded) — train"));
        QCOMPARE(QString::fromStdString(s.test.name), QString::fromUtf8("MNIST (embedded) — test"));
        const std::array<int, 10> train = {801, 902, 793, 826, 784, 691, 812, 856, 756, 783};
        const std::array<int, 10> test = {200, 225, 198, 206, 196, 172, 202, 214, 188, 195};
        QCOMPARE(classCounts(s.train), train);
        QCOMPARE(classCounts(s.test), test);
        QCOMPARE(s.train.classNames, d.classNames);
        QCOMPARE(s.train.rows, 28);
        QCOMPARE(s.test.cols, 28);

        // The partition is exactly the documented rule: walking the original in order, image k of
        // its class is the next test image iff k % 5 == 4, else the next training image.
        std::array<int, 10> seen{};
        int ti = 0, si = 0;
        for (int i = 0; i < d.size(); ++i) {
            const int k = seen[d.labels[size_t(i)]]++;
            const Dataset &half = k % 5 == 4 ? s.test : s.train;
            int &j = k % 5 == 4 ? si : ti;
            QCOMPARE(half.labels[size_t(j)], d.labels[size_t(i)]);
            QVERIFY(std::equal(d.image(i), d.image(i) + 784, half.image(j)));
            ++j;
        }
        QCOMPARE(ti, 8004);
        QCOMPARE(si, 1996);

        // And no image (by content; the set has no duplicates) is in both halves.
        QSet<QByteArray> trainImages;
        for (int i = 0; i < s.train.size(); ++i)
            trainImages.insert(QByteArray(reinterpret_cast<const char *>(s.train.image(i)), 784));
        QCOMPARE(trainImages.size(), 8004);
        for (int i = 0; i < s.test.size(); ++i)
            QVERIFY(!trainImages.contains(QByteArray(reinterpret_cast<const char *>(s.test.image(i)), 784)));
    }

    void stratifiedSplitSmall()
    {
        // 25 images, labels i % 10: class c has images c, c+10, c+20 (3 for c < 5, 2 otherwise).
        const Dataset d = synthetic(25, 2, 2);
        const ael::Split s = ael::stratifiedSplit(d, 3);
        // testEvery 3: the 3rd image of each class (k == 2) is a test image: classes 0..4.
        QCOMPARE(s.test.size(), 5);
        QCOMPARE(s.train.size(), 20);
        for (int j = 0; j < 5; ++j) {
            QCOMPARE(int(s.test.labels[size_t(j)]), j);
            QVERIFY(std::equal(d.image(20 + j), d.image(20 + j) + 4, s.test.image(j)));
        }
        bool threw = false;
        try {
            ael::stratifiedSplit(d, 1);
        } catch (const std::invalid_argument &) {
            threw = true;
        }
        QVERIFY(threw);
    }

    // ---- Dataset::batch ----
    void batchScaling()
    {
        Dataset d;
        d.rows = 1;
        d.cols = 3;
        d.pixels = {0, 128, 255, 1, 2, 3, 254, 51, 102};
        d.labels = {0, 1, 2};
        const int idx[] = {2, 0};
        ael::Matrix X;
        d.batch(idx, 2, X);
        QCOMPARE(X.rows(), 3);  // dim() x n: one sample per column
        QCOMPARE(X.cols(), 2);
        QCOMPARE(X(0, 0), 254.0f / 255.0f);
        QCOMPARE(X(1, 0), 0.2f);
        QCOMPARE(X(2, 0), 0.4f);
        QCOMPARE(X(0, 1), 0.0f);
        QCOMPARE(X(1, 1), 128.0f / 255.0f);
        QCOMPARE(X(2, 1), 1.0f);
        QVERIFY(X.minCoeff() >= 0.0f && X.maxCoeff() <= 1.0f);

        ael::Matrix R;
        d.range(1, 2, R);
        QCOMPARE(R.rows(), 3);
        QCOMPARE(R.cols(), 2);
        QCOMPARE(R(2, 0), 3.0f / 255.0f);
        QCOMPARE(R(0, 1), 254.0f / 255.0f);

        const Dataset e = ael::embeddedMnist();
        const int all[] = {0, 9999};
        e.batch(all, 2, X);
        QCOMPARE(X.rows(), 784);
        QCOMPARE(X.maxCoeff(), 1.0f);  // MNIST strokes saturate at 255
        QCOMPARE(X.minCoeff(), 0.0f);
    }

    // ---- catalogue ----
    void catalog()
    {
        const auto sources = ael::availableDataSources();
        QVERIFY(!sources.empty());
        QCOMPARE(QString::fromStdString(sources[0].id), QString("mnist"));
        const bool fashion = QFile::exists(QString(ael::kFashionMnistDir) + "/train-images-idx3-ubyte.gz")
                             && QFile::exists(QString(ael::kFashionMnistDir) + "/t10k-labels-idx1-ubyte.gz");
        QCOMPARE(sources.size(), size_t(fashion ? 2 : 1));
        if (fashion) QCOMPARE(QString::fromStdString(sources[1].id), QString("fashion"));

        const ael::Split s = ael::loadSource("mnist");
        QCOMPARE(s.train.size(), 8004);
        QCOMPARE(s.test.size(), 1996);
        const QString msg = dataError([] { ael::loadSource("cifar"); });
        QVERIFY2(msg.contains("unknown data source 'cifar'"), qPrintable(msg));
        QCOMPARE(ael::fashionClassNames().size(), size_t(10));
        QCOMPARE(ael::fashionClassNames()[9], std::string("Ankle boot"));
    }

    void fashionMnist()
    {
        const auto sources = ael::availableDataSources();
        if (sources.size() < 2) QSKIP("Fashion-MNIST not installed (Debian package dataset-fashion-mnist)");
        QElapsedTimer t;
        t.start();
        const ael::Split s = ael::loadSource("fashion");
        qInfo("Fashion-MNIST loaded in %lld ms", t.elapsed());
        QCOMPARE(s.train.size(), 60000);
        QCOMPARE(s.test.size(), 10000);
        QCOMPARE(s.train.rows, 28);
        QCOMPARE(s.test.cols, 28);
        QCOMPARE(s.train.classNames, ael::fashionClassNames());
        QCOMPARE(s.test.classNames[0], std::string("T-shirt/top"));
        QCOMPARE(QString::fromStdString(s.train.name), QString::fromUtf8("Fashion-MNIST — train"));
        // Fashion-MNIST is balanced: 6,000 / 1,000 images of each class.
        for (int c : classCounts(s.train)) QCOMPARE(c, 6000);
        for (int c : classCounts(s.test)) QCOMPARE(c, 1000);
        const long kb = peakRssKb();
        qInfo("peak RSS (VmHWM): %ld kB", kb);
        QVERIFY(kb > 0);
        QVERIFY2(kb < 300 * 1024, qPrintable(QString("peak RSS %1 kB").arg(kb)));
    }

    // Each name goes with its pictures (the names once had the sneaker and the bag swapped, so the legend
    // called every sneaker "Bag"): measured on the mean image of each class, the low shoes (sneaker, sandal)
    // are the flattest things, the bag fills the largest box, trousers are the narrowest, and the ankle boot is
    // taller than a sneaker. (Measured: sneaker 13 × 27 pixels, sandal 21 × 27, bag 27 × 26, trouser 28 × 11.)
    void fashionNamesFitTheirPictures()
    {
        if (ael::availableDataSources().size() < 2) QSKIP("Fashion-MNIST not installed (Debian package dataset-fashion-mnist)");
        const ael::Dataset test = ael::loadSource("fashion").test;
        // Per class: the mean image, and the rows and columns where its ink exceeds a quarter of its maximum.
        std::map<std::string, std::pair<int, int>> extent;  // name → (height, width) in pixels
        for (int c = 0; c < 10; ++c) {
            std::vector<double> mean(784, 0.0);
            int n = 0;
            for (int i = 0; i < test.size(); ++i)
                if (test.labels[size_t(i)] == c) {
                    ++n;
                    for (int p = 0; p < 784; ++p) mean[size_t(p)] += test.image(i)[p];
                }
            const double top = *std::max_element(mean.begin(), mean.end());
            int r0 = 28, r1 = -1, c0 = 28, c1 = -1;
            for (int p = 0; p < 784; ++p)
                if (mean[size_t(p)] > top / 4) {
                    r0 = std::min(r0, p / 28), r1 = std::max(r1, p / 28);
                    c0 = std::min(c0, p % 28), c1 = std::max(c1, p % 28);
                }
            QVERIFY(n == 1000);
            extent[test.classNames[size_t(c)]] = {r1 - r0 + 1, c1 - c0 + 1};
        }
        auto height = [&](const char *name) { return extent.at(name).first; };
        auto width = [&](const char *name) { return extent.at(name).second; };
        QString all;
        for (const auto &[name, hw] : extent) all += QString("%1 %2×%3  ").arg(QString::fromStdString(name)).arg(hw.first).arg(hw.second);
        for (const auto &[name, hw] : extent)
            if (name != "Sneaker" && name != "Sandal") QVERIFY2(height("Sneaker") < hw.first && height("Sandal") < hw.first, qPrintable(all));
        QVERIFY2(height("Ankle boot") > height("Sneaker") + 4, qPrintable(all));
        for (const auto &[name, hw] : extent) {
            if (name != "Bag") QVERIFY2(height("Bag") * width("Bag") > hw.first * hw.second, qPrintable(all));
            if (name != "Trouser") QVERIFY2(width("Trouser") < hw.second, qPrintable(all));
        }
    }
};

QTEST_APPLESS_MAIN(TestData)
#include "tst_data.moc"
