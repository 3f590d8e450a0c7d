#pragma once
// The workload header: what `kubectl rollout status` says about a Deployment, in its exact
// words (kubectl/pkg/polymorphichelpers/rollout_status.go, DeploymentStatusViewer), plus the
// counts, revision, images and conditions the header shows next to it.

#include "core/domain/condition.h"
#include "core/domain/health.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace dashboard {

struct RolloutStatus {
    // kubectl's line without the trailing newline: `Waiting for deployment "web" rollout to
    // finish: 1 out of 3 new replicas have been updated...`, `deployment "web" successfully
    // rolled out`, or for a failure the error text `deployment "web" exceeded its progress
    // deadline` (kubectl prints it as "error: ..." and exits 1).
    QString message;
    bool done = false;   // kubectl stops watching: rolled out
    bool failed = false; // kubectl reports an error: progress deadline exceeded

    // Exactly what `kubectl rollout status --watch=false` writes (stdout, or stderr when failed).
    QString kubectlOutput() const;
};

RolloutStatus rolloutStatus(const QJsonObject &deployment);

struct DeploymentSummary {
    QString name;
    QString namespaceName;
    QString uid;
    qint64 generation = 0;
    qint64 observedGeneration = 0;

    int desired = 1; // spec.replicas (the API default is 1)
    int current = 0; // status.replicas: pods of every revision
    int updated = 0;
    int ready = 0;
    int available = 0;
    int unavailable = 0;
    QString readyText; // kubectl get deploy READY: "2/3"

    qint64 revision = 0; // deployment.kubernetes.io/revision; 0 before the first rollout
    QString changeCause; // kubernetes.io/change-cause
    QStringList containers;
    QStringList images;
    QString version;  // tag of the first container's image ("1.4.2"), see ImageReference
    QString strategy; // "RollingUpdate" or "Recreate"
    bool paused = false;
    QDateTime created;
    QString age;

    QList<Condition> conditions;
    RolloutStatus rollout;
    Health health = Health::Progressing;
    QString healthReason;
};

DeploymentSummary summarizeDeployment(const QJsonObject &deployment, const QDateTime &now);

} // namespace dashboard
