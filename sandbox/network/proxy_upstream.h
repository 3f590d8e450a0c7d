#pragma once
// The API server's proxy subresource (api/handlers_proxy.cpp): where
// services/{name}[:port]/proxy and pods/{name}[:port]/proxy lead, decided as the API server's
// ResourceLocation functions decide it (pkg/registry/core/{service,pod}), without sockets.

#include "api/api_error.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sandbox::proxy {

// "name", "name:port" or "scheme:name:port" with scheme "", "http" or "https"
// (utilnet.SplitSchemeNamePort); nullopt when invalid.
struct ProxyTarget {
    std::string scheme; // "" means http
    std::string name;
    std::string port; // number or port name, may be empty
};
std::optional<ProxyTarget> splitSchemeNamePort(const std::string &id);

struct Upstream {
    std::string scheme = "http";
    // Candidates in the order to try: ready endpoints starting at a random one.
    std::vector<std::pair<std::string, std::uint16_t>> addresses;
};

// A Service's upstream from the Service and its Endpoints (null when there is no Endpoints
// object). Errors: 503 "no service port N found for service", 503 "no endpoints available".
ApiResult<Upstream> serviceUpstream(const ProxyTarget &target, const boost::json::object &service,
                                    const boost::json::object *endpoints, const std::string &id);
// A pod's upstream: podIP and the given port, or the first declared container port.
ApiResult<Upstream> podUpstream(const ProxyTarget &target, const boost::json::object &pod);

// The raw (still percent-encoded) path after ".../{resource}/{name}/proxy" in a request
// target, without the query; empty when the target ends at "proxy".
std::string proxyTail(const std::string &target);

ApiError serviceUnavailable(std::string message);

} // namespace sandbox::proxy
