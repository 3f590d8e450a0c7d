#pragma once
// A Deployment's ReplicaSets by revision (what `kubectl rollout history` lists, with the
// columns of `kubectl get rs`): ownership by the controller ownerReference's uid, as the
// deployment controller itself decides (names and labels can collide; uids cannot).

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace dashboard {

struct ReplicaSetRevision {
    QString name;
    QString uid;
    qint64 revision = 0; // deployment.kubernetes.io/revision
    QString changeCause; // kubernetes.io/change-cause ("<none>" in kubectl; empty here)
    QStringList images;
    QString version; // tag of the first image
    int desired = 0; // spec.replicas
    int current = 0; // status.replicas
    int ready = 0;   // status.readyReplicas
    int available = 0;
    QDateTime created;
    QString age;
    bool isCurrent = false; // the deployment's revision: the "new" ReplicaSet
};

// True when `object` has a controller ownerReference with that uid.
bool isControlledBy(const QJsonObject &object, const QString &ownerUid);

// The deployment's ReplicaSets, newest revision first.
QList<ReplicaSetRevision> replicaSetHistory(const QJsonObject &deployment,
                                            const QList<QJsonObject> &replicaSets,
                                            const QDateTime &now);

// One ReplicaSet as a row (no ownership check).
ReplicaSetRevision presentReplicaSet(const QJsonObject &replicaSet, const QDateTime &now);

} // namespace dashboard
