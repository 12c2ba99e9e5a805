// The tied decoder layer (core/nn/TiedDense.h) inside a Model: the layer plan, one parameter (and one
// optimizer slot) for the shared W, copies that use their own encoder, and model files written before
// the layer existed (tests/data/tied-64-8-64*.safetensors) loading into bit-identical reconstructions.
// The gradients themselves are checked by finite differences in tst_gradients.
#include "core/io/ModelFile.h"
#include "core/nn/Model.h"
#include "core/Rng.h"

#include <QtTest>

#include <cstring>

using namespace ael;
using MatD = Mat<double>;

namespace {

Architecture tiedArch(const char *spec, ActivationKind act)
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    a.hidden = a.codeActivation = a.output = act;
    a.tied = true;
    return a;
}

bool sameBits(const Matrix &a, const Matrix &b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(float)) == 0;
}

const std::string kOldFile = AELAB_SOURCE_DIR "/tests/data/tied-64-8-64.safetensors";
const std::string kOldExpected = AELAB_SOURCE_DIR "/tests/data/tied-64-8-64.expected.safetensors";

}  // namespace

class TestTied : public QObject {
    Q_OBJECT
private slots:
    void layerPlan();
    void forwardByHand();
    void sharedWeightHasOneSlot();
    void gradientIsEncoderPlusDecoderTransposed();
    void copyUsesItsOwnEncoder();
    void oldFileLoadsBitIdentical();
    void savedLikeBefore();
};

// Architecture::layers() is what Model builds and what a model file holds.
void TestTied::layerPlan()
{
    Architecture a = tiedArch("6-[3]-6", ActivationKind::Sigmoid);
    std::vector<LayerSpec> l = a.layers();
    QCOMPARE(int(l.size()), 2);
    QCOMPARE(l[0].name, std::string("encoder.0"));
    QVERIFY(l[0].encoder && l[0].in == 6 && l[0].out == 3 && l[0].tiedTo.empty());
    QCOMPARE(l[1].name, std::string("decoder.0"));
    QVERIFY(!l[1].encoder && l[1].in == 3 && l[1].out == 6);
    QCOMPARE(l[1].tiedTo, std::string("encoder.0"));

    Architecture v;
    QVERIFY(Architecture::parseSpec("10-7-[2]-5-10", v, nullptr));
    v.variational = true;
    l = v.layers();
    QCOMPARE(int(l.size()), 4);
    QVERIFY(l[1].name == "encoder.1" && l[1].out == 4 && l[1].activation == ActivationKind::Linear);  // [μ; log σ²]
    QVERIFY(l[2].name == "decoder.0" && l[2].in == 2 && l[2].out == 5);
    QVERIFY(l[3].name == "decoder.1" && l[3].out == 10 && l[3].activation == v.output);
    for (const LayerSpec &s : l) QVERIFY(s.tiedTo.empty());
}

// 3-[2]-3, linear: W = [1 2 3; 4 5 6], h = (1, −1), b = (0.5, 0, −0.5): Wᵀh + b = (−3, −3, −3) + b.
void TestTied::forwardByHand()
{
    Model<double> m(tiedArch("3-[2]-3", ActivationKind::Linear));
    m.encoder(0).weight().value = (MatD(2, 3) << 1, 2, 3, 4, 5, 6).finished();
    auto *tied = dynamic_cast<TiedDense<double> *>(&m.decoder(0));
    QVERIFY(tied);
    QVERIFY(!m.denseDecoder(0));
    tied->bias().value = (MatD(3, 1) << 0.5, 0, -0.5).finished();
    MatD xhat;
    m.decode((MatD(2, 1) << 1, -1).finished(), xhat);
    QCOMPARE(xhat(0, 0), -2.5);
    QCOMPARE(xhat(1, 0), -3.0);
    QCOMPARE(xhat(2, 0), -3.5);
}

// The shared W is one parameter: encoder.0.weight, encoder.0.bias, decoder.0.bias in slots 0, 1, 2.
void TestTied::sharedWeightHasOneSlot()
{
    Model<float> m(tiedArch("784-[32]-784", ActivationKind::Sigmoid));
    const auto p = m.params();
    QCOMPARE(int(p.size()), 3);
    const char *names[] = {"encoder.0.weight", "encoder.0.bias", "decoder.0.bias"};
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(p[size_t(i)]->name, std::string(names[i]));
        QCOMPARE(p[size_t(i)]->slot, i);
    }
    QCOMPARE(m.parameterCount(), size_t(32 * 784 + 32 + 784));
    // The same seed gives the same encoder as an untied model: the tied layer draws no random numbers.
    Architecture untied = m.arch();
    untied.tied = false;
    Model<float> u(untied);
    Rng r1(7), r2(7);
    m.initialize(r1);
    u.initialize(r2);
    QVERIFY(sameBits(m.encoder(0).weight().value, u.encoder(0).weight().value));
    QVERIFY(m.params()[2]->value.isZero());
}

// With W_dec = W_encᵀ in an untied twin, the tied model's ∂L/∂W is ∂L/∂W_enc + (∂L/∂W_dec)ᵀ.
void TestTied::gradientIsEncoderPlusDecoderTransposed()
{
    Architecture a = tiedArch("5-[3]-5", ActivationKind::Sigmoid);
    Model<double> tied(a);
    Rng rng(3);
    tied.initialize(rng);
    a.tied = false;
    Model<double> twin(a);
    twin.encoder(0).weight().value = tied.encoder(0).weight().value;
    twin.denseDecoder(0)->weight().value = tied.encoder(0).weight().value.transpose();
    MatD X(5, 4);
    for (Eigen::Index i = 0; i < X.size(); ++i) X.data()[i] = rng.uniform();
    auto gradients = [&](Model<double> &m) {
        m.zeroGrad();
        ForwardPass<double> p;
        m.forward(X, p);
        m.backward(p, MatD(p.output() - X));
    };
    gradients(tied);
    gradients(twin);
    const MatD expected = twin.encoder(0).weight().grad + twin.denseDecoder(0)->weight().grad.transpose();
    QVERIFY(twin.denseDecoder(0)->weight().grad.norm() > 1e-3);  // the decoder's share really counts
    QVERIFY((tied.encoder(0).weight().grad - expected).cwiseAbs().maxCoeff() < 1e-14);
}

// A copy (and a copy-assigned or moved model) decodes with its own encoder's W, not the original's.
void TestTied::copyUsesItsOwnEncoder()
{
    auto original = std::make_unique<Model<float>>(tiedArch("6-[3]-6", ActivationKind::Sigmoid));
    Rng rng(5);
    original->initialize(rng);
    const Matrix H = Matrix::Constant(3, 2, 0.7f);
    Matrix before, after;
    original->decode(H, before);

    Model<float> copy(*original);
    Model<float> assigned(tiedArch("6-[2]-6", ActivationKind::Linear));
    assigned = *original;
    const auto &tiedCopy = dynamic_cast<const TiedDense<float> &>(copy.decoder(0));
    QCOMPARE(&tiedCopy.sharedWeight(), &copy.encoder(0).weight());
    original->encoder(0).weight().value.setZero();
    original.reset();  // a copy that still pointed at it would read freed memory (and ASan would say so)
    for (Model<float> *m : {&copy, &assigned}) {
        m->decode(H, after);
        QVERIFY(sameBits(after, before));
    }
    Model<float> moved(std::move(copy));
    moved.decode(H, after);
    QVERIFY(sameBits(after, before));
    QCOMPARE(&dynamic_cast<const TiedDense<float> &>(moved.decoder(0)).sharedWeight(), &moved.encoder(0).weight());
}

// A tied model file written by the build before the tied layer existed (64-[8]-64, sigmoid, no
// "decoder.0.weight"), with that build's reconstructions of 32 inputs in a companion file. Loaded now,
// the model reconstructs them with the same arithmetic as then: Z = W_encᵀ H + b_dec, Y = σ(Z).
void TestTied::oldFileLoadsBitIdentical()
{
    const LoadedModel loaded = loadModel(kOldFile);
    QVERIFY(loaded.arch.tied);
    QCOMPARE(loaded.metadata.at("note"), std::string("written before TiedDense"));
    const SafetensorsFile expected = loadSafetensors(kOldExpected);
    const Matrix &X = expected.find("x")->value, &old = expected.find("xhat")->value;
    QCOMPARE(X.cols(), Eigen::Index(32));

    ForwardPass<float> p;
    loaded.model->forward(X, p);
    // The removed Model code, term by term, on this machine's vector unit:
    Matrix z(64, X.cols()), y(64, X.cols());
    z.noalias() = loaded.model->encoder(0).weight().value.transpose() * p.h;
    z.colwise() += loaded.model->params()[2]->value.col(0);
    makeActivation<float>(ActivationKind::Sigmoid)->apply(z, y);
    QVERIFY(sameBits(p.output(), y));
    // The stored reconstructions came from that code on the machine that wrote them; another vector unit
    // may round the products differently (AVX-512 sums in another order), hence a tolerance of a few ulp.
    const float worst = (p.output() - old).cwiseAbs().maxCoeff();
    qInfo("stored reconstructions: %s, largest difference %g", sameBits(p.output(), old) ? "bit-identical" : "close", worst);
    QVERIFY2(worst <= 4e-7f, qPrintable(QString::number(worst)));
}

// Saving the loaded model writes the same tensors as the old build did, byte for byte.
void TestTied::savedLikeBefore()
{
    const LoadedModel loaded = loadModel(kOldFile);
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("again.safetensors")).toStdString();
    saveModel(path, *loaded.model, loaded.settings, loaded.metadata);
    QFile a(QString::fromStdString(kOldFile)), b(QString::fromStdString(path));
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    const QByteArray before = a.readAll(), again = b.readAll();
    QVERIFY(!before.contains("decoder.0.weight"));
    QCOMPARE(again.size(), before.size());
    QVERIFY(again == before);
}

QTEST_APPLESS_MAIN(TestTied)
#include "tst_tied.moc"
