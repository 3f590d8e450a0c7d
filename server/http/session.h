#pragma once
// One client connection (Beast "session"): reads requests with a deadline, hands them to
// route(), writes the answers, keeps the connection alive or closes it. Every step runs on
// the connection's io_context, which exactly one thread runs, so its handlers never run
// concurrently without a strand. Includes Beast: include only from the transport sources.

#include "http/server_context.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace forecast::http {

// Concrete executor types rather than any_io_executor: no type erasure on every handler.
// A plain io_context executor, not a strand: each io_context is run by one thread only.
using Executor = boost::asio::io_context::executor_type;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;

class Session final : public std::enable_shared_from_this<Session> {
public:
    Session(Socket &&socket, ServerContext &context);
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    void run();
    // Shutdown: close the connection if it is waiting for a request that has not begun.
    void closeIfIdle();

private:
    using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

    void doRead();
    void readSome();
    void onRead(boost::beast::error_code ec, std::size_t bytes);
    void markRequestStarted();
    void sendContinue();
    void handleRequest();
    void sendError(const ApiError &error);
    void send(Response response, bool close);
    void onWrite(boost::beast::error_code ec, std::size_t bytes);
    void finishRequest();
    void closeConnection();
    void lingerClose();
    void discardInput();

    boost::beast::basic_stream<boost::asio::ip::tcp, Executor> m_stream;
    boost::beast::flat_buffer m_buffer;
    std::optional<Parser> m_parser;
    ServerContext &m_context;
    std::string m_head; // status line + headers, reused across requests
    std::string m_body;
    std::string m_spare; // the previous body's buffer, lent to the next route() call
    std::chrono::steady_clock::time_point m_handled;
    metrics::Handler m_handler = metrics::Handler::Other;
    int m_status = 0;
    bool m_requestStarted = false; // first byte of a request has arrived
    bool m_continueSent = false;
    bool m_close = false;
    bool m_reading = false;
};

} // namespace forecast::http
