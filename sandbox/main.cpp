// forecast-sandbox: a local Kubernetes API server for demos and tests (DESIGN §5).

#include "cli/command_line.h"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char **argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    sandbox::CommandLine cmd;
    std::string error;
    if (!sandbox::parseCommandLine(args, cmd, error)) {
        std::cerr << "forecast-sandbox: " << error << "\n\n" << sandbox::usage(cmd.command);
        return 2;
    }
    if (cmd.help) {
        std::cout << sandbox::usage(cmd.command);
        return 0;
    }
    if (cmd.command == "up") {
        return sandbox::runUp(cmd, std::cout, std::cerr);
    }
    if (cmd.command == "down") {
        return sandbox::runDown(cmd, std::cout, std::cerr);
    }
    return sandbox::runStatus(cmd, std::cout, std::cerr);
}
