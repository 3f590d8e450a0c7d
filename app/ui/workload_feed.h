#pragma once
// Everything the window shows about one Deployment, kept live by informers (app/core/kube):
// the Deployment itself (field-selected by name), its pods and ReplicaSets (label-selected
// by the Deployment's selector, so a namespace with thousands of other pods costs nothing),
// the HPAs of the namespace (few) and its events. Pure plumbing: what is shown is computed
// by the domain layer from the lists this exposes.

#include "kube/informer.h"

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

    // Every informer has listed once (the first complete picture, e.g. for --screenshot).
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
    void scheduleChanged();
    QList<Informer *> informers() const;

    KubeClient &m_client;
    QString m_namespace;
    QString m_deployment;
    Informer *m_deployments = nullptr;
    Informer *m_pods = nullptr;
    Informer *m_replicaSets = nullptr;
    Informer *m_hpas = nullptr;
    Informer *m_events = nullptr;
    QString m_selector; // the label selector the pod/ReplicaSet informers use
    QTimer m_changedTimer;
    bool m_lastSynced = false;
};

// "app=web,tier=api" from a LabelSelector's matchLabels and matchExpressions; empty when
// the selector selects nothing expressible.
QString labelSelectorText(const QJsonObject &selector);

} // namespace dashboard
