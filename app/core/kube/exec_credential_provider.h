#pragma once
// client-go credential plugins (client.authentication.k8s.io/v1 and v1beta1,
// plugin/pkg/client/auth/exec): run the user's command, read an ExecCredential from its
// stdout, cache it until its expirationTimestamp, and run it again after a 401. We are
// never interactive (no terminal): stdin is closed and spec.interactive is false.

#include "kube/rest_config.h"

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>
#include <utility>

namespace dashboard {

struct ExecPluginConfig {
    QString apiVersion; // client.authentication.k8s.io/v1 or /v1beta1
    QString command;    // a bare name (looked up) or a path (already absolute)
    QStringList args;
    QList<std::pair<QString, QString>> env; // added to the inherited environment
    QString interactiveMode;                // Never or IfAvailable (Always is rejected up front)
    bool provideClusterInfo = false;
    QString installHint;
    QString owner; // "user \"name\" in /path/config", for messages
};

// spec.cluster of KUBERNETES_EXEC_INFO (sent only with provideClusterInfo).
struct ExecClusterInfo {
    QString server;
    QByteArray certificateAuthorityPem;
    QString tlsServerName;
    bool insecureSkipTlsVerify = false;
    QString proxyUrl;
    bool disableCompression = false;
    QByteArray configJson; // the cluster's client.authentication.k8s.io/exec extension
};

class ExecCredentialProvider final : public CredentialProvider {
public:
    static constexpr std::chrono::milliseconds kDefaultTimeout{60000};
    static constexpr qsizetype kMaxStderrInMessage = 2000;

    // Checks what can be checked before running anything (apiVersion, command,
    // interactiveMode); errors name the owner.
    static rf::Result<std::shared_ptr<ExecCredentialProvider>>
    create(ExecPluginConfig config, ExecClusterInfo cluster, QProcessEnvironment environment,
           std::chrono::milliseconds timeout = kDefaultTimeout);

    ExecCredentialProvider(ExecPluginConfig config, ExecClusterInfo cluster,
                           QProcessEnvironment environment, std::chrono::milliseconds timeout);

    rf::Result<Credentials> get() override;
    bool invalidate() override;
    QString describe() const override;

    // The KUBERNETES_EXEC_INFO value the plugin receives.
    QByteArray execInfo() const;

private:
    rf::Result<Credentials> run() const;
    rf::Result<Credentials> parse(const QByteArray &stdoutBytes) const;
    QString failure(const QString &what) const;

    const ExecPluginConfig m_config;
    const ExecClusterInfo m_cluster;
    const QProcessEnvironment m_environment;
    const std::chrono::milliseconds m_timeout;

    QMutex m_runMutex;           // one plugin run at a time; never taken under m_stateMutex
    mutable QMutex m_stateMutex; // guards the cache below, held only briefly
    std::optional<Credentials> m_cached;
};

} // namespace dashboard
