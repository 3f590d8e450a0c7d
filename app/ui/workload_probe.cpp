#include "ui/workload_probe.h"

#include "kube/kube_client.h"
#include "kube/resource_registry.h"

namespace dashboard {

WorkloadProbe::WorkloadProbe(KubeClient &client, QString namespaceName, QString deployment,
                             QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_namespace(std::move(namespaceName))
    , m_deployment(std::move(deployment)) {}

WorkloadProbe::~WorkloadProbe() {
    cancel();
}

void WorkloadProbe::cancel() {
    if (m_call)
        m_call->cancel();
    m_call = nullptr;
}

void WorkloadProbe::check() {
    cancel();
    m_call = m_client.get(resources::deployments(), m_namespace, m_deployment, this,
                          [this](const KubeResult &result) {
                              m_call = nullptr;
                              if (result.ok())
                                  Q_EMIT finished(WindowProblem{});
                              else if (result.error().isNotFound())
                                  checkNamespace();
                              else
                                  Q_EMIT finished(
                                      requestProblem(result.error(), m_namespace, m_deployment));
                          });
}

void WorkloadProbe::checkNamespace() {
    m_call = m_client.get(
        resources::namespaces(), {}, m_namespace, this, [this](const KubeResult &result) {
            m_call = nullptr;
            // Reading namespaces is often not allowed to people who may read the workload: only a
            // clear 404 says the namespace is missing; anything else means the Deployment is.
            if (!result.ok() && result.error().isNotFound())
                Q_EMIT finished(namespaceMissingProblem(m_namespace, m_deployment));
            else
                Q_EMIT finished(deploymentMissingProblem(m_namespace, m_deployment));
        });
}

} // namespace dashboard
