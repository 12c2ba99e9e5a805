// core/pca/DecoderSpan: which matrix stands for the decoder's span (one layer, tied, deep,
// variational), whether the model is linear, and the comparison with an orthonormal PCA basis
// (principal angles and the numbers that show a basis of the right span is not the components).
#include "core/nn/Model.h"
#include "core/pca/DecoderSpan.h"
#include "core/Rng.h"

#include <Eigen/LU>
#include <Eigen/QR>
#include <QtTest>

#include <cmath>

using namespace ael;

namespace {

Architecture archOf(const char *spec, ActivationKind hidden, ActivationKind code, ActivationKind out, bool tied = false,
                    bool variational = false)
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    a.hidden = hidden, a.codeActivation = code, a.output = out, a.tied = tied, a.variational = variational;
    return a;
}

/// An orthonormal d x k basis (Q of a Gaussian matrix's QR).
Eigen::MatrixXd randomBasis(int d, int k, unsigned seed)
{
    std::srand(seed);
    const Eigen::MatrixXd G = Eigen::MatrixXd::Random(d, k);
    return Eigen::HouseholderQR<Eigen::MatrixXd>(G).householderQ() * Eigen::MatrixXd::Identity(d, k);
}

}  // namespace

class TestDecoderSpan : public QObject {
    Q_OBJECT
private slots:
    void picksTheMatrix_data();
    void picksTheMatrix();
    void sameSpanOtherBasis();
    void knownAngle_data();
    void knownAngle();
    void componentsThemselves();
};

void TestDecoderSpan::picksTheMatrix_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("out");
    QTest::addColumn<bool>("tied");
    QTest::addColumn<bool>("variational");
    QTest::addColumn<int>("columns");
    QTest::addColumn<bool>("linear");
    const int L = int(ActivationKind::Linear), S = int(ActivationKind::Sigmoid), R = int(ActivationKind::ReLU);
    QTest::newRow("linear one layer") << "20-[4]-20" << R << L << L << false << false << 4 << true;
    QTest::newRow("sigmoid output") << "20-[4]-20" << R << L << S << false << false << 4 << false;
    QTest::newRow("tied linear") << "20-[4]-20" << R << L << L << true << false << 4 << true;
    QTest::newRow("deep relu") << "20-8-[4]-8-20" << R << L << S << false << false << 8 << false;
    QTest::newRow("deep all linear") << "20-8-[4]-8-20" << L << L << L << false << false << 8 << true;
    QTest::newRow("variational") << "20-[4]-20" << R << L << L << false << true << 4 << true;
}

void TestDecoderSpan::picksTheMatrix()
{
    QFETCH(QString, spec);
    QFETCH(int, hidden);
    QFETCH(int, code);
    QFETCH(int, out);
    QFETCH(bool, tied);
    QFETCH(bool, variational);
    QFETCH(int, columns);
    QFETCH(bool, linear);
    Model<float> m(archOf(qPrintable(spec), ActivationKind(hidden), ActivationKind(code), ActivationKind(out), tied, variational));
    Rng rng(3);
    m.initialize(rng);
    const DecoderSpan s = decoderSpan(m);
    QCOMPARE(int(s.W.rows()), 20);
    QCOMPARE(int(s.W.cols()), columns);
    QCOMPARE(s.linear, linear);
    QCOMPARE(s.tied, tied);
    QCOMPARE(s.variational, variational);
    // The decoder's reconstruction of a code h is  act(W_last · (…) + b): check W against the layer
    // (or, tied, against the encoder's transpose), entry by entry.
    const Eigen::MatrixXd expected = tied ? Eigen::MatrixXd(m.encoder(0).weight().value.transpose().cast<double>())
                                          : Eigen::MatrixXd(m.denseDecoder(m.decoderDepth() - 1)->weight().value.cast<double>());
    QCOMPARE(expected.rows(), s.W.rows());
    QVERIFY((expected - s.W).cwiseAbs().maxCoeff() == 0.0);
    if (tied) {  // and it really is what the model decodes with: r = W h + b for a linear tied model
        Matrix H = Matrix::Zero(4, 1);
        H(1, 0) = 1;
        Matrix r0, r1;
        m.decode(Matrix::Zero(4, 1), r0);
        m.decode(H, r1);
        QVERIFY(((r1 - r0).cast<double>() - s.W.col(1)).cwiseAbs().maxCoeff() < 1e-5);
    }
}

// W = Q R (any invertible R): the same span, so every angle is 0 — but W's columns are neither
// orthogonal nor the basis vectors.
void TestDecoderSpan::sameSpanOtherBasis()
{
    const Eigen::MatrixXd Q = randomBasis(30, 5, 1);
    Eigen::MatrixXd R(5, 5);
    R << 2, 1, 0, 0, 0.5,  //
        0, 1, 1, 0, 0,     //
        0, 0, 3, 1, 0,     //
        1, 0, 0, 1, 1,     //
        0, 0, 0, 0.5, 1;
    QVERIFY(std::abs(R.determinant()) > 0.1);
    const SpanComparison c = compareSpans(Q * R, Q);
    QCOMPARE(c.anglesDeg.size(), Eigen::Index(5));
    QVERIFY2(c.largestDeg < 1e-5, qPrintable(QString::number(c.largestDeg)));
    QVERIFY(c.maxColumnCos > 0.2);
    QVERIFY(c.normRatio > 1.5);
    QVERIFY(c.meanBestPcCos < 0.99);
}

void TestDecoderSpan::knownAngle_data()
{
    QTest::addColumn<double>("deg");
    for (double d : {0.0, 10.0, 45.0, 80.0, 90.0}) QTest::newRow(qPrintable(QString::number(d))) << d;
}

// span{cos θ e1 + sin θ e3, e2} against span{e1, e2}: angles {0, θ}.
void TestDecoderSpan::knownAngle()
{
    QFETCH(double, deg);
    const double t = deg * M_PI / 180;
    Eigen::MatrixXd P = Eigen::MatrixXd::Zero(6, 2), W = Eigen::MatrixXd::Zero(6, 2);
    P(0, 0) = P(1, 1) = 1;
    W(0, 0) = std::cos(t), W(2, 0) = std::sin(t), W(1, 1) = 3;
    const SpanComparison c = compareSpans(W, P);
    QVERIFY2(std::abs(c.largestDeg - deg) < 1e-6, qPrintable(QString::number(c.largestDeg)));
    QVERIFY(std::abs(c.anglesDeg(0)) < 1e-6);
    QVERIFY(c.maxColumnCos < 1e-12);                   // orthogonal columns
    QVERIFY(std::abs(c.normRatio - 3) < 1e-12);        // norms 1 and 3
    // best |cos| with a PC: column 1 → cos θ (with e1), column 2 → 1 (it is e2)
    QVERIFY(std::abs(c.meanBestPcCos - (std::abs(std::cos(t)) + 1) / 2) < 1e-12);
}

// The components themselves (up to sign and scale): angles 0, orthogonal, every column a PC.
void TestDecoderSpan::componentsThemselves()
{
    const Eigen::MatrixXd Q = randomBasis(40, 6, 2);
    Eigen::MatrixXd W = Q;
    W.col(2) *= -4;
    const SpanComparison c = compareSpans(W, Q);
    QVERIFY(c.largestDeg < 1e-5);
    QVERIFY(c.maxColumnCos < 1e-10);
    QVERIFY(std::abs(c.meanBestPcCos - 1) < 1e-10);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, compareSpans(Eigen::MatrixXd::Zero(5, 2), Q));
}

QTEST_APPLESS_MAIN(TestDecoderSpan)
#include "tst_decoderspan.moc"
