// Every way a kubeconfig can be wrong, and what the user is told: the file, the entry and
// what is wrong, never a secret (fixtures mark every secret with "SECRET").

#include "test_kubeconfig_helpers.h"

#include "kube/kubeconfig.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dashboard;
using namespace kubeconfig_test;

class TestKubeconfigErrors final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;

    // The error from loading the fixture or, when it loads, from its restConfig().
    QString errorFor(const QString &file, const QString &context = {}) {
        auto config = Kubeconfig::load(explicitFile(file, m_home.path()));
        if (!config.ok()) {
            return QString::fromStdString(config.message());
        }
        auto rest = config->restConfig(context);
        if (!rest.ok()) {
            return QString::fromStdString(rest.message());
        }
        if (rest->credentials) {
            auto credentials = rest->credentials->get();
            if (!credentials.ok()) {
                return QString::fromStdString(credentials.message());
            }
        }
        return {};
    }

private Q_SLOTS:
    void errorsSayWhatAndWhere_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QStringList>("expected");
        auto row = [](const char *name, const char *file, QStringList expected,
                      const char *context = "") {
            QTest::newRow(name) << fixture(QStringLiteral("errors/") + QLatin1String(file))
                                << QString::fromLatin1(context) << expected;
        };
        row("malformed YAML: line and column", "malformed.yaml",
            {"malformed.yaml", "line 13, column 9", "error loading kubeconfig",
             "end of sequence flow not found"});
        row("wrong type: line and column of the value", "wrong-type.yaml",
            {"wrong-type.yaml", "line 8, column 31", "insecure-skip-tls-verify",
             "expected true or false"});
        row("CA data that is not base64", "bad-base64.yaml",
            {"bad-base64.yaml", "line 8", "certificate-authority-data", "not valid base64"});
        row("not a mapping", "not-a-mapping.yaml", {"not-a-mapping.yaml", "line 1, column 1"});
        row("unknown current context", "unknown-context.yaml",
            {"context \"nope\" not found in", "unknown-context.yaml", "\"main\""});
        row("unknown --context", "unknown-context.yaml",
            {"context \"typo\" not found in", "unknown-context.yaml"}, "typo");
        row("no contexts at all", "no-contexts.yaml",
            {"context \"main\" not found in", "no-contexts.yaml", "contexts: none"});
        row("unknown cluster", "unknown-cluster.yaml",
            {"cluster \"missing-cluster\"", "context \"main\"", "not found in",
             "unknown-cluster.yaml"});
        row("unknown user", "unknown-user.yaml",
            {"user \"missing-user\"", "context \"main\"", "not found in", "unknown-user.yaml"});
        row("missing certificate-authority file", "missing-ca-file.yaml",
            {"unable to read certificate-authority", "errors/no-such-ca.pem", "cluster \"main\"",
             "missing-ca-file.yaml", "No such file"});
        row("missing client-certificate file", "missing-client-certificate.yaml",
            {"unable to read client-certificate", "errors/no-such-client.crt", "user \"main\"",
             "missing-client-certificate.yaml"});
        row("missing client-key file", "missing-client-key.yaml",
            {"unable to read client-key", "errors/no-such-client.key", "user \"main\""});
        row("missing tokenFile", "missing-token-file.yaml",
            {"unable to read tokenFile", "errors/no-such-token", "user \"main\""});
        row("empty server", "empty-server.yaml",
            {"no server found for cluster \"main\"", "empty-server.yaml"});
        row("insecure together with CA data", "insecure-with-ca-data.yaml",
            {"specifying a root certificates file with the insecure flag is not allowed",
             "cluster \"main\"", "insecure-with-ca-data.yaml"});
        row("insecure together with a CA file", "insecure-with-ca-file.yaml",
            {"specifying a root certificates file with the insecure flag is not allowed"});
        row("auth-provider gcp", "auth-provider-gcp.yaml",
            {"\"gcp\" auth-provider", "removed in kubectl 1.26", "gke-gcloud-auth-plugin",
             "user \"main\"", "auth-provider-gcp.yaml"});
        row("auth-provider azure", "auth-provider-azure.yaml",
            {"\"azure\" auth-provider", "removed in kubectl 1.26", "kubelogin"});
        row("auth-provider oidc", "auth-provider-oidc.yaml",
            {"\"oidc\" auth-provider is not supported", "1.26", "kubelogin", "oidc-login"});
        row("token and basic auth together", "token-and-basic.yaml",
            {"more than one authentication method found for user \"main\"", "[token basicAuth]"});
        row("client certificate without key", "certificate-without-key.yaml",
            {"client-key-data or client-key must be specified for user \"main\""});
        row("proxy-url scheme", "proxy-scheme.yaml",
            {"invalid proxy-url", "unsupported scheme \"ftp\"", "must be http, https, or socks5",
             "proxy-scheme.yaml"});
        row("impersonated groups without a user", "groups-without-user.yaml",
            {"requesting groups or user-extra for user \"main\"", "without impersonating"});
        row("exec interactiveMode Always", "exec-interactive-always.yaml",
            {"interactive", "Always", "user \"main\"", "no terminal"});
        row("exec v1 without interactiveMode", "exec-v1-without-interactive-mode.yaml",
            {"interactiveMode must be specified for user \"main\""});
        row("exec apiVersion v1alpha1", "exec-bad-api-version.yaml",
            {"invalid apiVersion \"client.authentication.k8s.io/v1alpha1\""});
    }
    void errorsSayWhatAndWhere() {
        QFETCH(QString, file);
        QFETCH(QString, context);
        QFETCH(QStringList, expected);
        const QString message = errorFor(file, context);
        QVERIFY2(!message.isEmpty(), "expected an error");
        for (const QString &part : expected) {
            QVERIFY2(message.contains(part),
                     qPrintable(QStringLiteral("missing \"%1\" in: %2").arg(part, message)));
        }
        QVERIFY2(!message.contains(QStringLiteral("SECRET")), qPrintable(message));
    }

    void errorFileIsReportedEvenLaterInTheList() {
        KubeconfigOptions options;
        options.environment = cleanEnvironment(m_home.path());
        options.environment.insert(QStringLiteral("KUBECONFIG"),
                                   fixture("merge/first/config") + QLatin1Char(':') +
                                       fixture("errors/malformed.yaml"));
        auto config = Kubeconfig::load(options);
        QVERIFY(!config.ok());
        QVERIFY(
            QString::fromStdString(config.message()).contains(QStringLiteral("malformed.yaml")));
    }

    void directoryInsteadOfFile() {
        auto config = Kubeconfig::load(explicitFile(m_home.path(), m_home.path()));
        QVERIFY(!config.ok());
        QVERIFY(QString::fromStdString(config.message()).contains(QStringLiteral("directory")));
    }

    void noCurrentContextListsTheChoices() {
        auto config = Kubeconfig::load(explicitFile(fixture("merge/first/config"), m_home.path()));
        QVERIFY(config.ok());
        auto rest = config->restConfig();
        QVERIFY(!rest.ok());
        const QString message = QString::fromStdString(rest.message());
        QVERIFY2(message.contains(QStringLiteral("current-context is not set")),
                 qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("\"first\", \"shared\"")));
    }

    void describeNeverShowsTheSecret() {
        auto config =
            Kubeconfig::load(explicitFile(fixture("errors/unknown-context.yaml"), m_home.path()));
        QVERIFY(config.ok());
        auto rest = config->restConfig(QStringLiteral("main"));
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QCOMPARE(rest->credentials->describe(), QStringLiteral("token"));
    }
};

QTEST_GUILESS_MAIN(TestKubeconfigErrors)
#include "test_kubeconfig_errors.moc"
