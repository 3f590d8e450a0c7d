// forecast-api: serves the trained forecast model over HTTP (DESIGN §4, docs/api.md).

#include "api/config.h"
#include "api/logger.h"
#include "api/service_app.h"

#include <cstdio>
#include <cstring>

#ifndef RF_VERSION
#define RF_VERSION "0.0.0"
#endif

namespace {

constexpr const char *kUsage =
    "usage: forecast-api [--version | --help]\n"
    "\n"
    "Serves a forecast model (written by `forecast-train fit`) over HTTP.\n"
    "Configuration comes from the environment:\n"
    "  MODEL_PATH              model file (required)\n"
    "  PORT                    listen port (5000; 0 picks a free port, logged at start)\n"
    "  HOST                    listen address (0.0.0.0)\n"
    "  HEALTH_CHECK_PATH       liveness path (/health)\n"
    "  READINESS_CHECK_PATH    readiness path (/ready)\n"
    "  LOG_LEVEL               debug|info|warn|error (info)\n"
    "  MODEL_CACHE_TTL         seconds between checks for a changed model file (60; 0 = off)\n"
    "  APP_VERSION             reported by /model and the liveness probe (build version)\n"
    "  SHUTDOWN_DRAIN_SECONDS  longest drain after SIGTERM (10)\n"
    "  SHUTDOWN_QUIET_MS       drain ends early after this long without requests (1000)\n"
    "  WORKERS                 I/O threads (hardware threads)\n"
    "  KEEPALIVE_TIMEOUT_SECONDS  idle keep-alive connections are closed after (75)\n"
    "  REQUEST_TIMEOUT_SECONDS    a request must arrive completely within (10)\n"
    "See docs/api.md.\n";

} // namespace

int main(int argc, char **argv) {
    using namespace forecast::api;
    if (argc > 1) {
        if (std::strcmp(argv[1], "--version") == 0) {
            std::printf("forecast-api %s\n", RF_VERSION);
            return 0;
        }
        std::fputs(kUsage, std::strcmp(argv[1], "--help") == 0 ? stdout : stderr);
        return std::strcmp(argv[1], "--help") == 0 ? 0 : 2;
    }
    // Before any thread exists, so every thread inherits the mask and only the main thread
    // receives shutdown signals (through sigtimedwait).
    blockShutdownSignals();

    auto config = loadConfig(processEnvironment(), RF_VERSION);
    if (!config) {
        Logger(LogLevel::Error).error("invalid configuration", {{"error", config.message()}});
        std::fprintf(stderr, "forecast-api: %s\n", config.message().c_str());
        return 2;
    }
    Logger logger(config->logLevel);
    logger.info(
        "starting",
        {{"app_version", config->appVersion},
         {"host", config->host},
         {"port", config->port},
         {"model_path", config->modelPath},
         {"model_cache_ttl_seconds", static_cast<std::int64_t>(config->modelCacheTtl.count())},
         {"log_level", logLevelName(config->logLevel)},
         {"workers", config->workers},
         {"health_path", config->healthPath},
         {"readiness_path", config->readyPath},
         {"shutdown_drain_seconds", static_cast<std::int64_t>(config->drainTimeout.count())}});
    return runService(config.value(), logger);
}
