#include "http/session.h"

#include "api/logger.h"
#include "http/json_writer.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>

#include <ctime>

namespace forecast::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

std::int64_t steadyNanos() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

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

bool isParseError(const beast::error_code &ec) {
    static const auto &httpCategory = make_error_code(bhttp::error::bad_target).category();
    return ec.category() == httpCategory && ec != bhttp::error::end_of_stream &&
           ec != bhttp::error::partial_message;
}

// How long a closing connection keeps reading (and discarding) what the client still sends,
// so that the kernel does not answer unread data with a reset that destroys our response.
constexpr auto kLingerTime = std::chrono::seconds(2);

} // namespace

Session::Session(Socket &&socket, ServerContext &context)
    : m_stream(std::move(socket))
    , m_context(context) {
    m_context.state.connections.fetch_add(1, std::memory_order_relaxed);
}

Session::~Session() {
    if (m_requestStarted) {
        m_context.state.inFlight.fetch_sub(1, std::memory_order_relaxed);
    }
    m_context.state.connections.fetch_sub(1, std::memory_order_relaxed);
    m_context.sessions.remove(this);
}

void Session::run() {
    m_context.sessions.add(this, weak_from_this());
    beast::error_code ec;
    m_stream.socket().set_option(net::ip::tcp::no_delay(true), ec);
    net::dispatch(m_stream.get_executor(),
                  beast::bind_front_handler(&Session::doRead, shared_from_this()));
}

void Session::closeIfIdle() {
    net::dispatch(m_stream.get_executor(), [self = shared_from_this()] {
        if (self->m_reading && !self->m_requestStarted && self->m_buffer.size() == 0) {
            self->closeConnection();
        }
    });
}

void Session::doRead() {
    m_parser.emplace();
    m_parser->body_limit(m_context.options.bodyLimit);
    m_parser->header_limit(static_cast<std::uint32_t>(m_context.options.headerLimit));
    m_parser->eager(true);
    m_continueSent = false;
    if (m_buffer.size() > 0) {
        markRequestStarted(); // a pipelined request is already waiting in the buffer
    } else {
        // Idle keep-alive wait: an async read holds no thread, only this deadline.
        m_stream.expires_after(m_context.options.keepAliveTimeout);
    }
    readSome();
}

void Session::readSome() {
    m_reading = true;
    bhttp::async_read_some(m_stream, m_buffer, *m_parser,
                           beast::bind_front_handler(&Session::onRead, shared_from_this()));
}

void Session::markRequestStarted() {
    m_requestStarted = true;
    m_context.state.inFlight.fetch_add(1, std::memory_order_relaxed);
    m_context.state.lastRequestNanos.store(steadyNanos(), std::memory_order_relaxed);
    // One deadline for the whole request, so a client trickling bytes cannot hold the
    // connection open forever.
    m_stream.expires_after(m_context.options.requestTimeout);
}

void Session::onRead(beast::error_code ec, std::size_t bytes) {
    m_reading = false;
    if (!ec && !m_requestStarted && (bytes > 0 || m_parser->got_some())) {
        markRequestStarted();
    }
    if (ec) {
        if (ec == bhttp::error::body_limit) {
            return sendError({413, "payload_too_large",
                              "request body is larger than " +
                                  std::to_string(m_context.options.bodyLimit) + " bytes"});
        }
        if (ec == bhttp::error::header_limit) {
            return sendError({431, "header_too_large",
                              "request line and headers are larger than " +
                                  std::to_string(m_context.options.headerLimit) + " bytes"});
        }
        if (ec == beast::error::timeout) {
            // tcp_stream has already closed the socket: a slow client gets no answer, and an
            // idle keep-alive connection simply ends.
            m_context.logger.debug(m_requestStarted ? "request timed out; connection closed"
                                                    : "idle connection closed",
                                   {{"in_request", m_requestStarted}});
            return closeConnection();
        }
        if (isParseError(ec)) {
            return sendError({400, "bad_request", "malformed HTTP request: " + ec.message()});
        }
        // Client closed, idle timeout, shutdown: nothing to answer.
        return closeConnection();
    }
    if (m_parser->is_header_done() && !m_parser->is_done() && !m_continueSent) {
        const auto &request = m_parser->get();
        const auto expect = request[bhttp::field::expect];
        if (beast::iequals(expect, "100-continue")) {
            const auto length = m_parser->content_length();
            if (length && *length > m_context.options.bodyLimit) {
                return sendError({413, "payload_too_large",
                                  "request body is larger than " +
                                      std::to_string(m_context.options.bodyLimit) + " bytes"});
            }
            return sendContinue();
        }
    }
    if (!m_parser->is_done()) {
        return readSome();
    }
    handleRequest();
}

void Session::sendContinue() {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    m_continueSent = true;
    net::async_write(m_stream, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) {
                             return self->closeConnection();
                         }
                         self->readSome();
                     });
}

void Session::handleRequest() {
    auto &request = m_parser->get();
    const auto method = request.method_string();
    const auto target = request.target();
    const auto contentType = request[bhttp::field::content_type];
    m_spare = std::move(m_body); // keeps its capacity for this request's answer
    const Request plain{{method.data(), method.size()},
                        {target.data(), target.size()},
                        {contentType.data(), contentType.size()},
                        request.body(),
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
        !request.keep_alive() || m_context.state.draining.load(std::memory_order_relaxed);
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
    const bool http10 = m_parser && m_parser->is_header_done() && m_parser->get().version() < 11;
    appendHead(m_head, response.status, response, m_body.size(), close, http10 && !close);
    if (auto *metrics = m_context.deps.metrics) {
        const auto method =
            m_parser && m_parser->is_header_done()
                ? metrics::methodFromString({m_parser->get().method_string().data(),
                                             m_parser->get().method_string().size()})
                : metrics::Method::Other;
        metrics->observeRequest(m_handler, method, m_status,
                                std::chrono::duration<double>(Clock::now() - m_handled).count());
    }
    if (!m_requestStarted) {
        markRequestStarted(); // a response always belongs to an in-flight request
    }
    m_stream.expires_after(m_context.options.requestTimeout);
    const std::array<net::const_buffer, 2> buffers{net::buffer(m_head), net::buffer(m_body)};
    net::async_write(m_stream, buffers,
                     beast::bind_front_handler(&Session::onWrite, shared_from_this()));
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
    m_stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    m_stream.expires_after(kLingerTime);
    discardInput();
}

void Session::discardInput() {
    m_stream.async_read_some(m_buffer.prepare(4096),
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                 if (ec) {
                                     self->m_stream.close(); // client closed, or linger expired
                                     return;
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
    m_stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    m_stream.close();
}

} // namespace forecast::http
