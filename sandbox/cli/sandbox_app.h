#pragma once
// The whole sandbox in one object, as `forecast-sandbox up` runs it: state directory lock,
// TLS material and token, address block, object store, resource service, pod logs,
// controllers and kubelet, the service proxy, the HTTPS API server, and the kubeconfig. start()
// brings them up in dependency order; stop() takes them down in reverse (HTTP first, so no request
// sees a half-stopped sandbox; the store last, so everything written is persisted).

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
    // Where NodePorts listen and the Node's InternalIP; "auto": 127.N.0.1 of the claimed
    // address block (network/address_plan.h), so parallel sandboxes never share NodePorts.
    std::string nodeIp = "127.0.0.1";
    std::filesystem::path addressLockDir; // empty: the per-user default (tests override)
    int proxyThreads = 2;
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
    // The claimed address block N (pods 127.N.x.y, ClusterIPs 127.(64+N).x.y) and the node
    // IP in use; 0 and empty before start().
    int addressBlock() const;
    std::string nodeIp() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace sandbox
