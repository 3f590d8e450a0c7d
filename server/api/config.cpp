#include "api/config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <sched.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace forecast::api {
namespace {

rf::Error invalid(const std::string &name, const std::string &value, const std::string &why) {
    return rf::fail("invalid " + name + "=\"" + value + "\": " + why);
}

// Parses a whole decimal integer in [min, max] or fails naming the variable.
rf::Result<long> integerVar(const EnvLookup &env, const std::string &name, long fallback, long min,
                            long max) {
    const auto raw = env(name);
    if (!raw) {
        return fallback;
    }
    long value = 0;
    const char *begin = raw->data();
    const char *end = raw->data() + raw->size();
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (raw->empty() || ec != std::errc() || ptr != end) {
        return invalid(name, *raw, "expected a whole number");
    }
    if (value < min || value > max) {
        return invalid(name, *raw,
                       "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return value;
}

rf::Result<std::string> pathVar(const EnvLookup &env, const std::string &name,
                                const std::string &fallback) {
    const auto raw = env(name);
    if (!raw) {
        return fallback;
    }
    if (raw->size() < 2 || raw->front() != '/' ||
        raw->find_first_of("?# \t") != std::string::npos) {
        return invalid(name, *raw, "expected an absolute URL path such as " + fallback);
    }
    for (const char *reserved : {"/predict", "/predict/batch", "/model", "/metrics"}) {
        if (*raw == reserved) {
            return invalid(name, *raw, "collides with the API route " + std::string(reserved));
        }
    }
    return *raw;
}

} // namespace

EnvLookup processEnvironment() {
    return [](const std::string &name) -> std::optional<std::string> {
        // Read at startup, before any thread exists.
        const char *value = std::getenv(name.c_str()); // NOLINT(concurrency-mt-unsafe)
        if (value == nullptr) {
            return std::nullopt;
        }
        return std::string(value);
    };
}

std::string_view logLevelName(LogLevel level) {
    switch (level) {
    case LogLevel::Debug:
        return "debug";
    case LogLevel::Info:
        return "info";
    case LogLevel::Warn:
        return "warn";
    case LogLevel::Error:
        return "error";
    }
    return "info";
}

rf::Result<Config> loadConfig(const EnvLookup &env, const std::string &defaultAppVersion) {
    Config c;
    if (const auto host = env("HOST")) {
        in6_addr buffer{};
        if (inet_pton(AF_INET, host->c_str(), &buffer) != 1 &&
            inet_pton(AF_INET6, host->c_str(), &buffer) != 1) {
            return invalid("HOST", *host, "expected an IP address such as 0.0.0.0 or ::");
        }
        c.host = *host;
    }
    auto port = integerVar(env, "PORT", c.port, 0, 65535);
    if (!port) {
        return port.error();
    }
    c.port = static_cast<int>(port.value());

    auto health = pathVar(env, "HEALTH_CHECK_PATH", c.healthPath);
    if (!health) {
        return health.error();
    }
    c.healthPath = health.value();
    auto ready = pathVar(env, "READINESS_CHECK_PATH", c.readyPath);
    if (!ready) {
        return ready.error();
    }
    c.readyPath = ready.value();
    if (c.readyPath == c.healthPath) {
        return invalid("READINESS_CHECK_PATH", c.readyPath, "must differ from HEALTH_CHECK_PATH");
    }

    if (const auto level = env("LOG_LEVEL")) {
        bool known = false;
        for (const auto candidate :
             {LogLevel::Debug, LogLevel::Info, LogLevel::Warn, LogLevel::Error}) {
            if (*level == logLevelName(candidate)) {
                c.logLevel = candidate;
                known = true;
            }
        }
        if (!known) {
            return invalid("LOG_LEVEL", *level, "expected one of debug, info, warn, error");
        }
    }

    const auto model = env("MODEL_PATH");
    if (!model || model->empty()) {
        return rf::fail("MODEL_PATH is required: the path of a model file written by "
                        "forecast-train fit");
    }
    c.modelPath = *model;

    auto ttl = integerVar(env, "MODEL_CACHE_TTL", c.modelCacheTtl.count(), 0, 86400);
    if (!ttl) {
        return ttl.error();
    }
    c.modelCacheTtl = std::chrono::seconds(ttl.value());

    c.appVersion = env("APP_VERSION").value_or(defaultAppVersion);
    if (c.appVersion.size() > 128) {
        return invalid("APP_VERSION", c.appVersion.substr(0, 32) + "...",
                       "longer than 128 characters");
    }

    auto drain = integerVar(env, "SHUTDOWN_DRAIN_SECONDS", c.drainTimeout.count(), 0, 3600);
    if (!drain) {
        return drain.error();
    }
    c.drainTimeout = std::chrono::seconds(drain.value());
    auto quiet = integerVar(env, "SHUTDOWN_QUIET_MS", c.drainQuiet.count(), 0, 600000);
    if (!quiet) {
        return quiet.error();
    }
    c.drainQuiet = std::chrono::milliseconds(quiet.value());

    auto workers = integerVar(env, "WORKERS", availableCpus(), 1, 256);
    if (!workers) {
        return workers.error();
    }
    c.workers = static_cast<int>(workers.value());

    auto keepAlive =
        integerVar(env, "KEEPALIVE_TIMEOUT_SECONDS", c.keepAliveTimeout.count(), 1, 3600);
    if (!keepAlive) {
        return keepAlive.error();
    }
    c.keepAliveTimeout = std::chrono::seconds(keepAlive.value());
    auto request = integerVar(env, "REQUEST_TIMEOUT_SECONDS", c.requestTimeout.count(), 1, 3600);
    if (!request) {
        return request.error();
    }
    c.requestTimeout = std::chrono::seconds(request.value());
    return c;
}

std::optional<int> cpuQuotaCores(std::string_view cpuMax) {
    const auto space = cpuMax.find(' ');
    if (space == std::string_view::npos) {
        return std::nullopt;
    }
    const auto quotaText = cpuMax.substr(0, space);
    auto periodText = cpuMax.substr(space + 1);
    while (!periodText.empty() && (periodText.back() == '\n' || periodText.back() == ' ')) {
        periodText.remove_suffix(1);
    }
    long long quota = 0;
    long long period = 0;
    const auto parse = [](std::string_view text, long long &value) {
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        return !text.empty() && ec == std::errc() && ptr == text.data() + text.size() && value > 0;
    };
    if (!parse(quotaText, quota) || !parse(periodText, period)) {
        return std::nullopt; // "max 100000": no limit
    }
    return static_cast<int>(std::max(1LL, (quota + period - 1) / period));
}

int availableCpus() {
    int cpus = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        cpus = std::max(1, CPU_COUNT(&set));
    }
    // cgroup v2, as Kubernetes sets it up (the container's own cgroup is the namespace root).
    std::ifstream cpuMax("/sys/fs/cgroup/cpu.max");
    std::string line;
    if (cpuMax && std::getline(cpuMax, line)) {
        if (const auto quota = cpuQuotaCores(line)) {
            cpus = std::min(cpus, *quota);
        }
    }
    return cpus;
}

} // namespace forecast::api
