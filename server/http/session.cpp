#include "http/session.h"

#include "api/logger.h"
#include "http/connection_sweep.h"
#include "http/json_writer.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/status.hpp>

#include <array>
#include <cstring>
#include <ctime>

namespace forecast::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using Clock = Session::Clock;

// The Date header changes once a second: format it once a second per thread.
std::string_view httpDate() {
    thread_local std::time_t cachedSecond = 0;
    thread_local char cached[40];
    thread_local std::size_t cachedSize = 0;
    const std::time_t now = std::time(nullptr);
    if (now != cachedSecond) {
        std::tm utc{};
        gmtime_r(&now, &utc);
        cachedSize = std::strftime(cached, sizeof cached, "%a, %d %b %Y %H:%M:%S GMT", &utc);
        cachedSecond = now;
    }
    return {cached, cachedSize};
}

// `http10KeepAlive`: an HTTP/1.0 client that asked for keep-alive must be told it got it.
void appendHead(std::string &head, int status, const Response &response, std::size_t bodySize,
                bool close, bool http10KeepAlive) {
    head.clear();
    head.append("HTTP/1.1 ");
    json::appendInteger(head, status);
    head.push_back(' ');
    const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
    head.append(reason.data(), reason.size());
    head.append("\r\nServer: forecast-api\r\nDate: ");
    head.append(httpDate());
    head.append("\r\nContent-Type: ");
    head.append(response.contentType);
    head.append("\r\nContent-Length: ");
    json::appendInteger(head, static_cast<std::int64_t>(bodySize));
    if (!response.allow.empty()) {
        head.append("\r\nAllow: ");
        head.append(response.allow);
    }
    if (close) {
        head.append("\r\nConnection: close");
    } else if (http10KeepAlive) {
        head.append("\r\nConnection: keep-alive");
    }
    head.append("\r\n\r\n");
}

// How long a closing connection keeps reading (and discarding) what the client still sends,
// so that the kernel does not answer unread data with a reset that destroys our response.
constexpr auto kLingerTime = std::chrono::seconds(2);

// Input buffer: room for a typical request and its pipelined successor. It grows only while
// the parser waits for the end of a line it cannot take in pieces: the request line and
// headers (the header limit stops them) or a chunk-size line or trailer (stopped here).
constexpr std::size_t kInputSize = 8192;
constexpr std::size_t kMinReadRoom = 2048;
// Buffers larger than this are given back while a connection waits idle for its next request,
// so a client that sent one large body does not keep a megabyte per idle connection.
constexpr std::size_t kKeepWhileIdle = 64 * 1024;

// Both ways a body can be too large: announced by Content-Length (with or without
// Expect: 100-continue) or found while reading a chunked body.
ApiError payloadTooLarge(std::size_t bodyLimit) {
    return {413, "payload_too_large",
            "request body is larger than " + std::to_string(bodyLimit) + " bytes"};
}

void releaseIfLarge(std::string &buffer) {
    if (buffer.capacity() > kKeepWhileIdle) {
        std::string().swap(buffer);
    }
}

} // namespace

Session::Session(Socket &&socket, ServerContext &context, ConnectionSweep &sweep)
    : m_socket(std::move(socket))
    , m_context(context)
    , m_sweep(sweep)
    , m_in(kInputSize) {
    m_context.state.connections.fetch_add(1, std::memory_order_relaxed);
}

Session::~Session() {
    if (m_requestStarted) {
        m_context.state.inFlight.fetch_sub(1, std::memory_order_relaxed);
    }
    // Normally already done on the session's thread by closeConnection(); still registered
    // only when the io_context was destroyed with this session's handler pending, after its
    // thread has stopped.
    m_sweep.remove(*this);
    m_context.state.connections.fetch_sub(1, std::memory_order_relaxed);
    m_context.sessions.remove(this);
}

void Session::run() {
    m_context.sessions.add(this, weak_from_this());
    beast::error_code ec;
    m_socket.set_option(net::ip::tcp::no_delay(true), ec);
    // Constructed on the acceptor's thread; from here on everything runs on the socket's.
    net::dispatch(m_socket.get_executor(), [self = shared_from_this()] { self->start(); });
}

void Session::start() {
    m_sweep.add(*this);
    doRead();
}

void Session::closeIfIdle() {
    net::dispatch(m_socket.get_executor(), [self = shared_from_this()] {
        if (self->m_reading && !self->m_requestStarted && self->buffered() == 0) {
            self->closeConnection();
        }
    });
}

void Session::timeOut() {
    m_timedOut = true;
    m_deadline = Clock::time_point::max();
    // The pending read or write completes with operation_aborted and ends the session; a slow
    // client gets no answer, an idle keep-alive connection simply ends.
    beast::error_code ec;
    m_socket.close(ec);
}

void Session::doRead() {
    m_parser.emplace(m_request);
    m_parser->body_limit(m_context.options.bodyLimit);
    m_parser->header_limit(static_cast<std::uint32_t>(m_context.options.headerLimit));
    m_parser->eager(true);
    m_continueSent = false;
    if (buffered() > 0) {
        markRequestStarted(Clock::now()); // a pipelined request is already waiting
        parseBuffered();
        return;
    }
    // Idle keep-alive wait: an async read holds no thread, only this deadline.
    releaseIfLarge(m_request.body);
    releaseIfLarge(m_body);
    releaseIfLarge(m_spare);
    if (m_in.size() > kInputSize) {
        m_inBegin = m_inEnd = 0;
        std::vector<char>(kInputSize).swap(m_in);
    }
    m_deadline = Clock::now() + m_context.options.keepAliveTimeout;
    readSome();
}

void Session::readSome() {
    if (m_inBegin == m_inEnd) {
        m_inBegin = m_inEnd = 0;
    }
    if (m_in.size() - m_inEnd < kMinReadRoom) {
        std::memmove(m_in.data(), m_in.data() + m_inBegin, buffered());
        m_inEnd -= m_inBegin;
        m_inBegin = 0;
        if (m_in.size() - m_inEnd < kMinReadRoom) {
            if (m_in.size() >= m_context.options.headerLimit + kInputSize) {
                // The header limit bounds the request line and headers; only a chunk-size line
                // or a trailer section gets here.
                return sendError({400, "bad_request",
                                  "malformed HTTP request: a chunk-size line or trailer is "
                                  "longer than " +
                                      std::to_string(m_context.options.headerLimit) + " bytes"});
            }
            m_in.resize(m_in.size() * 2);
        }
    }
    m_reading = true;
    m_socket.async_read_some(net::buffer(m_in.data() + m_inEnd, m_in.size() - m_inEnd),
                             [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                                 self->onRead(ec, bytes);
                             });
}

void Session::markRequestStarted(Clock::time_point now) {
    m_requestStarted = true;
    m_context.state.inFlight.fetch_add(1, std::memory_order_relaxed);
    m_context.state.lastRequestNanos.store(
        std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count(),
        std::memory_order_relaxed);
    // One deadline for the whole request, so a client trickling bytes cannot hold the
    // connection open forever.
    m_deadline = now + m_context.options.requestTimeout;
}

void Session::onRead(beast::error_code ec, std::size_t bytes) {
    m_reading = false;
    if (ec) {
        if (m_timedOut) {
            m_context.logger.debug(m_requestStarted ? "request timed out; connection closed"
                                                    : "idle connection closed",
                                   {{"in_request", m_requestStarted}});
        }
        // Client closed (a half-sent request included), timeout, shutdown: nothing to answer.
        return closeConnection();
    }
    m_inEnd += bytes;
    if (!m_requestStarted && bytes > 0) {
        markRequestStarted(Clock::now());
    }
    parseBuffered();
}

void Session::parseBuffered() {
    for (;;) {
        if (buffered() == 0) {
            return readSome();
        }
        beast::error_code ec;
        const std::size_t used =
            m_parser->put(net::const_buffer(m_in.data() + m_inBegin, buffered()), ec);
        m_inBegin += used;
        if (ec && ec != bhttp::error::need_more) {
            if (ec == bhttp::error::body_limit) {
                return sendError(payloadTooLarge(m_context.options.bodyLimit));
            }
            if (ec == bhttp::error::header_limit) {
                return sendError({431, "header_too_large",
                                  "request line and headers are larger than " +
                                      std::to_string(m_context.options.headerLimit) + " bytes"});
            }
            return sendError({400, "bad_request", "malformed HTTP request: " + ec.message()});
        }
        if (m_parser->is_done()) {
            return handleRequest();
        }
        if (m_parser->is_header_done() && m_request.expectContinue && !m_continueSent) {
            const auto length = m_parser->content_length();
            if (length && *length > m_context.options.bodyLimit) {
                return sendError(payloadTooLarge(m_context.options.bodyLimit));
            }
            return sendContinue();
        }
        if (used == 0) {
            return readSome(); // the parser needs bytes that have not arrived yet
        }
    }
}

void Session::sendContinue() {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    m_continueSent = true;
    net::async_write(m_socket, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) {
                             return self->closeConnection();
                         }
                         self->parseBuffered();
                     });
}

void Session::handleRequest() {
    m_spare = std::move(m_body); // keeps its capacity for this request's answer
    const Request plain{m_request.method, m_request.target, m_request.contentType, m_request.body,
                        &m_spare};
    const auto started = Clock::now();
    Response response;
    try {
        response = route(plain, m_context.deps);
    } catch (const std::exception &e) {
        // Routes report errors as values; this is the last line (e.g. bad_alloc) so that one
        // request fails with 500 instead of the process.
        m_context.logger.error("request failed", {{"error", e.what()}});
        response = errorResponse({500, "internal", "internal error; see the service log"});
    }
    m_handled = started;
    const bool close =
        !m_parser->keep_alive() || m_context.state.draining.load(std::memory_order_relaxed);
    if (m_context.logger.enabled(api::LogLevel::Debug)) {
        m_context.logger.debug("request", {{"method", plain.method},
                                           {"path", plain.target.substr(0, 200)},
                                           {"status", response.status},
                                           {"bytes", response.body.size()}});
    }
    send(std::move(response), close);
}

void Session::sendError(const ApiError &error) {
    m_handled = Clock::now();
    // After a broken or oversized request the rest of the stream cannot be trusted.
    send(errorResponse(error), true);
}

void Session::send(Response response, bool close) {
    m_close = close;
    m_status = response.status;
    m_handler = response.handler;
    m_body = std::move(response.body);
    const bool headerDone = m_parser && m_parser->is_header_done();
    const bool http10 = headerDone && m_request.version < 11;
    appendHead(m_head, response.status, response, m_body.size(), close, http10 && !close);
    const auto now = Clock::now();
    if (auto *metrics = m_context.deps.metrics) {
        const auto method =
            headerDone ? metrics::methodFromString(m_request.method) : metrics::Method::Other;
        metrics->observeRequest(m_handler, method, m_status,
                                std::chrono::duration<double>(now - m_handled).count());
    }
    if (!m_requestStarted) {
        markRequestStarted(now); // a response always belongs to an in-flight request
    }
    m_deadline = now + m_context.options.requestTimeout;
    const std::array<net::const_buffer, 2> buffers{net::buffer(m_head), net::buffer(m_body)};
    net::async_write(m_socket, buffers,
                     [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                         self->onWrite(ec, bytes);
                     });
}

void Session::onWrite(beast::error_code ec, std::size_t) {
    finishRequest();
    if (ec) {
        return closeConnection();
    }
    if (m_close) {
        return lingerClose();
    }
    doRead();
}

void Session::lingerClose() {
    beast::error_code ec;
    m_socket.shutdown(net::ip::tcp::socket::shutdown_send, ec);
    m_deadline = Clock::now() + kLingerTime;
    discardInput();
}

void Session::discardInput() {
    m_socket.async_read_some(net::buffer(m_in.data(), m_in.size()),
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                 if (ec) {
                                     // Client closed, or the linger time is over.
                                     return self->closeConnection();
                                 }
                                 self->discardInput();
                             });
}

void Session::finishRequest() {
    if (m_requestStarted) {
        m_requestStarted = false;
        m_context.state.inFlight.fetch_sub(1, std::memory_order_relaxed);
    }
}

void Session::closeConnection() {
    beast::error_code ec;
    // Send FIN first so the client reads the whole response before the socket goes away.
    m_socket.shutdown(net::ip::tcp::socket::shutdown_send, ec);
    m_socket.close(ec);
    m_deadline = Clock::time_point::max();
    m_sweep.remove(*this);
}

} // namespace forecast::http
