#include "network/tcp_forwarder.h"

#include "api/http_log.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <fcntl.h>

namespace sandbox::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

// Pod processes, probes and hooks the sandbox starts must not inherit the proxy's sockets:
// an inherited copy keeps a listener bound after it is closed, or a spliced connection
// open after the proxy closed it. Asio opens descriptors without SOCK_CLOEXEC.
void closeOnExec(int fd) {
    if (fd >= 0) {
        ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
    }
}

const char *kindOf(const ListenerSpec &spec) {
    return spec.nodePort ? "NodePort" : spec.loadBalancer ? "LoadBalancer" : "ClusterIP";
}

// One accepted connection spliced to one endpoint: two independent pumps (client to
// endpoint, endpoint to client), each a read into its own buffer followed by a write of
// what was read. A pump that reads EOF half-closes the other side, so HTTP clients that
// shut down their sending side still get their answer; any error closes both sockets.
class Connection final : public std::enable_shared_from_this<Connection> {
public:
    Connection(tcp::socket client, BackendList backends, std::size_t first,
               const ForwarderOptions &options, std::shared_ptr<ForwarderCounters> counters)
        : m_client(std::move(client))
        , m_backend(m_client.get_executor())
        , m_timer(m_client.get_executor())
        , m_backends(std::move(backends))
        , m_first(first)
        , m_connectTimeout(options.connectTimeout)
        , m_bufferSize(options.bufferSize)
        , m_buffer(std::make_unique<char[]>(2 * options.bufferSize))
        , m_counters(std::move(counters)) {}

    void start() { connectNext(); }
    asio::any_io_executor executor() { return m_client.get_executor(); }

private:
    void connectNext() {
        const std::size_t count = m_backends ? m_backends->size() : 0;
        if (m_attempt >= count) {
            ++m_counters->rejected;
            reset();
            return;
        }
        if (m_attempt > 0) {
            ++m_counters->connectRetries;
        }
        const tcp::endpoint target = (*m_backends)[(m_first + m_attempt) % count];
        const std::size_t attempt = ++m_attempt;
        error_code ec;
        m_backend.close(ec);
        m_backend.open(target.protocol(), ec);
        if (ec) {
            connectNext();
            return;
        }
        closeOnExec(m_backend.native_handle());
        m_timer.expires_after(m_connectTimeout);
        m_timer.async_wait([self = shared_from_this(), attempt](const error_code &ec) {
            if (!ec && self->m_attempt == attempt && !self->m_connected) {
                error_code ignore;
                self->m_backend.cancel(ignore); // the connect completes with an error
            }
        });
        m_backend.async_connect(
            target, [self = shared_from_this()](const error_code &ec) { self->onConnect(ec); });
    }

    void onConnect(const error_code &ec) {
        if (m_closed) {
            return;
        }
        if (ec) {
            connectNext();
            return;
        }
        m_connected = true;
        m_timer.cancel();
        ++m_counters->forwarded;
        error_code ignored;
        // Request/response traffic (HTTP keep-alive): small writes must go out at once.
        m_client.set_option(tcp::no_delay(true), ignored);
        m_backend.set_option(tcp::no_delay(true), ignored);
        read(kUp);
        read(kDown);
    }

    static constexpr int kUp = 0;   // client -> endpoint
    static constexpr int kDown = 1; // endpoint -> client

    tcp::socket &from(int direction) { return direction == kUp ? m_client : m_backend; }
    tcp::socket &to(int direction) { return direction == kUp ? m_backend : m_client; }
    char *buffer(int direction) {
        return m_buffer.get() + static_cast<std::size_t>(direction) * m_bufferSize;
    }

    void read(int direction) {
        from(direction).async_read_some(
            asio::buffer(buffer(direction), m_bufferSize),
            [self = shared_from_this(), direction](const error_code &ec, std::size_t n) {
                self->onRead(direction, ec, n);
            });
    }

    void onRead(int direction, const error_code &ec, std::size_t n) {
        if (m_closed) {
            return;
        }
        if (ec) {
            if (ec != asio::error::eof) {
                close();
                return;
            }
            error_code ignored;
            to(direction).shutdown(tcp::socket::shutdown_send, ignored);
            m_finished[direction] = true;
            if (m_finished[kUp] && m_finished[kDown]) {
                close();
            }
            return;
        }
        asio::async_write(
            to(direction), asio::buffer(buffer(direction), n),
            [self = shared_from_this(), direction](const error_code &wec, std::size_t) {
                if (wec || self->m_closed) {
                    self->close();
                    return;
                }
                self->read(direction);
            });
    }

    // No endpoint took the connection: reset it, as a REJECT rule would refuse it.
    void reset() {
        error_code ignored;
        m_client.set_option(asio::socket_base::linger(true, 0), ignored);
        close();
    }

    void close() {
        if (m_closed) {
            return;
        }
        m_closed = true;
        error_code ignored;
        m_timer.cancel();
        m_client.close(ignored);
        m_backend.close(ignored);
    }

    tcp::socket m_client;
    tcp::socket m_backend;
    asio::steady_timer m_timer;
    BackendList m_backends;
    std::size_t m_first;
    std::size_t m_attempt = 0;
    std::chrono::milliseconds m_connectTimeout;
    std::size_t m_bufferSize;
    std::unique_ptr<char[]> m_buffer;
    std::shared_ptr<ForwarderCounters> m_counters;
    bool m_connected = false;
    bool m_closed = false;
    bool m_finished[2] = {false, false};
};

} // namespace

TcpForwarder::TcpForwarder(asio::io_context &control, ContextPicker pickContext, ListenerSpec spec,
                           ForwarderOptions options, std::shared_ptr<ForwarderCounters> counters,
                           std::function<void()> onStateChange)
    : m_control(control)
    , m_pickContext(std::move(pickContext))
    , m_spec(std::move(spec))
    , m_options(options)
    , m_counters(std::move(counters))
    , m_onStateChange(std::move(onStateChange))
    , m_acceptor(control)
    , m_retryTimer(control) {}

void TcpForwarder::open() {
    if (m_open) {
        return;
    }
    m_open = true;
    tryBind();
}

void TcpForwarder::close() {
    if (!m_open) {
        return;
    }
    m_open = false;
    m_retryTimer.cancel();
    error_code ignored;
    m_acceptor.close(ignored);
    if (m_listening) {
        logLine(LogLevel::Info, "service proxy stopped listening",
                {{"service", m_spec.service}, {"address", m_spec.key()}, {"kind", kindOf(m_spec)}});
    }
    m_listening = false;
}

void TcpForwarder::tryBind() {
    if (!m_open) {
        return;
    }
    error_code ec;
    const auto address = asio::ip::make_address_v4(m_spec.address, ec);
    const char *step = "parse address";
    if (!ec) {
        const tcp::endpoint endpoint(address, m_spec.port);
        step = "open";
        m_acceptor.open(endpoint.protocol(), ec);
        if (!ec) {
            closeOnExec(m_acceptor.native_handle());
            // Ports of connections that just closed (TIME_WAIT) may be bound again at once.
            m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
            step = "bind";
            if (!ec) {
                m_acceptor.bind(endpoint, ec);
            }
            if (!ec) {
                step = "listen";
                m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
            }
        }
    }
    if (ec) {
        error_code ignored;
        m_acceptor.close(ignored);
        std::string error = std::string(step) + ": " + ec.message();
        if (ec == asio::error::access_denied && m_spec.port < 1024) {
            error += " (ports below 1024 need root, CAP_NET_BIND_SERVICE or a lower "
                     "net.ipv4.ip_unprivileged_port_start)";
        }
        // The first failure (and any change of reason) is a warning; repeats are debug noise.
        const bool news = m_failedBinds == 0 || error != m_lastError;
        m_lastError = error;
        ++m_failedBinds;
        logLine(news ? LogLevel::Warn : LogLevel::Debug, "service proxy cannot listen, will retry",
                {{"service", m_spec.service},
                 {"address", m_spec.key()},
                 {"kind", kindOf(m_spec)},
                 {"error", error},
                 {"attempts", m_failedBinds},
                 {"retryMillis", m_options.bindRetry.count()}});
        if (news && m_onStateChange) {
            m_onStateChange();
        }
        scheduleRetry();
        return;
    }
    m_listening = true;
    m_lastError.clear();
    logLine(LogLevel::Info, "service proxy listening",
            {{"service", m_spec.service},
             {"address", m_spec.key()},
             {"kind", kindOf(m_spec)},
             {"afterFailedAttempts", m_failedBinds}});
    m_failedBinds = 0;
    if (m_onStateChange) {
        m_onStateChange();
    }
    doAccept();
}

void TcpForwarder::scheduleRetry() {
    m_retryTimer.expires_after(m_options.bindRetry);
    m_retryTimer.async_wait([self = shared_from_this()](const error_code &ec) {
        if (!ec) {
            self->tryBind();
        }
    });
}

void TcpForwarder::doAccept() {
    asio::any_io_executor target = m_pickContext().get_executor();
    m_acceptor.async_accept(target,
                            [self = shared_from_this()](const error_code &ec, tcp::socket socket) {
                                self->onAccept(ec, std::move(socket));
                            });
}

void TcpForwarder::onAccept(const error_code &ec, tcp::socket socket) {
    if (!m_open || ec == asio::error::operation_aborted) {
        return;
    }
    if (ec) {
        // Out of descriptors and the like: pause instead of spinning on the error.
        logLine(LogLevel::Warn, "service proxy accept failed",
                {{"service", m_spec.service}, {"address", m_spec.key()}, {"error", ec.message()}});
        m_retryTimer.expires_after(std::chrono::milliseconds(100));
        m_retryTimer.async_wait([self = shared_from_this()](const error_code &wait) {
            if (!wait && self->m_open) {
                self->doAccept();
            }
        });
        return;
    }
    ++m_counters->accepted;
    closeOnExec(socket.native_handle());
    const std::size_t count = backendCount();
    const std::size_t first = count == 0 ? 0 : m_next++ % count;
    auto connection =
        std::make_shared<Connection>(std::move(socket), m_backends, first, m_options, m_counters);
    // The connection's sockets belong to its own io_context: start it there.
    asio::post(connection->executor(), [connection] { connection->start(); });
    doAccept();
}

} // namespace sandbox::net
