#include "api/service_app.h"

#include "api/model_watcher.h"
#include "http/http_server.h"
#include "http/model_holder.h"
#include "metrics/service_metrics.h"

#include <csignal>
#include <ctime>

namespace forecast::api {
namespace {

using Clock = std::chrono::steady_clock;

sigset_t shutdownSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}

// Waits up to `timeout` for SIGTERM/SIGINT; returns the signal or 0.
int waitForSignal(std::chrono::milliseconds timeout) {
    const sigset_t set = shutdownSignals();
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    ts.tv_nsec = static_cast<long>(timeout.count() % 1000) * 1'000'000;
    const int sig = sigtimedwait(&set, nullptr, &ts);
    return sig > 0 ? sig : 0;
}

const char *signalName(int sig) {
    return sig == SIGINT ? "SIGINT" : "SIGTERM";
}

// The drain rule (docs/api.md): keep serving until SHUTDOWN_DRAIN_SECONDS have passed, or
// earlier once nothing is in flight and no request has started for SHUTDOWN_QUIET_MS
// (measured from the signal or the last request start, whichever is later). A second
// signal ends the drain at once.
const char *drain(const Config &config, const http::ServiceState &state) {
    const auto signalled = Clock::now();
    const auto deadline = signalled + config.drainTimeout;
    const auto signalNanos =
        std::chrono::duration_cast<std::chrono::nanoseconds>(signalled.time_since_epoch()).count();
    for (;;) {
        const auto now = Clock::now();
        if (now >= deadline) {
            return "drain period elapsed";
        }
        const auto nowNanos =
            std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
        const auto lastStart = std::max(signalNanos, state.lastRequestNanos.load());
        if (state.inFlight.load() == 0 &&
            nowNanos - lastStart >=
                std::chrono::duration_cast<std::chrono::nanoseconds>(config.drainQuiet).count()) {
            return "idle";
        }
        if (waitForSignal(std::chrono::milliseconds(20)) != 0) {
            return "second signal";
        }
    }
}

} // namespace

void blockShutdownSignals() {
    sigset_t set = shutdownSignals();
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int runService(const Config &config, Logger &logger) {
    http::ServiceState state;
    http::ModelHolder models;
    metrics::ServiceMetrics metrics(config.healthPath, config.readyPath);
    const http::RouteConfig routeConfig{config.healthPath, config.readyPath, config.appVersion};
    const http::RouteDeps deps{routeConfig, models, state, &metrics};

    http::ServerOptions options;
    options.host = config.host;
    options.port = config.port;
    options.threads = config.workers;
    options.keepAliveTimeout = config.keepAliveTimeout;
    options.requestTimeout = config.requestTimeout;
    http::HttpServer server(options, deps, state, logger);
    if (auto started = server.start(); !started) {
        logger.error("cannot start", {{"error", started.message()}});
        return 1;
    }
    logger.info("listening", {{"host", config.host},
                              {"port", server.port()},
                              {"workers", config.workers},
                              {"app_version", config.appVersion}});

    // Readiness stays 503 ("model not loaded") while this runs; liveness already answers.
    ModelWatcher watcher(config.modelPath, config.modelCacheTtl, models, metrics, logger);
    if (auto loaded = watcher.loadInitial(); !loaded) {
        logger.error("cannot load the model (MODEL_PATH)",
                     {{"path", config.modelPath}, {"error", loaded.message()}});
        server.stopAccepting();
        server.stop();
        return 1;
    }
    watcher.start();
    logger.info("ready", {{"port", server.port()}});

    int sig = 0;
    while (sig == 0) {
        sig = waitForSignal(std::chrono::milliseconds(1000));
    }
    state.draining.store(true);
    logger.info("shutdown requested; draining",
                {{"signal", signalName(sig)},
                 {"drain_seconds", static_cast<std::int64_t>(config.drainTimeout.count())},
                 {"quiet_ms", static_cast<std::int64_t>(config.drainQuiet.count())},
                 {"in_flight", state.inFlight.load()}});
    const char *why = drain(config, state);

    server.stopAccepting();
    server.closeIdleConnections();
    logger.info("listener closed; finishing in-flight requests",
                {{"reason", why},
                 {"in_flight", state.inFlight.load()},
                 {"connections", state.connections.load()}});
    // A request already started gets its full request timeout to arrive and be answered.
    const auto finishBy = Clock::now() + config.requestTimeout + std::chrono::seconds(3);
    if (!server.waitForConnections(finishBy)) {
        logger.warn("connections still open at shutdown; closing them",
                    {{"connections", state.connections.load()}});
    }
    watcher.stop();
    server.stop();
    logger.info("stopped", {{"exit_code", 0}});
    return 0;
}

} // namespace forecast::api
