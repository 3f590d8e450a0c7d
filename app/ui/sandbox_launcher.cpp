#include "ui/sandbox_launcher.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QThread>

namespace dashboard {

SandboxLauncher::SandboxLauncher(QString binary, QString stateDir)
    : m_binary(std::move(binary))
    , m_stateDir(std::move(stateDir)) {}

SandboxLauncher::~SandboxLauncher() {
    stop();
}

QString SandboxLauncher::findBinary() {
    const QString beside =
        QCoreApplication::applicationDirPath() + QStringLiteral("/forecast-sandbox");
    if (QFileInfo(beside).isExecutable())
        return beside;
    return QStandardPaths::findExecutable(QStringLiteral("forecast-sandbox"));
}

QString SandboxLauncher::defaultStateDir() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/forecast-dashboard/sandbox");
}

QString SandboxLauncher::logPath() const {
    return m_stateDir + QStringLiteral("/sandbox.log");
}

QString SandboxLauncher::kubeconfigPath() const {
    return m_stateDir + QStringLiteral("/kubeconfig");
}

namespace {

bool publishedBy(const QString &recordPath, qint64 pid) {
    QFile record(recordPath);
    if (!record.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject info = QJsonDocument::fromJson(record.readAll()).object();
    return info.value(QLatin1String("pid")).toInteger(-1) == pid;
}

} // namespace

bool SandboxLauncher::isRunning() const {
    // `status` exits 0 when a sandbox holds the state folder.
    QProcess status;
    status.start(m_binary, {QStringLiteral("status"), QStringLiteral("--state-dir"), m_stateDir});
    return status.waitForFinished(10000) && status.exitStatus() == QProcess::NormalExit &&
           status.exitCode() == 0;
}

bool SandboxLauncher::start(int timeoutMs) {
    if (m_binary.isEmpty() || !QFileInfo(m_binary).isExecutable()) {
        m_error = QCoreApplication::translate(
                      "SandboxLauncher",
                      "forecast-sandbox was not found next to forecast-dashboard (%1) or on PATH. "
                      "Build it "
                      "(ninja forecast-sandbox) or install the retail-forecast package.")
                      .arg(QCoreApplication::applicationDirPath());
        return false;
    }
    if (!QDir().mkpath(m_stateDir)) {
        m_error =
            QCoreApplication::translate("SandboxLauncher", "Cannot create the sandbox folder %1.")
                .arg(m_stateDir);
        return false;
    }
    if (isRunning())
        return true;

    m_process.setProgram(m_binary);
    m_process.setArguments({QStringLiteral("up"), QStringLiteral("--state-dir"), m_stateDir});
    // Its log goes to the state folder, not over the dashboard's terminal.
    m_process.setStandardOutputFile(QProcess::nullDevice());
    m_process.setStandardErrorFile(logPath(), QIODevice::Append);
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        m_error = QCoreApplication::translate("SandboxLauncher", "Cannot start %1: %2")
                      .arg(m_binary, m_process.errorString());
        return false;
    }
    m_startedByUs = true;
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning) {
            m_error = QCoreApplication::translate(
                          "SandboxLauncher",
                          "forecast-sandbox exited with code %1 while starting; its log is %2.")
                          .arg(m_process.exitCode())
                          .arg(logPath());
            m_startedByUs = false;
            return false;
        }
        // A sandbox.json and kubeconfig left by an earlier run name an old port: only the
        // record our process published (its pid) says the new kubeconfig is written.
        if (publishedBy(m_stateDir + QStringLiteral("/sandbox.json"), m_process.processId()) &&
            QFileInfo::exists(kubeconfigPath()))
            return true;
        m_process.waitForFinished(100);
    }
    m_error = QCoreApplication::translate(
                  "SandboxLauncher", "forecast-sandbox did not start within %1 s; its log is %2.")
                  .arg(timeoutMs / 1000)
                  .arg(logPath());
    return false;
}

void SandboxLauncher::stop() {
    if (!m_startedByUs || m_keep)
        return;
    m_startedByUs = false;
    m_process.terminate(); // SIGTERM: a clean shutdown
    if (!m_process.waitForFinished(30000))
        m_process.kill();
}

} // namespace dashboard
