#pragma once
// Discovery documents built from the registry (k8s-api-notes §1): aggregated discovery
// (apidiscovery.k8s.io v2 and v2beta1 APIGroupDiscoveryList) for /api and /apis, and the
// legacy documents: APIVersions (/api), APIGroupList (/apis), APIGroup (/apis/<g>) and
// APIResourceList (/api/v1, /apis/<g>/<v>).
//
// kubectl decides the format only from the response Content-Type, and uses aggregated
// resources only when both /api and /apis answered aggregated. kubectl 1.30+ asks for v2
// first, 1.29 only knows v2beta1; a client that names neither gets the legacy documents.

#include "api/resource_registry.h"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace sandbox {

enum class DiscoveryFormat { Legacy, AggregatedV2, AggregatedV2Beta1 };

struct DiscoveryNegotiation {
    DiscoveryFormat format = DiscoveryFormat::Legacy;
    std::string contentType; // exactly what to send as Content-Type
};

// Picks the representation for GET /api and GET /apis from the Accept header: the first
// entry (in the header's order, skipping q=0 and media types we do not serve, such as
// protobuf) that names g=apidiscovery.k8s.io;as=APIGroupDiscoveryList with v=v2 or v=v2beta1,
// or plain JSON. No Accept or nothing matching gives the legacy JSON documents.
DiscoveryNegotiation negotiateDiscovery(std::string_view accept);

// GET /api (core = true: one group named "") or GET /apis (every other group) in aggregated
// form; format must be AggregatedV2 or AggregatedV2Beta1.
boost::json::object aggregatedDiscovery(const ResourceRegistry &registry, bool core,
                                        DiscoveryFormat format);

// GET /api, legacy: {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":...}.
// serverAddress is "host:port" as clients reach the server.
boost::json::object apiVersions(std::string_view serverAddress);

// GET /apis, legacy.
boost::json::object apiGroupList(const ResourceRegistry &registry);

// GET /apis/<group>; nullopt for a group the registry does not serve (404).
std::optional<boost::json::object> apiGroup(const ResourceRegistry &registry,
                                            std::string_view group);

// GET /api/v1 (group "") or /apis/<group>/<version>; nullopt when not served (404).
std::optional<boost::json::object>
apiResourceList(const ResourceRegistry &registry, std::string_view group, std::string_view version);

// The preferred version of a group: the first of its versions in registry order.
std::string preferredVersion(const ResourceRegistry &registry, std::string_view group);

// A strong ETag ("\"<16 hex digits>\"") over a document's canonical JSON, so the HTTP layer
// can answer If-None-Match with 304 as the real server does for discovery.
std::string documentEtag(const boost::json::object &document);

} // namespace sandbox
