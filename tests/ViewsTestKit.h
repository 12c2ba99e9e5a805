#pragma once
// Shared by the view suites (tst_ui_views, tst_ui_losschart, tst_ui_scatter): synthetic Snapshots on the
// embedded MNIST test digits (or discs when it is missing), realistic loss runs, and screenshots of views
// at projector sizes in $AELAB_SCREENSHOT_DIR (default: <tmp>/aelab-views).
#include "core/data/Dataset.h"
#if __has_include("core/data/Embedded.h")
#include "core/data/Embedded.h"
#define AELAB_HAVE_EMBEDDED 1
#endif
#include "ui/training/Snapshot.h"
#include "ui/views/LossChartView.h"

#include <QDir>
#include <QImage>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <random>

namespace viewtest {


/// The test set behind the synthetic snapshots: embedded MNIST if it is there, else blobs.
inline std::shared_ptr<const ael::Dataset> testSet(int n)
{
    static std::shared_ptr<ael::Dataset> full;
    if (!full) {
        full = std::make_shared<ael::Dataset>();
#ifdef AELAB_HAVE_EMBEDDED
        *full = ael::embeddedMnist();
#endif
        if (full->empty()) {  // fallback: a blurry disc per class, brightness by class
            full->name = "synthetic";
            full->rows = full->cols = 28;
            for (int c = 0; c < 10; ++c) full->classNames.push_back(std::to_string(c));
            for (int i = 0; i < 10000; ++i) {
                full->labels.push_back(uint8_t(i % 10));
                for (int y = 0; y < 28; ++y)
                    for (int x = 0; x < 28; ++x) {
                        const double r = std::hypot(x - 14.0, y - 14.0);
                        full->pixels.push_back(uint8_t(r < 4 + i % 10 ? 255 : 0));
                    }
            }
        }
    }
    // A shuffled subset so the classes are mixed like a real test split.
    std::vector<int> idx(size_t(full->size()));
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = int(i);
    std::mt19937 rng(7);
    std::shuffle(idx.begin(), idx.end(), rng);
    idx.resize(size_t(std::min(n, full->size())));
    return std::make_shared<ael::Dataset>(full->subset(idx, "test"));
}

inline QImage digit(const ael::Dataset &ds, int i)
{
    return QImage(ds.image(i), ds.cols, ds.rows, ds.cols, QImage::Format_Grayscale8).copy();
}

/// A box blur of radius r, contrast scaled: a stand-in for a reconstruction.
inline QImage blurred(const QImage &src, int r, double contrast)
{
    QImage out(src.size(), QImage::Format_Grayscale8);
    for (int y = 0; y < src.height(); ++y)
        for (int x = 0; x < src.width(); ++x) {
            int sum = 0, n = 0;
            for (int dy = -r; dy <= r; ++dy)
                for (int dx = -r; dx <= r; ++dx) {
                    const int xx = x + dx, yy = y + dy;
                    if (xx < 0 || yy < 0 || xx >= src.width() || yy >= src.height()) continue;
                    sum += src.constScanLine(yy)[xx];
                    ++n;
                }
            out.scanLine(y)[x] = uchar(std::clamp(contrast * sum / n + 10, 0.0, 255.0));
        }
    return out;
}

inline QImage masked(const QImage &src, std::mt19937 &rng)
{
    QImage out = src.copy();
    std::bernoulli_distribution drop(0.4);
    for (int y = 0; y < out.height(); ++y)
        for (int x = 0; x < out.width(); ++x)
            if (drop(rng)) out.scanLine(y)[x] = 0;
    return out;
}

/// Gaussian blobs per class around a circle, like a trained 2-D code.
inline QVector<QPointF> blobs(const ael::Dataset &ds, double radius, double sd, double shift, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> N(0, 1);
    QVector<QPointF> pts;
    pts.reserve(ds.size());
    for (int i = 0; i < ds.size(); ++i) {
        const int c = ds.labels[size_t(i)];
        const double a = 2 * std::numbers::pi * c / 10;
        const double cx = radius * std::cos(a) + shift, cy = radius * 0.7 * std::sin(a) + shift;
        pts.append({cx + sd * N(rng), cy + sd * 0.8 * N(rng)});
    }
    return pts;
}

struct Options {
    int points = 2000;
    bool denoising = false;
    bool variational = false;
    int codeSize = 2;
};

inline Snapshot makeSnapshot(const Options &o = {})
{
    Snapshot s;
    s.testSet = testSet(o.points);
    const ael::Dataset &ds = *s.testSet;
    s.step = 12000;
    s.epoch = 3;
    s.codeSize = o.codeSize;
    s.pcaK = o.codeSize;
    s.testStep = 12000;
    s.testMse = 0.0384;
    s.pcaTestMse = 0.0556;
    s.variational = o.variational;
    s.latentAxes = o.codeSize == 2 ? QStringLiteral("h1 vs h2") : QStringLiteral("PCA of the 32-D code");
    std::mt19937 rng(3);
    for (int c = 0; c < 10; ++c) {
        int i = 0;
        while (i < ds.size() && ds.labels[size_t(i)] != c) ++i;
        const QImage img = digit(ds, std::min(i, ds.size() - 1));
        s.originals << img;
        if (o.denoising) s.corrupted << masked(img, rng);
        s.reconstructions << blurred(img, 1, 0.95);
        s.pcaReconstructions << blurred(img, 2, 0.8);
    }
    s.rowMse[0] = 0;
    s.rowMse[1] = o.denoising ? 0.0712 : 0;
    s.rowMse[2] = 0.0371;
    s.rowMse[3] = 0.0549;
    s.latent = o.variational ? blobs(ds, 1.3, 0.45, 0, 1) : blobs(ds, 3.0, 0.7, 0.5, 1);
    for (int i = 0; i < ds.size(); ++i) s.labels << quint8(ds.labels[size_t(i)]);
    s.pcaLatent = blobs(ds, 1.6, 1.3, 0, 2);
    s.pcaExplained2 = 0.168;
    return s;
}

/// A loss curve like a real run: fast drop, then slow; a contractive term from step `termFrom`.
inline QVector<LossPoint> lossRun(qint64 from, qint64 to, qint64 every, qint64 termFrom, std::mt19937 &rng)
{
    std::normal_distribution<double> N(0, 1);
    QVector<LossPoint> out;
    for (qint64 st = from; st <= to; st += every) {
        LossPoint lp;
        lp.step = st;
        lp.epoch = st / 600.0;
        lp.reconstruction = 0.032 + 0.07 * std::exp(-st / 1500.0) + 0.004 * N(rng) * std::exp(-st / 8000.0);
        if (st >= termFrom) lp.terms << 0.012 * std::exp(-(st - termFrom) / 4000.0) + 0.003;
        out << lp;
    }
    return out;
}

inline QString screenshotDir()
{
    QString dir = qEnvironmentVariable("AELAB_SCREENSHOT_DIR");
    if (dir.isEmpty()) dir = QDir::temp().filePath("aelab-views");
    QDir().mkpath(dir);
    return dir;
}

/// Shows w at size sz (offscreen), lets layouts settle and grabs it.
inline QImage shoot(QWidget &w, QSize sz)
{
    w.resize(sz);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) return {};
    QTest::qWait(60);  // layouts, the scatter's easing
    return w.grab().toImage();
}

/// A LossChartView fed like a real run: 20,000 steps with a switch to contractive at 8,000.
inline void feedRealistic(LossChartView &v)
{
    std::mt19937 rng(11);
    qint64 step = 0;
    const qint64 termFrom = 8000;
    for (int snap = 0; snap < 200; ++snap) {
        Snapshot s;
        const qint64 next = step + 100;
        s.losses = lossRun(step + 10, next, 10, termFrom, rng);
        if (step + 10 >= termFrom) s.termNames << "contractive";
        else if (next >= termFrom) {
            s.termNames << "contractive";
            for (LossPoint &lp : s.losses)
                if (lp.terms.isEmpty()) lp.terms << 0.0;
        }
        if (step < termFrom && next >= termFrom) s.markers << ChangeMarker{termFrom, QStringLiteral("→ contractive")};
        if (step < 14000 && next >= 14000) s.markers << ChangeMarker{14000, QStringLiteral("λ 0.1 → 0.3")};
        if (snap % 10 == 9) {
            s.testStep = next;
            s.testMse = 0.034 + 0.06 * std::exp(-next / 1500.0);
            s.pcaTestMse = 0.0556;
            s.codeSize = 2;
        }
        v.applySnapshot(s);
        step = next;
    }
}

/// The chart on screen at width × height, every Snapshot drawn at once (its legend laid out as a user sees it).
inline bool showUnthrottled(LossChartView &v, int width, int height)
{
    v.setRefreshInterval(0);
    v.resize(width, height);
    v.show();
    return QTest::qWaitForWindowExposed(&v);
}

}  // namespace viewtest
