#pragma once
// aelab-cli's subcommands. Each add*() declares its subcommand and flags on `app` and returns the
// function that runs it once `app` has parsed the command line (it returns the exit code). Bad flags
// throw cli::UsageError (exit 2), other failures throw std::exception (exit 1).
#include <CLI/CLI.hpp>

#include <functional>

namespace cli {

using Run = std::function<int()>;

Run addTrain(CLI::App &app);
Run addEval(CLI::App &app);
Run addPca(CLI::App &app);
Run addRecon(CLI::App &app);
Run addSample(CLI::App &app);
Run addExport(CLI::App &app);
Run addBench(CLI::App &app);

}  // namespace cli
