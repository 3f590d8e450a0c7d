#include "net/http_types.h"

namespace dashboard {

QByteArray headerValue(const HttpHeaders &headers, const QByteArray &name) {
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

QString statusName(HttpResult::Status status) {
    switch (status) {
    case HttpResult::Status::Ok:
        return QStringLiteral("ok");
    case HttpResult::Status::ConnectionRefused:
        return QStringLiteral("connection refused");
    case HttpResult::Status::HostNotFound:
        return QStringLiteral("host not found");
    case HttpResult::Status::TlsError:
        return QStringLiteral("TLS error");
    case HttpResult::Status::Timeout:
        return QStringLiteral("timeout");
    case HttpResult::Status::NetworkError:
        return QStringLiteral("network error");
    case HttpResult::Status::CredentialsError:
        return QStringLiteral("credentials error");
    case HttpResult::Status::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

} // namespace dashboard
