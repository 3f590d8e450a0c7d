// Which files are read, how they merge, and how relative paths resolve: kubectl's
// loading rules (clientcmd/loader.go) as a specification.

#include "test_kubeconfig_helpers.h"

#include "kube/kubeconfig.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dashboard;
using namespace kubeconfig_test;

class TestKubeconfigLoading final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;

    KubeconfigOptions withKubeconfigList(const QStringList &files) const {
        KubeconfigOptions options;
        options.environment = cleanEnvironment(m_home.path());
        options.environment.insert(QStringLiteral("KUBECONFIG"), files.join(QLatin1Char(':')));
        return options;
    }

private Q_SLOTS:
    void firstFileWinsWholeEntries() {
        auto config = Kubeconfig::load(
            withKubeconfigList({fixture("merge/first/config"), fixture("merge/second/config")}));
        QVERIFY2(config.ok(), config.ok() ? "" : config.message().c_str());
        auto rest = config->restConfig(QStringLiteral("shared"));
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QCOMPARE(rest->server, QUrl(QStringLiteral("https://first.example:6443")));
        QCOMPARE(rest->namespaceName, QStringLiteral("from-first"));
        // The second file's fields for the same cluster never merge in.
        QVERIFY(rest->tlsServerName.isEmpty());
        QVERIFY(rest->caPem.isEmpty());
        QCOMPARE(rest->credentials->get()->bearerToken, QByteArray("first-token"));
        QCOMPARE(rest->sourceFile, fixture("merge/first/config"));
    }

    void entriesOnlyInLaterFilesAreMerged() {
        auto config = Kubeconfig::load(
            withKubeconfigList({fixture("merge/first/config"), fixture("merge/second/config")}));
        QVERIFY(config.ok());
        QStringList names;
        for (const ContextInfo &context : config->contexts()) {
            names << context.name;
        }
        QCOMPARE(names, QStringList({"first", "second", "shared"})); // sorted by name
        QCOMPARE(config->files(),
                 QStringList({fixture("merge/first/config"), fixture("merge/second/config")}));
    }

    void firstNonEmptyCurrentContextWins() {
        auto config = Kubeconfig::load(
            withKubeconfigList({fixture("merge/first/config"), fixture("merge/second/config")}));
        QVERIFY(config.ok());
        // The first file has current-context: "" so the second file's value counts.
        QCOMPARE(config->currentContext(), QStringLiteral("second"));
        auto rest = config->restConfig();
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QCOMPARE(rest->contextName, QStringLiteral("second"));
        QCOMPARE(rest->namespaceName, QStringLiteral("team-b"));
    }

    void orderOfTheListDecides() {
        auto config = Kubeconfig::load(
            withKubeconfigList({fixture("merge/second/config"), fixture("merge/first/config")}));
        QVERIFY(config.ok());
        auto rest = config->restConfig(QStringLiteral("shared"));
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QCOMPARE(rest->server, QUrl(QStringLiteral("https://second.example:6443")));
        QCOMPARE(rest->tlsServerName, QStringLiteral("second-name"));
        QCOMPARE(rest->credentials->get()->bearerToken, QByteArray("second-token"));
    }

    void missingListEntriesAndDuplicatesAreSkipped() {
        const QString missing = m_home.filePath(QStringLiteral("does-not-exist"));
        auto config = Kubeconfig::load(
            withKubeconfigList({missing, fixture("merge/first/config"), QString(),
                                fixture("merge/first/config"), fixture("merge/second/config")}));
        QVERIFY2(config.ok(), config.ok() ? "" : config.message().c_str());
        QCOMPARE(config->files(),
                 QStringList({fixture("merge/first/config"), fixture("merge/second/config")}));
    }

    void explicitFileIsTheOnlyFileRead() {
        KubeconfigOptions options = withKubeconfigList({fixture("merge/first/config")}); // ignored
        options.explicitPath = fixture("merge/second/config");
        auto config = Kubeconfig::load(options);
        QVERIFY(config.ok());
        QCOMPARE(config->files(), QStringList({fixture("merge/second/config")}));
        auto rest = config->restConfig(QStringLiteral("shared"));
        QVERIFY(rest.ok());
        QCOMPARE(rest->server, QUrl(QStringLiteral("https://second.example:6443")));
    }

    void explicitFileMustExist() {
        const QString missing = m_home.filePath(QStringLiteral("nope/config"));
        auto config = Kubeconfig::load(explicitFile(missing, m_home.path()));
        QVERIFY(!config.ok());
        QVERIFY2(QString::fromStdString(config.message()).contains(missing),
                 config.message().c_str());
        QVERIFY(
            QString::fromStdString(config.message()).contains(QStringLiteral("does not exist")));
    }

    void homeConfigIsTheDefault() {
        QTemporaryDir home;
        writeFile(home.filePath(QStringLiteral(".kube/config")),
                  readFile(fixture("merge/second/config")));
        KubeconfigOptions options;
        options.environment = cleanEnvironment(home.path());
        auto config = Kubeconfig::load(options);
        QVERIFY(config.ok());
        QCOMPARE(config->files(), QStringList({home.filePath(QStringLiteral(".kube/config"))}));
        QCOMPARE(config->currentContext(), QStringLiteral("second"));
    }

    void noFileAtAllLoadsButHasNoConfiguration() {
        QTemporaryDir home;
        KubeconfigOptions options;
        options.environment = cleanEnvironment(home.path());
        auto config = Kubeconfig::load(options);
        QVERIFY(config.ok());
        QVERIFY(config->files().isEmpty());
        auto rest = config->restConfig();
        QVERIFY(!rest.ok());
        const QString message = QString::fromStdString(rest.message());
        QVERIFY2(message.contains(QStringLiteral("no configuration has been provided")),
                 rest.message().c_str());
        QVERIFY(message.contains(home.filePath(QStringLiteral(".kube/config"))));
    }

    void emptyFileIsAnEmptyConfig() {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("empty")), "");
        auto config = Kubeconfig::load(withKubeconfigList(
            {dir.filePath(QStringLiteral("empty")), fixture("merge/second/config")}));
        QVERIFY(config.ok());
        QCOMPARE(config->files().size(), 2);
        QCOMPARE(config->currentContext(), QStringLiteral("second"));
    }

    void contextAndNamespaceOverrides() {
        KubeconfigOptions options = withKubeconfigList({fixture("merge/second/config")});
        options.contextOverride = QStringLiteral("shared");
        options.namespaceOverride = QStringLiteral("override-ns");
        auto config = Kubeconfig::load(options);
        QVERIFY(config.ok());
        QCOMPARE(config->currentContext(), QStringLiteral("shared"));
        auto rest = config->restConfig();
        QVERIFY(rest.ok());
        QCOMPARE(rest->contextName, QStringLiteral("shared"));
        QCOMPARE(rest->namespaceName, QStringLiteral("override-ns"));
    }

    void contextWithoutNamespaceUsesDefault() {
        auto config = Kubeconfig::load(withKubeconfigList({fixture("merge/first/config")}));
        QVERIFY(config.ok());
        const QList<ContextInfo> contexts = config->contexts();
        QCOMPARE(contexts.first().name, QStringLiteral("first"));
        QVERIFY(contexts.first().namespaceName.isEmpty());
        auto rest = config->restConfig(QStringLiteral("first"));
        QVERIFY(rest.ok());
        QCOMPARE(rest->namespaceName, QStringLiteral("default"));
    }

    // Paths resolve against the folder of the file that defined the entry, even when it
    // is not the first file and the working directory is elsewhere.
    void relativePathsResolveAgainstTheDefiningFile_data() {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QByteArray>("ca");
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QByteArray>("certificate");
        QTest::newRow("certificate-authority, client certificate and key")
            << "relative/config"
            << "certs" << readFile(fixture("relative/certs/ca.pem")) << QByteArray()
            << readFile(fixture("relative/certs/client.crt"));
        QTest::newRow("tokenFile, with ./ and .. in the CA path")
            << "relative/config"
            << "token-file" << readFile(fixture("relative/certs/ca.pem"))
            << QByteArray("relative-file-token") << QByteArray();
        QTest::newRow("exec command containing a slash")
            << "relative/config"
            << "plugin" << readFile(fixture("relative/certs/ca.pem"))
            << QByteArray("relative-plugin-token") << QByteArray();
        QTest::newRow("entry defined by the second file of the list")
            << "merge/second/config"
            << "second" << readFile(fixture("merge/second/certs/ca.pem")) << QByteArray()
            << readFile(fixture("merge/second/certs/client.crt"));
    }
    void relativePathsResolveAgainstTheDefiningFile() {
        QFETCH(QString, config);
        QFETCH(QString, context);
        QFETCH(QByteArray, ca);
        QFETCH(QByteArray, token);
        QFETCH(QByteArray, certificate);
        const QString before = QDir::currentPath();
        QDir::setCurrent(m_home.path());
        auto loaded =
            Kubeconfig::load(withKubeconfigList({fixture("merge/first/config"), fixture(config)}));
        QDir::setCurrent(before);
        QVERIFY(loaded.ok());
        auto rest = loaded->restConfig(context);
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QCOMPARE(rest->caPem, ca);
        QVERIFY(rest->credentials);
        auto credentials = rest->credentials->get();
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : credentials.message().c_str());
        QCOMPARE(credentials->bearerToken, token);
        QCOMPARE(credentials->clientCertificatePem, certificate);
        if (!certificate.isEmpty()) {
            QVERIFY(credentials->clientKeyPem.contains("PRIVATE KEY"));
        }
    }

    void relativeKubeconfigListEntriesUseTheWorkingDirectory() {
        const QString before = QDir::currentPath();
        QDir::setCurrent(fixture("merge"));
        auto config = Kubeconfig::load(withKubeconfigList({QStringLiteral("second/config")}));
        QDir::setCurrent(before);
        QVERIFY(config.ok());
        QCOMPARE(config->files(), QStringList({fixture("merge/second/config")}));
        auto rest = config->restConfig(QStringLiteral("second"));
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QCOMPARE(rest->caPem, readFile(fixture("merge/second/certs/ca.pem")));
    }
};

QTEST_GUILESS_MAIN(TestKubeconfigLoading)
#include "test_kubeconfig_loading.moc"
