#include "ui/workload_feed.h"

#include "core/domain/replica_set_history.h"
#include "kube/kube_client.h"
#include "kube/resource_registry.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>

namespace dashboard {

QString labelSelectorText(const QJsonObject &selector) {
    QStringList parts;
    const QJsonObject labels = selector.value(QLatin1String("matchLabels")).toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        parts << it.key() + u'=' + it.value().toString();
    for (const QJsonValue &e : selector.value(QLatin1String("matchExpressions")).toArray()) {
        const QJsonObject expr = e.toObject();
        const QString key = expr.value(QLatin1String("key")).toString();
        const QString op = expr.value(QLatin1String("operator")).toString();
        QStringList values;
        for (const QJsonValue &v : expr.value(QLatin1String("values")).toArray())
            values << v.toString();
        if (op == QLatin1String("In"))
            parts << QStringLiteral("%1 in (%2)").arg(key, values.join(u','));
        else if (op == QLatin1String("NotIn"))
            parts << QStringLiteral("%1 notin (%2)").arg(key, values.join(u','));
        else if (op == QLatin1String("Exists"))
            parts << key;
        else if (op == QLatin1String("DoesNotExist"))
            parts << u'!' + key;
    }
    return parts.join(u',');
}

WorkloadFeed::WorkloadFeed(KubeClient &client, QString namespaceName, QString deployment,
                           QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_namespace(std::move(namespaceName))
    , m_deployment(std::move(deployment)) {
    m_changedTimer.setSingleShot(true);
    m_changedTimer.setInterval(0);
    connect(&m_changedTimer, &QTimer::timeout, this, [this] {
        Q_EMIT changed();
        const bool synced = isSynced();
        if (synced && m_pods)
            m_podEventsSynced = true; // later pods' events load without a loading state
        if (synced != m_lastSynced) {
            m_lastSynced = synced;
            Q_EMIT syncedChanged(synced);
        }
    });
}

WorkloadFeed::~WorkloadFeed() = default;

Informer *WorkloadFeed::makeInformer(const ResourceId &resource, const QString &labelSelector,
                                     const QString &fieldSelector,
                                     std::function<bool(const QJsonObject &)> keep) {
    InformerOptions options;
    options.keep = std::move(keep);
    options.resource = resource;
    options.namespaceName = m_namespace;
    options.labelSelector = labelSelector;
    options.fieldSelector = fieldSelector;
    auto *informer = new Informer(m_client, options, this);
    connect(informer, &Informer::changed, this, &WorkloadFeed::scheduleChanged);
    connect(informer, &Informer::syncedChanged, this, &WorkloadFeed::scheduleChanged);
    connect(informer, &Informer::connectionStateChanged, this, &WorkloadFeed::connectionChanged);
    return informer;
}

void WorkloadFeed::start() {
    m_deployments =
        makeInformer(resources::deployments(), {}, QStringLiteral("metadata.name=") + m_deployment);
    connect(m_deployments, &Informer::changed, this, &WorkloadFeed::onDeploymentChanged);
    connect(m_deployments, &Informer::syncedChanged, this, &WorkloadFeed::onDeploymentChanged);
    m_hpas = makeInformer(resources::horizontalPodAutoscalers(), {}, {});
    // Field selectors cannot OR several objects. Events about pods (most of a namespace's
    // events) come from one informer per pod of the workload (onPodsChanged); this one takes
    // the rest and caches only what can be about the workload: its Deployment, the
    // ReplicaSets named after it, and HPAs. events() narrows to the exact objects.
    const QString prefix = m_deployment + u'-';
    m_events = makeInformer(resources::events(), {}, QStringLiteral("involvedObject.kind!=Pod"),
                            [deployment = m_deployment, prefix](const QJsonObject &event) {
                                const QJsonObject involved =
                                    event.value(QLatin1String("involvedObject")).toObject();
                                const QString name =
                                    involved.value(QLatin1String("name")).toString();
                                return name == deployment || name.startsWith(prefix) ||
                                       involved.value(QLatin1String("kind")).toString() ==
                                           QLatin1String("HorizontalPodAutoscaler");
                            });
    m_deployments->start();
    m_hpas->start();
    m_events->start();
}

void WorkloadFeed::onDeploymentChanged() {
    const QJsonObject d = deployment();
    if (d.isEmpty())
        return; // keep showing the last pods until the Deployment is back or known missing
    const QString selector = labelSelectorText(
        d.value(QLatin1String("spec")).toObject().value(QLatin1String("selector")).toObject());
    if (selector == m_selector && m_pods)
        return;
    // A new selector (first sight, or the Deployment was recreated differently): new
    // informers; the old ones go with their caches.
    m_selector = selector;
    delete m_pods;
    delete m_replicaSets;
    qDeleteAll(m_podEvents);
    m_podEvents.clear();
    m_podEventsSynced = false;
    m_pods = makeInformer(resources::pods(), selector, {});
    connect(m_pods, &Informer::changed, this, &WorkloadFeed::onPodsChanged);
    connect(m_pods, &Informer::syncedChanged, this, &WorkloadFeed::onPodsChanged);
    m_replicaSets = makeInformer(resources::replicaSets(), selector, {});
    m_pods->start();
    m_replicaSets->start();
    scheduleChanged();
}

void WorkloadFeed::onPodsChanged() {
    if (!m_pods || !m_pods->isSynced())
        return;
    QSet<QString> names;
    for (const QJsonObject &pod : m_pods->items())
        names.insert(pod.value(QLatin1String("metadata"))
                         .toObject()
                         .value(QLatin1String("name"))
                         .toString());
    bool moved = false;
    for (auto it = m_podEvents.begin(); it != m_podEvents.end();) {
        if (names.contains(it.key())) {
            ++it;
            continue;
        }
        delete it.value(); // the pod is gone, and with it what its events mattered for
        it = m_podEvents.erase(it);
        moved = true;
    }
    for (const QString &name : names) {
        if (m_podEvents.contains(name))
            continue;
        Informer *informer =
            makeInformer(resources::events(), {},
                         QStringLiteral("involvedObject.kind=Pod,involvedObject.name=") + name);
        m_podEvents.insert(name, informer);
        informer->start();
        moved = true;
    }
    if (moved)
        scheduleChanged();
}

void WorkloadFeed::scheduleChanged() {
    if (!m_changedTimer.isActive())
        m_changedTimer.start();
}

QJsonObject WorkloadFeed::deployment() const {
    if (!m_deployments)
        return {};
    const QString key = m_namespace.isEmpty() ? m_deployment : m_namespace + u'/' + m_deployment;
    return m_deployments->item(key);
}

bool WorkloadFeed::deploymentMissing() const {
    return m_deployments && m_deployments->isSynced() && m_deployments->size() == 0;
}

namespace {

QList<QJsonObject> values(const Informer *informer) {
    if (!informer)
        return {};
    QList<QJsonObject> out = informer->items().values();
    // A stable order for models that care (the hash has none).
    std::sort(out.begin(), out.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QLatin1String("metadata"))
                   .toObject()
                   .value(QLatin1String("name"))
                   .toString() < b.value(QLatin1String("metadata"))
                                     .toObject()
                                     .value(QLatin1String("name"))
                                     .toString();
    });
    return out;
}

QString nameOf(const QJsonObject &o) {
    return o.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
}

} // namespace

QList<QJsonObject> WorkloadFeed::pods() const {
    return values(m_pods);
}

QList<QJsonObject> WorkloadFeed::replicaSets() const {
    // The label selector can also match ReplicaSets of another Deployment with the same
    // labels: keep the ones this Deployment controls.
    const QString uid = deployment()
                            .value(QLatin1String("metadata"))
                            .toObject()
                            .value(QLatin1String("uid"))
                            .toString();
    QList<QJsonObject> out;
    for (const QJsonObject &rs : values(m_replicaSets)) {
        if (isControlledBy(rs, uid))
            out << rs;
    }
    return out;
}

QList<QJsonObject> WorkloadFeed::autoscalers() const {
    QList<QJsonObject> out;
    for (const QJsonObject &hpa : values(m_hpas)) {
        const QJsonObject ref = hpa.value(QLatin1String("spec"))
                                    .toObject()
                                    .value(QLatin1String("scaleTargetRef"))
                                    .toObject();
        if (ref.value(QLatin1String("kind")).toString() == QLatin1String("Deployment") &&
            ref.value(QLatin1String("name")).toString() == m_deployment)
            out << hpa;
    }
    return out;
}

QList<QJsonObject> WorkloadFeed::events() const {
    QSet<QString> about{QStringLiteral("Deployment/") + m_deployment};
    for (const QJsonObject &pod : pods())
        about.insert(QStringLiteral("Pod/") + nameOf(pod));
    for (const QJsonObject &rs : replicaSets())
        about.insert(QStringLiteral("ReplicaSet/") + nameOf(rs));
    for (const QJsonObject &hpa : autoscalers())
        about.insert(QStringLiteral("HorizontalPodAutoscaler/") + nameOf(hpa));
    QList<QJsonObject> all = values(m_events);
    for (const Informer *informer : m_podEvents)
        all += informer->items().values();
    QList<QJsonObject> out;
    for (const QJsonObject &event : std::as_const(all)) {
        const QJsonObject involved = event.value(QLatin1String("involvedObject")).toObject();
        if (about.contains(involved.value(QLatin1String("kind")).toString() + u'/' +
                           involved.value(QLatin1String("name")).toString()))
            out << event;
    }
    return out;
}

QList<Informer *> WorkloadFeed::informers() const {
    QList<Informer *> out;
    for (Informer *i : {m_deployments, m_pods, m_replicaSets, m_hpas, m_events}) {
        if (i)
            out << i;
    }
    for (Informer *i : m_podEvents)
        out << i;
    return out;
}

bool WorkloadFeed::isSynced() const {
    if (!m_deployments || !m_deployments->isSynced())
        return false;
    if (deploymentMissing())
        return m_hpas->isSynced() && m_events->isSynced();
    for (const Informer *i : {m_pods, m_replicaSets, m_hpas, m_events}) {
        if (!i || !i->isSynced())
            return false;
    }
    if (m_podEventsSynced)
        return true;
    return std::all_of(m_podEvents.begin(), m_podEvents.end(),
                       [](const Informer *i) { return i->isSynced(); });
}

Informer::ConnectionState WorkloadFeed::connectionState() const {
    auto worst = Informer::ConnectionState::Connected;
    for (const Informer *i : informers()) {
        if (i->state() == Informer::ConnectionState::Reconnecting)
            return Informer::ConnectionState::Reconnecting;
        if (i->state() == Informer::ConnectionState::Connecting)
            worst = Informer::ConnectionState::Connecting;
    }
    return informers().isEmpty() ? Informer::ConnectionState::Stopped : worst;
}

QString WorkloadFeed::connectionReason() const {
    for (const Informer *i : informers()) {
        if (i->state() == Informer::ConnectionState::Reconnecting)
            return i->stateReason();
    }
    return {};
}

} // namespace dashboard
