#pragma once
// The sandbox's own certificate authority and server certificate (OpenSSL 3 EVP APIs),
// made on first start and kept in the state directory so kubeconfigs stay valid across
// restarts: ca.crt/ca.key (CA:TRUE, 10 years) and server.crt/server.key (SANs
// IP:127.0.0.1 and DNS:localhost, signed by the CA). Keys are ECDSA P-256, files 0600.

#include <rf/result.h>

#include <filesystem>
#include <string>

namespace sandbox {

struct TlsMaterial {
    std::string caCertificatePem;
    std::string caKeyPem;
    std::string serverCertificatePem;
    std::string serverKeyPem;
};

// Fresh CA and server certificate in memory.
rf::Result<TlsMaterial> generateTlsMaterial();

// Loads the material from stateDir, or generates and stores it when any file is missing,
// unreadable, or the server certificate expires within a day.
rf::Result<TlsMaterial> ensureTlsMaterial(const std::filesystem::path &stateDir);

// Random bearer token (32 bytes from OpenSSL's CSPRNG, hex): stateDir/token, made once.
rf::Result<std::string> ensureToken(const std::filesystem::path &stateDir);


} // namespace sandbox
