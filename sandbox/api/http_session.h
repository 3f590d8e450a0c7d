#pragma once
// Internal to the HTTP server (included by http_server.cpp and http_session.cpp only):
// one TLS connection. Each async step is a doX/onX pair running on the connection's
// strand; a request is answered by the injected handler, and a streamed response pumps a
// StreamSource through a bounded, thread-safe queue (StreamChannel).

#include "api/http_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sandbox {

class HttpSession;

// The session's side of a stream: producers push from any thread; the strand drains.
class StreamChannel final : public StreamSink, public std::enable_shared_from_this<StreamChannel> {
public:
    StreamChannel(std::weak_ptr<HttpSession> session, std::size_t limit);

    bool push(std::string data) override;
    void abort(std::string last) override;
    void finish() override;
    bool closed() const override;

    // Strand side.
    struct Drained {
        std::string data;
        bool finished = false; // nothing more will come after data
    };
    Drained drain();
    void close(); // no more pushes accepted
    void enforceLimit() { m_enforceLimit = true; }

private:
    void schedule(std::unique_lock<std::mutex> &lock);

    std::weak_ptr<HttpSession> m_session;
    const std::size_t m_limit;
    mutable std::mutex m_mutex;
    std::string m_pending;
    bool m_finishing = false;
    bool m_closed = false;
    bool m_scheduled = false;
    bool m_enforceLimit = false;
};

class HttpSession final : public std::enable_shared_from_this<HttpSession> {
public:
    using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

    HttpSession(boost::asio::ip::tcp::socket socket, Strand strand, boost::asio::ssl::context &tls,
                HttpServer::Impl *server);
    ~HttpSession();

    void run();
    // Posted by the server on shutdown: end any stream cleanly and close.
    void shutdown();
    // Posted by StreamChannel when data is queued.
    void flushStream();

private:
    void onHandshake(boost::beast::error_code ec);
    void doRead();
    void onRead(boost::beast::error_code ec, std::size_t bytes);
    void handle();
    void writeResponse(HttpResponse response, bool keepAlive);
    void onWrite(bool keepAlive, boost::beast::error_code ec, std::size_t bytes);
    void writeError(int code, const std::string &reason, const std::string &message,
                    bool keepAlive);

    void startStream(HttpResponse response);
    void onStreamHeader(boost::beast::error_code ec, std::size_t bytes);
    void watchClient();
    void armTick();
    void onChunkWritten(boost::beast::error_code ec, std::size_t bytes);
    void endStream();
    void doClose();
    void fail(boost::beast::error_code ec, const char *what);

    Strand m_strand;
    TlsStream m_stream;
    HttpServer::Impl *m_server; // outlives every session (see Impl)
    boost::beast::flat_buffer m_buffer;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> m_parser;
    std::string m_remote;
    bool m_closing = false;
    bool m_handshaken = false;

    // Streaming state (strand only).
    std::shared_ptr<StreamSource> m_source;
    std::shared_ptr<StreamChannel> m_channel;
    std::shared_ptr<boost::beast::http::response<boost::beast::http::empty_body>> m_streamHeader;
    std::shared_ptr<boost::beast::http::response_serializer<boost::beast::http::empty_body>>
        m_streamSerializer;
    std::string m_chunk;
    char m_probe[64];
    bool m_streaming = false;
    bool m_writing = false;
    bool m_streamStopped = false;
    boost::asio::steady_timer m_tickTimer;
    boost::asio::steady_timer m_deadlineTimer;
};

// Shared between the server object, its listener and its sessions.
// Member order matters: sessions still queued in the io_context are destroyed with it and
// unregister themselves, so everything they touch is declared (and outlives) before ioc.
struct HttpServer::Impl {
    Impl(HttpServerConfig c, HttpHandler h);

    HttpServerConfig config;
    HttpHandler handler;
    boost::asio::ssl::context tls;
    mutable std::mutex sessionsMutex;
    std::vector<std::weak_ptr<HttpSession>> sessions;
    std::size_t sessionCount = 0;
    bool stopping = false;

    boost::asio::io_context ioc;
    std::optional<boost::asio::ip::tcp::acceptor> acceptor;
    std::vector<std::thread> threads;
    unsigned short boundPort = 0;
    bool started = false;

    void doAccept();
    void onAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);
    void registerSession(const std::shared_ptr<HttpSession> &session);
    void unregisterSession(const HttpSession *session);
};

} // namespace sandbox
