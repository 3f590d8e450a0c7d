#pragma once
// The one registry of the Kubernetes kinds the dashboard uses (STYLE rule 5): every
// request, informer and column set names its resource through here. Kinds only a manifest
// mentions (CRDs, anything else) are resolved at run time by Discovery.

#include "kube/resource_id.h"

#include <QList>

#include <optional>

namespace dashboard {

class ResourceRegistry final {
public:
    static const ResourceRegistry &builtin();

    const QList<ResourceId> &all() const { return m_entries; }
    // By group and kind ("apps", "Deployment") or group and plural ("apps", "deployments").
    std::optional<ResourceId> byKind(const QString &group, const QString &kind) const;
    std::optional<ResourceId> byResource(const QString &group, const QString &resource) const;
    // kubectl's spelling: "deploy", "deployment", "deployments", "deployments.apps", "po".
    std::optional<ResourceId> byName(const QString &name) const;
    // The registered entry itself (stable address), or null.
    const ResourceId *find(const QString &group, const QString &resource) const;

private:
    ResourceRegistry();
    QList<ResourceId> m_entries;
};

// Shorthands for the resources the core uses directly.
namespace resources {
const ResourceId &pods();
const ResourceId &podLogs(); // pods, addressed with the "log" subresource
const ResourceId &services();
const ResourceId &configMaps();
const ResourceId &secrets();
const ResourceId &events();
const ResourceId &namespaces();
const ResourceId &nodes();
const ResourceId &deployments();
const ResourceId &replicaSets();
const ResourceId &horizontalPodAutoscalers();
const ResourceId &ingresses();
const ResourceId &podDisruptionBudgets();
const ResourceId &selfSubjectAccessReviews();
const ResourceId &podMetrics();
const ResourceId &prometheusRules();
const ResourceId &customResourceDefinitions();
} // namespace resources

} // namespace dashboard
