#pragma once
// Replica count and CPU utilization of the workload over time, since the window opened: what
// the HPA panel's chart draws. Not a widget, so it is tested headless. Samples arrive on every
// feed change and on a timer; runs of equal values are folded into their first and last
// sample (the chart draws steps), so a quiet hour costs two points, not 720.

#include <QDateTime>
#include <QList>
#include <QPointF>

#include <optional>

namespace dashboard {

class HpaHistory final {
public:
    struct Sample {
        QDateTime time;
        std::optional<int> replicas;      // HPA status.currentReplicas, else the Deployment's
        std::optional<int> desired;       // HPA status.desiredReplicas
        std::optional<double> cpuPercent; // the cpu Utilization metric's current value
        bool operator==(const Sample &other) const = default;
    };

    explicit HpaHistory(int maxSamples = 4000);

    // Samples older than the last one are ignored (a clock step back must not draw loops).
    void record(const Sample &sample);
    void clear();

    const QList<Sample> &samples() const { return m_samples; }
    bool isEmpty() const { return m_samples.isEmpty(); }
    QDateTime firstTime() const;
    QDateTime lastTime() const;
    int maxReplicas() const;      // 0 when no replica count was seen
    double maxCpuPercent() const; // 0 when no CPU value was seen

    // Chart points (x: ms since the epoch), one list per unbroken run: a sample without the
    // value (no HPA, metrics not yet available) ends a run, so the chart shows a gap.
    QList<QList<QPointF>> replicaSegments() const;
    QList<QList<QPointF>> cpuSegments() const;

private:
    template <class Get> QList<QList<QPointF>> segments(Get get) const;
    static bool sameValues(const Sample &a, const Sample &b);

    int m_maxSamples;
    QList<Sample> m_samples;
};

} // namespace dashboard
