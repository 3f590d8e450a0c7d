// HpaHistory, the HPA chart's memory, as a specification: samples in time order, runs of
// equal values folded to their ends, gaps where a value is missing, and a bounded size.

#include "ui/hpa_history.h"

#include <QTest>

using namespace dashboard;

namespace {

const QDateTime t0 = QDateTime(QDate(2026, 11, 25), QTime(12, 0), Qt::UTC);

HpaHistory::Sample sample(int seconds, std::optional<int> replicas,
                          std::optional<double> cpu = std::nullopt) {
    HpaHistory::Sample s;
    s.time = t0.addSecs(seconds);
    s.replicas = replicas;
    s.cpuPercent = cpu;
    return s;
}

} // namespace

class TestUiHpaHistory final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void equalRunsKeepOnlyTheirEnds() {
        HpaHistory history;
        for (int i = 0; i < 100; ++i)
            history.record(sample(i * 5, 3, 40));
        QCOMPARE(history.samples().size(), 2);
        QCOMPARE(history.firstTime(), t0);
        QCOMPARE(history.lastTime(), t0.addSecs(99 * 5));
    }

    void aChangeStartsANewRun() {
        HpaHistory history;
        history.record(sample(0, 2, 30));
        history.record(sample(5, 2, 30));
        history.record(sample(10, 2, 30));
        history.record(sample(15, 4, 90));
        history.record(sample(20, 4, 90));
        QCOMPARE(history.samples().size(), 4);
        QCOMPARE(history.samples().at(1).time, t0.addSecs(10));
        QCOMPARE(history.maxReplicas(), 4);
        QCOMPARE(history.maxCpuPercent(), 90.0);
    }

    void olderSamplesAreIgnored() {
        HpaHistory history;
        history.record(sample(10, 2));
        history.record(sample(5, 7)); // the clock stepped back
        QCOMPARE(history.samples().size(), 1);
        QCOMPARE(history.maxReplicas(), 2);
    }

    void missingValuesSplitTheLines() {
        HpaHistory history;
        history.record(sample(0, 2, 10));
        history.record(sample(5, 2, std::nullopt)); // metrics not available for a while
        history.record(sample(10, 3, 50));
        const auto cpu = history.cpuSegments();
        QCOMPARE(cpu.size(), 2);
        QCOMPARE(cpu.at(0).size(), 1);
        QCOMPARE(cpu.at(1).first(), QPointF(double(t0.addSecs(10).toMSecsSinceEpoch()), 50.0));
        const auto replicas = history.replicaSegments();
        QCOMPARE(replicas.size(), 1);
        QCOMPARE(replicas.at(0).size(), 3);
    }

    void sizeIsBounded() {
        HpaHistory history(10);
        for (int i = 0; i < 50; ++i)
            history.record(sample(i, i)); // every sample differs
        QCOMPARE(history.samples().size(), 10);
        QCOMPARE(history.samples().first().replicas, std::optional<int>(40));
        QCOMPARE(history.samples().last().replicas, std::optional<int>(49));
    }

    void clearStartsOver() {
        HpaHistory history;
        history.record(sample(0, 2));
        history.clear();
        QVERIFY(history.isEmpty());
        QCOMPARE(history.maxReplicas(), 0);
        QVERIFY(!history.firstTime().isValid());
    }
};

QTEST_GUILESS_MAIN(TestUiHpaHistory)
#include "test_ui_hpa_history.moc"
