#pragma once
// The HTTP/1.1 server: N threads each running its own io_context, one listener handing
// connections round-robin to them, a session per connection. No Beast/Asio in this header; the
// implementation lives in http_server.cpp.

#include "http/server_context.h"

#include <rf/result.h>

#include <chrono>
#include <memory>

namespace forecast::http {

class HttpServer final {
public:
    HttpServer(ServerOptions options, RouteDeps deps, ServiceState &state, api::Logger &logger);
    ~HttpServer();
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    // Binds, listens and starts the worker threads.
    rf::Status start();
    unsigned short port() const;

    // Shutdown steps, in order (see docs/api.md "Shutdown").
    void stopAccepting();
    void closeIdleConnections();
    // Waits until every connection is closed or the deadline passes; true when all closed.
    bool waitForConnections(std::chrono::steady_clock::time_point deadline);
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

} // namespace forecast::http
