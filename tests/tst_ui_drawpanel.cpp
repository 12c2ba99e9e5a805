// "Draw a digit", the model side: DrawingAnalysis and the DrawPanel against the engine's own forward
// pass and PCA, "corrupt first", the nearest neighbours, timings, and the latency from a mouse move to
// the painted results while a model trains in a background thread (logged, not asserted). Saves a PNG
// of the panel with a drawn 3 to $AELAB_SCREENSHOT_DIR when that is set.
#include "DrawingTestKit.h"

#include "core/train/Trainer.h"
#include "ui/explore/DigitTiles.h"
#include "ui/explore/DrawPanel.h"
#include "ui/explore/DrawingAnalysis.h"
#include "ui/explore/DrawingPad.h"
#include "ui/widgets/Palette.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QMimeData>
#include <QLayout>
#include <QPushButton>
#include <QTemporaryDir>

#include <atomic>
#include <ctime>
#include <mutex>
#include <thread>

using namespace drawtest;

namespace {

/// CPU time of the calling thread: the work a move costs, apart from waiting for a core (the wall
/// time's tail on a busy machine).
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

}  // namespace

class TestDrawPanel : public QObject {
    Q_OBJECT
private slots:
    void analysisEqualsEngine_data();
    void analysisEqualsEngine();
    void corruptFirst();
    void buttons();
    void tallAndWide();
    void wordsFollowTheData();
    void nearestIsItself();
    void sizeMismatchIsExplained();
    void timings();
    void latencyWhileTrainingAndScreenshot();
};

void TestDrawPanel::analysisEqualsEngine_data()
{
    QTest::addColumn<bool>("variational");
    QTest::newRow("autoencoder") << false;
    QTest::newRow("variational (μ)") << true;
}

void TestDrawPanel::analysisEqualsEngine()
{
    QFETCH(bool, variational);
    const auto train = trainSet();
    const auto pca = pcaOf(*train);
    const auto model = randomModel("784-32-[2]-32-784", variational);
    DrawPanel panel;
    panel.resize(1000, 500);
    panel.setData(train);
    panel.setPca(pca);
    panel.setModel(model);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy code(&panel, &DrawPanel::codeChanged);
    drawThree(panel.pad());
    QVERIFY(code.count() > 0);
    QVERIFY(code.last().at(0).toBool());

    const DigitInput &x = panel.pad()->input();
    QVERIFY(!x.empty);
    const DrawingResult &r = panel.result();
    QVERIFY(r.valid);
    QVERIFY(!r.corrupted);
    const ael::Matrix X = column(x);
    // The AE: the engine's forward pass (no sampler: h = μ), encode and decode.
    ael::ForwardPass<float> pass;
    model->forward(X, pass, nullptr);
    QCOMPARE(maxAbsDiff(r.ae, pass.output()), 0.0f);
    ael::Matrix H, Xhat;
    model->encode(X, H);
    model->decode(H, Xhat);
    QVERIFY(maxAbsDiff(r.aeCode, H) <= 1e-6f);
    QVERIFY(maxAbsDiff(r.ae, Xhat) <= 1e-6f);
    QCOMPARE(r.aeCode2d, QPointF(H(0, 0), H(1, 0)));
    QCOMPARE(code.last().at(1).toPointF(), r.aeCode2d);
    const double aeMse = double((pass.output() - X).squaredNorm()) / 784;
    QVERIFY(std::abs(r.aeMse - aeMse) <= 1e-6);
    // PCA-k, k = min(code size, d, n − 1) = 2: reconstruct(project(x, 2)); PC1/PC2 = project(x, 2).
    QCOMPARE(r.pcaK, 2);
    const ael::Matrix Z = pca->pca.project(X, 2);
    QCOMPARE(maxAbsDiff(r.pca, pca->pca.reconstruct(Z)), 0.0f);
    QCOMPARE(r.pcaCode2d, QPointF(Z(0, 0), Z(1, 0)));
    QCOMPARE(code.last().at(2).toPointF(), r.pcaCode2d);
    QCOMPARE(r.nearest.size(), size_t(5));

    // The panel shows what was computed: the input, the AE and PCA tiles with their MSEs.
    const QVector<DigitTiles::Row> rows = panel.results()->rows();
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].tiles.size(), 3);
    QCOMPARE(rows[0].tiles[0].image, digitImage(x));
    QCOMPARE(rows[0].tiles[1].image, digitImage(r.ae.data(), 28, 28));
    QVERIFY(rows[0].tiles[1].caption.startsWith("MSE 0."));
    QCOMPARE(rows[0].tiles[2].title, QStringLiteral("PCA-2"));
    QCOMPARE(rows[1].tiles.size(), 5);
    QVERIFY(!rows[1].tiles[0].image.isNull());

    // A new model (the trainer publishes one ~15×/s) recomputes at once.
    const auto other = randomModel("784-16-[2]-16-784", variational);
    panel.setModel(other);
    other->forward(X, pass, nullptr);
    QCOMPARE(maxAbsDiff(panel.result().ae, pass.output()), 0.0f);

    // Clear: nothing drawn, the marker goes away, no NaN anywhere.
    QTest::keyClick(panel.pad(), Qt::Key_Escape);
    QVERIFY(panel.pad()->input().empty);
    QVERIFY(!panel.result().valid);
    QVERIFY(!code.last().at(0).toBool());
    QCOMPARE(panel.results()->rows()[0].tiles[0].caption, QStringLiteral("nothing drawn"));
}

void TestDrawPanel::corruptFirst()
{
    const auto train = trainSet();
    const auto model = randomModel("784-32-[2]-32-784");
    DrawPanel panel;
    panel.resize(1000, 500);
    panel.setData(train);
    panel.setModel(model);
    panel.setCorruption({ael::CorruptionKind::Masking, 0.5}, true);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    drawThree(panel.pad());
    QVERIFY(!panel.result().corrupted);
    panel.setCorruptFirst(true);
    const DrawingResult &r = panel.result();
    QVERIFY(r.corrupted);
    const ael::Matrix X = column(panel.pad()->input());
    ael::Matrix Xt;
    ael::Rng rng(DrawingAnalysis::kCorruptionSeed);
    ael::corrupt(X, Xt, {ael::CorruptionKind::Masking, 0.5}, rng);
    QCOMPARE(maxAbsDiff(r.xt, Xt), 0.0f);
    QVERIFY(Xt != X);  // half the pixels masked
    ael::ForwardPass<float> pass;
    model->forward(Xt, pass, nullptr);
    QCOMPARE(maxAbsDiff(r.ae, pass.output()), 0.0f);                                   // g(f(x̃))
    QVERIFY(std::abs(r.aeMse - double((pass.output() - X).squaredNorm()) / 784) < 1e-6);  // against the clean x
    QCOMPARE(panel.results()->rows()[0].tiles[1].title, QStringLiteral("Corrupted x̃"));
    // No corruption set: the toggle is off.
    panel.setCorruption({ael::CorruptionKind::None, 0}, false);
    QVERIFY(!panel.result().corrupted);
}

void TestDrawPanel::buttons()
{
    DrawPanel panel;
    panel.resize(1000, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto button = [&](const QString &text) {
        for (QPushButton *b : panel.findChildren<QPushButton *>())
            if (b->text() == text) return b;
        return static_cast<QPushButton *>(nullptr);
    };
    QPushButton *undo = button("Undo"), *clear = button("Clear"), *eraser = button("Eraser");
    QVERIFY(undo && clear && eraser && button("Open image…"));
    drawThree(panel.pad());
    drawStroke(panel.pad(), {{0.2, 0.9}, {0.8, 0.9}});
    QCOMPARE(panel.pad()->strokeCount(), 2);
    QTest::mouseClick(undo, Qt::LeftButton);
    QCOMPARE(panel.pad()->strokeCount(), 1);
    QTest::mouseClick(clear, Qt::LeftButton);
    QVERIFY(panel.pad()->input().empty);
    QTest::mouseClick(eraser, Qt::LeftButton);
    QVERIFY(panel.pad()->eraser());
    panel.pad()->setEraser(false);  // the button follows the pad
    QVERIFY(!eraser->isChecked());

    // A file that cannot be read: the message stays while models arrive, and goes with the next ink.
    QTemporaryDir dir;
    const QString bad = dir.filePath("not-a-digit.png");
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("no image");
    }
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(bad)});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(panel.pad(), &enter);  // a drop follows an accepted drag-enter
    QDropEvent dropEv(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(panel.pad(), &dropEv);
    auto statusText = [&] {
        QStringList texts;
        for (QLabel *l : panel.findChildren<QLabel *>()) texts << l->text();
        return texts.join('\n');
    };
    QVERIFY2(statusText().contains("not-a-digit.png"), qPrintable(statusText()));
    panel.setModel(randomModel("784-16-[2]-16-784"));
    QVERIFY(statusText().contains("not-a-digit.png"));
    drawStroke(panel.pad(), {{0.5, 0.2}, {0.5, 0.8}});
    QVERIFY(!statusText().contains("not-a-digit.png"));
}

// A side column (tall) puts the pad above the results and the buttons two by two; a bottom dock or a
// window (wide) puts them side by side. Between 1:1 and 1.3:1 the layout stays as it is.
void TestDrawPanel::tallAndWide()
{
    DrawPanel panel;
    panel.resize(1000, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto place = [&](int w, int h) {
        panel.layout()->activate();  // the minimum size of the current arrangement
        panel.resize(w, h);
        QTRY_COMPARE(panel.size(), QSize(w, h));
        panel.layout()->activate();
    };
    auto button = [&](const QString &text) {
        for (QPushButton *b : panel.findChildren<QPushButton *>())
            if (b->text() == text) return b->geometry();
        return QRect();
    };
    const QRect pad = panel.pad()->geometry(), results = panel.results()->geometry();
    QVERIFY(!panel.isTall());
    QVERIFY2(pad.right() < results.left(), "wide: the results beside the pad");
    QCOMPARE(button("Clear").top(), button("Open image…").top());  // one row of four

    place(700, 760);  // taller than wide: a side column
    QVERIFY(panel.isTall());
    place(800, 700);  // 1.14:1 — no switch either way
    QVERIFY(panel.isTall());
    place(1000, 600);
    QVERIFY(!panel.isTall());
    place(800, 700);
    QVERIFY(!panel.isTall());

    panel.setTall(true);  // what the window does for a dock beside the controls
    place(380, 700);
    QVERIFY(panel.isTall());
    QVERIFY2(panel.pad()->geometry().bottom() < panel.results()->geometry().top(), "tall: the results below the pad");
    QCOMPARE(button("Clear").top(), button("Undo").top());  // two by two
    QVERIFY(button("Eraser").top() > button("Clear").bottom());
    QVERIFY(panel.pad()->width() >= 200);
}

// With Fashion-MNIST loaded the panel said "Nearest training digits" over shoes and shirts.
void TestDrawPanel::wordsFollowTheData()
{
    DrawPanel panel;
    panel.setData(trainSet());
    QCOMPARE(panel.results()->rows()[1].title, QStringLiteral("Nearest training digits"));
    QCOMPARE(panel.title(), QStringLiteral("Draw a digit"));
    auto clothes = std::make_shared<ael::Dataset>(*trainSet());
    clothes->classNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
    panel.setData(clothes);
    QCOMPARE(panel.results()->rows()[1].title, QStringLiteral("Nearest training images"));
    QCOMPARE(panel.title(), QStringLiteral("Draw an image"));  // the panel's heading and its dock's title
}

void TestDrawPanel::nearestIsItself()
{
    const auto train = trainSet();
    DrawingAnalysis a;
    a.setData(train);
    QCOMPARE(a.searched().size(), size_t(std::min(train->size(), DrawingAnalysis::kMaxSearched)));
    for (int i : {0, 17, 4321}) {
        if (i >= train->size()) continue;
        DigitInput x;
        x.empty = false;
        for (int p = 0; p < train->dim(); ++p) x.pixels.push_back(train->image(i)[p] / 255.0f);
        const DrawingResult r = a.analyze(x);
        QVERIFY(r.valid);
        QCOMPARE(r.nearest.size(), size_t(5));
        QCOMPARE(r.nearest.front(), i);
        QVERIFY(r.nearestDistance.front() < 1e-3);
        QVERIFY(std::is_sorted(r.nearestDistance.begin(), r.nearestDistance.end()));
        QVERIFY(r.ae.empty() && r.aeMse < 0);  // no model: no reconstruction, and no NaN
    }
}

void TestDrawPanel::sizeMismatchIsExplained()
{
    DrawingAnalysis a;
    a.setModel(randomModel("64-16-[2]-16-64"));
    const DigitInput x = digitFromInk(withLines(blackPad(), {QLineF(100, 50, 120, 230)}, 14));
    const DrawingResult r = a.analyze(x);
    QVERIFY(r.valid);
    QVERIFY(r.ae.empty());
    QVERIFY(r.why.contains("64"));
    const DrawingResult e = a.analyze(digitFromInk(blackPad()));
    QVERIFY(!e.valid);
    QCOMPARE(e.why, QStringLiteral("nothing drawn"));
}

void TestDrawPanel::timings()
{
    // Preprocessing: the ink of a 480-px pad (a 3) → 28×28.
    DrawingPad pad;
    pad.resize(488, 488);
    pad.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pad));
    drawThree(&pad);
    const QImage ink = pad.inkImage();
    std::vector<double> pre;
    for (int i = 0; i < 200; ++i) {
        const auto t0 = Clock::now();
        const DigitInput d = digitFromInk(ink);
        pre.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        QVERIFY(!d.empty);
    }
    // The analysis with the lecture's model and every training image searched: a new drawing each
    // time (neighbours recomputed) and a new model on the same drawing (neighbours cached).
    const auto train = trainSet();
    DrawingAnalysis a;
    a.setData(train);
    a.setPca(pcaOf(*train));
    const auto model = randomModel("784-256-[2]-256-784");
    a.setModel(model);
    DigitInput x = pad.input();
    std::vector<double> fresh, sameInput;
    for (int i = 0; i < 200; ++i) {
        x.pixels[size_t(100 + i % 500)] = float(i % 255) / 255;  // a different input every time
        const DrawingResult r = a.analyze(x);
        fresh.push_back(r.seconds * 1e3);
        a.setModel(model);
        sameInput.push_back(a.analyze(x).seconds * 1e3);
    }
    qInfo("preprocessing (480-px pad → 28×28): median %.3f ms, p95 %.3f ms", percentileOf(pre, 0.5), percentileOf(pre, 0.95));
    qInfo("analysis, 784-256-[2]-256-784, %d training digits searched: new drawing median %.3f ms (p95 %.3f), "
          "new model only median %.3f ms (p95 %.3f)",
          int(a.searched().size()), percentileOf(fresh, 0.5), percentileOf(fresh, 0.95), percentileOf(sameInput, 0.5),
          percentileOf(sameInput, 0.95));
}

void TestDrawPanel::latencyWhileTrainingAndScreenshot()
{
    // The lecture's model trains in a background thread and publishes a copy ~15×/s, as the window's
    // trainer does; meanwhile a 3 is drawn with mouse moves. Latency = from the mouse move until the
    // event loop has painted the new ink and the new results (the widgets' posted update requests).
    const auto train = trainSet();
    ael::Architecture arch;
    std::string err;
    QVERIFY(ael::Architecture::parseSpec("784-256-[2]-256-784", arch, &err));
    ael::Trainer trainer(arch, ael::TrainSettings{}, *train, 1);
    std::mutex mutex;
    auto latest = std::make_shared<const ael::Model<float>>(trainer.model());
    std::atomic<bool> stop{false};
    std::atomic<long long> steps{0};
    std::thread worker([&] {
        auto last = Clock::now();
        while (!stop) {
            trainer.step();
            ++steps;
            if (Clock::now() - last > std::chrono::milliseconds(66)) {
                auto m = std::make_shared<const ael::Model<float>>(trainer.model());
                std::lock_guard lock(mutex);
                latest = std::move(m);
                last = Clock::now();
            }
        }
    });
    DrawPanel panel;
    panel.resize(1280, 600);
    panel.setData(train);
    panel.setPca(pcaOf(*train));
    panel.setCorruption({ael::CorruptionKind::Masking, 0.3}, false);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    std::shared_ptr<const ael::Model<float>> shown;
    auto publish = [&] {
        std::shared_ptr<const ael::Model<float>> m;
        {
            std::lock_guard lock(mutex);
            m = latest;
        }
        if (m != shown) panel.setModel(shown = m);
    };
    QElapsedTimer warm;
    warm.start();
    while (warm.elapsed() < 4000) {  // some training first, so the picture shows a real model
        publish();
        QTest::qWait(30);
    }

    DrawingPad *pad = panel.pad();
    const QRectF c = pad->canvasRect();
    auto at = [&](QPointF p) { return QPoint(int(c.left() + p.x() * c.width()), int(c.top() + p.y() * c.height())); };
    const QList<QPointF> three = arc({0.5, 0.33}, 0.17, -160, 90, 60) + arc({0.5, 0.67}, 0.19, -90, 160, 60);
    // One measurement: the 3 drawn three times; per move the total, the event handling (ink, recipe,
    // analysis, tiles) and the analysis alone.
    auto measure = [&](const char *what) {
        std::vector<double> total, handle, analysis, cpu;
        int unpainted = 0;  // moves after which the results were not painted (should be none)
        const long long steps0 = steps;
        QElapsedTimer during;
        during.start();
        for (int round = 0; round < 3; ++round) {
            QTest::keyClick(pad, Qt::Key_Escape);
            QTest::mousePress(pad, Qt::LeftButton, {}, at(three.front()));
            for (qsizetype i = 1; i < three.size(); ++i) {
                publish();
                QCoreApplication::processEvents();
                const double c0 = threadCpuMs();
                const auto t0 = Clock::now();
                QTest::mouseMove(pad, at(three[i]));
                const auto t1 = Clock::now();
                // Paint what changed, as the app's event loop does: the new piece of ink and the results.
                const int paints = panel.results()->paintCount();
                QCoreApplication::processEvents();
                if (panel.results()->paintCount() == paints) ++unpainted;
                total.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                cpu.push_back(threadCpuMs() - c0);
                handle.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
                analysis.push_back(panel.result().seconds * 1e3);
            }
            QTest::mouseRelease(pad, Qt::LeftButton, {}, at(three.back()));
        }
        const double rate = double(steps - steps0) * 128 / (during.elapsed() / 1e3);
        qInfo("%s (%.0f samples/s): mouse move → ink and results painted, %zu moves: p50 %.2f ms, p95 %.2f ms, "
              "max %.2f ms (GUI-thread CPU p50 %.2f ms, p95 %.2f ms); of which event handling p50 %.2f ms (p95 %.2f), "
              "analysis p50 %.3f ms (p95 %.3f)",
              what, rate, total.size(), percentileOf(total, 0.5), percentileOf(total, 0.95), percentileOf(total, 1.0),
              percentileOf(cpu, 0.5), percentileOf(cpu, 0.95),
              percentileOf(handle, 0.5), percentileOf(handle, 0.95), percentileOf(analysis, 0.5),
              percentileOf(analysis, 0.95));
        QCOMPARE(unpainted, 0);
    };
    measure("while training");
    stop = true;
    worker.join();
    measure("idle");
    QVERIFY(panel.result().valid);
    QVERIFY(!panel.result().ae.empty());

    const QString dir = qEnvironmentVariable("AELAB_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        panel.setCorruptFirst(true);
        const QString path = QDir(dir).filePath("draw-panel.png");
        QVERIFY(panel.grab().save(path));
        qInfo("saved %s", qPrintable(path));
        panel.resize(620, 1000);  // a side dock: the results go below the pad
        QCoreApplication::processEvents();
        QVERIFY(panel.results()->geometry().top() > panel.pad()->geometry().bottom());
        QVERIFY(panel.grab().save(QDir(dir).filePath("draw-panel-tall.png")));
    }
}

QTEST_MAIN(TestDrawPanel)
#include "tst_ui_drawpanel.moc"
