#pragma once
// `forecast-sandbox up|down|status` argument parsing and the commands themselves, apart
// from main() so tests can drive them.

#include "cli/sandbox_app.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace sandbox {

struct CommandLine {
    std::string command; // "up", "down", "status", "help"
    SandboxOptions options;
    int stopTimeoutSeconds = 30;
    bool help = false;
};

// Exit codes: 0 ok, 1 runtime failure, 2 usage error, 3 (status) not running.
// On a usage error `error` says what is wrong.
bool parseCommandLine(const std::vector<std::string> &args, CommandLine &out, std::string &error);
std::string usage(const std::string &command);

int runUp(const CommandLine &cmd, std::ostream &out, std::ostream &err);
int runDown(const CommandLine &cmd, std::ostream &out, std::ostream &err);
int runStatus(const CommandLine &cmd, std::ostream &out, std::ostream &err);

} // namespace sandbox
