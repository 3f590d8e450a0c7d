#include "operations/workload_installer.h"

#include "kube/discovery.h"
#include "kube/kube_client.h"
#include "kube/resource_registry.h"

namespace dashboard {

WorkloadInstaller::WorkloadInstaller(KubeClient &client, QObject *parent)
    : QObject(parent)
    , m_client(client) {}

WorkloadInstaller::~WorkloadInstaller() = default;

void WorkloadInstaller::installIfAbsent(const QString &manifestDir, const QString &namespaceName,
                                        const QString &deployment) {
    m_namespace = namespaceName;
    m_client.get(
        resources::deployments(), namespaceName, deployment, this,
        [this, manifestDir](const KubeResult &result) {
            if (result.ok()) {
                Q_EMIT finished(true, false, {});
                return;
            }
            if (!result.error().isNotFound()) {
                fail(tr("Cannot check for the workload: %1").arg(result.error().text()));
                return;
            }
            auto manifests = loadManifests(manifestDir);
            if (!manifests.ok()) {
                fail(tr("Cannot read the bundled manifests: %1")
                         .arg(QString::fromStdString(manifests.message())));
                return;
            }
            m_pending = manifests.value();
            m_discovery = new Discovery(m_client, this);
            connect(m_discovery, &Discovery::finished, this, [this](bool ok, const QString &error) {
                if (!ok) {
                    fail(tr("Cannot discover the cluster's resources: %1").arg(error));
                    return;
                }
                applyNext();
            });
            m_discovery->refresh();
        });
}

void WorkloadInstaller::applyNext() {
    if (m_pending.isEmpty()) {
        Q_EMIT finished(true, true,
                        tr("Applied %n object(s) of the bundled manifests.", nullptr, m_applied));
        return;
    }
    const Manifest manifest = m_pending.takeFirst();
    const QJsonObject &object = manifest.object;
    const QString apiVersion = object.value(QLatin1String("apiVersion")).toString();
    const QString kind = object.value(QLatin1String("kind")).toString();
    const QString name =
        object.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
    const std::optional<ResourceId> id = m_discovery->resolve(apiVersion, kind);
    if (!id) {
        fail(tr("%1: the cluster does not serve %2 %3 (%4).")
                 .arg(manifest.file, apiVersion, kind, name));
        return;
    }
    QString ns = object.value(QLatin1String("metadata"))
                     .toObject()
                     .value(QLatin1String("namespace"))
                     .toString();
    if (ns.isEmpty()) {
        ns = m_namespace;
    }
    WriteOptions options;
    options.fieldManager = QStringLiteral("forecast-dashboard");
    options.force = true;
    m_client.apply(*id, id->namespaced ? ns : QString(), object, options, this,
                   [this, manifest, kind, name](const KubeResult &result) {
                       if (!result.ok()) {
                           fail(tr("%1: applying %2 %3 failed: %4")
                                    .arg(manifest.file, kind, name, result.error().text()));
                           return;
                       }
                       ++m_applied;
                       applyNext();
                   });
}

void WorkloadInstaller::fail(const QString &message) {
    m_pending.clear();
    Q_EMIT finished(false, false, message);
}

} // namespace dashboard
