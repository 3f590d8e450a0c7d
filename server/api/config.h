#pragma once
// forecast-api configuration, read from the environment (the Kubernetes ConfigMap).
// Every variable is validated; the first invalid one fails the start with a message that
// names it. docs/api.md lists them all.

#include <rf/result.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace forecast::api {

enum class LogLevel { Debug, Info, Warn, Error };

struct Config {
    std::string host = "0.0.0.0";
    int port = 5000; // 0 picks a free port (tests); the chosen port is logged
    std::string healthPath = "/health";
    std::string readyPath = "/ready";
    LogLevel logLevel = LogLevel::Info;
    std::string modelPath;
    std::chrono::seconds modelCacheTtl{60}; // 0 disables reload checks
    std::string appVersion;
    std::chrono::seconds drainTimeout{10};
    std::chrono::milliseconds drainQuiet{1000};
    int workers = 0; // io threads; loadConfig defaults it to availableCpus()
    std::chrono::seconds keepAliveTimeout{75};
    std::chrono::seconds requestTimeout{10};
};

// Returns the value of an environment variable, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string &name)>;

EnvLookup processEnvironment();

// defaultAppVersion is used when APP_VERSION is unset (the build's version).
rf::Result<Config> loadConfig(const EnvLookup &env, const std::string &defaultAppVersion);

std::string_view logLevelName(LogLevel level);

// Whole CPUs a cgroup v2 `cpu.max` line ("150000 100000") allows, rounded up; nullopt for
// "max ..." (no quota) or a line that does not parse.
std::optional<int> cpuQuotaCores(std::string_view cpuMax);

// The CPUs this process can use: the CPUs it may run on (affinity), capped by its cgroup's
// CPU quota (a Kubernetes CPU limit), at least 1. std::thread::hardware_concurrency() sees
// neither: in a pod limited to 1 CPU on a 16-core node it says 16.
int availableCpus();

} // namespace forecast::api
