#include "core/domain/deployment_summary.h"

#include "core/domain/human_duration.h"
#include "core/domain/image_reference.h"
#include "core/domain/kube_json.h"
#include "core/translate.h"

namespace dashboard {

namespace kj = kube_json;

QString RolloutStatus::kubectlOutput() const {
    return failed ? QStringLiteral("error: ") + message + u'\n' : message + u'\n';
}

RolloutStatus rolloutStatus(const QJsonObject &deployment) {
    const QString name = kj::string(deployment, u"metadata.name");
    const qint64 generation = kj::integer(deployment, u"metadata.generation");
    const qint64 observed = kj::integer(deployment, u"status.observedGeneration");
    RolloutStatus out;
    if (generation > observed) {
        out.message = QStringLiteral("Waiting for deployment spec update to be observed...");
        return out;
    }

    const QList<Condition> conditions = readConditions(kj::array(deployment, u"status.conditions"));
    if (const Condition *progressing = findCondition(conditions, u"Progressing");
        progressing && progressing->reason == QLatin1String("ProgressDeadlineExceeded")) {
        out.message = QStringLiteral("deployment \"%1\" exceeded its progress deadline").arg(name);
        out.failed = true;
        return out;
    }

    const qint64 replicas = kj::integer(deployment, u"status.replicas");
    const qint64 updated = kj::integer(deployment, u"status.updatedReplicas");
    const qint64 available = kj::integer(deployment, u"status.availableReplicas");
    const QString waiting =
        QStringLiteral("Waiting for deployment \"%1\" rollout to finish: ").arg(name);
    // kubectl only compares against spec.replicas when it is set (the server always sets it).
    if (kj::has(deployment, u"spec.replicas")) {
        const qint64 desired = kj::integer(deployment, u"spec.replicas");
        if (updated < desired) {
            out.message = waiting + QStringLiteral("%1 out of %2 new replicas have been updated...")
                                        .arg(updated)
                                        .arg(desired);
            return out;
        }
    }
    if (replicas > updated) {
        out.message =
            waiting +
            QStringLiteral("%1 old replicas are pending termination...").arg(replicas - updated);
        return out;
    }
    if (available < updated) {
        out.message = waiting + QStringLiteral("%1 of %2 updated replicas are available...")
                                    .arg(available)
                                    .arg(updated);
        return out;
    }
    out.message = QStringLiteral("deployment \"%1\" successfully rolled out").arg(name);
    out.done = true;
    return out;
}

namespace {

void classify(DeploymentSummary &d) {
    auto set = [&](Health h, QString why) {
        d.health = h;
        d.healthReason = std::move(why);
    };
    const Condition *replicaFailure = findCondition(d.conditions, u"ReplicaFailure");
    const Condition *available = findCondition(d.conditions, u"Available");
    if (d.rollout.failed) {
        const Condition *progressing = findCondition(d.conditions, u"Progressing");
        return set(Health::Failed, progressing && !progressing->message.isEmpty()
                                       ? progressing->message
                                       : d.rollout.message);
    }
    if (replicaFailure && replicaFailure->isTrue())
        return set(Health::Failed, replicaFailure->message.isEmpty() ? replicaFailure->reason
                                                                     : replicaFailure->message);
    if (d.paused)
        return set(Health::Warning, tr("rollout paused"));
    if (!d.rollout.done)
        return set(Health::Progressing, d.rollout.message);
    if (available && available->isFalse())
        return set(Health::Warning,
                   available->message.isEmpty() ? available->reason : available->message);
    return set(Health::Healthy, d.rollout.message);
}

} // namespace

DeploymentSummary summarizeDeployment(const QJsonObject &deployment, const QDateTime &now) {
    DeploymentSummary d;
    d.name = kj::string(deployment, u"metadata.name");
    d.namespaceName = kj::string(deployment, u"metadata.namespace");
    d.uid = kj::string(deployment, u"metadata.uid");
    d.generation = kj::integer(deployment, u"metadata.generation");
    d.observedGeneration = kj::integer(deployment, u"status.observedGeneration");

    d.desired = static_cast<int>(kj::integer(deployment, u"spec.replicas", 1));
    d.current = static_cast<int>(kj::integer(deployment, u"status.replicas"));
    d.updated = static_cast<int>(kj::integer(deployment, u"status.updatedReplicas"));
    d.ready = static_cast<int>(kj::integer(deployment, u"status.readyReplicas"));
    d.available = static_cast<int>(kj::integer(deployment, u"status.availableReplicas"));
    d.unavailable = static_cast<int>(kj::integer(deployment, u"status.unavailableReplicas"));
    d.readyText = QStringLiteral("%1/%2").arg(d.ready).arg(d.desired);

    d.revision = kj::annotation(deployment, QStringLiteral("deployment.kubernetes.io/revision"))
                     .toLongLong();
    d.changeCause = kj::annotation(deployment, QStringLiteral("kubernetes.io/change-cause"));
    const QJsonObject podSpec = kj::object(deployment, u"spec.template.spec");
    for (const QJsonValue &c : podSpec.value(QLatin1String("containers")).toArray())
        d.containers << c.toObject().value(QLatin1String("name")).toString();
    d.images = kj::containerImages(podSpec);
    if (!d.images.isEmpty())
        d.version = ImageReference::parse(d.images.first()).version();
    d.strategy = kj::string(deployment, u"spec.strategy.type");
    if (d.strategy.isEmpty())
        d.strategy = QStringLiteral("RollingUpdate");
    d.paused = kj::boolean(deployment, u"spec.paused");
    d.created = kj::timestamp(deployment, u"metadata.creationTimestamp");
    d.age = timestampSince(d.created, now);

    d.conditions = readConditions(kj::array(deployment, u"status.conditions"));
    d.rollout = rolloutStatus(deployment);
    classify(d);
    return d;
}

} // namespace dashboard
