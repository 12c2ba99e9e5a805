// The PCA panel (ui/pca): its numbers against `aelab-cli pca` on the same data, the principal angles
// of a linear autoencoder trained here with core's Trainer, the sentence for linear and non-linear
// models, and the autoencoder's point drawn at (k, test MSE). Offscreen, on Snapshots made here.
#include "PresentationTestKit.h"
#include "core/data/Dataset.h"
#include "core/pca/Subspace.h"
#include "core/train/Trainer.h"
#include "ui/pca/MseVsKPlot.h"
#include "ui/pca/PcaPanel.h"
#include "ui/pca/PlotFrame.h"
#include "ui/pca/ScreePlot.h"
#include "ui/training/DataBundle.h"
#include "ui/widgets/Palette.h"

#include <QFontMetricsF>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QRegularExpression>
#include <QtTest>

#include <cmath>
#include <memory>

#ifndef AELAB_CLI
#error "tests/CMakeLists.txt defines AELAB_CLI, the path of the built aelab-cli"
#endif

using namespace ael;

namespace {

Architecture archOf(const char *spec, ActivationKind hidden, ActivationKind code, ActivationKind out)
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    a.hidden = hidden, a.codeActivation = code, a.output = out;
    return a;
}

bool near(QRgb a, const QColor &b, int tol = 40)
{
    return std::abs(qRed(a) - b.red()) + std::abs(qGreen(a) - b.green()) + std::abs(qBlue(a) - b.blue()) <= tol;
}

}  // namespace

class TestUiPcaPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void numbersEqualCli();
    void linearAutoencoderAnglesFall();
    void sentenceSwitches_data();
    void sentenceSwitches();
    void autoencoderPointDrawnAtKAndMse();
    void anglesTextLeavesRoomForTheFigure();
    void verdictFitsWhole_data();
    void verdictFitsWhole();
    void mseLegendAvoidsTheCurve_data();
    void mseLegendAvoidsTheCurve();
    void axisCaptionWholeOrNone_data();
    void axisCaptionWholeOrNone();

private:
    Snapshot snapshotOf(const Trainer &t, const TrainSettings &s, quint64 run = 1) const;
    /// Applies the Snapshot and waits until the panel's angles belong to its model.
    void applyAndWait(PcaPanel &panel, const Snapshot &s);

    std::shared_ptr<DataBundle> m_bundle;
};

void TestUiPcaPanel::initTestCase()
{
    m_bundle = DataBundle::load(QStringLiteral("mnist"));
    m_bundle->setPca(fitPcaSummary(*m_bundle));  // what the worker's background fit stores
    QVERIFY(m_bundle->pca());
}

Snapshot TestUiPcaPanel::snapshotOf(const Trainer &t, const TrainSettings &s, quint64 run) const
{
    Snapshot snap;
    snap.runId = run;
    snap.step = t.steps();
    snap.codeSize = t.architecture().code;
    snap.model = std::make_shared<const Model<float>>(t.model());
    snap.settings = std::make_shared<const TrainSettings>(s);
    snap.data = m_bundle;
    return snap;
}

void TestUiPcaPanel::applyAndWait(PcaPanel &panel, const Snapshot &s)
{
    panel.applySnapshot(s);
    QTRY_VERIFY_WITH_TIMEOUT(panel.comparedModel() == s.model, 30000);
}

// The explained variance and the PCA-k test MSE the panel draws are those `aelab-cli pca` prints.
void TestUiPcaPanel::numbersEqualCli()
{
    QProcess p;
    p.start(QStringLiteral(AELAB_CLI), {"pca", "--data", "mnist", "--k", "1", "2", "6", "32", "100", "784"});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 6);

    PcaPanel panel;
    Snapshot s;
    s.runId = 1;
    s.codeSize = 6;
    s.data = m_bundle;
    panel.applySnapshot(s);
    QVERIFY(panel.pca());
    QCOMPARE(panel.scree()->ratios().size(), 784);
    QCOMPARE(panel.msePlot()->curve().size(), 785);
    for (const QByteArray &line : lines) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const int k = o.value("k").toInt();
        const double ev = o.value("explained_variance_ratio").toDouble(), mse = o.value("test_mse").toDouble();
        QVERIFY2(std::abs(panel.scree()->cumulative(k) - ev) <= 1e-9 * std::max(ev, 1e-3),
                 qPrintable(QString("k=%1: panel %2, cli %3").arg(k).arg(panel.scree()->cumulative(k), 0, 'g', 17).arg(ev, 0, 'g', 17)));
        QVERIFY2(std::abs(panel.msePlot()->pcaMse(k) - mse) <= 1e-9 * std::max(mse, 1e-6),
                 qPrintable(QString("k=%1: panel %2, cli %3").arg(k).arg(panel.msePlot()->pcaMse(k), 0, 'g', 17).arg(mse, 0, 'g', 17)));
    }
    // The bars are the per-component shares: their partial sums are the cumulative line.
    double sum = 0;
    for (int i = 0; i < 6; ++i) sum += panel.scree()->ratios()[i];
    QVERIFY(std::abs(sum - panel.scree()->cumulative(6)) < 1e-12);
    QVERIFY(panel.scree()->markerText().startsWith(QStringLiteral("PC1…PC6 explain ")));
}

// A linear autoencoder (linear activations, MSE, k = 6) moves its decoder's span towards PCA-6: the
// largest angle starts near 90° (random weights) and falls with training; the panel's figure is the
// one computed directly from the decoder's weights.
void TestUiPcaPanel::linearAutoencoderAnglesFall()
{
    TrainSettings s;
    s.opt.learningRate = 3e-3;
    s.batchSize = 128;
    Trainer t(archOf("784-[6]-784", ActivationKind::Linear, ActivationKind::Linear, ActivationKind::Linear), s,
              *m_bundle->train, 1);
    PcaPanel panel;
    const Matrix pcs = m_bundle->pca()->pca.components(6);
    QVector<double> largest;
    for (int round = 0; round < 3; ++round) {
        if (round > 0)
            for (int i = 0; i < 300; ++i) QVERIFY(!t.step().diverged);
        const Snapshot snap = snapshotOf(t, s);
        applyAndWait(panel, snap);
        const AnglesView *v = panel.anglesView();
        QVERIFY(v->hasAngles());
        QCOMPARE(v->kind(), AnglesView::Kind::LinearMse);
        QCOMPARE(v->input().k, 6);
        QCOMPARE(int(v->input().cmp.anglesDeg.size()), 6);
        const double direct = largestPrincipalAngleDeg(MatRefF(t.model().denseDecoder(0)->weight().value), MatRefF(pcs));
        QVERIFY2(std::abs(v->input().cmp.largestDeg - direct) < 1e-3,
                 qPrintable(QString("panel %1° vs direct %2°").arg(v->input().cmp.largestDeg).arg(direct)));
        largest.append(v->input().cmp.largestDeg);
    }
    qInfo("largest angle: %.1f° at step 0, %.1f° after 300 steps, %.1f° after 600 steps; columns' |cos| up to %.2f, "
          "nearest PC |cos| %.2f", largest[0], largest[1], largest[2], panel.anglesView()->input().cmp.maxColumnCos,
          panel.anglesView()->input().cmp.meanBestPcCos);
    QVERIFY2(largest[0] > 75, qPrintable(QString::number(largest[0])));  // a random 6-D span in 784-D
    QVERIFY2(largest[2] < largest[0] / 2, qPrintable(QString("%1 → %2").arg(largest[0]).arg(largest[2])));
    QVERIFY2(largest[2] < largest[1], qPrintable(QString("%1 → %2").arg(largest[1]).arg(largest[2])));
    QVERIFY(panel.anglesView()->sentence().contains(QStringLiteral("spans the same subspace as PCA-6")));
}

void TestUiPcaPanel::sentenceSwitches_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("output");
    QTest::addColumn<int>("variant");
    QTest::addColumn<bool>("tied");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("words");
    QTest::addColumn<QString>("matrix");  // named by its place in the network, as the Inside dock names it
    const int L = int(ActivationKind::Linear), S = int(ActivationKind::Sigmoid);
    const int mse = int(Variant::Undercomplete), sparse = int(Variant::Sparse);
    QTest::newRow("linear mse") << "784-[4]-784" << L << mse << false << int(AnglesView::Kind::LinearMse) << "same subspace as PCA-4"
                                << "Decoder W₂ (784 × 4) vs PC1…PC4";
    QTest::newRow("sigmoid output") << "784-[4]-784" << S << mse << false << int(AnglesView::Kind::NonLinear) << "linear part only"
                                    << "Decoder W₂ (784 × 4)";
    QTest::newRow("deep relu") << "784-32-[4]-32-784" << S << mse << false << int(AnglesView::Kind::NonLinear) << "linear part only"
                               << "Last decoder layer W₄ (784 × 32): does its span hold PC1…PC4?";
    QTest::newRow("deeper relu") << "784-64-32-[4]-32-64-784" << S << mse << false << int(AnglesView::Kind::NonLinear)
                                 << "linear part only" << "Last decoder layer W₆ (784 × 64)";
    QTest::newRow("linear sparse") << "784-[4]-784" << L << sparse << false << int(AnglesView::Kind::LinearRegularized) << "the sparse objective"
                                   << "Decoder W₂ (784 × 4)";
    QTest::newRow("tied linear") << "784-[4]-784" << L << mse << true << int(AnglesView::Kind::LinearMse) << "same subspace as PCA-4"
                                 << "Tied weights: decoder W₁ᵀ (784 × 4)";
}

void TestUiPcaPanel::sentenceSwitches()
{
    QFETCH(QString, spec);
    QFETCH(int, output);
    QFETCH(int, variant);
    QFETCH(bool, tied);
    QFETCH(int, kind);
    QFETCH(QString, words);
    QFETCH(QString, matrix);
    Architecture a = archOf(qPrintable(spec), ActivationKind::ReLU, ActivationKind::Linear, ActivationKind(output));
    a.tied = tied;
    TrainSettings s;
    s.variant = Variant(variant);
    Trainer t(a, s, *m_bundle->train, 2);
    PcaPanel panel;
    applyAndWait(panel, snapshotOf(t, s));
    const AnglesView *v = panel.anglesView();
    QCOMPARE(int(v->kind()), kind);
    QVERIFY2(v->sentence().contains(words), qPrintable(v->sentence()));
    QVERIFY2(v->matrixText().startsWith(matrix), qPrintable(v->matrixText()));
    // The columns compared are W's, under the same name.
    const QString name = QRegularExpression(QStringLiteral("W[\u2080-\u2089]+\u1d40?")).match(matrix).captured();
    QVERIFY(!name.isEmpty());
    QVERIFY2(v->basisText().startsWith(name + QStringLiteral("'s columns")), qPrintable(v->basisText()));
}

// The autoencoder's filled dot is drawn at (its k, its test MSE) on the log-k axis: the pixel there
// is the AE colour; after its MSE changes the dot moves (the old place is no longer AE-coloured).
void TestUiPcaPanel::autoencoderPointDrawnAtKAndMse()
{
    PcaPanel panel;
    panel.resize(400, 680);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    Snapshot s;
    s.runId = 1;
    s.codeSize = 6;
    s.testStep = 10;
    s.testMse = 0.02;
    s.data = m_bundle;
    panel.applySnapshot(s);
    MseVsKPlot *plot = panel.msePlot();
    auto where = [&](int k, double mse) {
        plot->grab();  // a paint lays out the axes
        const QRectF r = plot->axes().plot;
        // log axis from k = 1 to d = 784 (the data's dimension), linear MSE axis from 0
        const double x = r.left() + std::log(double(k)) / std::log(784.0) * r.width();
        const double y = r.bottom() - mse / plot->axes().y1 * r.height();
        return QPoint(int(std::lround(x)), int(std::lround(y)));
    };
    const QPoint at = where(6, 0.02);
    QCOMPARE(plot->axes().x0, 1.0);
    QCOMPARE(plot->axes().x1, 784.0);
    QImage img = plot->grab().toImage();
    QVERIFY2(near(img.pixel(at), ael::ui::kAeColor), qPrintable(QString("pixel %1,%2 is %3").arg(at.x()).arg(at.y()).arg(QColor(img.pixel(at)).name())));
    // PCA-6's dot, on the curve at the same k, is vermillion
    const QPoint pcaAt = where(6, plot->pcaMse(6));
    QVERIFY(std::abs(pcaAt.y() - at.y()) > 15);  // the two dots do not overlap
    QVERIFY(near(img.pixel(pcaAt), ael::ui::kPcaColor));

    s.testMse = 0.035;
    panel.applySnapshot(s);
    img = plot->grab().toImage();
    QVERIFY(!near(img.pixel(at), ael::ui::kAeColor));
    QVERIFY(near(img.pixel(where(6, 0.035)), ael::ui::kAeColor));
    const double pca6 = m_bundle->pca()->testMse(6);
    const QString expected = QStringLiteral("k = 6: AE 0.0350 %1 PCA %2").arg(0.035 < pca6 ? "<" : ">").arg(pca6, 0, 'f', 4);
    QVERIFY2(plot->verdict().startsWith(expected), qPrintable(plot->verdict() + " vs " + expected));
    // Denoising: the pair on corrupted inputs gets its own verdict; the clean one is unchanged.
    QVERIFY(plot->noisyVerdict().isEmpty());
    s.testMseNoisy = 0.05;
    s.pcaTestMseNoisy = 0.06;
    panel.applySnapshot(s);
    QCOMPARE(plot->noisyVerdict(), QStringLiteral("on corrupted x̃: AE 0.0500 < PCA 0.0600"));
    QVERIFY(plot->verdict().startsWith(expected));
}

void TestUiPcaPanel::verdictFitsWhole_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<QSize>("size");
    QTest::newRow("a dock at 1920x1080") << false << QSize(420, 330);
    QTest::newRow("presentation, dock at 1024x768") << true << QSize(390, 200);
}

// The verdict is the plot's point: "k = 2: AE 0.0448 < PCA 0.0559; PCA needs k = 6". Where it does not fit it
// takes a shorter form with both numbers whole; presentation mode at 1024 × 768 cut it to "… < PCA 0.0…". The
// titles likewise ("Variance per compon…": "Variance").
void TestUiPcaPanel::verdictFitsWhole()
{
    QFETCH(bool, presentation);
    QFETCH(QSize, size);
    const ScopedPresentation presenting(presentation);
    MseVsKPlot plot;
    plot.resize(size);
    QVector<double> curve;
    for (int k = 0; k <= 784; ++k) curve << 0.067 * std::exp(-k / 40.0);
    plot.setCurve(curve);
    // Before the first test MSE there is no verdict, and the plot paints without one (an empty list of
    // forms once crashed the paint, 1 run in 30 of `aelab --lesson 3 --show pca`).
    QCOMPARE(plot.shownVerdict(), QString());
    QVERIFY(!plot.grab().isNull());
    plot.setAutoencoder(2, 0.0448);
    const QString full = plot.verdict();
    QVERIFY2(full.contains(QStringLiteral("AE 0.0448 < PCA")) && full.contains(QStringLiteral("PCA needs k")), qPrintable(full));
    const double base = ael::ui::basePixelSize(plot.size());
    const QFontMetricsF vf(ael::ui::uiFont(base, true));
    if (presentation) QVERIFY(vf.horizontalAdvance(full) > plot.width() - base * 0.8);  // the case this row is for
    else QCOMPARE(plot.shownVerdict(), full);
    const QString shown = plot.shownVerdict();
    QVERIFY2(!shown.endsWith(QChar(0x2026)) && shown.contains(QStringLiteral("AE 0.0448 < PCA %1").arg(plot.pcaMse(2), 0, 'f', 4)), qPrintable(shown));
    QVERIFY(vf.horizontalAdvance(shown) <= plot.width() - base * 0.8);
    pca_plot::Captions c;
    c.title = QStringLiteral("Variance per component");
    c.shortTitle = QStringLiteral("Variance");
    const QFontMetricsF tf(ael::ui::uiFont(base * 1.3, true));
    QCOMPARE(pca_plot::shownTitle(c, tf, tf.horizontalAdvance(c.title)), c.title);
    QCOMPARE(pca_plot::shownTitle(c, tf, tf.horizontalAdvance(c.title) - 1), c.shortTitle);
}

void TestUiPcaPanel::mseLegendAvoidsTheCurve_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<QSize>("size");
    QTest::newRow("a tall dock") << false << QSize(400, 330);
    QTest::newRow("presentation, short dock at 1280x720") << true << QSize(400, 190);
    QTest::newRow("presentation, the dock at 1024x768, k = 16") << true << QSize(330, 170);
}

// In a short plot (presentation mode, the PCA dock at 1280×720) the legend at the bottom left lay over
// the start of the curve and the marks at k = 2. It goes where they are not: the bottom left of a tall
// plot, the top right of a short one, never over a mark at k.
void TestUiPcaPanel::mseLegendAvoidsTheCurve()
{
    QFETCH(bool, presentation);
    QFETCH(QSize, size);
    const ScopedPresentation presenting(presentation);
    MseVsKPlot plot;
    QVector<double> curve{0.0670};
    for (int k = 1; k <= 784; ++k) curve << 0.067 * std::exp(-k / 60.0);  // falling from k = 1
    plot.setCurve(curve);
    const int k = size.height() < 180 ? 16 : 2;
    const double ae = k == 2 ? 0.045 : 0.0134;
    plot.setAutoencoder(k, ae);
    plot.resize(size);
    plot.grab();  // a paint lays out the axes
    const QRectF box = plot.legendRect(), r = plot.axes().plot;
    // Lesson 8 presenting at 1024 × 768: the legend, as tall as the plot, lay over both dots. None, then.
    if (k == 16) {
        QVERIFY2(box.isNull() || (!box.contains(plot.axes().map(k, plot.pcaMse(k))) && !box.contains(plot.axes().map(k, ae))),
                 qPrintable(QStringLiteral("legend %1,%2 %3x%4").arg(box.x()).arg(box.y()).arg(box.width()).arg(box.height())));
        return;
    }
    QVERIFY(r.adjusted(-1, -1, 1, 1).contains(box));
    for (const double mse : {plot.pcaMse(2), 0.045}) QVERIFY(!box.contains(plot.axes().map(2, mse)));
    // The start of the curve (k = 1 … 3) stays clear.
    for (const double k : {1.0, 1.5, 2.0, 3.0}) QVERIFY2(!box.contains(plot.axes().map(k, curve[int(k)])), qPrintable(QString::number(k)));
    if (!presentation) QVERIFY(box.center().x() < r.center().x() && box.center().y() > r.center().y());  // bottom left
}

void TestUiPcaPanel::axisCaptionWholeOrNone_data()
{
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("shortLabel");
    QTest::addColumn<QString>("room");  // the text whose width is the room, plus one pixel
    QTest::addColumn<QString>("shown");
    QTest::newRow("the caption fits") << "cumulative" << "cum." << "cumulative" << "cumulative";
    QTest::newRow("the short one fits") << "cumulative" << "cum." << "cum.." << "cum.";
    QTest::newRow("neither fits") << "cumulative" << "cum." << "cu" << "";
    QTest::newRow("no short one: whole") << "share" << "" << "share" << "share";
    QTest::newRow("no short one: none, not 'sh…'") << "share" << "" << "sha" << "";
}

// A vertical caption is drawn whole or not at all: the scree plot two tick labels tall (the PCA dock at 1280×720,
// presenting) printed "sh…" for "share", beside ticks that already say "%".
void TestUiPcaPanel::axisCaptionWholeOrNone()
{
    QFETCH(QString, label);
    QFETCH(QString, shortLabel);
    QFETCH(QString, room);
    QFETCH(QString, shown);
    const QFontMetricsF fm(ael::ui::uiFont(19));
    QCOMPARE(pca_plot::shownAxisLabel(label, shortLabel, fm, fm.horizontalAdvance(room) + 1), shown);
}

QTEST_MAIN(TestUiPcaPanel)
#include "tst_ui_pcapanel.moc"

// A short PCA dock (three plots in a lesson's column) painted the explanation over the large angle and the
// bars: the text block now leaves out the numbers, then the sentence, when they do not fit under them.
void TestUiPcaPanel::anglesTextLeavesRoomForTheFigure()
{
    // Projector-sized text (presentation mode) is where it ran over.
    const ScopedPresentation presenting;
    AnglesView v;
    AnglesView::Input in;
    in.cmp.anglesDeg = Eigen::Vector2d(17, 22);
    in.cmp.largestDeg = 22;
    in.d = 784;
    in.m = 256;
    in.k = 2;
    in.step = 100;
    v.setInput(in);
    const QString full = v.matrixText() + QLatin1Char('\n') + v.sentence();
    v.resize(360, 700);
    QVERIFY2(v.shownText().startsWith(full), qPrintable(v.shownText()));
    v.resize(360, 240);  // the PCA panel's third plot in a 720-pixel lesson column
    QCOMPARE(v.shownText(), v.matrixText());
}
