#pragma once
// The API server's request routing, without sockets: authentication, URL parsing
// (/api/v1/..., /apis/<group>/<version>/..., namespaced and cluster paths, subresources),
// verb selection, and dispatch to the handlers. Every answer is an HttpResponse; errors
// are Status objects with the real server's codes and messages.

#include "api/http_types.h"

#include <chrono>
#include <memory>
#include <string>

namespace sandbox {

class Clock;
class PodLogs;
class PodMetricsStore;
class ResourceRegistry;
class ResourceService;

struct ApiRouterConfig {
    ResourceService *service = nullptr;
    const ResourceRegistry *registry = nullptr;
    const Clock *clock = nullptr;
    PodLogs *podLogs = nullptr; // pods/log answers 503 without it
    PodMetricsStore *podMetrics = nullptr; // metrics.k8s.io answers 503 without it
    std::string token;          // bearer token every request but health checks needs
    // Simulated period between BOOKMARK events of watches that asked for them
    // (divided by the clock's time scale).
    std::chrono::milliseconds bookmarkPeriod{60000};
};

// Where a path points, once parsed.
struct ResourcePath {
    std::string group;
    std::string version;
    std::string resource;
    std::string ns;           // namespace from /namespaces/<ns>/..., empty otherwise
    std::string name;         // empty for collections
    std::string subresource;  // "status", "scale", "log", ...
    bool watchPrefix = false; // legacy /watch/ path
};

// Splits a resource path ("/apis/apps/v1/namespaces/demo/deployments/web/scale") into
// its parts. False when it is not a resource path of the shape the API server serves.
bool parseResourcePath(const std::string &path, ResourcePath &out);

class ApiRouter final {
public:
    explicit ApiRouter(ApiRouterConfig config);
    ~ApiRouter();
    ApiRouter(const ApiRouter &) = delete;
    ApiRouter &operator=(const ApiRouter &) = delete;

    HttpResponse handle(HttpRequest &request);

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace sandbox
