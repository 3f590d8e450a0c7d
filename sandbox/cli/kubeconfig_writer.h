#pragma once
// The kubeconfig `forecast-sandbox up` writes (k8s-api-notes §9): cluster, user and
// context all named "forecast-sandbox", the CA inline (certificate-authority-data), the
// bearer token, and namespace "retail-forecast". The file holds a token: mode 0600.

#include <rf/result.h>

#include <filesystem>
#include <string>

namespace sandbox {

struct KubeconfigSpec {
    std::string server; // "https://127.0.0.1:6443"
    std::string caCertificatePem;
    std::string token;
    std::string name = "forecast-sandbox";
    std::string ns = "retail-forecast";
};

std::string renderKubeconfig(const KubeconfigSpec &spec);
rf::Status writeKubeconfig(const std::filesystem::path &path, const KubeconfigSpec &spec);

} // namespace sandbox
