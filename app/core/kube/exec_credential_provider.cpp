#include "kube/exec_credential_provider.h"

#include "kube/credential_plugin_path.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutexLocker>
#include <QProcess>

namespace dashboard {

namespace {

const QString kV1 = QStringLiteral("client.authentication.k8s.io/v1");
const QString kV1beta1 = QStringLiteral("client.authentication.k8s.io/v1beta1");

// Shown when the command is missing, as kubectl does, followed by the kubeconfig's hint.
constexpr char kInstallHelp[] =
    "It looks like you are trying to use a client-go credential plugin that is not installed. "
    "To learn more about this feature, consult the documentation available at: "
    "https://kubernetes.io/docs/reference/access-authn-authz/authentication/"
    "#client-go-credential-plugins";

bool expired(const Credentials &credentials) {
    return credentials.expiry.isValid() && QDateTime::currentDateTimeUtc() > credentials.expiry;
}

QString boundedStderr(const QByteArray &raw) {
    QString text = QString::fromLocal8Bit(raw).trimmed();
    if (text.size() > ExecCredentialProvider::kMaxStderrInMessage) {
        // The end of stderr usually holds the actual error; keep that.
        text = QStringLiteral("...") + text.right(ExecCredentialProvider::kMaxStderrInMessage);
    }
    return text;
}

} // namespace

rf::Result<std::shared_ptr<ExecCredentialProvider>>
ExecCredentialProvider::create(ExecPluginConfig config, ExecClusterInfo cluster,
                               QProcessEnvironment environment, std::chrono::milliseconds timeout) {
    const QString owner = config.owner;
    if (config.command.isEmpty()) {
        return rf::fail(QStringLiteral("command must be specified for %1 to use exec "
                                       "authentication plugin")
                            .arg(owner)
                            .toStdString());
    }
    if (config.apiVersion.isEmpty()) {
        return rf::fail(QStringLiteral("apiVersion must be specified for %1 to use exec "
                                       "authentication plugin")
                            .arg(owner)
                            .toStdString());
    }
    if (config.apiVersion != kV1 && config.apiVersion != kV1beta1) {
        return rf::fail(QStringLiteral("exec plugin: invalid apiVersion \"%1\" for %2 (supported: "
                                       "%3, %4)")
                            .arg(config.apiVersion, owner, kV1, kV1beta1)
                            .toStdString());
    }
    for (const auto &[name, value] : config.env) {
        if (name.isEmpty()) {
            return rf::fail(QStringLiteral("env variable name must be specified for %1 to use "
                                           "exec authentication plugin")
                                .arg(owner)
                                .toStdString());
        }
    }
    // client-go defaults interactiveMode to IfAvailable for v1beta1 only; v1 requires it.
    if (config.interactiveMode.isEmpty() && config.apiVersion == kV1beta1) {
        config.interactiveMode = QStringLiteral("IfAvailable");
    }
    if (config.interactiveMode.isEmpty()) {
        return rf::fail(QStringLiteral("interactiveMode must be specified for %1 to use exec "
                                       "authentication plugin")
                            .arg(owner)
                            .toStdString());
    }
    if (config.interactiveMode == QLatin1String("Always")) {
        return rf::fail(QStringLiteral("exec plugin cannot support interactive mode: %1 sets "
                                       "interactiveMode: Always, but forecast-dashboard has no "
                                       "terminal to give the plugin; log in from a terminal "
                                       "first or use interactiveMode: IfAvailable")
                            .arg(owner)
                            .toStdString());
    }
    if (config.interactiveMode != QLatin1String("Never") &&
        config.interactiveMode != QLatin1String("IfAvailable")) {
        return rf::fail(QStringLiteral("invalid interactiveMode for %1: \"%2\" (Never, "
                                       "IfAvailable or Always)")
                            .arg(owner, config.interactiveMode)
                            .toStdString());
    }
    return std::make_shared<ExecCredentialProvider>(std::move(config), std::move(cluster),
                                                    std::move(environment), timeout);
}

ExecCredentialProvider::ExecCredentialProvider(ExecPluginConfig config, ExecClusterInfo cluster,
                                               QProcessEnvironment environment,
                                               std::chrono::milliseconds timeout)
    : m_config(std::move(config))
    , m_cluster(std::move(cluster))
    , m_environment(std::move(environment))
    , m_timeout(timeout) {}

rf::Result<Credentials> ExecCredentialProvider::get() {
    {
        QMutexLocker state(&m_stateMutex);
        if (m_cached && !expired(*m_cached)) {
            return *m_cached;
        }
    }
    // Callers queue here while one of them runs the plugin; the state lock stays free so
    // invalidate() and describe() never wait for a plugin.
    QMutexLocker running(&m_runMutex);
    {
        QMutexLocker state(&m_stateMutex);
        if (m_cached && !expired(*m_cached)) {
            return *m_cached; // refreshed by the caller we queued behind
        }
    }
    auto fresh = run();
    if (fresh.ok()) {
        QMutexLocker state(&m_stateMutex);
        m_cached = fresh.value();
    }
    return fresh;
}

bool ExecCredentialProvider::invalidate() {
    QMutexLocker state(&m_stateMutex);
    m_cached.reset();
    return true;
}

QString ExecCredentialProvider::describe() const {
    return QStringLiteral("exec plugin %1").arg(QFileInfo(m_config.command).fileName());
}

QString ExecCredentialProvider::failure(const QString &what) const {
    return QStringLiteral("getting credentials from the exec plugin of %1: %2")
        .arg(m_config.owner, what);
}

QByteArray ExecCredentialProvider::execInfo() const {
    QJsonObject spec{{QStringLiteral("interactive"), false}};
    if (m_config.provideClusterInfo) {
        QJsonObject cluster{{QStringLiteral("server"), m_cluster.server}};
        if (!m_cluster.tlsServerName.isEmpty()) {
            cluster.insert(QStringLiteral("tls-server-name"), m_cluster.tlsServerName);
        }
        if (m_cluster.insecureSkipTlsVerify) {
            cluster.insert(QStringLiteral("insecure-skip-tls-verify"), true);
        }
        if (!m_cluster.certificateAuthorityPem.isEmpty()) {
            cluster.insert(QStringLiteral("certificate-authority-data"),
                           QString::fromLatin1(m_cluster.certificateAuthorityPem.toBase64()));
        }
        if (!m_cluster.proxyUrl.isEmpty()) {
            cluster.insert(QStringLiteral("proxy-url"), m_cluster.proxyUrl);
        }
        if (m_cluster.disableCompression) {
            cluster.insert(QStringLiteral("disable-compression"), true);
        }
        if (!m_cluster.configJson.isEmpty()) {
            const QJsonDocument config = QJsonDocument::fromJson(m_cluster.configJson);
            cluster.insert(QStringLiteral("config"), config.isArray()
                                                         ? QJsonValue(config.array())
                                                         : QJsonValue(config.object()));
        }
        spec.insert(QStringLiteral("cluster"), cluster);
    }
    const QJsonObject info{{QStringLiteral("kind"), QStringLiteral("ExecCredential")},
                           {QStringLiteral("apiVersion"), m_config.apiVersion},
                           {QStringLiteral("spec"), spec}};
    return QJsonDocument(info).toJson(QJsonDocument::Compact);
}

rf::Result<Credentials> ExecCredentialProvider::run() const {
    const QStringList searchPath = CredentialPluginPath::searchPath(m_environment);
    const QString program = CredentialPluginPath::find(m_config.command, searchPath);
    if (program.isEmpty()) {
        QString message = QStringLiteral("exec: executable %1 not found").arg(m_config.command);
        if (!m_config.command.contains(QLatin1Char('/'))) {
            message += QStringLiteral(" (searched the login shell's PATH: %1)")
                           .arg(searchPath.join(QLatin1Char(':')));
        }
        message += QStringLiteral(". ") + QLatin1String(kInstallHelp);
        if (!m_config.installHint.trimmed().isEmpty()) {
            message += QStringLiteral("\n\n") + m_config.installHint.trimmed();
        }
        return rf::fail(failure(message).toStdString());
    }

    // The plugin inherits our environment with the login shell's PATH (so it finds its own
    // helpers, e.g. gcloud or python), then the kubeconfig's env, then the exec info.
    QProcessEnvironment environment = m_environment;
    environment.insert(QStringLiteral("PATH"), searchPath.join(QLatin1Char(':')));
    for (const auto &[name, value] : m_config.env) {
        environment.insert(name, value);
    }
    environment.insert(QStringLiteral("KUBERNETES_EXEC_INFO"), QString::fromUtf8(execInfo()));

    QProcess process;
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setProgram(program);
    process.setArguments(m_config.args);
    process.start();
    const int ms = static_cast<int>(m_timeout.count());
    if (!process.waitForStarted(ms)) {
        return rf::fail(failure(QStringLiteral("exec: %1: %2").arg(program, process.errorString()))
                            .toStdString());
    }
    if (!process.waitForFinished(ms)) {
        process.kill();
        process.waitForFinished(2000);
        QString message = QStringLiteral("exec: executable %1 did not finish within %2 s")
                              .arg(m_config.command)
                              .arg(m_timeout.count() / 1000.0);
        if (const QString err = boundedStderr(process.readAllStandardError()); !err.isEmpty()) {
            message += QStringLiteral(": ") + err;
        }
        return rf::fail(failure(message).toStdString());
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        QString message = process.exitStatus() == QProcess::NormalExit
                              ? QStringLiteral("exec: executable %1 failed with exit code %2")
                                    .arg(m_config.command)
                                    .arg(process.exitCode())
                              : QStringLiteral("exec: executable %1 crashed").arg(m_config.command);
        if (const QString err = boundedStderr(process.readAllStandardError()); !err.isEmpty()) {
            message += QStringLiteral(": ") + err;
        }
        return rf::fail(failure(message).toStdString());
    }
    return parse(process.readAllStandardOutput());
}

rf::Result<Credentials> ExecCredentialProvider::parse(const QByteArray &stdoutBytes) const {
    // Messages never quote stdout: it holds the secret.
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(stdoutBytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        const QString why =
            error.error != QJsonParseError::NoError
                ? QStringLiteral("%1 at offset %2").arg(error.errorString()).arg(error.offset)
                : QStringLiteral("not a JSON object");
        return rf::fail(failure(QStringLiteral("decoding stdout: %1").arg(why)).toStdString());
    }
    const QJsonObject root = document.object();
    const QString apiVersion = root.value(QStringLiteral("apiVersion")).toString();
    if (apiVersion.isEmpty() || root.value(QStringLiteral("kind")).toString().isEmpty()) {
        return rf::fail(
            failure(QStringLiteral("decoding stdout: the ExecCredential has no apiVersion or kind"))
                .toStdString());
    }
    if (apiVersion != m_config.apiVersion) {
        return rf::fail(failure(QStringLiteral("exec plugin is configured to use API version %1, "
                                               "plugin returned version %2")
                                    .arg(m_config.apiVersion, apiVersion))
                            .toStdString());
    }
    if (root.value(QStringLiteral("kind")).toString() != QLatin1String("ExecCredential")) {
        return rf::fail(failure(QStringLiteral("decoding stdout: expected kind ExecCredential, "
                                               "got %1")
                                    .arg(root.value(QStringLiteral("kind")).toString()))
                            .toStdString());
    }
    const QJsonValue statusValue = root.value(QStringLiteral("status"));
    if (!statusValue.isObject()) {
        return rf::fail(
            failure(QStringLiteral("exec plugin didn't return a status field")).toStdString());
    }
    const QJsonObject status = statusValue.toObject();
    Credentials credentials;
    credentials.bearerToken = status.value(QStringLiteral("token")).toString().toUtf8();
    credentials.clientCertificatePem =
        status.value(QStringLiteral("clientCertificateData")).toString().toUtf8();
    credentials.clientKeyPem = status.value(QStringLiteral("clientKeyData")).toString().toUtf8();
    if (credentials.bearerToken.isEmpty() && credentials.clientCertificatePem.isEmpty() &&
        credentials.clientKeyPem.isEmpty()) {
        return rf::fail(
            failure(QStringLiteral("exec plugin didn't return a token or cert/key pair"))
                .toStdString());
    }
    if (credentials.clientCertificatePem.isEmpty() != credentials.clientKeyPem.isEmpty()) {
        return rf::fail(
            failure(QStringLiteral("exec plugin returned only certificate or key, not both"))
                .toStdString());
    }
    const QString expiry = status.value(QStringLiteral("expirationTimestamp")).toString();
    if (!expiry.isEmpty()) {
        credentials.expiry = QDateTime::fromString(expiry, Qt::ISODateWithMs);
        if (!credentials.expiry.isValid()) {
            return rf::fail(failure(QStringLiteral("decoding stdout: invalid expirationTimestamp "
                                                   "\"%1\" (want RFC 3339)")
                                        .arg(expiry))
                                .toStdString());
        }
        credentials.expiry = credentials.expiry.toUTC();
    }
    return credentials;
}

} // namespace dashboard
