#pragma once
// One client connection (Beast "session"): reads requests, hands them to route(), writes the
// answers, keeps the connection alive or closes it. Every step runs on the connection's
// io_context, which exactly one thread runs, so its handlers never run concurrently without a
// strand. Deadlines (idle keep-alive wait, whole request, linger) are enforced by the thread's
// ConnectionSweep. Includes Beast: include only from the transport sources.

#include "http/request_parser.h"
#include "http/server_context.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>

#include <chrono>
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace forecast::http {

class ConnectionSweep;

// Concrete executor types rather than any_io_executor: no type erasure on every handler.
// A plain io_context executor, not a strand: each io_context is run by one thread only.
using Executor = boost::asio::io_context::executor_type;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;

class Session final : public std::enable_shared_from_this<Session> {
public:
    using Clock = std::chrono::steady_clock;

    // `sweep` belongs to the io_context of the socket's executor.
    Session(Socket &&socket, ServerContext &context, ConnectionSweep &sweep);
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    void run();
    // Shutdown: close the connection if it is waiting for a request that has not begun.
    void closeIfIdle();

    // For ConnectionSweep, on the session's thread.
    Clock::time_point deadline() const { return m_deadline; }
    void timeOut();

private:
    friend class ConnectionSweep;
    static constexpr std::size_t kNotSwept = std::numeric_limits<std::size_t>::max();

    void start();
    void doRead();
    void readSome();
    void onRead(boost::beast::error_code ec, std::size_t bytes);
    void parseBuffered();
    void markRequestStarted(Clock::time_point now);
    void sendContinue();
    void handleRequest();
    void sendError(const ApiError &error);
    void send(Response response, bool close);
    void onWrite(boost::beast::error_code ec, std::size_t bytes);
    void finishRequest();
    void closeConnection();
    void lingerClose();
    void discardInput();
    std::size_t buffered() const { return m_inEnd - m_inBegin; }

    Socket m_socket;
    ServerContext &m_context;
    ConnectionSweep &m_sweep;
    std::size_t m_sweepIndex = kNotSwept;
    Clock::time_point m_deadline = Clock::time_point::max();

    // Received bytes not yet parsed are m_in[m_inBegin, m_inEnd): the rest of a request, or
    // the next one when the client pipelines.
    std::vector<char> m_in;
    std::size_t m_inBegin = 0;
    std::size_t m_inEnd = 0;

    RequestHead m_request; // kept across requests: its strings keep their capacity
    std::optional<RequestParser> m_parser;
    std::string m_head; // status line + headers, reused across requests
    std::string m_body;
    std::string m_spare; // the previous body's buffer, lent to the next route() call
    Clock::time_point m_handled;
    metrics::Handler m_handler = metrics::Handler::Other;
    int m_status = 0;
    bool m_requestStarted = false; // first byte of a request has arrived
    bool m_continueSent = false;
    bool m_close = false;
    bool m_reading = false;
    bool m_timedOut = false;
};

} // namespace forecast::http
