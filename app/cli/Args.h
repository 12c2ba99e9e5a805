#pragma once
// Flag parsing for aelab-cli's subcommands.
//
// Each subcommand declares its options; parse() accepts "--name value", "--name=value", switches
// ("--tied"), and list options that take one or more values and may repeat ("--k 2 32 --k 64").
// Every problem is a UsageError whose message names the flag ("--lr: 'abc' is not a number"); the
// caller turns it into one line on stderr and exit code 2.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace cli {

/// A bad flag or value: exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Option {
    enum Kind { Switch, Value, List };
    std::string name;     ///< without the dashes: "lr"
    Kind kind = Value;
    std::string metavar;  ///< "RATE" in the help text
    std::string help;     ///< one line; mention the default here
};

class Args {
public:
    /// `command` is the subcommand's name ("train"), `synopsis` its usage line after the command name,
    /// `summary` a sentence or two for --help.
    Args(std::string command, std::string synopsis, std::string summary);

    /// Declares an option (in help order).
    Args &add(Option::Kind kind, const std::string &name, const std::string &metavar, const std::string &help);
    Args &flag(const std::string &name, const std::string &help) { return add(Option::Switch, name, "", help); }
    Args &value(const std::string &name, const std::string &metavar, const std::string &help)
    {
        return add(Option::Value, name, metavar, help);
    }
    Args &list(const std::string &name, const std::string &metavar, const std::string &help)
    {
        return add(Option::List, name, metavar, help);
    }

    /// Parses the arguments after the subcommand. Throws UsageError.
    void parse(const std::vector<std::string> &args);

    bool wantsHelp() const { return help_; }
    /// parse(), then, when --help was given, print helpText() on stdout and return true (the command
    /// then exits 0).
    bool parseOrPrintHelp(const std::vector<std::string> &args);
    std::string helpText() const;
    const std::string &command() const { return command_; }

    /// Whether the option was given (for a switch: whether it is set).
    bool has(const std::string &name) const;
    /// A Value option's text, or `def` when absent.
    std::string text(const std::string &name, const std::string &def = {}) const;
    /// All values of a List option (in order), or `def` when absent.
    std::vector<std::string> texts(const std::string &name, const std::vector<std::string> &def = {}) const;
    /// A Value option as an integer in [lo, hi], or `def` when absent.
    long long integer(const std::string &name, long long def, long long lo, long long hi) const;
    /// A Value option as a finite number in [lo, hi], or `def` when absent.
    double number(const std::string &name, double def, double lo, double hi) const;
    /// A Value option that must be one of `choices`, or `def` when absent.
    std::string choice(const std::string &name, const std::string &def, const std::vector<std::string> &choices) const;
    /// A List option's values as integers in [lo, hi], or `def` when absent.
    std::vector<long long> integers(const std::string &name, const std::vector<long long> &def, long long lo,
                                    long long hi) const;

    /// Throws UsageError("--name: what").
    [[noreturn]] void fail(const std::string &name, const std::string &what) const;

    /// Parses one integer / number, as the accessors do, naming `name` in errors.
    long long toInteger(const std::string &name, const std::string &s, long long lo, long long hi) const;
    double toNumber(const std::string &name, const std::string &s, double lo, double hi) const;

private:
    const Option *find(const std::string &name) const;
    const Option &declared(const std::string &name) const;

    std::string command_, synopsis_, summary_;
    std::vector<Option> options_;
    std::vector<std::pair<std::string, std::vector<std::string>>> given_;  ///< name → values ("" for switches)
    bool help_ = false;
};

/// "1.5e-3" style for defaults in help texts.
std::string formatNumber(double v);

}  // namespace cli
