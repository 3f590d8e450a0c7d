#include "ui/window_problem.h"

#include "core/translate.h"

namespace dashboard {

namespace {

WindowProblem make(WindowProblem::Kind kind, QString title, QString details, QString todo) {
    WindowProblem p;
    p.kind = kind;
    p.title = std::move(title);
    p.details = std::move(details);
    p.todo = std::move(todo);
    return p;
}

} // namespace

bool WindowProblem::resolvesItself() const {
    switch (kind) {
    case Kind::Unreachable:
    case Kind::NamespaceMissing:
    case Kind::DeploymentMissing:
    case Kind::ServerError:
        return true;
    default:
        return false;
    }
}

QString problemKindName(WindowProblem::Kind kind) {
    switch (kind) {
    case WindowProblem::Kind::None:
        return QStringLiteral("None");
    case WindowProblem::Kind::NoKubeconfig:
        return QStringLiteral("NoKubeconfig");
    case WindowProblem::Kind::BrokenKubeconfig:
        return QStringLiteral("BrokenKubeconfig");
    case WindowProblem::Kind::SandboxUnavailable:
        return QStringLiteral("SandboxUnavailable");
    case WindowProblem::Kind::Unreachable:
        return QStringLiteral("Unreachable");
    case WindowProblem::Kind::Unauthorized:
        return QStringLiteral("Unauthorized");
    case WindowProblem::Kind::Forbidden:
        return QStringLiteral("Forbidden");
    case WindowProblem::Kind::NamespaceMissing:
        return QStringLiteral("NamespaceMissing");
    case WindowProblem::Kind::DeploymentMissing:
        return QStringLiteral("DeploymentMissing");
    case WindowProblem::Kind::ServerError:
        return QStringLiteral("ServerError");
    }
    return {};
}

WindowProblem noKubeconfigProblem(const QString &details) {
    return make(
        WindowProblem::Kind::NoKubeconfig,
        tr("No kubeconfig was found, so there is no cluster to connect to."), details,
        tr("Start the dashboard with --kubeconfig FILE, set KUBECONFIG, create ~/.kube/config, "
           "or run forecast-dashboard --sandbox to use a local sandbox cluster."));
}

WindowProblem brokenKubeconfigProblem(const QString &details) {
    return make(
        WindowProblem::Kind::BrokenKubeconfig, tr("The kubeconfig cannot be used."), details,
        tr("Fix the file named above (kubectl config view shows how kubectl reads it), pick "
           "another context above, or start with --kubeconfig FILE. Press F5 to load it again."));
}

WindowProblem sandboxProblem(const QString &details) {
    return make(
        WindowProblem::Kind::SandboxUnavailable,
        tr("The local sandbox cluster could not be started."), details,
        tr("Build forecast-sandbox (ninja forecast-sandbox) or install the retail-forecast "
           "package, "
           "then start forecast-dashboard --sandbox again. To use a real cluster, start with "
           "--kubeconfig FILE instead."));
}

WindowProblem requestProblem(const KubeError &error, const QString &namespaceName,
                             const QString &deployment) {
    if (error.isTransport())
        return make(
            WindowProblem::Kind::Unreachable, tr("The cluster's API server cannot be reached."),
            error.text(),
            tr("Check that the cluster is running and that the server address in the kubeconfig is "
               "right (VPN, proxy, firewall). The dashboard keeps trying and shows the workload as "
               "soon as the server answers."));
    if (error.isUnauthorized())
        return make(
            WindowProblem::Kind::Unauthorized,
            tr("The cluster rejected the credentials (401 Unauthorized)."), error.text(),
            tr("The token or certificate has expired or was revoked. Log in again (for example "
               "with "
               "your cloud provider's get-credentials command) or fix the user in the kubeconfig, "
               "then press F5."));
    if (error.isForbidden())
        return make(WindowProblem::Kind::Forbidden,
                    tr("You are not allowed to read the Deployment \"%1\" in namespace \"%2\" (403 "
                       "Forbidden).")
                        .arg(deployment, namespaceName),
                    error.text(),
                    tr("Ask a cluster administrator for a Role that allows get, list and watch on "
                       "deployments, "
                       "replicasets, pods, horizontalpodautoscalers and events in this namespace, "
                       "or switch to a "
                       "context that has it."));
    if (error.isNotFound() &&
        error.serverMessage.contains(QLatin1String("namespace"), Qt::CaseInsensitive))
        return namespaceMissingProblem(namespaceName, deployment);
    if (error.isNotFound())
        return deploymentMissingProblem(namespaceName, deployment);
    return make(
        WindowProblem::Kind::ServerError,
        tr("The cluster answered with an error (HTTP %1).").arg(error.httpCode), error.text(),
        tr("The dashboard keeps trying. If the error persists, check the API server's health "
           "(kubectl get --raw /readyz)."));
}

WindowProblem namespaceMissingProblem(const QString &namespaceName, const QString &deployment) {
    return make(
        WindowProblem::Kind::NamespaceMissing,
        tr("The namespace \"%1\" does not exist on this cluster.").arg(namespaceName),
        tr("The Deployment \"%1\" was looked for in namespace \"%2\".")
            .arg(deployment, namespaceName),
        tr("Enter the right namespace above (kubectl get namespaces lists them), or create the "
           "workload with kubectl apply -f manifests/k8s/. The window updates as soon as it "
           "exists."));
}

WindowProblem deploymentMissingProblem(const QString &namespaceName, const QString &deployment) {
    return make(
        WindowProblem::Kind::DeploymentMissing,
        tr("There is no Deployment \"%1\" in namespace \"%2\".").arg(deployment, namespaceName),
        tr("The namespace exists, but it has no Deployment of that name."),
        tr("Check the name with kubectl get deployments -n %1 and enter it above, or create the "
           "workload with kubectl apply -f manifests/k8s/. The window updates as soon as it "
           "exists.")
            .arg(namespaceName));
}

} // namespace dashboard
