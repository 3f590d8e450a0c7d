#include "api/http_server.h"

#include "api/http_log.h"
#include "api/http_session.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <thread>

namespace sandbox {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

HttpServer::Impl::Impl(HttpServerConfig c, HttpHandler h)
    : config(std::move(c))
    , handler(std::move(h))
    , tls(net::ssl::context::tls_server) {}

void HttpServer::Impl::registerSession(const std::shared_ptr<HttpSession> &session) {
    std::lock_guard lock(sessionsMutex);
    std::erase_if(sessions, [](const auto &weak) { return weak.expired(); });
    sessions.push_back(session);
    ++sessionCount;
}

void HttpServer::Impl::unregisterSession(const HttpSession *) {
    std::lock_guard lock(sessionsMutex);
    --sessionCount;
}

void HttpServer::Impl::doAccept() {
    // Each connection gets its own strand: its handlers never run concurrently.
    acceptor->async_accept(net::make_strand(ioc), beast::bind_front_handler(&Impl::onAccept, this));
}

void HttpServer::Impl::onAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) {
        return;
    }
    {
        std::lock_guard lock(sessionsMutex);
        if (stopping) {
            return;
        }
    }
    if (!ec) {
        // The socket runs on the fresh strand handed to async_accept; the session keeps a
        // typed copy so it can tell whether it runs on its connection's strand.
        const auto *strand = socket.get_executor().target<HttpSession::Strand>();
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto session = std::make_shared<HttpSession>(
            std::move(socket), strand ? *strand : net::make_strand(ioc), tls, this);
        registerSession(session);
        session->run();
    } else {
        logLine(LogLevel::Warn, "accept failed", {{"error", ec.message()}});
    }
    doAccept();
}

HttpServer::HttpServer(HttpServerConfig config, HttpHandler handler)
    : m_impl(std::make_unique<Impl>(std::move(config), std::move(handler))) {}

HttpServer::~HttpServer() {
    stop();
}

rf::Status HttpServer::start() {
    auto &impl = *m_impl;
    beast::error_code ec;
    impl.tls.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                         net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                         net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
    impl.tls.use_certificate_chain(net::buffer(impl.config.certificateChainPem), ec);
    if (ec) {
        return rf::fail("cannot use the server certificate: " + ec.message());
    }
    impl.tls.use_private_key(net::buffer(impl.config.privateKeyPem), net::ssl::context::pem, ec);
    if (ec) {
        return rf::fail("cannot use the server private key: " + ec.message());
    }
    auto address = net::ip::make_address(impl.config.address, ec);
    if (ec) {
        return rf::fail("invalid listen address '" + impl.config.address + "': " + ec.message());
    }
    tcp::endpoint endpoint(address, impl.config.port);
    impl.acceptor.emplace(impl.ioc);
    impl.acceptor->open(endpoint.protocol(), ec);
    if (!ec) {
        impl.acceptor->set_option(net::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        impl.acceptor->bind(endpoint, ec);
    }
    if (!ec) {
        impl.acceptor->listen(net::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return rf::fail("cannot listen on " + impl.config.address + ":" +
                        std::to_string(impl.config.port) + ": " + ec.message());
    }
    impl.boundPort = impl.acceptor->local_endpoint().port();
    impl.doAccept();
    const int threads = std::max(1, impl.config.threads);
    for (int i = 0; i < threads; ++i) {
        impl.threads.emplace_back([self = m_impl.get()] {
            for (;;) {
                try {
                    self->ioc.run();
                    return;
                } catch (const std::exception &e) {
                    // Handlers catch their own errors; this is a last line of defence.
                    logLine(LogLevel::Error, "io thread exception", {{"error", e.what()}});
                }
            }
        });
    }
    impl.started = true;
    return rf::ok();
}

unsigned short HttpServer::port() const {
    return m_impl->boundPort;
}

std::size_t HttpServer::openConnections() const {
    std::lock_guard lock(m_impl->sessionsMutex);
    return m_impl->sessionCount;
}

void HttpServer::stop(std::chrono::milliseconds grace) {
    auto &impl = *m_impl;
    if (!impl.started) {
        return;
    }
    impl.started = false;
    std::vector<std::shared_ptr<HttpSession>> live;
    {
        std::lock_guard lock(impl.sessionsMutex);
        impl.stopping = true;
        for (auto &weak : impl.sessions) {
            if (auto session = weak.lock()) {
                live.push_back(std::move(session));
            }
        }
        impl.sessions.clear();
    }
    net::post(impl.ioc, [self = m_impl.get()] {
        beast::error_code ignored;
        if (self->acceptor) {
            self->acceptor->close(ignored);
        }
    });
    for (auto &session : live) {
        session->shutdown();
    }
    live.clear();
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (openConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    impl.ioc.stop();
    for (auto &thread : impl.threads) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    impl.threads.clear();
}

} // namespace sandbox
