#pragma once
// Finds out why the workload cannot be shown when the feed only knows that its informers
// are failing or that the Deployment list is empty: one GET of the Deployment and, when that
// is 404, one of its namespace. The answer is a WindowProblem (None when the Deployment is
// there after all). Asynchronous; a new check() cancels the one in flight.

#include "ui/window_problem.h"

#include <QObject>
#include <QPointer>

namespace dashboard {

class HttpCall;
class KubeClient;

class WorkloadProbe final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkloadProbe)

public:
    WorkloadProbe(KubeClient &client, QString namespaceName, QString deployment,
                  QObject *parent = nullptr);
    ~WorkloadProbe() override;

    void check();
    bool isRunning() const { return !m_call.isNull(); }

Q_SIGNALS:
    void finished(const dashboard::WindowProblem &problem);

private:
    void checkNamespace();
    void cancel();

    KubeClient &m_client;
    QString m_namespace;
    QString m_deployment;
    QPointer<HttpCall> m_call;
};

} // namespace dashboard
