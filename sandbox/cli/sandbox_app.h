#pragma once
// The whole sandbox in one object, as `forecast-sandbox up` runs it: state directory lock,
// TLS material and token, object store, resource service, pod logs, controllers and
// kubelet, the HTTPS API server, and the kubeconfig. start() brings them up in dependency
// order; stop() takes them down in reverse (HTTP first, so no request sees a half-stopped
// sandbox; the store last, so everything written is persisted).

#include <rf/result.h>

#include <filesystem>
#include <memory>
#include <string>

namespace sandbox {

struct SandboxOptions {
    std::filesystem::path stateDir;
    unsigned short port = 0;             // 0: the kernel picks
    std::filesystem::path kubeconfigOut; // empty: <stateDir>/kubeconfig
    double timeScale = 1.0;
    std::filesystem::path imagesFile; // empty: the built-in image table
    int httpThreads = 2;
};

class SandboxApp final {
public:
    explicit SandboxApp(SandboxOptions options);
    ~SandboxApp();
    SandboxApp(const SandboxApp &) = delete;
    SandboxApp &operator=(const SandboxApp &) = delete;

    rf::Status start();
    void stop();

    unsigned short port() const;
    std::string serverUrl() const;
    std::filesystem::path kubeconfigPath() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace sandbox
