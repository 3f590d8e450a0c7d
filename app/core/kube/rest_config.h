#pragma once
// What a connection to one cluster needs, resolved from a kubeconfig context (or the
// in-cluster environment): the kubeconfig loader produces it, the HTTP engine and the
// Kubernetes client consume it. Values only; secrets live in memory and are never logged
// (describe() says what kind of credential without its value).

#include <rf/result.h>

#include <QByteArray>
#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace dashboard {

// What a request authenticates with at one moment.
struct Credentials {
    QByteArray bearerToken; // Authorization: Bearer ...
    QString username;       // basic auth (with password)
    QByteArray password;
    QByteArray clientCertificatePem; // client TLS (exec plugins may return these too)
    QByteArray clientKeyPem;
    QDateTime expiry; // invalid: does not expire
};

// Supplies credentials, caching them (exec plugins until expiry, tokenFile re-read at
// most every minute). get() may block (an exec plugin runs): call it from the network
// thread, never from the GUI thread. Thread-safe.
class CredentialProvider {
public:
    virtual ~CredentialProvider() = default;
    virtual rf::Result<Credentials> get() = 0;
    // The server said 401 with these credentials: the next get() fetches fresh ones
    // (an exec plugin runs again, a token file is re-read). Returns false when nothing can
    // change (a static token): the 401 is final.
    virtual bool invalidate() = 0;
    // For messages and logs, never the secret: "token", "token file /path",
    // "exec plugin gke-gcloud-auth-plugin", "client certificate".
    virtual QString describe() const = 0;
};

struct RestConfig {
    QString contextName;
    QString clusterName;
    QString userName;
    QString namespaceName = QStringLiteral("default"); // the context's namespace, else default
    QString sourceFile; // the kubeconfig file that defined the context (for messages)

    QUrl server;      // https://host:port[/prefix]
    QByteArray caPem; // empty: the system trust store
    bool insecureSkipTlsVerify = false;
    QString tlsServerName; // SNI and name checked in the server certificate
    QUrl proxyUrl;         // http://, https:// or socks5:// (sent to libcurl as socks5h)
    bool disableCompression = false;

    QString impersonateUser;
    QString impersonateUid;
    QStringList impersonateGroups;
    QMap<QString, QStringList> impersonateExtra;

    std::shared_ptr<CredentialProvider> credentials; // null: anonymous
};

} // namespace dashboard
