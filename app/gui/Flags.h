#pragma once
// The GUI's command-line values, checked as aelab-cli checks its own (app/cli/Flags.cpp): a value
// that is malformed or out of range, or an unknown flag, is a usage error — a message naming the
// flag and what is wrong ("aelab: --batch: 'abc' is not a whole number") and exit status 2.
// Nothing is clamped or replaced silently.
#include <QString>

#include <stdexcept>
#include <string>

class QCommandLineParser;

namespace gui_flags {

/// A usage error; what() is "--flag: what is wrong".
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses the arguments; an unknown flag, a missing value or a stray argument throws UsageError.
/// --help prints the help and exits 0 (as QCommandLineParser::process does).
void parseOrThrow(QCommandLineParser &p, const QStringList &arguments);

/// The option's value as a whole number in [lo, hi] (throws UsageError naming the flag otherwise).
long long integer(const QCommandLineParser &p, const QString &flag, long long lo, long long hi);
/// The option's value as a finite number in [lo, hi].
double number(const QCommandLineParser &p, const QString &flag, double lo, double hi);
/// "WxH" with W in [minW, maxW] and H in [minH, maxH].
void size(const QCommandLineParser &p, const QString &flag, int &w, int &h, int minW, int maxW, int minH, int maxH);

/// Throws UsageError("--<flag>: <what>"); flag is the option name without dashes.
[[noreturn]] void fail(const QString &flag, const std::string &what);

/// Prints "aelab: <message>" to stderr (control characters escaped) and returns 2.
int usageExit(const std::string &message);

}  // namespace gui_flags
