#pragma once
// One connection of the window to one workload: loads the kubeconfig (its contexts fill the
// picker), resolves the context's cluster and namespace, and runs a WorkloadFeed for the
// Deployment. When nothing can be shown it says why as a WindowProblem: a kubeconfig that
// cannot be used, or, asked of the server by a WorkloadProbe, an unreachable server, 401,
// 403, a missing namespace or Deployment. Switching context, namespace or Deployment opens
// a new feed. Not a widget: the window only displays what this reports.

#include "ui/window_problem.h"
#include "ui/workload_feed.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>

namespace dashboard {

class HttpEngine;
class KubeClient;
class WorkloadFeed;
class WorkloadProbe;

struct WorkloadTarget {
    QString kubeconfig;    // empty: KUBECONFIG, else ~/.kube/config (as kubectl)
    QString context;       // empty: the kubeconfig's current-context
    QString namespaceName; // empty: the context's namespace
    QString deployment = QStringLiteral("retail-forecast-api");
    bool operator==(const WorkloadTarget &other) const = default;
};

class WorkloadSession final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkloadSession)

public:
    explicit WorkloadSession(QObject *parent = nullptr);
    ~WorkloadSession() override;

    // Loads the kubeconfig and starts watching (the kubeconfig is read synchronously: a few
    // small files; every request afterwards is asynchronous).
    void open(const WorkloadTarget &target);
    void reopen() { open(m_target); }
    // Watches a feed made elsewhere (not owned): no kubeconfig, so no context list, and no
    // probe, so connection trouble is reported by the banner only.
    void adopt(WorkloadFeed *feed, const QString &context, const QString &server);
    // A failure found outside (the sandbox did not start): shown until the next open().
    void setProblem(const WindowProblem &problem);
    void close();

    const WorkloadTarget &target() const { return m_target; }
    QStringList contexts() const { return m_contexts; }
    QString context() const { return m_context; }
    QString contextNamespace() const { return m_contextNamespace; }
    QString namespaceName() const { return m_namespace; }
    QString deployment() const { return m_target.deployment; }
    QString server() const { return m_server; }
    WorkloadFeed *feed() const { return m_feed; }
    const WindowProblem &problem() const { return m_problem; }
    // Whether the Deployment has been seen since open() (the banner, not the problem page,
    // then reports connection trouble, over the last data).
    bool hasShownWorkload() const { return m_shown; }
    // Whether the first answer is in: synced with the Deployment, or a problem is known.
    bool isSettled() const;

Q_SIGNALS:
    void opened();         // a new feed (or none, with a problem): views start over
    void problemChanged(); // problem() moved
    void settledChanged(); // isSettled() became true

private:
    void startFeed(WorkloadFeed *feed);
    void onFeedChanged();
    void onConnectionChanged();
    void onProbeFinished(const WindowProblem &problem);
    void updateProblem(const WindowProblem &problem);
    void checkSettled();

    std::unique_ptr<HttpEngine> m_engine;
    std::unique_ptr<KubeClient> m_client;
    QPointer<WorkloadFeed> m_feed;
    bool m_ownsFeed = false;
    WorkloadProbe *m_probe = nullptr;
    WorkloadTarget m_target;
    QStringList m_contexts;
    QString m_context;
    QString m_contextNamespace;
    QString m_namespace;
    QString m_server;
    WindowProblem m_problem;
    bool m_shown = false;
    bool m_settled = false;
};

} // namespace dashboard
