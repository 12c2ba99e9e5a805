#include "Flags.h"

#include "core/io/Printable.h"

#include <QCommandLineParser>
#include <QStringList>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace gui_flags {

namespace {

std::string quoted(const QString &v) { return ael::printableQuoted(v.toStdString()); }

std::string formatNumber(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

}  // namespace

void fail(const QString &flag, const std::string &what)
{
    throw UsageError("--" + flag.toStdString() + ": " + what);
}

void parseOrThrow(QCommandLineParser &p, const QStringList &arguments)
{
    const QCommandLineOption help = p.addHelpOption();
    const bool ok = p.parse(arguments);
    if (ok && p.isSet(help)) p.showHelp(0);  // exits
    if (!p.unknownOptionNames().isEmpty()) {
        const QString name = p.unknownOptionNames().constFirst();
        throw UsageError((name.size() == 1 ? "-" : "--") + ael::printableMessage(name.toStdString(), 80) +
                         ": unknown flag (see aelab --help)");
    }
    if (!ok) throw UsageError(ael::printableMessage(p.errorText().toStdString(), 200));
    if (!p.positionalArguments().isEmpty())
        throw UsageError("unexpected argument " + quoted(p.positionalArguments().constFirst()) + " (options start with --)");
}

long long integer(const QCommandLineParser &p, const QString &flag, long long lo, long long hi)
{
    const std::string s = p.value(flag).toStdString();
    errno = 0;
    char *end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno == ERANGE) fail(flag, quoted(p.value(flag)) + " is not a whole number");
    if (v < lo || v > hi)
        fail(flag, std::to_string(v) + " is out of range (" + std::to_string(lo) + " to " + std::to_string(hi) + ")");
    return v;
}

double number(const QCommandLineParser &p, const QString &flag, double lo, double hi)
{
    const std::string s = p.value(flag).toStdString();
    errno = 0;
    char *end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || !std::isfinite(v)) fail(flag, quoted(p.value(flag)) + " is not a number");
    if (v < lo || v > hi) fail(flag, s + " is out of range (" + formatNumber(lo) + " to " + formatNumber(hi) + ")");
    return v;
}

void size(const QCommandLineParser &p, const QString &flag, int &w, int &h, int minW, int maxW, int minH, int maxH)
{
    const QStringList wh = p.value(flag).split(QLatin1Char('x'));
    bool okW = false, okH = false;
    const int W = wh.size() == 2 ? wh[0].toInt(&okW) : 0, H = wh.size() == 2 ? wh[1].toInt(&okH) : 0;
    if (!okW || !okH) fail(flag, quoted(p.value(flag)) + " is not WIDTHxHEIGHT (e.g. 1920x1080)");
    if (W < minW || W > maxW || H < minH || H > maxH)
        fail(flag, p.value(flag).toStdString() + " is out of range (" + std::to_string(minW) + "x" + std::to_string(minH) +
                    " to " + std::to_string(maxW) + "x" + std::to_string(maxH) + ")");
    w = W;
    h = H;
}

int usageExit(const std::string &message)
{
    std::fprintf(stderr, "aelab: %s\n", ael::printableMessage(message).c_str());
    return 2;
}

}  // namespace gui_flags
