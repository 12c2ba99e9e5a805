#pragma once
// Shared by tst_ui_drawing and tst_ui_drawpanel: synthetic ink and photos, QTest strokes on the pad,
// the training digits (embedded MNIST, or discs when it is missing), a PCA and small random models.
#include "core/data/Dataset.h"
#if __has_include("core/data/Embedded.h")
#include "core/data/Embedded.h"
#define AELAB_HAVE_EMBEDDED 1
#endif
#include "core/Rng.h"
#include "core/nn/Model.h"
#include "ui/training/DataBundle.h"
#include "ui/explore/DrawingPad.h"

#include <QPainter>
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>

namespace drawtest {

using Clock = std::chrono::steady_clock;

inline QImage blackPad(int side = 280)
{
    QImage img(side, side, QImage::Format_RGB32);
    img.fill(Qt::black);
    return img;
}

inline QImage withLines(QImage img, const QList<QLineF> &lines, double width)
{
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(Qt::white, width, Qt::SolidLine, Qt::RoundCap));
    for (const QLineF &l : lines) {
        if (l.length() > 0) {
            p.drawLine(l);
        } else {  // a dot: a zero-length line draws nothing
            p.setPen(Qt::NoPen);
            p.setBrush(Qt::white);
            p.drawEllipse(l.p1(), width / 2, width / 2);
        }
    }
    return img;
}

/// A phone photo of a 7: dark ink on light grey paper lit from one side (a gradient), with noise.
inline QImage photoOfSeven()
{
    QImage img(400, 300, QImage::Format_RGB32);
    ael::Rng rng(11);
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) {
            const int g = int(130 + 80.0 * x / img.width() + 20.0 * y / img.height() + 12 * (rng.uniform() - 0.5));
            img.setPixel(x, y, qRgb(g, g, g - 8));
        }
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(35, 35, 45), 16, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.drawPolyline(QPolygonF({QPointF(150, 70), QPointF(270, 70), QPointF(200, 240)}));
    return img;
}

inline double percentileOf(std::vector<double> v, double q)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5))];
}

/// A stroke through pad coordinates (0..1) with QTest mouse events.
inline void drawStroke(DrawingPad *pad, const QList<QPointF> &pts, Qt::MouseButton button = Qt::LeftButton)
{
    const QRectF c = pad->canvasRect();
    auto at = [&](QPointF p) { return QPoint(int(c.left() + p.x() * c.width()), int(c.top() + p.y() * c.height())); };
    QTest::mousePress(pad, button, {}, at(pts.front()));
    for (qsizetype i = 1; i < pts.size(); ++i) QTest::mouseMove(pad, at(pts[i]));
    QTest::mouseRelease(pad, button, {}, at(pts.back()));
}

inline QList<QPointF> arc(QPointF c, double r, double fromDeg, double toDeg, int n = 24)
{
    QList<QPointF> out;
    for (int i = 0; i <= n; ++i) {
        const double t = (fromDeg + (toDeg - fromDeg) * i / n) * std::numbers::pi / 180;
        out << c + r * QPointF(std::cos(t), std::sin(t));
    }
    return out;
}

inline void drawThree(DrawingPad *pad)
{
    drawStroke(pad, arc({0.5, 0.33}, 0.17, -160, 90) + arc({0.5, 0.67}, 0.19, -90, 160));
}

inline std::shared_ptr<const ael::Dataset> trainSet()
{
    static std::shared_ptr<const ael::Dataset> s;
    if (!s) {
        auto d = std::make_shared<ael::Dataset>();
#ifdef AELAB_HAVE_EMBEDDED
        *d = ael::embeddedMnist();
#endif
        if (d->empty()) {  // fallback: discs of 10 sizes
            d->rows = d->cols = 28;
            for (int c = 0; c < 10; ++c) d->classNames.push_back(std::to_string(c));
            for (int i = 0; i < 2000; ++i) {
                d->labels.push_back(uint8_t(i % 10));
                for (int y = 0; y < 28; ++y)
                    for (int x = 0; x < 28; ++x)
                        d->pixels.push_back(uint8_t(std::hypot(x - 13.5, y - 13.5) < 3 + i % 10 ? 255 : 0));
            }
        }
        // Every 5th image is a test image in the app; here the other 4 of 5 (8,000 images).
        std::vector<int> idx;
        for (int i = 0; i < d->size(); ++i)
            if (i % 5) idx.push_back(i);
        s = std::make_shared<ael::Dataset>(d->subset(idx, "train"));
    }
    return s;
}

inline std::shared_ptr<const PcaSummary> pcaOf(const ael::Dataset &train)
{
    auto s = std::make_shared<PcaSummary>();
    std::vector<int> idx;
    for (int i = 0; i < train.size(); i += 4) idx.push_back(i);
    s->pca.fit(train.subset(idx, "fit"));
    s->fitSamples = int(idx.size());
    return s;
}

inline std::shared_ptr<const ael::Model<float>> randomModel(const char *spec, bool variational = false)
{
    ael::Architecture a;
    std::string err;
    if (!ael::Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    a.variational = variational;
    auto m = std::make_shared<ael::Model<float>>(a);
    ael::Rng rng(3);
    m->initialize(rng);
    return m;
}

inline ael::Matrix column(const DigitInput &x)
{
    return Eigen::Map<const ael::Matrix>(x.pixels.data(), Eigen::Index(x.pixels.size()), 1);
}

inline float maxAbsDiff(const std::vector<float> &a, const ael::Matrix &b)
{
    if (a.size() != size_t(b.size())) return INFINITY;
    float m = 0;
    for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b.data()[i]));
    return m;
}

}  // namespace drawtest
