#pragma once
// The HPA panel: the TARGETS text exactly as `kubectl get hpa` prints it for autoscaling/v2
// (formatHPAMetrics: "cpu: 45%/70%, memory: 20%/80%", "<unknown>/70%", "… + 1 more..."),
// and each metric's current value against its target as numbers for the panel and chart.
// Health: AbleToScale False is a failure; ScalingActive False or a ScalingLimited other than
// resting at minReplicas is a warning.

#include "core/domain/condition.h"
#include "core/domain/health.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace dashboard {

struct HpaMetric {
    QString sourceType;            // "Resource", "ContainerResource", "Pods", "Object", "External"
    QString name;                  // "cpu", "memory", or the custom/external metric's name
    QString container;             // ContainerResource only
    QString targetType;            // "Utilization", "AverageValue", "Value"
    QString currentText;           // "45%", "230m", "<unknown>"
    QString targetText;            // "70%", "500m", "<auto>"
    QString text;                  // this metric's part of TARGETS: "cpu: 45%/70%"
    std::optional<double> current; // percent for Utilization, else the quantity as a number
    std::optional<double> target;
    bool isPercent() const { return targetType == QLatin1String("Utilization"); }
};

struct HpaSummary {
    QString name;
    QString namespaceName;
    QString reference; // kubectl REFERENCE: "Deployment/web"
    QString targetKind;
    QString targetName;
    QString targets;         // kubectl TARGETS
    int minReplicas = 1;     // spec.minReplicas (API default 1)
    QString minReplicasText; // kubectl MINPODS: the number, or "<unset>"
    int maxReplicas = 0;
    int currentReplicas = 0;
    int desiredReplicas = 0;
    QList<HpaMetric> metrics;
    QList<Condition> conditions;
    QDateTime lastScaleTime;
    QDateTime created;
    QString age;
    Health health = Health::Progressing;
    QString healthReason;
};

// kubectl's formatHPAMetrics over spec.metrics and status.currentMetrics (matched by index,
// as kubectl does). An HPA with no metrics gets the API server's default, cpu at 80%.
QString hpaTargets(const QJsonObject &hpa);

HpaSummary summarizeHpa(const QJsonObject &hpa, const QDateTime &now);

} // namespace dashboard
