#pragma once
// The HPA panel's chart: replica count (steps, left axis) and CPU utilization (right axis,
// with the target as a dashed line) over time since the window opened, drawn from an
// HpaHistory. Colours come from the palette so it reads in light and dark themes.

#include <QChartView>

#include <optional>

class QChart;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace dashboard {

class HpaHistory;

class HpaChart final : public QChartView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HpaChart)

public:
    explicit HpaChart(QWidget *parent = nullptr);

    // `maxReplicas` scales the left axis (the HPA's maximum, 0 when unknown);
    // `cpuTarget` draws the target line (percent).
    void setHistory(const HpaHistory &history, int maxReplicas, std::optional<double> cpuTarget);

    int replicaPointCount() const;
    int cpuPointCount() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();
    QLineSeries *makeSeries(const QString &name, QValueAxis *axis);
    void setSegments(QList<QLineSeries *> &series, const QList<QList<QPointF>> &segments,
                     const QString &name, QValueAxis *axis, bool steps);

    QChart *m_chart;
    QDateTimeAxis *m_time;
    QValueAxis *m_replicaAxis;
    QValueAxis *m_cpuAxis;
    QList<QLineSeries *> m_replicas;
    QList<QLineSeries *> m_cpu;
    QLineSeries *m_cpuTarget;
};

} // namespace dashboard
