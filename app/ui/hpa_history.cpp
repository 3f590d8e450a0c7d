#include "ui/hpa_history.h"

#include <algorithm>

namespace dashboard {

HpaHistory::HpaHistory(int maxSamples)
    : m_maxSamples(std::max(maxSamples, 4)) {}

bool HpaHistory::sameValues(const Sample &a, const Sample &b) {
    return a.replicas == b.replicas && a.desired == b.desired && a.cpuPercent == b.cpuPercent;
}

void HpaHistory::record(const Sample &sample) {
    if (!sample.time.isValid())
        return;
    if (!m_samples.isEmpty() && sample.time < m_samples.last().time)
        return;
    // Three equal samples in a row: the middle one says nothing; move the run's end instead.
    const qsizetype n = m_samples.size();
    if (n >= 2 && sameValues(m_samples[n - 1], sample) && sameValues(m_samples[n - 2], sample)) {
        m_samples[n - 1].time = sample.time;
        return;
    }
    m_samples.append(sample);
    if (m_samples.size() > m_maxSamples)
        m_samples.remove(0, m_samples.size() - m_maxSamples);
}

void HpaHistory::clear() {
    m_samples.clear();
}

QDateTime HpaHistory::firstTime() const {
    return m_samples.isEmpty() ? QDateTime() : m_samples.first().time;
}

QDateTime HpaHistory::lastTime() const {
    return m_samples.isEmpty() ? QDateTime() : m_samples.last().time;
}

int HpaHistory::maxReplicas() const {
    int out = 0;
    for (const Sample &s : m_samples)
        out = std::max({out, s.replicas.value_or(0), s.desired.value_or(0)});
    return out;
}

double HpaHistory::maxCpuPercent() const {
    double out = 0;
    for (const Sample &s : m_samples)
        out = std::max(out, s.cpuPercent.value_or(0.0));
    return out;
}

template <class Get> QList<QList<QPointF>> HpaHistory::segments(Get get) const {
    QList<QList<QPointF>> out;
    bool open = false;
    for (const Sample &s : m_samples) {
        const std::optional<double> value = get(s);
        if (!value) {
            open = false;
            continue;
        }
        if (!open) {
            out.append(QList<QPointF>());
            open = true;
        }
        out.last().append(QPointF(double(s.time.toMSecsSinceEpoch()), *value));
    }
    return out;
}

QList<QList<QPointF>> HpaHistory::replicaSegments() const {
    return segments([](const Sample &s) -> std::optional<double> {
        if (s.replicas)
            return double(*s.replicas);
        return std::nullopt;
    });
}

QList<QList<QPointF>> HpaHistory::cpuSegments() const {
    return segments([](const Sample &s) { return s.cpuPercent; });
}

} // namespace dashboard
