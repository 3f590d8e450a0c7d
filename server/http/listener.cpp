#include "http/listener.h"

#include "api/logger.h"
#include "http/session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

namespace forecast::http {
namespace {
namespace net = boost::asio;
namespace beast = boost::beast;
} // namespace

Listener::Listener(net::io_context &acceptIoc, std::vector<Worker> workers, ServerContext &context)
    : m_workers(std::move(workers))
    , m_acceptor(net::make_strand(acceptIoc))
    , m_retry(m_acceptor.get_executor())
    , m_context(context) {}

rf::Status Listener::open(const net::ip::tcp::endpoint &endpoint) {
    beast::error_code ec;
    const auto failed = [&](const char *what) {
        return rf::fail("cannot listen on " + endpoint.address().to_string() + ":" +
                        std::to_string(endpoint.port()) + " (HOST/PORT): " + what + ": " +
                        ec.message());
    };
    m_acceptor.open(endpoint.protocol(), ec);
    if (ec) {
        return failed("open");
    }
    m_acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (ec) {
        return failed("set_option");
    }
    m_acceptor.bind(endpoint, ec);
    if (ec) {
        return failed("bind");
    }
    m_acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        return failed("listen");
    }
    m_port = m_acceptor.local_endpoint(ec).port();
    return rf::ok();
}

unsigned short Listener::port() const {
    return m_port;
}

void Listener::run() {
    net::dispatch(m_acceptor.get_executor(),
                  beast::bind_front_handler(&Listener::doAccept, shared_from_this()));
}

void Listener::close() {
    net::dispatch(m_acceptor.get_executor(), [self = shared_from_this()] {
        beast::error_code ec;
        self->m_retry.cancel();
        self->m_acceptor.close(ec);
    });
}

void Listener::doAccept() {
    if (!m_acceptor.is_open()) {
        return;
    }
    // Each connection is bound to one single-threaded io_context: its handlers never run
    // concurrently, and connections on other threads never contend with it for a reactor.
    const Worker &worker = m_workers[m_next];
    m_next = (m_next + 1) % m_workers.size();
    m_acceptor.async_accept(
        worker.ioc->get_executor(),
        [self = shared_from_this(), sweep = worker.sweep](beast::error_code ec, Socket socket) {
            self->onAccept(ec, std::move(socket), *sweep);
        });
}

void Listener::onAccept(beast::error_code ec, Socket socket, ConnectionSweep &sweep) {
    if (ec == net::error::operation_aborted || !m_acceptor.is_open()) {
        return; // closed for shutdown
    }
    if (ec) {
        // Typically EMFILE under overload: back off briefly instead of spinning.
        // Logged once per second at most: under fd exhaustion this repeats every 50 ms.
        const auto now = std::chrono::steady_clock::now();
        if (now - m_lastAcceptWarning >= std::chrono::seconds(1)) {
            m_lastAcceptWarning = now;
            m_context.logger.warn("accept failed", {{"error", ec.message()}});
        }
        m_retry.expires_after(std::chrono::milliseconds(50));
        m_retry.async_wait([self = shared_from_this()](beast::error_code waitEc) {
            if (!waitEc) {
                self->doAccept();
            }
        });
        return;
    }
    std::make_shared<Session>(std::move(socket), m_context, sweep)->run();
    doAccept();
}

} // namespace forecast::http
