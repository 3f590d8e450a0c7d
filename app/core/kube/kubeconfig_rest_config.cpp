// From a context to a RestConfig (clientcmd/client_config.go ClientConfig, validation.go,
// transport's TLS checks): which fields count, which combinations are errors, and the
// messages, each naming the entry and the file that defined it.

#include "kube/kubeconfig.h"

#include "kube/exec_credential_provider.h"
#include "kube/kubeconfig_internal.h"
#include "kube/user_credential_provider.h"

#include <QStringList>

namespace dashboard {

namespace {

using kubeconfig_model::Cluster;
using kubeconfig_model::User;

rf::Error error(const QString &message) {
    return rf::Error{message.toStdString()};
}

QString quotedList(const QStringList &names) {
    if (names.isEmpty()) {
        return QStringLiteral("none");
    }
    QStringList quoted;
    for (const QString &name : names) {
        quoted << QLatin1Char('"') + name + QLatin1Char('"');
    }
    return quoted.join(QStringLiteral(", "));
}

// A proxy URL may carry a password: messages show it without the user info.
QString withoutUserInfo(const QString &text) {
    QUrl url(text);
    if (!url.isValid() || url.userInfo().isEmpty()) {
        return text;
    }
    url.setUserInfo(QStringLiteral("***"));
    return url.toString();
}

rf::Result<QUrl> proxyUrl(const Cluster &cluster) {
    if (cluster.proxyUrl.isEmpty()) {
        return QUrl();
    }
    const QUrl url(cluster.proxyUrl, QUrl::StrictMode);
    const QString prefix = QStringLiteral("invalid proxy-url \"%1\" for cluster \"%2\" in %3: ")
                               .arg(withoutUserInfo(cluster.proxyUrl), cluster.name, cluster.file);
    if (!url.isValid() || url.host().isEmpty()) {
        return error(prefix + QStringLiteral("not a URL with a host"));
    }
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https") &&
        scheme != QLatin1String("socks5")) {
        return error(prefix + QStringLiteral("unsupported scheme \"%1\", must be http, https, or "
                                             "socks5")
                                  .arg(url.scheme()));
    }
    return url;
}

rf::Result<QUrl> serverUrl(const Cluster &cluster) {
    QString text = cluster.server.trimmed();
    if (text.isEmpty()) {
        return error(QStringLiteral("no server found for cluster \"%1\" in %2")
                         .arg(cluster.name, cluster.file));
    }
    if (!text.contains(QStringLiteral("://"))) {
        // rest.DefaultServerURL: a bare host:port is https only when TLS is configured.
        const bool tls = cluster.insecureSkipTlsVerify || !cluster.certificateAuthority.isEmpty() ||
                         !cluster.certificateAuthorityData.isEmpty();
        text.prepend(tls ? QStringLiteral("https://") : QStringLiteral("http://"));
    }
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http"))) {
        return error(QStringLiteral("invalid server \"%1\" for cluster \"%2\" in %3: expected "
                                    "https://host[:port][/path]")
                         .arg(cluster.server, cluster.name, cluster.file));
    }
    return url;
}

QString replacementFor(const QString &provider) {
    if (provider == QLatin1String("gcp")) {
        return QStringLiteral(
            "install gke-gcloud-auth-plugin (`gcloud components install "
            "gke-gcloud-auth-plugin`) and run `gcloud container clusters get-credentials "
            "CLUSTER` to rewrite this user as an exec plugin; see "
            "https://cloud.google.com/blog/products/containers-kubernetes/"
            "kubectl-auth-changes-in-gke");
    }
    if (provider == QLatin1String("azure")) {
        return QStringLiteral("install kubelogin (https://github.com/Azure/kubelogin) and run "
                              "`kubelogin convert-kubeconfig -l azurecli` to rewrite this user "
                              "as an exec plugin");
    }
    if (provider == QLatin1String("oidc")) {
        return QStringLiteral("use the kubelogin exec plugin (`kubectl oidc-login`, "
                              "https://github.com/int128/kubelogin) instead");
    }
    return QStringLiteral("use an exec credential plugin instead (users[].user.exec)");
}

rf::Error unsupportedAuthProvider(const User &user) {
    const QString &provider = user.authProvider;
    const bool removed = provider == QLatin1String("gcp") || provider == QLatin1String("azure");
    const QString why =
        removed ? QStringLiteral("the \"%1\" auth-provider was removed in kubectl 1.26 and is "
                                 "not supported")
                      .arg(provider)
                : QStringLiteral("the \"%1\" auth-provider is not supported (in-tree auth "
                                 "providers are deprecated since kubectl 1.26; "
                                 "forecast-dashboard supports exec plugins only)")
                      .arg(provider);
    return error(QStringLiteral("user \"%1\" in %2: %3: %4")
                     .arg(user.name, user.file, why, replacementFor(provider)));
}

QString owner(const User &user) {
    return QStringLiteral("user \"%1\" in %2").arg(user.name, user.file);
}

rf::Status checkUser(const User &user) {
    if (!user.authProvider.isEmpty()) {
        return unsupportedAuthProvider(user);
    }
    const bool token = !user.token.isEmpty() || !user.tokenFile.isEmpty();
    const bool basic = !user.username.isEmpty() || !user.password.isEmpty();
    if (token && basic) {
        return error(QStringLiteral("more than one authentication method found for %1; found "
                                    "[token basicAuth], only one is allowed")
                         .arg(owner(user)));
    }
    const bool certificate =
        !user.clientCertificate.isEmpty() || !user.clientCertificateData.isEmpty();
    const bool key = !user.clientKey.isEmpty() || !user.clientKeyData.isEmpty();
    if (certificate && !key) {
        return error(QStringLiteral("client-key-data or client-key must be specified for %1 to "
                                    "use the clientCert authentication method")
                         .arg(owner(user)));
    }
    if (key && !certificate) {
        return error(QStringLiteral("client-certificate-data or client-certificate must be "
                                    "specified for %1 to use the clientCert authentication "
                                    "method")
                         .arg(owner(user)));
    }
    if ((!user.impersonateGroups.isEmpty() || !user.impersonateExtra.isEmpty()) &&
        user.impersonate.isEmpty()) {
        return error(QStringLiteral("requesting groups or user-extra for %1 without "
                                    "impersonating a user")
                         .arg(owner(user)));
    }
    return rf::ok();
}

rf::Result<std::shared_ptr<CredentialProvider>>
credentialsFor(const User &user, const Cluster &cluster, const RestConfig &config,
               const QProcessEnvironment &environment) {
    const bool staticCredentials = !user.token.isEmpty() || !user.tokenFile.isEmpty() ||
                                   !user.username.isEmpty() || !user.password.isEmpty() ||
                                   !user.clientCertificate.isEmpty() ||
                                   !user.clientCertificateData.isEmpty();
    if (staticCredentials) {
        // client-go skips the exec plugin when the user also has a token, basic auth or a
        // client certificate.
        UserCredentialSpec spec;
        spec.token = user.token;
        spec.tokenFile = user.tokenFile;
        spec.username = user.username;
        spec.password = user.password;
        spec.clientCertificatePem = user.clientCertificateData;
        spec.clientCertificateFile = user.clientCertificate;
        spec.clientKeyPem = user.clientKeyData;
        spec.clientKeyFile = user.clientKey;
        spec.owner = owner(user);
        auto provider = UserCredentialProvider::create(std::move(spec));
        if (!provider.ok()) {
            return provider.error();
        }
        return std::shared_ptr<CredentialProvider>(provider.value());
    }
    if (!user.exec) {
        return std::shared_ptr<CredentialProvider>();
    }
    ExecPluginConfig exec = *user.exec;
    exec.owner = owner(user);
    ExecClusterInfo info;
    info.server = config.server.toString();
    info.certificateAuthorityPem = config.caPem;
    info.tlsServerName = config.tlsServerName;
    info.insecureSkipTlsVerify = config.insecureSkipTlsVerify;
    info.proxyUrl = cluster.proxyUrl;
    info.disableCompression = config.disableCompression;
    info.configJson = cluster.execExtensionJson;
    auto provider = ExecCredentialProvider::create(std::move(exec), std::move(info), environment);
    if (!provider.ok()) {
        return provider.error();
    }
    return std::shared_ptr<CredentialProvider>(provider.value());
}

} // namespace

rf::Result<RestConfig> Kubeconfig::restConfig(const QString &context) const {
    const auto &model = m_data->model;
    const QString files = m_data->filesForMessages();
    if (model.contexts.isEmpty() && model.clusters.isEmpty() && model.users.isEmpty()) {
        return error(QStringLiteral("no configuration has been provided: no kubeconfig with "
                                    "clusters and contexts in %1; set KUBECONFIG, pass "
                                    "--kubeconfig or create ~/.kube/config")
                         .arg(m_data->searched.join(QStringLiteral(", "))));
    }
    const QString name = context.isEmpty() ? currentContext() : context;
    if (name.isEmpty()) {
        return error(QStringLiteral("no context chosen: current-context is not set in %1; "
                                    "choose one of %2")
                         .arg(files, quotedList(model.contexts.keys())));
    }
    const auto ctx = model.contexts.constFind(name);
    if (ctx == model.contexts.constEnd()) {
        return error(QStringLiteral("context \"%1\" not found in %2 (contexts: %3)")
                         .arg(name, files, quotedList(model.contexts.keys())));
    }
    if (ctx->cluster.isEmpty()) {
        return error(QStringLiteral("cluster was not specified for context \"%1\" in %2")
                         .arg(name, ctx->file));
    }
    const auto cluster = model.clusters.constFind(ctx->cluster);
    if (cluster == model.clusters.constEnd()) {
        return error(QStringLiteral("cluster \"%1\" of context \"%2\" (%3) not found in %4")
                         .arg(ctx->cluster, name, ctx->file, files));
    }
    const User *user = nullptr;
    if (!ctx->user.isEmpty()) { // no user: anonymous, as kubectl
        const auto found = model.users.constFind(ctx->user);
        if (found == model.users.constEnd()) {
            return error(QStringLiteral("user \"%1\" of context \"%2\" (%3) not found in %4")
                             .arg(ctx->user, name, ctx->file, files));
        }
        user = &*found;
    }

    RestConfig config;
    config.contextName = name;
    config.clusterName = cluster->name;
    config.userName = ctx->user;
    config.sourceFile = ctx->file;
    config.namespaceName = !m_data->options.namespaceOverride.isEmpty()
                               ? m_data->options.namespaceOverride
                           : !ctx->namespaceName.isEmpty() ? ctx->namespaceName
                                                           : QStringLiteral("default");
    auto server = serverUrl(*cluster);
    if (!server.ok()) {
        return server.error();
    }
    config.server = server.value();
    auto proxy = proxyUrl(*cluster);
    if (!proxy.ok()) {
        return proxy.error();
    }
    config.proxyUrl = proxy.value();
    config.disableCompression = cluster->disableCompression;
    // kubectl reads TLS settings and credentials only for https servers: nothing secret is
    // ever sent in clear text.
    if (config.server.scheme().toLower() != QLatin1String("https")) {
        return config;
    }

    const bool hasCa =
        !cluster->certificateAuthorityData.isEmpty() || !cluster->certificateAuthority.isEmpty();
    if (cluster->insecureSkipTlsVerify && hasCa) {
        return error(QStringLiteral("cluster \"%1\" in %2: specifying a root certificates file "
                                    "with the insecure flag is not allowed")
                         .arg(cluster->name, cluster->file));
    }
    config.insecureSkipTlsVerify = cluster->insecureSkipTlsVerify;
    config.tlsServerName = cluster->tlsServerName;
    if (!cluster->certificateAuthorityData.isEmpty()) {
        config.caPem = cluster->certificateAuthorityData; // data wins over the file
    } else if (!cluster->certificateAuthority.isEmpty()) {
        auto ca = readCredentialFile(
            cluster->certificateAuthority, QStringLiteral("certificate-authority"),
            QStringLiteral("cluster \"%1\" in %2").arg(cluster->name, cluster->file));
        if (!ca.ok()) {
            return ca.error();
        }
        config.caPem = ca.value();
    }
    if (!user) {
        return config;
    }
    if (auto checked = checkUser(*user); !checked.ok()) {
        return checked.error();
    }
    config.impersonateUser = user->impersonate;
    config.impersonateUid = user->impersonateUid;
    config.impersonateGroups = user->impersonateGroups;
    config.impersonateExtra = user->impersonateExtra;
    auto credentials = credentialsFor(*user, *cluster, config, m_data->options.environment);
    if (!credentials.ok()) {
        return credentials.error();
    }
    config.credentials = credentials.value();
    return config;
}

} // namespace dashboard
