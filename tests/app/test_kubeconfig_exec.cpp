// client-go credential plugins as small shell scripts: what they receive (environment,
// KUBERNETES_EXEC_INFO), how their answers are cached and refreshed, and what the user is
// told when they are missing or fail. A counter file counts the plugin's runs.

#include "test_kubeconfig_helpers.h"

#include "kube/credential_plugin_path.h"
#include "kube/exec_credential_provider.h"
#include "kube/kubeconfig.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace dashboard;
using namespace kubeconfig_test;

namespace {

const QByteArray kV1 = "client.authentication.k8s.io/v1";

// A plugin that counts its runs in $DIR/runs, records what it received in $DIR/seen-*,
// and prints `body` (an ExecCredential) on stdout.
QByteArray pluginScript(const QString &dir, const QByteArray &body, int exitCode = 0,
                        const QByteArray &stderrText = {}) {
    QByteArray script = "#!/bin/sh\n";
    script += "d='" + dir.toUtf8() + "'\n";
    script += "n=$(cat \"$d/runs\" 2>/dev/null || echo 0); echo $((n + 1)) > \"$d/runs\"\n";
    script += "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$d/seen-exec-info\"\n";
    script += "printf '%s' \"$FROM_KUBECONFIG\" > \"$d/seen-from-kubeconfig\"\n";
    script += "printf '%s' \"$INHERITED\" > \"$d/seen-inherited\"\n";
    script += "printf '%s' \"$PATH\" > \"$d/seen-path\"\n";
    script += "printf '%s' \"$*\" > \"$d/seen-args\"\n";
    if (!stderrText.isEmpty()) {
        script += "printf '%s' '" + stderrText + "' >&2\n";
    }
    script += "cat <<'JSON'\n" + body + "\nJSON\n";
    script += "exit " + QByteArray::number(exitCode) + "\n";
    return script;
}

QByteArray credential(const QByteArray &apiVersion, const QByteArray &status) {
    return "{\"apiVersion\":\"" + apiVersion +
           "\",\"kind\":\"ExecCredential\",\"status\":" + status + "}";
}

QByteArray expiring(int secondsFromNow, const QByteArray &token = "SECRET-plugin-token") {
    const QString when = QDateTime::currentDateTimeUtc()
                             .addSecs(secondsFromNow)
                             .toString(Qt::ISODate); // RFC 3339, "Z"
    return "{\"token\":\"" + token + "\",\"expirationTimestamp\":\"" + when.toUtf8() + "\"}";
}

} // namespace

class TestKubeconfigExec final : public QObject {
    Q_OBJECT

private:
    // A kubeconfig in `dir` whose only user runs `command`, with extra exec YAML lines.
    rf::Result<RestConfig> load(const QTemporaryDir &dir, const QString &command,
                                const QByteArray &execExtra = {},
                                QProcessEnvironment environment = {}) {
        QByteArray yaml = "apiVersion: v1\nkind: Config\ncurrent-context: main\n"
                          "clusters:\n- name: main\n  cluster:\n"
                          "    server: https://127.0.0.1:6443/api-prefix\n"
                          "    certificate-authority-data: Q0EtUEVN\n"
                          "    tls-server-name: api.internal\n"
                          "    proxy-url: http://proxy.example:3128\n"
                          "    extensions:\n"
                          "    - name: client.authentication.k8s.io/exec\n"
                          "      extension:\n"
                          "        audience: fleet\n"
                          "        retries: 3\n"
                          "        verbose: true\n"
                          "        quoted: \"007\"\n"
                          "users:\n- name: main\n  user:\n    exec:\n"
                          "      command: " +
                          command.toUtf8() + "\n" + execExtra +
                          "contexts:\n- name: main\n  context: {cluster: main, user: main}\n";
        if (!execExtra.contains("apiVersion")) {
            yaml.replace("    exec:\n", "    exec:\n      apiVersion: " + kV1 +
                                            "\n      interactiveMode: Never\n");
        }
        writeFile(dir.filePath(QStringLiteral("config")), yaml);
        KubeconfigOptions options =
            explicitFile(dir.filePath(QStringLiteral("config")), dir.path());
        if (!environment.isEmpty()) {
            options.environment = environment;
        }
        auto config = Kubeconfig::load(options);
        if (!config.ok()) {
            return config.error();
        }
        return config->restConfig();
    }

    static int runs(const QTemporaryDir &dir) {
        return readFile(dir.filePath(QStringLiteral("runs"))).trimmed().toInt();
    }

    static QString plugin(const QTemporaryDir &dir, const QByteArray &body, int exitCode = 0,
                          const QByteArray &stderrText = {}) {
        const QString path = dir.filePath(QStringLiteral("plugin.sh"));
        writeFile(path, pluginScript(dir.path(), body, exitCode, stderrText), true);
        return path;
    }

private Q_SLOTS:
    void cachedUntilExpiryThenOneRefreshAfterInvalidate() {
        QTemporaryDir dir;
        auto rest = load(dir, plugin(dir, credential(kV1, expiring(3600))));
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        auto &provider = *rest->credentials;
        QCOMPARE(runs(dir), 0); // nothing runs until credentials are needed
        auto first = provider.get();
        QVERIFY2(first.ok(), first.ok() ? "" : first.message().c_str());
        QCOMPARE(first->bearerToken, QByteArray("SECRET-plugin-token"));
        QVERIFY(first->expiry > QDateTime::currentDateTimeUtc());
        QVERIFY(provider.get().ok());
        QVERIFY(provider.get().ok());
        QCOMPARE(runs(dir), 1);

        QVERIFY(provider.invalidate()); // the server said 401
        QVERIFY(provider.get().ok());
        QCOMPARE(runs(dir), 2);
        QVERIFY(provider.get().ok());
        QCOMPARE(runs(dir), 2); // one refresh, then cached again
        QCOMPARE(provider.describe(), QStringLiteral("exec plugin plugin.sh"));
    }

    void expiredCredentialsRunThePluginAgain() {
        QTemporaryDir dir;
        auto rest = load(dir, plugin(dir, credential(kV1, expiring(-60))));
        QVERIFY(rest.ok());
        QVERIFY(rest->credentials->get().ok());
        QVERIFY(rest->credentials->get().ok());
        QVERIFY(rest->credentials->get().ok());
        QCOMPARE(runs(dir), 3);
    }

    void withoutExpiryCachedForever() {
        QTemporaryDir dir;
        auto rest = load(dir, plugin(dir, credential(kV1, "{\"token\":\"t\"}")));
        QVERIFY(rest.ok());
        auto credentials = rest->credentials->get();
        QVERIFY(credentials.ok());
        QVERIFY(!credentials->expiry.isValid());
        QVERIFY(rest->credentials->get().ok());
        QCOMPARE(runs(dir), 1);
    }

    void goTimestampsWithNanosecondsAndOffsets() {
        QTemporaryDir dir;
        auto rest =
            load(dir, plugin(dir, credential(kV1, "{\"token\":\"t\",\"expirationTimestamp\":"
                                                  "\"2999-01-01T01:00:00.123456789+01:00\"}")));
        QVERIFY(rest.ok());
        auto credentials = rest->credentials->get();
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : credentials.message().c_str());
        QCOMPARE(credentials->expiry, QDateTime(QDate(2999, 1, 1), QTime(0, 0, 0, 123), Qt::UTC));
        QVERIFY(rest->credentials->get().ok());
        QCOMPARE(runs(dir), 1);
    }

    void concurrentCallersShareOneRun() {
        QTemporaryDir dir;
        auto rest = load(dir, plugin(dir, credential(kV1, expiring(3600))));
        QVERIFY(rest.ok());
        auto provider = rest->credentials;
        std::vector<std::thread> threads;
        std::atomic<int> failures{0};
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back([&] {
                if (!provider->get().ok()) {
                    ++failures;
                }
            });
        }
        for (auto &thread : threads) {
            thread.join();
        }
        QCOMPARE(failures.load(), 0);
        QCOMPARE(runs(dir), 1);
    }

    void apiVersions_data() {
        QTest::addColumn<QByteArray>("configured");
        QTest::addColumn<QByteArray>("returned");
        QTest::addColumn<bool>("ok");
        QTest::newRow("v1") << kV1 << kV1 << true;
        QTest::newRow("v1beta1 (interactiveMode defaults to IfAvailable)")
            << QByteArray("client.authentication.k8s.io/v1beta1")
            << QByteArray("client.authentication.k8s.io/v1beta1") << true;
        QTest::newRow("mismatch: configured v1, plugin answers v1beta1")
            << kV1 << QByteArray("client.authentication.k8s.io/v1beta1") << false;
    }
    void apiVersions() {
        QFETCH(QByteArray, configured);
        QFETCH(QByteArray, returned);
        QFETCH(bool, ok);
        QTemporaryDir dir;
        auto rest = load(dir, plugin(dir, credential(returned, "{\"token\":\"SECRET-t\"}")),
                         "      apiVersion: " + configured + "\n" +
                             (configured == kV1 ? "      interactiveMode: Never\n" : ""));
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        auto credentials = rest->credentials->get();
        QCOMPARE(credentials.ok(), ok);
        if (!ok) {
            const QString message = QString::fromStdString(credentials.message());
            QVERIFY2(message.contains(QStringLiteral("configured to use API version "
                                                     "client.authentication.k8s.io/v1, plugin "
                                                     "returned version "
                                                     "client.authentication.k8s.io/v1beta1")),
                     qPrintable(message));
            QVERIFY(!message.contains(QStringLiteral("SECRET")));
        }
        const auto info = QJsonDocument::fromJson(readFile(dir.filePath("seen-exec-info")));
        QCOMPARE(info[QStringLiteral("apiVersion")].toString().toUtf8(), configured);
    }

    void environmentArgsAndExecInfoWithoutClusterInfo() {
        QTemporaryDir dir;
        QProcessEnvironment environment = cleanEnvironment(dir.path());
        environment.insert(QStringLiteral("INHERITED"), QStringLiteral("from-the-dashboard"));
        environment.insert(QStringLiteral("FROM_KUBECONFIG"), QStringLiteral("overridden"));
        auto rest = load(dir, plugin(dir, credential(kV1, "{\"token\":\"t\"}")),
                         "      args: [get-token, --cluster, main]\n"
                         "      env:\n      - name: FROM_KUBECONFIG\n        value: yes-really\n",
                         environment);
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QVERIFY(rest->credentials->get().ok());
        QCOMPARE(readFile(dir.filePath("seen-inherited")), QByteArray("from-the-dashboard"));
        QCOMPARE(readFile(dir.filePath("seen-from-kubeconfig")), QByteArray("yes-really"));
        QCOMPARE(readFile(dir.filePath("seen-args")), QByteArray("get-token --cluster main"));
        const QJsonObject info =
            QJsonDocument::fromJson(readFile(dir.filePath("seen-exec-info"))).object();
        QCOMPARE(info.value("kind").toString(), QStringLiteral("ExecCredential"));
        QCOMPARE(info.value("apiVersion").toString().toUtf8(), kV1);
        const QJsonObject spec = info.value("spec").toObject();
        QCOMPARE(spec.value("interactive"), QJsonValue(false));
        QVERIFY(!spec.contains("cluster")); // only with provideClusterInfo
    }

    void provideClusterInfo() {
        QTemporaryDir dir;
        auto rest = load(dir, plugin(dir, credential(kV1, "{\"token\":\"t\"}")),
                         "      provideClusterInfo: true\n");
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QVERIFY(rest->credentials->get().ok());
        const QJsonObject cluster =
            QJsonDocument::fromJson(readFile(dir.filePath("seen-exec-info")))
                .object()
                .value("spec")
                .toObject()
                .value("cluster")
                .toObject();
        QCOMPARE(cluster.value("server").toString(),
                 QStringLiteral("https://127.0.0.1:6443/api-prefix"));
        QCOMPARE(cluster.value("certificate-authority-data").toString(),
                 QStringLiteral("Q0EtUEVN"));
        QCOMPARE(cluster.value("tls-server-name").toString(), QStringLiteral("api.internal"));
        QCOMPARE(cluster.value("proxy-url").toString(),
                 QStringLiteral("http://proxy.example:3128"));
        QVERIFY(!cluster.contains("insecure-skip-tls-verify"));
        const QJsonObject config = cluster.value("config").toObject();
        QCOMPARE(config.value("audience").toString(), QStringLiteral("fleet"));
        QCOMPARE(config.value("retries").toDouble(), 3.0);
        QCOMPARE(config.value("verbose"), QJsonValue(true));
        QCOMPARE(config.value("quoted"), QJsonValue(QStringLiteral("007")));
    }

    void clientCertificateFromThePlugin() {
        QTemporaryDir dir;
        auto rest = load(dir, plugin(dir, credential(kV1, "{\"clientCertificateData\":\"CERT\","
                                                          "\"clientKeyData\":\"SECRET-KEY\"}")));
        QVERIFY(rest.ok());
        auto credentials = rest->credentials->get();
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : credentials.message().c_str());
        QCOMPARE(credentials->clientCertificatePem, QByteArray("CERT"));
        QCOMPARE(credentials->clientKeyPem, QByteArray("SECRET-KEY"));
        QVERIFY(credentials->bearerToken.isEmpty());
    }

    void badAnswers_data() {
        QTest::addColumn<QByteArray>("stdoutText");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not JSON") << QByteArray("token: SECRET-plain") << "decoding stdout";
        QTest::newRow("no status")
            << QByteArray("{\"apiVersion\":\"" + kV1 + "\",\"kind\":\"ExecCredential\"}")
            << "didn't return a status field";
        QTest::newRow("neither token nor certificate")
            << credential(kV1, "{}") << "didn't return a token or cert/key pair";
        QTest::newRow("certificate without key")
            << credential(kV1, "{\"clientCertificateData\":\"C\"}")
            << "returned only certificate or key, not both";
        QTest::newRow("no apiVersion") << QByteArray("{\"kind\":\"ExecCredential\",\"status\":"
                                                     "{\"token\":\"SECRET-x\"}}")
                                       << "no apiVersion or kind";
        QTest::newRow("bad expirationTimestamp")
            << credential(kV1, "{\"token\":\"SECRET-x\",\"expirationTimestamp\":\"soon\"}")
            << "invalid expirationTimestamp";
    }
    void badAnswers() {
        QFETCH(QByteArray, stdoutText);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        auto rest = load(dir, plugin(dir, stdoutText));
        QVERIFY(rest.ok());
        auto credentials = rest->credentials->get();
        QVERIFY(!credentials.ok());
        const QString message = QString::fromStdString(credentials.message());
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.contains(dir.filePath(QStringLiteral("config"))), qPrintable(message));
        QVERIFY2(!message.contains(QStringLiteral("SECRET")), qPrintable(message));
    }

    void failureShowsExitCodeAndStderr() {
        QTemporaryDir dir;
        auto rest = load(
            dir, plugin(dir, "", 3, "  error: refresh token expired, run gcloud auth login\n\n"));
        QVERIFY(rest.ok());
        auto credentials = rest->credentials->get();
        QVERIFY(!credentials.ok());
        const QString message = QString::fromStdString(credentials.message());
        QVERIFY2(message.contains(QStringLiteral("failed with exit code 3: error: refresh token "
                                                 "expired, run gcloud auth login")),
                 qPrintable(message));
        QVERIFY(!message.endsWith(QLatin1Char('\n'))); // trimmed
        // Failures are not cached: the next get() tries again.
        QVERIFY(!rest->credentials->get().ok());
        QCOMPARE(runs(dir), 2);
    }

    void hugeStderrIsBounded() {
        QTemporaryDir dir;
        const QByteArray noise(50000, 'x');
        auto rest = load(dir, plugin(dir, "", 1, noise + " the real error at the end"));
        QVERIFY(rest.ok());
        auto credentials = rest->credentials->get();
        QVERIFY(!credentials.ok());
        const QString message = QString::fromStdString(credentials.message());
        QVERIFY(message.size() < 4000);
        QVERIFY(message.contains(QStringLiteral("the real error at the end")));
    }

    void notFoundShowsTheInstallHint() {
        QTemporaryDir dir;
        auto rest = load(dir, QStringLiteral("gke-gcloud-auth-plugin-not-installed"),
                         "      installHint: |\n"
                         "        Install gke-gcloud-auth-plugin for use with kubectl by "
                         "following\n        https://cloud.google.com/kubernetes-engine/docs/"
                         "how-to/cluster-access-for-kubectl#install_plugin\n");
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        auto credentials = rest->credentials->get();
        QVERIFY(!credentials.ok());
        const QString message = QString::fromStdString(credentials.message());
        QVERIFY2(message.contains(QStringLiteral(
                     "exec: executable gke-gcloud-auth-plugin-not-installed not found")),
                 qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("Install gke-gcloud-auth-plugin for use with "
                                                "kubectl by following")));
        QVERIFY(message.contains(QStringLiteral("/usr/bin:/bin"))); // where we looked
    }

    void relativeCommandNotFoundNamesTheResolvedPath() {
        QTemporaryDir dir;
        auto rest = load(dir, QStringLiteral("./bin/missing-plugin"));
        QVERIFY(rest.ok());
        auto credentials = rest->credentials->get();
        QVERIFY(!credentials.ok());
        QVERIFY2(QString::fromStdString(credentials.message())
                     .contains(dir.filePath(QStringLiteral("bin/missing-plugin"))),
                 credentials.message().c_str());
    }

    void timeoutKillsAHangingPlugin() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("hang.sh"));
        writeFile(path, "#!/bin/sh\necho waiting for a browser login >&2\nexec sleep 60\n", true);
        ExecPluginConfig config;
        config.apiVersion = QString::fromUtf8(kV1);
        config.command = path;
        config.interactiveMode = QStringLiteral("Never");
        config.owner = QStringLiteral("user \"hang\" in test");
        auto provider = ExecCredentialProvider::create(config, {}, cleanEnvironment(dir.path()),
                                                       std::chrono::milliseconds(1000));
        QVERIFY(provider.ok());
        auto credentials = provider.value()->get();
        QVERIFY(!credentials.ok());
        const QString message = QString::fromStdString(credentials.message());
        QVERIFY2(message.contains(QStringLiteral("did not finish within 1 s")),
                 qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("waiting for a browser login")));
    }

    // A dashboard started from a desktop menu has a minimal PATH; the plugin lives in a
    // folder only the login shell adds (like ~/google-cloud-sdk/bin).
    void commandFoundThroughTheLoginShellPath() {
        QTemporaryDir dir;
        const QString loginBin = dir.filePath(QStringLiteral("login-bin"));
        writeFile(loginBin + QStringLiteral("/my-auth-plugin"),
                  pluginScript(dir.path(), credential(kV1, "{\"token\":\"from-login-path\"}")),
                  true);
        const QString shell = dir.filePath(QStringLiteral("fake-login-shell"));
        writeFile(shell,
                  "#!/bin/sh\n"
                  "# like bash -l: read the profile (which prints a banner), then run -c\n"
                  "echo \"Welcome to $(hostname)\"\n"
                  "[ \"$1\" = -l ] && [ \"$2\" = -c ] || exit 64\n"
                  "echo x >> '" +
                      dir.path().toUtf8() +
                      "/shell-runs'\n"
                      "PATH='" +
                      loginBin.toUtf8() +
                      "':\"$PATH\"; export PATH\n"
                      "exec /bin/sh -c \"$3\"\n",
                  true);
        QProcessEnvironment environment = cleanEnvironment(dir.path());
        environment.insert(QStringLiteral("SHELL"), shell);
        auto rest = load(dir, QStringLiteral("my-auth-plugin"), {}, environment);
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        auto credentials = rest->credentials->get();
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : credentials.message().c_str());
        QCOMPARE(credentials->bearerToken, QByteArray("from-login-path"));
        // The plugin itself runs with that PATH (it may call gcloud or aws).
        QVERIFY(readFile(dir.filePath("seen-path")).startsWith(loginBin.toUtf8() + ":"));
        QVERIFY(readFile(dir.filePath("seen-path")).contains("/usr/bin"));

        // The login shell is asked once, not on every refresh.
        QVERIFY(rest->credentials->invalidate());
        QVERIFY(rest->credentials->get().ok());
        QCOMPARE(runs(dir), 2);
        QCOMPARE(readFile(dir.filePath("shell-runs")), QByteArray("x\n"));
    }

    void hangingLoginShellFallsBackToTheProcessPath() {
        QTemporaryDir dir;
        const QString shell = dir.filePath(QStringLiteral("slow-shell"));
        writeFile(shell, "#!/bin/sh\nexec sleep 60\n", true);
        QProcessEnvironment environment = cleanEnvironment(dir.path());
        environment.insert(QStringLiteral("SHELL"), shell);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(
                                               "slow-shell did not answer within 500 ms")));
        const QStringList path =
            CredentialPluginPath::searchPath(environment, std::chrono::milliseconds(500));
        QCOMPARE(path, QStringList({"/usr/bin", "/bin"}));
    }

    void missingLoginShellFallsBackToTheProcessPath() {
        QTemporaryDir dir;
        QProcessEnvironment environment = cleanEnvironment(dir.path());
        environment.insert(QStringLiteral("SHELL"), dir.filePath(QStringLiteral("no-such-shell")));
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("no-such-shell did not start")));
        QCOMPARE(CredentialPluginPath::searchPath(environment), QStringList({"/usr/bin", "/bin"}));
        CredentialPluginPath::clearCache();
    }
};

QTEST_GUILESS_MAIN(TestKubeconfigExec)
#include "test_kubeconfig_exec.moc"
