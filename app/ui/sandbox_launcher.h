#pragma once
// --sandbox: runs `forecast-sandbox up` in a per-user state folder, waits until it serves,
// and hands out its kubeconfig; stops it again on exit unless asked to keep it. A sandbox
// already running in that folder is reused (and then left running).

#include <QProcess>
#include <QString>

namespace dashboard {

class SandboxLauncher final {
public:
    SandboxLauncher(QString binary, QString stateDir);
    ~SandboxLauncher();
    SandboxLauncher(const SandboxLauncher &) = delete;
    SandboxLauncher &operator=(const SandboxLauncher &) = delete;

    // The forecast-sandbox next to this executable, else on PATH; empty when neither exists.
    static QString findBinary();
    static QString defaultStateDir();

    // Starts (or finds) the sandbox; false with errorString() when it does not come up within
    // `timeoutMs`.
    bool start(int timeoutMs = 30000);
    void stop(); // no-op when we did not start it
    void setKeepRunning(bool keep) { m_keep = keep; }

    QString kubeconfigPath() const;
    QString logPath() const; // the sandbox's own log (appended to on every start)
    QString errorString() const { return m_error; }

private:
    bool isRunning() const;

    QString m_binary;
    QString m_stateDir;
    QProcess m_process;
    bool m_startedByUs = false;
    bool m_keep = false;
    QString m_error;
};

} // namespace dashboard
