#include "ui/workload_session.h"

#include "kube/kube_client.h"
#include "kube/kubeconfig.h"
#include "net/http_engine.h"
#include "ui/workload_feed.h"
#include "ui/workload_probe.h"

#include <QDir>

namespace dashboard {

WorkloadSession::WorkloadSession(QObject *parent)
    : QObject(parent)
    , m_engine(std::make_unique<HttpEngine>()) {}

WorkloadSession::~WorkloadSession() {
    close();
}

void WorkloadSession::close() {
    // Informers and the probe go before the client they use, the client before the engine.
    delete m_probe;
    m_probe = nullptr;
    if (m_feed) {
        disconnect(m_feed, nullptr, this, nullptr);
        if (m_ownsFeed)
            delete m_feed;
    }
    m_feed = nullptr;
    m_ownsFeed = false;
    m_client.reset();
}

void WorkloadSession::open(const WorkloadTarget &target) {
    close();
    m_target = target;
    m_problem = {};
    m_shown = false;
    m_settled = false;
    m_contexts.clear();
    m_context = target.context;
    m_contextNamespace.clear();
    m_namespace = target.namespaceName;
    m_server.clear();

    KubeconfigOptions options;
    options.explicitPath = target.kubeconfig;
    options.contextOverride = target.context;
    options.namespaceOverride = target.namespaceName;
    const rf::Result<Kubeconfig> kubeconfig = Kubeconfig::load(options);
    if (!kubeconfig) {
        m_problem = brokenKubeconfigProblem(QString::fromStdString(kubeconfig.message()));
        Q_EMIT opened();
        checkSettled();
        return;
    }
    for (const ContextInfo &info : kubeconfig->contexts()) {
        m_contexts << info.name;
        if (info.name == kubeconfig->currentContext())
            m_contextNamespace =
                info.namespaceName.isEmpty() ? QStringLiteral("default") : info.namespaceName;
    }
    m_context = kubeconfig->currentContext();
    if (kubeconfig->files().isEmpty()) {
        const QString home = QDir::homePath() + QStringLiteral("/.kube/config");
        m_problem = noKubeconfigProblem(
            tr("KUBECONFIG is not set (or names no existing file) and %1 does not exist.")
                .arg(home));
        Q_EMIT opened();
        checkSettled();
        return;
    }
    const rf::Result<RestConfig> config = kubeconfig->restConfig(target.context);
    if (!config) {
        m_problem = brokenKubeconfigProblem(QString::fromStdString(config.message()));
        Q_EMIT opened();
        checkSettled();
        return;
    }
    m_context = config->contextName;
    if (m_contextNamespace.isEmpty())
        m_contextNamespace = config->namespaceName;
    m_namespace = target.namespaceName.isEmpty() ? config->namespaceName : target.namespaceName;
    m_server = config->server.toString();
    m_client = std::make_unique<KubeClient>(*m_engine, std::make_shared<const RestConfig>(*config));
    m_probe = new WorkloadProbe(*m_client, m_namespace, target.deployment, this);
    connect(m_probe, &WorkloadProbe::finished, this, &WorkloadSession::onProbeFinished);
    auto *feed = new WorkloadFeed(*m_client, m_namespace, target.deployment, this);
    m_ownsFeed = true;
    startFeed(feed);
    Q_EMIT opened();
    feed->start();
    // Asked at once, beside the informers' lists: a failure gets its specific message in one
    // round trip instead of after the informers' first back-off.
    m_probe->check();
}

void WorkloadSession::adopt(WorkloadFeed *feed, const QString &context, const QString &server) {
    close();
    m_target.deployment = feed->deploymentName();
    m_target.namespaceName = feed->namespaceName();
    m_target.context = context;
    m_problem = {};
    m_shown = false;
    m_settled = false;
    m_contexts = context.isEmpty() ? QStringList() : QStringList{context};
    m_context = context;
    m_namespace = feed->namespaceName();
    m_contextNamespace = m_namespace;
    m_server = server;
    m_ownsFeed = false;
    startFeed(feed);
    Q_EMIT opened();
    onFeedChanged();
    onConnectionChanged();
}

void WorkloadSession::startFeed(WorkloadFeed *feed) {
    m_feed = feed;
    connect(feed, &WorkloadFeed::changed, this, &WorkloadSession::onFeedChanged);
    connect(feed, &WorkloadFeed::syncedChanged, this, &WorkloadSession::onFeedChanged);
    connect(feed, &WorkloadFeed::connectionChanged, this, &WorkloadSession::onConnectionChanged);
}

void WorkloadSession::setProblem(const WindowProblem &problem) {
    updateProblem(problem);
    checkSettled();
}

void WorkloadSession::onFeedChanged() {
    if (!m_feed)
        return;
    if (!m_feed->deployment().isEmpty()) {
        m_shown = true;
        // The Deployment is here: whatever kept it from being shown is over.
        if (!m_problem.isNone())
            updateProblem({});
    } else if (m_feed->deploymentMissing()) {
        const bool missing = m_problem.kind == WindowProblem::Kind::DeploymentMissing ||
                             m_problem.kind == WindowProblem::Kind::NamespaceMissing;
        if (!missing) {
            // Say so at once; the probe then tells a missing namespace from a missing Deployment.
            updateProblem(deploymentMissingProblem(m_namespace, m_target.deployment));
            if (m_probe)
                m_probe->check();
        }
    }
    checkSettled();
}

void WorkloadSession::onConnectionChanged() {
    if (!m_feed)
        return;
    const auto state = m_feed->connectionState();
    if (state == Informer::ConnectionState::Reconnecting && !m_shown && m_probe &&
        !m_probe->isRunning() && m_problem.isNone())
        m_probe->check();
    if (state == Informer::ConnectionState::Connected && !m_feed->deploymentMissing()) {
        const bool requestProblem = m_problem.kind == WindowProblem::Kind::Unreachable ||
                                    m_problem.kind == WindowProblem::Kind::Unauthorized ||
                                    m_problem.kind == WindowProblem::Kind::Forbidden ||
                                    m_problem.kind == WindowProblem::Kind::ServerError;
        if (requestProblem)
            updateProblem({});
    }
    checkSettled();
}

void WorkloadSession::onProbeFinished(const WindowProblem &problem) {
    if (problem.isNone()) {
        // The Deployment exists after all (created meanwhile): the feed catches up.
        if (m_problem.kind == WindowProblem::Kind::DeploymentMissing ||
            m_problem.kind == WindowProblem::Kind::NamespaceMissing)
            updateProblem({});
        return;
    }
    if (m_shown && m_feed && !m_feed->deployment().isEmpty())
        return; // the workload is on screen: connection trouble is the banner's to report
    updateProblem(problem);
    checkSettled();
}

void WorkloadSession::updateProblem(const WindowProblem &problem) {
    if (problem.kind == m_problem.kind && problem.title == m_problem.title &&
        problem.details == m_problem.details)
        return;
    m_problem = problem;
    Q_EMIT problemChanged();
}

bool WorkloadSession::isSettled() const {
    if (!m_problem.isNone())
        return true;
    return m_feed && m_feed->isSynced() && !m_feed->deployment().isEmpty();
}

void WorkloadSession::checkSettled() {
    if (m_settled || !isSettled())
        return;
    m_settled = true;
    Q_EMIT settledChanged();
}

} // namespace dashboard
