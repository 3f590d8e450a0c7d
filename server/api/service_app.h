#pragma once
// forecast-api from configuration to exit code: serve, load and watch the model, and on
// SIGTERM/SIGINT drain and stop (docs/api.md "Shutdown" states the exact rule).

#include "api/config.h"
#include "api/logger.h"

namespace forecast::api {

// Blocks SIGTERM/SIGINT/SIGPIPE for the calling thread (and every thread it starts later).
// Call first in main, before any thread exists.
void blockShutdownSignals();

// Runs until a shutdown signal arrives and the drain finishes. Returns the exit code:
// 0 after a clean shutdown, 1 when the service could not start (address in use, bad model).
int runService(const Config &config, Logger &logger);

} // namespace forecast::api
