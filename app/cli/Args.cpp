#include "Args.h"

#include <iostream>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace cli {

Args::Args(std::string command, std::string synopsis, std::string summary)
    : command_(std::move(command)), synopsis_(std::move(synopsis)), summary_(std::move(summary))
{
}

Args &Args::add(Option::Kind kind, const std::string &name, const std::string &metavar, const std::string &help)
{
    options_.push_back({name, kind, metavar, help});
    return *this;
}

const Option *Args::find(const std::string &name) const
{
    for (const Option &o : options_)
        if (o.name == name) return &o;
    return nullptr;
}

const Option &Args::declared(const std::string &name) const
{
    const Option *o = find(name);
    if (!o) throw std::logic_error("aelab-cli " + command_ + ": option --" + name + " is not declared");
    return *o;
}

void Args::fail(const std::string &name, const std::string &what) const
{
    throw UsageError("--" + name + ": " + what);
}

void Args::parse(const std::vector<std::string> &args)
{
    given_.clear();
    help_ = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--help" || a == "-h") {
            help_ = true;
            continue;
        }
        if (a.size() < 3 || a.compare(0, 2, "--") != 0)
            throw UsageError("unexpected argument '" + a + "' (options start with --)");
        std::string name = a.substr(2);
        std::string inlineValue;
        bool hasInline = false;
        if (const size_t eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name.resize(eq);
            hasInline = true;
        }
        const Option *o = find(name);
        if (!o) throw UsageError("--" + name + ": unknown flag for '" + command_ + "'");
        std::vector<std::string> values;
        if (o->kind == Option::Switch) {
            if (hasInline) fail(name, "is a switch and takes no value");
        } else if (hasInline) {
            if (inlineValue.empty()) fail(name, "needs a value (" + o->metavar + ")");
            values.push_back(inlineValue);
        } else {
            // A value may start with '-' (a negative number) but not with "--" (the next flag).
            auto isValue = [&](size_t j) { return j < args.size() && args[j].compare(0, 2, "--") != 0; };
            if (!isValue(i + 1)) fail(name, "needs a value (" + o->metavar + ")");
            values.push_back(args[++i]);
            if (o->kind == Option::List)
                while (isValue(i + 1)) values.push_back(args[++i]);
        }
        auto it = std::find_if(given_.begin(), given_.end(), [&](const auto &g) { return g.first == name; });
        if (it == given_.end()) {
            given_.emplace_back(name, std::move(values));
        } else if (o->kind == Option::List) {
            it->second.insert(it->second.end(), values.begin(), values.end());
        } else {
            it->second = std::move(values);  // the last one wins, as usual on command lines
        }
    }
}

bool Args::has(const std::string &name) const
{
    declared(name);
    for (const auto &g : given_)
        if (g.first == name) return true;
    return false;
}

std::string Args::text(const std::string &name, const std::string &def) const
{
    declared(name);
    for (const auto &g : given_)
        if (g.first == name) return g.second.empty() ? def : g.second.front();
    return def;
}

std::vector<std::string> Args::texts(const std::string &name, const std::vector<std::string> &def) const
{
    declared(name);
    for (const auto &g : given_)
        if (g.first == name) return g.second;
    return def;
}

long long Args::toInteger(const std::string &name, const std::string &s, long long lo, long long hi) const
{
    errno = 0;
    char *end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno == ERANGE) fail(name, "'" + s + "' is not a whole number");
    if (v < lo || v > hi)
        fail(name, std::to_string(v) + " is out of range (" + std::to_string(lo) + " to " + std::to_string(hi) + ")");
    return v;
}

double Args::toNumber(const std::string &name, const std::string &s, double lo, double hi) const
{
    errno = 0;
    char *end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || !std::isfinite(v)) fail(name, "'" + s + "' is not a number");
    if (v < lo || v > hi) fail(name, s + " is out of range (" + formatNumber(lo) + " to " + formatNumber(hi) + ")");
    return v;
}

long long Args::integer(const std::string &name, long long def, long long lo, long long hi) const
{
    return has(name) ? toInteger(name, text(name), lo, hi) : def;
}

double Args::number(const std::string &name, double def, double lo, double hi) const
{
    return has(name) ? toNumber(name, text(name), lo, hi) : def;
}

std::string Args::choice(const std::string &name, const std::string &def, const std::vector<std::string> &choices) const
{
    if (!has(name)) return def;
    const std::string v = text(name);
    for (const auto &c : choices)
        if (c == v) return v;
    std::string known;
    for (const auto &c : choices) known += (known.empty() ? "" : "|") + c;
    fail(name, "'" + v + "' is not one of " + known);
}

std::vector<long long> Args::integers(const std::string &name, const std::vector<long long> &def, long long lo,
                                      long long hi) const
{
    if (!has(name)) return def;
    std::vector<long long> out;
    for (const auto &s : texts(name)) out.push_back(toInteger(name, s, lo, hi));
    return out;
}

std::string Args::helpText() const
{
    std::ostringstream s;
    s << "usage: aelab-cli " << command_ << ' ' << synopsis_ << "\n\n" << summary_ << "\n\noptions:\n";
    // Display width: UTF-8 continuation bytes take no column (λ, ρ, β in metavars).
    auto columns = [](const std::string &t) {
        size_t n = 0;
        for (unsigned char ch : t) n += (ch & 0xC0) != 0x80;
        return n;
    };
    size_t width = 0;
    auto left = [](const Option &o) {
        std::string l = "--" + o.name;
        if (o.kind == Option::Value) l += " " + o.metavar;
        if (o.kind == Option::List) l += " " + o.metavar + "...";
        return l;
    };
    for (const Option &o : options_) width = std::max(width, columns(left(o)));
    for (const Option &o : options_) {
        const std::string l = left(o);
        s << "  " << l << std::string(width - columns(l) + 2, ' ') << o.help << '\n';
    }
    s << "  --help" << std::string(width > 4 ? width - 4 : 2, ' ') << "this text\n";
    return s.str();
}

std::string formatNumber(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

bool Args::parseOrPrintHelp(const std::vector<std::string> &args)
{
    parse(args);
    if (help_) std::cout << helpText();
    return help_;
}

}  // namespace cli
