#include "support/sandbox_fixture.h"

#include <yaml-cpp/yaml.h>

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTest>

#include <csignal>
#include <sys/prctl.h>

namespace dashboard::test {

namespace {

// Processes events while waiting, so informers and calls in the test keep running.
template <class Predicate> bool waitFor(Predicate done, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired()) {
            return false;
        }
        QTest::qWait(50);
    }
    return true;
}

} // namespace

SandboxFixture::SandboxFixture()
    : SandboxFixture(SandboxOptions{}) {}

SandboxFixture::SandboxFixture(SandboxOptions options)
    : m_options(options)
    , m_dir(QDir::tempPath() + QStringLiteral("/rf-app-sandbox-XXXXXX")) {}

SandboxFixture::~SandboxFixture() {
    stop();
}

QString SandboxFixture::binary() {
    const QString fromEnv = qEnvironmentVariable("RF_SANDBOX_BINARY");
    if (!fromEnv.isEmpty()) {
        return fromEnv;
    }
#ifdef RF_SANDBOX_BINARY
    return QStringLiteral(RF_SANDBOX_BINARY);
#else
    return {};
#endif
}

bool SandboxFixture::isRunning() const {
    return m_process && m_process->state() != QProcess::NotRunning;
}

bool SandboxFixture::start() {
    m_error.clear();
    if (isRunning()) {
        return true;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary state directory");
        return false;
    }
    if (binary().isEmpty() || !QFileInfo(binary()).isExecutable()) {
        m_error =
            QStringLiteral("no forecast-sandbox binary (%1); set RF_SANDBOX_BINARY").arg(binary());
        return false;
    }
    // Right after a stop the port may still be held briefly: try again for a while.
    QDeadlineTimer deadline(m_options.startTimeoutMs);
    for (;;) {
        if (launch()) {
            return readKubeconfig();
        }
        if (m_port == 0 || deadline.hasExpired() ||
            !m_error.contains(QLatin1String("address"), Qt::CaseInsensitive)) {
            return false;
        }
        QTest::qWait(500);
    }
}

bool SandboxFixture::launch() {
    const QString json = m_dir.filePath(QStringLiteral("sandbox.json"));
    QFile::remove(json); // a crashed run's leftover must not look like a started one
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(binary());
    m_process->setArguments({QStringLiteral("up"), QStringLiteral("--state-dir"), m_dir.path(),
                             QStringLiteral("--port"), QString::number(m_port),
                             QStringLiteral("--time-scale"), QString::number(m_options.timeScale)});
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    // A test that crashes must not leave its sandbox running.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process->setStandardOutputFile(m_dir.filePath(QStringLiteral("sandbox.log")),
                                     QIODevice::Append);
    m_process->start();
    if (!m_process->waitForStarted(30000)) {
        m_error = QStringLiteral("cannot run %1: %2").arg(binary(), m_process->errorString());
        return false;
    }
    QJsonObject info;
    const bool published = waitFor(
        [&] {
            if (m_process->state() == QProcess::NotRunning) {
                return true;
            }
            QFile file(json);
            if (!file.open(QIODevice::ReadOnly)) {
                return false;
            }
            info = QJsonDocument::fromJson(file.readAll()).object();
            return info.value(QLatin1String("pid")).toInteger() == m_process->processId() &&
                   !info.value(QLatin1String("server")).toString().isEmpty();
        },
        m_options.startTimeoutMs);
    if (m_process->state() == QProcess::NotRunning) {
        m_error = QStringLiteral("forecast-sandbox exited during start:\n") + logTail();
        return false;
    }
    if (!published) {
        m_error = QStringLiteral("forecast-sandbox did not start within %1 ms:\n")
                      .arg(m_options.startTimeoutMs) +
                  logTail();
        stop();
        return false;
    }
    m_port = static_cast<quint16>(info.value(QLatin1String("port")).toInt());
    m_server = QUrl(info.value(QLatin1String("server")).toString());
    m_kubeconfig = info.value(QLatin1String("kubeconfig")).toString();
    return true;
}

bool SandboxFixture::stop() {
    if (!m_process) {
        return true;
    }
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate(); // SIGTERM: the sandbox saves its state and exits
        if (!m_process->waitForFinished(60000)) {
            m_process->kill();
            m_process->waitForFinished(10000);
            m_error = QStringLiteral("forecast-sandbox did not stop on SIGTERM; killed it");
            m_process.reset();
            return false;
        }
    }
    m_process.reset();
    return true;
}

bool SandboxFixture::restart() {
    return stop() && start();
}

bool SandboxFixture::readKubeconfig() {
    try {
        const YAML::Node root = YAML::LoadFile(m_kubeconfig.toStdString());
        const YAML::Node cluster = root["clusters"][0]["cluster"];
        const YAML::Node user = root["users"][0]["user"];
        const YAML::Node context = root["contexts"][0]["context"];
        m_caPem = QByteArray::fromBase64(
            QByteArray::fromStdString(cluster["certificate-authority-data"].as<std::string>()));
        m_token = QByteArray::fromStdString(user["token"].as<std::string>());
        m_namespace = context["namespace"]
                          ? QString::fromStdString(context["namespace"].as<std::string>())
                          : QStringLiteral("default");
        m_server = QUrl(QString::fromStdString(cluster["server"].as<std::string>()));
    } catch (const std::exception &e) {
        m_error = QStringLiteral("cannot read the sandbox kubeconfig %1: %2")
                      .arg(m_kubeconfig, QString::fromUtf8(e.what()));
        return false;
    }
    return true;
}

std::shared_ptr<RestConfig> SandboxFixture::restConfig() const {
    auto config = std::make_shared<RestConfig>();
    config->contextName = QStringLiteral("forecast-sandbox");
    config->clusterName = QStringLiteral("forecast-sandbox");
    config->userName = QStringLiteral("forecast-sandbox");
    config->namespaceName = m_namespace;
    config->sourceFile = m_kubeconfig;
    config->server = m_server;
    config->caPem = m_caPem;
    config->credentials = std::make_shared<StaticTokenProvider>(m_token);
    return config;
}

bool SandboxFixture::kubectl(const QStringList &args, QByteArray *output,
                             const QByteArray &input) const {
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("KUBECONFIG"), m_kubeconfig);
    env.insert(QStringLiteral("HOME"), m_dir.path()); // kubectl's cache stays in the temp dir
    process.setProcessEnvironment(env);
    process.start(QStringLiteral("kubectl"),
                  QStringList{QStringLiteral("--kubeconfig"), m_kubeconfig} + args);
    if (!process.waitForStarted(30000)) {
        if (output) {
            *output = process.errorString().toUtf8();
        }
        return false;
    }
    if (!input.isEmpty()) {
        process.write(input);
    }
    process.closeWriteChannel();
    const bool finished = waitFor([&] { return process.state() == QProcess::NotRunning; }, 120000);
    if (!finished) {
        process.kill();
        process.waitForFinished();
    }
    if (output) {
        *output = process.readAll();
    }
    return finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

QString SandboxFixture::logTail() const {
    QFile file(m_dir.filePath(QStringLiteral("sandbox.log")));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    const QByteArray all = file.readAll();
    return QString::fromUtf8(all.right(3000));
}

} // namespace dashboard::test
