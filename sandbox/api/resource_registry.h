#pragma once
// The one registry of Kubernetes resource kinds the sandbox serves (STYLE rule 5):
// group/version/resource, scope, names, verbs, subresources and table columns. Discovery,
// OpenAPI, routing, printing and the controllers all read it; adding a kind touches only
// resource_registry.cpp and its row printer.

#include <boost/json/fwd.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

struct GroupVersionKind {
    std::string group;
    std::string version;
    std::string kind;
};

struct SubresourceType {
    std::string name;               // "status", "scale", "log"
    GroupVersionKind responseKind;  // e.g. autoscaling/v1 Scale for deployments/scale
    std::vector<std::string> verbs; // "get", "patch", "update"
};

struct TableColumn {
    std::string name;   // "Name", "Ready", ...
    std::string type;   // "string", "integer", "date"
    std::string format; // "name" for the Name column, else ""
    std::string description;
    int priority = 0; // 1 = only with -o wide
};

// Builds one Table row's cells (same length and order as the columns) from a full object.
// `now` is used for ages ("5m", "2d3h").
using RowPrinter = void (*)(const boost::json::object &object,
                            std::chrono::system_clock::time_point now, boost::json::array &cells);

struct ResourceType {
    std::string group; // "" for the core group
    std::string version;
    std::string kind;     // "Deployment"
    std::string resource; // plural, "deployments"
    std::string singular; // "deployment"
    bool namespaced = true;
    std::vector<std::string> verbs;
    std::vector<std::string> shortNames;
    std::vector<std::string> categories;
    std::vector<SubresourceType> subresources;
    std::vector<TableColumn> columns;
    RowPrinter printRow = nullptr;
    bool hasStatus = false; // status is a subresource: main writes keep old status

    std::string apiVersion() const { return group.empty() ? version : group + "/" + version; }
    std::string listKind() const { return kind + "List"; }
    // "deployments.apps" or "pods": how Status messages name the resource.
    std::string groupResource() const { return group.empty() ? resource : resource + "." + group; }
    // Stable key for storage and lookups: "apps/deployments", "core/pods".
    std::string storageKey() const {
        return (group.empty() ? std::string("core") : group) + "/" + resource;
    }
    const SubresourceType *subresource(std::string_view name) const;
};

class ResourceRegistry final {
public:
    // Every kind the sandbox serves, in discovery order.
    static const ResourceRegistry &builtin();

    // The stored kinds: what the store, the controllers and cascading deletion iterate.
    const std::vector<ResourceType> &all() const { return m_types; }
    // Kinds served without storage of their own (metrics.k8s.io from PodMetricsStore,
    // autoscaling/v1 HPAs converted to and from the stored autoscaling/v2 ones).
    const std::vector<ResourceType> &servedOnly() const { return m_servedOnly; }
    bool isServedOnly(const ResourceType &type) const;
    // Everything discovery lists, in discovery order: each served-only kind right after the
    // stored kinds of its group (so a group's stored version stays the preferred one).
    const std::vector<const ResourceType *> &discoverable() const { return m_discoverable; }
    const ResourceType *byResource(std::string_view group, std::string_view version,
                                   std::string_view resource) const;
    // apiVersion is "v1" or "apps/v1".
    const ResourceType *byKind(std::string_view apiVersion, std::string_view kind) const;
    // byResource searches stored kinds first, then served-only ones.
    // Group versions in discovery order ("v1" first, then "apps/v1", ...), stored kinds only.
    std::vector<std::string> groupVersions() const;

    explicit ResourceRegistry(std::vector<ResourceType> types,
                              std::vector<ResourceType> servedOnly = {});

private:
    std::vector<ResourceType> m_types;
    std::vector<ResourceType> m_servedOnly;
    std::vector<const ResourceType *> m_discoverable;
};

} // namespace sandbox
