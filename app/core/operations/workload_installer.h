#pragma once
// Puts the bundled manifests on a cluster when the workload is not there yet (what
// `forecast-dashboard --sandbox` does on a fresh sandbox): GET the Deployment; when it is
// missing, resolve every manifest's kind through discovery and server-side apply them in
// file order as field manager "forecast-dashboard". Asynchronous; one finished() signal.

#include "operations/manifest_loader.h"

#include <QObject>
#include <QPointer>

namespace dashboard {

class Discovery;
class KubeClient;

class WorkloadInstaller final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkloadInstaller)

public:
    explicit WorkloadInstaller(KubeClient &client, QObject *parent = nullptr);
    ~WorkloadInstaller() override;

    // `manifestDir` may be a resource path (":/manifests/k8s").
    void installIfAbsent(const QString &manifestDir, const QString &namespaceName,
                         const QString &deployment);

Q_SIGNALS:
    // applied: objects were applied (false when the workload was already there).
    void finished(bool ok, bool applied, const QString &message);

private:
    void applyNext();
    void fail(const QString &message);

    KubeClient &m_client;
    Discovery *m_discovery = nullptr;
    QList<Manifest> m_pending;
    QString m_namespace;
    int m_applied = 0;
};

} // namespace dashboard
