#include "kube/user_credential_provider.h"

#include <QFile>
#include <QMutexLocker>
#include <QStringList>
#include <QtDebug>

namespace dashboard {

namespace {

std::chrono::steady_clock::time_point steadyNow() {
    return std::chrono::steady_clock::now();
}

} // namespace

rf::Result<QByteArray> readCredentialFile(const QString &path, const QString &what,
                                          const QString &owner) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return rf::fail(QStringLiteral("unable to read %1 \"%2\" for %3: %4")
                            .arg(what, path, owner, file.errorString())
                            .toStdString());
    }
    return file.readAll();
}

rf::Result<std::shared_ptr<UserCredentialProvider>>
UserCredentialProvider::create(UserCredentialSpec spec, Clock clock) {
    auto provider =
        std::make_shared<UserCredentialProvider>(std::move(spec), clock ? clock : Clock(steadyNow));
    QMutexLocker lock(&provider->m_mutex);
    if (provider->m_spec.token.isEmpty() && !provider->m_spec.tokenFile.isEmpty()) {
        if (auto read = provider->reloadTokenFileLocked(); !read.ok()) {
            return read.error();
        }
    }
    if (auto read = provider->reloadCertificateFilesLocked(); !read.ok()) {
        return read.error();
    }
    lock.unlock();
    return provider;
}

UserCredentialProvider::UserCredentialProvider(UserCredentialSpec spec, Clock clock)
    : m_spec(std::move(spec))
    , m_clock(clock ? std::move(clock) : Clock(steadyNow)) {}

rf::Status UserCredentialProvider::reloadTokenFileLocked() {
    auto read = readCredentialFile(m_spec.tokenFile, QStringLiteral("tokenFile"), m_spec.owner);
    m_tokenReadAt = m_clock();
    if (!read.ok()) {
        return read.error();
    }
    const QByteArray token = read.value().trimmed();
    if (token.isEmpty()) {
        return rf::fail(QStringLiteral("read an empty token from tokenFile \"%1\" for %2")
                            .arg(m_spec.tokenFile, m_spec.owner)
                            .toStdString());
    }
    m_fileToken = token;
    return rf::ok();
}

rf::Status UserCredentialProvider::reloadCertificateFilesLocked() {
    if (m_spec.clientCertificatePem.isEmpty() && !m_spec.clientCertificateFile.isEmpty()) {
        auto read = readCredentialFile(m_spec.clientCertificateFile,
                                       QStringLiteral("client-certificate"), m_spec.owner);
        if (!read.ok()) {
            return read.error();
        }
        m_fileCertificate = read.value();
    }
    if (m_spec.clientKeyPem.isEmpty() && !m_spec.clientKeyFile.isEmpty()) {
        auto read =
            readCredentialFile(m_spec.clientKeyFile, QStringLiteral("client-key"), m_spec.owner);
        if (!read.ok()) {
            return read.error();
        }
        m_fileKey = read.value();
    }
    return rf::ok();
}

rf::Result<Credentials> UserCredentialProvider::get() {
    QMutexLocker lock(&m_mutex);
    const bool force = m_forceReload;
    m_forceReload = false;
    if (m_spec.token.isEmpty() && !m_spec.tokenFile.isEmpty() &&
        (force || m_fileToken.isEmpty() || m_clock() - m_tokenReadAt >= kTokenFileRefresh)) {
        // Like client-go's cached file token source: a failed re-read keeps the token we
        // have (the file may be mid-rotation); only having none at all is an error.
        if (auto read = reloadTokenFileLocked(); !read.ok()) {
            if (m_fileToken.isEmpty()) {
                return read.error();
            }
            qWarning("kubeconfig: %s; keeping the previous token", read.message().c_str());
        }
    }
    if (force) {
        if (auto read = reloadCertificateFilesLocked(); !read.ok()) {
            qWarning("kubeconfig: %s; keeping the previous certificate", read.message().c_str());
        }
    }

    Credentials credentials;
    credentials.bearerToken = m_spec.token.isEmpty() ? m_fileToken : m_spec.token;
    credentials.username = m_spec.username;
    credentials.password = m_spec.password;
    credentials.clientCertificatePem =
        m_spec.clientCertificatePem.isEmpty() ? m_fileCertificate : m_spec.clientCertificatePem;
    credentials.clientKeyPem = m_spec.clientKeyPem.isEmpty() ? m_fileKey : m_spec.clientKeyPem;
    return credentials;
}

bool UserCredentialProvider::invalidate() {
    const bool fromFiles =
        (m_spec.token.isEmpty() && !m_spec.tokenFile.isEmpty()) ||
        (m_spec.clientCertificatePem.isEmpty() && !m_spec.clientCertificateFile.isEmpty()) ||
        (m_spec.clientKeyPem.isEmpty() && !m_spec.clientKeyFile.isEmpty());
    if (!fromFiles) {
        return false; // inline secrets cannot change while we run: the 401 is final
    }
    QMutexLocker lock(&m_mutex);
    m_forceReload = true;
    return true;
}

QString UserCredentialProvider::describe() const {
    QStringList parts;
    if (!m_spec.token.isEmpty()) {
        parts << QStringLiteral("token");
    } else if (!m_spec.tokenFile.isEmpty()) {
        parts << QStringLiteral("token file %1").arg(m_spec.tokenFile);
    }
    if (!m_spec.username.isEmpty() || !m_spec.password.isEmpty()) {
        parts << QStringLiteral("basic auth as \"%1\"").arg(m_spec.username);
    }
    if (!m_spec.clientCertificatePem.isEmpty()) {
        parts << QStringLiteral("client certificate");
    } else if (!m_spec.clientCertificateFile.isEmpty()) {
        parts << QStringLiteral("client certificate %1").arg(m_spec.clientCertificateFile);
    }
    return parts.isEmpty() ? QStringLiteral("no credentials") : parts.join(QStringLiteral(", "));
}

} // namespace dashboard
