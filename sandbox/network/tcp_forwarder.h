#pragma once
// Internal to the service proxy (includes Asio; keep it out of other headers): one listening
// address of one Service port. It accepts TCP connections and splices each to a ready
// endpoint, round-robin over the endpoints, trying the next one when a connect fails (a
// pod that just stopped costs no request). A bind failure (address in use) is logged and
// retried until it works or the listener is closed.
//
// Threads: the acceptor and all of this object's state live on the control io_context (one
// thread); every accepted connection is handed to an io_context of the pool, each run by
// one thread, so a connection's two sockets are only ever touched by one thread and need no
// strand.

#include "network/service_table.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sandbox::net {

using BackendList = std::shared_ptr<const std::vector<boost::asio::ip::tcp::endpoint>>;

struct ForwarderOptions {
    std::chrono::milliseconds bindRetry{2000};
    std::chrono::milliseconds connectTimeout{5000};
    std::size_t bufferSize = 16 * 1024; // per direction and connection, allocated once
};

// Counters shared by every listener of a proxy (read from any thread).
struct ForwarderCounters {
    std::atomic<std::uint64_t> accepted{0};
    std::atomic<std::uint64_t> forwarded{0};      // connected to an endpoint
    std::atomic<std::uint64_t> rejected{0};       // no endpoint could take it
    std::atomic<std::uint64_t> connectRetries{0}; // an endpoint refused, the next one was tried
};

class TcpForwarder final : public std::enable_shared_from_this<TcpForwarder> {
public:
    using ContextPicker = std::function<boost::asio::io_context &()>;

    TcpForwarder(boost::asio::io_context &control, ContextPicker pickContext, ListenerSpec spec,
                 ForwarderOptions options, std::shared_ptr<ForwarderCounters> counters,
                 std::function<void()> onStateChange);

    // All of these on the control context's thread.
    void open();
    void close();
    void setBackends(BackendList backends) { m_backends = std::move(backends); }
    std::size_t backendCount() const { return m_backends ? m_backends->size() : 0; }

    const ListenerSpec &spec() const { return m_spec; }
    bool listening() const { return m_listening; }
    const std::string &lastError() const { return m_lastError; }

private:
    void tryBind();
    void scheduleRetry();
    void doAccept();
    void onAccept(const boost::system::error_code &ec, boost::asio::ip::tcp::socket socket);

    boost::asio::io_context &m_control;
    ContextPicker m_pickContext;
    ListenerSpec m_spec;
    ForwarderOptions m_options;
    std::shared_ptr<ForwarderCounters> m_counters;
    std::function<void()> m_onStateChange;
    boost::asio::ip::tcp::acceptor m_acceptor;
    boost::asio::steady_timer m_retryTimer;
    BackendList m_backends;
    std::size_t m_next = 0; // round-robin position
    bool m_open = false;
    bool m_listening = false;
    int m_failedBinds = 0;
    std::string m_lastError;
};

} // namespace sandbox::net
