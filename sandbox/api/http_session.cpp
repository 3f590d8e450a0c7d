#include "api/http_session.h"

#include "api/api_error.h"
#include "api/http_log.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <exception>

namespace sandbox {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;

// ---------------------------------------------------------------------------------------
// StreamChannel

StreamChannel::StreamChannel(std::weak_ptr<HttpSession> session, std::size_t limit)
    : m_session(std::move(session))
    , m_limit(limit) {}

bool StreamChannel::push(std::string data) {
    std::unique_lock lock(m_mutex);
    if (m_closed || m_finishing) {
        return false;
    }
    if (m_enforceLimit && m_pending.size() + data.size() > m_limit) {
        return false;
    }
    m_pending += data;
    schedule(lock);
    return true;
}

void StreamChannel::abort(std::string last) {
    std::unique_lock lock(m_mutex);
    if (m_closed || m_finishing) {
        return;
    }
    m_pending = std::move(last);
    m_finishing = true;
    schedule(lock);
}

void StreamChannel::finish() {
    std::unique_lock lock(m_mutex);
    if (m_closed || m_finishing) {
        return;
    }
    m_finishing = true;
    schedule(lock);
}

bool StreamChannel::closed() const {
    std::lock_guard lock(m_mutex);
    return m_closed || m_finishing;
}

void StreamChannel::schedule(std::unique_lock<std::mutex> &lock) {
    if (m_scheduled) {
        return;
    }
    m_scheduled = true;
    lock.unlock();
    if (auto session = m_session.lock()) {
        // flushStream runs on the session's strand (the socket's executor).
        session->flushStream();
    }
}

StreamChannel::Drained StreamChannel::drain() {
    std::lock_guard lock(m_mutex);
    Drained out;
    out.data.swap(m_pending);
    out.finished = m_finishing;
    m_scheduled = false;
    return out;
}

void StreamChannel::close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_pending.clear();
}

// ---------------------------------------------------------------------------------------
// HttpSession

HttpSession::HttpSession(net::ip::tcp::socket socket, Strand strand, net::ssl::context &tls,
                         HttpServer::Impl *server)
    : m_strand(std::move(strand))
    , m_stream(std::move(socket), tls)
    , m_server(server)
    , m_tickTimer(m_stream.get_executor())
    , m_deadlineTimer(m_stream.get_executor()) {
    beast::error_code ec;
    auto endpoint = beast::get_lowest_layer(m_stream).socket().remote_endpoint(ec);
    if (!ec) {
        m_remote = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    }
}

HttpSession::~HttpSession() {
    m_server->unregisterSession(this);
}

void HttpSession::run() {
    net::dispatch(m_stream.get_executor(), [self = shared_from_this()] {
        beast::get_lowest_layer(self->m_stream)
            .expires_after(self->m_server->config.handshakeTimeout);
        self->m_stream.async_handshake(net::ssl::stream_base::server,
                                       beast::bind_front_handler(&HttpSession::onHandshake, self));
    });
}

void HttpSession::fail(beast::error_code ec, const char *what) {
    // Clients that vanish are ordinary; log only what an operator could act on.
    if (ec == net::error::operation_aborted || ec == beast::error::timeout ||
        ec == net::ssl::error::stream_truncated || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == http::error::end_of_stream ||
        ec == net::error::broken_pipe) {
        return;
    }
    logLine(LogLevel::Debug, "connection error",
            {{"what", what}, {"error", ec.message()}, {"remote", m_remote}});
}

void HttpSession::onHandshake(beast::error_code ec) {
    if (ec) {
        fail(ec, "handshake");
        return;
    }
    m_handshaken = true;
    doRead();
}

void HttpSession::doRead() {
    if (m_closing) {
        doClose();
        return;
    }
    m_parser.emplace();
    m_parser->body_limit(m_server->config.bodyLimit);
    m_parser->header_limit(static_cast<std::uint32_t>(m_server->config.headerLimit));
    beast::get_lowest_layer(m_stream).expires_after(m_server->config.readTimeout);
    http::async_read(m_stream, m_buffer, *m_parser,
                     beast::bind_front_handler(&HttpSession::onRead, shared_from_this()));
}

void HttpSession::onRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) {
        doClose();
        return;
    }
    if (ec == http::error::body_limit) {
        writeError(413, "RequestEntityTooLarge",
                   "Request entity too large: limit is " +
                       std::to_string(m_server->config.bodyLimit),
                   false);
        return;
    }
    if (ec == http::error::header_limit) {
        writeError(431, "BadRequest", "request header fields too large", false);
        return;
    }
    if (ec) {
        fail(ec, "read");
        // A malformed request still deserves an answer when the connection is usable.
        if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
            writeError(400, "BadRequest", "malformed HTTP request: " + ec.message(), false);
            return;
        }
        doClose();
        return;
    }
    handle();
}

void HttpSession::handle() {
    auto &message = m_parser->get();
    const bool keepAlive = message.keep_alive() && !m_closing;
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.body = std::move(message.body());
    request.remoteAddress = m_remote;
    request.headers.reserve(16);
    for (const auto &field : message) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    if (!request.parseTarget()) {
        writeError(400, "BadRequest", "invalid URL escape in " + request.target, keepAlive);
        return;
    }
    HttpResponse response;
    try {
        response = m_server->handler(request);
    } catch (const std::exception &e) {
        logLine(LogLevel::Error, "request handler failed",
                {{"method", request.method}, {"path", request.path}, {"error", e.what()}});
        writeError(500, "InternalError", std::string("Internal error occurred: ") + e.what(),
                   keepAlive);
        return;
    } catch (...) {
        logLine(LogLevel::Error, "request handler failed",
                {{"method", request.method}, {"path", request.path}});
        writeError(500, "InternalError", "Internal error occurred: unknown exception", keepAlive);
        return;
    }
    if (response.stream) {
        startStream(std::move(response));
        return;
    }
    writeResponse(std::move(response), keepAlive);
}

void HttpSession::writeError(int code, const std::string &reason, const std::string &message,
                             bool keepAlive) {
    ApiError error;
    error.code = code;
    error.reason = reason;
    error.message = message;
    HttpResponse response;
    response.status = code;
    response.body = boost::json::serialize(error.toStatus());
    writeResponse(std::move(response), keepAlive);
}

void HttpSession::writeResponse(HttpResponse response, bool keepAlive) {
    auto message = std::make_shared<http::response<http::string_body>>();
    message->version(11);
    message->result(static_cast<unsigned>(response.status));
    message->set(http::field::server, "forecast-sandbox");
    if (!response.contentType.empty()) {
        message->set(http::field::content_type, response.contentType);
    }
    message->set("X-Content-Type-Options", "nosniff");
    for (auto &[name, value] : response.headers) {
        message->insert(name, value); // several Warning headers may be sent
    }
    message->body() = std::move(response.body);
    message->keep_alive(keepAlive);
    message->prepare_payload();
    beast::get_lowest_layer(m_stream).expires_after(m_server->config.writeTimeout);
    http::async_write(
        m_stream, *message,
        [self = shared_from_this(), message, keepAlive](beast::error_code ec, std::size_t bytes) {
            self->onWrite(keepAlive, ec, bytes);
        });
}

void HttpSession::onWrite(bool keepAlive, beast::error_code ec, std::size_t) {
    if (ec) {
        fail(ec, "write");
        return;
    }
    if (!keepAlive) {
        doClose();
        return;
    }
    doRead();
}

// ---------------------------------------------------------------------------------------
// Streaming

void HttpSession::startStream(HttpResponse response) {
    m_streaming = true;
    m_source = std::move(response.stream);
    m_channel =
        std::make_shared<StreamChannel>(weak_from_this(), m_server->config.streamQueueLimit);
    m_streamHeader = std::make_shared<http::response<http::empty_body>>();
    auto &header = *m_streamHeader;
    header.version(11);
    header.result(static_cast<unsigned>(response.status));
    header.set(http::field::server, "forecast-sandbox");
    header.set(http::field::content_type, response.contentType);
    header.set("X-Content-Type-Options", "nosniff");
    header.set(http::field::cache_control, "no-cache, private");
    for (auto &[name, value] : response.headers) {
        header.insert(name, value);
    }
    // A stream ends the connection: a client cannot pipeline behind an open stream, and
    // a closed connection is the clearest end-of-stream signal for every client.
    header.keep_alive(false);
    header.chunked(true);
    if (response.maxDuration.count() > 0) {
        m_deadlineTimer.expires_after(response.maxDuration);
        m_deadlineTimer.async_wait([weak = weak_from_this()](beast::error_code ec) {
            auto self = weak.lock();
            if (!ec && self && self->m_channel) {
                self->m_channel->finish();
            }
        });
    }
    m_streamSerializer =
        std::make_shared<http::response_serializer<http::empty_body>>(*m_streamHeader);
    m_writing = true;
    beast::get_lowest_layer(m_stream).expires_after(m_server->config.writeTimeout);
    http::async_write_header(
        m_stream, *m_streamSerializer,
        beast::bind_front_handler(&HttpSession::onStreamHeader, shared_from_this()));
}

void HttpSession::onStreamHeader(beast::error_code ec, std::size_t) {
    m_writing = false;
    beast::get_lowest_layer(m_stream).expires_never();
    if (ec) {
        fail(ec, "stream header");
        endStream();
        return;
    }
    watchClient();
    try {
        m_source->start(m_channel);
    } catch (const std::exception &e) {
        logLine(LogLevel::Error, "stream start failed", {{"error", e.what()}});
        m_channel->finish();
    }
    m_channel->enforceLimit();
    armTick();
    flushStream();
}

void HttpSession::watchClient() {
    // A read pending beside the writes notices a client that leaves while the stream is
    // idle (no bookmark or event to write), so its watch is released promptly.
    m_stream.async_read_some(net::buffer(m_probe),
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                 if (self->m_streamStopped) {
                                     return;
                                 }
                                 if (ec) {
                                     self->endStream();
                                     return;
                                 }
                                 // Bytes from the client during a stream are not a request we can
                                 // answer.
                                 self->watchClient();
                             });
}

void HttpSession::armTick() {
    if (!m_source || m_streamStopped) {
        return;
    }
    auto interval = m_source->tickInterval();
    if (interval.count() <= 0) {
        return;
    }
    m_tickTimer.expires_after(interval);
    m_tickTimer.async_wait([weak = weak_from_this()](beast::error_code ec) {
        auto self = weak.lock();
        if (ec || !self || self->m_streamStopped) {
            return;
        }
        try {
            self->m_source->onTick();
        } catch (const std::exception &e) {
            logLine(LogLevel::Error, "stream tick failed", {{"error", e.what()}});
            self->m_channel->finish();
        }
        self->armTick();
    });
}

void HttpSession::flushStream() {
    // Called from producer threads too: hop onto the strand first.
    if (!m_strand.running_in_this_thread()) {
        net::post(m_strand, [self = shared_from_this()] { self->flushStream(); });
        return;
    }
    if (!m_streaming || m_writing || m_streamStopped) {
        return;
    }
    auto drained = m_channel->drain();
    if (!drained.data.empty()) {
        m_chunk = std::move(drained.data);
        m_writing = true;
        beast::get_lowest_layer(m_stream).expires_after(m_server->config.writeTimeout);
        net::async_write(
            m_stream, http::make_chunk(net::buffer(m_chunk)),
            beast::bind_front_handler(&HttpSession::onChunkWritten, shared_from_this()));
        if (drained.finished) {
            // Put the finish mark back so the next drain closes the stream.
            m_channel->finish();
        }
        return;
    }
    if (drained.finished) {
        m_writing = true;
        beast::get_lowest_layer(m_stream).expires_after(m_server->config.writeTimeout);
        net::async_write(m_stream, http::make_chunk_last(),
                         [self = shared_from_this()](beast::error_code, std::size_t) {
                             self->m_writing = false;
                             self->endStream();
                         });
    }
}

void HttpSession::onChunkWritten(beast::error_code ec, std::size_t) {
    m_writing = false;
    beast::get_lowest_layer(m_stream).expires_never();
    m_chunk.clear();
    if (ec) {
        fail(ec, "stream write");
        endStream();
        return;
    }
    flushStream();
}

void HttpSession::endStream() {
    if (m_streamStopped) {
        return;
    }
    m_streamStopped = true;
    // Abort the client probe read before the TLS shutdown, which reads too.
    beast::error_code ignored;
    beast::get_lowest_layer(m_stream).socket().cancel(ignored);
    m_tickTimer.cancel();
    m_deadlineTimer.cancel();
    if (m_channel) {
        m_channel->close();
    }
    if (m_source) {
        try {
            m_source->stop();
        } catch (const std::exception &e) {
            logLine(LogLevel::Error, "stream stop failed", {{"error", e.what()}});
        }
    }
    net::post(m_strand, [self = shared_from_this()] { self->doClose(); });
}

void HttpSession::shutdown() {
    net::dispatch(m_stream.get_executor(), [self = shared_from_this()] {
        self->m_closing = true;
        if (self->m_streaming && !self->m_streamStopped) {
            self->m_channel->finish();
            return;
        }
        if (!self->m_streaming) {
            // Idle keep-alive connection or handshake in progress: cut the read short.
            beast::error_code ignored;
            beast::get_lowest_layer(self->m_stream).socket().cancel(ignored);
        }
    });
}

void HttpSession::doClose() {
    if (!m_handshaken) {
        beast::error_code ignored;
        beast::get_lowest_layer(m_stream).socket().close(ignored);
        return;
    }
    m_handshaken = false; // close only once
    beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(2));
    m_stream.async_shutdown([self = shared_from_this()](beast::error_code) {
        beast::error_code ignored;
        beast::get_lowest_layer(self->m_stream).socket().close(ignored);
    });
}

} // namespace sandbox
