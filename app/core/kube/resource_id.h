#pragma once
// Which REST collection a request addresses: group, version, resource (plural), the kind
// it holds and whether it lives in namespaces. Built from the registry or discovery, never
// from strings scattered over the code (STYLE rule 5).

#include <QString>
#include <QStringList>

namespace dashboard {

struct ResourceId {
    QString group;    // "" for the core group
    QString version;  // "v1"
    QString resource; // plural: "deployments"
    QString kind;     // "Deployment"
    bool namespaced = true;
    QStringList shortNames;

    bool isValid() const { return !version.isEmpty() && !resource.isEmpty(); }
    QString apiVersion() const;    // "v1", "apps/v1"
    QString groupResource() const; // "deployments.apps", "pods"
    // /api/v1/namespaces/NS/pods/NAME/log, /apis/apps/v1/deployments, ...
    // `ns` is ignored for cluster-scoped resources; empty `ns` lists across namespaces.
    QString path(const QString &ns = {}, const QString &name = {},
                 const QString &subresource = {}) const;

    bool operator==(const ResourceId &other) const {
        return group == other.group && version == other.version && resource == other.resource;
    }
};

} // namespace dashboard
