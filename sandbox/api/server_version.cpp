#include "api/server_version.h"

namespace sandbox {

boost::json::object serverVersionInfo() {
    return boost::json::object{
        {"major", "1"},
        {"minor", "32"},
        {"gitVersion", kServerGitVersion},
        {"gitCommit", "forecast-sandbox"},
        {"gitTreeState", "clean"},
        {"buildDate", __DATE__ " " __TIME__},
        // Not a Go program: say so rather than pretend.
        {"goVersion", "none (C++20 forecast-sandbox)"},
        {"compiler", "g++"},
        {"platform", "linux/amd64"},
    };
}

} // namespace sandbox
