#include "http/http_server.h"

#include "api/logger.h"
#include "http/connection_sweep.h"
#include "http/listener.h"
#include "http/session.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <thread>
#include <vector>

namespace forecast::http {

namespace net = boost::asio;

using WorkGuard = net::executor_work_guard<net::io_context::executor_type>;

struct HttpServer::Impl {
    Impl(ServerOptions options, RouteDeps deps, ServiceState &state, api::Logger &logger)
        : context{std::move(options), deps, state, logger, {}} {
        // One io_context (one epoll reactor) per thread rather than one shared by all: no
        // reactor lock contention, and a preempted thread stalls only its own connections.
        const int count = std::max(1, context.options.threads);
        for (int i = 0; i < count; ++i) {
            iocs.push_back(std::make_unique<net::io_context>(1));
            work.emplace_back(iocs.back()->get_executor());
            sweeps.push_back(std::make_unique<ConnectionSweep>(*iocs.back(), sweepPeriod()));
        }
    }

    ~Impl() {
        // The sweeps' timers belong to the io_contexts and go first; the sweeps themselves
        // outlive them, since sessions destroyed with pending handlers unregister from them.
        for (auto &sweep : sweeps) {
            sweep->releaseTimer();
        }
    }

    // How late a deadline may be enforced: a quarter of the shortest timeout, 100 ms to 1 s.
    std::chrono::steady_clock::duration sweepPeriod() const {
        const auto shortest =
            std::min(context.options.keepAliveTimeout, context.options.requestTimeout);
        return std::clamp<std::chrono::steady_clock::duration>(
            shortest / 4, std::chrono::milliseconds(100), std::chrono::seconds(1));
    }

    // Declared first so they outlive the io_contexts: destroying an io_context destroys
    // pending handlers, and with them sessions that unregister from the context and sweeps.
    ServerContext context;
    std::vector<std::unique_ptr<ConnectionSweep>> sweeps;
    std::vector<std::unique_ptr<net::io_context>> iocs;
    std::vector<WorkGuard> work;
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
    std::vector<Worker> workers;
    for (std::size_t i = 0; i < m->iocs.size(); ++i) {
        workers.push_back({m->iocs[i].get(), m->sweeps[i].get()});
    }
    m->listener = std::make_shared<Listener>(*m->iocs.front(), std::move(workers), m->context);
    const net::ip::tcp::endpoint endpoint(address,
                                          static_cast<unsigned short>(m->context.options.port));
    if (auto opened = m->listener->open(endpoint); !opened) {
        return opened;
    }
    m->listener->run();
    m->threads.reserve(m->iocs.size());
    for (const auto &ioc : m->iocs) {
        m->threads.emplace_back([this, &ioc = *ioc] {
            // Handlers do not throw by design; should one ever do, log it and keep the thread
            // serving rather than terminating the process.
            for (;;) {
                try {
                    ioc.run();
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
    for (auto &guard : m->work) {
        guard.reset();
    }
    for (auto &ioc : m->iocs) {
        ioc->stop();
    }
    for (auto &thread : m->threads) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    m->threads.clear();
}

} // namespace forecast::http
