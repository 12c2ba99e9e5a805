#pragma once
// aelab-cli's flags on top of CLI11: one CLI::App with a subcommand per command.
//
// A subcommand declares its flags with value() / list() / sw(); the checks that need only the value
// (a whole number in a range, one of a few words) are CLI11 validators, so they run while parsing and
// their message names the flag ("--lr: 'abc' is not a number"). Checks of combinations run in the
// command and throw UsageError through fail(). main() turns both into one line on stderr and exit 2.
#include <CLI/CLI.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace cli {

/// A bad flag or value: exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Display width: UTF-8 continuation bytes take no column (λ, ρ, β in metavars; → and ᵀ in bench's tables).
size_t columns(const std::string &t);

/// Throws UsageError("--flag: what").
[[noreturn]] void fail(const std::string &flag, const std::string &what);

/// Adds the subcommand `name` to `app`: `synopsis` is its usage line after the name, `summary` the
/// one line of the command list, `description` the paragraph of its --help.
CLI::App *addCommand(CLI::App &app, const std::string &name, const std::string &synopsis, const std::string &summary,
                     const std::string &description);
/// The formatter of aelab-cli's top-level --help (the command list and the exit codes).
void useTopLevelHelp(CLI::App &app);

/// "--name METAVAR": one value; given twice, the last one wins.
CLI::Option *value(CLI::App &c, const std::string &name, const std::string &metavar, const std::string &help);
/// "--name METAVAR...": one or more values, repeatable ("--k 2 32 --k 64").
CLI::Option *list(CLI::App &c, const std::string &name, const std::string &metavar, const std::string &help);
/// "--name": a switch (also "--name=false"); read it with on().
CLI::Option *sw(CLI::App &c, const std::string &name, const std::string &help);

/// Validators (checked on every value of the flag). Messages as "'1.5' is not a whole number",
/// "0 is out of range (1 to 65536)", "'val' is not one of test|train|all".
CLI::Validator wholeIn(long long lo, long long hi);
CLI::Validator numberIn(double lo, double hi);
CLI::Validator oneOf(const std::vector<std::string> &choices);

/// Whether --flag was given.
bool given(const CLI::App &c, const std::string &flag);
/// The value of --flag converted to T (the validators already checked it), or `def` when absent.
template <class T> T get(const CLI::App &c, const std::string &flag, T def)
{
    return given(c, flag) ? c.get_option("--" + flag)->as<T>() : def;
}
inline std::string text(const CLI::App &c, const std::string &flag, const std::string &def = {})
{
    return get<std::string>(c, flag, def);
}

/// Whether the switch --flag is on.
bool on(const CLI::App &c, const std::string &flag);

/// Throws UsageError for what CLI11 left over: an unknown flag or a stray argument.
void rejectLeftovers(const CLI::App &c);
/// The same for what the top level `app` left over once `command` was chosen: a flag or word before the
/// command, or the words after a "--" (`dashes`: there was one), which CLI11 hands to the top level.
void rejectTopLevelLeftovers(const CLI::App &app, const CLI::App &command, bool dashes);

/// "1.5e-3" style for defaults in help texts.
std::string formatNumber(double v);

}  // namespace cli
