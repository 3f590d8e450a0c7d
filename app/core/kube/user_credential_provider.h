#pragma once
// Credentials written in a kubeconfig user entry (or the in-cluster service account):
// a bearer token, a token file, basic auth and a client certificate, in any combination
// client-go accepts. Files are read into memory; a token file is re-read at most once a
// minute (so a rotated service-account token is picked up) and right away after a 401,
// client certificate files are re-read after a 401 too.

#include "kube/rest_config.h"

#include <QByteArray>
#include <QMutex>
#include <QString>

#include <chrono>
#include <functional>

namespace dashboard {

struct UserCredentialSpec {
    QByteArray token;  // static bearer token
    QString tokenFile; // used when token is empty
    QString username;  // basic auth
    QByteArray password;
    QByteArray clientCertificatePem; // inline data wins over the file
    QString clientCertificateFile;
    QByteArray clientKeyPem;
    QString clientKeyFile;
    QString owner; // "user \"name\" in /path/config", for messages
};

class UserCredentialProvider final : public CredentialProvider {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    static constexpr std::chrono::seconds kTokenFileRefresh{60};

    // Reads the files once so a missing file is reported when the configuration is
    // resolved, not at the first request.
    static rf::Result<std::shared_ptr<UserCredentialProvider>> create(UserCredentialSpec spec,
                                                                      Clock clock = {});

    rf::Result<Credentials> get() override;
    bool invalidate() override;
    QString describe() const override;

    UserCredentialProvider(UserCredentialSpec spec, Clock clock);

private:
    rf::Status reloadTokenFileLocked();
    rf::Status reloadCertificateFilesLocked();

    const UserCredentialSpec m_spec;
    const Clock m_clock;
    mutable QMutex m_mutex;
    QByteArray m_fileToken;
    QByteArray m_fileCertificate;
    QByteArray m_fileKey;
    std::chrono::steady_clock::time_point m_tokenReadAt{};
    bool m_forceReload = false;
};

// Reads a whole file; the message names the file and says why it failed ("what" is the
// kubeconfig field, e.g. "client-certificate").
rf::Result<QByteArray> readCredentialFile(const QString &path, const QString &what,
                                          const QString &owner);

} // namespace dashboard
