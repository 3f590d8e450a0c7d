#pragma once
// Runs a real forecast-sandbox for an integration test and hands out its kubeconfig and a
// ready RestConfig. Typical use in a Qt Test:
//
//     SandboxFixture sandbox;            // or SandboxFixture({.timeScale = 1})
//     QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
//     HttpEngine engine;
//     KubeClient client(engine, sandbox.restConfig());
//     ...
//     QVERIFY(sandbox.restart());        // same state dir, same port
//
// The sandbox runs `forecast-sandbox up --state-dir <temp dir> --port 0 --time-scale N`
// (binary: $RF_SANDBOX_BINARY if set, else the one this build made); start() waits until
// the sandbox has published <state>/sandbox.json (written after the API listens and the
// kubeconfig exists). The port is chosen by the sandbox on the first start and is not
// persisted by it: the fixture remembers it and passes --port on restart(), so clients
// keep their URL. Its stdout/stderr go to <state>/sandbox.log (the tail is in
// errorString() when start fails). The destructor stops the sandbox and removes the dir.

#include "kube/rest_config.h"

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace dashboard::test {

// A bearer token that never changes (what the sandbox's kubeconfig holds).
class StaticTokenProvider final : public CredentialProvider {
public:
    explicit StaticTokenProvider(QByteArray token)
        : m_token(std::move(token)) {}
    rf::Result<Credentials> get() override {
        Credentials credentials;
        credentials.bearerToken = m_token;
        return credentials;
    }
    bool invalidate() override { return false; }
    QString describe() const override { return QStringLiteral("token"); }

private:
    QByteArray m_token;
};

struct SandboxOptions {
    double timeScale = 20;      // simulated periods run this many times faster
    int startTimeoutMs = 90000; // generous: the build machine is shared and loaded
};

class SandboxFixture final {
public:
    SandboxFixture();
    explicit SandboxFixture(SandboxOptions options);
    ~SandboxFixture();
    SandboxFixture(const SandboxFixture &) = delete;
    SandboxFixture &operator=(const SandboxFixture &) = delete;

    static QString binary(); // $RF_SANDBOX_BINARY, else the build's forecast-sandbox

    bool start();   // first start picks a free port; later starts reuse it
    bool stop();    // SIGTERM, waits for a clean exit (the state is kept)
    bool restart(); // stop() + start() on the same port and state dir
    bool isRunning() const;
    QString errorString() const { return m_error; }

    QString stateDir() const { return m_dir.path(); }
    QString kubeconfigPath() const { return m_kubeconfig; }
    QUrl server() const { return m_server; }
    quint16 port() const { return m_port; }
    QString namespaceName() const { return m_namespace; } // the kubeconfig context's
    QByteArray token() const { return m_token; }
    QByteArray caPem() const { return m_caPem; }

    // Server, CA and token read from the sandbox's kubeconfig.
    std::shared_ptr<RestConfig> restConfig() const;

    // Runs `kubectl --kubeconfig <ours> args...`; returns whether it exited 0. Output
    // (stdout+stderr) goes to *output when given. `input` is fed to stdin.
    bool kubectl(const QStringList &args, QByteArray *output = nullptr,
                 const QByteArray &input = {}) const;

private:
    bool readKubeconfig();
    bool launch();
    QString logTail() const;

    SandboxOptions m_options;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QString m_error;
    QString m_kubeconfig;
    QUrl m_server;
    quint16 m_port = 0;
    QString m_namespace;
    QByteArray m_token;
    QByteArray m_caPem;
};

} // namespace dashboard::test
