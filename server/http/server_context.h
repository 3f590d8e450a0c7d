#pragma once
// What every connection of one HttpServer shares: limits, routing dependencies, metrics,
// logging, and the registry of open sessions (for closing idle ones at shutdown).
// Free of Beast/Asio so it can be included cheaply.

#include "http/router.h"
#include "http/service_state.h"

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace forecast::api {
class Logger;
}

namespace forecast::http {

class Session;

inline constexpr std::size_t kMaxBodyBytes = 1024 * 1024; // 1 MiB -> 413 above
inline constexpr std::size_t kMaxHeaderBytes = 16 * 1024; // request line + headers -> 431

struct ServerOptions {
    std::string host = "0.0.0.0";
    int port = 5000;
    int threads = 1;
    std::chrono::seconds keepAliveTimeout{75}; // waiting for the next request on a connection
    std::chrono::seconds requestTimeout{10};   // first byte to last byte of one request
    std::size_t bodyLimit = kMaxBodyBytes;
    std::size_t headerLimit = kMaxHeaderBytes;
};

class SessionRegistry final {
public:
    void add(Session *session, std::weak_ptr<Session> handle);
    void remove(Session *session);
    std::vector<std::shared_ptr<Session>> live() const;

private:
    mutable std::mutex m_mutex;
    std::unordered_map<Session *, std::weak_ptr<Session>> m_sessions;
};

struct ServerContext {
    ServerOptions options;
    RouteDeps deps;
    ServiceState &state;
    api::Logger &logger;
    SessionRegistry sessions;
};

} // namespace forecast::http
