// The Kubernetes client: Status bodies decoded into messages a user can act on (unit rows
// with real Status bodies), and against a real sandbox: CRUD, every patch type, apply with
// dry-run, conflicts, scale, discovery, a watch and followed logs cancelled mid-stream.

#include "kube/discovery.h"
#include "kube/kube_client.h"
#include "kube/resource_registry.h"
#include "net/http_engine.h"
#include "support/kube_wait.h"
#include "support/sandbox_fixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace dashboard;
using namespace dashboard::test;

namespace {

QJsonObject configMap(const QString &name, const QString &value,
                      const QString &label = QStringLiteral("kube-client-test")) {
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), name},
                     {QStringLiteral("labels"), QJsonObject{{QStringLiteral("suite"), label}}}}},
        {QStringLiteral("data"), QJsonObject{{QStringLiteral("key"), value}}}};
}

QString dataKey(const QJsonObject &object) {
    return object.value(QLatin1String("data")).toObject().value(QLatin1String("key")).toString();
}

ErrorContext sandboxContext() {
    ErrorContext context;
    context.server = QStringLiteral("https://127.0.0.1:6443");
    context.clusterName = QStringLiteral("prod");
    context.userName = QStringLiteral("alice");
    context.credentialKind = QStringLiteral("exec plugin gke-gcloud-auth-plugin");
    context.sourceFile = QStringLiteral("/home/alice/.kube/config");
    return context;
}

} // namespace

class TestKubeClient final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void statusDecoding_data() {
        // Real Status bodies (tests/app/testdata/kube_status/) as the API server sends them.
        QTest::addColumn<int>("httpCode");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("message");
        QTest::newRow("404 NotFound") << 404 << "not_found.json"
                                      << "NotFound"
                                      << "deployments.apps \"web\" not found";
        QTest::newRow("409 Conflict")
            << 409 << "conflict.json"
            << "Conflict"
            << "Operation cannot be fulfilled on deployments.apps \"web\": the object has been "
               "modified; please apply your changes to the latest version and try again";
        QTest::newRow("422 Invalid with causes")
            << 422 << "invalid.json"
            << "Invalid"
            << "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be "
               "greater than or equal to 0";
        QTest::newRow("403 Forbidden keeps the server's words")
            << 403 << "forbidden.json"
            << "Forbidden"
            << "deployments.apps \"web\" is forbidden: User \"alice\" cannot patch resource "
               "\"deployments\" in API group \"apps\" in the namespace \"shop\"";
        QTest::newRow("401 names the user and the credential")
            << 401 << "unauthorized.json"
            << "Unauthorized"
            << QString::fromUtf8("Unauthorized: the credentials of user \"alice\" (exec plugin "
                                 "gke-gcloud-auth-plugin) were rejected by the cluster at "
                                 "https://127.0.0.1:6443 (cluster \"prod\" in "
                                 "/home/alice/.kube/config) \u2014 log in again or refresh the "
                                 "credentials in /home/alice/.kube/config");
        QTest::newRow("410 Expired") << 410 << "expired.json"
                                     << "Expired"
                                     << "too old resource version: 117 (1117)";
        QTest::newRow("502 from a proxy, not a Status")
            << 502 << "bad_gateway.html"
            << "HTTP 502"
            << "The cluster at https://127.0.0.1:6443 (cluster \"prod\" in "
               "/home/alice/.kube/config) answered HTTP 502 (HTTP 502): <html><body>Bad "
               "Gateway</body></html>";
    }

    void statusDecoding() {
        QFETCH(int, httpCode);
        QFETCH(QString, file);
        QFile fixture(QStringLiteral(RF_APP_TESTDATA "/kube_status/") + file);
        QVERIFY(fixture.open(QIODevice::ReadOnly));
        const QByteArray body = fixture.readAll().trimmed();
        QFETCH(QString, reason);
        QFETCH(QString, message);
        HttpResult result;
        result.httpCode = httpCode;
        result.body = body;
        const KubeError error = decodeError(result, sandboxContext());
        QCOMPARE(error.httpCode, httpCode);
        QCOMPARE(error.reason, reason);
        QCOMPARE(error.text(), message);
    }

    void transportErrorsAreWordedForHumans_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("curlText");
        QTest::addColumn<QString>("expected");
        QTest::newRow("refused") << int(HttpResult::Status::ConnectionRefused)
                                 << "Failed to connect to 127.0.0.1 port 6443"
                                 << "Cannot connect to the cluster at https://127.0.0.1:6443 "
                                    "(cluster \"prod\" in /home/alice/.kube/config): connection "
                                    "refused. Is the API server running and is the address "
                                    "right? (Failed to connect to 127.0.0.1 port 6443)";
        QTest::newRow("dns") << int(HttpResult::Status::HostNotFound)
                             << "Could not resolve host: k8s.example"
                             << "Cannot find the host of the cluster at https://127.0.0.1:6443 "
                                "(cluster \"prod\" in /home/alice/.kube/config) (DNS lookup "
                                "failed: Could not resolve host: k8s.example). Check the server "
                                "address in the kubeconfig, your network or VPN.";
        QTest::newRow("tls")
            << int(HttpResult::Status::TlsError)
            << "SSL certificate problem: self-signed certificate in certificate chain"
            << "TLS verification of the cluster at https://127.0.0.1:6443 "
               "(cluster \"prod\" in /home/alice/.kube/config) failed: SSL "
               "certificate problem: self-signed certificate in certificate "
               "chain. The server's certificate is not trusted by the "
               "kubeconfig's certificate-authority, or its name does not match "
               "(see tls-server-name).";
    }

    void transportErrorsAreWordedForHumans() {
        QFETCH(int, status);
        QFETCH(QString, curlText);
        QFETCH(QString, expected);
        HttpResult result;
        result.status = static_cast<HttpResult::Status>(status);
        result.errorString = curlText;
        const KubeError error = decodeError(result, sandboxContext());
        QVERIFY(error.isTransport());
        QCOMPARE(error.text(), expected);
    }

    void resourcePathsAndRegistry() {
        QCOMPARE(resources::deployments().path(QStringLiteral("shop"), QStringLiteral("web"),
                                               QStringLiteral("scale")),
                 QStringLiteral("/apis/apps/v1/namespaces/shop/deployments/web/scale"));
        QCOMPARE(resources::pods().path(QStringLiteral("shop")),
                 QStringLiteral("/api/v1/namespaces/shop/pods"));
        QCOMPARE(resources::namespaces().path(QStringLiteral("ignored"), QStringLiteral("shop")),
                 QStringLiteral("/api/v1/namespaces/shop"));
        QCOMPARE(ResourceRegistry::builtin().byName(QStringLiteral("deploy"))->resource,
                 QStringLiteral("deployments"));
        QCOMPARE(ResourceRegistry::builtin().byName(QStringLiteral("hpa"))->apiVersion(),
                 QStringLiteral("autoscaling/v2"));
        QCOMPARE(ResourceRegistry::builtin().byName(QStringLiteral("events"))->group, QString());
        QCOMPARE(ResourceRegistry::builtin().byName(QStringLiteral("events.events.k8s.io"))->group,
                 QStringLiteral("events.k8s.io"));
    }

    // --- against a real sandbox ------------------------------------------------------

    void initTestCase() {
        m_sandbox = std::make_unique<SandboxFixture>();
        QVERIFY2(m_sandbox->start(), qPrintable(m_sandbox->errorString()));
        m_client = std::make_unique<KubeClient>(m_engine, m_sandbox->restConfig());
        m_ns = m_sandbox->namespaceName();
    }

    void createGetListPatchDelete() {
        KubeClient &c = *m_client;
        const ResourceId &cm = resources::configMaps();
        auto created = waitForResult([&](KubeCallback done) {
            return c.create(cm, m_ns, configMap(QStringLiteral("crud"), QStringLiteral("one")), {},
                            this, done);
        });
        QVERIFY2(created.ok(), qPrintable(errorText(created)));
        QCOMPARE(dataKey(created.value()), QStringLiteral("one"));

        auto again = waitForResult([&](KubeCallback done) {
            return c.create(cm, m_ns, configMap(QStringLiteral("crud"), QStringLiteral("one")), {},
                            this, done);
        });
        QVERIFY(!again.ok());
        QCOMPARE(again.error().httpCode, 409);
        QCOMPARE(again.error().reason, QStringLiteral("AlreadyExists"));
        QVERIFY2(again.error().text().contains(QLatin1String("already exists")),
                 qPrintable(again.error().text()));

        ListOptions selected;
        selected.labelSelector = QStringLiteral("suite=kube-client-test");
        auto listed = waitForResult(
            [&](KubeCallback done) { return c.list(cm, m_ns, selected, this, done); });
        QVERIFY2(listed.ok(), qPrintable(errorText(listed)));
        QCOMPARE(listed->value(QLatin1String("items")).toArray().size(), 1);

        auto merged = waitForResult([&](KubeCallback done) {
            return c.patch(cm, m_ns, QStringLiteral("crud"), PatchType::Merge,
                           R"({"data":{"key":"two"}})", {}, this, done);
        });
        QVERIFY2(merged.ok(), qPrintable(errorText(merged)));
        QCOMPARE(dataKey(merged.value()), QStringLiteral("two"));

        auto strategic = waitForResult([&](KubeCallback done) {
            return c.patch(cm, m_ns, QStringLiteral("crud"), PatchType::Strategic,
                           R"({"data":{"key":"three"}})", {}, this, done);
        });
        QVERIFY2(strategic.ok(), qPrintable(errorText(strategic)));
        QCOMPARE(dataKey(strategic.value()), QStringLiteral("three"));

        auto json = waitForResult([&](KubeCallback done) {
            return c.patch(cm, m_ns, QStringLiteral("crud"), PatchType::Json,
                           R"([{"op":"replace","path":"/data/key","value":"four"}])", {}, this,
                           done);
        });
        QVERIFY2(json.ok(), qPrintable(errorText(json)));
        QCOMPARE(dataKey(json.value()), QStringLiteral("four"));

        // A PUT with a stale resourceVersion is a conflict.
        QJsonObject stale = created.value();
        stale[QStringLiteral("data")] = QJsonObject{{QStringLiteral("key"), QStringLiteral("x")}};
        auto conflict = waitForResult([&](KubeCallback done) {
            return c.replace(cm, m_ns, QStringLiteral("crud"), stale, {}, this, done);
        });
        QVERIFY(!conflict.ok());
        QVERIFY(conflict.error().isConflict());
        QVERIFY2(conflict.error().text().contains(QLatin1String("the object has been modified")),
                 qPrintable(conflict.error().text()));

        auto removed = waitForResult([&](KubeCallback done) {
            return c.remove(cm, m_ns, QStringLiteral("crud"), {}, this, done);
        });
        QVERIFY2(removed.ok(), qPrintable(errorText(removed)));
        auto missing = waitForResult(
            [&](KubeCallback done) { return c.get(cm, m_ns, QStringLiteral("crud"), this, done); });
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().isNotFound());
        QCOMPARE(missing.error().text(), QStringLiteral("configmaps \"crud\" not found"));
    }

    void serverSideApplyWithDryRunAndFieldManager() {
        KubeClient &c = *m_client;
        const ResourceId &cm = resources::configMaps();
        WriteOptions dryRun;
        dryRun.dryRun = true;
        auto dry = waitForResult([&](KubeCallback done) {
            return c.apply(cm, m_ns, configMap(QStringLiteral("applied"), QStringLiteral("a")),
                           dryRun, this, done);
        });
        QVERIFY2(dry.ok(), qPrintable(errorText(dry)));
        auto notStored = waitForResult([&](KubeCallback done) {
            return c.get(cm, m_ns, QStringLiteral("applied"), this, done);
        });
        QVERIFY(notStored.error().isNotFound());

        auto applied = waitForResult([&](KubeCallback done) {
            return c.apply(cm, m_ns, configMap(QStringLiteral("applied"), QStringLiteral("a")), {},
                           this, done);
        });
        QVERIFY2(applied.ok(), qPrintable(errorText(applied)));
        const QJsonArray managed = applied->value(QLatin1String("metadata"))
                                       .toObject()
                                       .value(QLatin1String("managedFields"))
                                       .toArray();
        QVERIFY(!managed.isEmpty());
        QCOMPARE(managed.first().toObject().value(QLatin1String("manager")).toString(),
                 QStringLiteral("forecast-dashboard"));
        QCOMPARE(managed.first().toObject().value(QLatin1String("operation")).toString(),
                 QStringLiteral("Apply"));
    }

    void scaleSubresource() {
        KubeClient &c = *m_client;
        const QJsonObject deployment = QJsonDocument::fromJson(R"({
            "apiVersion":"apps/v1","kind":"Deployment",
            "metadata":{"name":"scaled"},
            "spec":{"replicas":1,"selector":{"matchLabels":{"app":"scaled"}},
                    "template":{"metadata":{"labels":{"app":"scaled"}},
                                "spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}}})")
                                           .object();
        auto created = waitForResult([&](KubeCallback done) {
            return c.create(resources::deployments(), m_ns, deployment, {}, this, done);
        });
        QVERIFY2(created.ok(), qPrintable(errorText(created)));
        auto scaled = waitForResult([&](KubeCallback done) {
            return c.setScale(resources::deployments(), m_ns, QStringLiteral("scaled"), 3, this,
                              done);
        });
        QVERIFY2(scaled.ok(), qPrintable(errorText(scaled)));
        auto scale = waitForResult([&](KubeCallback done) {
            return c.getScale(resources::deployments(), m_ns, QStringLiteral("scaled"), this, done);
        });
        QVERIFY2(scale.ok(), qPrintable(errorText(scale)));
        QCOMPARE(scale->value(QLatin1String("kind")).toString(), QStringLiteral("Scale"));
        QCOMPARE(
            scale->value(QLatin1String("spec")).toObject().value(QLatin1String("replicas")).toInt(),
            3);
    }

    void followedLogsCanBeCancelledMidStream() {
        KubeClient &c = *m_client;
        // The "scaled" deployment's pods run the simulated nginx, which writes a few lines.
        QString pod;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                ListOptions options;
                options.labelSelector = QStringLiteral("app=scaled");
                auto pods = waitForResult([&](KubeCallback done) {
                    return c.list(resources::pods(), m_ns, options, this, done);
                });
                for (const QJsonValue &item : pods->value(QLatin1String("items")).toArray()) {
                    const QJsonObject status =
                        item.toObject().value(QLatin1String("status")).toObject();
                    if (status.value(QLatin1String("phase")).toString() ==
                        QLatin1String("Running")) {
                        pod = item.toObject()
                                  .value(QLatin1String("metadata"))
                                  .toObject()
                                  .value(QLatin1String("name"))
                                  .toString();
                        return true;
                    }
                }
                return false;
            }(),
            120000);
        LogOptions options;
        options.follow = true;
        options.timestamps = true;
        QObject context;
        HttpCall *call = c.logs(m_ns, pod, options, &context);
        QList<QByteArray> lines;
        bool finished = false;
        connect(call, &HttpCall::lineReceived, &context,
                [&](const QByteArray &line) { lines.append(line); });
        connect(call, &HttpCall::finished, &context, [&] { finished = true; });
        QTRY_VERIFY_WITH_TIMEOUT(!lines.isEmpty(), 60000);
        QVERIFY2(!finished, "a followed log stays open while the container runs");
        // timestamps=true: RFC 3339 time, a space, the line.
        QVERIFY2(lines.first().indexOf(' ') > 19 && lines.first().at(4) == '-',
                 lines.first().constData());
        call->cancel();
        const auto count = lines.size();
        QTRY_COMPARE_WITH_TIMEOUT(m_engine.activeTransfers(), 0, 30000);
        QTest::qWait(300);
        QCOMPARE(lines.size(), count);
        QVERIFY(!finished);
    }

    void watchDeliversEventsUntilCancelled() {
        KubeClient &c = *m_client;
        const ResourceId &cm = resources::configMaps();
        WatchOptions options;
        options.labelSelector = QStringLiteral("suite=watch-cancel");
        QObject context;
        WatchStream *watch = c.watch(cm, m_ns, options, &context);
        QSignalSpy opened(watch, &WatchStream::opened);
        QSignalSpy events(watch, &WatchStream::eventReceived);
        QSignalSpy closed(watch, &WatchStream::closed);
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 60000);
        auto first = waitForResult([&](KubeCallback done) {
            return c.create(cm, m_ns,
                            configMap(QStringLiteral("watched-1"), QStringLiteral("v"),
                                      QStringLiteral("watch-cancel")),
                            {}, this, done);
        });
        QVERIFY2(first.ok(), qPrintable(errorText(first)));
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 60000);
        const auto event = events.first().first().value<WatchEvent>();
        QCOMPARE(event.type, WatchEvent::Type::Added);
        QCOMPARE(event.object.value(QLatin1String("metadata"))
                     .toObject()
                     .value(QLatin1String("name"))
                     .toString(),
                 QStringLiteral("watched-1"));

        watch->cancel();
        auto second = waitForResult([&](KubeCallback done) {
            return c.create(cm, m_ns,
                            configMap(QStringLiteral("watched-2"), QStringLiteral("v"),
                                      QStringLiteral("watch-cancel")),
                            {}, this, done);
        });
        QVERIFY(second.ok());
        QTest::qWait(500);
        QCOMPARE(events.size(), 1);
        QCOMPARE(closed.size(), 0);
    }

    void watchFromATooOldVersionEndsWithGone() {
        // After a restart the sandbox's watch history starts at its current version, so
        // resourceVersion 1 is too old: an ERROR event with 410 ends the stream.
        QVERIFY2(m_sandbox->restart(), qPrintable(m_sandbox->errorString()));
        WatchOptions options;
        options.resourceVersion = QStringLiteral("1");
        QObject context;
        WatchStream *watch = m_client->watch(resources::configMaps(), m_ns, options, &context);
        QSignalSpy closed(watch, &WatchStream::closed);
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 60000);
        const auto end = closed.first().first().value<WatchEnd>();
        QVERIFY(end.failed);
        QVERIFY(end.error.isGone());
        QVERIFY2(end.error.text().contains(QLatin1String("too old resource version")),
                 qPrintable(end.error.text()));
    }

    void discoveryMapsKindsToResources() {
        Discovery discovery(*m_client);
        QSignalSpy finished(&discovery, &Discovery::finished);
        discovery.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(discovery.isAggregated());
        const auto deployments =
            discovery.resolve(QStringLiteral("apps/v1"), QStringLiteral("Deployment"));
        QVERIFY(deployments);
        QCOMPARE(deployments->resource, QStringLiteral("deployments"));
        QVERIFY(deployments->namespaced);
        const auto rules = discovery.resolve(QStringLiteral("monitoring.coreos.com/v1"),
                                             QStringLiteral("PrometheusRule"));
        QVERIFY(rules);
        QCOMPARE(rules->resource, QStringLiteral("prometheusrules"));
        const auto namespaces = discovery.byName(QStringLiteral("ns"));
        QVERIFY(namespaces);
        QVERIFY(!namespaces->namespaced);
        QVERIFY(!discovery.resolve(QStringLiteral("example.com/v1"), QStringLiteral("Nothing")));
    }

    void rejectedCredentialsNameTheUser() {
        auto config = m_sandbox->restConfig();
        config->credentials = std::make_shared<StaticTokenProvider>("not-the-token");
        KubeClient client(m_engine, config);
        auto result = waitForResult([&](KubeCallback done) {
            return client.list(resources::namespaces(), {}, {}, this, done);
        });
        QVERIFY(!result.ok());
        QVERIFY(result.error().isUnauthorized());
        QVERIFY2(result.error().text().startsWith(
                     QLatin1String("Unauthorized: the credentials of user \"forecast-sandbox\" "
                                   "(token) were rejected")),
                 qPrintable(result.error().text()));
    }

    void cleanupTestCase() {
        m_client.reset();
        m_sandbox.reset();
    }

private:
    HttpEngine m_engine;
    std::unique_ptr<SandboxFixture> m_sandbox;
    std::unique_ptr<KubeClient> m_client;
    QString m_ns;
};

QTEST_GUILESS_MAIN(TestKubeClient)
#include "test_kube_client.moc"
