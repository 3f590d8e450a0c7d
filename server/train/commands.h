#pragma once
// forecast-train's subcommands; each returns the process exit code (0 ok, 1 failed, 2 usage).

#include <cstdio>
#include <string>
#include <vector>

namespace forecast {

int runSynthesize(const std::vector<std::string> &argv);
int runFit(const std::vector<std::string> &argv);
void printUsage(std::FILE *out);

} // namespace forecast
