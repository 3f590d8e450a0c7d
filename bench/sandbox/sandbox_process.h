#pragma once

#include "bench_http.h"

#include <optional>
#include <string>
#include <sys/types.h>

namespace rf::bench {

// A forecast-sandbox child with its own temporary state directory, or an attached one.
class SandboxProcess {
public:
    ~SandboxProcess();

    // Starts `binary up --state-dir <tmp> --port 0 --kubeconfig-out <tmp>/kubeconfig` and waits
    // (up to 60 s) for the kubeconfig and /readyz. Returns an error message on failure.
    std::optional<std::string> start(const std::string &binary, int timeScale);
    void stop();
    pid_t pid() const { return m_pid; }
    std::string kubeconfigPath() const { return m_stateDir + "/kubeconfig"; }

private:
    pid_t m_pid = -1;
    bool m_owned = false;
    std::string m_stateDir;
};

// Server, CA (decoded PEM) and token of the kubeconfig's first cluster and user.
std::optional<Endpoint> readKubeconfig(const std::string &path, std::string &error);

struct Memory {
    long rssKb = -1;
    long hwmKb = -1;
};
Memory readMemory(pid_t pid);
// User + system CPU seconds the process has used so far (-1 when unreadable).
double readCpuSeconds(pid_t pid);

} // namespace rf::bench
