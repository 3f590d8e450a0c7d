// forecast-train: synthesize a demo sales data set and fit the forecast model (DESIGN §4).
#include "commands.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

int main(int argc, char **argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
        std::strcmp(argv[1], "help") == 0) {
        forecast::printUsage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string command = argv[1];
    const std::vector<std::string> args(argv + 2, argv + argc);
    for (const std::string &a : args) {
        if (a == "--help" || a == "-h") {
            forecast::printUsage(stdout);
            return 0;
        }
    }
    if (command == "synthesize") {
        return forecast::runSynthesize(args);
    }
    if (command == "fit") {
        return forecast::runFit(args);
    }
    std::fprintf(stderr, "forecast-train: unknown command '%s'\n", command.c_str());
    forecast::printUsage(stderr);
    return 2;
}
