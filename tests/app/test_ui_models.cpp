// The window's item models and command line, without a window: live updates change rows in
// place (a selected pod stays selected), the proxy sorts and filters by the domain rules,
// ReplicaSets come newest revision first, events newest first with warnings flagged, and
// every command-line option parses or fails with a message. Data: objects saved from a
// sandbox (testdata/domain).

#include "test_domain_fixture.h"
#include "ui/command_line.h"
#include "ui/events_model.h"
#include "ui/pods_filter_proxy.h"
#include "ui/pods_table_model.h"
#include "ui/replica_sets_model.h"
#include "ui/workload_feed.h"

#include <QFont>
#include <QSignalSpy>
#include <QtTest>

using namespace dashboard;

namespace {

QList<QJsonObject> podsOf(const QString &prefix) {
    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("pods.json"));
    QList<QJsonObject> out;
    for (const QJsonObject &pod : domain_test::items(fixture)) {
        if (pod.value(QLatin1String("metadata"))
                .toObject()
                .value(QLatin1String("name"))
                .toString()
                .startsWith(prefix))
            out << pod;
    }
    return out;
}

QDateTime podsNow() {
    return domain_test::printedAt(domain_test::loadFixture(QStringLiteral("pods.json")));
}

} // namespace

class TestUiModels final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void podUpdatesKeepRowsAndSelection();
    void podRemovedAndReplaced();
    void proxySortsAndFilters();
    void agesAdvanceWithTheClock();
    void replicaSetsNewestFirst();
    void eventsNewestFirstAndInsertedOnTop();
    void labelSelector();
    void commandLine_data();
    void commandLine();
};

void TestUiModels::podUpdatesKeepRowsAndSelection() {
    PodsTableModel model;
    QList<QJsonObject> pods = podsOf(QStringLiteral("web-"));
    QCOMPARE(pods.size(), 5);
    model.setPods(pods, podsNow());
    QCOMPARE(model.rowCount(), 5);
    const QPersistentModelIndex selected =
        model.index(model.rowOfKey(QStringLiteral("retail-forecast/") + model.pod(2).name), 0);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    // The same pods again with one now failing: cells change, rows stay.
    QJsonObject status = pods[2].value(QLatin1String("status")).toObject();
    status.insert(QStringLiteral("phase"), QStringLiteral("Failed"));
    status.insert(QStringLiteral("reason"), QStringLiteral("Evicted"));
    status.remove(QStringLiteral("containerStatuses"));
    pods[2].insert(QStringLiteral("status"), status);
    model.setPods(pods, podsNow());
    QCOMPARE(resets.count(), 0);
    QCOMPARE(removed.count(), 0);
    QVERIFY(changed.count() >= 1);
    QVERIFY(selected.isValid());
    QCOMPARE(model.rowCount(), 5);
    const int row =
        model.rowOfKey(QStringLiteral("retail-forecast/") + pods[2]
                                                                .value(QLatin1String("metadata"))
                                                                .toObject()
                                                                .value(QLatin1String("name"))
                                                                .toString());
    QCOMPARE(model.index(row, int(PodColumn::Status)).data().toString(), QStringLiteral("Evicted"));
    QCOMPARE(model.index(row, 0).data(PodsTableModel::HealthRole).toInt(), int(Health::Failed));
    QVERIFY(model.index(row, 0).data(Qt::BackgroundRole).isValid());
}

void TestUiModels::podRemovedAndReplaced() {
    PodsTableModel model;
    QList<QJsonObject> pods = podsOf(QStringLiteral("web-"));
    model.setPods(pods, podsNow());
    const QString goneName = model.pod(0).name;
    const QPersistentModelIndex survivor = model.index(1, 0);
    const QString survivorName = survivor.data().toString();
    QList<QJsonObject> next;
    for (const QJsonObject &pod : pods) {
        if (pod.value(QLatin1String("metadata"))
                .toObject()
                .value(QLatin1String("name"))
                .toString() != goneName)
            next << pod;
    }
    QJsonObject replacement = pods.first();
    QJsonObject meta = replacement.value(QLatin1String("metadata")).toObject();
    meta.insert(QStringLiteral("name"), QStringLiteral("web-765dc9dcdf-newpd"));
    replacement.insert(QStringLiteral("metadata"), meta);
    next << replacement;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setPods(next, podsNow());
    QCOMPARE(removed.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 5);
    QVERIFY(survivor.isValid());
    QCOMPARE(survivor.data().toString(), survivorName);
    QCOMPARE(model.rowOfKey(QStringLiteral("retail-forecast/") + goneName), -1);
    QVERIFY(model.rowOfKey(QStringLiteral("retail-forecast/web-765dc9dcdf-newpd")) >= 0);
}

void TestUiModels::proxySortsAndFilters() {
    PodsTableModel model;
    PodsFilterProxy proxy(&model);
    model.setPods(domain_test::items(domain_test::loadFixture(QStringLiteral("pods.json"))),
                  podsNow());
    const int all = model.rowCount();
    QVERIFY(all > 10);
    proxy.sort(int(PodColumn::Status), Qt::DescendingOrder);
    // Failures on top: the pods that cannot pull their image.
    QCOMPARE(proxy.index(0, int(PodColumn::Status)).data().toString(),
             QStringLiteral("ImagePullBackOff"));
    proxy.setProblemsOnly(true);
    for (int row = 0; row < proxy.rowCount(); ++row)
        QCOMPARE(proxy.index(row, int(PodColumn::Status)).data().toString(),
                 QStringLiteral("ImagePullBackOff"));
    QVERIFY(proxy.rowCount() >= 2);
    proxy.setProblemsOnly(false);
    proxy.setFilterText(QStringLiteral("warming"));
    QCOMPARE(proxy.rowCount(), 3);
    proxy.setFilterText(QString());
    QCOMPARE(proxy.rowCount(), all);
}

void TestUiModels::agesAdvanceWithTheClock() {
    PodsTableModel model;
    model.setPods(podsOf(QStringLiteral("warming-")), podsNow());
    const QString before = model.index(0, int(PodColumn::Age)).data().toString();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setNow(podsNow().addSecs(3600));
    QCOMPARE(changed.count(), 1);
    QVERIFY(model.index(0, int(PodColumn::Age)).data().toString() != before);
}

void TestUiModels::replicaSetsNewestFirst() {
    const QJsonObject deployments = domain_test::loadFixture(QStringLiteral("deployments.json"));
    QJsonObject web;
    for (const QJsonObject &d : domain_test::items(deployments)) {
        if (d.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString() ==
            QLatin1String("web"))
            web = d;
    }
    const QJsonObject sets = domain_test::loadFixture(QStringLiteral("replicasets.json"));
    ReplicaSetsModel model;
    model.setReplicaSets(web, domain_test::items(sets), domain_test::printedAt(sets));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, ReplicaSetsModel::Revision).data().toString(), QStringLiteral("2"));
    QCOMPARE(model.index(0, ReplicaSetsModel::Images).data().toString(),
             QStringLiteral("nginx:1.26"));
    QCOMPARE(model.index(0, ReplicaSetsModel::ChangeCause).data().toString(),
             QStringLiteral("upgrade to nginx 1.26"));
    QVERIFY(model.index(0, 0).data(Qt::FontRole).value<QFont>().bold());
    QCOMPARE(model.index(1, ReplicaSetsModel::Revision).data().toString(), QStringLiteral("1"));
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setNow(domain_test::printedAt(sets).addSecs(60));
    QCOMPARE(resets.count(), 0);
}

void TestUiModels::eventsNewestFirstAndInsertedOnTop() {
    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("events.json"));
    QList<QJsonObject> events = domain_test::items(fixture);
    const QJsonObject newest = events.takeFirst();
    EventsModel model;
    const QDateTime now = domain_test::printedAt(fixture);
    model.setEvents(events, now);
    QCOMPARE(model.rowCount(), events.size());
    QJsonObject fresh = newest;
    QJsonObject meta = fresh.value(QLatin1String("metadata")).toObject();
    meta.insert(QStringLiteral("name"), QStringLiteral("fresh.1"));
    meta.insert(QStringLiteral("uid"), QStringLiteral("fresh-uid"));
    fresh.insert(QStringLiteral("metadata"), meta);
    fresh.insert(QStringLiteral("lastTimestamp"), now.addSecs(5).toString(Qt::ISODate));
    fresh.insert(QStringLiteral("type"), QStringLiteral("Warning"));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setEvents(events + QList<QJsonObject>{fresh}, now.addSecs(6));
    QCOMPARE(resets.count(), 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.event(0).name, QStringLiteral("fresh.1"));
    QVERIFY(model.index(0, 0).data(EventsModel::WarningRole).toBool());
    QVERIFY(model.index(0, 0).data(Qt::BackgroundRole).isValid());
}

void TestUiModels::labelSelector() {
    const QJsonObject selector{
        {QStringLiteral("matchLabels"),
         QJsonObject{{QStringLiteral("app"), QStringLiteral("web")}}},
        {QStringLiteral("matchExpressions"),
         QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("tier")},
                                {QStringLiteral("operator"), QStringLiteral("In")},
                                {QStringLiteral("values"),
                                 QJsonArray{QStringLiteral("api"), QStringLiteral("web")}}},
                    QJsonObject{{QStringLiteral("key"), QStringLiteral("canary")},
                                {QStringLiteral("operator"), QStringLiteral("DoesNotExist")}}}}};
    QCOMPARE(labelSelectorText(selector), QStringLiteral("app=web,tier in (api,web),!canary"));
}

void TestUiModels::commandLine_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("action");
    QTest::addColumn<QString>("check");
    using A = CommandLineOutcome::Action;
    QTest::newRow("defaults") << QStringList{} << int(A::Run) << "deployment=retail-forecast-api";
    QTest::newRow("everything")
        << QStringList{"--kubeconfig", "/tmp/k",       "--context", "prod",   "-n",
                       "shop",         "--deployment", "api",       "--lang", "zh_CN"}
        << int(A::Run) << "kubeconfig=/tmp/k context=prod namespace=shop deployment=api lang=zh_CN";
    QTest::newRow("sandbox") << QStringList{"--sandbox", "--keep-sandbox", "--screenshot",
                                            "/tmp/shot.png"}
                             << int(A::Run) << "sandbox keep screenshot=/tmp/shot.png";
    QTest::newRow("help") << QStringList{"--help"} << int(A::ShowHelp) << "--kubeconfig";
    QTest::newRow("version") << QStringList{"--version"} << int(A::ShowVersion)
                             << "forecast-dashboard";
    QTest::newRow("unknown option") << QStringList{"--frobnicate"} << int(A::Error) << "frobnicate";
    QTest::newRow("missing value") << QStringList{"--context"} << int(A::Error) << "context";
    QTest::newRow("stray argument")
        << QStringList{"web"} << int(A::Error) << "Unexpected argument: web";
    QTest::newRow("screenshot into a missing folder")
        << QStringList{"--screenshot", "/no/such/folder/x.png"} << int(A::Error)
        << "/no/such/folder";
    QTest::newRow("keep without sandbox")
        << QStringList{"--keep-sandbox"} << int(A::Error) << "--sandbox";
    QTest::newRow("sandbox with kubeconfig")
        << QStringList{"--sandbox", "--kubeconfig", "/tmp/k"} << int(A::Error) << "--kubeconfig";
    QTest::newRow("bad timeout") << QStringList{"--screenshot-timeout", "soon"} << int(A::Error)
                                 << "seconds";
}

void TestUiModels::commandLine() {
    QFETCH(QStringList, args);
    QFETCH(int, action);
    QFETCH(QString, check);
    const CommandLineOutcome outcome =
        parseCommandLine(QStringList{QStringLiteral("forecast-dashboard")} + args);
    QCOMPARE(int(outcome.action), action);
    if (outcome.action != CommandLineOutcome::Action::Run) {
        QVERIFY2(outcome.text.contains(check), qPrintable(outcome.text));
        return;
    }
    const DashboardOptions &o = outcome.options;
    QStringList actual;
    if (!o.kubeconfig.isEmpty())
        actual << QStringLiteral("kubeconfig=") + o.kubeconfig;
    if (!o.context.isEmpty())
        actual << QStringLiteral("context=") + o.context;
    if (!o.namespaceName.isEmpty())
        actual << QStringLiteral("namespace=") + o.namespaceName;
    if (o.deployment != QLatin1String("retail-forecast-api") || args.isEmpty())
        actual << QStringLiteral("deployment=") + o.deployment;
    if (!o.language.isEmpty())
        actual << QStringLiteral("lang=") + o.language;
    if (o.sandbox)
        actual << QStringLiteral("sandbox");
    if (o.keepSandbox)
        actual << QStringLiteral("keep");
    if (!o.screenshot.isEmpty())
        actual << QStringLiteral("screenshot=") + o.screenshot;
    QCOMPARE(actual.join(u' '), check);
}

QTEST_MAIN(TestUiModels)
#include "test_ui_models.moc"
