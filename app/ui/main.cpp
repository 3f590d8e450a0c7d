// forecast-dashboard: parses the command line, connects, and shows the workload window.
// Everything else lives in dashboard_ui / dashboard_core.

#include "kube/kube_client.h"
#include "kube/kubeconfig.h"
#include "net/http_engine.h"
#include "operations/workload_installer.h"
#include "ui/command_line.h"
#include "ui/main_window.h"
#include "ui/sandbox_launcher.h"
#include "ui/screenshot.h"
#include "ui/translations.h"

#include <QApplication>
#include <QCoreApplication>
#include <QIcon>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <optional>

using namespace dashboard;

namespace {

// Saves the window as PNG once its first complete picture (or a problem page) is shown, or
// after the timeout, then quits: 0 when saved with data, 1 otherwise (the reason on stderr).
void arrangeScreenshot(MainWindow &window, const DashboardOptions &options) {
    auto *shot = new Screenshot(&window, options.screenshot,
                                options.screenshotTimeoutSeconds * 1000, &window);
    QObject::connect(shot, &Screenshot::finished, &window, [](const Screenshot::Result &result) {
        std::fprintf(stderr, "forecast-dashboard: %s\n", qPrintable(result.message));
        QCoreApplication::exit(result.saved && result.complete ? 0 : 1);
    });
    shot->start();
}

} // namespace

int main(int argc, char **argv) {
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    // Help, version and command-line errors work without a display: they are said under a
    // QCoreApplication that carries only the translation (the locale's, or --lang's when it
    // was read before the problem), then the program ends.
    const CommandLineOutcome parsed = parseCommandLine(arguments);
    if (parsed.action != CommandLineOutcome::Action::Run) {
        int plainArgc = 1;
        QCoreApplication plain(plainArgc, argv);
        installTranslations(plain, parsed.options.language);
        const CommandLineOutcome said = parseCommandLine(arguments);
        if (said.action == CommandLineOutcome::Action::Error) {
            std::fprintf(stderr, "forecast-dashboard: %s\n", qPrintable(said.text));
            return 2;
        }
        std::fputs(qPrintable(said.text), stdout);
        return 0;
    }
    const DashboardOptions &options = parsed.options;

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("retail-forecast"));
    QApplication::setApplicationName(QStringLiteral("forecast-dashboard"));
    QApplication::setApplicationVersion(QStringLiteral(RF_VERSION));
    const LanguageChoice language = installTranslations(app, options.language);
    if (!language.warning.isEmpty())
        std::fprintf(stderr, "forecast-dashboard: %s\n", qPrintable(language.warning));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/forecast-dashboard.svg")));

    MainWindow window;
    std::optional<SandboxLauncher> sandbox;
    QString kubeconfigPath = options.kubeconfig;
    QString fatal;
    if (options.sandbox) {
        sandbox.emplace(SandboxLauncher::findBinary(), SandboxLauncher::defaultStateDir());
        sandbox->setKeepRunning(options.keepSandbox);
        if (sandbox->start())
            kubeconfigPath = sandbox->kubeconfigPath();
        else
            fatal = sandbox->errorString();
    }

    // The window loads the kubeconfig and owns the connection, so its context picker can
    // switch clusters; a sandbox that did not start is shown as the window's problem page.
    const WorkloadTarget target{kubeconfigPath, options.context, options.namespaceName,
                                options.deployment};
    HttpEngine installEngine;
    std::unique_ptr<KubeClient> installClient;
    if (!fatal.isEmpty()) {
        window.showProblem(sandboxProblem(fatal));
    } else if (sandbox) {
        // A fresh sandbox has no workload yet: apply the bundled manifests first (a no-op when
        // the Deployment exists), then connect the window.
        KubeconfigOptions kubeconfigOptions;
        kubeconfigOptions.explicitPath = kubeconfigPath;
        kubeconfigOptions.contextOverride = options.context;
        kubeconfigOptions.namespaceOverride = options.namespaceName;
        auto kubeconfig = Kubeconfig::load(kubeconfigOptions);
        auto config =
            kubeconfig.ok() ? kubeconfig->restConfig() : rf::Result<RestConfig>(kubeconfig.error());
        if (!config.ok()) {
            window.showProblem(sandboxProblem(QString::fromStdString(config.message())));
        } else {
            const QString ns = config->namespaceName;
            installClient = std::make_unique<KubeClient>(
                installEngine, std::make_shared<const RestConfig>(config.value()));
            auto *installer = new WorkloadInstaller(*installClient, &window);
            QObject::connect(installer, &WorkloadInstaller::finished, &window,
                             [&window, target](bool ok, bool, const QString &message) {
                                 if (ok)
                                     window.open(target);
                                 else
                                     window.showProblem(sandboxProblem(message));
                             });
            installer->installIfAbsent(QStringLiteral(":/manifests/k8s"), ns, options.deployment);
        }
    } else {
        window.open(target);
    }

    window.show();
    if (!options.screenshot.isEmpty())
        arrangeScreenshot(window, options);
    return QApplication::exec();
}
