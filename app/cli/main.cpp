// aelab-cli: the Autoencoder Lab engine on the command line.
//
// Exit codes: 0 success, 1 runtime error (unreadable or malformed file, divergence, ...),
// 2 usage error (unknown flag, bad value; the one-line message names the flag), 130 interrupted.
#include "Commands.h"
#include "Flags.h"

#include "core/io/Printable.h"
#include "core/io/SafeTensors.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <new>
#include <utility>
#include <vector>

namespace {

/// The subcommand that was named on the command line, or nullptr.
const CLI::App *chosen(const CLI::App &app)
{
    const auto subs = app.get_subcommands();
    return subs.empty() ? nullptr : subs.front();
}

/// A usage error: one line on stderr, exit code 2.
int usageError(const CLI::App *command, const std::string &what)
{
    if (!command) {
        std::cerr << "aelab-cli: " << ael::printableMessage(what) << " (see aelab-cli --help)" << std::endl;
        return 2;
    }
    const std::string &name = command->get_name();
    std::cerr << "aelab-cli " << name << ": " << ael::printableMessage(what) << " (see aelab-cli " << name << " --help)"
              << std::endl;
    return 2;
}

}  // namespace

/// The results on stdout did not all arrive (a full disk, /dev/full, a pipe whose reader has gone): a run
/// that printed nothing useful must not exit 0. Returns 1 (with a line on stderr) or `code`.
int checkStdout(const std::string &name, int code)
{
    std::cout.flush();
    const bool bad = !std::cout || std::fflush(stdout) != 0 || std::ferror(stdout);
    if (!bad) return code;
    std::cerr << "aelab-cli" << (name.empty() ? "" : " " + name) << ": error: could not write the output to stdout "
              << "(a full disk, or a pipe whose reader has ended)" << std::endl;
    return code == 0 ? 1 : code;
}

int main(int argc, char **argv)
{
    std::ios::sync_with_stdio(true);
    // A closed pipe (aelab-cli train … | head) is a failed write, not death by SIGPIPE: train stops and
    // still saves --out (CmdTrain), and the exit code says that the output was lost.
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app("Autoencoder Lab on the command line: the same engine as the desktop app.", "aelab-cli");
    cli::useTopLevelHelp(app);
    app.set_help_flag("-h,--help", "this text");
    app.allow_extras();  // an unknown command is reported below, naming the commands
    // One command: a second command's name is a stray word of the first ("train … pca --out m"), not a
    // command of its own that takes the flags after it.
    app.require_subcommand(0, 1);
    std::vector<std::pair<const CLI::App *, cli::Run>> commands;
    for (auto add : {cli::addTrain, cli::addEval, cli::addPca, cli::addRecon, cli::addSample, cli::addExport,
                     cli::addBench}) {
        cli::Run run = add(app);
        commands.emplace_back(app.get_subcommands({}).back(), std::move(run));
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &) {
        std::cout << app.help();
        return checkStdout({}, 0);
    } catch (const CLI::ParseError &e) {
        return usageError(chosen(app), e.what());
    }
    const CLI::App *command = chosen(app);
    if (!command) {
        const auto rest = app.remaining();
        if (rest.empty() || rest.front() == "help") {
            (rest.empty() ? std::cerr : std::cout) << app.help();
            return rest.empty() ? 2 : checkStdout({}, 0);
        }
        std::string names;
        for (const auto &[sub, run] : commands) names += (names.empty() ? "" : ", ") + sub->get_name();
        std::cerr << "aelab-cli: unknown command '" << ael::printableMessage(rest.front()) << "' (" << names
                  << "; see --help)" << std::endl;
        return 2;
    }
    const std::string name = command->get_name();
    try {
        cli::rejectLeftovers(*command);
        cli::rejectTopLevelLeftovers(app, *command, std::find(argv + 1, argv + argc, std::string("--")) != argv + argc);
        for (const auto &[sub, run] : commands)
            if (sub == command) return checkStdout(name, run());
        return 2;
    } catch (const cli::UsageError &e) {
        return usageError(command, e.what());
    } catch (const std::bad_alloc &) {
        std::cerr << "aelab-cli " << name << ": error: out of memory (the request needs more memory than there is; "
                     "try fewer or smaller images, a smaller --batch or narrower --arch)" << std::endl;
        return 1;
    } catch (const ael::DamagedFileError &e) {
        // A cut, damaged or foreign file: say so first, then the reader's detail (which says which: a file one
        // byte too long or one of float64 tensors is complete, just not one this app reads).
        std::cerr << "aelab-cli " << name << ": error: not a model file aelab can read (cut short, damaged, or another kind of file): "
                  << ael::printableMessage(e.what()) << std::endl;
        return 1;
    } catch (const std::exception &e) {
        // Messages quote file content (names, values): no control character may reach the terminal.
        std::cerr << "aelab-cli " << name << ": error: " << ael::printableMessage(e.what()) << std::endl;
        return 1;
    }
}
