// The proxy subresource of Services and Pods (services/{name}[:port]/proxy/{path},
// pods/{name}[:port]/proxy/{path}, with "http:"/"https:" scheme prefixes): the request is
// sent on to a ready endpoint and its answer returned, as the API server's proxy does —
// the dashboard reaches Prometheus and forecast-api this way. The caller's bearer token is
// never passed on (the real server drops Authorization once it has authenticated), and
// hop-by-hop headers are not forwarded. Upgrades (websockets) are not supported.
//
// The exchange runs on a private io_context while the API thread waits (bounded by the
// timeouts below): proxied requests are occasional (dashboard queries), and this keeps
// the handler a plain function like every other one.
#include "api/handlers.h"
#include "network/proxy_upstream.h"
#include "util/json_util.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <array>

#include <fcntl.h>

namespace sandbox {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kConnectTimeout = std::chrono::seconds(5);
constexpr auto kExchangeTimeout = std::chrono::seconds(60);
constexpr std::size_t kResponseBodyLimit = 64u * 1024 * 1024;

bool hopByHop(std::string_view lowerName) {
    static constexpr std::array<std::string_view, 10> kNames = {"connection",
                                                                "keep-alive",
                                                                "proxy-connection",
                                                                "proxy-authenticate",
                                                                "proxy-authorization",
                                                                "te",
                                                                "trailer",
                                                                "transfer-encoding",
                                                                "upgrade",
                                                                "content-length"};
    return std::find(kNames.begin(), kNames.end(), lowerName) != kNames.end();
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string rawQuery(const std::string &target) {
    const auto question = target.find('?');
    return question == std::string::npos ? std::string() : target.substr(question + 1);
}

std::string hostOf(const std::string &remote) {
    const auto colon = remote.rfind(':');
    return colon == std::string::npos ? remote : remote.substr(0, colon);
}

struct Outcome {
    bool connected = false;
    beast::error_code error;
    HttpResponse response;
};

http::request<http::string_body> buildRequest(const HttpRequest &request, const std::string &target,
                                              const std::string &host) {
    http::request<http::string_body> out;
    out.version(11);
    out.method_string(request.method);
    out.target(target);
    std::string forwardedFor;
    for (const auto &[name, value] : request.headers) {
        if (hopByHop(name) || name == "authorization" || name == "host") {
            continue;
        }
        if (name == "x-forwarded-for") {
            forwardedFor = value + ", ";
            continue;
        }
        out.insert(name, value);
    }
    out.set(http::field::host, host);
    out.set("X-Forwarded-For", forwardedFor + hostOf(request.remoteAddress));
    out.set("X-Forwarded-Proto", "https");
    out.body() = request.body;
    out.keep_alive(false);
    out.prepare_payload();
    return out;
}

HttpResponse convertResponse(http::response_parser<http::string_body> &parser) {
    auto &message = parser.get();
    HttpResponse out;
    out.status = static_cast<int>(message.result_int());
    out.contentType.clear();
    for (const auto &field : message) {
        const std::string name = lower(field.name_string());
        if (name == "content-type") {
            out.contentType = std::string(field.value());
        } else if (!hopByHop(name) && name != "server" && name != "x-content-type-options") {
            out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        }
    }
    out.body = std::move(message.body());
    return out;
}

// One HTTP exchange over `stream` (a beast::tcp_stream, or an ssl_stream over one) already
// connected; runs `context` until it completes or times out.
template <class Stream>
void exchange(asio::io_context &context, Stream &stream, beast::tcp_stream &socket,
              http::request<http::string_body> &request, bool head, Outcome &outcome) {
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kResponseBodyLimit);
    parser.skip(head);
    socket.expires_after(kExchangeTimeout);
    http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
        if (ec) {
            outcome.error = ec;
            return;
        }
        http::async_read(stream, buffer, parser,
                         [&](beast::error_code rec, std::size_t) { outcome.error = rec; });
    });
    context.run();
    context.restart();
    if (!outcome.error) {
        outcome.response = convertResponse(parser);
    }
}

Outcome forwardTo(const std::string &scheme, const std::string &ip, std::uint16_t port,
                  const HttpRequest &request, const std::string &target) {
    Outcome outcome;
    asio::io_context context(1);
    beast::tcp_stream socket(context);
    beast::error_code ec;
    const auto address = asio::ip::make_address(ip, ec);
    if (ec) {
        outcome.error = ec;
        return outcome;
    }
    const tcp::endpoint endpoint(address, port);
    socket.socket().open(endpoint.protocol(), ec);
    if (ec) {
        outcome.error = ec;
        return outcome;
    }
    // Not inherited by pod processes started meanwhile (Asio opens without SOCK_CLOEXEC).
    const int fd = socket.socket().native_handle();
    ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
    socket.expires_after(kConnectTimeout);
    socket.async_connect(endpoint, [&](beast::error_code cec) { outcome.error = cec; });
    context.run();
    context.restart();
    if (outcome.error) {
        return outcome;
    }
    outcome.connected = true;
    const std::string host = ip + ":" + std::to_string(port);
    auto outgoing = buildRequest(request, target, host);
    const bool head = request.method == "HEAD";
    if (scheme != "https") {
        exchange(context, socket, socket, outgoing, head, outcome);
        return outcome;
    }
    // As the API server does for https endpoints: encrypted, not verified (pods serve
    // self-signed certificates more often than not).
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_verify_mode(asio::ssl::verify_none);
    beast::ssl_stream<beast::tcp_stream &> stream(socket, tls);
    socket.expires_after(kConnectTimeout);
    stream.async_handshake(asio::ssl::stream_base::client,
                           [&](beast::error_code hec) { outcome.error = hec; });
    context.run();
    context.restart();
    if (outcome.error) {
        return outcome;
    }
    exchange(context, stream, socket, outgoing, head, outcome);
    return outcome;
}

std::string describe(const beast::error_code &ec) {
    if (ec == beast::error::timeout) {
        return "i/o timeout";
    }
    return lower(ec.message());
}

} // namespace

HttpResponse handleProxy(const Config &config, const HttpRequest &request, const ResourceType &type,
                         const ResourcePath &path) {
    const bool isService = type.resource == "services";
    const auto target = proxy::splitSchemeNamePort(path.name);
    if (!target) {
        return errorResponse(ApiError::badRequest(std::string("invalid ") +
                                                  (isService ? "service" : "pod") + " request \"" +
                                                  path.name + "\""));
    }
    const std::string tail = proxy::proxyTail(request.target);
    const std::string query = rawQuery(request.target);
    if (tail.empty() && request.method == "GET") {
        // As the API server: ".../proxy" redirects to ".../proxy/" so relative links work.
        HttpResponse redirect;
        redirect.status = 301;
        redirect.contentType = "text/html; charset=utf-8";
        const std::string location = request.target.substr(0, request.target.find('?')) + "/" +
                                     (query.empty() ? "" : "?" + query);
        redirect.headers.emplace_back("Location", location);
        redirect.body = "<a href=\"" + location + "\">Moved Permanently</a>.\n";
        return redirect;
    }
    auto object = config.service->get(type, path.ns, target->name);
    if (!object) {
        return errorResponse(object.error());
    }
    ApiResult<proxy::Upstream> upstream = proxy::serviceUnavailable("unreachable");
    if (isService) {
        const ResourceType *endpointsType = config.registry->byResource("", "v1", "endpoints");
        std::optional<boost::json::object> endpoints;
        if (endpointsType != nullptr) {
            auto found = config.service->get(*endpointsType, path.ns, target->name);
            if (found) {
                endpoints = std::move(*found);
            } else if (!(found.error().code == 404)) {
                return errorResponse(found.error());
            }
        }
        upstream =
            proxy::serviceUpstream(*target, *object, endpoints ? &*endpoints : nullptr, path.name);
    } else {
        upstream = proxy::podUpstream(*target, *object);
    }
    if (!upstream) {
        return errorResponse(upstream.error());
    }
    const std::string forwardTarget =
        (tail.empty() ? "/" : tail) + (query.empty() ? "" : "?" + query);
    std::string lastError;
    // A connect failure (the endpoint just went away) moves on to the next ready endpoint;
    // a failure after the request was sent does not, as the request may have had effects.
    for (const auto &[ip, port] : upstream->addresses) {
        Outcome outcome = forwardTo(upstream->scheme, ip, port, request, forwardTarget);
        if (!outcome.error) {
            return std::move(outcome.response);
        }
        lastError =
            "error trying to reach service: " + std::string(outcome.connected ? "" : "dial tcp ") +
            ip + ":" + std::to_string(port) + ": " + (outcome.connected ? "" : "connect: ") +
            describe(outcome.error);
        if (outcome.connected) {
            break;
        }
    }
    return errorResponse(proxy::serviceUnavailable(lastError));
}

} // namespace sandbox
