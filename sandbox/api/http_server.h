#pragma once
// The sandbox's HTTPS listener (Boost.Beast over Asio SSL), kept behind a pimpl so that
// only http_server.cpp and http_session.cpp pay for compiling Beast. One strand per
// connection, keep-alive, body and header limits, read/write timeouts, and chunked
// streaming for watch and followed-log responses (StreamSource in http_types.h).

#include "api/http_types.h"

#include <rf/result.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace sandbox {

using HttpHandler = std::function<HttpResponse(HttpRequest &)>;

struct HttpServerConfig {
    std::string address = "127.0.0.1";
    unsigned short port = 0; // 0 = the kernel picks a free port
    int threads = 2;
    std::string certificateChainPem; // server certificate (+ chain), PEM
    std::string privateKeyPem;
    std::size_t bodyLimit = 3 * 1024 * 1024; // as kube-apiserver's MaxRequestBodyBytes
    std::size_t headerLimit = 64 * 1024;
    std::chrono::seconds handshakeTimeout{15};
    std::chrono::seconds readTimeout{120}; // idle keep-alive connection or slow request
    std::chrono::seconds writeTimeout{60};
    // Per-stream queue bound once a stream is running (the initial replay of a watch is
    // bounded by the store's size instead). A client slower than this is cut off.
    std::size_t streamQueueLimit = 8 * 1024 * 1024;
};

class HttpServer final {
public:
    HttpServer(HttpServerConfig config, HttpHandler handler);
    ~HttpServer();
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    // Binds, listens and starts the io threads. Errors: bad certificate/key, address in use.
    rf::Status start();
    unsigned short port() const;
    // Stops accepting, ends every stream cleanly (final chunk), closes connections,
    // waits up to `grace` for them, then joins the io threads. Idempotent.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));
    std::size_t openConnections() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace sandbox
