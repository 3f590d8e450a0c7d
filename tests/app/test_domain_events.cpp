// The events list against kubectl: LAST SEEN / TYPE / REASON / OBJECT / MESSAGE as
// `kubectl get events` printed them, and the "4s (x9 over 68s)" interval as `kubectl events`
// (and kubectl describe) printed it, for the same events saved from a sandbox namespace with
// a rollout and an image that cannot be pulled (testdata/domain/events.json); then the
// dashboard's own order (newest first) and events.k8s.io-style series.

#include "core/domain/event_list.h"
#include "test_domain_fixture.h"

#include <QtTest>

using namespace dashboard;

class TestDomainEvents final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void columnsMatchKubectlGetEvents_data();
    void columnsMatchKubectlGetEvents();
    void intervalMatchesKubectlEvents_data();
    void intervalMatchesKubectlEvents();
    void newestFirstWithWarningsFlagged();
    void seriesAndSingletonEvents_data();
    void seriesAndSingletonEvents();
    void filterByInvolvedObject();
};

void TestDomainEvents::columnsMatchKubectlGetEvents_data() {
    QTest::addColumn<QJsonObject>("event");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QString>("lastSeen");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("object");
    QTest::addColumn<QString>("message");

    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("events.json"));
    const domain_test::PrintedTable table(fixture.value(QLatin1String("kubectlOutput")).toArray());
    const QList<QJsonObject> events = domain_test::items(fixture);
    QCOMPARE(events.size(), table.rowCount());
    // `kubectl get events` prints the server's list order.
    for (int i = 0; i < events.size(); ++i) {
        QTest::newRow(qPrintable(events[i]
                                     .value(QLatin1String("metadata"))
                                     .toObject()
                                     .value(QLatin1String("name"))
                                     .toString()))
            << events[i] << domain_test::printedAt(fixture)
            << table.cell(i, QStringLiteral("LAST SEEN")) << table.cell(i, QStringLiteral("TYPE"))
            << table.cell(i, QStringLiteral("REASON")) << table.cell(i, QStringLiteral("OBJECT"))
            << table.cell(i, QStringLiteral("MESSAGE"));
    }
}

void TestDomainEvents::columnsMatchKubectlGetEvents() {
    QFETCH(QJsonObject, event);
    QFETCH(QDateTime, now);
    const EventRow row = presentEvent(event, now);
    QTEST(row.lastSeenText, "lastSeen");
    QTEST(row.type, "type");
    QTEST(row.reason, "reason");
    QTEST(row.object, "object");
    QTEST(row.message, "message");
}

void TestDomainEvents::intervalMatchesKubectlEvents_data() {
    QTest::addColumn<QJsonObject>("event");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QString>("interval");

    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("events.json"));
    const domain_test::PrintedTable table(
        fixture.value(QLatin1String("kubectlEventsOutput")).toArray());
    const QDateTime now = domain_test::printedAt(fixture, QLatin1String("eventsPrintedBetween"));
    // `kubectl events` sorts by time, so rows are found by what they say (object, reason,
    // message identify an event here).
    for (const QJsonObject &event : domain_test::items(fixture)) {
        const QString object = event.value(QLatin1String("involvedObject"))
                                   .toObject()
                                   .value(QLatin1String("kind"))
                                   .toString() +
                               u'/' +
                               event.value(QLatin1String("involvedObject"))
                                   .toObject()
                                   .value(QLatin1String("name"))
                                   .toString();
        const QString reason = event.value(QLatin1String("reason")).toString();
        const QString message = event.value(QLatin1String("message")).toString().trimmed();
        int found = -1;
        for (int row = 0; row < table.rowCount() && found < 0; ++row) {
            if (table.cell(row, QStringLiteral("OBJECT")) == object &&
                table.cell(row, QStringLiteral("REASON")) == reason &&
                table.cell(row, QStringLiteral("MESSAGE")) == message)
                found = row;
        }
        QVERIFY2(found >= 0, qPrintable(object + u' ' + message));
        const QString name = event.value(QLatin1String("metadata"))
                                 .toObject()
                                 .value(QLatin1String("name"))
                                 .toString();
        QTest::newRow(qPrintable(name))
            << event << now << table.cell(found, QStringLiteral("LAST SEEN"));
    }
}

void TestDomainEvents::intervalMatchesKubectlEvents() {
    QFETCH(QJsonObject, event);
    QFETCH(QDateTime, now);
    QTEST(presentEvent(event, now).ageText, "interval");
}

void TestDomainEvents::newestFirstWithWarningsFlagged() {
    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("events.json"));
    const QList<EventRow> rows =
        eventsNewestFirst(domain_test::items(fixture), domain_test::printedAt(fixture));
    QCOMPARE(rows.size(), domain_test::items(fixture).size());
    for (int i = 1; i < rows.size(); ++i)
        QVERIFY2(rows[i - 1].lastSeen >= rows[i].lastSeen, qPrintable(rows[i].name));
    // The image pull failures repeat, so they are the newest and they are warnings.
    QVERIFY(rows.first().lastSeen.isValid());
    int warnings = 0;
    for (const EventRow &row : rows) {
        QCOMPARE(row.warning, row.type == QLatin1String("Warning"));
        warnings += row.warning ? 1 : 0;
        if (row.warning)
            QVERIFY(row.count > 1);
    }
    QCOMPARE(warnings, 3);
    // Same input, same order: the list does not reshuffle between refreshes.
    const QList<EventRow> again =
        eventsNewestFirst(domain_test::items(fixture), domain_test::printedAt(fixture));
    for (int i = 0; i < rows.size(); ++i)
        QCOMPARE(again[i].name, rows[i].name);
}

void TestDomainEvents::seriesAndSingletonEvents_data() {
    QTest::addColumn<QJsonObject>("event");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("lastSeen");
    QTest::addColumn<QString>("interval");
    QTest::addColumn<QString>("source");

    // Written by controllers using the events.k8s.io API: eventTime and series, no
    // first/lastTimestamp, no count.
    const QJsonObject series{
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), QStringLiteral("web-hpa.1")}}},
        {QStringLiteral("type"), QStringLiteral("Warning")},
        {QStringLiteral("reason"), QStringLiteral("FailedGetResourceMetric")},
        {QStringLiteral("message"),
         QStringLiteral("failed to get cpu utilization: no metrics returned ")},
        {QStringLiteral("involvedObject"),
         QJsonObject{{QStringLiteral("kind"), QStringLiteral("HorizontalPodAutoscaler")},
                     {QStringLiteral("name"), QStringLiteral("web")}}},
        {QStringLiteral("eventTime"), QStringLiteral("2026-11-25T17:54:59.500000Z")},
        {QStringLiteral("series"), QJsonObject{{QStringLiteral("count"), 4},
                                               {QStringLiteral("lastObservedTime"),
                                                QStringLiteral("2026-11-25T17:59:50.000000Z")}}},
        {QStringLiteral("reportingComponent"), QStringLiteral("horizontal-pod-autoscaler")},
    };
    QTest::newRow("series") << series << 4 << "10s"
                            << "10s (x4 over 5m)"
                            << "horizontal-pod-autoscaler";

    QJsonObject singleton = series;
    singleton.remove(QStringLiteral("series"));
    singleton.insert(QStringLiteral("reportingInstance"),
                     QStringLiteral("kube-controller-manager-1"));
    QTest::newRow("singleton of the new API counts once")
        << singleton << 1 << "5m"
        << "5m"
        << "horizontal-pod-autoscaler, kube-controller-manager-1";

    QJsonObject legacy = singleton;
    legacy.remove(QStringLiteral("eventTime"));
    legacy.insert(QStringLiteral("firstTimestamp"), QStringLiteral("2026-11-25T17:50:00Z"));
    legacy.insert(QStringLiteral("lastTimestamp"), QStringLiteral("2026-11-25T17:59:00Z"));
    legacy.insert(QStringLiteral("count"), 3);
    legacy.insert(QStringLiteral("source"),
                  QJsonObject{{QStringLiteral("component"), QStringLiteral("kubelet")},
                              {QStringLiteral("host"), QStringLiteral("node-1")}});
    QTest::newRow("core v1 repeated") << legacy << 3 << "60s"
                                      << "60s (x3 over 10m)"
                                      << "kubelet, node-1";

    QJsonObject undated = legacy;
    undated.remove(QStringLiteral("firstTimestamp"));
    undated.remove(QStringLiteral("lastTimestamp"));
    undated.insert(QStringLiteral("count"), 1);
    QTest::newRow("no timestamps at all") << undated << 1 << "<unknown>"
                                          << "<unknown>"
                                          << "kubelet, node-1";
}

void TestDomainEvents::seriesAndSingletonEvents() {
    QFETCH(QJsonObject, event);
    const QDateTime now =
        QDateTime::fromString(QStringLiteral("2026-11-25T18:00:00Z"), Qt::ISODate);
    const EventRow row = presentEvent(event, now);
    QTEST(row.count, "count");
    QTEST(row.lastSeenText, "lastSeen");
    QTEST(row.ageText, "interval");
    QTEST(row.source, "source");
    QCOMPARE(row.object, QStringLiteral("horizontalpodautoscaler/web"));
    QCOMPARE(row.message, QStringLiteral("failed to get cpu utilization: no metrics returned"));
    QVERIFY(row.warning);
}

void TestDomainEvents::filterByInvolvedObject() {
    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("events.json"));
    const QList<EventRow> all =
        eventsNewestFirst(domain_test::items(fixture), domain_test::printedAt(fixture));
    const QList<EventRow> shop = eventsAbout(all, {QStringLiteral("Deployment/shop")});
    QCOMPARE(shop.size(), 5);
    for (const EventRow &row : shop)
        QCOMPARE(row.reason, QStringLiteral("ScalingReplicaSet"));
    QVERIFY(eventsAbout(all, {QStringLiteral("Deployment/nothing")}).isEmpty());
}

QTEST_GUILESS_MAIN(TestDomainEvents)
#include "test_domain_events.moc"
