#pragma once
// Accepts connections and starts a Session on its own strand for each (Beast "listener").
// Includes Asio: include only from the transport sources.

#include "http/server_context.h"
#include "http/session.h"

#include <rf/result.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <chrono>
#include <memory>

namespace forecast::http {

class Listener final : public std::enable_shared_from_this<Listener> {
public:
    Listener(boost::asio::io_context &ioc, ServerContext &context);

    // Binds and listens; the error names the address and the reason.
    rf::Status open(const boost::asio::ip::tcp::endpoint &endpoint);
    unsigned short port() const;
    void run();
    // Stops accepting: new connections are refused by the kernel from here on.
    void close();

private:
    void doAccept();
    void onAccept(boost::beast::error_code ec, Socket socket);

    boost::asio::io_context &m_ioc;
    boost::asio::ip::tcp::acceptor m_acceptor;
    boost::asio::steady_timer m_retry;
    ServerContext &m_context;
    unsigned short m_port = 0;
    std::chrono::steady_clock::time_point m_lastAcceptWarning{};
};

} // namespace forecast::http
