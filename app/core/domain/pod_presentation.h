#pragma once
// What the pods table shows for one pod, computed the way `kubectl get pods -o wide` prints
// it (kubectl's printPod, k8s.io/kubernetes/pkg/printers/internalversion/printers.go):
// READY "1/1", STATUS "CrashLoopBackOff" / "Init:0/1" / "Terminating" / ..., RESTARTS
// "5 (40s ago)", AGE, IP, NODE; plus what kubectl only shows in `describe` (the last
// termination) and a health class for highlighting. Pure: the same pod and `now` always give
// the same row.

#include "core/domain/health.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace dashboard {

// A container's most recent termination ("Last State: Terminated" in kubectl describe).
struct ContainerTermination {
    QString container;
    QString reason; // "OOMKilled", "Error", "Completed"; may be empty
    int exitCode = 0;
    int signal = 0;
    QDateTime finishedAt;
    bool isValid() const { return !container.isEmpty(); }
};

struct PodPresentation {
    QString name;
    QString namespaceName;
    QString uid;
    QString controllerUid;  // uid of the controller ownerReference (the ReplicaSet)
    QString controllerKind; // "ReplicaSet", "Job", ...
    QString controllerName;

    int readyContainers = 0;
    int totalContainers = 0;
    QString ready;  // "1/2"
    QString status; // kubectl's STATUS column
    int restarts = 0;
    QDateTime lastRestart; // newest lastState.terminated.finishedAt counted in `restarts`
    QString restartsText;  // "5 (40s ago)" or "0"
    ContainerTermination lastTermination;
    QString lastTerminationText; // "OOMKilled (exit code 137), 40s ago"; empty when none
    QDateTime created;
    QString age;  // "5m30s"
    QString ip;   // "<none>" like kubectl -o wide when unassigned
    QString node; // "<none>" when unscheduled
    QStringList images;
    bool terminating = false;

    Health health = Health::Progressing;
    QString healthReason; // one line for a tooltip: why the row is highlighted
};

// `now` is the instant ages are computed at (the UI's refresh tick; fixed in tests).
PodPresentation presentPod(const QJsonObject &pod, const QDateTime &now);

// A restart counts as "recent" for the health class within this window.
inline constexpr qint64 kRecentRestartMs = 10 * 60 * 1000;
// A running pod may be unready this long (readiness probes warming up) before it is a warning.
inline constexpr qint64 kUnreadyGraceMs = 2 * 60 * 1000;

} // namespace dashboard
