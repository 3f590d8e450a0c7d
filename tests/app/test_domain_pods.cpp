// The pods table's strings against kubectl's: READY, STATUS, RESTARTS, AGE, IP and NODE of
// real sandbox pods compared with what `kubectl get pods -o wide` printed for the same
// objects; states the sandbox cannot produce (crash loops, init containers, OOM kills, node
// loss) from real pods edited the way the kubelet writes them (testdata/domain/
// make_edited_pods.py), with kubectl 1.32 printPod's output as the expectation.

#include "core/domain/pod_presentation.h"
#include "test_domain_fixture.h"

#include <QtTest>

using namespace dashboard;

class TestDomainPods final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesKubectlGetPods_data();
    void matchesKubectlGetPods();
    void editedStates_data();
    void editedStates();
    void lastTermination_data();
    void lastTermination();
    void ownerAndImages();
};

void TestDomainPods::matchesKubectlGetPods_data() {
    QTest::addColumn<QJsonObject>("pod");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QString>("ready");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("restarts");
    QTest::addColumn<QString>("age");
    QTest::addColumn<QString>("ip");
    QTest::addColumn<QString>("node");

    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("pods.json"));
    const domain_test::PrintedTable table(fixture.value(QLatin1String("kubectlOutput")).toArray());
    const QDateTime now = domain_test::printedAt(fixture);
    const QList<QJsonObject> pods = domain_test::items(fixture);
    QCOMPARE(pods.size(), table.rowCount());
    for (const QJsonObject &pod : pods) {
        const QString name =
            pod.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
        const int row = table.find(QStringLiteral("NAME"), name);
        QVERIFY2(row >= 0, qPrintable(name));
        QTest::newRow(qPrintable(name))
            << pod << now << table.cell(row, QStringLiteral("READY"))
            << table.cell(row, QStringLiteral("STATUS"))
            << table.cell(row, QStringLiteral("RESTARTS")) << table.cell(row, QStringLiteral("AGE"))
            << table.cell(row, QStringLiteral("IP")) << table.cell(row, QStringLiteral("NODE"));
    }
}

void TestDomainPods::matchesKubectlGetPods() {
    QFETCH(QJsonObject, pod);
    QFETCH(QDateTime, now);
    const PodPresentation row = presentPod(pod, now);
    QTEST(row.ready, "ready");
    QTEST(row.status, "status");
    QTEST(row.restartsText, "restarts");
    QTEST(row.age, "age");
    QTEST(row.ip, "ip");
    QTEST(row.node, "node");
}

void TestDomainPods::editedStates_data() {
    QTest::addColumn<QString>("pod");
    QTest::addColumn<QString>("ready");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("restarts");
    QTest::addColumn<QString>("health");

    auto row = [](const char *name, const char *ready, const char *status, const char *restarts,
                  const char *health) {
        QTest::newRow(name) << QString::fromLatin1(name) << QString::fromLatin1(ready)
                            << QString::fromLatin1(status) << QString::fromLatin1(restarts)
                            << QString::fromLatin1(health);
    };
    // now = 18:00:00; each pod's edits are in make_edited_pods.py under the same name.
    row("crash-loop-back-off", "0/1", "CrashLoopBackOff", "5 (40s ago)", "Failed");
    row("running-again-after-oom-kill", "1/1", "Running", "1 (11s ago)", "Warning");
    row("oom-killed-now", "0/1", "OOMKilled", "0", "Failed");
    row("terminated-by-signal-without-reason", "0/1", "Signal:9", "0", "Failed");
    row("terminated-with-exit-code-without-reason", "0/1", "ExitCode:2", "0", "Failed");
    row("completed-container-beside-running-one-not-ready", "1/2", "NotReady", "0", "Warning");
    row("completed-container-beside-running-one-ready", "1/2", "Running", "0", "Warning");
    row("init-container-running", "0/1", "Init:0/1", "0", "Progressing");
    row("init-container-crash-loop", "0/1", "Init:CrashLoopBackOff", "3 (2m30s ago)", "Failed");
    row("init-container-failed-with-reason", "0/1", "Init:Error", "0", "Failed");
    row("init-container-killed-by-signal", "0/1", "Init:Signal:15", "0", "Failed");
    row("init-container-image-pull-error", "0/1", "Init:ErrImagePull", "0", "Failed");
    row("second-of-two-init-containers-running", "0/1", "Init:1/2", "0", "Progressing");
    row("restartable-init-sidecar-counts-as-container", "2/2", "Running", "2 (10m ago)", "Healthy");
    row("being-deleted", "1/1", "Terminating", "0", "Progressing");
    row("node-lost-while-deleting", "1/1", "Unknown", "0", "Failed");
    row("succeeded", "0/1", "Completed", "0", "Healthy");
    row("succeeded-being-deleted-keeps-completed", "0/1", "Completed", "0", "Healthy");
    row("evicted", "0/1", "Evicted", "0", "Failed");
    row("scheduling-gated", "0/1", "SchedulingGated", "0", "Progressing");
    row("unschedulable", "0/1", "Pending", "0", "Warning");
    row("restarts-without-last-state", "1/1", "Running", "2", "Healthy");
    row("restarts-summed-newest-termination-wins", "2/2", "Running", "7 (2m ago)", "Warning");
    row("restart-119-seconds-ago-stays-in-seconds", "1/1", "Running", "1 (119s ago)", "Warning");
    row("running-unready-for-ten-minutes", "0/1", "Running", "0", "Warning");
    row("running-unready-for-thirty-seconds", "0/1", "Running", "0", "Progressing");
}

void TestDomainPods::editedStates() {
    static const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("pods-edited.json"));
    QFETCH(QString, pod);
    const QJsonObject object =
        fixture.value(QLatin1String("pods")).toObject().value(pod).toObject();
    QVERIFY2(!object.isEmpty(), qPrintable(pod));
    const QDateTime now =
        QDateTime::fromString(fixture.value(QLatin1String("now")).toString(), Qt::ISODate);
    const PodPresentation row = presentPod(object, now);
    QTEST(row.ready, "ready");
    QTEST(row.status, "status");
    QTEST(row.restartsText, "restarts");
    QTEST(healthName(row.health), "health");
    QVERIFY(!row.healthReason.isEmpty());
}

void TestDomainPods::lastTermination_data() {
    QTest::addColumn<QString>("pod");
    QTest::addColumn<QString>("container");
    QTest::addColumn<QString>("text");
    QTest::newRow("previous run's error") << "crash-loop-back-off"
                                          << "app"
                                          << "Error (exit 1), 40s ago";
    QTest::newRow("oom kill of the previous run") << "running-again-after-oom-kill"
                                                  << "app"
                                                  << "OOMKilled (exit 137), 11s ago";
    QTest::newRow("current termination when the container stays down")
        << "oom-killed-now"
        << "app"
        << "OOMKilled (exit 137), 30s ago";
    QTest::newRow("signal instead of exit code") << "terminated-by-signal-without-reason"
                                                 << "app"
                                                 << "Terminated (signal 9), 30s ago";
    QTest::newRow("newest across containers") << "restarts-summed-newest-termination-wins"
                                              << "sidecar"
                                              << "OOMKilled (exit 137), 2m ago";
    QTest::newRow("init container") << "init-container-crash-loop"
                                    << "setup"
                                    << "Error (exit 1), 2m30s ago";
    QTest::newRow("none") << "restarts-without-last-state"
                          << ""
                          << "";
}

void TestDomainPods::lastTermination() {
    static const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("pods-edited.json"));
    QFETCH(QString, pod);
    const QDateTime now =
        QDateTime::fromString(fixture.value(QLatin1String("now")).toString(), Qt::ISODate);
    const PodPresentation row =
        presentPod(fixture.value(QLatin1String("pods")).toObject().value(pod).toObject(), now);
    QTEST(row.lastTermination.container, "container");
    QTEST(row.lastTerminationText, "text");
}

void TestDomainPods::ownerAndImages() {
    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("pods.json"));
    const QDateTime now = domain_test::printedAt(fixture);
    for (const QJsonObject &pod : domain_test::items(fixture)) {
        const PodPresentation row = presentPod(pod, now);
        if (row.name == QLatin1String("two-containers")) {
            QVERIFY(row.controllerUid.isEmpty());
            QCOMPARE(row.images, (QStringList{QStringLiteral("nginx:1.25"),
                                              QStringLiteral("crash/sidecar:1")}));
        }
        if (row.name.startsWith(QLatin1String("warming-"))) {
            QCOMPARE(row.controllerKind, QStringLiteral("ReplicaSet"));
            QCOMPARE(row.controllerName, QStringLiteral("warming-98b4c9db"));
            QVERIFY(!row.controllerUid.isEmpty());
        }
        if (row.status == QLatin1String("ImagePullBackOff"))
            QCOMPARE(row.health, Health::Failed);
        if (row.status == QLatin1String("ContainerCreating"))
            QCOMPARE(row.health, Health::Progressing);
    }
}

QTEST_GUILESS_MAIN(TestDomainPods)
#include "test_domain_pods.moc"
