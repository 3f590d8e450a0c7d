#pragma once
// Transport-neutral HTTP request and response values. The Beast session (http_session.cpp)
// fills an HttpRequest and writes an HttpResponse; the router and handlers only see these
// types, so they are tested without sockets and without compiling Beast.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sandbox {

struct HttpRequest {
    std::string method; // "GET", "POST", ...
    std::string target; // raw request target, "/api/v1/pods?limit=500"
    std::string path;   // percent-decoded path without the query
    std::vector<std::pair<std::string, std::string>> query;   // decoded, in order
    std::vector<std::pair<std::string, std::string>> headers; // names lower-cased
    std::string body;
    std::string remoteAddress;

    // First header with this (lower-case) name, or empty.
    std::string header(std::string_view lowerName) const;
    // First value of a query parameter (as Go's url.Values.Get), or nullopt when absent.
    std::optional<std::string> param(std::string_view name) const;
    bool hasParam(std::string_view name) const { return param(name).has_value(); }

    // Splits target into path and query (percent-decoding both). False on a malformed target.
    bool parseTarget();
};

// Thread-safe outlet of a long-lived response body (watch events, followed logs),
// implemented by the HTTP session. Producers may call it from any thread.
class StreamSink {
public:
    virtual ~StreamSink() = default;
    // Queues bytes for the client. False when the stream is closed, or when the bounded
    // queue is full (a slow client): the producer should then call abort().
    virtual bool push(std::string data) = 0;
    // Drops whatever is queued, sends `last` (e.g. an ERROR watch event) and ends the stream.
    virtual void abort(std::string last) = 0;
    // Ends the stream once the queued data is written.
    virtual void finish() = 0;
    virtual bool closed() const = 0;
};

// Producer of a streamed body. The session calls start() once the response header is
// written, onTick() every tickInterval() on the connection's strand (bookmarks, log
// polling), and stop() exactly once when the stream ends for any reason (client gone,
// finish/abort, timeout, server shutdown). stop() must release every registration.
class StreamSource {
public:
    virtual ~StreamSource() = default;
    virtual void start(std::shared_ptr<StreamSink> sink) = 0;
    virtual void onTick() {}
    virtual std::chrono::milliseconds tickInterval() const { return std::chrono::milliseconds(0); }
    virtual void stop() = 0;
};

struct HttpResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // When set, the body is streamed with chunked encoding from this source; `body` is
    // ignored. maxDuration (0 = unlimited) closes the stream cleanly when it elapses.
    std::shared_ptr<StreamSource> stream;
    std::chrono::milliseconds maxDuration{0};
};

// Percent-decoding as Go's url.PathUnescape / QueryUnescape ('+' is a space only in queries).
bool percentDecode(std::string_view in, std::string &out, bool plusIsSpace);

} // namespace sandbox
