#pragma once
// Private to the kubeconfig loader: the merged entries as read from the files, paths
// already made absolute against the defining file's folder. Not a public interface.

#include "kube/exec_credential_provider.h"
#include "kube/kubeconfig.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace dashboard::kubeconfig_model {

struct Cluster {
    QString name;
    QString file; // where the entry was defined
    QString server;
    QString certificateAuthority;
    QByteArray certificateAuthorityData; // decoded
    bool insecureSkipTlsVerify = false;
    QString tlsServerName;
    QString proxyUrl;
    bool disableCompression = false;
    QByteArray execExtensionJson; // extensions[client.authentication.k8s.io/exec]
};

struct User {
    QString name;
    QString file;
    QString clientCertificate;
    QByteArray clientCertificateData;
    QString clientKey;
    QByteArray clientKeyData;
    QByteArray token;
    QString tokenFile;
    QString username;
    QByteArray password;
    QString impersonate;
    QString impersonateUid;
    QStringList impersonateGroups;
    QMap<QString, QStringList> impersonateExtra;
    std::optional<ExecPluginConfig> exec;
    QString authProvider; // its name; empty: none
};

struct Context {
    QString name;
    QString file;
    QString cluster;
    QString user;
    QString namespaceName;
};

struct Model {
    QStringList files;
    QMap<QString, Cluster> clusters;
    QMap<QString, User> users;
    QMap<QString, Context> contexts;
    QString currentContext; // from the files (first non-empty)
};

// Parses one file and merges it below what `model` already holds (first definition wins).
rf::Status mergeFile(Model &model, const QString &path, const QByteArray &text);

} // namespace dashboard::kubeconfig_model
