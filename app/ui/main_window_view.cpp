// MainWindow, second half: what the window shows as the session and its feed move. The
// first half (main_window.cpp) builds the widgets, actions and settings.

#include "ui/main_window.h"

#include "core/domain/deployment_summary.h"
#include "core/domain/hpa_summary.h"
#include "ui/banner.h"
#include "ui/connection_bar.h"
#include "ui/events_model.h"
#include "ui/hpa_panel.h"
#include "ui/placeholder_overlay.h"
#include "ui/pods_filter_proxy.h"
#include "ui/pods_table_model.h"
#include "ui/problem_panel.h"
#include "ui/replica_sets_model.h"
#include "ui/workload_feed.h"
#include "ui/workload_header.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>

namespace dashboard {

void MainWindow::onOpened() {
    m_connectionBar->setContexts(m_session->contexts(), m_session->context());
    m_connectionBar->setNamespace(m_session->namespaceName(), m_session->contextNamespace());
    m_connectionBar->setDeployment(m_session->deployment());
    m_banner->clear();
    m_lastUpdate = QDateTime();
    m_header->setPlaceholder(m_session->deployment(),
                             tr("Loading the Deployment \"%1\" from namespace \"%2\"…")
                                 .arg(m_session->deployment(), m_session->namespaceName()));
    WorkloadFeed *feed = m_session->feed();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_pods->setPods(feed ? feed->pods() : QList<QJsonObject>(), now);
    m_replicaSets->setReplicaSets({}, {}, now);
    m_events->setEvents({}, now);
    m_hpaPanel->setAutoscalers({}, m_session->deployment());
    m_hpaPanel->setHistory(m_history);
    if (feed) {
        connect(feed, &WorkloadFeed::changed, this, &MainWindow::onFeedChanged,
                Qt::UniqueConnection);
        connect(feed, &WorkloadFeed::connectionChanged, this, &MainWindow::onConnectionChanged,
                Qt::UniqueConnection);
    }
    onConnectionChanged();
    onProblemChanged();
    updatePlaceholders();
    updateTitles();
}

void MainWindow::onFeedChanged() {
    WorkloadFeed *feed = m_session->feed();
    if (!feed || sender() != feed)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QJsonObject deployment = feed->deployment();
    if (!deployment.isEmpty()) {
        m_header->setSummary(summarizeDeployment(deployment, now));
        if (feed->connectionState() == Informer::ConnectionState::Connected)
            m_lastUpdate = now;
    }
    m_pods->setPods(feed->pods(), now);
    m_replicaSets->setReplicaSets(deployment, feed->replicaSets(), now);
    m_events->setEvents(feed->events(), now);
    QList<HpaSummary> hpas;
    for (const QJsonObject &hpa : feed->autoscalers())
        hpas << summarizeHpa(hpa, now);
    m_hpaPanel->setAutoscalers(hpas, m_session->deployment());
    recordHistory(now);
    updatePlaceholders();
    updateTitles();
}

void MainWindow::onConnectionChanged() {
    WorkloadFeed *feed = m_session->feed();
    const QString server = m_session->server();
    if (!feed) {
        m_connectionBar->setState(ConnectionBar::State::Failed, server, m_session->problem().title);
        m_banner->clear();
        return;
    }
    switch (feed->connectionState()) {
    case Informer::ConnectionState::Stopped:
    case Informer::ConnectionState::Connecting:
        m_connectionBar->setState(ConnectionBar::State::Connecting, server);
        m_banner->clear();
        break;
    case Informer::ConnectionState::Connected:
        m_connectionBar->setState(ConnectionBar::State::Connected, server);
        m_banner->clear();
        m_lastUpdate = QDateTime::currentDateTimeUtc();
        break;
    case Informer::ConnectionState::Reconnecting:
        m_connectionBar->setState(ConnectionBar::State::Reconnecting, server,
                                  feed->connectionReason());
        // Over the problem page the banner would only repeat it.
        if (isShowingProblem())
            m_banner->clear();
        else
            m_banner->showDisconnected(feed->connectionReason(), m_lastUpdate);
        break;
    }
}

void MainWindow::onProblemChanged() {
    const WindowProblem &problem = m_session->problem();
    if (problem.isNone()) {
        m_pages->setCurrentWidget(m_content);
        onConnectionChanged();
        updateTitles();
        return;
    }
    m_problemPanel->setProblem(problem);
    m_pages->setCurrentWidget(m_problemPanel);
    m_banner->clear();
    if (!m_session->feed())
        m_connectionBar->setState(ConnectionBar::State::Failed, m_session->server(), problem.title);
    updateTitles();
}

void MainWindow::tick() {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_pods->setNow(now);
    m_replicaSets->setNow(now);
    m_events->setNow(now);
    if (WorkloadFeed *feed = m_session->feed(); feed && !feed->deployment().isEmpty())
        m_header->setSummary(summarizeDeployment(feed->deployment(), now));
}

void MainWindow::recordHistory(const QDateTime &now) {
    WorkloadFeed *feed = m_session->feed();
    if (!feed || feed->deployment().isEmpty())
        return;
    HpaHistory::Sample sample;
    sample.time = now;
    const QList<QJsonObject> hpas = feed->autoscalers();
    if (!hpas.isEmpty()) {
        const HpaSummary hpa = summarizeHpa(hpas.first(), now);
        // An HPA that has not reported yet says 0 replicas: the Deployment knows better.
        const bool reported = hpa.currentReplicas > 0 || !hpa.conditions.isEmpty();
        sample.replicas =
            reported ? hpa.currentReplicas : summarizeDeployment(feed->deployment(), now).current;
        if (reported)
            sample.desired = hpa.desiredReplicas;
        for (const HpaMetric &metric : hpa.metrics) {
            if (metric.name == QLatin1String("cpu") && metric.isPercent() && metric.current)
                sample.cpuPercent = metric.current;
        }
    } else {
        sample.replicas = summarizeDeployment(feed->deployment(), now).current;
    }
    m_history.record(sample);
    m_hpaPanel->setHistory(m_history);
}

void MainWindow::updatePlaceholders() {
    WorkloadFeed *feed = m_session->feed();
    const bool synced = feed && feed->isSynced();
    const QJsonObject deployment = feed ? feed->deployment() : QJsonObject();

    QString pods;
    if (!synced) {
        pods = tr("Loading pods…");
    } else if (m_pods->rowCount() == 0) {
        const DeploymentSummary d =
            summarizeDeployment(deployment, QDateTime::currentDateTimeUtc());
        if (d.desired == 0)
            pods = tr("The Deployment \"%1\" is scaled to zero replicas, so no pods run. Scale it "
                      "up with "
                      "kubectl scale deployment %1 --replicas=3.")
                       .arg(m_session->deployment());
        else
            pods = tr("The Deployment wants %1 pods but none exist yet. The events below say why "
                      "(quota, "
                      "scheduling or image pulls).")
                       .arg(d.desired);
    } else if (m_podsProxy->rowCount() == 0) {
        if (m_filter->text().trimmed().isEmpty())
            pods = tr("All %1 pods are healthy: no pod has a problem to show.")
                       .arg(m_pods->rowCount());
        else
            pods = tr("No pod matches the filter \"%1\". Press Esc in the filter to clear it.")
                       .arg(m_filter->text().trimmed());
    }
    m_podsPlaceholder->setMessage(pods);

    m_eventsPlaceholder->setMessage(
        !synced ? tr("Loading events…")
        : m_events->rowCount() == 0
            ? tr("No events about this workload. Kubernetes keeps events for about an hour, so a "
                 "quiet workload has none.")
            : QString());
    m_replicaSetsPlaceholder->setMessage(
        !synced ? tr("Loading ReplicaSets…")
        : m_replicaSets->rowCount() == 0
            ? tr("No ReplicaSets yet: the Deployment has not created any.")
            : QString());
}

void MainWindow::updateTitles() {
    const QString deployment = m_session->deployment();
    setWindowTitle(
        deployment.isEmpty()
            ? tr("forecast-dashboard")
            : tr("%1 in %2 — forecast-dashboard").arg(deployment, m_session->namespaceName()));
    const int total = m_pods->rowCount();
    const int shown = m_podsProxy->rowCount();
    int problems = 0;
    for (int row = 0; row < total; ++row) {
        const auto health = Health(m_pods->index(row, 0).data(PodsTableModel::HealthRole).toInt());
        if (health == Health::Warning || health == Health::Failed)
            ++problems;
    }
    QString count;
    if (shown != total)
        count = tr("%1 of %2 shown").arg(shown).arg(total);
    else if (problems > 0)
        count = tr("%1, of which %2 with problems").arg(total).arg(problems);
    else
        count = tr("%1, all healthy").arg(total);
    m_podCount->setText(total == 0 ? QString() : count);

    int warnings = 0;
    for (int row = 0; row < m_events->rowCount(); ++row) {
        if (m_events->index(row, 0).data(EventsModel::WarningRole).toBool())
            ++warnings;
    }
    const int eventCount = m_events->rowCount();
    m_bottomTabs->setTabText(0, warnings > 0
                                    ? tr("Events (%1, warnings: %2)").arg(eventCount).arg(warnings)
                                    : tr("Events (%1)").arg(eventCount));
    m_bottomTabs->setTabText(1, tr("ReplicaSets (%1)").arg(m_replicaSets->rowCount()));
}

} // namespace dashboard
