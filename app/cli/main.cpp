// aelab-cli: the Autoencoder Lab engine on the command line.
//
// Exit codes: 0 success, 1 runtime error (unreadable or malformed file, divergence, ...),
// 2 usage error (unknown flag, bad value; the one-line message names the flag), 130 interrupted.
#include "Args.h"
#include "Commands.h"

#include "core/io/Printable.h"

#include <cstring>
#include <exception>
#include <new>
#include <iostream>

namespace {

struct Command {
    const char *name;
    int (*run)(const cli::ArgList &);
    const char *summary;
};

const Command kCommands[] = {
    {"train", cli::cmdTrain, "train an autoencoder; one JSON line per epoch on stdout"},
    {"eval", cli::cmdEval, "test metrics of a saved model as JSON"},
    {"pca", cli::cmdPca, "the PCA baseline: explained variance and test MSE for each k"},
    {"recon", cli::cmdRecon, "PNG grid: originals / (corrupted) / reconstructions, one test image per class"},
    {"sample", cli::cmdSample, "PNG grid of decoded prior samples or of a 2-D latent grid"},
    {"export", cli::cmdExport, "write a data set as IDX files (gzip'd when the name ends in .gz)"},
    {"bench", cli::cmdBench, "training throughput of the reference models A, B, C, CAE, DAE"},
};

void usage(std::ostream &out)
{
    out << "usage: aelab-cli COMMAND [options]    (aelab-cli COMMAND --help for its options)\n\n"
           "Autoencoder Lab on the command line: the same engine as the desktop app.\n\ncommands:\n";
    for (const Command &c : kCommands) out << "  " << c.name << std::string(9 - std::strlen(c.name), ' ') << c.summary << '\n';
    out << "\nexit codes: 0 ok, 1 runtime error, 2 usage error, 130 interrupted\n";
}

}  // namespace

int main(int argc, char **argv)
{
    std::ios::sync_with_stdio(true);
    if (argc < 2) {
        usage(std::cerr);
        return 2;
    }
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        usage(std::cout);
        return 0;
    }
    const Command *cmd = nullptr;
    for (const Command &c : kCommands)
        if (name == c.name) cmd = &c;
    if (!cmd) {
        std::cerr << "aelab-cli: unknown command '" << name << "' (train, eval, pca, recon, sample, export, bench; see --help)\n";
        return 2;
    }
    const cli::ArgList args(argv + 2, argv + argc);
    try {
        return cmd->run(args);
    } catch (const cli::UsageError &e) {
        std::cerr << "aelab-cli " << name << ": " << ael::printableMessage(e.what()) << " (see aelab-cli " << name
                  << " --help)" << std::endl;
        return 2;
    } catch (const std::bad_alloc &) {
        std::cerr << "aelab-cli " << name << ": error: out of memory (the request needs more memory than there is; "
                     "try fewer or smaller images, a smaller --batch or narrower --arch)" << std::endl;
        return 1;
    } catch (const std::exception &e) {
        // Messages quote file content (names, values): no control character may reach the terminal.
        std::cerr << "aelab-cli " << name << ": error: " << ael::printableMessage(e.what()) << std::endl;
        return 1;
    }
}
