#pragma once
// The autoscaling panel: the HorizontalPodAutoscaler that scales the Deployment, with min /
// max / current / desired replicas as figures, each metric's current value against its
// target (kubectl's TARGETS wording, plus a bar), its conditions, and a chart of replicas and
// CPU utilization since the window opened. Without an HPA it says so and how to add one,
// and the chart still follows the Deployment's replica count.

#include "core/domain/hpa_summary.h"

#include <QFrame>
#include <QList>

class QGridLayout;
class QLabel;

namespace dashboard {

class FigureBox;
class HpaChart;
class HpaHistory;
class MetricBar;

class HpaPanel final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HpaPanel)

public:
    explicit HpaPanel(QWidget *parent = nullptr);

    // The HPAs whose scaleTargetRef is the Deployment (normally one); `deployment` names it
    // in the message shown when there is none.
    void setAutoscalers(const QList<HpaSummary> &autoscalers, const QString &deployment);
    void setHistory(const HpaHistory &history);

    bool hasAutoscaler() const { return m_hasHpa; }
    QString title() const;
    QString targetsText() const;
    QString figure(const QString &caption) const; // "10" for tr("Max")
    QStringList metricTexts() const;              // "cpu: 45% now, target 70%" per metric
    QString conditionsText() const;
    QString placeholderText() const;
    HpaChart *chart() const { return m_chart; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void showMetrics(const QList<HpaMetric> &metrics);
    void applyColours();

    QLabel *m_dot;
    QLabel *m_title;
    QLabel *m_targets;
    QWidget *m_details;
    FigureBox *m_min;
    FigureBox *m_max;
    FigureBox *m_current;
    FigureBox *m_desired;
    QGridLayout *m_metricsGrid;
    struct MetricRow {
        QLabel *name;
        MetricBar *bar;
        QLabel *value;
    };
    QList<MetricRow> m_metricRows;
    QLabel *m_conditions;
    QLabel *m_placeholder;
    HpaChart *m_chart;
    bool m_hasHpa = false;
    HpaSummary m_hpa;
    int m_maxReplicas = 0;
    std::optional<double> m_cpuTarget;
};

} // namespace dashboard
