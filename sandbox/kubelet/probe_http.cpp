// httpGet probes as pkg/probe/http does them with Go's http.Client: one GET per attempt
// (no keep-alive), User-Agent kube-probe/<minor>, Accept */*, the probe's httpHeaders, the
// whole exchange (redirects included) bounded by the timeout. 200-399 succeeds; a redirect
// to the same hostname is followed (at most 10), one elsewhere ends the probe as a warning
// (a success); anything else fails with "HTTP probe failed with statuscode: N". HTTPS is
// spoken without certificate verification, as the kubelet does.

#include "kubelet/probe_check.h"
#include "kubelet/probe_dial.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

namespace sandbox {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::string_view kUserAgent = "kube-probe/1.32";
constexpr std::size_t kMaxBody = 10 * 1024; // the kubelet reads at most 10 KiB of body
constexpr int kMaxRedirects = 10;

struct Url {
    std::string scheme; // "http" or "https"
    std::string host;
    int port = 0;
    std::string target; // path and query, "/" at least

    // The kubelet always writes the port into the probe URL.
    std::string text() const { return scheme + "://" + probeJoinHostPort(host, port) + target; }
};

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// Go's textproto.CanonicalMIMEHeaderKey: "x-probe-token" -> "X-Probe-Token".
std::string canonicalHeader(std::string name) {
    bool upper = true;
    for (char &c : name) {
        if (c == ' ' || static_cast<unsigned char>(c) >= 0x80) {
            return name; // Go leaves keys with spaces or non-ASCII alone
        }
        c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c))
                                    : std::tolower(static_cast<unsigned char>(c)));
        upper = c == '-';
    }
    return name;
}

// A Location header resolved against the URL it came from (absolute, scheme-relative,
// absolute-path or relative-path references).
std::optional<Url> resolveLocation(const Url &base, std::string_view location) {
    Url next = base;
    auto parseAuthority = [&next](std::string_view authority, int defaultPort) {
        next.port = defaultPort;
        std::string_view host = authority;
        if (!authority.empty() && authority.front() == '[') {
            const auto close = authority.find(']');
            if (close == std::string_view::npos) {
                return false;
            }
            host = authority.substr(1, close - 1);
            authority.remove_prefix(close + 1);
            if (!authority.empty() && authority.front() == ':') {
                next.port = std::atoi(std::string(authority.substr(1)).c_str());
            }
        } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
            host = authority.substr(0, colon);
            next.port = std::atoi(std::string(authority.substr(colon + 1)).c_str());
        }
        next.host = std::string(host);
        return next.port > 0 && next.port <= 65535 && !next.host.empty();
    };
    const auto schemeEnd = location.find("://");
    if (schemeEnd != std::string_view::npos &&
        location.find('/') > schemeEnd) { // "http://h/p", not "/a://b"
        next.scheme = lower(std::string(location.substr(0, schemeEnd)));
        if (next.scheme != "http" && next.scheme != "https") {
            return std::nullopt;
        }
        location.remove_prefix(schemeEnd + 3);
        const auto pathStart = location.find_first_of("/?");
        if (!parseAuthority(location.substr(0, pathStart), next.scheme == "https" ? 443 : 80)) {
            return std::nullopt;
        }
        next.target =
            pathStart == std::string_view::npos ? "/" : std::string(location.substr(pathStart));
    } else if (location.substr(0, 2) == "//") {
        location.remove_prefix(2);
        const auto pathStart = location.find_first_of("/?");
        if (!parseAuthority(location.substr(0, pathStart), next.scheme == "https" ? 443 : 80)) {
            return std::nullopt;
        }
        next.target =
            pathStart == std::string_view::npos ? "/" : std::string(location.substr(pathStart));
    } else if (!location.empty() && location.front() == '/') {
        next.target = std::string(location);
    } else {
        std::string dir = base.target.substr(0, base.target.find('?'));
        dir = dir.substr(0, dir.rfind('/') + 1);
        next.target = (dir.empty() ? "/" : dir) + std::string(location);
    }
    if (const auto hash = next.target.find('#'); hash != std::string::npos) {
        next.target.resize(hash);
    }
    if (next.target.empty()) {
        next.target = "/";
    }
    return next;
}

class HttpCheck final : public ProbeCheck, public std::enable_shared_from_this<HttpCheck> {
public:
    HttpCheck(asio::io_context &io, const ProbeSpec &spec, ProbeDone done)
        : m_io(io)
        , m_timer(io)
        , m_dialer(io.get_executor())
        , m_spec(spec)
        , m_done(std::move(done)) {}

    void start(Duration timeout) {
        if (!m_spec.portError.empty()) {
            asio::post(m_io, [self = shared_from_this()] {
                self->finish({ProbeResult::Unknown, self->m_spec.portError});
            });
            return;
        }
        m_url.scheme = lower(m_spec.scheme);
        if (m_url.scheme != "http" && m_url.scheme != "https") {
            asio::post(m_io, [self = shared_from_this()] {
                self->finish({ProbeResult::Unknown,
                              "unsupported scheme " + probeGoQuote(self->m_spec.scheme)});
            });
            return;
        }
        m_url.host = m_spec.host;
        m_url.port = m_spec.port;
        m_url.target = m_spec.path;
        if (m_url.target.empty() || m_url.target.front() != '/') {
            m_url.target.insert(0, "/");
        }
        m_timer.expires_after(timeout);
        m_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec) {
                self->onTimeout();
            }
        });
        request();
    }

    void cancel() override { finish({ProbeResult::Unknown, "probe cancelled"}); }

private:
    void onTimeout() {
        if (m_readingBody) {
            // The status is known; Go's body read fails, which the kubelet reports as an
            // error (the result is not counted).
            finish({ProbeResult::Unknown,
                    "context deadline exceeded (Client.Timeout or context cancellation while "
                    "reading body)"});
        } else {
            fail("context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
    }

    void fail(const std::string &error) {
        finish({ProbeResult::Failure, "Get " + probeGoQuote(m_url.text()) + ": " + error});
    }

    void request() {
        closeStreams();
        m_buffer.clear();
        m_readingBody = false;
        m_socket.emplace(m_io);
        m_dialer.dial(
            *m_socket, m_url.host, m_url.port,
            [self = shared_from_this()](std::string error) { self->onConnect(std::move(error)); });
    }

    void onConnect(std::string error) {
        if (m_finished) {
            return;
        }
        if (!error.empty()) {
            fail(error);
            return;
        }
        buildRequest();
        if (m_url.scheme == "http") {
            write(*m_socket);
            return;
        }
        if (!m_tlsContext) {
            m_tlsContext.emplace(asio::ssl::context::tls_client);
            m_tlsContext->set_verify_mode(asio::ssl::verify_none);
        }
        m_tls.emplace(std::move(*m_socket), *m_tlsContext);
        m_socket.reset();
        boost::system::error_code notIp;
        asio::ip::make_address(m_url.host, notIp);
        if (notIp) {
            // SNI for names only, as Go's TLS client.
            SSL_set_tlsext_host_name(m_tls->native_handle(), m_url.host.c_str());
        }
        m_tls->async_handshake(asio::ssl::stream_base::client,
                               [self = shared_from_this()](boost::system::error_code ec) {
                                   if (self->m_finished) {
                                       return;
                                   }
                                   if (ec) {
                                       self->fail(self->streamError(ec));
                                       return;
                                   }
                                   self->write(*self->m_tls);
                               });
    }

    void buildRequest() {
        m_request = {};
        m_request.method(http::verb::get);
        m_request.target(m_url.target);
        m_request.version(11);
        std::string hostHeader = probeJoinHostPort(m_url.host, m_url.port);
        bool userAgent = false;
        bool accept = false;
        for (const auto &[rawName, value] : m_spec.headers) {
            const std::string name = canonicalHeader(rawName);
            if (name == "Host") {
                hostHeader = value;
                continue;
            }
            userAgent = userAgent || name == "User-Agent";
            accept = accept || name == "Accept";
            if (name == "Accept" && value.empty()) {
                continue; // an empty Accept removes the header
            }
            m_request.insert(name, value);
        }
        m_request.set(http::field::host, hostHeader);
        if (!userAgent) {
            m_request.set(http::field::user_agent, kUserAgent);
        }
        if (!accept) {
            m_request.set(http::field::accept, "*/*");
        }
        m_request.set(http::field::connection, "close");
    }

    template <class Stream> void write(Stream &stream) {
        http::async_write(
            stream, m_request,
            [self = shared_from_this(), &stream](boost::system::error_code ec, std::size_t) {
                if (self->m_finished) {
                    return;
                }
                if (ec) {
                    self->fail(self->streamError(ec));
                    return;
                }
                self->readHeader(stream);
            });
    }

    template <class Stream> void readHeader(Stream &stream) {
        m_parser.emplace();
        m_parser->body_limit(kMaxBody);
        http::async_read_header(
            stream, m_buffer, *m_parser,
            [self = shared_from_this(), &stream](boost::system::error_code ec, std::size_t) {
                if (self->m_finished) {
                    return;
                }
                if (ec) {
                    self->fail(self->streamError(ec));
                    return;
                }
                self->m_readingBody = true;
                self->readBody(stream);
            });
    }

    template <class Stream> void readBody(Stream &stream) {
        http::async_read(stream, m_buffer, *m_parser,
                         [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                             if (self->m_finished) {
                                 return;
                             }
                             // A body over the limit is truncated, not an error; a connection
                             // that ends the body early still leaves the status to judge.
                             (void)ec;
                             self->onResponse();
                         });
    }

    void onResponse() {
        const auto &response = m_parser->get();
        const unsigned status = response.result_int();
        const std::string body = response.body().substr(0, kMaxBody);
        if (status >= 300 && status < 400) {
            const auto location = response.find(http::field::location);
            const bool redirect =
                status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            if (redirect && location != response.end()) {
                const auto next = resolveLocation(m_url, location->value());
                if (next && next->host == m_url.host) {
                    if (++m_redirects >= kMaxRedirects) {
                        m_url = *next;
                        fail("stopped after 10 redirects");
                        return;
                    }
                    m_url = *next;
                    request();
                    return;
                }
            }
            finish({ProbeResult::Warning, "Probe terminated redirects, Response body: " + body});
            return;
        }
        if (status >= 200 && status < 400) {
            finish({ProbeResult::Success, body});
            return;
        }
        finish(
            {ProbeResult::Failure, "HTTP probe failed with statuscode: " + std::to_string(status)});
    }

    // Go's texts for what can go wrong after the connection opened.
    std::string streamError(const boost::system::error_code &ec) const {
        if (ec == http::error::end_of_stream || ec == asio::error::eof ||
            ec == asio::ssl::error::stream_truncated) {
            return "EOF";
        }
        if (ec.category() == asio::error::get_ssl_category()) {
            return "tls: " + probeErrnoText(ec);
        }
        if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
            return "net/http: HTTP/1.x transport connection broken: malformed HTTP response";
        }
        const std::string local = localEndpoint();
        return "read tcp " + local + "->" + probeJoinHostPort(m_url.host, m_url.port) +
               ": read: " + probeErrnoText(ec);
    }

    std::string localEndpoint() const {
        boost::system::error_code ec;
        tcp::endpoint endpoint;
        if (m_socket) {
            endpoint = m_socket->local_endpoint(ec);
        } else if (m_tls) {
            endpoint = m_tls->next_layer().local_endpoint(ec);
        }
        return ec ? std::string("?")
                  : probeJoinHostPort(endpoint.address().to_string(), endpoint.port());
    }

    void closeStreams() {
        boost::system::error_code ignored;
        if (m_socket) {
            m_socket->close(ignored);
        }
        if (m_tls) {
            m_tls->next_layer().close(ignored);
        }
    }

    void finish(ProbeOutcome outcome) {
        if (m_finished) {
            return;
        }
        m_finished = true;
        m_timer.cancel();
        m_dialer.cancel();
        closeStreams();
        auto done = std::move(m_done);
        done(std::move(outcome));
    }

    asio::io_context &m_io;
    asio::steady_timer m_timer;
    ProbeDialer m_dialer;
    ProbeSpec m_spec;
    ProbeDone m_done;
    Url m_url;
    int m_redirects = 0;
    bool m_finished = false;
    bool m_readingBody = false;
    std::optional<tcp::socket> m_socket;
    std::optional<asio::ssl::context> m_tlsContext;
    std::optional<asio::ssl::stream<tcp::socket>> m_tls;
    boost::beast::flat_buffer m_buffer;
    http::request<http::empty_body> m_request;
    std::optional<http::response_parser<http::string_body>> m_parser;
};

} // namespace

std::shared_ptr<ProbeCheck> startHttpCheck(asio::io_context &io, const ProbeSpec &spec,
                                           Duration timeout, ProbeDone done) {
    auto check = std::make_shared<HttpCheck>(io, spec, std::move(done));
    check->start(timeout);
    return check;
}

} // namespace sandbox
