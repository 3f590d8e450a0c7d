#pragma once
// Process-wide serving state shared by routes, sessions and the shutdown logic.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace forecast::http {

struct ServiceState {
    // Set once on SIGTERM/SIGINT: readiness turns 503 and every response closes its connection.
    std::atomic<bool> draining{false};
    // Requests whose first byte has arrived and whose response is not fully written yet.
    std::atomic<std::int64_t> inFlight{0};
    // steady_clock nanoseconds of the most recent request start (drain quiet-period rule).
    std::atomic<std::int64_t> lastRequestNanos{0};
    // Open client connections.
    std::atomic<std::int64_t> connections{0};
    std::chrono::system_clock::time_point startedAt = std::chrono::system_clock::now();
};

} // namespace forecast::http
