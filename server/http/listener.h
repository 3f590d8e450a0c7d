#pragma once
// Accepts connections and starts a Session for each, handing the connections round-robin to
// the worker io_contexts (one per I/O thread), so each connection lives on one thread.
// Includes Asio: include only from the transport sources.

#include "http/connection_sweep.h"
#include "http/server_context.h"
#include "http/session.h"

#include <rf/result.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

namespace forecast::http {

// One I/O thread's io_context and the sweep that enforces its connections' deadlines.
struct Worker {
    boost::asio::io_context *ioc;
    ConnectionSweep *sweep;
};

class Listener final : public std::enable_shared_from_this<Listener> {
public:
    // Accepts on `acceptIoc`; `workers` must outlive the listener and be non-empty.
    Listener(boost::asio::io_context &acceptIoc, std::vector<Worker> workers,
             ServerContext &context);

    // Binds and listens; the error names the address and the reason.
    rf::Status open(const boost::asio::ip::tcp::endpoint &endpoint);
    unsigned short port() const;
    void run();
    // Stops accepting: new connections are refused by the kernel from here on.
    void close();

private:
    void doAccept();
    // `sweep` belongs to the io_context the socket was accepted onto.
    void onAccept(boost::beast::error_code ec, Socket socket, ConnectionSweep &sweep);

    std::vector<Worker> m_workers;
    std::size_t m_next = 0; // round-robin cursor, touched only on the acceptor's strand
    boost::asio::ip::tcp::acceptor m_acceptor;
    boost::asio::steady_timer m_retry;
    ServerContext &m_context;
    unsigned short m_port = 0;
    std::chrono::steady_clock::time_point m_lastAcceptWarning{};
};

} // namespace forecast::http
