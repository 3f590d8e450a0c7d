// What a context turns into: server, TLS, proxy, impersonation and credentials, and the
// credential providers' caching (token file re-read, 401 invalidation).

#include "test_kubeconfig_helpers.h"

#include "kube/kubeconfig.h"
#include "kube/user_credential_provider.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace dashboard;
using namespace kubeconfig_test;

namespace {

const QByteArray kDataCa = "-----BEGIN CERTIFICATE-----\nDATA-CA\n-----END CERTIFICATE-----\n";

} // namespace

class TestKubeconfigRestConfig final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;

    rf::Result<RestConfig> fields(const QString &context) {
        auto config = Kubeconfig::load(explicitFile(fixture("fields/config"), m_home.path()));
        if (!config.ok()) {
            return config.error();
        }
        return config->restConfig(context);
    }

private Q_SLOTS:
    void everyClusterField() {
        auto rest = fields(QStringLiteral("everything"));
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QCOMPARE(rest->contextName, QStringLiteral("everything"));
        QCOMPARE(rest->clusterName, QStringLiteral("everything"));
        QCOMPARE(rest->userName, QStringLiteral("impersonating"));
        QCOMPARE(rest->namespaceName, QStringLiteral("shop"));
        QCOMPARE(rest->server, QUrl(QStringLiteral("https://api.example.com:6443/prefix")));
        QCOMPARE(rest->caPem, kDataCa); // data wins; the (missing) file is not even read
        QVERIFY(!rest->insecureSkipTlsVerify);
        QCOMPARE(rest->tlsServerName, QStringLiteral("kubernetes.default.svc"));
        QCOMPARE(rest->proxyUrl, QUrl(QStringLiteral("socks5://proxy.example:1080")));
        QVERIFY(rest->disableCompression);
    }

    void impersonation() {
        auto rest = fields(QStringLiteral("everything"));
        QVERIFY(rest.ok());
        QCOMPARE(rest->impersonateUser, QStringLiteral("jane"));
        QCOMPARE(rest->impersonateUid, QStringLiteral("1234"));
        QCOMPARE(rest->impersonateGroups, QStringList({"developers", "oncall"}));
        QCOMPARE(rest->impersonateExtra.value(QStringLiteral("scopes")),
                 QStringList({"view", "edit"}));
        QCOMPARE(rest->impersonateExtra.value(QStringLiteral("reason")),
                 QStringList({"debugging"}));
    }

    void proxySchemes_data() {
        QTest::addColumn<QString>("context");
        QTest::addColumn<QUrl>("proxy");
        QTest::newRow("socks5") << "everything" << QUrl("socks5://proxy.example:1080");
        QTest::newRow("http") << "insecure" << QUrl("http://proxy.example:3128");
        QTest::newRow("https") << "https-proxy" << QUrl("https://proxy.example:8443");
    }
    void proxySchemes() {
        QFETCH(QString, context);
        QFETCH(QUrl, proxy);
        auto rest = fields(context);
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QCOMPARE(rest->proxyUrl, proxy);
    }

    void insecureAndBasicAuth() {
        auto rest = fields(QStringLiteral("insecure"));
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QVERIFY(rest->insecureSkipTlsVerify);
        QVERIFY(rest->caPem.isEmpty());
        auto credentials = rest->credentials->get();
        QVERIFY(credentials.ok());
        QCOMPARE(credentials->username, QStringLiteral("admin"));
        QCOMPARE(credentials->password, QByteArray("SECRET-password"));
        QVERIFY(credentials->bearerToken.isEmpty());
        QCOMPARE(rest->credentials->describe(), QStringLiteral("basic auth as \"admin\""));
        QVERIFY(!rest->credentials->invalidate()); // nothing can change: the 401 is final
    }

    void clientCertificateDataWithToken() {
        auto rest = fields(QStringLiteral("bare-host"));
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        // A bare host:port with TLS settings is https, as rest.DefaultServerURL decides.
        QCOMPARE(rest->server, QUrl(QStringLiteral("https://10.0.0.2:6443")));
        auto credentials = rest->credentials->get();
        QVERIFY(credentials.ok());
        QVERIFY(credentials->clientCertificatePem.contains("DATA-CLIENT-CERT"));
        QVERIFY(credentials->clientKeyPem.contains("SECRET-KEY"));
        QCOMPARE(credentials->bearerToken, QByteArray("SECRET-with-certificate"));
        QVERIFY(!credentials->expiry.isValid());
        const QString describe = rest->credentials->describe();
        QCOMPARE(describe, QStringLiteral("token, client certificate"));
    }

    void staticCredentialsWinOverExec() {
        auto rest = fields(QStringLiteral("https-proxy"));
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        auto credentials = rest->credentials->get();
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : credentials.message().c_str());
        QCOMPARE(credentials->bearerToken, QByteArray("SECRET-static"));
    }

    void noCredentialsOverPlainHttp() {
        // kubectl reads TLS settings and credentials only for https servers.
        auto rest = fields(QStringLiteral("plain-http"));
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QCOMPARE(rest->server.scheme(), QStringLiteral("http"));
        QVERIFY(!rest->credentials);
        QVERIFY(rest->caPem.isEmpty());
        QVERIFY(rest->impersonateUser.isEmpty());
    }

    void anonymousUsers_data() {
        QTest::addColumn<QString>("context");
        QTest::newRow("user without fields") << "anonymous";
        QTest::newRow("context without user") << "no-user";
    }
    void anonymousUsers() {
        QFETCH(QString, context);
        auto rest = fields(context);
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QVERIFY(!rest->credentials);
    }

    void tokenFileIsReReadEveryMinuteAndAfterA401() {
        QTemporaryDir dir;
        const QString tokenFile = dir.filePath(QStringLiteral("token"));
        writeFile(tokenFile, "first\n");
        auto now = std::chrono::steady_clock::now();
        UserCredentialSpec spec;
        spec.tokenFile = tokenFile;
        spec.owner = QStringLiteral("user \"u\" in test");
        auto provider = UserCredentialProvider::create(spec, [&] { return now; });
        QVERIFY(provider.ok());
        auto &p = *provider.value();
        QCOMPARE(p.get()->bearerToken, QByteArray("first")); // trimmed

        writeFile(tokenFile, "second");
        now += std::chrono::seconds(30);
        QCOMPARE(p.get()->bearerToken, QByteArray("first")); // within the minute: cached
        now += std::chrono::seconds(31);
        QCOMPARE(p.get()->bearerToken, QByteArray("second"));

        writeFile(tokenFile, "third");
        QVERIFY(p.invalidate()); // a 401: read again right away
        QCOMPARE(p.get()->bearerToken, QByteArray("third"));

        // A rotation in progress (file briefly gone) keeps the token we have.
        QFile::remove(tokenFile);
        now += std::chrono::seconds(61);
        // The log names the file, never the token.
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("unable to read tokenFile .*/token"
                                                               ".*keeping the previous token$")));
        auto kept = p.get();
        QVERIFY(kept.ok());
        QCOMPARE(kept->bearerToken, QByteArray("third"));
        QCOMPARE(p.describe(), QStringLiteral("token file %1").arg(tokenFile));
    }

    void staticTokenCannotBeRefreshed() {
        UserCredentialSpec spec;
        spec.token = "SECRET-static";
        auto provider = UserCredentialProvider::create(spec);
        QVERIFY(provider.ok());
        QVERIFY(!provider.value()->invalidate());
        QCOMPARE(provider.value()->describe(), QStringLiteral("token"));
    }

    void clientCertificateFilesAreReReadAfterA401() {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("c.crt")), "cert-1");
        writeFile(dir.filePath(QStringLiteral("c.key")), "key-1");
        UserCredentialSpec spec;
        spec.clientCertificateFile = dir.filePath(QStringLiteral("c.crt"));
        spec.clientKeyFile = dir.filePath(QStringLiteral("c.key"));
        auto provider = UserCredentialProvider::create(spec);
        QVERIFY(provider.ok());
        QCOMPARE(provider.value()->get()->clientCertificatePem, QByteArray("cert-1"));
        writeFile(dir.filePath(QStringLiteral("c.crt")), "cert-2");
        writeFile(dir.filePath(QStringLiteral("c.key")), "key-2");
        QVERIFY(provider.value()->invalidate());
        auto credentials = provider.value()->get();
        QCOMPARE(credentials->clientCertificatePem, QByteArray("cert-2"));
        QCOMPARE(credentials->clientKeyPem, QByteArray("key-2"));
    }

    void inCluster_data() {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QUrl>("server");
        QTest::newRow("IPv4") << "10.96.0.1"
                              << "443" << QUrl("https://10.96.0.1:443");
        QTest::newRow("IPv6 is bracketed") << "fd00:10:96::1"
                                           << "6443" << QUrl("https://[fd00:10:96::1]:6443");
        QTest::newRow("DNS name") << "kubernetes.default.svc"
                                  << "443" << QUrl("https://kubernetes.default.svc:443");
    }
    void inCluster() {
        QFETCH(QString, host);
        QFETCH(QString, port);
        QFETCH(QUrl, server);
        QTemporaryDir root;
        writeFile(root.filePath(QStringLiteral("token")), "sa-token-1\n");
        writeFile(root.filePath(QStringLiteral("ca.crt")), kDataCa);
        writeFile(root.filePath(QStringLiteral("namespace")), "payments");
        QProcessEnvironment environment = cleanEnvironment(m_home.path());
        environment.insert(QStringLiteral("KUBERNETES_SERVICE_HOST"), host);
        environment.insert(QStringLiteral("KUBERNETES_SERVICE_PORT"), port);
        auto rest = Kubeconfig::inCluster(environment, root.path());
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QCOMPARE(rest->server, server);
        QCOMPARE(rest->caPem, kDataCa);
        QCOMPARE(rest->namespaceName, QStringLiteral("payments"));
        QCOMPARE(rest->credentials->get()->bearerToken, QByteArray("sa-token-1"));
        // The kubelet rotates the projected token: a 401 makes us read it again.
        writeFile(root.filePath(QStringLiteral("token")), "sa-token-2\n");
        QVERIFY(rest->credentials->invalidate());
        QCOMPARE(rest->credentials->get()->bearerToken, QByteArray("sa-token-2"));
    }

    void inClusterNeedsTheServiceVariables() {
        auto rest = Kubeconfig::inCluster(cleanEnvironment(m_home.path()), m_home.path());
        QVERIFY(!rest.ok());
        QVERIFY(QString::fromStdString(rest.message())
                    .contains(QStringLiteral("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT "
                                             "must be defined")));
    }

    void inClusterNeedsTheToken() {
        QTemporaryDir root;
        QProcessEnvironment environment = cleanEnvironment(m_home.path());
        environment.insert(QStringLiteral("KUBERNETES_SERVICE_HOST"), QStringLiteral("10.0.0.1"));
        environment.insert(QStringLiteral("KUBERNETES_SERVICE_PORT"), QStringLiteral("443"));
        auto rest = Kubeconfig::inCluster(environment, root.path());
        QVERIFY(!rest.ok());
        QVERIFY2(QString::fromStdString(rest.message()).contains(root.filePath("token")),
                 rest.message().c_str());
    }

    void inClusterNamespaceFromPodNamespace() {
        QTemporaryDir root;
        writeFile(root.filePath(QStringLiteral("token")), "t");
        QProcessEnvironment environment = cleanEnvironment(m_home.path());
        environment.insert(QStringLiteral("KUBERNETES_SERVICE_HOST"), QStringLiteral("10.0.0.1"));
        environment.insert(QStringLiteral("KUBERNETES_SERVICE_PORT"), QStringLiteral("443"));
        environment.insert(QStringLiteral("POD_NAMESPACE"), QStringLiteral("from-env"));
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("cannot read .*/ca.crt")));
        auto rest = Kubeconfig::inCluster(environment, root.path());
        QVERIFY(rest.ok());
        QCOMPARE(rest->namespaceName, QStringLiteral("from-env"));
        QVERIFY(rest->caPem.isEmpty()); // no ca.crt: the system trust store, as client-go
    }
};

QTEST_GUILESS_MAIN(TestKubeconfigRestConfig)
#include "test_kubeconfig_rest_config.moc"
