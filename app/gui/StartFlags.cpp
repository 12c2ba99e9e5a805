#include "StartFlags.h"

#include "Flags.h"
#include "core/io/Printable.h"
#include "core/nn/Architecture.h"
#include "core/train/Memory.h"
#include "core/train/SettingsTable.h"
#include "ui/training/DataBundle.h"
#include "ui/widgets/Ask.h"
#include "ui/widgets/StatusMessage.h"
#include "ui/window/ControlPanel.h"
#include "ui/window/MainWindow.h"

#include <QCommandLineParser>
#include <QStatusBar>
#include <QTimer>

#include <exception>

using gui_flags::UsageError;

StartFlags::StartFlags(QCommandLineParser &p)
    : m_p(p),
      m_images(QStringLiteral("images"), QStringLiteral("Open this IDX images file (raw or .gz; needs --labels)."),
               QStringLiteral("FILE")),
      m_labels(QStringLiteral("labels"), QStringLiteral("The IDX labels file for --images."), QStringLiteral("FILE")),
      m_data(QStringLiteral("data"), QStringLiteral("Start with this data set: mnist (embedded) or fashion (if installed)."),
             QStringLiteral("ID")),
      m_lr(QStringLiteral("lr"), QStringLiteral("Start with this learning rate."), QStringLiteral("RATE")),
      m_quality(QStringLiteral("measure-quality"),
                QStringLiteral("Press Play on fresh weights --runs times; report the seconds until the test MSE is below "
                               "PCA-2's and at or below --target, the window-up time and the memory; exit.")),
      m_runs(QStringLiteral("runs"), QStringLiteral("Runs of --measure-quality (default 3)."), QStringLiteral("N")),
      m_target(QStringLiteral("target"), QStringLiteral("Test MSE --measure-quality waits for (default 0.047)."),
               QStringLiteral("MSE"))
{
    p.addOptions({m_images, m_labels, m_data, m_lr, m_quality, m_runs, m_target});
}

bool StartFlags::measureQuality() const { return m_p.isSet(m_quality); }
bool StartFlags::lrGiven() const { return m_p.isSet(m_lr); }

int StartFlags::parse(const QStringList &arguments)
{
    try {
        gui_flags::parseOrThrow(m_p, arguments);
    } catch (const UsageError &e) {
        return gui_flags::usageExit(e.what());
    }
    return -1;
}

int StartFlags::checkValues()
{
    using namespace gui_flags;
    const QCommandLineParser &p = m_p;
    auto has = [&](const char *name) { return p.isSet(QString::fromLatin1(name)); };
    try {
        if (has("threads")) threads = int(integer(p, QStringLiteral("threads"), 1, kMaxThreads));
        if (has("analysis-nice")) analysisNice = int(integer(p, QStringLiteral("analysis-nice"), 0, 19));
        if (has("batch")) {  // the range of the settings table's row (core/train/SettingsTable.cpp)
            const ael::SettingRow &r = *ael::settingRow("batchSize");
            batch = int(integer(p, QStringLiteral("batch"), (long long)r.lo, (long long)r.hi));
        }
        if (has("train-seconds")) trainSeconds = number(p, QStringLiteral("train-seconds"), 0, 86400);
        if (has("measure-latency")) latencySeconds = number(p, QStringLiteral("measure-latency"), 1, 86400);
        if (has("measure-draw-latency")) drawLatencySeconds = number(p, QStringLiteral("measure-draw-latency"), 1, 86400);
        if (has("lr")) lr = number(p, QStringLiteral("lr"), 1e-8, 1e4);  // aelab-cli's range
        if (has("runs")) quality.runs = int(integer(p, QStringLiteral("runs"), 1, 1000));
        if (has("target")) quality.target = number(p, QStringLiteral("target"), 1e-9, 1);
        if (p.isSet(m_data) && p.value(m_data) != QLatin1String("mnist") && p.value(m_data) != QLatin1String("fashion"))
            fail(QStringLiteral("data"), ael::printableQuoted(p.value(m_data).toStdString()) + " is not mnist or fashion");
        if (p.isSet(m_data) && p.isSet(m_images)) fail(QStringLiteral("data"), "give --data or --images/--labels, not both");
        if (has("size")) {
            int w = 0, h = 0;
            gui_flags::size(p, QStringLiteral("size"), w, h, 640, 16384, 480, 16384);
            size = QSize(w, h);
        }
        if (p.isSet(m_images) != p.isSet(m_labels))
            fail(p.isSet(m_images) ? QStringLiteral("images") : QStringLiteral("labels"),
                 p.isSet(m_images) ? "needs --labels FILE as well" : "needs --images FILE as well");
        for (const QCommandLineOption *o : {&m_images, &m_labels})
            if (p.isSet(*o) && p.value(*o).isEmpty()) fail(o->names().constFirst(), "the file name is empty");
    } catch (const UsageError &e) {
        return usageExit(e.what());
    }
    return -1;
}

int StartFlags::openData(MainWindow &w, bool unattended)
{
    const bool source = m_p.isSet(m_data) && m_p.value(m_data) != QLatin1String("mnist");  // mnist is there already
    if (!m_p.isSet(m_images) && !source) return -1;
    std::shared_ptr<const DataBundle> b;
    QString why;
    try {
        b = source ? DataBundle::load(m_p.value(m_data)) : DataBundle::loadIdxPair(m_p.value(m_images), m_p.value(m_labels));
    } catch (const std::exception &e) {  // ael::DataError names the file and the problem
        why = QString::fromStdString(ael::printableMessage(e.what()));
    } catch (...) {
        why = m_p.value(m_images) + QStringLiteral(": could not be read");
    }
    if (b) {
        // A given --arch is the first model on these images (the default one may be far too large for them).
        ael::Architecture a = w.controls()->architecture();
        std::string ignored;
        if (m_p.isSet(QStringLiteral("arch")) &&
            ael::Architecture::parseSpec(m_p.value(QStringLiteral("arch")).toStdString(), a, &ignored) && a.input == b->dim() &&
            checkArchitecture(w, a, /*quiet=*/true) < 0)
            w.controls()->setArchitecture(a);
        w.openData(std::move(b));
        return -1;
    }
    const int rc = gui_flags::usageExit((source ? "--data: " : "--images: ") + why.toStdString());
    if (unattended) return rc;
    status_message::show(w.statusBar(),
        QObject::tr("Could not load %1; the embedded digits stay").arg(m_p.value(source ? m_data : m_images)), 15000);
    QTimer::singleShot(0, &w, [&w, why] {
        ask::warning(&w, QObject::tr("Could not load the data"), QObject::tr("%1\n\nThe embedded digits stay.").arg(why));
    });
    return -1;
}

int StartFlags::checkArchitecture(MainWindow &w, const ael::Architecture &a, bool quiet)
{
    const std::string flag = "--arch: ";
    auto width = [&](int v, const char *what) -> std::string {
        if (v >= 1 && v <= kMaxWidth) return {};
        return std::string(what) + " " + std::to_string(v) + " is out of range (1 to " + std::to_string(kMaxWidth) + ")";
    };
    std::string why = width(a.code, "the code size");
    for (int h : a.encoderHidden) why = why.empty() ? width(h, "a hidden width") : why;
    for (int h : a.decoderHidden) why = why.empty() ? width(h, "a hidden width") : why;
    const std::shared_ptr<const DataBundle> d = w.data();
    if (why.empty() && d && a.input != d->dim() && !quiet)
        why = "the architecture expects " + std::to_string(a.input) + " inputs but the images of " + d->label.toStdString() +
              " have " + std::to_string(d->dim()) + " pixels; give --arch " + std::to_string(d->dim()) + "-...-" +
              std::to_string(d->dim());
    if (why.empty()) why = a.validate();
    if (why.empty()) {
        const ael::TrainSettings s = w.controls()->settings();
        why = ael::whyTooLarge(ael::trainingBytes(a, s.batchSize, s.optimizer), "training " + a.spec());
    }
    if (why.empty()) return -1;
    return quiet ? 2 : gui_flags::usageExit(flag + why);
}
