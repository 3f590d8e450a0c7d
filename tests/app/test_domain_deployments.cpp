// The workload header and the ReplicaSets list against kubectl: `kubectl rollout status`
// (--watch=false) and `kubectl get deployments` / `kubectl get rs` as printed for the same
// objects saved from a sandbox (testdata/domain/deployments.json, replicasets.json), covering
// a finished rollout, a rollout waiting for new replicas, old replicas pending termination,
// updated replicas not yet available (minReadySeconds), an exceeded progress deadline and a
// paused deployment.

#include "core/domain/deployment_summary.h"
#include "core/domain/image_reference.h"
#include "core/domain/replica_set_history.h"
#include "test_domain_fixture.h"

#include <QtTest>

using namespace dashboard;

namespace {

QJsonObject deploymentNamed(const QString &name) {
    static const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("deployments.json"));
    for (const QJsonObject &d : domain_test::items(fixture)) {
        if (d.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString() ==
            name)
            return d;
    }
    qFatal("no deployment %s", qPrintable(name));
}

QJsonObject withField(QJsonObject object, const QString &section, const QString &key,
                      const QJsonValue &value) {
    QJsonObject inner = object.value(section).toObject();
    inner.insert(key, value);
    object.insert(section, inner);
    return object;
}

} // namespace

class TestDomainDeployments final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rolloutStatusMatchesKubectl_data();
    void rolloutStatusMatchesKubectl();
    void specUpdateNotYetObserved();
    void columnsMatchKubectlGetDeployments_data();
    void columnsMatchKubectlGetDeployments();
    void summary_data();
    void summary();
    void replicaSetColumnsMatchKubectl_data();
    void replicaSetColumnsMatchKubectl();
    void historyByRevision();
    void ownershipIsByControllerUid();
    void imageVersion_data();
    void imageVersion();
};

void TestDomainDeployments::rolloutStatusMatchesKubectl_data() {
    QTest::addColumn<QJsonObject>("deployment");
    QTest::addColumn<QString>("kubectlOutput");
    QTest::addColumn<bool>("kubectlFailed");

    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("deployments.json"));
    const QJsonObject statuses = fixture.value(QLatin1String("rolloutStatus")).toObject();
    for (const QJsonObject &d : domain_test::items(fixture)) {
        const QString name =
            d.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
        const QJsonObject printed = statuses.value(name).toObject();
        const bool failed = printed.value(QLatin1String("exitCode")).toInt() != 0;
        const QString output =
            printed.value(failed ? QLatin1String("stderr") : QLatin1String("stdout")).toString();
        QTest::newRow(qPrintable(name + QStringLiteral(": ") + output.trimmed()))
            << d << output << failed;
    }
}

void TestDomainDeployments::rolloutStatusMatchesKubectl() {
    QFETCH(QJsonObject, deployment);
    const RolloutStatus status = rolloutStatus(deployment);
    QTEST(status.kubectlOutput(), "kubectlOutput");
    QTEST(status.failed, "kubectlFailed");
    QCOMPARE(status.done, status.message.endsWith(QLatin1String("successfully rolled out")));
}

void TestDomainDeployments::specUpdateNotYetObserved() {
    // A spec change the controller has not seen yet: generation ahead of observedGeneration
    // (the sandbox's controller observes too fast to save one).
    QJsonObject web = deploymentNamed(QStringLiteral("web"));
    const qint64 observed = web.value(QLatin1String("status"))
                                .toObject()
                                .value(QLatin1String("observedGeneration"))
                                .toInteger();
    web = withField(web, QStringLiteral("metadata"), QStringLiteral("generation"), observed + 1);
    const RolloutStatus status = rolloutStatus(web);
    QCOMPARE(status.kubectlOutput(),
             QStringLiteral("Waiting for deployment spec update to be observed...\n"));
    QVERIFY(!status.done);
    QVERIFY(!status.failed);
    // kubectl checks this before the progress deadline: a stale status is not reported as failed.
    const RolloutStatus stale =
        rolloutStatus(withField(deploymentNamed(QStringLiteral("stuck")),
                                QStringLiteral("metadata"), QStringLiteral("generation"), 99));
    QCOMPARE(stale.message, QStringLiteral("Waiting for deployment spec update to be observed..."));
    QVERIFY(!stale.failed);
}

void TestDomainDeployments::columnsMatchKubectlGetDeployments_data() {
    QTest::addColumn<QJsonObject>("deployment");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QString>("ready");
    QTest::addColumn<int>("updated");
    QTest::addColumn<int>("available");
    QTest::addColumn<QString>("age");

    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("deployments.json"));
    const domain_test::PrintedTable table(fixture.value(QLatin1String("kubectlOutput")).toArray());
    const QDateTime now = domain_test::printedAt(fixture);
    for (const QJsonObject &d : domain_test::items(fixture)) {
        const QString name =
            d.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
        const int row = table.find(QStringLiteral("NAME"), name);
        QVERIFY(row >= 0);
        QTest::newRow(qPrintable(name)) << d << now << table.cell(row, QStringLiteral("READY"))
                                        << table.cell(row, QStringLiteral("UP-TO-DATE")).toInt()
                                        << table.cell(row, QStringLiteral("AVAILABLE")).toInt()
                                        << table.cell(row, QStringLiteral("AGE"));
    }
}

void TestDomainDeployments::columnsMatchKubectlGetDeployments() {
    QFETCH(QJsonObject, deployment);
    QFETCH(QDateTime, now);
    const DeploymentSummary d = summarizeDeployment(deployment, now);
    QTEST(d.readyText, "ready");
    QTEST(d.updated, "updated");
    QTEST(d.available, "available");
    QTEST(d.age, "age");
}

void TestDomainDeployments::summary_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("health");
    QTest::addColumn<qint64>("revision");
    QTest::addColumn<QString>("version");
    QTest::addColumn<bool>("paused");
    QTest::addColumn<QString>("progressingReason");
    QTest::addColumn<QString>("availableStatus");

    QTest::newRow("rolled out after an image change")
        << "web"
        << "Healthy" << qint64(2) << "1.26" << false << "NewReplicaSetAvailable"
        << "True";
    QTest::newRow("waiting for new replicas")
        << "rolling"
        << "Progressing" << qint64(2) << "2.0" << false << "ReplicaSetUpdated"
        << "True";
    QTest::newRow("updated but not available yet (minReadySeconds)")
        << "warming"
        << "Progressing" << qint64(1) << "v1.4.2" << false << "ReplicaSetUpdated"
        << "False";
    QTest::newRow("progress deadline exceeded")
        << "stuck"
        << "Failed" << qint64(2) << "2.0" << false << "ProgressDeadlineExceeded"
        << "True";
    QTest::newRow("never became available, deadline exceeded")
        << "badimage"
        << "Failed" << qint64(1) << "1.0" << false << "ProgressDeadlineExceeded"
        << "False";
    QTest::newRow("paused with a pending template change")
        << "crasher"
        << "Warning" << qint64(1) << "2.2" << true << "DeploymentPaused"
        << "True";
}

void TestDomainDeployments::summary() {
    QFETCH(QString, name);
    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("deployments.json"));
    const DeploymentSummary d =
        summarizeDeployment(deploymentNamed(name), domain_test::printedAt(fixture));
    QTEST(healthName(d.health), "health");
    QTEST(d.revision, "revision");
    QTEST(d.version, "version");
    QTEST(d.paused, "paused");
    const Condition *progressing = findCondition(d.conditions, u"Progressing");
    QVERIFY(progressing);
    QTEST(progressing->reason, "progressingReason");
    const Condition *available = findCondition(d.conditions, u"Available");
    QVERIFY(available);
    QTEST(available->status, "availableStatus");
    QVERIFY(!d.healthReason.isEmpty());
    QCOMPARE(d.images.size(), d.containers.size());
}

void TestDomainDeployments::replicaSetColumnsMatchKubectl_data() {
    QTest::addColumn<QJsonObject>("replicaSet");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<int>("desired");
    QTest::addColumn<int>("current");
    QTest::addColumn<int>("ready");
    QTest::addColumn<QString>("age");

    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("replicasets.json"));
    const domain_test::PrintedTable table(fixture.value(QLatin1String("kubectlOutput")).toArray());
    const QDateTime now = domain_test::printedAt(fixture);
    for (const QJsonObject &rs : domain_test::items(fixture)) {
        const QString name =
            rs.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
        const int row = table.find(QStringLiteral("NAME"), name);
        QVERIFY(row >= 0);
        QTest::newRow(qPrintable(name))
            << rs << now << table.cell(row, QStringLiteral("DESIRED")).toInt()
            << table.cell(row, QStringLiteral("CURRENT")).toInt()
            << table.cell(row, QStringLiteral("READY")).toInt()
            << table.cell(row, QStringLiteral("AGE"));
    }
}

void TestDomainDeployments::replicaSetColumnsMatchKubectl() {
    QFETCH(QJsonObject, replicaSet);
    QFETCH(QDateTime, now);
    const ReplicaSetRevision row = presentReplicaSet(replicaSet, now);
    QTEST(row.desired, "desired");
    QTEST(row.current, "current");
    QTEST(row.ready, "ready");
    QTEST(row.age, "age");
}

void TestDomainDeployments::historyByRevision() {
    const QJsonObject rsFixture = domain_test::loadFixture(QStringLiteral("replicasets.json"));
    const QDateTime now = domain_test::printedAt(rsFixture);
    const QList<ReplicaSetRevision> web = replicaSetHistory(deploymentNamed(QStringLiteral("web")),
                                                            domain_test::items(rsFixture), now);
    QCOMPARE(web.size(), 2);
    QCOMPARE(web[0].name, QStringLiteral("web-765dc9dcdf"));
    QCOMPARE(web[0].revision, 2);
    QVERIFY(web[0].isCurrent);
    QCOMPARE(web[0].images, QStringList{QStringLiteral("nginx:1.26")});
    QCOMPARE(web[0].version, QStringLiteral("1.26"));
    QCOMPARE(web[0].changeCause, QStringLiteral("upgrade to nginx 1.26"));
    QCOMPARE(web[1].changeCause, QStringLiteral("initial nginx 1.25"));
    QCOMPARE(web[1].name, QStringLiteral("web-777b54dbd4"));
    QCOMPARE(web[1].revision, 1);
    QVERIFY(!web[1].isCurrent);
    QCOMPARE(web[1].desired, 0);
    QCOMPARE(web[1].version, QStringLiteral("1.25"));

    const QList<ReplicaSetRevision> warming = replicaSetHistory(
        deploymentNamed(QStringLiteral("warming")), domain_test::items(rsFixture), now);
    QCOMPARE(warming.size(), 1);
    QCOMPARE(warming[0].changeCause, QStringLiteral("kubectl apply warming v1"));
    QCOMPARE(warming[0].images,
             (QStringList{QStringLiteral("registry.k8s.io/retail-forecast:v1.4.2"),
                          QStringLiteral("nginx:1.25")}));
}

void TestDomainDeployments::ownershipIsByControllerUid() {
    const QJsonObject rsFixture = domain_test::loadFixture(QStringLiteral("replicasets.json"));
    QList<QJsonObject> sets = domain_test::items(rsFixture);
    // A ReplicaSet with the deployment's name prefix and labels but another owner uid (a
    // deleted and recreated deployment's orphan) is not part of the history.
    QJsonObject orphan = sets.first();
    QJsonObject meta = orphan.value(QLatin1String("metadata")).toObject();
    meta.insert(QStringLiteral("name"), QStringLiteral("web-5f5f5f5f5f"));
    QJsonArray refs = meta.value(QLatin1String("ownerReferences")).toArray();
    QJsonObject ref = refs.at(0).toObject();
    ref.insert(QStringLiteral("name"), QStringLiteral("web"));
    ref.insert(QStringLiteral("uid"), QStringLiteral("00000000-0000-0000-0000-000000000000"));
    refs.replace(0, ref);
    meta.insert(QStringLiteral("ownerReferences"), refs);
    orphan.insert(QStringLiteral("metadata"), meta);
    sets << orphan;
    const QList<ReplicaSetRevision> web = replicaSetHistory(
        deploymentNamed(QStringLiteral("web")), sets, domain_test::printedAt(rsFixture));
    QCOMPARE(web.size(), 2);
    for (const ReplicaSetRevision &row : web)
        QVERIFY(row.name != QLatin1String("web-5f5f5f5f5f"));
}

void TestDomainDeployments::imageVersion_data() {
    QTest::addColumn<QString>("image");
    QTest::addColumn<QString>("repository");
    QTest::addColumn<QString>("version");
    QTest::newRow("short name with tag") << "nginx:1.25"
                                         << "nginx"
                                         << "1.25";
    QTest::newRow("no tag pulls latest") << "nginx"
                                         << "nginx"
                                         << "latest";
    QTest::newRow("registry port is not a tag") << "localhost:5000/team/app"
                                                << "localhost:5000/team/app"
                                                << "latest";
    QTest::newRow("registry port and tag") << "localhost:5000/team/app:v2"
                                           << "localhost:5000/team/app"
                                           << "v2";
    QTest::newRow("digest only shows a short digest")
        << "ghcr.io/acme/"
           "api@sha256:3f2a9c1b0d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd"
        << "ghcr.io/acme/api"
        << "sha256:3f2a9c1b0d4e";
    QTest::newRow("tag wins over digest")
        << "ghcr.io/acme/"
           "api:1.4.2@sha256:3f2a9c1b0d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd"
        << "ghcr.io/acme/api"
        << "1.4.2";
}

void TestDomainDeployments::imageVersion() {
    QFETCH(QString, image);
    const ImageReference ref = ImageReference::parse(image);
    QTEST(ref.repository, "repository");
    QTEST(ref.version(), "version");
}

QTEST_GUILESS_MAIN(TestDomainDeployments)
#include "test_domain_deployments.moc"
