// Durations and quantities printed the way kubectl prints them: apimachinery's
// duration.HumanDuration / ShortHumanDuration at every boundary, and resource.Quantity's
// canonical text (what `kubectl get hpa` shows for average-value targets).

#include "core/domain/human_duration.h"
#include "core/domain/quantity.h"

#include <QtTest>

using namespace dashboard;

namespace {
constexpr qint64 s = 1000;
constexpr qint64 m = 60 * s;
constexpr qint64 h = 60 * m;
constexpr qint64 d = 24 * h;
} // namespace

class TestDomainValues final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void humanDuration_data();
    void humanDuration();
    void shortHumanDuration_data();
    void shortHumanDuration();
    void timestampSinceUnknown();
    void canonicalQuantity_data();
    void canonicalQuantity();
    void quantityNumbers_data();
    void quantityNumbers();
};

void TestDomainValues::humanDuration_data() {
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("clock skew of a second reads as now") << -1500LL << "0s";
    QTest::newRow("more skew is invalid") << -2 * s << "<invalid>";
    QTest::newRow("zero") << 0LL << "0s";
    QTest::newRow("fractions truncate") << 45 * s + 999 << "45s";
    QTest::newRow("seconds up to two minutes") << 119 * s << "119s";
    QTest::newRow("two minutes") << 2 * m << "2m";
    QTest::newRow("minutes and seconds below ten minutes") << 5 * m + 30 * s << "5m30s";
    QTest::newRow("nine minutes fifty-nine") << 9 * m + 59 * s << "9m59s";
    QTest::newRow("ten minutes drops seconds") << 10 * m + 30 * s << "10m";
    QTest::newRow("minutes up to three hours") << 179 * m << "179m";
    QTest::newRow("three hours") << 3 * h << "3h";
    QTest::newRow("hours and minutes below eight hours") << 5 * h + 12 * m << "5h12m";
    QTest::newRow("eight hours drops minutes") << 8 * h + 30 * m << "8h";
    QTest::newRow("hours up to two days") << 47 * h << "47h";
    QTest::newRow("days and hours below eight days") << 3 * d + 4 * h << "3d4h";
    QTest::newRow("whole days") << 2 * d << "2d";
    QTest::newRow("days up to two years") << 400 * d << "400d";
    QTest::newRow("years and days below eight years") << 2 * 365 * d + 30 * d << "2y30d";
    QTest::newRow("whole years") << 3 * 365 * d << "3y";
    QTest::newRow("years only from eight years") << 9 * 365 * d + 100 * d << "9y";
}

void TestDomainValues::humanDuration() {
    QFETCH(qint64, ms);
    QTEST(dashboard::humanDuration(ms), "text");
}

void TestDomainValues::shortHumanDuration_data() {
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("seconds") << 59 * s << "59s";
    QTest::newRow("minutes") << 5 * m + 30 * s << "5m";
    QTest::newRow("hours") << 23 * h + 59 * m << "23h";
    QTest::newRow("days") << 364 * d << "364d";
    QTest::newRow("years") << 800 * d << "2y";
}

void TestDomainValues::shortHumanDuration() {
    QFETCH(qint64, ms);
    QTEST(dashboard::shortHumanDuration(ms), "text");
}

void TestDomainValues::timestampSinceUnknown() {
    const QDateTime now =
        QDateTime::fromString(QStringLiteral("2026-11-25T18:00:00Z"), Qt::ISODate);
    QCOMPARE(timestampSince(QDateTime(), now), QStringLiteral("<unknown>"));
    QCOMPARE(timestampSince(now.addSecs(-330), now), QStringLiteral("5m30s"));
}

void TestDomainValues::canonicalQuantity_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("milli stays milli") << "230m"
                                       << "230m";
    QTest::newRow("fraction becomes milli") << "0.5"
                                            << "500m";
    QTest::newRow("whole milli becomes units") << "2000m"
                                               << "2";
    QTest::newRow("one and a half") << "1.5"
                                    << "1500m";
    QTest::newRow("kilo") << "100000"
                          << "100k";
    QTest::newRow("not a multiple of a thousand") << "1500000"
                                                  << "1500k";
    QTest::newRow("binary stays binary") << "128Mi"
                                         << "128Mi";
    QTest::newRow("binary normalizes upward") << "1024Ki"
                                              << "1Mi";
    QTest::newRow("binary not divisible stays in the smaller unit") << "1536Ki"
                                                                    << "1536Ki";
    QTest::newRow("small binary prints decimal") << "0.5Ki"
                                                 << "512";
    QTest::newRow("fractional binary prints decimal") << "1.5Ki"
                                                      << "1536";
    QTest::newRow("exponent form") << "1e3"
                                   << "1e3";
    QTest::newRow("exponent form normalizes") << "12e2"
                                              << "1200";
    QTest::newRow("exa is a suffix, not an exponent") << "2E"
                                                      << "2E";
    QTest::newRow("sub-nano rounds up") << "0.0000000001"
                                        << "1n";
    QTest::newRow("zero") << "0m"
                          << "0";
    QTest::newRow("negative") << "-1.5"
                              << "-1500m";
    QTest::newRow("not a quantity is left alone") << "fast"
                                                  << "fast";
}

void TestDomainValues::canonicalQuantity() {
    QFETCH(QString, input);
    QTEST(dashboard::canonicalQuantity(input), "canonical");
}

void TestDomainValues::quantityNumbers_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<double>("value");
    QTest::newRow("milli") << "250m" << 0.25;
    QTest::newRow("mebi") << "64Mi" << 64.0 * 1024 * 1024;
    QTest::newRow("giga") << "2G" << 2e9;
    QTest::newRow("exponent") << "5e-3" << 0.005;
}

void TestDomainValues::quantityNumbers() {
    QFETCH(QString, input);
    QFETCH(double, value);
    const std::optional<Quantity> q = Quantity::parse(input);
    QVERIFY(q);
    QVERIFY(qFuzzyCompare(q->toDouble(), value));
}

QTEST_GUILESS_MAIN(TestDomainValues)
#include "test_domain_values.moc"
