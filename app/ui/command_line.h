#pragma once
// forecast-dashboard's command line (issue 6): parsed into values so main() only acts on
// them and tests can check every option without starting a window.

#include <QString>
#include <QStringList>

namespace dashboard {

struct DashboardOptions {
    QString kubeconfig;    // --kubeconfig FILE (else KUBECONFIG, else ~/.kube/config)
    QString context;       // --context NAME (else current-context)
    QString namespaceName; // --namespace NS (else the context's namespace)
    QString deployment = QStringLiteral("retail-forecast-api");
    bool sandbox = false;     // --sandbox: start and use a local forecast-sandbox
    bool keepSandbox = false; // --keep-sandbox: leave it running on exit
    QString screenshot;       // --screenshot FILE: render once data has loaded, save, exit
    int screenshotTimeoutSeconds = 20;
    QString language; // --lang zh_CN; empty: the system locale
};

struct CommandLineOutcome {
    enum class Action { Run, ShowHelp, ShowVersion, Error };
    Action action = Action::Run;
    DashboardOptions options;
    QString text; // help text, version text, or the error message
};

// `arguments` includes the program name first, like QCoreApplication::arguments().
CommandLineOutcome parseCommandLine(const QStringList &arguments);

} // namespace dashboard
