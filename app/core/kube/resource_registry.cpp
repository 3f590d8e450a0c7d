#include "kube/resource_registry.h"

namespace dashboard {

namespace {

ResourceId entry(const char *group, const char *version, const char *resource, const char *kind,
                 bool namespaced, QStringList shortNames = {}) {
    ResourceId id;
    id.group = QLatin1String(group);
    id.version = QLatin1String(version);
    id.resource = QLatin1String(resource);
    id.kind = QLatin1String(kind);
    id.namespaced = namespaced;
    id.shortNames = std::move(shortNames);
    return id;
}

const ResourceId &lookup(const char *group, const char *resource) {
    static const ResourceId invalid;
    // Entries never change after construction: references into them stay valid.
    const ResourceId *found =
        ResourceRegistry::builtin().find(QLatin1String(group), QLatin1String(resource));
    return found ? *found : invalid;
}

} // namespace

ResourceRegistry::ResourceRegistry() {
    m_entries = {
        entry("", "v1", "pods", "Pod", true, {QStringLiteral("po")}),
        entry("", "v1", "services", "Service", true, {QStringLiteral("svc")}),
        entry("", "v1", "configmaps", "ConfigMap", true, {QStringLiteral("cm")}),
        entry("", "v1", "secrets", "Secret", true),
        entry("", "v1", "events", "Event", true, {QStringLiteral("ev")}),
        entry("", "v1", "endpoints", "Endpoints", true, {QStringLiteral("ep")}),
        entry("", "v1", "serviceaccounts", "ServiceAccount", true, {QStringLiteral("sa")}),
        entry("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true,
              {QStringLiteral("pvc")}),
        entry("", "v1", "namespaces", "Namespace", false, {QStringLiteral("ns")}),
        entry("", "v1", "nodes", "Node", false, {QStringLiteral("no")}),
        entry("apps", "v1", "deployments", "Deployment", true, {QStringLiteral("deploy")}),
        entry("apps", "v1", "replicasets", "ReplicaSet", true, {QStringLiteral("rs")}),
        entry("apps", "v1", "statefulsets", "StatefulSet", true, {QStringLiteral("sts")}),
        entry("apps", "v1", "daemonsets", "DaemonSet", true, {QStringLiteral("ds")}),
        entry("apps", "v1", "controllerrevisions", "ControllerRevision", true),
        entry("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true,
              {QStringLiteral("hpa")}),
        entry("batch", "v1", "jobs", "Job", true),
        entry("batch", "v1", "cronjobs", "CronJob", true, {QStringLiteral("cj")}),
        entry("networking.k8s.io", "v1", "ingresses", "Ingress", true, {QStringLiteral("ing")}),
        entry("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true,
              {QStringLiteral("pdb")}),
        entry("events.k8s.io", "v1", "events", "Event", true, {QStringLiteral("ev")}),
        entry("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview",
              false),
        entry("metrics.k8s.io", "v1beta1", "pods", "PodMetrics", true),
        entry("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false),
        entry("monitoring.coreos.com", "v1", "prometheusrules", "PrometheusRule", true,
              {QStringLiteral("promrule")}),
        entry("monitoring.coreos.com", "v1", "servicemonitors", "ServiceMonitor", true,
              {QStringLiteral("smon")}),
        entry("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
              false, {QStringLiteral("crd"), QStringLiteral("crds")}),
    };
}

const ResourceRegistry &ResourceRegistry::builtin() {
    static const ResourceRegistry registry;
    return registry;
}

std::optional<ResourceId> ResourceRegistry::byKind(const QString &group,
                                                   const QString &kind) const {
    for (const ResourceId &id : m_entries) {
        if (id.group == group && id.kind == kind) {
            return id;
        }
    }
    return std::nullopt;
}

const ResourceId *ResourceRegistry::find(const QString &group, const QString &resource) const {
    for (const ResourceId &id : m_entries) {
        if (id.group == group && id.resource == resource) {
            return &id;
        }
    }
    return nullptr;
}

std::optional<ResourceId> ResourceRegistry::byResource(const QString &group,
                                                       const QString &resource) const {
    if (const ResourceId *id = find(group, resource)) {
        return *id;
    }
    return std::nullopt;
}

std::optional<ResourceId> ResourceRegistry::byName(const QString &name) const {
    const QString lower = name.toLower();
    const qsizetype dot = lower.indexOf(QLatin1Char('.'));
    const QString head = dot < 0 ? lower : lower.left(dot);
    const QString group = dot < 0 ? QString() : lower.mid(dot + 1);
    // The core group and the well-known groups win over same-named resources elsewhere
    // (events: v1 before events.k8s.io), as kubectl's priority order does.
    for (const ResourceId &id : m_entries) {
        if (dot >= 0 && id.group != group) {
            continue;
        }
        if (id.resource == head || id.kind.toLower() == head || id.shortNames.contains(head)) {
            return id;
        }
    }
    return std::nullopt;
}

namespace resources {
const ResourceId &pods() {
    return lookup("", "pods");
}
const ResourceId &podLogs() {
    return lookup("", "pods");
}
const ResourceId &services() {
    return lookup("", "services");
}
const ResourceId &configMaps() {
    return lookup("", "configmaps");
}
const ResourceId &secrets() {
    return lookup("", "secrets");
}
const ResourceId &events() {
    return lookup("", "events");
}
const ResourceId &namespaces() {
    return lookup("", "namespaces");
}
const ResourceId &nodes() {
    return lookup("", "nodes");
}
const ResourceId &deployments() {
    return lookup("apps", "deployments");
}
const ResourceId &replicaSets() {
    return lookup("apps", "replicasets");
}
const ResourceId &horizontalPodAutoscalers() {
    return lookup("autoscaling", "horizontalpodautoscalers");
}
const ResourceId &ingresses() {
    return lookup("networking.k8s.io", "ingresses");
}
const ResourceId &podDisruptionBudgets() {
    return lookup("policy", "poddisruptionbudgets");
}
const ResourceId &selfSubjectAccessReviews() {
    return lookup("authorization.k8s.io", "selfsubjectaccessreviews");
}
const ResourceId &podMetrics() {
    return lookup("metrics.k8s.io", "pods");
}
const ResourceId &prometheusRules() {
    return lookup("monitoring.coreos.com", "prometheusrules");
}
const ResourceId &customResourceDefinitions() {
    return lookup("apiextensions.k8s.io", "customresourcedefinitions");
}
} // namespace resources

} // namespace dashboard
