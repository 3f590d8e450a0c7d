#include "api/discovery.h"

#include "api/media_range.h"

#include "util/json_util.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace sandbox {

namespace {

namespace bj = boost::json;

constexpr std::string_view kDiscoveryGroup = "apidiscovery.k8s.io";
constexpr std::string_view kAggregatedKind = "APIGroupDiscoveryList";

bj::array strings(const std::vector<std::string> &values) {
    bj::array out;
    for (const auto &v : values) {
        out.emplace_back(v);
    }
    return out;
}

bj::object gvk(const GroupVersionKind &kind) {
    return {{"group", kind.group}, {"version", kind.version}, {"kind", kind.kind}};
}

// Versions of a group in discovery order: the preferred (first seen) version first.
std::vector<std::string> versionsOf(const ResourceRegistry &registry, std::string_view group) {
    std::vector<std::string> versions;
    for (const ResourceType *entry : registry.discoverable()) {
        const ResourceType &type = *entry;
        if (type.group == group &&
            std::find(versions.begin(), versions.end(), type.version) == versions.end()) {
            versions.push_back(type.version);
        }
    }
    return versions;
}

std::vector<std::string> groupsOf(const ResourceRegistry &registry) {
    std::vector<std::string> groups;
    for (const ResourceType *entry : registry.discoverable()) {
        const ResourceType &type = *entry;
        if (!type.group.empty() &&
            std::find(groups.begin(), groups.end(), type.group) == groups.end()) {
            groups.push_back(type.group);
        }
    }
    return groups;
}

bj::object aggregatedResource(const ResourceType &type) {
    bj::object out;
    out["resource"] = type.resource;
    out["responseKind"] = gvk({type.group, type.version, type.kind});
    out["scope"] = type.namespaced ? "Namespaced" : "Cluster";
    out["singularResource"] = type.singular;
    out["verbs"] = strings(type.verbs);
    if (!type.shortNames.empty()) {
        out["shortNames"] = strings(type.shortNames);
    }
    if (!type.categories.empty()) {
        out["categories"] = strings(type.categories);
    }
    if (!type.subresources.empty()) {
        bj::array subresources;
        for (const auto &sub : type.subresources) {
            bj::object entry;
            entry["subresource"] = sub.name;
            entry["responseKind"] = gvk(sub.responseKind);
            entry["verbs"] = strings(sub.verbs);
            subresources.push_back(std::move(entry));
        }
        out["subresources"] = std::move(subresources);
    }
    return out;
}

bj::object aggregatedGroup(const ResourceRegistry &registry, const std::string &group) {
    bj::array versions;
    for (const auto &version : versionsOf(registry, group)) {
        bj::array resources;
        for (const ResourceType *entry : registry.discoverable()) {
            const ResourceType &type = *entry;
            if (type.group == group && type.version == version) {
                resources.push_back(aggregatedResource(type));
            }
        }
        bj::object entry;
        entry["version"] = version;
        entry["resources"] = std::move(resources);
        // Everything is served in-process, so discovery is never stale.
        entry["freshness"] = "Current";
        versions.push_back(std::move(entry));
    }
    bj::object metadata;
    if (!group.empty()) {
        metadata["name"] = group;
    }
    return {{"metadata", std::move(metadata)}, {"versions", std::move(versions)}};
}

bj::object groupVersionForDiscovery(const std::string &group, const std::string &version) {
    return {{"groupVersion", group.empty() ? version : group + "/" + version},
            {"version", version}};
}

bj::object legacyGroup(const ResourceRegistry &registry, const std::string &group) {
    bj::array versions;
    for (const auto &version : versionsOf(registry, group)) {
        versions.push_back(groupVersionForDiscovery(group, version));
    }
    bj::object out;
    out["name"] = group;
    out["versions"] = std::move(versions);
    out["preferredVersion"] = groupVersionForDiscovery(group, preferredVersion(registry, group));
    return out;
}

bj::object legacyResource(const ResourceType &type) {
    bj::object out;
    out["name"] = type.resource;
    out["singularName"] = type.singular;
    out["namespaced"] = type.namespaced;
    out["kind"] = type.kind;
    out["verbs"] = strings(type.verbs);
    if (!type.shortNames.empty()) {
        out["shortNames"] = strings(type.shortNames);
    }
    if (!type.categories.empty()) {
        out["categories"] = strings(type.categories);
    }
    return out;
}

bj::object legacySubresource(const ResourceType &type, const SubresourceType &sub) {
    bj::object out;
    out["name"] = type.resource + "/" + sub.name;
    out["singularName"] = "";
    out["namespaced"] = type.namespaced;
    // group/version only when they differ from the list's group version (deployments/scale).
    if (sub.responseKind.group != type.group || sub.responseKind.version != type.version) {
        out["group"] = sub.responseKind.group;
        out["version"] = sub.responseKind.version;
    }
    out["kind"] = sub.responseKind.kind;
    out["verbs"] = strings(sub.verbs);
    return out;
}

} // namespace

DiscoveryNegotiation negotiateDiscovery(std::string_view accept) {
    const DiscoveryNegotiation legacy{DiscoveryFormat::Legacy, "application/json"};
    for (const MediaRange &range : parseAccept(accept)) {
        if (!range.coversJson()) {
            continue; // protobuf, YAML, ...: not served for discovery
        }
        const std::string_view group = range.group, version = range.version, as = range.as;
        if (range.refused()) {
            continue;
        }
        if (as.empty() && group.empty() && version.empty()) {
            return legacy;
        }
        if (group != kDiscoveryGroup || as != kAggregatedKind) {
            continue; // asks for some other kind (e.g. a Table): not acceptable here
        }
        if (version == "v2") {
            return {DiscoveryFormat::AggregatedV2,
                    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"};
        }
        if (version == "v2beta1") {
            return {DiscoveryFormat::AggregatedV2Beta1,
                    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"};
        }
    }
    return legacy;
}

bj::object aggregatedDiscovery(const ResourceRegistry &registry, bool core,
                               DiscoveryFormat format) {
    bj::array items;
    if (core) {
        if (!versionsOf(registry, "").empty()) {
            items.push_back(aggregatedGroup(registry, ""));
        }
    } else {
        for (const auto &group : groupsOf(registry)) {
            items.push_back(aggregatedGroup(registry, group));
        }
    }
    bj::object out;
    out["kind"] = kAggregatedKind;
    out["apiVersion"] = format == DiscoveryFormat::AggregatedV2Beta1 ? "apidiscovery.k8s.io/v2beta1"
                                                                     : "apidiscovery.k8s.io/v2";
    out["metadata"] = bj::object{};
    out["items"] = std::move(items);
    return out;
}

bj::object apiVersions(std::string_view serverAddress) {
    bj::object out;
    out["kind"] = "APIVersions";
    out["versions"] = bj::array{"v1"};
    bj::array addresses;
    if (!serverAddress.empty()) {
        addresses.push_back(
            bj::object{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", serverAddress}});
    }
    out["serverAddressByClientCIDRs"] = std::move(addresses);
    return out;
}

bj::object apiGroupList(const ResourceRegistry &registry) {
    bj::array groups;
    for (const auto &group : groupsOf(registry)) {
        groups.push_back(legacyGroup(registry, group));
    }
    bj::object out;
    out["kind"] = "APIGroupList";
    out["apiVersion"] = "v1";
    out["groups"] = std::move(groups);
    return out;
}

std::optional<bj::object> apiGroup(const ResourceRegistry &registry, std::string_view group) {
    if (group.empty() || versionsOf(registry, group).empty()) {
        return std::nullopt;
    }
    bj::object out;
    out["kind"] = "APIGroup";
    out["apiVersion"] = "v1";
    for (auto &entry : legacyGroup(registry, std::string(group))) {
        out[entry.key()] = entry.value();
    }
    return out;
}

std::optional<bj::object> apiResourceList(const ResourceRegistry &registry, std::string_view group,
                                          std::string_view version) {
    bj::array resources;
    bool served = false;
    for (const ResourceType *entry : registry.discoverable()) {
        const ResourceType &type = *entry;
        if (type.group != group || type.version != version) {
            continue;
        }
        served = true;
        resources.push_back(legacyResource(type));
        for (const auto &sub : type.subresources) {
            resources.push_back(legacySubresource(type, sub));
        }
    }
    if (!served) {
        return std::nullopt;
    }
    bj::object out;
    out["kind"] = "APIResourceList";
    out["apiVersion"] = "v1";
    out["groupVersion"] =
        group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
    out["resources"] = std::move(resources);
    return out;
}

std::string preferredVersion(const ResourceRegistry &registry, std::string_view group) {
    const auto versions = versionsOf(registry, group);
    return versions.empty() ? std::string() : versions.front();
}

std::string documentEtag(const bj::object &document) {
    // FNV-1a 64: stable across runs, so a client's cached ETag stays valid after a restart.
    std::uint64_t hash = 1469598103934665603ULL;
    for (const unsigned char c : json::canonical(document)) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "\"%016llX\"", static_cast<unsigned long long>(hash));
    return buffer;
}

} // namespace sandbox
