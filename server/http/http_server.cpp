#include "http/http_server.h"

#include "api/logger.h"
#include "http/listener.h"
#include "http/session.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include <thread>
#include <vector>

namespace forecast::http {

namespace net = boost::asio;

struct HttpServer::Impl {
    Impl(ServerOptions options, RouteDeps deps, ServiceState &state, api::Logger &logger)
        : context{std::move(options), deps, state, logger, {}}
        , ioc(std::max(1, context.options.threads)) {}

    // Declared first so it outlives the io_context: destroying the io_context destroys
    // pending handlers, and with them sessions that unregister from the context.
    ServerContext context;
    net::io_context ioc;
    net::executor_work_guard<net::io_context::executor_type> work{ioc.get_executor()};
    std::shared_ptr<Listener> listener;
    std::vector<std::thread> threads;
};

HttpServer::HttpServer(ServerOptions options, RouteDeps deps, ServiceState &state,
                       api::Logger &logger)
    : m(std::make_unique<Impl>(std::move(options), deps, state, logger)) {}

HttpServer::~HttpServer() {
    stop();
}

rf::Status HttpServer::start() {
    boost::system::error_code ec;
    const auto address = net::ip::make_address(m->context.options.host, ec);
    if (ec) {
        return rf::fail("invalid HOST=\"" + m->context.options.host + "\": " + ec.message());
    }
    m->listener = std::make_shared<Listener>(m->ioc, m->context);
    const net::ip::tcp::endpoint endpoint(address,
                                          static_cast<unsigned short>(m->context.options.port));
    if (auto opened = m->listener->open(endpoint); !opened) {
        return opened;
    }
    m->listener->run();
    const int threads = std::max(1, m->context.options.threads);
    m->threads.reserve(static_cast<std::size_t>(threads));
    for (int i = 0; i < threads; ++i) {
        m->threads.emplace_back([this] {
            // Handlers do not throw by design; should one ever do, log it and keep the thread
            // serving rather than terminating the process.
            for (;;) {
                try {
                    m->ioc.run();
                    return;
                } catch (const std::exception &e) {
                    m->context.logger.error("unexpected exception in an I/O thread",
                                            {{"error", e.what()}});
                }
            }
        });
    }
    return rf::ok();
}

unsigned short HttpServer::port() const {
    return m->listener ? m->listener->port() : 0;
}

void HttpServer::stopAccepting() {
    if (m->listener) {
        m->listener->close();
    }
}

void HttpServer::closeIdleConnections() {
    for (const auto &session : m->context.sessions.live()) {
        session->closeIfIdle();
    }
}

bool HttpServer::waitForConnections(std::chrono::steady_clock::time_point deadline) {
    while (m->context.state.connections.load() > 0) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

void HttpServer::stop() {
    m->work.reset();
    m->ioc.stop();
    for (auto &thread : m->threads) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    m->threads.clear();
}

} // namespace forecast::http
