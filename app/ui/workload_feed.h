#pragma once
// Everything the window shows about one Deployment, kept live by informers (app/core/kube):
// the Deployment itself (field-selected by name), its pods and ReplicaSets (label-selected
// by the Deployment's selector, so a namespace with thousands of other pods costs nothing),
// the HPAs of the namespace (few) and the events about those objects. Events are selected on
// the server as `kubectl describe` does: one informer for events about anything but pods
// (Deployments, ReplicaSets, HPAs: few) and one per pod of the workload
// (`involvedObject.kind=Pod,involvedObject.name=<pod>`), opened and closed as pods come and
// go, so the thousands of events of other pods never cross the wire. Pure plumbing: what is
// shown is computed by the domain layer from the lists this exposes.

#include "kube/informer.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace dashboard {

class KubeClient;

class WorkloadFeed final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkloadFeed)

public:
    WorkloadFeed(KubeClient &client, QString namespaceName, QString deployment,
                 QObject *parent = nullptr);
    ~WorkloadFeed() override;

    void start();

    const QString &namespaceName() const { return m_namespace; }
    const QString &deploymentName() const { return m_deployment; }

    // Empty until listed; also empty when the Deployment does not exist (see deploymentMissing).
    QJsonObject deployment() const;
    bool deploymentMissing() const;
    QList<QJsonObject> pods() const;
    QList<QJsonObject> replicaSets() const;
    QList<QJsonObject> events() const;      // only those about the workload's objects
    QList<QJsonObject> autoscalers() const; // HPAs whose scaleTargetRef is the Deployment

    // Every informer has listed once (the first complete picture, e.g. for --screenshot). The
    // events informer of a pod that appears after that loads in the background, without
    // turning the window back into a loading state.
    bool isSynced() const;
    // Worst connection state of the informers and the reason, for the banner.
    Informer::ConnectionState connectionState() const;
    QString connectionReason() const;

Q_SIGNALS:
    void changed();           // any list moved; batched per event-loop turn
    void connectionChanged(); // connectionState()/connectionReason() moved
    void syncedChanged(bool synced);

private:
    Informer *makeInformer(const ResourceId &resource, const QString &labelSelector,
                           const QString &fieldSelector,
                           std::function<bool(const QJsonObject &)> keep = {});
    void onDeploymentChanged();
    void onPodsChanged();
    void scheduleChanged();
    QList<Informer *> informers() const;

    KubeClient &m_client;
    QString m_namespace;
    QString m_deployment;
    Informer *m_deployments = nullptr;
    Informer *m_pods = nullptr;
    Informer *m_replicaSets = nullptr;
    Informer *m_hpas = nullptr;
    Informer *m_events = nullptr;           // events about anything but pods
    QHash<QString, Informer *> m_podEvents; // pod name -> that pod's events
    QString m_selector;                     // the label selector the pod/ReplicaSet informers use
    QTimer m_changedTimer;
    bool m_lastSynced = false;
    bool m_podEventsSynced = false; // the pods' events informers have all listed once
};

// "app=web,tier=api" from a LabelSelector's matchLabels and matchExpressions; empty when
// the selector selects nothing expressible.
QString labelSelectorText(const QJsonObject &selector);

} // namespace dashboard
