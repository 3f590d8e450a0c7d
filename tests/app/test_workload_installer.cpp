// The manifests --sandbox puts on a fresh cluster: how they are read (kubectl's rules for a
// folder of YAML) and applied once, against a real sandbox.

#include "kube/kube_client.h"
#include "kube/resource_registry.h"
#include "net/http_engine.h"
#include "operations/manifest_loader.h"
#include "operations/workload_installer.h"
#include "support/kube_wait.h"
#include "support/sandbox_fixture.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace dashboard;
using namespace dashboard::test;

class TestWorkloadInstaller final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void scalarsAreTypedByTheCoreSchema() {
        const auto parsed = parseManifests(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data:
  port: "5000"
  ttl: '30'
other:
  number: 5000
  ratio: 0.5
  flag: true
  nothing: ~
  word: yes-please
---
# an empty document is skipped
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Secret, metadata: {name: s}}
)",
                                           QStringLiteral("x.yaml"));
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.message().c_str());
        QCOMPARE(parsed->size(), 2);
        const QJsonObject cm = parsed->at(0).object;
        QCOMPARE(cm.value(QLatin1String("data")).toObject().value(QLatin1String("port")),
                 QJsonValue(QStringLiteral("5000")));
        QCOMPARE(cm.value(QLatin1String("data")).toObject().value(QLatin1String("ttl")),
                 QJsonValue(QStringLiteral("30")));
        const QJsonObject other = cm.value(QLatin1String("other")).toObject();
        QCOMPARE(other.value(QLatin1String("number")), QJsonValue(5000));
        QCOMPARE(other.value(QLatin1String("ratio")), QJsonValue(0.5));
        QCOMPARE(other.value(QLatin1String("flag")), QJsonValue(true));
        QVERIFY(other.value(QLatin1String("nothing")).isNull());
        QCOMPARE(other.value(QLatin1String("word")), QJsonValue(QStringLiteral("yes-please")));
        QCOMPARE(parsed->at(1).object.value(QLatin1String("kind")).toString(),
                 QStringLiteral("Secret"));
        QCOMPARE(parsed->at(1).document, 2);
    }

    void errorsNameFileLineAndColumn_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("malformed YAML")
            << QByteArray("apiVersion: v1\nkind: [x\n") << QStringLiteral("bad.yaml:3:1");
        QTest::newRow("no kind") << QByteArray("apiVersion: v1\nmetadata: {name: x}\n")
                                 << QStringLiteral(
                                        "bad.yaml:1:1: document 1 has no apiVersion or kind");
        QTest::newRow("no name") << QByteArray("apiVersion: v1\nkind: ConfigMap\n")
                                 << QStringLiteral("ConfigMap in document 1 has no metadata.name");
        QTest::newRow("not a mapping")
            << QByteArray("- a\n- b\n") << QStringLiteral("is not a Kubernetes object");
    }
    void errorsNameFileLineAndColumn() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const auto parsed = parseManifests(text, QStringLiteral("bad.yaml"));
        QVERIFY(!parsed.ok());
        QVERIFY2(QString::fromStdString(parsed.message()).contains(expected),
                 parsed.message().c_str());
    }

    void bundledManifestsLoadInFileOrder() {
        const auto loaded = loadManifests(QStringLiteral(RF_SOURCE_DIR "/manifests/k8s"));
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
        QStringList kinds;
        for (const Manifest &m : loaded.value())
            kinds << m.object.value(QLatin1String("kind")).toString();
        QCOMPARE(kinds.first(), QStringLiteral("Namespace")); // before what lives in it
        for (const char *kind : {"ConfigMap", "Secret", "Deployment", "Service",
                                 "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress"})
            QVERIFY2(kinds.contains(QLatin1String(kind)), kind);
    }

    void appliesTheManifestsOnceOnAFreshSandbox() {
        SandboxFixture sandbox;
        QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
        HttpEngine engine;
        KubeClient client(engine, sandbox.restConfig());
        const QString ns = QStringLiteral("retail-forecast");
        const QString deployment = QStringLiteral("retail-forecast-api");

        for (const bool expectApplied : {true, false}) {
            WorkloadInstaller installer(client);
            QSignalSpy finished(&installer, &WorkloadInstaller::finished);
            installer.installIfAbsent(QStringLiteral(RF_SOURCE_DIR "/manifests/k8s"), ns,
                                      deployment);
            QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
            QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(2).toString()));
            QCOMPARE(finished.at(0).at(1).toBool(), expectApplied);
        }
        const KubeResult got = waitForResult([&](KubeCallback done) {
            return client.get(resources::deployments(), ns, deployment, this, done);
        });
        QVERIFY(got.ok());
        const QJsonArray managed = got->value(QLatin1String("metadata"))
                                       .toObject()
                                       .value(QLatin1String("managedFields"))
                                       .toArray();
        bool ours = false;
        for (const QJsonValue &entry : managed)
            ours = ours || entry.toObject().value(QLatin1String("manager")).toString() ==
                               QLatin1String("forecast-dashboard");
        QVERIFY2(ours, "applied with field manager forecast-dashboard");
    }

    void aBrokenManifestFolderIsReportedWithoutTouchingTheCluster() {
        SandboxFixture sandbox;
        QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
        HttpEngine engine;
        KubeClient client(engine, sandbox.restConfig());
        WorkloadInstaller installer(client);
        QSignalSpy finished(&installer, &WorkloadInstaller::finished);
        installer.installIfAbsent(QStringLiteral("/nonexistent/manifests"),
                                  QStringLiteral("retail-forecast"),
                                  QStringLiteral("retail-forecast-api"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QVERIFY(!finished.at(0).at(0).toBool());
        QVERIFY2(finished.at(0).at(2).toString().contains(QLatin1String("/nonexistent/manifests")),
                 qPrintable(finished.at(0).at(2).toString()));
    }
};

QTEST_GUILESS_MAIN(TestWorkloadInstaller)
#include "test_workload_installer.moc"
