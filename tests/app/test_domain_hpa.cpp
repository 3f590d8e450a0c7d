// The HPA panel against kubectl: TARGETS exactly as `kubectl get hpa` prints autoscaling/v2
// objects (formatHPAMetrics of kubectl 1.32: every metric source, "<unknown>" before metrics
// arrive, "+ N more..." beyond two, statuses matched by position, canonical quantities), the
// numbers behind each metric for the panel and chart, MINPODS "<unset>", and the health class
// from the HPA conditions. Objects: testdata/domain/hpas-written.json (make_hpas.py).

#include "core/domain/hpa_summary.h"
#include "test_domain_fixture.h"

#include <QtTest>

using namespace dashboard;

namespace {

QJsonObject hpaNamed(const QString &name) {
    static const QJsonObject fixture =
        domain_test::loadFixture(QStringLiteral("hpas-written.json"));
    const QJsonObject hpa = fixture.value(QLatin1String("hpas")).toObject().value(name).toObject();
    if (hpa.isEmpty())
        qFatal("no hpa %s", qPrintable(name));
    return hpa;
}

const QDateTime kNow = QDateTime::fromString(QStringLiteral("2026-11-25T18:00:00Z"), Qt::ISODate);

} // namespace

class TestDomainHpa final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesKubectlGetHpa_data();
    void matchesKubectlGetHpa();
    void targetsLikeKubectl_data();
    void targetsLikeKubectl();
    void metricValues();
    void replicaCounts();
    void health_data();
    void health();
};

void TestDomainHpa::matchesKubectlGetHpa_data() {
    QTest::addColumn<QJsonObject>("hpa");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QString>("reference");
    QTest::addColumn<QString>("targets");
    QTest::addColumn<QString>("minPods");
    QTest::addColumn<int>("maxPods");
    QTest::addColumn<int>("replicas");
    QTest::addColumn<QString>("age");
    QTest::addColumn<QString>("health");

    // HPAs of a sandbox with its HPA controller and metrics (testdata/domain/hpas.json):
    // utilization targets, average-value targets with three metrics, and a missing target.
    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("hpas.json"));
    const domain_test::PrintedTable table(fixture.value(QLatin1String("kubectlOutput")).toArray());
    for (const QJsonObject &hpa : domain_test::items(fixture)) {
        const QString name =
            hpa.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
        const int row = table.find(QStringLiteral("NAME"), name);
        QVERIFY(row >= 0);
        QString targets = table.cell(row, QStringLiteral("TARGETS"));
        // The sandbox keeps spec quantities as written ("0.5"); a real API server stores
        // and kubectl prints them canonically ("500m"), which is what the dashboard shows.
        targets.replace(QStringLiteral("/0.5,"), QStringLiteral("/500m,"));
        static const QHash<QString, QString> health{
            {QStringLiteral("api"), QStringLiteral("Healthy")},
            {QStringLiteral("crasher"), QStringLiteral("Healthy")},
            {QStringLiteral("ghost"), QStringLiteral("Failed")}};
        QTest::newRow(qPrintable(name))
            << hpa << domain_test::printedAt(fixture)
            << table.cell(row, QStringLiteral("REFERENCE")) << targets
            << table.cell(row, QStringLiteral("MINPODS"))
            << table.cell(row, QStringLiteral("MAXPODS")).toInt()
            << table.cell(row, QStringLiteral("REPLICAS")).toInt()
            << table.cell(row, QStringLiteral("AGE")) << health.value(name);
    }
}

void TestDomainHpa::matchesKubectlGetHpa() {
    QFETCH(QJsonObject, hpa);
    QFETCH(QDateTime, now);
    const HpaSummary h = summarizeHpa(hpa, now);
    QTEST(h.reference, "reference");
    QTEST(h.targets, "targets");
    QTEST(h.minReplicasText, "minPods");
    QTEST(h.maxReplicas, "maxPods");
    QTEST(h.currentReplicas, "replicas");
    QTEST(h.age, "age");
    QTEST(healthName(h.health), "health");
}

void TestDomainHpa::targetsLikeKubectl_data() {
    QTest::addColumn<QString>("hpa");
    QTest::addColumn<QString>("targets");
    QTest::newRow("cpu and memory utilization") << "cpu-and-memory"
                                                << "cpu: 45%/70%, memory: 20%/80%";
    QTest::newRow("before the first metrics") << "no-metrics-yet"
                                              << "cpu: <unknown>/70%";
    QTest::newRow("three metrics show two and a count")
        << "three-metrics-shows-two"
        << "cpu: 45%/70%, memory: 20%/80% + 1 more...";
    QTest::newRow("average value target in canonical quantities") << "average-value-target"
                                                                  << "cpu: 230m/500m";
    QTest::newRow("utilization target, status without utilization")
        << "utilization-target-without-current-utilization"
        << "cpu: <unknown>/70%";
    QTest::newRow("status matched by position, missing second")
        << "status-shorter-than-spec"
        << "cpu: 45%/70%, memory: <unknown>/80%";
    QTest::newRow("pods metric has no name and no (avg)") << "pods-metric"
                                                          << "1200/1k";
    QTest::newRow("object value and object average") << "object-value-and-average"
                                                     << "2k/10k, 500m/1 (avg)";
    QTest::newRow("external average value") << "external-average-value"
                                            << "25/30 (avg)";
    QTest::newRow("container resource prints the resource name") << "container-resource"
                                                                 << "cpu: 60%/50%";
    QTest::newRow("metrics unavailable") << "metrics-unavailable"
                                         << "cpu: <unknown>/70%";
    QTest::newRow("over target at max replicas") << "at-max-replicas"
                                                 << "cpu: 180%/70%";
}

void TestDomainHpa::targetsLikeKubectl() {
    QFETCH(QString, hpa);
    const QJsonObject object = hpaNamed(hpa);
    QTEST(hpaTargets(object), "targets");
    QTEST(summarizeHpa(object, kNow).targets, "targets");
}

void TestDomainHpa::metricValues() {
    const HpaSummary h = summarizeHpa(hpaNamed(QStringLiteral("three-metrics-shows-two")), kNow);
    QCOMPARE(h.metrics.size(), 3); // the panel shows all of them, TARGETS only two
    QCOMPARE(h.metrics[0].name, QStringLiteral("cpu"));
    QVERIFY(h.metrics[0].isPercent());
    QCOMPARE(*h.metrics[0].current, 45.0);
    QCOMPARE(*h.metrics[0].target, 70.0);
    QCOMPARE(h.metrics[2].sourceType, QStringLiteral("Pods"));
    QCOMPARE(h.metrics[2].name, QStringLiteral("http_requests_per_second"));
    QVERIFY(!h.metrics[2].isPercent());
    QCOMPARE(h.metrics[2].currentText, QStringLiteral("37500m"));
    QCOMPARE(*h.metrics[2].current, 37.5);
    QCOMPARE(*h.metrics[2].target, 50.0);

    const HpaSummary unknown = summarizeHpa(hpaNamed(QStringLiteral("no-metrics-yet")), kNow);
    QCOMPARE(unknown.metrics.size(), 1);
    QVERIFY(!unknown.metrics[0].current.has_value()); // the chart leaves a gap, not a zero
    QCOMPARE(unknown.metrics[0].currentText, QStringLiteral("<unknown>"));

    const HpaSummary container = summarizeHpa(hpaNamed(QStringLiteral("container-resource")), kNow);
    QCOMPARE(container.metrics[0].container, QStringLiteral("api"));
    QCOMPARE(container.metrics[0].sourceType, QStringLiteral("ContainerResource"));

    const HpaSummary avg = summarizeHpa(hpaNamed(QStringLiteral("average-value-target")), kNow);
    QCOMPARE(avg.metrics[0].targetType, QStringLiteral("AverageValue"));
    QCOMPARE(*avg.metrics[0].current, 0.23);
    QCOMPARE(*avg.metrics[0].target, 0.5);
}

void TestDomainHpa::replicaCounts() {
    const HpaSummary h = summarizeHpa(hpaNamed(QStringLiteral("container-resource")), kNow);
    QCOMPARE(h.reference, QStringLiteral("Deployment/retail-forecast-api"));
    QCOMPARE(h.minReplicas, 2);
    QCOMPARE(h.minReplicasText, QStringLiteral("2"));
    QCOMPARE(h.maxReplicas, 10);
    QCOMPARE(h.currentReplicas, 4);
    QCOMPARE(h.desiredReplicas, 5);
    QCOMPARE(h.age, QStringLiteral("20m"));
    QCOMPARE(h.lastScaleTime,
             QDateTime::fromString(QStringLiteral("2026-11-25T17:50:00Z"), Qt::ISODate));
    QCOMPARE(h.conditions.size(), 3);

    const HpaSummary unset = summarizeHpa(hpaNamed(QStringLiteral("min-replicas-unset")), kNow);
    QCOMPARE(unset.minReplicasText, QStringLiteral("<unset>"));
    QCOMPARE(unset.minReplicas, 1); // what the controller uses
}

void TestDomainHpa::health_data() {
    QTest::addColumn<QString>("hpa");
    QTest::addColumn<QString>("health");
    QTest::addColumn<QString>("reasonStart");
    QTest::newRow("steady") << "cpu-and-memory"
                            << "Healthy"
                            << "metrics within target";
    QTest::newRow("scaling up") << "container-resource"
                                << "Progressing"
                                << "scaling from 4 to 5";
    QTest::newRow("no conditions yet") << "no-metrics-yet"
                                       << "Progressing"
                                       << "waiting for the first metrics";
    QTest::newRow("metrics unavailable") << "metrics-unavailable"
                                         << "Warning"
                                         << "the HPA was unable to compute";
    QTest::newRow("limited by maxReplicas") << "at-max-replicas"
                                            << "Warning"
                                            << "the desired replica count is more";
    QTest::newRow("target scale unreadable") << "cannot-scale"
                                             << "Failed"
                                             << "the HPA controller was unable";
}

void TestDomainHpa::health() {
    QFETCH(QString, hpa);
    QFETCH(QString, reasonStart);
    const HpaSummary h = summarizeHpa(hpaNamed(hpa), kNow);
    QTEST(healthName(h.health), "health");
    QVERIFY2(h.healthReason.startsWith(reasonStart), qPrintable(h.healthReason));
}

QTEST_GUILESS_MAIN(TestDomainHpa)
#include "test_domain_hpa.moc"
