#pragma once
// Why the window has nothing (or nothing current) to show, worded for the operator: what is
// wrong, the underlying error as the server or the kubeconfig loader said it, and what to do.
// Built from values (a kubeconfig error, a KubeError, a missing object), not widgets, so each
// failure's message is tested headless. The window shows it instead of empty tables.

#include "kube/status_error.h"

#include <QString>

namespace dashboard {

struct WindowProblem {
    enum class Kind {
        None,
        NoKubeconfig,       // no file at all: nothing to connect to
        BrokenKubeconfig,   // unreadable file, bad YAML, unknown context, missing certificate
        SandboxUnavailable, // --sandbox: binary missing or it did not start
        Unreachable,        // refused, DNS, TLS, timeout
        Unauthorized,       // 401
        Forbidden,          // 403
        NamespaceMissing,
        DeploymentMissing,
        ServerError, // any other answer
    };
    Kind kind = Kind::None;
    QString title;   // one sentence: what is wrong
    QString details; // the error as reported (file and line, the server's message)
    QString todo;    // what to do about it

    bool isNone() const { return kind == Kind::None; }
    // A problem the dashboard may recover from by itself (it keeps retrying or watching).
    bool resolvesItself() const;
};

QString problemKindName(WindowProblem::Kind kind); // "DeploymentMissing" etc., for tests and logs

WindowProblem noKubeconfigProblem(const QString &details);
WindowProblem brokenKubeconfigProblem(const QString &details);
WindowProblem sandboxProblem(const QString &details);
// A failed request about the workload, classified by HTTP code or transport failure.
WindowProblem requestProblem(const KubeError &error, const QString &namespaceName,
                             const QString &deployment);
WindowProblem namespaceMissingProblem(const QString &namespaceName, const QString &deployment);
WindowProblem deploymentMissingProblem(const QString &namespaceName, const QString &deployment);

} // namespace dashboard
