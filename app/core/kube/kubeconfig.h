#pragma once
// kubeconfig loading exactly as kubectl does it (k8s-api-notes §9, clientcmd/loader.go):
// --kubeconfig (that file only, must exist), else the KUBECONFIG list merged (first file
// defining a named cluster/user/context wins the whole entry; first non-empty
// current-context), else ~/.kube/config. Relative paths resolve against the folder of the
// file that defined the entry. Errors name the file and what is wrong.

#include "kube/rest_config.h"

#include <rf/result.h>

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <memory>

namespace dashboard {

struct KubeconfigOptions {
    QString explicitPath;      // --kubeconfig
    QString contextOverride;   // --context
    QString namespaceOverride; // --namespace
    // The environment to read KUBECONFIG, HOME and KUBERNETES_SERVICE_* from (tests inject
    // their own); exec plugins inherit it.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
};

struct ContextInfo {
    QString name;
    QString cluster;
    QString user;
    QString namespaceName; // empty: "default"
};

class Kubeconfig final {
public:
    // Reads and merges the files; fails on a missing --kubeconfig file or malformed YAML
    // (file, line and column). An empty result (no file at all) is not an error here:
    // restConfig() then says there is no configuration.
    static rf::Result<Kubeconfig> load(const KubeconfigOptions &options);

    QStringList files() const;           // the files read, in precedence order
    QList<ContextInfo> contexts() const; // sorted by name
    QString currentContext() const;      // --context override, else current-context

    // The connection for `context` (empty: the current one): server, TLS, proxy,
    // impersonation and a CredentialProvider (token, tokenFile, basic, client certificate,
    // exec plugin). Errors: unknown context/cluster/user, missing certificate file,
    // insecure together with a CA, unsupported auth-provider, ...
    rf::Result<RestConfig> restConfig(const QString &context = {}) const;

    // In-cluster configuration (KUBERNETES_SERVICE_HOST/_PORT, the service account token
    // and CA under /var/run/secrets/kubernetes.io/serviceaccount, or `root` in tests).
    static rf::Result<RestConfig> inCluster(const QProcessEnvironment &environment,
                                            const QString &root = {});

    Kubeconfig();
    ~Kubeconfig();
    Kubeconfig(const Kubeconfig &);
    Kubeconfig &operator=(const Kubeconfig &);
    Kubeconfig(Kubeconfig &&) noexcept;
    Kubeconfig &operator=(Kubeconfig &&) noexcept;

private:
    struct Data;
    std::shared_ptr<const Data> m_data;
};

} // namespace dashboard
