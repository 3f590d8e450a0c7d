// The pods table's sort and filter rules (dashboard::podLessThan / podMatches), which the
// UI's proxy only forwards to: what a user expects when clicking a column header or typing
// in the filter box, over the edited pod states of testdata/domain/pods-edited.json.

#include "core/domain/pod_table_rules.h"
#include "test_domain_fixture.h"

#include <QtTest>

#include <algorithm>

using namespace dashboard;

namespace {

QList<PodPresentation> allPods() {
    const QJsonObject fixture = domain_test::loadFixture(QStringLiteral("pods-edited.json"));
    const QDateTime now =
        QDateTime::fromString(fixture.value(QLatin1String("now")).toString(), Qt::ISODate);
    QList<PodPresentation> out;
    const QJsonObject pods = fixture.value(QLatin1String("pods")).toObject();
    for (auto it = pods.begin(); it != pods.end(); ++it)
        out << presentPod(it.value().toObject(), now);
    return out;
}

QStringList sortedNames(QList<PodPresentation> pods, PodColumn column) {
    std::sort(pods.begin(), pods.end(),
              [column](const PodPresentation &a, const PodPresentation &b) {
                  return podLessThan(a, b, column);
              });
    QStringList names;
    for (const PodPresentation &p : pods)
        names << p.name;
    return names;
}

} // namespace

class TestDomainPodTable final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyColumnIsAStrictOrder();
    void restartsSortNumerically();
    void statusSortsBySeverity();
    void ageSortsByCreationNotText();
    void ipSortsNumerically();
    void filter_data();
    void filter();
};

void TestDomainPodTable::everyColumnIsAStrictOrder() {
    const QList<PodPresentation> pods = allPods();
    for (int c = 0; c < int(PodColumn::Count); ++c) {
        for (const PodPresentation &a : pods) {
            QVERIFY(!podLessThan(a, a, PodColumn(c)));
            for (const PodPresentation &b : pods) {
                if (a.name != b.name)
                    QVERIFY2(
                        podLessThan(a, b, PodColumn(c)) != podLessThan(b, a, PodColumn(c)),
                        qPrintable(podColumnTitle(PodColumn(c)) + u' ' + a.name + u' ' + b.name));
            }
        }
    }
}

void TestDomainPodTable::restartsSortNumerically() {
    const QStringList names = sortedNames(allPods(), PodColumn::Restarts);
    // "7 (2m ago)" after "5 (40s ago)" after "3 (...)": numbers, not text.
    QVERIFY(names.indexOf(QStringLiteral("crasher-558675c4c-restarts")) >
            names.indexOf(QStringLiteral("crasher-558675c4c-crash")));
    QVERIFY(names.indexOf(QStringLiteral("crasher-558675c4c-crash")) >
            names.indexOf(QStringLiteral("crasher-558675c4c-initcrash")));
    QCOMPARE(names.last(), QStringLiteral("crasher-558675c4c-restarts"));
}

void TestDomainPodTable::statusSortsBySeverity() {
    QStringList names = sortedNames(allPods(), PodColumn::Status);
    std::reverse(names.begin(), names.end()); // descending: failures first
    const QList<PodPresentation> pods = allPods();
    auto healthOf = [&](const QString &name) {
        return std::find_if(pods.begin(), pods.end(),
                            [&](const PodPresentation &p) { return p.name == name; })
            ->health;
    };
    QCOMPARE(healthOf(names.first()), Health::Failed);
    QCOMPARE(healthOf(names.last()), Health::Healthy);
}

void TestDomainPodTable::ageSortsByCreationNotText() {
    PodPresentation young;
    young.name = QStringLiteral("young");
    young.created = QDateTime::fromString(QStringLiteral("2026-11-25T17:59:00Z"), Qt::ISODate);
    young.age = QStringLiteral("60s");
    PodPresentation old = young;
    old.name = QStringLiteral("old");
    old.created = QDateTime::fromString(QStringLiteral("2026-11-25T12:00:00Z"), Qt::ISODate);
    old.age = QStringLiteral("6h"); // "6h" < "60s" as text
    QVERIFY(podLessThan(young, old, PodColumn::Age));
    QVERIFY(!podLessThan(old, young, PodColumn::Age));
}

void TestDomainPodTable::ipSortsNumerically() {
    PodPresentation a;
    a.name = QStringLiteral("a");
    a.ip = QStringLiteral("10.0.0.10");
    PodPresentation b = a;
    b.name = QStringLiteral("b");
    b.ip = QStringLiteral("10.0.0.9");
    PodPresentation none = a;
    none.name = QStringLiteral("c");
    none.ip = QStringLiteral("<none>");
    QVERIFY(podLessThan(b, a, PodColumn::Ip));
    QVERIFY(podLessThan(a, none, PodColumn::Ip));
}

void TestDomainPodTable::filter_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("problemsOnly");
    QTest::addColumn<int>("matches");
    QTest::newRow("empty filter keeps all") << "" << false << 26;
    QTest::newRow("status word, any case")
        << "crashloopbackoff" << false << 2; // also Init:CrashLoopBackOff
    QTest::newRow("all words must match") << "init backoff" << false << 1;
    QTest::newRow("image") << "crash/app:2.1" << false << 26;
    QTest::newRow("ip and node") << "127.1.0.5 forecast-sandbox" << false
                                 << 23; // not the unscheduled or evicted
    QTest::newRow("nothing") << "no-such-pod" << false << 0;
    QTest::newRow("problems only") << "" << true << 17; // 10 failed, 7 warnings
    QTest::newRow("problems only and text") << "Init:" << true << 4;
}

void TestDomainPodTable::filter() {
    QFETCH(QString, text);
    QFETCH(bool, problemsOnly);
    const QList<PodPresentation> pods = allPods();
    const PodFilter filter{text, problemsOnly};
    const int matches = int(std::count_if(
        pods.begin(), pods.end(), [&](const PodPresentation &p) { return podMatches(p, filter); }));
    QTEST(matches, "matches");
}

QTEST_GUILESS_MAIN(TestDomainPodTable)
#include "test_domain_pod_table.moc"
