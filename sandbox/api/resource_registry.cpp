#include "api/resource_registry.h"

#include "api/printers.h"

#include <algorithm>
#include <utility>

namespace sandbox {

namespace {

// Verb sets as a v1.32 API server advertises them in discovery.
const std::vector<std::string> kAllVerbs = {"create", "delete", "deletecollection", "get",
                                            "list",   "patch",  "update",           "watch"};
// Namespaces cannot be deleted as a collection.
const std::vector<std::string> kNoCollectionVerbs = {"create", "delete", "get",  "list",
                                                     "patch",  "update", "watch"};
const std::vector<std::string> kSubresourceVerbs = {"get", "patch", "update"};

SubresourceType statusOf(const std::string &group, const std::string &version,
                         const std::string &kind) {
    return {"status", {group, version, kind}, kSubresourceVerbs};
}

// deployments/scale and replicasets/scale answer with autoscaling/v1 Scale: `kubectl scale`
// looks for exactly this response kind (k8s-api-notes §1).
SubresourceType scaleSubresource() {
    return {"scale", {"autoscaling", "v1", "Scale"}, kSubresourceVerbs};
}

struct Builder {
    ResourceType type;

    Builder(std::string group, std::string version, std::string kind, std::string resource,
            std::string singular) {
        type.group = std::move(group);
        type.version = std::move(version);
        type.kind = std::move(kind);
        type.resource = std::move(resource);
        type.singular = std::move(singular);
        type.verbs = kAllVerbs;
    }
    Builder &clusterScoped() {
        type.namespaced = false;
        return *this;
    }
    Builder &verbs(std::vector<std::string> v) {
        type.verbs = std::move(v);
        return *this;
    }
    Builder &shortNames(std::vector<std::string> v) {
        type.shortNames = std::move(v);
        return *this;
    }
    Builder &categories(std::vector<std::string> v) {
        type.categories = std::move(v);
        return *this;
    }
    Builder &withStatus() {
        type.hasStatus = true;
        type.subresources.push_back(statusOf(type.group, type.version, type.kind));
        return *this;
    }
    Builder &withScale() {
        type.subresources.push_back(scaleSubresource());
        return *this;
    }
    Builder &subresource(SubresourceType sub) {
        type.subresources.push_back(std::move(sub));
        return *this;
    }
    Builder &printer(const PrinterSpec &spec) {
        type.columns = spec.columns;
        type.printRow = spec.printRow;
        return *this;
    }
    ResourceType build() {
        // Discovery lists subresources sorted by name, as the real server does.
        std::sort(
            type.subresources.begin(), type.subresources.end(),
            [](const SubresourceType &a, const SubresourceType &b) { return a.name < b.name; });
        return std::move(type);
    }
};

std::vector<ResourceType> builtinTypes() {
    std::vector<ResourceType> types;
    const std::vector<std::string> all = {"all"};

    // core/v1, in the alphabetical order the real /api/v1 uses.
    types.push_back(Builder("", "v1", "ConfigMap", "configmaps", "configmap")
                        .shortNames({"cm"})
                        .printer(configMapPrinter())
                        .build());
    types.push_back(Builder("", "v1", "Endpoints", "endpoints", "endpoints")
                        .shortNames({"ep"})
                        .printer(endpointsPrinter())
                        .build());
    types.push_back(Builder("", "v1", "Event", "events", "event")
                        .shortNames({"ev"})
                        .printer(eventPrinter())
                        .build());
    types.push_back(Builder("", "v1", "Namespace", "namespaces", "namespace")
                        .clusterScoped()
                        .verbs(kNoCollectionVerbs)
                        .shortNames({"ns"})
                        .withStatus()
                        .printer(namespacePrinter())
                        .build());
    types.push_back(Builder("", "v1", "Node", "nodes", "node")
                        .clusterScoped()
                        .shortNames({"no"})
                        .withStatus()
                        .printer(nodePrinter())
                        .build());
    // pods/log answers with text, but discovery names Pod as its kind (as the real server).
    types.push_back(Builder("", "v1", "Pod", "pods", "pod")
                        .shortNames({"po"})
                        .categories(all)
                        .withStatus()
                        .subresource({"log", {"", "v1", "Pod"}, {"get"}})
                        .subresource({"proxy",
                                      {"", "v1", "PodProxyOptions"},
                                      {"create", "delete", "get", "patch", "update"}})
                        .printer(podPrinter())
                        .build());
    types.push_back(
        Builder("", "v1", "Secret", "secrets", "secret").printer(secretPrinter()).build());
    types.push_back(Builder("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount")
                        .shortNames({"sa"})
                        .printer(serviceAccountPrinter())
                        .build());
    types.push_back(Builder("", "v1", "Service", "services", "service")
                        .shortNames({"svc"})
                        .categories(all)
                        .withStatus()
                        .subresource({"proxy",
                                      {"", "v1", "ServiceProxyOptions"},
                                      {"create", "delete", "get", "patch", "update"}})
                        .printer(servicePrinter())
                        .build());

    types.push_back(Builder("apps", "v1", "Deployment", "deployments", "deployment")
                        .shortNames({"deploy"})
                        .categories(all)
                        .withStatus()
                        .withScale()
                        .printer(deploymentPrinter())
                        .build());
    types.push_back(Builder("apps", "v1", "ReplicaSet", "replicasets", "replicaset")
                        .shortNames({"rs"})
                        .categories(all)
                        .withStatus()
                        .withScale()
                        .printer(replicaSetPrinter())
                        .build());

    types.push_back(Builder("autoscaling", "v2", "HorizontalPodAutoscaler",
                            "horizontalpodautoscalers", "horizontalpodautoscaler")
                        .shortNames({"hpa"})
                        .categories(all)
                        .withStatus()
                        .printer(hpaPrinter())
                        .build());

    types.push_back(Builder("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress")
                        .shortNames({"ing"})
                        .withStatus()
                        .printer(ingressPrinter())
                        .build());

    types.push_back(Builder("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets",
                            "poddisruptionbudget")
                        .shortNames({"pdb"})
                        .withStatus()
                        .printer(pdbPrinter())
                        .build());

    types.push_back(Builder("authorization.k8s.io", "v1", "SelfSubjectAccessReview",
                            "selfsubjectaccessreviews", "selfsubjectaccessreview")
                        .clusterScoped()
                        .verbs({"create"})
                        .printer(genericPrinter())
                        .build());

    types.push_back(Builder("apiextensions.k8s.io", "v1", "CustomResourceDefinition",
                            "customresourcedefinitions", "customresourcedefinition")
                        .clusterScoped()
                        .shortNames({"crd", "crds"})
                        .categories({"api-extensions"})
                        .withStatus()
                        .printer(crdPrinter())
                        .build());

    // A CRD in a real cluster (prometheus-operator); its printer is the CRD default.
    types.push_back(Builder("monitoring.coreos.com", "v1", "PrometheusRule", "prometheusrules",
                            "prometheusrule")
                        .shortNames({"promrule"})
                        .categories({"prometheus-operator"})
                        .printer(genericPrinter())
                        .build());
    return types;
}

// Served from memory or by conversion, never stored (see ResourceRegistry::servedOnly).
std::vector<ResourceType> servedOnlyTypes() {
    std::vector<ResourceType> types;
    // autoscaling/v1 is what `kubectl autoscale` writes; objects are stored as v2.
    types.push_back(
        Builder("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                "horizontalpodautoscaler")
            .verbs({"create", "delete", "deletecollection", "get", "list", "patch", "update"})
            .shortNames({"hpa"})
            .categories({"all"})
            .withStatus()
            .printer(hpaPrinter())
            .build());
    // metrics.k8s.io as metrics-server serves it: read-only, no watch.
    types.push_back(Builder("metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", "")
                        .clusterScoped()
                        .verbs({"get", "list"})
                        .printer(nodeMetricsPrinter())
                        .build());
    types.push_back(Builder("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", "")
                        .verbs({"get", "list"})
                        .printer(podMetricsPrinter())
                        .build());
    return types;
}

} // namespace

const SubresourceType *ResourceType::subresource(std::string_view name) const {
    for (const auto &sub : subresources) {
        if (sub.name == name) {
            return &sub;
        }
    }
    return nullptr;
}

ResourceRegistry::ResourceRegistry(std::vector<ResourceType> types,
                                   std::vector<ResourceType> servedOnly)
    : m_types(std::move(types))
    , m_servedOnly(std::move(servedOnly)) {
    std::vector<bool> placed(m_servedOnly.size(), false);
    for (std::size_t i = 0; i < m_types.size(); ++i) {
        m_discoverable.push_back(&m_types[i]);
        const bool lastOfGroup =
            i + 1 == m_types.size() || m_types[i + 1].group != m_types[i].group;
        for (std::size_t k = 0; lastOfGroup && k < m_servedOnly.size(); ++k) {
            if (!placed[k] && m_servedOnly[k].group == m_types[i].group) {
                m_discoverable.push_back(&m_servedOnly[k]);
                placed[k] = true;
            }
        }
    }
    for (std::size_t k = 0; k < m_servedOnly.size(); ++k) {
        if (!placed[k]) {
            m_discoverable.push_back(&m_servedOnly[k]);
        }
    }
}

const ResourceRegistry &ResourceRegistry::builtin() {
    static const ResourceRegistry registry(builtinTypes(), servedOnlyTypes());
    return registry;
}

bool ResourceRegistry::isServedOnly(const ResourceType &type) const {
    for (const auto &t : m_servedOnly) {
        if (&t == &type) {
            return true;
        }
    }
    return false;
}

const ResourceType *ResourceRegistry::byResource(std::string_view group, std::string_view version,
                                                 std::string_view resource) const {
    for (const auto &type : m_types) {
        if (type.group == group && type.version == version && type.resource == resource) {
            return &type;
        }
    }
    for (const auto &type : m_servedOnly) {
        if (type.group == group && type.version == version && type.resource == resource) {
            return &type;
        }
    }
    return nullptr;
}

const ResourceType *ResourceRegistry::byKind(std::string_view apiVersion,
                                             std::string_view kind) const {
    for (const auto &type : m_types) {
        if (type.kind == kind && type.apiVersion() == apiVersion) {
            return &type;
        }
    }
    return nullptr;
}

std::vector<std::string> ResourceRegistry::groupVersions() const {
    std::vector<std::string> out;
    for (const auto &type : m_types) {
        std::string gv = type.apiVersion();
        if (std::find(out.begin(), out.end(), gv) == out.end()) {
            out.push_back(std::move(gv));
        }
    }
    return out;
}

} // namespace sandbox
