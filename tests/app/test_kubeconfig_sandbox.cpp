// The kubeconfig forecast-sandbox writes (sandbox/cli/kubeconfig_writer.cpp) loads, and
// what it resolves to really authenticates: a TLS request with the CA and the token from
// the RestConfig succeeds, one without the token is refused.

#include "test_kubeconfig_helpers.h"

#include "kube/kubeconfig.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <curl/curl.h>

using namespace dashboard;
using namespace kubeconfig_test;

#ifdef RF_SANDBOX_BINARY
namespace {

size_t collect(char *data, size_t size, size_t count, void *out) {
    static_cast<QByteArray *>(out)->append(data, static_cast<qsizetype>(size * count));
    return size * count;
}

// GET `path` the way the HTTP engine will: CA from memory, Bearer token when given.
long get(const RestConfig &config, const QByteArray &token, const QString &path, QByteArray &body) {
    CURL *curl = curl_easy_init();
    const QByteArray url = (config.server.toString() + path).toUtf8();
    curl_blob ca{const_cast<char *>(config.caPem.constData()),
                 static_cast<size_t>(config.caPem.size()), CURL_BLOB_COPY};
    curl_easy_setopt(curl, CURLOPT_URL, url.constData());
    curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_slist *headers = nullptr;
    const QByteArray authorization = "Authorization: Bearer " + token;
    if (!token.isEmpty()) {
        headers = curl_slist_append(headers, authorization.constData());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    }
    long status = 0;
    if (const CURLcode code = curl_easy_perform(curl); code == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    } else {
        body = curl_easy_strerror(code);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return status;
}

} // namespace
#endif

class TestKubeconfigSandbox final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sandboxKubeconfigAuthenticates() {
#ifndef RF_SANDBOX_BINARY
        QSKIP("forecast-sandbox is not built in this tree");
#else
        QTemporaryDir state;
        QProcess sandbox;
        sandbox.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        sandbox.start(QStringLiteral(RF_SANDBOX_BINARY),
                      {QStringLiteral("up"), QStringLiteral("--state-dir"), state.path(),
                       QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY2(sandbox.waitForStarted(30000), qPrintable(sandbox.errorString()));
        const QString kubeconfig = state.filePath(QStringLiteral("kubeconfig"));
        // The sandbox writes its kubeconfig once it listens; allow a loaded machine time.
        QDeadlineTimer deadline(120000);
        while (!QFileInfo::exists(kubeconfig) && !deadline.hasExpired() &&
               sandbox.state() == QProcess::Running) {
            QThread::msleep(50);
        }
        QVERIFY2(QFileInfo::exists(kubeconfig), "the sandbox wrote no kubeconfig");

        auto config = Kubeconfig::load(explicitFile(kubeconfig, state.path()));
        QVERIFY2(config.ok(), config.ok() ? "" : config.message().c_str());
        QCOMPARE(config->contexts().size(), 1);
        auto rest = config->restConfig();
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.message().c_str());
        QCOMPARE(rest->server.scheme(), QStringLiteral("https"));
        QVERIFY(rest->caPem.startsWith("-----BEGIN CERTIFICATE-----"));
        QVERIFY(!rest->namespaceName.isEmpty());
        QVERIFY(rest->credentials);
        QCOMPARE(rest->credentials->describe(), QStringLiteral("token"));
        auto credentials = rest->credentials->get();
        QVERIFY(credentials.ok());
        QVERIFY(!credentials->bearerToken.isEmpty());

        QByteArray body;
        const QString path = QStringLiteral("/api/v1/namespaces/%1").arg(rest->namespaceName);
        QCOMPARE(get(*rest, credentials->bearerToken, path, body), 200L);
        QVERIFY2(body.contains("\"kind\":\"Namespace\""), body.constData());
        body.clear();
        QCOMPARE(get(*rest, {}, path, body), 401L);

        sandbox.terminate();
        QVERIFY(sandbox.waitForFinished(60000));
#endif
    }
};

QTEST_GUILESS_MAIN(TestKubeconfigSandbox)
#include "test_kubeconfig_sandbox.moc"
