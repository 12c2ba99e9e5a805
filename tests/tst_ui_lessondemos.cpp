// The lesson demos (ui/lessons/demos/), fed real Snapshots of small models trained on the embedded digits (or an
// exact identity built by hand). Each figure is checked against an independent computation or a model with a known
// property; each picture against pixels of the colour it must draw. AELAB_DEMO_PNG_DIR saves every demo as PNG.
#include "PresentationTestKit.h"
#include "core/Rng.h"
#include "core/data/Dataset.h"
#include "core/nn/Model.h"
#include "core/pca/ProbabilisticPca.h"
#include "core/train/Corruption.h"
#include "core/train/Trainer.h"
#include "ui/lessons/LessonDemo.h"
#include "ui/lessons/demos/ContractionCloudDemo.h"
#include "ui/lessons/demos/DenoiseVsPlainDemo.h"
#include "ui/lessons/demos/NoiseCopyDemo.h"
#include "ui/lessons/demos/OutOfDistributionDemo.h"
#include "ui/lessons/demos/PpcaVsVaeDemo.h"
#include "ui/training/DataBundle.h"
#include "ui/widgets/Palette.h"

#include <QFile>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

using ael::Architecture;
using ael::Matrix;
using ael::Model;
using ModelPtr = std::shared_ptr<const Model<float>>;

namespace {

Architecture arch(const char *spec, ael::ActivationKind output = ael::ActivationKind::Sigmoid)
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    a.output = output;
    return a;
}

// An exact identity: 784-[784]-784, linear code and output, W = I, b = 0 (the overcomplete copier).
ModelPtr identityModel()
{
    auto m = std::make_shared<Model<float>>(arch("784-[784]-784", ael::ActivationKind::Linear));
    for (auto *layer : {&m->encoder(0), m->denseDecoder(0)}) {
        layer->weight().value.setIdentity();
        layer->bias().value.setZero();
    }
    return m;
}

ModelPtr train(const Architecture &a, ael::TrainSettings s, const ael::Dataset &data, int steps)
{
    s.batchSize = 64;
    s.opt.learningRate = 3e-3;
    ael::Trainer t(a, s, data, 1);
    for (int i = 0; i < steps; ++i) t.step();
    return std::make_shared<const Model<float>>(t.model());
}

double mse(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += double(a[i] - b[i]) * double(a[i] - b[i]);
    return s / double(n);
}

// Pixels of exactly this colour in a grab.
/// Pixels within `tolerance` (Euclidean, RGB units) of c; 0: exactly c. An antialiased 1.5 px line at a
/// fractional y has few pixels of exactly its colour, but always a row close to it.
int countColor(const QImage &img, const QColor &c, int tolerance = 0)
{
    const QImage im = img.convertToFormat(QImage::Format_RGB32);
    int n = 0;
    for (int y = 0; y < im.height(); ++y) {
        const QRgb *line = reinterpret_cast<const QRgb *>(im.constScanLine(y));
        for (int x = 0; x < im.width(); ++x) {
            const int dr = qRed(line[x]) - c.red(), dg = qGreen(line[x]) - c.green(), db = qBlue(line[x]) - c.blue();
            n += dr * dr + dg * dg + db * db <= tolerance * tolerance;
        }
    }
    return n;
}

}  // namespace

class TestLessonDemos : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void factory_data();
    void factory();
    void factoryKnowsEveryListedId();
    void noiseCopy();
    void denoiseVsPlain();
    void contractionCloud();
    void ppcaVsVae();
    void outOfDistribution_data();
    void outOfDistribution();
    void destroyWhileTraining();
    void resetDropsWork();
    void smallPrintLeftOutWhenPresenting_data();
    void smallPrintLeftOutWhenPresenting();
    void shortTitleWhenPresenting();
    void cloudTextReadableWhenPresenting();
    void pictures();

private:
    Snapshot snapshot(ModelPtr m, const ael::TrainSettings &s, qint64 step, const QString &variant) const;
    template <class D> void feed(D &demo, const Snapshot &s)
    {
        const int before = demo.resultCount();
        demo.applySnapshot(s);
        QTRY_VERIFY_WITH_TIMEOUT(demo.resultCount() > before, 30000);
    }
    /// The identity as "the denoising model" (masking at `rate`), and its plain twin trained 60 steps.
    void identityAsDenoiser(DenoiseVsPlainDemo &demo, double rate)
    {
        ael::TrainSettings s;
        s.variant = ael::Variant::Denoising;
        s.corruption = {ael::CorruptionKind::Masking, rate};
        demo.setPlainBudget({60, 600, 0.05});
        feed(demo, snapshot(m_identity, s, 10, "denoising"));
        QTRY_VERIFY_WITH_TIMEOUT(demo.plainDone() && demo.plainMse() >= 0, 60000);
    }

    std::shared_ptr<DataBundle> m_data;
    ModelPtr m_under, m_vae, m_identity;
};

void TestLessonDemos::initTestCase()
{
    m_data = DataBundle::load(QStringLiteral("mnist"));
    m_data->setPca(fitPcaSummary(*m_data, 3000));
    ael::TrainSettings s;
    m_under = train(arch("784-64-[8]-64-784"), s, *m_data->train, 300);
    s.variant = ael::Variant::Variational;
    Architecture v = arch("784-64-[2]-64-784");
    v.variational = true;
    m_vae = train(v, s, *m_data->train, 300);
    m_identity = identityModel();
}

Snapshot TestLessonDemos::snapshot(ModelPtr m, const ael::TrainSettings &s, qint64 step, const QString &variant) const
{
    Snapshot snap;
    snap.model = std::move(m);
    snap.settings = std::make_shared<const ael::TrainSettings>(s);
    snap.data = m_data;
    snap.step = step;
    snap.variant = variant;
    snap.architecture = QString::fromStdString(snap.model->arch().spec());
    snap.testSet = m_data->test;
    // The latent plane: the first two code axes (origin 0), and the test codes projected on it.
    const int k = snap.model->arch().code;
    snap.latentOrigin = QVector<float>(k, 0.0f);
    snap.latentBasis = QVector<float>(2 * k, 0.0f);
    snap.latentBasis[0] = 1, snap.latentBasis[k + 1] = 1;
    Matrix X, H;
    m_data->test->range(0, 500, X);
    snap.model->encode(X, H);
    for (int j = 0; j < H.cols(); ++j) snap.latent << QPointF(H(0, j), H(1, j));
    return snap;
}

void TestLessonDemos::factory_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("className");
    QTest::newRow("noise-copy") << "noise-copy" << "NoiseCopyDemo";
    QTest::newRow("denoise-vs-plain") << "denoise-vs-plain" << "DenoiseVsPlainDemo";
    QTest::newRow("contraction-cloud") << "contraction-cloud" << "ContractionCloudDemo";
    QTest::newRow("ppca-vs-vae") << "ppca-vs-vae" << "PpcaVsVaeDemo";
    QTest::newRow("out-of-distribution") << "out-of-distribution" << "OutOfDistributionDemo";
    QTest::newRow("unknown") << "no-such-demo" << "";
    QTest::newRow("empty") << "" << "";
}

void TestLessonDemos::factory()
{
    QFETCH(QString, id);
    QFETCH(QString, className);
    std::unique_ptr<LessonDemo> d(makeLessonDemo(id));
    if (className.isEmpty()) {
        QVERIFY(!d);
        return;
    }
    QVERIFY(d);
    QCOMPARE(QString::fromLatin1(d->metaObject()->className()), className);
}

void TestLessonDemos::factoryKnowsEveryListedId()
{
    QFile f(QStringLiteral(AELAB_SOURCE_DIR "/ui/lessons/LessonDemo.h"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    // The ids are listed as:  ///   "noise-copy"   lesson 3: …
    QRegularExpression re(QStringLiteral("///\\s+\"([a-z0-9-]+)\"\\s+lesson"));
    int ids = 0;
    for (auto it = re.globalMatch(text); it.hasNext(); ++ids) {
        const QString id = it.next().captured(1);
        std::unique_ptr<LessonDemo> d(makeLessonDemo(id));
        QVERIFY2(d, qPrintable(id));
    }
    QCOMPARE(ids, 5);
}

void TestLessonDemos::noiseCopy()
{
    ael::TrainSettings s;
    NoiseCopyDemo over, under;
    over.resize(420, 260), under.resize(420, 260);
    feed(over, snapshot(m_identity, s, 1, "overcomplete"));
    feed(under, snapshot(m_under, s, 300, "undercomplete"));
    // The identity copies noise exactly, raw or kept to the digits' subspace; the 8-D model cannot.
    QVERIFY2(over.noiseMse() < 1e-8 && over.rawNoiseMse() < 1e-8, qPrintable(QString::number(over.noiseMse())));
    QVERIFY2(under.noiseMse() > 0.3 * under.noiseBaseline(), qPrintable(QString("%1 vs %2").arg(under.noiseMse()).arg(under.noiseBaseline())));
    QVERIFY2(under.noiseMse() > 2 * under.digitMse(), qPrintable(QString("%1 vs %2").arg(under.noiseMse()).arg(under.digitMse())));
    // The noise recomputed here: Rng(kNoiseSeed) column by column, only on pixels where some training
    // image has ink, then kept to the first m principal components: x = μ + W Wᵀ (n − μ).
    const auto pca = m_data->pca();
    const int m = under.components();
    QVERIFY(m > 20 && m < 784);
    QVERIFY(pca->pca.cumulativeRatio(m) >= NoiseCopyDemo::kVarianceKept);
    QVERIFY(pca->pca.cumulativeRatio(m - 1) < NoiseCopyDemo::kVarianceKept);
    ael::Rng rng(NoiseCopyDemo::kNoiseSeed);
    Matrix N(784, NoiseCopyDemo::kNoiseImages), H, R;
    const std::shared_ptr<const ael::Dataset> train = m_data->train;
    std::vector<bool> ink(784, false);
    for (int i = 0; i < train->size(); ++i)
        for (int k = 0; k < 784; ++k) ink[size_t(k)] = ink[size_t(k)] || train->image(i)[k] != 0;
    QVERIFY(std::count(ink.begin(), ink.end(), false) > 20);  // MNIST has an always-empty border
    for (int j = 0; j < N.cols(); ++j)
        for (int i = 0; i < 784; ++i) N(i, j) = ink[size_t(i)] ? rng.uniformf() : rng.uniformf() * 0.0f;
    const Eigen::MatrixXd W = pca->pca.componentsD(m);
    const Eigen::VectorXd mu = pca->pca.mean().cast<double>();
    const Eigen::MatrixXd C = N.cast<double>().colwise() - mu;
    const Matrix X = ((W * (W.transpose() * C)).colwise() + mu).cast<float>();
    m_under->encode(X, H);
    m_under->decode(H, R);
    QVERIFY(std::abs(mse(R.data(), X.data(), size_t(X.size())) - under.noiseMse()) < 1e-6);
    QVERIFY(std::abs((W.transpose() * C).squaredNorm() / double(C.size()) - under.noiseBaseline()) < 1e-6);
    qInfo("noise (%d PCs) MSE: identity %.3g, 784-64-[8]-64-784 %.4f of %.4f (its digits %.4f)", m, over.noiseMse(),
          under.noiseMse(), under.noiseBaseline(), under.digitMse());
    // The model's rows carry its blue bar; the images are drawn (black digit backgrounds).
    const QImage g = under.grab().toImage();
    QVERIFY(countColor(g, ael::ui::kAeColor) > 100);
    QVERIFY(countColor(g, Qt::black) > 500);
}

void TestLessonDemos::denoiseVsPlain()
{
    // The identity as "the denoising model" with 50 % masking: g(f(x̃)) = x̃, so measured against the
    // clean x its MSE is that of x̃ (large); measured against x̃ it would be 0.
    DenoiseVsPlainDemo demo;
    demo.resize(420, 260);
    identityAsDenoiser(demo, 0.5);
    if (QTest::currentTestFailed()) return;
    QTRY_VERIFY_WITH_TIMEOUT(demo.plainModel(), 60000);
    const auto x = demo.cleanInputs(), xt = demo.corruptedInputs();
    QVERIFY(x && xt && x->size() == xt->size() && x->size() == size_t(784 * DenoiseVsPlainDemo::kImages));
    const double xtMse = mse(xt->data(), x->data(), x->size());  // independent: x̃ against x
    QVERIFY(xtMse > 0.02);
    QVERIFY(std::abs(demo.corruptedMse() - xtMse) < 1e-6);
    QVERIFY(std::abs(demo.modelMse() - xtMse) < 1e-6);
    // The plain model's figure, recomputed from its weights on the same x̃ against the clean x.
    const Matrix Xt = Eigen::Map<const Matrix>(xt->data(), 784, DenoiseVsPlainDemo::kImages);
    Matrix H, R;
    demo.plainModel()->encode(Xt, H);
    demo.plainModel()->decode(H, R);
    const double plain = mse(R.data(), x->data(), x->size());
    QVERIFY2(std::abs(demo.plainMse() - plain) < 1e-6, qPrintable(QString("%1 vs %2").arg(demo.plainMse()).arg(plain)));
    QVERIFY(std::abs(demo.plainMse() - mse(R.data(), xt->data(), x->size())) > 1e-4);  // not against x̃
    QCOMPARE(demo.plainSteps(), 60LL);
    qInfo("denoise-vs-plain (identity, masking 50 %%): x̃ %.4f, model %.4f, plain (60 steps) %.4f", demo.corruptedMse(),
          demo.modelMse(), demo.plainMse());
    const QImage g = demo.grab().toImage();
    QVERIFY(countColor(g, ael::ui::kAeColor) > 100);
    QVERIFY(countColor(g, QColor::fromRgb(ael::ui::kPlainAeRgb)) > 100);  // the plain AE's orange bar
}

void TestLessonDemos::contractionCloud()
{
    // The same model with its first encoder layer scaled by 0.1 maps the neighbourhood into a smaller cloud.
    auto scaled = std::make_shared<Model<float>>(*m_under);
    scaled->encoder(0).weight().value *= 0.1f;
    ael::TrainSettings s;
    s.variant = ael::Variant::Contractive;
    ContractionCloudDemo demo;
    demo.resize(420, 260);
    demo.setPlainBudget({100, 600, 0.05});
    feed(demo, snapshot(m_under, s, 100, "contractive"));
    const double plain = demo.radius(), noise = demo.inputNoise();
    QCOMPARE(demo.cloud().size(), ContractionCloudDemo::kNeighbours);
    s.contractiveLambda = 0.1;
    demo.applySnapshot(snapshot(scaled, s, 200, "contractive"));
    // (a re-evaluation of step 100 for the plain AE may arrive first)
    QTRY_VERIFY_WITH_TIMEOUT(demo.idle() && demo.history().size() == 2 && demo.history().last().step == 200, 30000);
    const double small = demo.radius();
    QVERIFY2(plain > 0 && small < 0.5 * plain, qPrintable(QString("%1 vs %2").arg(small).arg(plain)));
    QCOMPARE(demo.inputNoise(), noise);  // the same neighbours (fixed seed)
    // ‖ε‖ of clipped Gaussian noise with σ = 0.1: at most σ√d = 2.8 pixels, more than half of it here.
    QVERIFY(noise > 1.0 && noise < 0.1 * std::sqrt(784.0) + 0.1);
    QCOMPARE(demo.history().size(), 2);
    QCOMPARE(demo.history()[1].lambda, 0.1);
    // The drawn cloud's spread follows the radius: points within the code distances of the centre.
    double far = 0;
    for (const QPointF &q : demo.cloud()) far = std::max(far, std::hypot(q.x() - demo.centre().x(), q.y() - demo.centre().y()));
    QVERIFY(far > 0 && far < 5 * small);
    // The plain AE trained beside it gives its radius for the same neighbours, drawn as an orange line.
    QTRY_VERIFY_WITH_TIMEOUT(demo.plainRadius() > 0 && demo.idle(), 60000);
    QCOMPARE(demo.history().size(), 2);  // re-evaluating for the plain model adds no step
    QCOMPARE(demo.radius(), small);
    qInfo("contraction radius: trained %.4f, encoder × 0.1 %.4f, plain AE (100 steps) %.4f, for ‖ε‖ %.3f", plain, small,
          demo.plainRadius(), noise);
    const QImage g = demo.grab().toImage();
    QVERIFY(countColor(g, ael::ui::kAeColor) > 50);  // the cloud's points and the history line
    QVERIFY(countColor(g, QColor::fromRgb(ael::ui::kPlainAeRgb), 60) > 20);  // the plain AE's reference line
}

void TestLessonDemos::ppcaVsVae()
{
    ael::TrainSettings s;
    s.variant = ael::Variant::Variational;
    PpcaVsVaeDemo demo;
    demo.resize(420, 260);
    feed(demo, snapshot(m_vae, s, 300, "variational"));
    QVERIFY(demo.modelHasPrior());
    QCOMPARE(demo.priorSamples().size(), PpcaVsVaeDemo::kSamples);
    QCOMPARE(demo.ppcaSamples().size(), PpcaVsVaeDemo::kSamples);
    QCOMPARE(demo.ppcaK(), 2);
    // σ² = mean of the discarded eigenvalues of the run's PCA (k = 2 = the model's code size).
    const Eigen::VectorXd &ev = m_data->pca()->pca.explainedVariance();
    QVERIFY(std::abs(demo.noiseVariance() - ev.tail(ev.size() - 2).mean()) < 1e-9);
    const QImage g = demo.grab().toImage();
    QVERIFY(countColor(g, ael::ui::kPcaColor) > 50);
    QVERIFY(countColor(g, ael::ui::kAeColor) > 50);
    // A model without a prior: PPCA still, no prior samples, no blue bar.
    PpcaVsVaeDemo plain;
    plain.resize(420, 260);
    feed(plain, snapshot(m_under, {}, 300, "undercomplete"));
    QVERIFY(!plain.modelHasPrior());
    QVERIFY(plain.priorSamples().isEmpty());
    QCOMPARE(plain.ppcaK(), 8);
    QCOMPARE(countColor(plain.grab().toImage(), ael::ui::kAeColor), 0);
    qInfo("PPCA σ² (k = 2) %.5f, (k = 8) %.5f", demo.noiseVariance(), plain.noiseVariance());
}

void TestLessonDemos::outOfDistribution_data()
{
    QTest::addColumn<bool>("builtIn");
    QTest::newRow("installed set or letters") << false;
    QTest::newRow("built-in letters") << true;
}

void TestLessonDemos::outOfDistribution()
{
    QFETCH(bool, builtIn);
    OutOfDistributionDemo demo;
    demo.resize(420, 260);
    demo.setBuiltInOnly(builtIn);
    feed(demo, snapshot(m_under, {}, 300, "undercomplete"));
    QVERIFY2(demo.ratio() > 1, qPrintable(QString::number(demo.ratio())));
    const bool fashion = QFile::exists(QStringLiteral("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"));
    QCOMPARE(demo.otherName(), !builtIn && fashion ? QString("Fashion-MNIST") : QString("rendered letters"));
    qInfo("out-of-distribution (%s): digits %.4f, other %.4f, ratio %.2f", qPrintable(demo.otherName()), demo.inMse(),
          demo.outMse(), demo.ratio());
    const QImage g = demo.grab().toImage();
    QVERIFY(countColor(g, ael::ui::kAeColor) > 100);
    QVERIFY(countColor(g, ael::ui::kPcaColor) > 100);
}

void TestLessonDemos::destroyWhileTraining()
{
    // A plain model with an endless budget: destroying the demo must stop and join its thread.
    ael::TrainSettings s;
    s.variant = ael::Variant::Denoising;
    auto *demo = new DenoiseVsPlainDemo;
    demo->setPlainBudget({1'000'000'000, 3600, 0.05});
    demo->applySnapshot(snapshot(m_under, s, 10, "denoising"));
    QTRY_VERIFY_WITH_TIMEOUT(demo->plainSteps() > 0, 30000);  // training is under way
    QVERIFY(!demo->plainDone());
    // A watchdog fails the test (instead of hanging it) if the destructor does not return.
    std::mutex m;
    std::condition_variable cv;
    bool destroyed = false;
    std::thread watchdog([&] {
        std::unique_lock lock(m);
        if (!cv.wait_for(lock, std::chrono::seconds(60), [&] { return destroyed; }))
            qFatal("destroying a demo whose plain model trains did not return");
    });
    delete demo;
    {
        std::lock_guard lock(m);
        destroyed = true;
    }
    cv.notify_all();
    watchdog.join();
}

void TestLessonDemos::resetDropsWork()
{
    ael::TrainSettings s;
    s.variant = ael::Variant::Denoising;
    DenoiseVsPlainDemo demo;
    demo.setPlainBudget({1'000'000'000, 3600, 0.05});
    feed(demo, snapshot(m_under, s, 10, "denoising"));
    QTRY_VERIFY_WITH_TIMEOUT(demo.plainSteps() > 0, 30000);
    demo.reset();  // a new run: the plain model stops, nothing of the old run is shown
    QCOMPARE(demo.plainSteps(), 0LL);
    QVERIFY(!demo.plainModel());
    QCOMPARE(demo.modelMse(), -1.0);
    QTRY_VERIFY_WITH_TIMEOUT(demo.idle(), 30000);
    QTest::qWait(200);  // results posted by the cancelled tasks arrive and are dropped
    QCOMPARE(demo.plainSteps(), 0LL);
    QCOMPARE(demo.modelMse(), -1.0);
}

void TestLessonDemos::smallPrintLeftOutWhenPresenting_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("allLines");
    QTest::newRow("presentation, lesson 3 at 1024x768") << true << QSize(420, 255) << false;
    QTest::newRow("normal, same size") << false << QSize(420, 255) << true;
    QTest::newRow("presentation, room for all") << true << QSize(840, 560) << true;
}

// Lesson 3's demo in presentation mode at 1024×768 drew its three footer lines, and so all its text,
// at 11.5 px. There it now leaves out the footer's details (kept in its tooltip) rather than shrink its
// text below 20 px; the verdict always stays.
void TestLessonDemos::smallPrintLeftOutWhenPresenting()
{
    QFETCH(bool, presentation);
    QFETCH(QSize, size);
    QFETCH(bool, allLines);
    const ScopedPresentation presenting(presentation);
    NoiseCopyDemo d;
    d.resize(size);
    feed(d, snapshot(m_identity, {}, 1, "overcomplete"));
    QTRY_VERIFY_WITH_TIMEOUT(d.idle(), 30000);
    QVERIFY(!d.grab().isNull());  // paints
    const QStringList shown = d.paintedFooter();
    QVERIFY2(!shown.isEmpty() && shown.first().startsWith(QStringLiteral("Noise is")), qPrintable(shown.join(" | ")));
    qInfo("%d footer lines at %.1f px", int(shown.size()), d.paintedPx());
    if (allLines) {
        QCOMPARE(shown.size(), 3);
        QVERIFY(d.toolTip().isEmpty());
    } else {
        // Lines go until the text is readable or only the verdict is left; here that is 16 px, where the
        // three lines had 11.5.
        QVERIFY(shown.size() < 3);
        QVERIFY(shown.size() == 1 || d.paintedPx() >= demo_paint::kReadablePx);
        QVERIFY2(d.paintedPx() >= 15, qPrintable(QString::number(d.paintedPx())));
        QVERIFY(d.toolTip().contains(QStringLiteral("Mean MSE per pixel")));  // the last line, left out first
    }
}

// Lesson 5's demo in presentation mode at 1024×768: its title, "Same x̃: denoising vs plain
// autoencoder", fitted on one line only at 13.6 px, and all the demo's text with it. A title too long
// for the demo takes its short form ("Denoising vs plain AE") and the text keeps a readable size.
void TestLessonDemos::shortTitleWhenPresenting()
{
    const ScopedPresentation presenting;
    DenoiseVsPlainDemo d;
    d.resize(420, 255);
    identityAsDenoiser(d, 0.4);  // the verdict needs both models' figures
    if (QTest::currentTestFailed()) return;
    QTRY_VERIFY_WITH_TIMEOUT(d.idle(), 60000);
    QVERIFY(!d.grab().isNull());
    QVERIFY(!d.paintedFooter().isEmpty());
    qInfo("%d footer lines at %.1f px", int(d.paintedFooter().size()), d.paintedPx());
    // 17.5 px here with the verdict alone (the long title: 13.6 px, with both footer lines).
    QVERIFY(d.paintedFooter().size() == 1 || d.paintedPx() >= demo_paint::kReadablePx);
    QVERIFY2(d.paintedPx() >= 16, qPrintable(QString::number(d.paintedPx())));
    // The verdict ("Plain AE: ×3.4 the error of the denoising model", or that it does as well), not the detail.
    QVERIFY2(!d.paintedFooter().first().startsWith(QStringLiteral("MSE vs")), qPrintable(d.paintedFooter().join(QStringLiteral(" | "))));
}

// Lesson 6's demo in presentation mode at 1024×768 held all its text at ~13 px: its panels' header
// ("latent plane, grey: test codes") and legend ("○ f(x) of a 3 · blue: f(x + ε)") had to fit half its
// width at that size. They have short forms now, and the text keeps a readable size.
void TestLessonDemos::cloudTextReadableWhenPresenting()
{
    const ScopedPresentation presenting;
    ael::TrainSettings s;
    s.variant = ael::Variant::Contractive;
    ContractionCloudDemo d;
    d.resize(420, 255);
    feed(d, snapshot(m_under, s, 100, "contractive"));
    QTRY_VERIFY_WITH_TIMEOUT(d.idle(), 30000);
    QVERIFY(!d.grab().isNull());
    QVERIFY(!d.paintedFooter().isEmpty());
    qInfo("%d footer lines at %.1f px", int(d.paintedFooter().size()), d.paintedPx());
    QVERIFY(d.paintedFooter().size() == 1 || d.paintedPx() >= demo_paint::kReadablePx);
    QVERIFY2(d.paintedPx() >= 16, qPrintable(QString::number(d.paintedPx())));
}

void TestLessonDemos::pictures()
{
    const QString dir = qEnvironmentVariable("AELAB_DEMO_PNG_DIR");
    if (dir.isEmpty()) QSKIP("set AELAB_DEMO_PNG_DIR to save the demos as PNG");
    QDir().mkpath(dir);
    // A denoising and a contractive model trained here, the rest from initTestCase.
    ael::TrainSettings dn;
    dn.variant = ael::Variant::Denoising;
    dn.corruption = {ael::CorruptionKind::Masking, 0.4};
    const ModelPtr den = train(arch("784-64-[8]-64-784"), dn, *m_data->train, 400);
    const QList<QSize> sizes = {{420, 260}, {840, 520}};
    auto save = [&](LessonDemo &d, const QString &name) {
        for (bool pres : {false, true})
            for (QSize sz : sizes) {
                ael::ui::presentationMode() = pres;
                d.resize(sz);
                const QString f = QString("%1/%2-%3x%4%5.png").arg(dir, name).arg(sz.width()).arg(sz.height())
                                      .arg(pres ? "-presentation" : "");
                QVERIFY(d.grab().save(f));
                qInfo("%s", qPrintable(f));
            }
        ael::ui::presentationMode() = false;
    };
    {
        NoiseCopyDemo a, b;
        feed(a, snapshot(m_identity, {}, 1, "overcomplete"));
        feed(b, snapshot(m_under, {}, 300, "undercomplete"));
        save(a, "noise-copy-overcomplete");
        save(b, "noise-copy-undercomplete");
        // A trained overcomplete model (k > d, no regularizer), as lesson 3 trains it.
        ael::TrainSettings os;
        os.variant = ael::Variant::Overcomplete;
        NoiseCopyDemo c;
        feed(c, snapshot(train(arch("784-[1024]-784", ael::ActivationKind::Linear), os, *m_data->train, 300), os, 300,
                         "overcomplete"));
        qInfo("trained 784-[1024]-784, 300 steps: noise MSE %.4f, digits %.4f", c.noiseMse(), c.digitMse());
        save(c, "noise-copy-trained-overcomplete");
    }
    {
        DenoiseVsPlainDemo d;
        d.setPlainBudget({1500, 30, 0.5});
        feed(d, snapshot(den, dn, 400, "denoising"));
        QTRY_VERIFY_WITH_TIMEOUT(d.plainDone(), 120000);
        feed(d, snapshot(den, dn, 401, "denoising"));
        save(d, "denoise-vs-plain");
    }
    {
        // λ grows during training: 0 → 0.03 → 0.3 (the contractive penalty, exact Jacobian)
        ael::TrainSettings cs;
        cs.variant = ael::Variant::Contractive;
        cs.batchSize = 64;
        cs.opt.learningRate = 3e-3;
        cs.contractiveLambda = 0;
        ael::Trainer t(arch("784-64-[8]-64-784"), cs, *m_data->train, 1);
        ContractionCloudDemo d;
        for (int i = 1; i <= 600; ++i) {
            if (i == 200 || i == 400) {
                cs.contractiveLambda = i == 200 ? 0.03 : 0.3;
                t.setSettings(cs);
            }
            t.step();
            if (i % 25 == 0) feed(d, snapshot(std::make_shared<const Model<float>>(t.model()), cs, i, "contractive"));
        }
        save(d, "contraction-cloud");
    }
    {
        PpcaVsVaeDemo a, b;
        ael::TrainSettings vs;
        vs.variant = ael::Variant::Variational;
        feed(a, snapshot(m_vae, vs, 300, "variational"));
        feed(b, snapshot(m_under, {}, 300, "undercomplete"));
        save(a, "ppca-vs-vae");
        save(b, "ppca-vs-vae-no-prior");
    }
    {
        OutOfDistributionDemo a, b;
        b.setBuiltInOnly(true);
        feed(a, snapshot(m_under, {}, 300, "undercomplete"));
        feed(b, snapshot(m_under, {}, 300, "undercomplete"));
        save(a, "out-of-distribution");
        save(b, "out-of-distribution-letters");
    }
}

QTEST_MAIN(TestLessonDemos)
#include "tst_ui_lessondemos.moc"
