// The lecture's claims (Goodfellow et al., ch. 14), checked on the embedded MNIST digits.
#include "core/data/Embedded.h"
#include "core/data/Split.h"
#include "core/pca/Pca.h"
#include "core/pca/Subspace.h"
#include "core/train/Trainer.h"

#include <QtTest>

using namespace ael;

namespace {

Architecture archOf(const char *spec, ActivationKind hidden, ActivationKind code, ActivationKind out)
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    a.hidden = hidden;
    a.codeActivation = code;
    a.output = out;
    return a;
}

void trainEpoch(Trainer &t)
{
    do {
        const StepResult r = t.step();
        if (r.diverged) QFAIL(r.message.c_str());
    } while (t.positionInEpoch() != 0);
}

/// Mean over images of ‖x − x̂‖² / ‖x‖²: the fraction of each input's energy the AE loses.
double relativeError(const Trainer &t, const Dataset &d)
{
    Matrix X, H, R;
    d.range(0, d.size(), X);
    t.model().encode(X, H);
    t.model().decode(H, R);
    return ((R - X).colwise().squaredNorm().array() / X.colwise().squaredNorm().array().max(1e-6f)).mean();
}

}  // namespace

class TestLecture : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void linearAutoencoderSpansPcaSubspace();
    void nonlinearTwoDimensionalCodeBeatsPca();
    void overcompleteCopiesDenoisingDoesNot();

private:
    Split split_;
    Pca pca_;
};

void TestLecture::initTestCase()
{
    split_ = stratifiedSplit(embeddedMnist());
    pca_.fit(split_.train);
}

// A linear undercomplete AE with MSE learns the PCA subspace (the decoder's columns span the top-k
// principal subspace). k = 6 because MNIST's eigenvalue gap λ6/λ7 ≈ 1.34 is the clearest among
// small k, so "converged" is reached in seconds; the learning rate is annealed through setSettings.
void TestLecture::linearAutoencoderSpansPcaSubspace()
{
    const int k = 6;
    TrainSettings s;
    s.opt.learningRate = 3e-3;
    s.batchSize = 128;
    Trainer t(archOf("784-[6]-784", ActivationKind::Linear, ActivationKind::Linear, ActivationKind::Linear), s,
              split_.train, 1);
    double angle = 90;
    for (int epoch = 0; epoch < 45 && angle >= 2.0; ++epoch) {
        trainEpoch(t);
        if (epoch >= 15) {
            s.opt.learningRate *= 0.85;
            QVERIFY(t.setSettings(s).empty());
        }
        angle = largestPrincipalAngleDeg(MatRefF(t.model().denseDecoder(0)->weight().value), MatRefF(pca_.components(k)));
    }
    qInfo("largest principal angle %.2f°, AE test MSE %.5f, PCA-%d test MSE %.5f", angle,
          t.evaluate(split_.test).mse, k, pca_.reconstructionMse(split_.test, k));
    QVERIFY2(angle < 5.0, qPrintable(QString("largest principal angle %1°").arg(angle)));
    // …and it is no better than PCA, which is optimal among linear maps of rank k (on the training set).
    QVERIFY(t.evaluate(split_.train).mse >= pca_.reconstructionMse(split_.train, k) * 0.999);
}

// With a 2-D code the nonlinear AE 784-256-[2]-256-784 beats PCA-2 on test MSE within 10 epochs.
void TestLecture::nonlinearTwoDimensionalCodeBeatsPca()
{
    const double pca2 = pca_.reconstructionMse(split_.test, 2);
    Trainer t(Architecture{}, TrainSettings{}, split_.train, 1);
    double mse = 1;
    int epoch = 0;
    while (epoch < 10 && mse >= pca2) {
        trainEpoch(t);
        ++epoch;
        mse = t.evaluate(split_.test).mse;
    }
    qInfo("AE test MSE %.4f after %d epochs vs PCA-2 %.4f", mse, epoch, pca2);
    QVERIFY2(mse < pca2, qPrintable(QString("AE %1 vs PCA-2 %2 after 10 epochs").arg(mse).arg(pca2)));
}

// An overcomplete AE (k = 1024 > d = 784) with no regularizer learns to copy: it reconstructs random
// noise images about as well as digits. A denoising AE of the same shape maps the noise toward digits.
// The noise lives on the pixels where the digits vary (elsewhere no training signal exists at all).
void TestLecture::overcompleteCopiesDenoisingDoesNot()
{
    const Dataset &train = split_.train;
    std::vector<double> mean(784, 0), sq(784, 0);
    for (int n = 0; n < train.size(); ++n)
        for (int i = 0; i < 784; ++i) {
            const double v = train.image(n)[i] / 255.0;
            mean[size_t(i)] += v;
            sq[size_t(i)] += v * v;
        }
    Dataset noise = split_.test.subset([&] {
        std::vector<int> idx(500);
        std::iota(idx.begin(), idx.end(), 0);
        return idx;
    }(), "noise");
    Rng rng(9);
    for (size_t i = 0; i < noise.pixels.size(); ++i) {
        const size_t p = i % 784;
        const double m = mean[p] / train.size(), sd = std::sqrt(sq[p] / train.size() - m * m);
        noise.pixels[i] = sd > 0.2 ? uint8_t(rng.below(256)) : 0;
    }
    const Architecture a = archOf("784-[1024]-784", ActivationKind::Linear, ActivationKind::Linear, ActivationKind::Linear);
    TrainSettings s;
    s.batchSize = 64;
    Trainer plain(a, s, train, 1);
    for (int e = 0; e < 6; ++e) trainEpoch(plain);
    s.variant = Variant::Denoising;
    s.corruption = {CorruptionKind::Masking, 0.5};
    Trainer dae(a, s, train, 1);
    for (int e = 0; e < 3; ++e) trainEpoch(dae);

    const double plainDigits = relativeError(plain, split_.test), plainNoise = relativeError(plain, noise);
    const double daeDigits = relativeError(dae, split_.test), daeNoise = relativeError(dae, noise);
    qInfo("energy lost — overcomplete: digits %.3f, noise %.3f; denoising: digits %.3f, noise %.3f", plainDigits,
          plainNoise, daeDigits, daeNoise);
    QVERIFY(plainDigits < 0.05);
    QVERIFY(plainNoise < 0.08);             // copies noise too: it learned (close to) the identity
    QVERIFY(daeNoise > 0.3);                // does not copy noise
    QVERIFY(daeNoise > 5 * plainNoise);
}

QTEST_APPLESS_MAIN(TestLecture)
#include "tst_lecture.moc"
