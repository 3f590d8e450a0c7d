#include "core/domain/replica_set_history.h"

#include "core/domain/human_duration.h"
#include "core/domain/image_reference.h"
#include "core/domain/kube_json.h"

#include <algorithm>

namespace dashboard {

namespace kj = kube_json;

bool isControlledBy(const QJsonObject &object, const QString &ownerUid) {
    if (ownerUid.isEmpty())
        return false;
    for (const QJsonValue &ref : kj::array(object, u"metadata.ownerReferences")) {
        const QJsonObject owner = ref.toObject();
        if (owner.value(QLatin1String("controller")).toBool() &&
            owner.value(QLatin1String("uid")).toString() == ownerUid)
            return true;
    }
    return false;
}

ReplicaSetRevision presentReplicaSet(const QJsonObject &rs, const QDateTime &now) {
    ReplicaSetRevision row;
    row.name = kj::string(rs, u"metadata.name");
    row.uid = kj::string(rs, u"metadata.uid");
    row.revision =
        kj::annotation(rs, QStringLiteral("deployment.kubernetes.io/revision")).toLongLong();
    row.changeCause = kj::annotation(rs, QStringLiteral("kubernetes.io/change-cause"));
    row.images = kj::containerImages(kj::object(rs, u"spec.template.spec"));
    if (!row.images.isEmpty())
        row.version = ImageReference::parse(row.images.first()).version();
    row.desired = static_cast<int>(kj::integer(rs, u"spec.replicas", 1));
    row.current = static_cast<int>(kj::integer(rs, u"status.replicas"));
    row.ready = static_cast<int>(kj::integer(rs, u"status.readyReplicas"));
    row.available = static_cast<int>(kj::integer(rs, u"status.availableReplicas"));
    row.created = kj::timestamp(rs, u"metadata.creationTimestamp");
    row.age = timestampSince(row.created, now);
    return row;
}

QList<ReplicaSetRevision> replicaSetHistory(const QJsonObject &deployment,
                                            const QList<QJsonObject> &replicaSets,
                                            const QDateTime &now) {
    const QString uid = kj::string(deployment, u"metadata.uid");
    const qint64 current =
        kj::annotation(deployment, QStringLiteral("deployment.kubernetes.io/revision"))
            .toLongLong();
    QList<ReplicaSetRevision> rows;
    for (const QJsonObject &rs : replicaSets) {
        if (!isControlledBy(rs, uid))
            continue;
        ReplicaSetRevision row = presentReplicaSet(rs, now);
        row.isCurrent = current != 0 && row.revision == current;
        rows << row;
    }
    // Newest revision first; same revision (should not happen) newest object first, then name
    // so the order never flickers between refreshes.
    std::sort(rows.begin(), rows.end(),
              [](const ReplicaSetRevision &a, const ReplicaSetRevision &b) {
                  if (a.revision != b.revision)
                      return a.revision > b.revision;
                  if (a.created != b.created)
                      return a.created > b.created;
                  return a.name < b.name;
              });
    return rows;
}

} // namespace dashboard
