#include "ui/command_line.h"

#include "core/translate.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

namespace dashboard {

CommandLineOutcome parseCommandLine(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Watch a retail-forecast Deployment on Kubernetes: rollout, pods, ReplicaSets, "
           "autoscaling and events, the way kubectl reports them."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help and exit."));
    const QCommandLineOption version(QStringLiteral("version"), tr("Show the version and exit."));
    const QCommandLineOption kubeconfig(
        QStringLiteral("kubeconfig"),
        tr("Kubeconfig file to use instead of KUBECONFIG or ~/.kube/config."), tr("file"));
    const QCommandLineOption context(QStringLiteral("context"), tr("Kubeconfig context to use."),
                                     tr("name"));
    const QCommandLineOption ns({QStringLiteral("n"), QStringLiteral("namespace")},
                                tr("Namespace of the workload (default: the context's)."),
                                tr("namespace"));
    const QCommandLineOption deployment(QStringLiteral("deployment"),
                                        tr("Deployment to watch (default: retail-forecast-api)."),
                                        tr("name"));
    const QCommandLineOption sandbox(QStringLiteral("sandbox"),
                                     tr("Start a local forecast-sandbox and connect to it."));
    const QCommandLineOption keepSandbox(QStringLiteral("keep-sandbox"),
                                         tr("With --sandbox: leave the sandbox running on exit."));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        tr("Render the window once data has loaded, save it as PNG and exit."), tr("file"));
    const QCommandLineOption screenshotTimeout(
        QStringLiteral("screenshot-timeout"),
        tr("Seconds to wait for data before saving the screenshot anyway (default 20)."),
        tr("seconds"));
    const QCommandLineOption lang(QStringLiteral("lang"),
                                  tr("User interface language, e.g. en or zh_CN."), tr("language"));
    parser.addOptions({help, version, kubeconfig, context, ns, deployment, sandbox, keepSandbox,
                       screenshot, screenshotTimeout, lang});

    CommandLineOutcome outcome;
    if (!parser.parse(arguments)) {
        // Say the error in the asked language all the same: find --lang by hand.
        for (qsizetype i = 1; i < arguments.size(); ++i) {
            const QString &a = arguments.at(i);
            if (a.startsWith(QLatin1String("--lang=")))
                outcome.options.language = a.mid(7);
            else if (a == QLatin1String("--lang") && i + 1 < arguments.size())
                outcome.options.language = arguments.at(i + 1);
        }
        outcome.action = CommandLineOutcome::Action::Error;
        outcome.text = parser.errorText() + QStringLiteral("\n") + tr("Try --help.");
        return outcome;
    }
    // Known before help, version and errors, so those can be said in that language.
    outcome.options.language = parser.value(lang);
    if (parser.isSet(help)) {
        outcome.action = CommandLineOutcome::Action::ShowHelp;
        outcome.text = parser.helpText();
        return outcome;
    }
    if (parser.isSet(version)) {
        outcome.action = CommandLineOutcome::Action::ShowVersion;
        outcome.text = QStringLiteral("forecast-dashboard " RF_VERSION "\n");
        return outcome;
    }
    if (!parser.positionalArguments().isEmpty()) {
        outcome.action = CommandLineOutcome::Action::Error;
        outcome.text = tr("Unexpected argument: %1").arg(parser.positionalArguments().first()) +
                       QStringLiteral("\n") + tr("Try --help.");
        return outcome;
    }

    DashboardOptions &o = outcome.options;
    o.kubeconfig = parser.value(kubeconfig);
    o.context = parser.value(context);
    o.namespaceName = parser.value(ns);
    if (parser.isSet(deployment))
        o.deployment = parser.value(deployment);
    o.sandbox = parser.isSet(sandbox);
    o.keepSandbox = parser.isSet(keepSandbox);
    o.screenshot = parser.value(screenshot);

    auto fail = [&](const QString &message) {
        outcome.action = CommandLineOutcome::Action::Error;
        outcome.text = message;
        return outcome;
    };
    if (parser.isSet(deployment) && o.deployment.trimmed().isEmpty())
        return fail(tr("--deployment needs a name."));
    if (parser.isSet(screenshotTimeout)) {
        bool ok = false;
        o.screenshotTimeoutSeconds = parser.value(screenshotTimeout).toInt(&ok);
        if (!ok || o.screenshotTimeoutSeconds < 1)
            return fail(tr("--screenshot-timeout needs a whole number of seconds, at least 1."));
    }
    if (!o.screenshot.isEmpty()) {
        const QFileInfo target(o.screenshot);
        if (!target.absoluteDir().exists())
            return fail(tr("Cannot write the screenshot to %1: the folder %2 does not exist.")
                            .arg(o.screenshot, target.absolutePath()));
    }
    if (o.keepSandbox && !o.sandbox)
        return fail(tr("--keep-sandbox only makes sense with --sandbox."));
    if (o.sandbox && !o.kubeconfig.isEmpty())
        return fail(
            tr("--sandbox writes its own kubeconfig: do not combine it with --kubeconfig."));
    return outcome;
}

} // namespace dashboard
