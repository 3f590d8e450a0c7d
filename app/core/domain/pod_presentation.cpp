#include "core/domain/pod_presentation.h"

#include "core/domain/human_duration.h"
#include "core/domain/kube_json.h"
#include "core/translate.h"

#include <QHash>
#include <QJsonArray>
#include <QSet>

namespace dashboard {

namespace kj = kube_json;

namespace {

// metav1.Time.Before as printPod uses it: a zero (invalid) time is before everything, and
// nothing is before the zero time.
void keepNewest(QDateTime &newest, const QDateTime &candidate) {
    if (candidate.isValid() && (!newest.isValid() || newest < candidate))
        newest = candidate;
}

bool conditionTrue(const QJsonObject &pod, QStringView type) {
    for (const QJsonValue &c : kj::array(pod, u"status.conditions")) {
        const QJsonObject condition = c.toObject();
        if (condition.value(QLatin1String("type")).toString() == type)
            return condition.value(QLatin1String("status")).toString() == QLatin1String("True");
    }
    return false;
}

QJsonObject condition(const QJsonObject &pod, QStringView type) {
    for (const QJsonValue &c : kj::array(pod, u"status.conditions")) {
        if (c.toObject().value(QLatin1String("type")).toString() == type)
            return c.toObject();
    }
    return {};
}

// The reason printPod shows for a terminated container: its reason, else Signal:N, else
// ExitCode:N.
QString terminatedReason(const QJsonObject &terminated) {
    const QString reason = terminated.value(QLatin1String("reason")).toString();
    if (!reason.isEmpty())
        return reason;
    const int signal = terminated.value(QLatin1String("signal")).toInt();
    if (signal != 0)
        return QStringLiteral("Signal:%1").arg(signal);
    return QStringLiteral("ExitCode:%1").arg(terminated.value(QLatin1String("exitCode")).toInt());
}

struct PrintedColumns {
    int ready = 0;
    int total = 0;
    QString status;
    int restarts = 0;
    QDateTime lastRestart;
};

// A line-by-line port of printPod's READY / STATUS / RESTARTS logic (kubectl 1.32).
PrintedColumns printPodColumns(const QJsonObject &pod) {
    PrintedColumns out;
    const QJsonArray containers = kj::array(pod, u"spec.containers");
    const QJsonArray initContainers = kj::array(pod, u"spec.initContainers");
    out.total = containers.size();

    const QString phase = kj::string(pod, u"status.phase");
    QString reason = phase;
    if (const QString statusReason = kj::string(pod, u"status.reason"); !statusReason.isEmpty())
        reason = statusReason;
    for (const QJsonValue &c : kj::array(pod, u"status.conditions")) {
        const QJsonObject cond = c.toObject();
        if (cond.value(QLatin1String("type")).toString() == QLatin1String("PodScheduled") &&
            cond.value(QLatin1String("reason")).toString() == QLatin1String("SchedulingGated"))
            reason = QStringLiteral("SchedulingGated");
    }

    // Init containers with restartPolicy Always are sidecars: they count as containers.
    QSet<QString> sidecars;
    for (const QJsonValue &c : initContainers) {
        const QJsonObject container = c.toObject();
        if (container.value(QLatin1String("restartPolicy")).toString() == QLatin1String("Always")) {
            sidecars.insert(container.value(QLatin1String("name")).toString());
            ++out.total;
        }
    }

    int restarts = 0;
    int sidecarRestarts = 0;
    QDateTime lastRestart;
    QDateTime lastSidecarRestart;
    bool initializing = false;
    const QJsonArray initStatuses = kj::array(pod, u"status.initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); ++i) {
        const QJsonObject container = initStatuses[i].toObject();
        const bool sidecar = sidecars.contains(container.value(QLatin1String("name")).toString());
        const int count = container.value(QLatin1String("restartCount")).toInt();
        const QDateTime finished = kj::timestamp(container, u"lastState.terminated.finishedAt");
        restarts += count;
        keepNewest(lastRestart, finished);
        if (sidecar) {
            sidecarRestarts += count;
            keepNewest(lastSidecarRestart, finished);
        }
        const QJsonObject terminated = kj::object(container, u"state.terminated");
        const bool isTerminated = kj::has(container, u"state.terminated");
        const QString waitingReason = kj::string(container, u"state.waiting.reason");
        if (isTerminated && terminated.value(QLatin1String("exitCode")).toInt() == 0)
            continue;
        if (sidecar && kj::boolean(container, u"started")) {
            if (kj::boolean(container, u"ready"))
                ++out.ready;
            continue;
        }
        if (isTerminated) {
            reason = QStringLiteral("Init:") + terminatedReason(terminated);
        } else if (kj::has(container, u"state.waiting") && !waitingReason.isEmpty() &&
                   waitingReason != QLatin1String("PodInitializing")) {
            reason = QStringLiteral("Init:") + waitingReason;
        } else {
            reason = QStringLiteral("Init:%1/%2").arg(i).arg(initContainers.size());
        }
        initializing = true;
        break;
    }

    if (!initializing || conditionTrue(pod, u"Initialized")) {
        restarts = sidecarRestarts;
        lastRestart = lastSidecarRestart;
        bool hasRunning = false;
        const QJsonArray statuses = kj::array(pod, u"status.containerStatuses");
        for (int i = statuses.size() - 1; i >= 0; --i) {
            const QJsonObject container = statuses[i].toObject();
            restarts += container.value(QLatin1String("restartCount")).toInt();
            keepNewest(lastRestart, kj::timestamp(container, u"lastState.terminated.finishedAt"));
            const QString waitingReason = kj::string(container, u"state.waiting.reason");
            const QString terminatedReasonText = kj::string(container, u"state.terminated.reason");
            if (kj::has(container, u"state.waiting") && !waitingReason.isEmpty()) {
                reason = waitingReason;
            } else if (kj::has(container, u"state.terminated")) {
                reason = terminatedReasonText.isEmpty()
                             ? terminatedReason(kj::object(container, u"state.terminated"))
                             : terminatedReasonText;
            } else if (kj::boolean(container, u"ready") && kj::has(container, u"state.running")) {
                hasRunning = true;
                ++out.ready;
            }
        }
        // A container that completed while another still runs: the pod is not "Completed".
        if (reason == QLatin1String("Completed") && hasRunning)
            reason = conditionTrue(pod, u"Ready") ? QStringLiteral("Running")
                                                  : QStringLiteral("NotReady");
    }

    const bool deleting = kj::has(pod, u"metadata.deletionTimestamp");
    const bool terminal = phase == QLatin1String("Failed") || phase == QLatin1String("Succeeded");
    if (deleting && kj::string(pod, u"status.reason") == QLatin1String("NodeLost"))
        reason = QStringLiteral("Unknown");
    else if (deleting && !terminal)
        reason = QStringLiteral("Terminating");

    out.status = reason;
    out.restarts = restarts;
    out.lastRestart = lastRestart;
    return out;
}

// The newest termination of any container: the previous run's (lastState) or, for a
// container that has stopped for good, the current one.
ContainerTermination newestTermination(const QJsonObject &pod) {
    ContainerTermination newest;
    auto consider = [&](const QString &container, const QJsonObject &terminated) {
        if (terminated.isEmpty())
            return;
        const QDateTime finished =
            kj::parseTimestamp(terminated.value(QLatin1String("finishedAt")).toString());
        if (newest.isValid() &&
            !(finished.isValid() && (!newest.finishedAt.isValid() || newest.finishedAt < finished)))
            return;
        newest.container = container;
        newest.reason = terminated.value(QLatin1String("reason")).toString();
        newest.exitCode = terminated.value(QLatin1String("exitCode")).toInt();
        newest.signal = terminated.value(QLatin1String("signal")).toInt();
        newest.finishedAt = finished;
    };
    for (QStringView list : {u"status.initContainerStatuses", u"status.containerStatuses"}) {
        for (const QJsonValue &c : kj::array(pod, list)) {
            const QJsonObject container = c.toObject();
            const QString name = container.value(QLatin1String("name")).toString();
            consider(name, kj::object(container, u"lastState.terminated"));
            consider(name, kj::object(container, u"state.terminated"));
        }
    }
    return newest;
}

QString terminationText(const ContainerTermination &t, const QDateTime &now) {
    if (!t.isValid())
        return {};
    // The reason is Kubernetes' word (OOMKilled, Error, Completed); the rest is ours.
    const QString reason = t.reason.isEmpty() ? tr("Terminated") : t.reason;
    QString text = t.signal != 0 ? tr("%1 (signal %2)").arg(reason).arg(t.signal)
                                 : tr("%1 (exit %2)").arg(reason).arg(t.exitCode);
    if (t.finishedAt.isValid())
        text = tr("%1, %2 ago").arg(text, timestampSince(t.finishedAt, now));
    return text;
}

const QSet<QString> &failedReasons() {
    static const QSet<QString> reasons = {
        QStringLiteral("CrashLoopBackOff"),
        QStringLiteral("ErrImagePull"),
        QStringLiteral("ImagePullBackOff"),
        QStringLiteral("InvalidImageName"),
        QStringLiteral("ErrImageNeverPull"),
        QStringLiteral("CreateContainerConfigError"),
        QStringLiteral("CreateContainerError"),
        QStringLiteral("RunContainerError"),
        QStringLiteral("PreStartHookError"),
        QStringLiteral("PostStartHookError"),
        QStringLiteral("ContainerCannotRun"),
        QStringLiteral("OOMKilled"),
        QStringLiteral("Error"),
        QStringLiteral("Failed"),
        QStringLiteral("Evicted"),
        QStringLiteral("DeadlineExceeded"),
        QStringLiteral("Unknown"),
        QStringLiteral("NodeLost"),
        QStringLiteral("NodeAffinity"),
        QStringLiteral("OutOfcpu"),
        QStringLiteral("OutOfmemory"),
    };
    return reasons;
}

bool isFailedStatus(const QString &status) {
    QStringView s = status;
    if (s.startsWith(u"Init:")) {
        s = s.mid(5);
        // "Init:0/2" is progress, not failure.
        if (!s.isEmpty() && s.front().isDigit())
            return false;
    }
    if (s.startsWith(u"ExitCode:") || s.startsWith(u"Signal:"))
        return true;
    return failedReasons().contains(s.toString());
}

void classify(PodPresentation &row, const QJsonObject &pod, const QDateTime &now) {
    const QString phase = kj::string(pod, u"status.phase");
    const QString &status = row.status;
    auto set = [&](Health h, QString why) {
        row.health = h;
        row.healthReason = std::move(why);
    };

    if (row.terminating)
        return set(Health::Progressing, tr("being deleted"));
    if (phase == QLatin1String("Failed") || isFailedStatus(status)) {
        QString why = status;
        const QString message = kj::string(pod, u"status.message");
        if (!message.isEmpty())
            why += QStringLiteral(": ") + message;
        else if (row.lastTermination.isValid())
            why = tr("%1 — last termination %2").arg(status, row.lastTerminationText);
        return set(Health::Failed, why);
    }
    if (phase == QLatin1String("Succeeded") || status == QLatin1String("Completed"))
        return set(Health::Healthy, tr("completed"));

    const QJsonObject scheduled = condition(pod, u"PodScheduled");
    if (scheduled.value(QLatin1String("status")).toString() == QLatin1String("False") &&
        scheduled.value(QLatin1String("reason")).toString() == QLatin1String("Unschedulable"))
        return set(Health::Warning, scheduled.value(QLatin1String("message")).toString());

    if (phase == QLatin1String("Running") && status == QLatin1String("Running") &&
        row.readyContainers == row.totalContainers) {
        if (row.restarts > 0 && row.lastRestart.isValid() &&
            row.lastRestart.msecsTo(now) < kRecentRestartMs)
            return set(Health::Warning,
                       tr("restarted %1 ago").arg(timestampSince(row.lastRestart, now)));
        return set(Health::Healthy, tr("running and ready"));
    }
    if (phase == QLatin1String("Running")) {
        // Unready: give readiness probes a grace period measured from the Ready condition's
        // last change before calling it a warning.
        const QDateTime since = kj::parseTimestamp(
            condition(pod, u"Ready").value(QLatin1String("lastTransitionTime")).toString());
        const QDateTime reference = since.isValid() ? since : row.created;
        if (reference.isValid() && reference.msecsTo(now) >= kUnreadyGraceMs)
            return set(Health::Warning, tr("%1 of %2 containers ready for %3")
                                            .arg(row.readyContainers)
                                            .arg(row.totalContainers)
                                            .arg(timestampSince(reference, now)));
        return set(Health::Progressing, tr("starting"));
    }
    return set(Health::Progressing, status);
}

} // namespace

PodPresentation presentPod(const QJsonObject &pod, const QDateTime &now) {
    PodPresentation row;
    row.name = kj::string(pod, u"metadata.name");
    row.namespaceName = kj::string(pod, u"metadata.namespace");
    row.uid = kj::string(pod, u"metadata.uid");
    for (const QJsonValue &ref : kj::array(pod, u"metadata.ownerReferences")) {
        const QJsonObject owner = ref.toObject();
        if (owner.value(QLatin1String("controller")).toBool()) {
            row.controllerUid = owner.value(QLatin1String("uid")).toString();
            row.controllerKind = owner.value(QLatin1String("kind")).toString();
            row.controllerName = owner.value(QLatin1String("name")).toString();
            break;
        }
    }

    const PrintedColumns printed = printPodColumns(pod);
    row.readyContainers = printed.ready;
    row.totalContainers = printed.total;
    row.ready = QStringLiteral("%1/%2").arg(printed.ready).arg(printed.total);
    row.status = printed.status;
    row.restarts = printed.restarts;
    row.lastRestart = printed.lastRestart;
    row.restartsText = QString::number(printed.restarts);
    if (printed.restarts != 0 && printed.lastRestart.isValid())
        row.restartsText +=
            QStringLiteral(" (%1 ago)").arg(timestampSince(printed.lastRestart, now));

    row.lastTermination = newestTermination(pod);
    row.lastTerminationText = terminationText(row.lastTermination, now);
    row.created = kj::timestamp(pod, u"metadata.creationTimestamp");
    row.age = timestampSince(row.created, now);

    // kubectl -o wide reads podIPs (not the legacy podIP) and prints <none> when empty.
    row.ip =
        kj::array(pod, u"status.podIPs").at(0).toObject().value(QLatin1String("ip")).toString();
    if (row.ip.isEmpty())
        row.ip = QStringLiteral("<none>");
    row.node = kj::string(pod, u"spec.nodeName");
    if (row.node.isEmpty())
        row.node = QStringLiteral("<none>");
    row.images = kj::containerImages(kj::object(pod, u"spec"));
    row.terminating = row.status == QLatin1String("Terminating");

    classify(row, pod, now);
    return row;
}

} // namespace dashboard
