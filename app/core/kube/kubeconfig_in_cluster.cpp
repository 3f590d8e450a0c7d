// In-cluster configuration (client-go rest.InClusterConfig): the API server from the
// KUBERNETES_SERVICE_* variables, the pod's service account token (re-read, it rotates)
// and CA. `root` replaces the service account folder in tests.

#include "kube/kubeconfig.h"

#include "kube/user_credential_provider.h"

#include <QFile>
#include <QtDebug>

namespace dashboard {

namespace {

const QString kServiceAccountDir = QStringLiteral("/var/run/secrets/kubernetes.io/serviceaccount");

} // namespace

rf::Result<RestConfig> Kubeconfig::inCluster(const QProcessEnvironment &environment,
                                             const QString &root) {
    const QString host = environment.value(QStringLiteral("KUBERNETES_SERVICE_HOST"));
    const QString port = environment.value(QStringLiteral("KUBERNETES_SERVICE_PORT"));
    if (host.isEmpty() || port.isEmpty()) {
        return rf::fail("unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and "
                        "KUBERNETES_SERVICE_PORT must be defined");
    }
    const QString dir = root.isEmpty() ? kServiceAccountDir : root;
    // net.JoinHostPort: an IPv6 literal goes in brackets.
    const QString authority = host.contains(QLatin1Char(':')) && !host.startsWith(QLatin1Char('['))
                                  ? QStringLiteral("[%1]:%2").arg(host, port)
                                  : QStringLiteral("%1:%2").arg(host, port);
    RestConfig config;
    config.server = QUrl(QStringLiteral("https://") + authority, QUrl::StrictMode);
    if (!config.server.isValid() || config.server.host().isEmpty()) {
        return rf::fail(QStringLiteral("unable to load in-cluster configuration: invalid "
                                       "KUBERNETES_SERVICE_HOST/_PORT \"%1\"")
                            .arg(authority)
                            .toStdString());
    }
    config.contextName = QStringLiteral("in-cluster");
    config.clusterName = QStringLiteral("in-cluster");
    config.userName = QStringLiteral("service account");
    config.sourceFile = dir;

    UserCredentialSpec spec;
    spec.tokenFile = dir + QStringLiteral("/token");
    spec.owner = QStringLiteral("the in-cluster service account");
    auto credentials = UserCredentialProvider::create(std::move(spec));
    if (!credentials.ok()) {
        return rf::fail("unable to load in-cluster configuration: " + credentials.message());
    }
    config.credentials = credentials.value();

    QFile ca(dir + QStringLiteral("/ca.crt"));
    if (ca.open(QIODevice::ReadOnly)) {
        config.caPem = ca.readAll();
    } else {
        // client-go logs this and goes on with the system trust store.
        qWarning("in-cluster configuration: cannot read %s (%s); using the system CAs",
                 qPrintable(ca.fileName()), qPrintable(ca.errorString()));
    }

    // The namespace as kubectl's in-cluster config finds it: POD_NAMESPACE, then the
    // service account's namespace file.
    config.namespaceName = environment.value(QStringLiteral("POD_NAMESPACE"));
    if (config.namespaceName.isEmpty()) {
        QFile ns(dir + QStringLiteral("/namespace"));
        if (ns.open(QIODevice::ReadOnly)) {
            config.namespaceName = QString::fromUtf8(ns.readAll()).trimmed();
        }
    }
    if (config.namespaceName.isEmpty()) {
        config.namespaceName = QStringLiteral("default");
    }
    return config;
}

} // namespace dashboard
