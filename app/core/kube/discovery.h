#pragma once
// What the server serves (k8s-api-notes §1), so any manifest kind can be mapped to its
// REST resource: aggregated discovery (apidiscovery.k8s.io v2, else v2beta1) from /api and
// /apis in two requests when the server offers it, else the legacy walk (/api, /apis, then
// every group version). The registry answers for built-in kinds before discovery is done.

#include "kube/resource_id.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <optional>

namespace dashboard {

class KubeClient;
class HttpCall;
struct HttpResult;

class Discovery final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Discovery)

public:
    explicit Discovery(KubeClient &client, QObject *parent = nullptr);
    ~Discovery() override;

    void refresh();
    bool isReady() const { return m_ready; }
    bool isAggregated() const { return m_aggregated; }
    QString errorString() const { return m_error; }

    // "apps/v1" + "Deployment" -> deployments. Falls back to the built-in registry.
    std::optional<ResourceId> resolve(const QString &apiVersion, const QString &kind) const;
    // kubectl's spelling: "deploy", "deployments.apps", "prometheusrule".
    std::optional<ResourceId> byName(const QString &name) const;
    const QList<ResourceId> &resources() const { return m_resources; }
    // Group versions whose discovery failed or is stale (their kinds may be missing).
    QStringList failedGroupVersions() const { return m_failed; }

Q_SIGNALS:
    void finished(bool ok, const QString &error);

private:
    void onRoot(bool legacyCore, const HttpResult &result);
    void rootsDone();
    void fetchGroupVersion(const QString &path, const QString &group, const QString &version);
    void parseAggregated(const QJsonObject &list);
    void parseResourceList(const QJsonObject &list, const QString &group, const QString &version);
    void finish(bool ok, const QString &error);

    KubeClient &m_client;
    QList<QPointer<HttpCall>> m_calls;
    QList<ResourceId> m_resources;
    QList<ResourceId> m_staging;
    QStringList m_failed;
    QByteArray m_coreBody, m_groupsBody;
    bool m_coreAggregated = false, m_groupsAggregated = false;
    int m_rootsPending = 0;
    int m_versionsPending = 0;
    bool m_ready = false;
    bool m_aggregated = false;
    bool m_failedRoot = false;
    QString m_error;
};

} // namespace dashboard
