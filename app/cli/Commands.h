#pragma once
// aelab-cli's subcommands. Each takes the arguments after its name and returns the exit code;
// bad flags throw cli::UsageError (exit 2), other failures throw std::exception (exit 1).
#include <string>
#include <vector>

namespace cli {

using ArgList = std::vector<std::string>;

int cmdTrain(const ArgList &args);
int cmdEval(const ArgList &args);
int cmdPca(const ArgList &args);
int cmdRecon(const ArgList &args);
int cmdSample(const ArgList &args);
int cmdExport(const ArgList &args);
int cmdBench(const ArgList &args);

}  // namespace cli
