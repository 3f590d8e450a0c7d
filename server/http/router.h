#pragma once
// Routing as a pure function: Response route(Request, Deps). No sockets here; sessions
// (session.cpp) translate Beast messages to and from these plain values, and tests call
// route() directly.

#include "http/api_error.h"
#include "metrics/service_metrics.h"

#include <string>
#include <string_view>

namespace forecast::http {

class ModelHolder;
struct ServiceState;

inline constexpr std::string_view kJsonContentType = "application/json";

struct RouteConfig {
    std::string healthPath = "/health";
    std::string readyPath = "/ready";
    std::string appVersion;
};

struct RouteDeps {
    const RouteConfig &config;
    const ModelHolder &models;
    const ServiceState &state;
    metrics::ServiceMetrics *metrics = nullptr; // optional: tests may route without metrics
};

// Views into the transport's request; valid for the duration of route().
struct Request {
    std::string_view method;      // "GET"
    std::string_view target;      // "/predict?x=1"
    std::string_view contentType; // the Content-Type header, "" when absent
    std::string_view body;
    // Optional spare buffer (the transport's previous answer) whose capacity an answer may
    // reuse, so a keep-alive connection does not allocate a fresh body per request.
    std::string *spare = nullptr;
};

// An empty string for building an answer: the request's spare buffer when it has one.
std::string takeBuffer(const Request &request);

struct Response {
    int status = 200;
    std::string body;
    std::string_view contentType = kJsonContentType; // static strings only
    std::string_view allow;                          // Allow header for 405
    metrics::Handler handler = metrics::Handler::Other;
};

Response route(const Request &request, const RouteDeps &deps);

// The JSON error answer for `error`, for errors found before routing (413, 408, 400...).
Response errorResponse(const ApiError &error, metrics::Handler handler = metrics::Handler::Other);

// True for "application/json" with optional parameters ("; charset=utf-8"), any case.
bool isJsonContentType(std::string_view contentType);

} // namespace forecast::http
