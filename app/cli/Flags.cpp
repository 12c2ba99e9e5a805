#include "Flags.h"

#include "core/train/SettingsTable.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <sstream>

namespace cli {

size_t columns(const std::string &t)
{
    size_t n = 0;
    for (unsigned char ch : t) n += (ch & 0xC0) != 0x80;
    return n;
}

namespace {

/// Two columns, the left one as wide as its widest entry.
std::string table(const std::vector<std::pair<std::string, std::string>> &rows)
{
    size_t width = 0;
    for (const auto &r : rows) width = std::max(width, columns(r.first));
    std::string out;
    for (const auto &[left, right] : rows) out += "  " + left + std::string(width - columns(left) + 2, ' ') + right + '\n';
    return out;
}

/// A subcommand's --help: "usage: aelab-cli NAME SYNOPSIS", the description, then the flags in the
/// order they were declared, --help last.
class CommandHelp : public CLI::Formatter {
public:
    CommandHelp(std::string synopsis, std::string description)
        : synopsis_(std::move(synopsis)), description_(std::move(description))
    {
    }
    std::string make_help(const CLI::App *app, std::string name, CLI::AppFormatMode) const override
    {
        std::vector<std::pair<std::string, std::string>> rows;
        for (const CLI::Option *o : app->get_options()) {
            if (o == app->get_help_ptr()) continue;
            std::string left = o->get_name();
            if (o->get_type_size() != 0) left += " " + o->get_type_name() + (o->get_expected_max() > 1 ? "..." : "");
            rows.emplace_back(left, o->get_description());
        }
        rows.emplace_back("--help", "this text");
        return "usage: " + name + " " + synopsis_ + "\n\n" + description_ + "\n\noptions:\n" + table(rows);
    }

private:
    std::string synopsis_, description_;
};

/// aelab-cli --help: the commands and their one-line summaries.
class TopLevelHelp : public CLI::Formatter {
public:
    std::string make_help(const CLI::App *app, std::string, CLI::AppFormatMode) const override
    {
        std::vector<std::pair<std::string, std::string>> rows;
        for (const CLI::App *c : app->get_subcommands({})) rows.emplace_back(c->get_name(), c->get_description());
        return "usage: aelab-cli COMMAND [options]    (aelab-cli COMMAND --help for its options)\n\n" +
               app->get_description() + "\n\ncommands:\n" + table(rows) +
               "\nexit codes: 0 ok, 1 runtime error, 2 usage error, 130 interrupted\n";
    }
};

/// A value that starts with "--" is the next flag, not a value: "--epochs --quiet".
const CLI::Validator notAFlag(
    [](std::string &v) { return v.rfind("--", 0) == 0 ? "needs a value, not the flag '" + v + "'" : std::string(); }, "",
    "not-a-flag");

}  // namespace

void fail(const std::string &flag, const std::string &what) { throw UsageError("--" + flag + ": " + what); }

CLI::App *addCommand(CLI::App &app, const std::string &name, const std::string &synopsis, const std::string &summary,
                     const std::string &description)
{
    CLI::App *c = app.add_subcommand(name, summary);
    c->formatter(std::make_shared<CommandHelp>(synopsis, description));
    c->set_help_flag("-h,--help", "this text");
    c->allow_extras();  // collected, then reported by rejectLeftovers with the command's name
    return c;
}

void useTopLevelHelp(CLI::App &app) { app.formatter(std::make_shared<TopLevelHelp>()); }

CLI::Option *value(CLI::App &c, const std::string &name, const std::string &metavar, const std::string &help)
{
    return c.add_option("--" + name, help)
        ->type_name(metavar)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->check(notAFlag);
}

CLI::Option *list(CLI::App &c, const std::string &name, const std::string &metavar, const std::string &help)
{
    return c.add_option("--" + name, help)
        ->type_name(metavar)
        ->expected(1, CLI::detail::expected_max_vector_size)
        ->allow_extra_args()
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->check(notAFlag);
}

CLI::Option *sw(CLI::App &c, const std::string &name, const std::string &help)
{
    // "--tied" is "true"; "--tied=false" and the like switch it off; any other value is an error.
    return c.add_flag("--" + name, help)->check(CLI::Validator(
        [](std::string &v) {
            for (const char *word : {"true", "false", "yes", "no", "on", "off", "1", "0"})
                if (v == word) return std::string();
            return "is a switch: '" + v + "' is not true or false";
        },
        "", "switch"));
}

CLI::Validator wholeIn(long long lo, long long hi)
{
    return CLI::Validator(
        [lo, hi](std::string &s) -> std::string {
            errno = 0;
            char *end = nullptr;
            const long long v = std::strtoll(s.c_str(), &end, 10);
            if (s.empty() || *end != '\0') return "'" + s + "' is not a whole number";
            const auto outOfRange = [&](const std::string &value) {
                return value + " is out of range (" + std::to_string(lo) + " to " + std::to_string(hi) + ")";
            };
            if (errno == ERANGE) return outOfRange(s);  // whole, but beyond 64 bits
            if (v < lo || v > hi) return outOfRange(std::to_string(v));
            return {};
        },
        "", "whole-number");
}

CLI::Validator numberIn(double lo, double hi)
{
    return CLI::Validator(
        [lo, hi](std::string &s) -> std::string {
            char *end = nullptr;
            const double v = std::strtod(s.c_str(), &end);
            // Decimal only: strtod also reads "0x10" (16) and skips leading spaces, which a whole number refuses.
            const bool decimal = !s.empty() && s.find_first_of("xXpP \t\n") == std::string::npos;
            if (!decimal || *end != '\0' || !std::isfinite(v)) return "'" + s + "' is not a number";
            // The bounds exactly: 0.99999999 rounded to "1" read as if 1 were allowed ("10000" stays so).
            const auto bound = [](double b) {
                const std::string t = formatNumber(b);
                return std::strtod(t.c_str(), nullptr) == b ? t : ael::exactNumber(b);
            };
            if (v < lo || v > hi) return s + " is out of range (" + bound(lo) + " to " + bound(hi) + ")";
            return {};
        },
        "", "number");
}

CLI::Validator oneOf(const std::vector<std::string> &choices)
{
    std::string known;
    for (const auto &c : choices) known += (known.empty() ? "" : "|") + c;
    return CLI::Validator(
        [choices, known](std::string &s) -> std::string {
            return std::find(choices.begin(), choices.end(), s) != choices.end() ? std::string()
                                                                                 : "'" + s + "' is not one of " + known;
        },
        "", "one-of");
}

bool given(const CLI::App &c, const std::string &flag) { return c.count("--" + flag) > 0; }

bool on(const CLI::App &c, const std::string &flag) { return get<bool>(c, flag, false); }

namespace {
/// The first word CLI11 left over for `command`: an unknown flag or a stray argument.
[[noreturn]] void rejectLeftover(const std::string &a, const std::string &command)
{
    if (a.size() > 1 && a[0] == '-') throw UsageError(a.substr(0, a.find('=')) + ": unknown flag for '" + command + "'");
    throw UsageError("unexpected argument '" + a + "' (options start with --)");
}
}  // namespace

void rejectLeftovers(const CLI::App &c)
{
    const std::vector<std::string> rest = c.remaining();
    if (!rest.empty()) rejectLeftover(rest.front(), c.get_name());
}

void rejectTopLevelLeftovers(const CLI::App &app, const CLI::App &command, bool dashes)
{
    if (dashes) throw UsageError("unexpected argument '--' (the command takes options only; give them without it)");
    const std::vector<std::string> rest = app.remaining();
    if (rest.empty()) return;
    const std::string &a = rest.front();
    const std::string flag = a.substr(0, a.find('='));
    if (a.size() > 1 && a[0] == '-' && command.get_option_no_throw(flag))
        throw UsageError(flag + ": goes after the command (aelab-cli " + command.get_name() + " " + flag + " ...)");
    rejectLeftover(a, command.get_name());
}

std::string formatNumber(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

}  // namespace cli
