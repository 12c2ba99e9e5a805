// Model files (core/io/ModelFile.h): bit-exact round trips and every rejection.
#include "core/Rng.h"
#include "core/io/JsonLimits.h"
#include "core/io/ModelFile.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

using namespace ael;
using json = nlohmann::ordered_json;

namespace {

Architecture archFromSpec(const char *spec, ActivationKind hidden, ActivationKind code, ActivationKind output,
                          bool tied, bool variational)
{
    Architecture a;
    std::string err;
    if (!Architecture::parseSpec(spec, a, &err)) qFatal("%s", err.c_str());
    a.hidden = hidden;
    a.codeActivation = code;
    a.output = output;
    a.tied = tied;
    a.variational = variational;
    return a;
}

/// Fresh weights, then every parameter (biases included) overwritten with random values and a few
/// awkward bit patterns (−0, a denormal, the largest float) so bit-exactness is really tested.
void fillAwkward(Model<float> &m, uint64_t seed)
{
    Rng rng(seed);
    m.initialize(rng);
    for (Param<float> *p : m.params()) {
        for (Eigen::Index i = 0; i < p->value.size(); ++i) p->value.data()[i] = float(rng.normal());
        p->value.data()[0] = -0.0f;
        if (p->value.size() > 1) p->value.data()[1] = std::numeric_limits<float>::denorm_min();
        if (p->value.size() > 2) p->value.data()[2] = std::numeric_limits<float>::max();
    }
}

bool sameBits(const Matrix &a, const Matrix &b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(float)) == 0;
}

void compareSettings(const TrainSettings &a, const TrainSettings &b)
{
    QCOMPARE(int(a.variant), int(b.variant));
    QCOMPARE(int(a.loss), int(b.loss));
    QCOMPARE(int(a.optimizer), int(b.optimizer));
    QCOMPARE(a.opt.learningRate, b.opt.learningRate);
    QCOMPARE(a.opt.momentum, b.opt.momentum);
    QCOMPARE(a.opt.beta1, b.opt.beta1);
    QCOMPARE(a.opt.beta2, b.opt.beta2);
    QCOMPARE(a.opt.epsilon, b.opt.epsilon);
    QCOMPARE(a.batchSize, b.batchSize);
    QCOMPARE(a.shuffle, b.shuffle);
    QCOMPARE(int(a.corruption.kind), int(b.corruption.kind));
    QCOMPARE(a.corruption.rate, b.corruption.rate);
    QCOMPARE(int(a.sparsity), int(b.sparsity));
    QCOMPARE(a.sparsityWeight, b.sparsityWeight);
    QCOMPARE(a.sparsityTarget, b.sparsityTarget);
    QCOMPARE(a.contractiveLambda, b.contractiveLambda);
    QCOMPARE(a.beta, b.beta);
}

/// A small valid model file's pieces, to be broken one way at a time.
struct Pieces {
    std::vector<NamedTensor> tensors;
    json config;
    std::map<std::string, std::string> extra;
};

Pieces validPieces()
{
    Architecture a = archFromSpec("6-4-[2]-4-6", ActivationKind::ReLU, ActivationKind::Linear, ActivationKind::Sigmoid,
                                  false, false);
    Model<float> m(a);
    fillAwkward(m, 3);
    Pieces p;
    for (const Param<float> *q : m.params()) p.tensors.push_back({q->name, q->value});
    p.config = {{"format", "aelab-model"},
                {"version", kModelFormatVersion},
                {"architecture", architectureToJson(a)},
                {"settings", settingsToJson(TrainSettings{})}};
    return p;
}

std::vector<uint8_t> image(const Pieces &p, bool withConfig = true, const std::string &rawConfig = {})
{
    std::map<std::string, std::string> md = p.extra;
    if (withConfig) md["aelab"] = rawConfig.empty() ? p.config.dump() : rawConfig;
    return serializeSafetensors(p.tensors, md, "test");
}

/// JSON written with single quotes (moc mis-lexes escaped quotes in raw strings).
std::string qq(std::string s)
{
    std::replace(s.begin(), s.end(), '\'', '"');
    return s;
}

NamedTensor *tensor(Pieces &p, const std::string &name)
{
    for (auto &t : p.tensors)
        if (t.name == name) return &t;
    qFatal("no tensor %s", name.c_str());
}

}  // namespace

class TestModelFile : public QObject {
    Q_OBJECT
private slots:
    void roundTripIsBitExact_data();
    void roundTripIsBitExact();
    void settingsRoundTrip_data();
    void settingsRoundTrip();
    void tensorsAreNamedParams();
    void configMatchesEarlierBuilds();
    void rejects_data();
    void rejects();
    void rejectsBadFiles();
    void saveRejects();
};

void TestModelFile::roundTripIsBitExact_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("output");
    QTest::addColumn<bool>("tied");
    QTest::addColumn<bool>("variational");
    using A = ActivationKind;
    QTest::newRow("lecture 2-D") << "784-256-[2]-256-784" << int(A::ReLU) << int(A::Linear) << int(A::Sigmoid) << false << false;
    QTest::newRow("deep B") << "784-512-128-[32]-128-512-784" << int(A::ReLU) << int(A::Linear) << int(A::Sigmoid) << false << false;
    QTest::newRow("shallow C") << "784-[64]-784" << int(A::Sigmoid) << int(A::Sigmoid) << int(A::Sigmoid) << false << false;
    QTest::newRow("tied") << "784-[32]-784" << int(A::Tanh) << int(A::Tanh) << int(A::Sigmoid) << true << false;
    QTest::newRow("variational") << "784-256-[2]-256-784" << int(A::ReLU) << int(A::Linear) << int(A::Sigmoid) << false << true;
    QTest::newRow("variational shallow") << "10-[3]-10" << int(A::Tanh) << int(A::Linear) << int(A::Linear) << false << true;
    QTest::newRow("asymmetric") << "12-9-[1]-5-7-12" << int(A::Tanh) << int(A::Sigmoid) << int(A::Linear) << false << false;
    QTest::newRow("overcomplete") << "5-[11]-5" << int(A::ReLU) << int(A::ReLU) << int(A::Sigmoid) << false << false;
}

void TestModelFile::roundTripIsBitExact()
{
    QFETCH(QString, spec);
    QFETCH(int, hidden);
    QFETCH(int, code);
    QFETCH(int, output);
    QFETCH(bool, tied);
    QFETCH(bool, variational);
    const Architecture a = archFromSpec(spec.toStdString().c_str(), ActivationKind(hidden), ActivationKind(code),
                                        ActivationKind(output), tied, variational);
    Model<float> m(a);
    fillAwkward(m, 11);
    TrainSettings s;
    s.variant = variational ? Variant::Variational : Variant::Denoising;
    s.batchSize = 37;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("m.safetensors").toStdString();
    saveModel(path, m, s, {{"steps", "1234"}, {"seed", "42"}});

    const LoadedModel l = loadModel(path);
    QVERIFY(l.arch == a);
    QVERIFY(l.model->arch() == a);
    QCOMPARE(l.model->params().size(), m.params().size());
    for (size_t i = 0; i < m.params().size(); ++i) {
        QCOMPARE(l.model->params()[i]->name, m.params()[i]->name);
        QVERIFY2(sameBits(l.model->params()[i]->value, m.params()[i]->value), m.params()[i]->name.c_str());
    }
    compareSettings(l.settings, s);
    QCOMPARE(l.metadata.size(), size_t(2));
    QCOMPARE(l.metadata.at("steps"), std::string("1234"));
    QCOMPARE(l.metadata.at("seed"), std::string("42"));
    // The loaded model computes the same function.
    Matrix X = Matrix::Random(a.input, 3).cwiseAbs();
    Matrix Y1, Y2;
    m.decode(Matrix::Ones(a.code, 2), Y1);
    l.model->decode(Matrix::Ones(a.code, 2), Y2);
    QVERIFY(sameBits(Y1, Y2));
    Matrix H1, H2;
    m.encode(X, H1);
    l.model->encode(X, H2);
    QVERIFY(sameBits(H1, H2));
}

void TestModelFile::settingsRoundTrip_data()
{
    QTest::addColumn<int>("which");
    QTest::newRow("defaults") << 0;
    QTest::newRow("sparse kl sgd bce") << 1;
    QTest::newRow("gaussian denoising") << 2;
    QTest::newRow("contractive awkward doubles") << 3;
}

void TestModelFile::settingsRoundTrip()
{
    QFETCH(int, which);
    Architecture a = archFromSpec("20-[4]-20", ActivationKind::Sigmoid, ActivationKind::Sigmoid,
                                  ActivationKind::Sigmoid, false, false);
    TrainSettings s;
    switch (which) {
    case 1:
        s.variant = Variant::Sparse;
        s.sparsity = SparsityKind::KL;
        s.sparsityTarget = 0.0123;
        s.sparsityWeight = 0.7;
        s.optimizer = OptimizerKind::SGD;
        s.opt.momentum = 0.95;
        s.loss = LossKind::BCE;
        s.shuffle = false;
        break;
    case 2:
        s.variant = Variant::Denoising;
        s.corruption = {CorruptionKind::Gaussian, 2.5};
        s.batchSize = 1;
        break;
    case 3:
        s.variant = Variant::Contractive;
        s.contractiveLambda = 0.1 + 0.2;  // 0.30000000000000004
        s.opt.learningRate = 1.0 / 3.0;
        s.opt.beta2 = 0.99999999;
        s.opt.epsilon = 1e-12;
        s.beta = 1234.5678e-3;
        s.batchSize = 65536;
        break;
    default: break;
    }
    QVERIFY(s.validate(a).empty());
    Model<float> m(a);
    fillAwkward(m, 5);
    QTemporaryDir dir;
    const std::string path = dir.filePath("s.safetensors").toStdString();
    saveModel(path, m, s);
    const LoadedModel l = loadModel(path);
    compareSettings(l.settings, s);
    QVERIFY(l.metadata.empty());
}

void TestModelFile::tensorsAreNamedParams()
{
    Architecture a = archFromSpec("784-[32]-784", ActivationKind::Sigmoid, ActivationKind::Sigmoid,
                                  ActivationKind::Sigmoid, true, false);
    Model<float> m(a);
    fillAwkward(m, 1);
    QTemporaryDir dir;
    const std::string path = dir.filePath("t.safetensors").toStdString();
    saveModel(path, m, TrainSettings{}, {{"epoch", "3"}});
    const SafetensorsFile f = loadSafetensors(path);
    QCOMPARE(f.tensors.size(), size_t(3));  // encoder W, b; tied decoder: bias only
    QCOMPARE(f.tensors[0].name, std::string("encoder.0.weight"));
    QCOMPARE(f.tensors[0].value.rows(), Eigen::Index(32));
    QCOMPARE(f.tensors[0].value.cols(), Eigen::Index(784));
    QCOMPARE(f.tensors[1].name, std::string("encoder.0.bias"));
    QCOMPARE(f.tensors[2].name, std::string("decoder.0.bias"));
    QCOMPARE(f.metadata.at("epoch"), std::string("3"));
    const json config = json::parse(f.metadata.at("aelab"));
    QCOMPARE(config["version"].get<int>(), kModelFormatVersion);
    QCOMPARE(config["architecture"]["spec"].get<std::string>(), std::string("784-[32]-784"));
    QCOMPARE(config["architecture"]["tied"].get<bool>(), true);
    QCOMPARE(config["settings"]["variant"].get<std::string>(), std::string("undercomplete"));
}

// The "aelab" configuration as the build before nlohmann/json wrote it for this model: the text written
// now is the same text, byte for byte (an integral setting is written "2", as before), and the earlier
// text still loads.
void TestModelFile::configMatchesEarlierBuilds()
{
    const std::string earlier = qq(
        "{'format':'aelab-model','version':1,'architecture':{'spec':'6-4-[2]-4-6','input':6,'encoderHidden':[4],"
        "'code':2,'decoderHidden':[4],'activations':{'hidden':'relu','code':'linear','output':'sigmoid'},'tied':false,"
        "'variational':false},'settings':{'variant':'sparse','loss':'mse','optimizer':'adam',"
        "'learningRate':0.0123456789012345,'momentum':0.9,'beta1':0.9,'beta2':0.999,'epsilon':1e-08,'batchSize':37,"
        "'shuffle':true,'corruption':{'kind':'masking','rate':0.3},'sparsity':'l1',"
        "'sparsityWeight':4.2857142857142856e-05,'sparsityTarget':0.05,'contractiveLambda':0.001,'beta':2}}");
    const Architecture a = archFromSpec("6-4-[2]-4-6", ActivationKind::ReLU, ActivationKind::Linear,
                                        ActivationKind::Sigmoid, false, false);
    Model<float> m(a);
    fillAwkward(m, 4);
    TrainSettings s;
    s.variant = Variant::Sparse;
    s.opt.learningRate = 0.0123456789012345;
    s.batchSize = 37;
    s.sparsityWeight = 3.0e-4 / 7.0;
    s.beta = 2.0;
    const std::vector<uint8_t> bytes = serializeModel(m, s, {{"seed", "42"}}, "now");
    const std::string now = loadSafetensorsFromMemory(bytes.data(), bytes.size(), "now").metadata.at("aelab");
    QVERIFY(json::parse(now) == json::parse(earlier));  // ordered_json: the same members in the same order
    QCOMPARE(now, earlier);  // byte for byte: an integral setting is still written "2"

    Pieces p = validPieces();
    p.tensors.clear();
    for (const Param<float> *q : m.params()) p.tensors.push_back({q->name, q->value});
    const std::vector<uint8_t> old = image(p, true, earlier);
    const LoadedModel l = loadModelFromMemory(old.data(), old.size(), "earlier.safetensors");
    QVERIFY(l.arch == a);
    compareSettings(l.settings, s);
}

void TestModelFile::rejects_data()
{
    QTest::addColumn<QString>("mutation");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no metadata") << "no-metadata" << "no \"aelab\" metadata";
    QTest::newRow("not json") << "not-json" << "the \"aelab\" metadata is not valid JSON: syntax error";
    // Hostile JSON text: each refused with the problem named.
    QTest::newRow("duplicate key") << "duplicate-key" << "not valid JSON: duplicate key 'code' in /architecture";
    QTest::newRow("depth 10^5") << "depth-bomb" << "not valid JSON: arrays/objects nested deeper than 64 levels";
    QTest::newRow("huge number") << "huge-number" << "not valid JSON: number overflow parsing '1e999'";
    QTest::newRow("huge integer") << "huge-integer" << "settings.batchSize is a number, expected an integer";
    QTest::newRow("NaN literal") << "nan-literal" << "not valid JSON: NaN is not a JSON number";
    QTest::newRow("Infinity literal") << "inf-literal" << "not valid JSON: -Infinity is not a JSON number";
    QTest::newRow("invalid UTF-16 escape") << "lone-surrogate" << "not valid JSON: syntax error while parsing value - invalid string: surrogate";
    QTest::newRow("trailing garbage") << "trailing-garbage" << "not valid JSON: syntax error while parsing value - unexpected '}'; expected end of input";
    QTest::newRow("many values") << "many-values" << "not valid JSON: more than 100000 values in /settings/x";
    QTest::newRow("json array") << "json-array" << "expected a JSON object";
    QTest::newRow("other format") << "other-format" << "\"format\": \"aelab-model\"";
    QTest::newRow("no version") << "no-version" << "format \"version\"";
    QTest::newRow("version 2") << "version-2" << "unknown format version 2";
    QTest::newRow("no architecture") << "no-architecture" << "has no \"architecture\"";
    QTest::newRow("no settings") << "no-settings" << "has no \"settings\"";
    QTest::newRow("width zero") << "width-zero" << "architecture.code = 0 is out of range";
    QTest::newRow("width text") << "width-text" << "architecture.encoderHidden holds \"4\"";
    QTest::newRow("unknown activation") << "bad-activation" << "architecture.activations.hidden = 'swish'";
    QTest::newRow("tied with hidden layers") << "tied-deep" << "tied weights";
    QTest::newRow("too deep") << "too-deep" << "at most 64";
    QTest::newRow("unknown variant") << "bad-variant" << "settings.variant = 'fancy'";
    QTest::newRow("missing setting") << "no-lr" << "settings has no \"learningRate\"";
    QTest::newRow("learning rate string") << "lr-string" << "settings.learningRate is a string, expected a number";
    QTest::newRow("learning rate out of range") << "lr-negative" << "learning rate";
    QTest::newRow("variational flag without variant") << "variational-mismatch" << "architecture is variational";
    QTest::newRow("missing tensor") << "missing-tensor" << "missing tensor 'decoder.1.bias'";
    QTest::newRow("wrong shape") << "wrong-shape" << "tensor 'encoder.0.weight' is 3 x 6, expected 4 x 6";
    QTest::newRow("transposed") << "transposed" << "tensor 'encoder.1.weight' is 4 x 2, expected 2 x 4";
    QTest::newRow("extra tensor") << "extra-tensor" << "unexpected tensor 'encoder.9.weight'";
    QTest::newRow("huge architecture") << "huge-arch" << "is 4 x 6, expected 100000 x 100000";
    QTest::newRow("nan weight") << "nan" << "tensor 'decoder.0.weight' holds a non-finite value";
    QTest::newRow("inf bias") << "inf" << "tensor 'decoder.1.bias' holds a non-finite value";
    // Item 3: file content reaches messages escaped and capped (before: raw ESC ]0; BEL, newlines).
    QTest::newRow("terminal escape in a value") << "escape-variant" << "settings.variant = '\\x1B]0;t\\x07\\x0Ax'";
    QTest::newRow("100,000-byte value") << "long-variant" << "settings.variant = '" + QString(80, 'a') + "...' is not";
    QTest::newRow("terminal escape in a tensor name") << "escape-tensor" << "unexpected tensor '\\x1B[2J\\x00x'";
}

void TestModelFile::rejects()
{
    QFETCH(QString, mutation);
    QFETCH(QString, expected);
    const std::string mu = mutation.toStdString();
    Pieces p = validPieces();
    bool withConfig = true;
    std::string raw;
    json &arch = p.config["architecture"];
    json &set = p.config["settings"];
    const std::string valid = p.config.dump();
    // The valid text with the first `from` replaced by `to`.
    const auto edited = [&valid](const std::string &from, const std::string &to) {
        std::string t = valid;
        const size_t at = t.find(from);
        if (at == std::string::npos) qFatal("no %s in the configuration", from.c_str());
        return t.replace(at, from.size(), to);
    };
    if (mu == "no-metadata") withConfig = false;
    else if (mu == "not-json") raw = "{\"format\": ";
    else if (mu == "json-array") raw = "[1, 2]";
    else if (mu == "duplicate-key") raw = edited("\"code\":2", "\"code\":2,\"code\":3");
    else if (mu == "depth-bomb") raw = edited("\"tied\":false", "\"tied\":" + std::string(100000, '[') + std::string(100000, ']'));
    else if (mu == "huge-number") raw = edited("\"learningRate\":0.002", "\"learningRate\":1e999");
    else if (mu == "huge-integer") raw = edited("\"batchSize\":64", "\"batchSize\":1" + std::string(30, '0'));
    else if (mu == "nan-literal") raw = edited("\"learningRate\":0.002", "\"learningRate\":NaN");
    else if (mu == "inf-literal") raw = edited("\"beta1\":0.9", "\"beta1\":-Infinity");
    else if (mu == "lone-surrogate") raw = edited("\"variant\":\"undercomplete\"", "\"variant\":\"\\udc00\"");
    else if (mu == "trailing-garbage") raw = valid + "}";
    else if (mu == "many-values") {
        set["x"] = json::array();
        for (int k = 0; k < 100000; ++k) set["x"].push_back(0);
    } else if (mu == "other-format") p.config["format"] = "pytorch";
    else if (mu == "no-version") p.config["version"] = "1";
    else if (mu == "version-2") p.config["version"] = 2;
    else if (mu == "no-architecture") p.config = {{"format", "aelab-model"}, {"version", 1}, {"settings", set}};
    else if (mu == "no-settings") p.config = {{"format", "aelab-model"}, {"version", 1}, {"architecture", arch}};
    else if (mu == "width-zero") arch["code"] = 0;
    else if (mu == "width-text") arch["encoderHidden"] = {"4"};
    else if (mu == "bad-activation") arch["activations"]["hidden"] = "swish";
    else if (mu == "tied-deep") arch["tied"] = true;
    else if (mu == "too-deep") arch["encoderHidden"] = std::vector<int>(65, 4);
    else if (mu == "bad-variant") set["variant"] = "fancy";
    else if (mu == "escape-variant") set["variant"] = "\x1b]0;t\x07\nx";
    else if (mu == "long-variant") set["variant"] = std::string(100000, 'a');
    else if (mu == "escape-tensor") p.tensors.push_back({std::string("\x1b[2J\0x", 6), Matrix::Zero(2, 2)});
    else if (mu == "no-lr") set.erase("learningRate");
    else if (mu == "lr-string") set["learningRate"] = "0.001";
    else if (mu == "lr-negative") set["learningRate"] = -1.0;
    else if (mu == "variational-mismatch") arch["variational"] = true;
    else if (mu == "missing-tensor") p.tensors.pop_back();
    else if (mu == "wrong-shape") tensor(p, "encoder.0.weight")->value = Matrix::Zero(3, 6);
    else if (mu == "transposed") tensor(p, "encoder.1.weight")->value.transposeInPlace();
    else if (mu == "extra-tensor") p.tensors.push_back({"encoder.9.weight", Matrix::Zero(2, 2)});
    else if (mu == "huge-arch") {
        arch["input"] = 100000;
        arch["encoderHidden"] = std::vector<int>(64, 100000);
        arch["decoderHidden"] = std::vector<int>(64, 100000);
        arch["code"] = 100000;
        expected = "tensor 'encoder.0.weight' is 4 x 6, expected 100000 x 100000";
    } else if (mu == "nan") tensor(p, "decoder.0.weight")->value(1, 0) = std::nanf("");
    else if (mu == "inf") tensor(p, "decoder.1.bias")->value(5, 0) = -std::numeric_limits<float>::infinity();
    else QFAIL("unknown mutation");

    const std::vector<uint8_t> bytes = image(p, withConfig, raw);
    try {
        loadModelFromMemory(bytes.data(), bytes.size(), "broken.safetensors");
        QFAIL("accepted a broken model file");
    } catch (const FormatError &e) {
        const QString msg = QString::fromUtf8(e.what());
        QVERIFY2(msg.startsWith("broken.safetensors: "), qPrintable(msg));
        QVERIFY2(msg.contains(expected), qPrintable(msg));
        QVERIFY2(msg.size() < 2000, qPrintable(msg.left(200)));
        for (QChar c : msg) QVERIFY2(c >= QChar(0x20), qPrintable(msg));
    }
}

void TestModelFile::rejectsBadFiles()
{
    QTemporaryDir dir;
    const std::string missing = dir.filePath("nope.safetensors").toStdString();
    QVERIFY_THROWS_EXCEPTION(FormatError, loadModel(missing));
    try {
        loadModel(missing);
    } catch (const FormatError &e) {
        QVERIFY(QString(e.what()).contains("nope.safetensors"));
    }
    const QString garbage = dir.filePath("garbage.safetensors");
    QFile f(garbage);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not a model file at all");
    f.close();
    try {
        loadModel(garbage.toStdString());
        QFAIL("accepted garbage");
    } catch (const FormatError &e) {
        QVERIFY2(QString(e.what()).startsWith(garbage), e.what());
    }
    // A valid file loads from disk too, and the validation applies there as well.
    Pieces p = validPieces();
    const std::string good = dir.filePath("good.safetensors").toStdString();
    saveSafetensors(good, p.tensors, {{"aelab", p.config.dump()}});
    QCOMPARE(loadModel(good).model->params().size(), size_t(8));
    p.tensors.pop_back();
    saveSafetensors(good, p.tensors, {{"aelab", p.config.dump()}});
    QVERIFY_THROWS_EXCEPTION(FormatError, loadModel(good));
}

void TestModelFile::saveRejects()
{
    Architecture a = archFromSpec("6-[2]-6", ActivationKind::ReLU, ActivationKind::Linear, ActivationKind::Sigmoid,
                                  false, true);
    Model<float> m(a);
    fillAwkward(m, 2);
    QTemporaryDir dir;
    const std::string path = dir.filePath("x.safetensors").toStdString();
    TrainSettings s;  // undercomplete, but the model is variational
    QVERIFY_THROWS_EXCEPTION(FormatError, saveModel(path, m, s));
    s.variant = Variant::Variational;
    QVERIFY_THROWS_EXCEPTION(FormatError, saveModel(path, m, s, {{"aelab", "mine"}}));
    QVERIFY(!QFile::exists(QString::fromStdString(path)));
    saveModel(path, m, s);
    QVERIFY(QFile::exists(QString::fromStdString(path)));
}

QTEST_APPLESS_MAIN(TestModelFile)
#include "tst_modelfile.moc"
